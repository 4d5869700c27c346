// mount_path() seen from outside: a real Catch2 binary linking
// memfs::intercept (fixtures/mount.cpp) runs as a subprocess; its mounts,
// environment, snapshots and the real disk are checked here.
#include <filesystem>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "catch2_adapter/fixture_process.hpp"

namespace memfs::catch2_test {
namespace {

using test_support::lines_after;
using test_support::missing_on_disk;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::testing::StartsWith;

class CatchMount : public ::testing::Test {
 protected:
  FixtureRun run(
      const std::vector<std::string>& args,
      const std::vector<std::pair<std::string, std::string>>& env = {}) {
    return run_fixture(dir_.path(), MEMFS_CATCH2_FIXTURE_MOUNT, args, env);
  }
  ScratchDir dir_;
};

TEST_F(CatchMount, EachRunWritesIntoItsOwnMountedFilesystem) {
  // The real temp directory the runs would have used: it stays empty.
  const auto real_tmp = dir_.path() / "real-tmp";
  std::filesystem::create_directory(real_tmp);
  const FixtureRun r =
      run({"mount: writes through the mount"}, {{"TMPDIR", real_tmp.string()}});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(test_support::folder_names(real_tmp), ::testing::IsEmpty());
  // Two runs (one per leaf section), each with its own mount.
  const auto mounts = lines_after(r.out, "mount_path=");
  ASSERT_THAT(mounts, SizeIs(3)) << r.out;
  EXPECT_THAT(mounts[0], StartsWith("/tmp/memfs-mount-"));
  EXPECT_NE(mounts[0], mounts[1]);
  EXPECT_EQ(mounts[1], mounts[2]);  // the same within a run
  for (const auto& m : mounts) EXPECT_TRUE(missing_on_disk(m)) << m;
}

TEST_F(CatchMount, TempVariablesAreRestoredAfterTheRun) {
  // Set before and unset before, each way round.
  const std::string tmp = dir_.path().string();
  for (const auto& [tmpdir, test_tmpdir] :
       {std::pair<std::string, std::string>{tmp, ""}, {"", "/var/test-tmp"}}) {
    const FixtureRun r =
        run({"mount: writes through the mount,mount: reports the environment"},
            {{"TMPDIR", tmpdir}, {"TEST_TMPDIR", test_tmpdir}});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_THAT(
        r.out,
        HasSubstr("env TMPDIR=" + (tmpdir.empty() ? "(unset)" : tmpdir) +
                  " TEST_TMPDIR=" +
                  (test_tmpdir.empty() ? "(unset)" : test_tmpdir) + "\n"));
  }
}

TEST_F(CatchMount, AFailingRunsSnapshotHoldsWhatWasWrittenThroughTheMount) {
  const FixtureRun r = run({"[mountfail]"});
  EXPECT_NE(r.exit_code, 0);
  const auto mounts = lines_after(r.out, "mount_path=");
  ASSERT_THAT(mounts, SizeIs(1));
  ASSERT_THAT(r.snapshots(), SizeIs(1));
  const std::string folder = r.snapshots()[0];
  const auto tree = r.tree(folder);
  ASSERT_EQ(tree.count("/report.txt"), 1u);
  EXPECT_EQ(tree.at("/report.txt"), "written through the mount");
  EXPECT_EQ(tree.size(), 2u);  // and the mkstemp file
  EXPECT_EQ(r.manifest(folder).find("sections")->find("mount_path")->text(),
            mounts[0]);
  EXPECT_TRUE(missing_on_disk(mounts[0]));
}

TEST_F(CatchMount, AFixtureMountsWithItsOptionsAndFaultsFire) {
  const FixtureRun r = run({"[mountfixture]"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST_F(CatchMount, MemfsMountMountsEveryRun) {
  const FixtureRun on = run({"[envmount]"}, {{"MEMFS_MOUNT", "1"}});
  EXPECT_EQ(on.exit_code, 0) << on.out << on.err;
  EXPECT_THAT(lines_after(on.out, "mount_path="), SizeIs(1));
  // Without it the temp directory is the real one (the scratch folder).
  const FixtureRun off = run({"mount: MEMFS_MOUNT=1 puts temp files in memory"},
                             {{"TMPDIR", dir_.path().string()}});
  EXPECT_NE(off.exit_code, 0) << off.out << off.err;
}

TEST_F(CatchMount, WithoutInterceptMemfsMountFailsEachRunSayingWhy) {
  // memfs_catch2_fixture does not link memfs::intercept.
  const FixtureRun r = run_fixture(dir_.path(), fixture_binary(), {"passes"},
                                   {{"MEMFS_MOUNT", "1"}});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("MEMFS_MOUNT=1: memfs: mount_path() needs "
                               "memfs::intercept"));
}

}  // namespace
}  // namespace memfs::catch2_test
