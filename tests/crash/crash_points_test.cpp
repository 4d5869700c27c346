// check_crash_points: every crash point checked, a planted bug found at its
// point, deterministic reports.
#include <string>

#include <gtest/gtest.h>

#include "memfs/crash.hpp"
#include "memfs/memory_file_system.hpp"
#include "support/tracked_options.hpp"

namespace {

using memfs::test_support::tracked;

// Saves settings: the naive way (temp + rename, no sync) or the right one.
void save(memfs::FileSystem& fs, const std::string& value, bool correct) {
  {
    auto f = fs.open("/settings.tmp", "w");
    EXPECT_EQ(f.write(value), value.size());
    if (correct) f.sync();
  }
  fs.rename("/settings.tmp", "/settings");
  if (correct) fs.sync_directory("/");
}

// Recovery: the settings are the old or the new value, never lost or empty.
std::string settings_intact(memfs::MemoryFileSystem& crashed) {
  if (!crashed.exists("/settings")) return "settings lost";
  const std::string v = crashed.read_file("/settings");
  if (v != "old" && v != "new") return "settings are \"" + v + "\"";
  return "";
}

class CrashPoints : public ::testing::Test {
 protected:
  CrashPoints() {
    fs.write_file("/settings", "old");
    fs.sync_all();
  }
  memfs::MemoryFileSystem fs{tracked()};
};

TEST_F(CrashPoints, FindTheNaiveSaveEmptyingTheSettings) {
  const auto report = memfs::check_crash_points(
      fs, [](memfs::FileSystem& f) { save(f, "new", false); }, settings_intact);
  ASSERT_FALSE(report.passed());
  ASSERT_EQ(report.log.size(), 3u);
  EXPECT_EQ(report.log[0], "open /settings.tmp (w)");
  EXPECT_EQ(report.log[1], "write /settings.tmp @0+3");
  EXPECT_EQ(report.log[2], "rename /settings.tmp -> /settings");
  EXPECT_EQ(report.points_checked, 4u);
  EXPECT_EQ(report.states_checked, 8u);
  const memfs::CrashPointFailure& first = report.failures.front();
  EXPECT_EQ(first.point, 3u);  // after the rename...
  EXPECT_EQ(first.state, 1u);  // ...kept by the journal, the data not
  EXPECT_EQ(first.message, "settings are \"\"");
  ASSERT_NE(report.first_failure_tree, nullptr);
  EXPECT_EQ(report.first_failure_tree->read_file("/settings"), "");
  EXPECT_EQ(report.describe(),
            "crash point 3 of 3 (state 1, seed 3) failed: settings are \"\"\n"
            "operations up to the crash:\n"
            "  1 open /settings.tmp (w)\n"
            "  2 write /settings.tmp @0+3\n"
            "  3 rename /settings.tmp -> /settings\n"
            "--- crash ---\n"
            "1 of 8 crash states failed\n");
}

TEST_F(CrashPoints, TheCorrectSavePassesEveryPoint) {
  const auto report = memfs::check_crash_points(
      fs, [](memfs::FileSystem& f) { save(f, "new", true); }, settings_intact);
  EXPECT_TRUE(report.passed()) << report.describe();
  EXPECT_EQ(report.log.size(), 5u);
  EXPECT_EQ(report.points_checked, 6u);
  EXPECT_EQ(report.states_checked, 12u);
}

TEST_F(CrashPoints, OnlySyncsAndMaxPointsBoundTheWork) {
  memfs::CrashPointOptions o;
  o.only_syncs = true;
  auto report = memfs::check_crash_points(
      fs, [](memfs::FileSystem& f) { save(f, "new", true); }, settings_intact,
      o);
  EXPECT_EQ(report.points_checked, 3u);  // start, after each of the 2 syncs
  o.only_syncs = false;
  o.max_points = 2;
  report = memfs::check_crash_points(
      fs, [](memfs::FileSystem& f) { save(f, "x", true); }, settings_intact, o);
  EXPECT_EQ(report.points_checked, 2u);
}

TEST_F(CrashPoints, AThrowingCheckIsAFailureAndTheHookIsRestored) {
  const auto report = memfs::check_crash_points(
      fs, [](memfs::FileSystem& f) { f.write_file("/x", "1"); },
      [](memfs::MemoryFileSystem& c) -> std::string {
        (void)c.read_file("/x");  // missing at point 0
        return "";
      });
  ASSERT_FALSE(report.passed());
  EXPECT_EQ(report.failures.front().point, 0u);
  EXPECT_NE(report.failures.front().message.find("threw: "), std::string::npos);
  EXPECT_EQ(fs.hook(), nullptr);
}

TEST_F(CrashPoints, TheSameWorkloadGivesTheSameReport) {
  memfs::CrashPointOptions o;
  memfs::CrashOptions per_block;
  per_block.unsynced_data = memfs::UnsyncedData::keep_per_block;
  per_block.keep_unsynced_entries = true;
  per_block.seed = 42;
  o.states = {per_block, per_block};
  auto run = [&] {
    memfs::MemoryFileSystem f(tracked());
    return memfs::check_crash_points(
        f,
        [](memfs::FileSystem& w) {
          auto h = w.open("/log", "w");
          for (int i = 0; i < 20; ++i)
            EXPECT_EQ(h.write(std::string(3000, char('a' + i))), 3000u);
        },
        [](memfs::MemoryFileSystem& c) {
          return c.exists("/log") ? std::to_string(c.read_file("/log").size())
                                  : "";
        },
        o);
  };
  const auto a = run();
  const auto b = run();
  ASSERT_EQ(a.failures.size(), b.failures.size());
  for (std::size_t i = 0; i < a.failures.size(); ++i) {
    EXPECT_EQ(a.failures[i].message, b.failures[i].message);
    EXPECT_EQ(a.failures[i].seed, b.failures[i].seed);
  }
  EXPECT_EQ(a.describe(), b.describe());
}

TEST(CrashPointsUntracked, AreRefused) {
  memfs::MemoryFileSystem fs;
  EXPECT_THROW((void)memfs::check_crash_points(
                   fs, [](memfs::FileSystem&) {},
                   [](memfs::MemoryFileSystem&) { return std::string(); }),
               memfs::filesystem_error);
}

}  // namespace
