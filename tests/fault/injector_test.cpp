// FaultInjector bookkeeping: attaching, listing, removing, the log, the seed,
// describe_log() and loading rules from text and from the environment.
#include <cstdlib>
#include <sstream>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "memfs/fault_injection.hpp"
#include "memfs/memory_file_system.hpp"

namespace memfs {
namespace {

static_assert(!std::is_copy_constructible_v<FaultInjector>);
static_assert(!std::is_copy_assignable_v<FaultInjector>);
static_assert(!std::is_copy_constructible_v<ScopedRule>);
static_assert(std::is_nothrow_move_constructible_v<ScopedRule>);
static_assert(!std::is_copy_constructible_v<LockHold>);
static_assert(std::is_nothrow_move_constructible_v<LockHold>);

// Sets an environment variable for one scope.
class EnvVar {
 public:
  EnvVar(const char* name, const char* value) : name_(name) {
    ::setenv(name, value, 1);
  }
  ~EnvVar() { ::unsetenv(name_); }
  EnvVar(const EnvVar&) = delete;
  EnvVar& operator=(const EnvVar&) = delete;

 private:
  const char* name_;
};

TEST(FaultInjector, AttachesForItsLifetime) {
  MemoryFileSystem fs;
  {
    FaultInjector faults(fs);
    EXPECT_EQ(fs.hook(), &faults);
    EXPECT_EQ(&faults.file_system(), &fs);
    try {
      FaultInjector second(fs);
      ADD_FAILURE() << "a second hook was attached";
    } catch (const filesystem_error& e) {
      EXPECT_EQ(e.code(), std::errc::device_or_resource_busy);
    }
    EXPECT_EQ(fs.hook(), &faults);
  }
  EXPECT_EQ(fs.hook(), nullptr);
}

TEST(FaultInjector, IsSkippedByTheFilesystemWhileNothingIsArmed) {
  MemoryFileSystem fs;
  FaultInjector faults(fs);
  EXPECT_EQ(fs.active_hook(), nullptr);  // attached, but costs nothing
  const RuleId id = faults.add("write /a always fail=EIO");
  EXPECT_EQ(fs.active_hook(), &faults);
  const RuleId full = faults.disk_full_after(10);  // a real quota shrink
  faults.remove(id);
  EXPECT_EQ(fs.active_hook(), &faults);  // it logs the shrink's refusals
  EXPECT_EQ(fs.space().available, 10u);
  faults.remove(full);
  EXPECT_EQ(fs.active_hook(), nullptr);
  faults.add("read /a always corrupt");
  faults.clear();
  EXPECT_EQ(fs.active_hook(), nullptr);
  EXPECT_EQ(fs.hook(), &faults);
}

// A quota shrink is refused by the filesystem itself, for every operation
// that takes storage; each refusal is still the rule's firing.
TEST(FaultInjector, EveryRefusalOfAShrunkQuotaIsLoggedAsItsFiring) {
  MemoryFileSystem fs;
  FaultInjector faults(fs);
  fs.write_file("/a", "1234");
  const RuleId full = faults.disk_full_after(0);
  std::error_code ec;
  fs.resize_file("/a", 10, ec);
  EXPECT_EQ(ec, errc::quota_exceeded);
  fs.copy_file("/a", "/c", std::filesystem::copy_options::none, ec);
  EXPECT_EQ(ec, errc::quota_exceeded);
  File f = fs.open("/a", "r+");
  f.truncate(8, ec);
  EXPECT_EQ(ec, errc::quota_exceeded);
  (void)f.pwrite(4, "5", ec);
  EXPECT_EQ(ec, errc::quota_exceeded);
  fs.import_tree({{"/x", "yy"}}, ec);
  EXPECT_EQ(ec, errc::quota_exceeded);

  const auto log = faults.log();
  ASSERT_EQ(log.size(), 5u) << faults.describe_log();
  const std::vector<std::pair<Op, std::string>> expected{{Op::truncate, "/a"},
                                                         {Op::copy, "/a"},
                                                         {Op::truncate, "/a"},
                                                         {Op::write, "/a"},
                                                         {Op::write, "/x"}};
  for (std::size_t i = 0; i < log.size(); ++i) {
    EXPECT_EQ(log[i].op, expected[i].first) << i;
    EXPECT_EQ(log[i].path, expected[i].second) << i;
    EXPECT_EQ(log[i].rule_id, full) << i;
    EXPECT_EQ(log[i].rule, "disk_full_after=0") << i;
    EXPECT_EQ(log[i].action, "fail=quota_exceeded") << i;
    EXPECT_EQ(log[i].call, i + 1) << i;
  }
  EXPECT_EQ(log[1].path2, "/c");
  const auto rules = faults.rules();
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].fired, 5u);
  EXPECT_EQ(
      faults.describe_log().rfind("memfs fault log: seed 0, 5 firings\n", 0),
      0u)
      << faults.describe_log();
}

TEST(FaultInjector, ARefusalTheFullQuotaWouldGiveIsNotTheShrinksFiring) {
  MemoryOptions options;
  options.max_quota = 100;
  MemoryFileSystem fs(options);
  FaultInjector faults(fs);
  faults.disk_full_after(10);
  std::error_code ec;
  fs.write_file("/big", std::string(200, 'b'), ec);  // past 100 anyway
  EXPECT_EQ(ec, errc::quota_exceeded);
  EXPECT_TRUE(faults.log().empty());
  fs.write_file("/mid", std::string(50, 'm'), ec);  // fits 100, not 10
  EXPECT_EQ(ec, errc::quota_exceeded);
  EXPECT_EQ(faults.log().size(), 1u);
}

TEST(FaultInjector, DescribeLogShowsTheFirstHundredFirings) {
  MemoryFileSystem fs;
  FaultInjector faults(fs);
  faults.add("stat /a always fail=EIO");
  std::error_code ec;
  for (int i = 0; i < 150; ++i) (void)fs.exists("/a", ec);
  const std::string text = faults.describe_log();
  EXPECT_NE(text.find("  #100 stat /a"), std::string::npos);
  EXPECT_EQ(text.find("  #101 stat /a"), std::string::npos);
  EXPECT_NE(text.find("  ... 50 more firings (see FaultInjector::log())\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(faults.log().size(), 150u);
}

TEST(FaultInjector, ListsRemovesAndClearsRules) {
  MemoryFileSystem fs;
  FaultInjector faults(fs);
  const RuleId a = faults.add("write /a nth=2 fail=EIO");
  const RuleId b = faults.add(
      {Op::read, "/b", Trigger::always(), Action::short_transfer(1)});
  EXPECT_NE(a, b);
  fs.write_file("/a", "1");
  auto rules = faults.rules();
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].id, a);
  EXPECT_EQ(rules[0].text, "write /a nth=2 fail=EIO");
  EXPECT_EQ(rules[0].rule, parse_rule("write /a nth=2 fail=EIO"));
  EXPECT_EQ(rules[0].matches, 1u);
  EXPECT_EQ(rules[0].fired, 0u);
  EXPECT_EQ(rules[1].text, "read /b always short=1");

  EXPECT_TRUE(faults.remove(a));
  EXPECT_FALSE(faults.remove(a));
  ASSERT_EQ(faults.rules().size(), 1u);
  faults.clear();
  EXPECT_TRUE(faults.rules().empty());
  fs.write_file("/a", "2");  // the nth=2 rule is gone
  EXPECT_TRUE(faults.log().empty());
}

TEST(FaultInjector, LogsEveryFiringWithItsContext) {
  MemoryFileSystem fs;
  FaultInjector faults(fs);
  const RuleId id = faults.add("rename /a* every=2 fail=EACCES");
  fs.write_file("/a1", "x");
  fs.rename("/a1", "/b1");
  std::error_code ec;
  fs.rename("/b1", "/a2", ec);  // matches through the destination
  EXPECT_EQ(ec, std::errc::permission_denied);

  auto log = faults.log();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].sequence, 1u);
  EXPECT_EQ(log[0].op, Op::rename);
  EXPECT_EQ(log[0].path, "/b1");
  EXPECT_EQ(log[0].path2, "/a2");
  EXPECT_EQ(log[0].rule_id, id);
  EXPECT_EQ(log[0].rule, "rename /a* every=2 fail=EACCES");
  EXPECT_EQ(log[0].action, "fail=EACCES");
  EXPECT_EQ(log[0].call, 2u);
  EXPECT_EQ(log[0].thread, std::this_thread::get_id());
  std::ostringstream thread;
  thread << std::this_thread::get_id();
  EXPECT_EQ(to_string(log[0]),
            "#1 rename /b1 -> /a2: fail=EACCES (rule 1 'rename /a* every=2 "
            "fail=EACCES', call 2, thread " +
                thread.str() + ")");
  faults.clear_log();
  EXPECT_TRUE(faults.log().empty());
}

TEST(FaultInjector, DescribesTheLogWithTheSeedAndHowToReproduce) {
  MemoryFileSystem fs;
  FaultInjector faults(fs);
  faults.set_seed(42);
  faults.add("write /db/*.log nth=1 fail=quota_exceeded");
  fs.create_directory("/db");
  std::error_code ec;
  fs.write_file("/db/a.log", "x", ec);
  const std::string text = faults.describe_log();
  EXPECT_EQ(text.rfind("memfs fault log: seed 42, 1 firing\n", 0), 0u) << text;
  EXPECT_NE(text.find("  1: write /db/*.log nth=1 fail=quota_exceeded "
                      "(1 matching calls, 1 fired)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  #1 write /db/a.log: fail=quota_exceeded"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("reproduce with: MEMFS_FAULT_SEED=42 <test command>\n"),
            std::string::npos)
      << text;
}

TEST(FaultInjector, TakesItsSeedFromTheEnvironment) {
  MemoryFileSystem fs;
  {
    EnvVar seed("MEMFS_FAULT_SEED", "0x2a");
    FaultInjector faults(fs);
    EXPECT_EQ(faults.seed(), 42u);
  }
  {
    EnvVar seed("MEMFS_FAULT_SEED", "12345678901234567890");
    FaultInjector faults(fs);
    EXPECT_EQ(faults.seed(), 12345678901234567890ull);
  }
  {
    EnvVar seed("MEMFS_FAULT_SEED", "forty-two");
    EXPECT_THROW(FaultInjector faults(fs), fault_rule_error);
    EXPECT_EQ(fs.hook(), nullptr);
  }
  FaultInjector faults(fs);
  EXPECT_EQ(faults.seed(), 0u);  // unset: the fixed default
}

TEST(FaultInjector, LoadsRulesFromTheEnvironment) {
  MemoryFileSystem fs;
  FaultInjector faults(fs);
  EXPECT_TRUE(faults.load_from_env().empty());  // unset: nothing
  EnvVar rules("MEMFS_FAULTS",
               "write /db/*.log nth=3 fail=quota_exceeded; sync /** once "
               "fail=EIO\ndisk_full_after=64KiB");
  const auto ids = faults.load_from_env();
  ASSERT_EQ(ids.size(), 3u);
  auto listed = faults.rules();
  EXPECT_EQ(listed[0].text, "write /db/*.log nth=3 fail=quota_exceeded");
  EXPECT_EQ(listed[1].text, "sync /** once fail=EIO");
  EXPECT_EQ(listed[2].text, "disk_full_after=64KiB");
  EXPECT_FALSE(listed[2].rule.has_value());  // a real quota shrink
  EXPECT_EQ(fs.space().available, 64u << 10);
  const std::string text = faults.describe_log();
  EXPECT_NE(text.find("reproduce with: MEMFS_FAULT_SEED=0 MEMFS_FAULTS='write "
                      "/db/*.log nth=3 fail=quota_exceeded; sync /** once "
                      "fail=EIO; disk_full_after=64KiB' <test command>"),
            std::string::npos)
      << text;
}

TEST(FaultInjector, LoadIsAllOrNothing) {
  MemoryFileSystem fs;
  FaultInjector faults(fs);
  try {
    faults.load(
        "write /a once fail=EIO\nwrite /b once fail=EIO;\nwrite /c nope");
    ADD_FAILURE() << "no exception";
  } catch (const fault_rule_error& e) {
    EXPECT_EQ(e.message().rfind("rule 3, column 10: expected a trigger", 0), 0u)
        << e.message();
  }
  EXPECT_THROW(faults.load("disk_full_after=lots"), fault_rule_error);
  EXPECT_TRUE(faults.rules().empty());
  EXPECT_EQ(faults.load("write /a once fail=EIO # comment\n").size(), 1u);
}

TEST(FaultInjector, ShellQuotesTheReproduceLine) {
  MemoryFileSystem fs;
  FaultInjector faults(fs);
  EnvVar rules("MEMFS_FAULTS", "open \"/it's here\" always fail=EIO");
  faults.load_from_env();
  EXPECT_NE(faults.describe_log().find(
                "MEMFS_FAULTS='open \"/it'\\''s here\" always fail=EIO'"),
            std::string::npos)
      << faults.describe_log();
}

TEST(FaultInjector, ScopedRuleGuardsMoveAndReset) {
  MemoryFileSystem fs;
  FaultInjector faults(fs);
  ScopedRule outer;
  {
    ScopedRule inner = faults.scoped("stat /a always fail=EIO");
    outer = std::move(inner);
  }
  EXPECT_EQ(faults.rules().size(), 1u);
  EXPECT_EQ(outer.id(), faults.rules()[0].id);
  outer.reset();
  outer.reset();
  EXPECT_TRUE(faults.rules().empty());
}

}  // namespace
}  // namespace memfs
