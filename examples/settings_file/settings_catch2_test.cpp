// The settings file under Catch2: the naive save is caught emptying the
// settings at one crash point, the correct save passes every point.
#if __has_include(<catch2/catch_version_macros.hpp>)
#include <catch2/catch_test_macros.hpp>
#else
#include <catch2/catch.hpp>
#endif

#include <string>

#include "settings.hpp"
#include "settings_crash.hpp"
#include <memfs/catch2.hpp>

TEST_CASE("the naive settings save is caught emptying the settings",
          "[settings][crash]") {
  example::SettingsCrashCheck settings(example::save_settings_naive);
  const memfs::CrashPointReport report = memfs::check_crash_points(
      [&](memfs::FileSystem& fs) { settings(fs); },
      [&](memfs::MemoryFileSystem& crashed) { return settings.check(crashed); },
      {}, {});
  REQUIRE_FALSE(report.passed());
  const memfs::CrashPointFailure& first = report.failures.front();
  CHECK(report.log.at(first.point - 1) == "rename /settings.tmp -> /settings");
  CHECK(first.state == 1u);
  CHECK(first.message == "settings are \"\"");
}

TEST_CASE("the correct settings save passes every crash point",
          "[settings][crash]") {
  example::SettingsCrashCheck settings(example::save_settings);
  const memfs::CrashPointReport report = memfs::catch2::for_each_crash_point(
      [&](memfs::FileSystem& fs) { settings(fs); },
      [&](memfs::MemoryFileSystem& crashed) {
        return settings.check(crashed);
      });
  CHECK(report.passed());
  CHECK(report.points_checked > 10u);
}
