// What fault_rule.hpp and fault_injection.hpp state besides their code
// examples (those run from the headers themselves: tests/readme/
// CMakeLists.txt, "Header examples"): the rule texts the grammar lists, the
// messages they quote, and the shape of describe_log().
#include <cassert>
#include <chrono>
#include <cstdlib>

#include <gtest/gtest.h>

#include "memfs/fault_injection.hpp"
#include "memfs/memory_file_system.hpp"
#include "support/scoped_env.hpp"

namespace memfs {
namespace {

TEST(DocumentedExamples, TheListedRuleTextsParse) {
  for (const char* text : {
           "write /db/*.log nth=3 fail=quota_exceeded",
           "lock /db/LOCK mode=exclusive nth=2 fail=lock_timeout",
           "reads /data/** probability=0.1 seed=42 corrupt",
           "writes /** written_exceeds=1MiB fail=quota_exceeded",
           "read \"/my dir/*.txt\" every=2 short=1",
           "sync /db/MANIFEST-* once delay=30s",
           "open /etc/* always fail=EACCES recover_after=2",
           "sync /db/*.log nth=3 crash",
       }) {
    std::error_code ec;
    std::string message;
    (void)memfs::parse_rule(text, ec, &message);
    EXPECT_FALSE(ec) << text << ": " << message;
  }
}

// The message fault_rule_error is documented with, in full.
constexpr const char* kNhtMessage =
    "column 17: expected a trigger or an action, got 'nht=3' (triggers: "
    "always, once, nth=N, after=N, every=N, probability=P, "
    "file_exceeds=BYTES, written_exceeds=BYTES; actions: fail=CODE, "
    "short=BYTES, delay=DURATION, corrupt, crash; or mode=shared|exclusive)";

// The message() of the fault_rule_error that `parse` throws.
template <class Parse>
std::string rule_error(Parse&& parse) {
  try {
    parse();
  } catch (const memfs::fault_rule_error& e) {
    return e.message();
  }
  return "(no fault_rule_error)";
}

TEST(DocumentedExamples, FaultRuleErrorQuotesTheOffendingClause) {
  EXPECT_EQ(rule_error([] {
              (void)memfs::parse_rule("write /db/*.log nht=3 fail=EIO");
            }),
            kNhtMessage);
  const std::string second = rule_error([] {
    (void)memfs::parse_rules("write /a once fail=EIO; write /b fial=EIO");
  });
  EXPECT_EQ(second.rfind("rule 2, column 10: expected a trigger or an action, "
                         "got 'fial=EIO'",
                         0),
            0u)
      << second;
}

TEST(DocumentedExamples, LoadFromEnvNamesTheVariable) {
  memfs::MemoryFileSystem fs;
  memfs::FaultInjector faults(fs);
  ::setenv("MEMFS_FAULTS", "write /a once fail=EIO; write /b nht=3 fail=EIO",
           1);
  std::string what;
  const std::string message = rule_error([&] {
    try {
      faults.load_from_env();
    } catch (const memfs::fault_rule_error& e) {
      what = e.what();
      EXPECT_EQ(e.operation(), "FaultInjector::load_from_env");
      throw;
    }
  });
  ::unsetenv("MEMFS_FAULTS");
  EXPECT_EQ(message.rfind("MEMFS_FAULTS: rule 2, column 10: expected a trigger "
                          "or an action, got 'nht=3' (triggers: ",
                          0),
            0u)
      << message;
  EXPECT_NE(what.find("MEMFS_FAULTS: rule 2"), std::string::npos) << what;
  EXPECT_TRUE(faults.rules().empty());  // all or nothing
}

TEST(DocumentedExamples, DescribeLogHasTheDocumentedShape) {
  memfs::MemoryFileSystem fs;
  memfs::FaultInjector faults(fs);
  {
    test_support::ScopedEnv rules("MEMFS_FAULTS",
                                  "write /db/*.log nth=1 fail=quota_exceeded");
    faults.load_from_env();
  }
  fs.create_directories("/db");
  EXPECT_THROW(fs.write_file("/db/a.log", "x"), memfs::filesystem_error);
  const std::string report = faults.describe_log();
  EXPECT_EQ(report.rfind("memfs fault log: seed 0, 1 firing\n", 0), 0u)
      << report;
  EXPECT_NE(report.find(
                "armed rules:\n  1: write /db/*.log nth=1 fail=quota_exceeded "
                "(1 matching calls, 1 fired)"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find(
                "firings:\n  #1 write /db/a.log: fail=quota_exceeded (rule 1 "),
            std::string::npos)
      << report;
  EXPECT_NE(
      report.find("\nreproduce with: MEMFS_FAULT_SEED=0 MEMFS_FAULTS='write "
                  "/db/*.log nth=1 fail=quota_exceeded' <test command>\n"),
      std::string::npos)
      << report;
}

}  // namespace
}  // namespace memfs
