// The listener that gives each test its TestSession, and its registration.
// The header anchor in memfs/gtest.hpp calls ensure_registered(), which keeps
// this translation unit in every test binary that includes the header.
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>

#include <gtest/gtest.h>

#include "registry.hpp"

namespace memfs::gtest {
namespace {

// "file:line: message", as gtest prints a failure.
std::string describe(const ::testing::TestPartResult& result) {
  std::string out;
  if (result.file_name() != nullptr) {
    out += result.file_name();
    if (result.line_number() >= 0)
      out += ":" + std::to_string(result.line_number());
    out += ": ";
  }
  return out + result.message();
}

// Writes `text` to stderr after what gtest already wrote to stdout, so a
// terminal or a merged log shows it in order.
void print_to_stderr(const std::string& text) {
  std::fflush(stdout);
  std::fputs(text.c_str(), stderr);
  std::fflush(stderr);
}

class Listener final : public ::testing::EmptyTestEventListener {
 public:
  void OnTestIterationStart(const ::testing::UnitTest& /*unit*/,
                            int iteration) override {
    detail::Registry::instance().set_iteration(iteration);
  }

  void OnTestStart(const ::testing::TestInfo& info) override {
    detail::Registry::instance().begin(info);
  }

  void OnTestPartResult(const ::testing::TestPartResult& result) override {
    if (result.failed())
      detail::Registry::instance().add_failure(describe(result));
  }

  // Runs after TearDown() and the fixture's destructor, and (listeners end
  // in reverse order) before the default printer's "[  FAILED  ]" line.
  void OnTestEnd(const ::testing::TestInfo& info) override {
    const std::string mount_error =
        detail::Registry::instance().take_mount_error();
    const char* file = info.file() != nullptr ? info.file() : "unknown file";
    if (!mount_error.empty()) ADD_FAILURE_AT(file, info.line()) << mount_error;
    std::unique_ptr<TestSession> session = detail::Registry::instance().end();
    if (!session) return;
    bool failed = info.result() != nullptr && info.result()->Failed();
    // Files the test left open: a failure of the test (reported below, once
    // the snapshot, which lists them, is written).
    const std::string still_open = session->open_handles_failure();
    // MEMFS_REAL_DISK=fail: the real-disk accesses, as a failure.
    const std::string real_disk = session->stop_real_disk_recording();
    for (const std::string* text : {&still_open, &real_disk}) {
      if (text->empty()) continue;
      session->add_failure(*text);
      failed = true;
    }
    const TestSession::Outcome outcome = session->finish(failed);
    session.reset();  // the filesystem goes before anything is reported
    if (!outcome.report.empty()) print_to_stderr(outcome.report);
    if (outcome.exported) {
      ::testing::Test::RecordProperty("memfs_snapshot",
                                      outcome.artifact().string());
    }
    // The session (here gone) no longer records it a second time.
    if (!still_open.empty()) ADD_FAILURE_AT(file, info.line()) << still_open;
    if (!real_disk.empty()) ADD_FAILURE_AT(file, info.line()) << real_disk;
    if (!outcome.error.empty()) {
      ::testing::Test::RecordProperty("memfs_snapshot_error", outcome.error);
      // A second failure next to the test's own ones, which stay as they were.
      ADD_FAILURE_AT(file, info.line()) << outcome.error;
    }
  }
};

}  // namespace

void install() {
  static std::once_flag once;
  std::call_once(once, [] {
    ::testing::UnitTest::GetInstance()->listeners().Append(new Listener);
  });
}

bool ensure_registered() {
  install();
  return true;
}

}  // namespace memfs::gtest
