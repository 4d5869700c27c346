// The real-disk report's wording and manifest section, MEMFS_REAL_DISK, and
// what a TestSession does when memfs::intercept is not linked (this binary
// does not link it).
#include "memfs/real_disk.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "memfs/test_session.hpp"
#include "support/real_disk_samples.hpp"
#include "support/scoped_env.hpp"

namespace memfs {
namespace {

using test_support::sample_real_disk_accesses;

TEST(RealDiskModes, ParseTheThreeNamesAndNothingElse) {
  RealDiskMode mode = RealDiskMode::report;
  EXPECT_TRUE(parse_real_disk_mode("allow", mode));
  EXPECT_EQ(mode, RealDiskMode::allow);
  EXPECT_TRUE(parse_real_disk_mode("fail", mode));
  EXPECT_EQ(mode, RealDiskMode::fail);
  EXPECT_TRUE(parse_real_disk_mode("report", mode));
  EXPECT_EQ(mode, RealDiskMode::report);
  EXPECT_FALSE(parse_real_disk_mode("Fail", mode));
  EXPECT_FALSE(parse_real_disk_mode("", mode));
  EXPECT_EQ(mode, RealDiskMode::report);
}

TEST(RealDiskModes, TheEnvironmentDefaultsToReport) {
  {
    test_support::ScopedEnv env("MEMFS_REAL_DISK", nullptr);
    EXPECT_EQ(real_disk_mode_from_env(), RealDiskMode::report);
  }
  {
    test_support::ScopedEnv env("MEMFS_REAL_DISK", "fail");
    EXPECT_EQ(real_disk_mode_from_env(), RealDiskMode::fail);
  }
  {
    test_support::ScopedEnv env("MEMFS_REAL_DISK", "sometimes");
    EXPECT_EQ(real_disk_mode_from_env(), RealDiskMode::report);
  }
}

TEST(RealDiskReport, NamesTheTestTheModeAndEachAccessWithItsThread) {
  EXPECT_EQ(
      describe_real_disk_accesses(sample_real_disk_accesses(), "Suite.Test",
                                  RealDiskMode::report),
      "memfs: Suite.Test touched the real disk outside its mounts "
      "(MEMFS_REAL_DISK=report; allow a folder with allow_real_disk()):\n"
      "  open /tmp/<b>cache</b>/a.txt (thread 4121 \"worker\")\n"
      "  stat /home/me/.config/app (thread 4120 \"suite_test\", 3 times)");
  EXPECT_EQ(describe_real_disk_accesses({}, "Suite.Test", RealDiskMode::fail),
            "");
}

TEST(RealDiskReport, TheManifestSectionHasWhatTheSnapshotPageShows) {
  const JsonValue section = real_disk_section(sample_real_disk_accesses());
  EXPECT_EQ(section.dump(0),
            "[{\"op\":\"open\",\"path\":\"/tmp/<b>cache</b>/a.txt\",\"thread\":"
            "\"4121 \\\"worker\\\"\",\"thread_id\":4121,\"thread_name\":"
            "\"worker\",\"count\":1},{\"op\":\"stat\",\"path\":"
            "\"/home/me/.config/app\",\"thread\":\"4120 \\\"suite_test\\\"\","
            "\"thread_id\":4120,\"thread_name\":\"suite_test\",\"count\":3}]");
}

TEST(RealDiskSession, WithoutInterceptionNothingIsRecordedOrReported) {
  test_support::ScopedEnv env("MEMFS_REAL_DISK", "fail");
  EXPECT_FALSE(real_disk_recording_available());
  allow_real_disk_for_test("/anywhere");  // a no-op, not a crash
  TestIdentity id;
  id.full_name = "Suite.Test";
  TestSession session(std::move(id));
  session.start_real_disk_recording();
  EXPECT_EQ(session.stop_real_disk_recording(), "");
  EXPECT_TRUE(session.real_disk_accesses().empty());
  EXPECT_EQ(session.finish(true).report, "");
}

}  // namespace
}  // namespace memfs
