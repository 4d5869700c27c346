// The settings file under GoogleTest: the naive save is caught emptying the
// settings at one crash point, the correct save passes every point.
#include <string>

#include <gtest/gtest-spi.h>

#include "settings.hpp"
#include "settings_crash.hpp"
#include <memfs/gtest.hpp>

namespace {

memfs::CrashPointReport check(example::SettingsCrashCheck::Save save) {
  example::SettingsCrashCheck settings(save);
  return memfs::check_crash_points(
      [&](memfs::FileSystem& fs) { settings(fs); },
      [&](memfs::MemoryFileSystem& crashed) { return settings.check(crashed); },
      {}, {});
}

TEST(SettingsCrash, TheNaiveSaveIsCaughtEmptyingTheSettings) {
  const memfs::CrashPointReport report = check(example::save_settings_naive);
  ASSERT_FALSE(report.passed());
  const memfs::CrashPointFailure& first = report.failures.front();
  EXPECT_EQ(report.log.at(first.point - 1),
            "rename /settings.tmp -> /settings");
  EXPECT_EQ(first.state, 1u);  // the rename reached the disk, the data did not
  EXPECT_EQ(first.message, "settings are \"\"");
  EXPECT_EQ(report.first_failure_tree->read_file("/settings"), "");
}

TEST(SettingsCrash, TheCorrectSavePassesEveryCrashPoint) {
  example::SettingsCrashCheck settings(example::save_settings);
  const memfs::CrashPointReport report = memfs::gtest::for_each_crash_point(
      [&](memfs::FileSystem& fs) { settings(fs); },
      [&](memfs::MemoryFileSystem& crashed) {
        return settings.check(crashed);
      });
  EXPECT_TRUE(report.passed());
  EXPECT_GT(report.points_checked, 10u);
}

// What a failing crash point looks like in a test: one failure per failing
// state, the first with the whole report.
void naive_save_through_the_adapter() {
  example::SettingsCrashCheck settings(example::save_settings_naive);
  (void)memfs::gtest::for_each_crash_point(
      [&](memfs::FileSystem& fs) { settings(fs); },
      [&](memfs::MemoryFileSystem& crashed) {
        return settings.check(crashed);
      });
}

TEST(SettingsCrash, TheAdapterReportsEachFailingPointAndExportsTheCrashedTree) {
  EXPECT_NONFATAL_FAILURE(
      naive_save_through_the_adapter(),
      "failed: settings are \"\"\noperations up to the crash:\n");
  // The test's filesystem is the first failing crashed tree (the snapshot).
  EXPECT_EQ(memfs::gtest::fs().read_file("/settings"), "");
}

}  // namespace
