// The examples written on the public declarations of fault_rule.hpp and
// fault_injection.hpp, compiled and run as they appear there.
#include <gtest/gtest.h>

#include <cassert>
#include <chrono>
#include <cstdlib>

#include "memfs/fault_injection.hpp"
#include "memfs/memory_file_system.hpp"

namespace memfs {
namespace {

TEST(DocumentedExamples, FaultRuleHeader) {
  // "the 3rd write to /db/*.log fails with quota exceeded"
  memfs::FaultRule rule{memfs::Op::write, "/db/*.log",
                        memfs::Trigger::nth(3),
                        memfs::Action::quota_exceeded()};
  EXPECT_EQ(memfs::to_string(rule), "write /db/*.log nth=3 fail=quota_exceeded");
  EXPECT_EQ(memfs::parse_rule(memfs::to_string(rule)), rule);

  memfs::OpSet ops = memfs::Op::write | memfs::Op::truncate;
  EXPECT_TRUE(ops.contains(memfs::Op::write));

  auto lock_rule = memfs::parse_rule("lock /db/LOCK nth=2 fail=lock_timeout");
  EXPECT_EQ(lock_rule.trigger, memfs::Trigger::nth(2));
  auto rules = memfs::parse_rules("write /a once fail=EIO; read /b corrupt");
  EXPECT_EQ(rules.size(), 2u);

  for (const char* text : {
           "write /db/*.log nth=3 fail=quota_exceeded",
           "lock /db/LOCK mode=exclusive nth=2 fail=lock_timeout",
           "reads /data/** probability=0.1 seed=42 corrupt",
           "writes /** written_exceeds=1MiB fail=quota_exceeded",
           "read \"/my dir/*.txt\" every=2 short=1",
           "sync /db/MANIFEST-* once delay=30s",
           "open /etc/* always fail=EACCES recover_after=2",
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
    "short=BYTES, delay=DURATION, corrupt; or mode=shared|exclusive)";

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

TEST(DocumentedExamples, FaultInjectionHeader) {
  auto clock = std::make_shared<memfs::ManualClock>();
  clock->set_auto_advance(true);
  memfs::MemoryOptions options;
  options.clock = clock;
  memfs::MemoryFileSystem fs(options);
  memfs::FaultInjector faults(fs);
  fs.create_directories("/db");

  // the disk is full after 1 MiB more
  faults.disk_full_after(1 << 20);
  // the 3rd write to /db/*.log fails with quota exceeded
  faults.add("write /db/*.log nth=3 fail=quota_exceeded");
  // the 2nd exclusive lock on /db/LOCK times out, without waiting
  faults.add("lock /db/LOCK mode=exclusive nth=2 fail=lock_timeout");
  // real contention: another owner holds /db/LOCK for this scope
  auto hold = faults.hold_lock("/db/LOCK", memfs::LockMode::exclusive);

  EXPECT_EQ(fs.space().available, 1u << 20);
  EXPECT_EQ(faults.rules().size(), 3u);
  EXPECT_TRUE(hold.held());
}

TEST(DocumentedExamples, FaultInjectorMembers) {
  auto clock = std::make_shared<memfs::ManualClock>();
  clock->set_auto_advance(true);
  memfs::MemoryOptions options;
  options.clock = clock;
  memfs::MemoryFileSystem fs(options);
  memfs::FaultInjector faults(fs);
  fs.create_directories("/db");

  faults.add({memfs::Op::write, "/db/*.log", memfs::Trigger::nth(3),
              memfs::Action::quota_exceeded()});
  faults.add("reads /data/** probability=0.1 seed=42 corrupt");
  {
    auto guard = faults.scoped("sync /** always fail=EIO");
    memfs::File f = fs.open("/db/x", "w");
    EXPECT_THROW(f.sync(), memfs::filesystem_error);  // every sync fails
  }                                                   // rule gone
  EXPECT_EQ(faults.rules().size(), 2u);

  ::setenv("MEMFS_FAULTS",
           "write /db/*.log nth=3 fail=quota_exceeded; sync /** once fail=EIO", 1);
  EXPECT_EQ(faults.load_from_env().size(), 2u);
  ::unsetenv("MEMFS_FAULTS");

  faults.disk_full_after(1 << 20);
  EXPECT_EQ(fs.space().available, 1u << 20);  // 1 MiB

  auto hold = faults.hold_lock("/db/LOCK", memfs::LockMode::exclusive);
  auto f = fs.open("/db/LOCK", "r+");
  EXPECT_THROW(f.lock(memfs::LockMode::shared, std::chrono::seconds(30)),
               memfs::lock_timeout_error);  // with auto-advance: at once

  const std::string report = faults.describe_log();
  EXPECT_EQ(report.rfind("memfs fault log: seed 0, 1 firing\n", 0), 0u) << report;
  EXPECT_NE(report.find("reproduce with: MEMFS_FAULT_SEED=0 MEMFS_FAULTS='"),
            std::string::npos);
}

}  // namespace
}  // namespace memfs
