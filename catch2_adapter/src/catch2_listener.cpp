// The Catch2 listener: turns Catch2's events into RunRegistry calls. The
// only file that differs between Catch2 v2 and v3:
//
//   v3: a run is testCasePartialStarting .. testCasePartialEnded.
//   v2: no per-run events; a run is the implicit root section (the depth-0
//       sectionStarting, named after the test case) .. its sectionEnded.
//
// Both versions open the root section inside every run, so the section
// bookkeeping (root skipped, the rest forming the path) is shared.
#if __has_include(<catch2/catch_version_macros.hpp>)
#include <catch2/catch_assertion_result.hpp>
#include <catch2/catch_test_case_info.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/catch_version_macros.hpp>
#include <catch2/reporters/catch_reporter_event_listener.hpp>
#include <catch2/reporters/catch_reporter_registrars.hpp>
#else
// v2's single header declares the listener base only with this, outside
// the TU that implements Catch2.
#define CATCH_CONFIG_EXTERNAL_INTERFACES
#include <catch2/catch.hpp>
#endif

#include <cstdint>
#include <string>
#include <string_view>

#include "memfs/catch2.hpp"
#include "run_registry.hpp"

#if CATCH_VERSION_MAJOR < 2 || \
    (CATCH_VERSION_MAJOR == 2 && CATCH_VERSION_MINOR < 13)
#error "memfs::catch2 needs Catch2 2.13 or later"
#endif

namespace memfs::catch2::detail {
namespace {

#if CATCH_VERSION_MAJOR >= 3
using ListenerBase = Catch::EventListenerBase;
#else
using ListenerBase = Catch::TestEventListenerBase;
#endif

RunRegistry& registry() { return RunRegistry::instance(); }

TestCaseFacts facts_of(const Catch::TestCaseInfo& info) {
  TestCaseFacts facts;
  facts.name = info.name;
  facts.file = info.lineInfo.file;
  facts.line = static_cast<int>(info.lineInfo.line);
  facts.ok_to_fail = info.okToFail();
  facts.should_fail = info.expectedToFail();
  return facts;
}

// "file:line: REQUIRE( a == b ) with expansion: 1 == 2", then the message
// and each INFO/CAPTURE on its own line.
std::string describe_failure(const Catch::AssertionStats& stats) {
  const Catch::AssertionResult& r = stats.assertionResult;
  const Catch::SourceLineInfo where = r.getSourceInfo();
  std::string text =
      std::string(where.file) + ":" + std::to_string(where.line) + ": ";
  const auto type = r.getResultType();
  if (type == Catch::ResultWas::ThrewException) {
    text += "unexpected exception";
    if (r.hasExpression()) text += " in " + r.getExpressionInMacro();
  } else if (type == Catch::ResultWas::FatalErrorCondition) {
    text += "fatal error";
  } else if (r.hasExpression()) {
    text += r.getExpressionInMacro();
    const std::string expanded = r.getExpandedExpression();
    if (expanded != r.getExpression()) text += " with expansion: " + expanded;
  } else {
    text += std::string(r.getTestMacroName());
  }
  const std::string message = r.hasMessage() ? std::string(r.getMessage()) : "";
  if (!message.empty()) text += ": " + message;
  for (const Catch::MessageInfo& info : stats.infoMessages) {
    // FAIL/WARN texts come back as info messages too.
    if (info.message != message) text += "\n  with message: " + info.message;
  }
  return text;
}

// The REQUIRE family ends the run (Catch2 throws right after the event).
bool ends_run(const Catch::AssertionResult& r) {
  return (r.m_info.resultDisposition &
          Catch::ResultDisposition::ContinueOnFailure) == 0;
}

// Where the running test case is declared (Catch2 keeps the file name for
// the whole run): the location of the failures memfs adds.
Catch::SourceLineInfo current_test_case_line("", 0);

// Fails the running test case with `message`, as FAIL_CHECK would, at the
// test case's declaration. Never throws into Catch2 (with -a the handler
// asks to abort the run by throwing; the run ends anyway).
void report_failure(const std::string& message) {
  try {
    Catch::AssertionHandler handler(
        "FAIL_CHECK", current_test_case_line, Catch::StringRef(),
        Catch::ResultDisposition::ContinueOnFailure);
    handler.handleMessage(Catch::ResultWas::ExplicitFailure,
                          std::string(message));
    handler.complete();
  } catch (...) {
    // TestFailureException (aborting), or out of memory.
  }
}

}  // namespace

/// Registered with Catch2 below; see the top of this file.
class MemfsListener final : public ListenerBase {
 public:
  using ListenerBase::ListenerBase;

  static std::string getDescription() {
    return "memfs: a fresh MemoryFileSystem per test-case run, exported on "
           "failure";
  }

  void testRunStarting(const Catch::TestRunInfo& info) override {
    ListenerBase::testRunStarting(info);
    registry().run_starting_all();
    registry().set_failure_reporter(&report_failure);
  }

  void testCaseStarting(const Catch::TestCaseInfo& info) override {
    ListenerBase::testCaseStarting(info);
    current_test_case_line = info.lineInfo;
    registry().test_case_starting(facts_of(info));
  }

#if CATCH_VERSION_MAJOR >= 3
  void testCasePartialStarting(const Catch::TestCaseInfo& info,
                               std::uint64_t part) override {
    ListenerBase::testCasePartialStarting(info, part);
    registry().run_starting();
  }

  void testCasePartialEnded(const Catch::TestCaseStats& stats,
                            std::uint64_t part) override {
    ListenerBase::testCasePartialEnded(stats, part);
    registry().run_ended(stats.totals.assertions.failed > 0);
  }
#endif

  void sectionStarting(const Catch::SectionInfo& info) override {
    ListenerBase::sectionStarting(info);
#if CATCH_VERSION_MAJOR < 3
    if (registry().section_depth() == 0) registry().run_starting();
#endif
    registry().section_starting(info.name);
  }

  void sectionEnded(const Catch::SectionStats& stats) override {
    ListenerBase::sectionEnded(stats);
    const bool failed = stats.assertions.failed > 0;
    const std::string still_open =
        registry().section_ended(failed, stats.missingAssertions);
    // Files the run left open fail it (the reporters still have the root
    // section open: listeners hear sectionEnded first).
    if (!still_open.empty()) report_failure(still_open);
#if CATCH_VERSION_MAJOR < 3
    if (registry().section_depth() == 0) registry().run_ended(failed);
#endif
  }

#if CATCH_VERSION_MAJOR >= 3
  void assertionEnded(const Catch::AssertionStats& stats) override {
    record(stats);
  }
#else
  bool assertionEnded(const Catch::AssertionStats& stats) override {
    record(stats);
    return false;  // leave Catch2's message buffer alone
  }
#endif

  void testCaseEnded(const Catch::TestCaseStats& stats) override {
    ListenerBase::testCaseEnded(stats);
    registry().test_case_ended();
  }

  void fatalErrorEncountered(Catch::StringRef what) override {
    registry().fatal_error(std::string_view(what.data(), what.size()));
  }

 private:
  static void record(const Catch::AssertionStats& stats) {
#if CATCH_VERSION_MAJOR > 3 || \
    (CATCH_VERSION_MAJOR == 3 && CATCH_VERSION_MINOR >= 3)
    // SKIP() throws out of the body like a failure, but is none.
    if (stats.assertionResult.getResultType() ==
        Catch::ResultWas::ExplicitSkip) {
      registry().run_skipped();
    }
#endif
    if (stats.assertionResult.isOk()) return;
    registry().assertion_failed(describe_failure(stats),
                                ends_run(stats.assertionResult));
  }
};

// v2 pastes the name into an identifier: it must be unqualified, so the
// registration lives in this namespace.
CATCH_REGISTER_LISTENER(MemfsListener)

bool ensure_registered() noexcept { return true; }

}  // namespace memfs::catch2::detail
