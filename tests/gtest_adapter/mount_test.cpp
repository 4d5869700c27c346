// mount_path() seen from outside: a real gtest binary linking
// memfs::intercept (fixtures/mount.cpp) runs as a subprocess; its mounts,
// environment, snapshots and the real disk are checked here.
#include <filesystem>
#include <future>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "fixture_runs.hpp"

namespace memfs::gtest_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

ChildRun run_mount_fixture(const ScratchDir& dir, std::vector<std::string> args,
                           ChildOptions options = {}) {
  return test_support::run_child(dir.path(), MEMFS_GTEST_FIXTURE_MOUNT, args,
                                 options);
}

std::vector<std::string> printed_mounts(const ChildRun& run) {
  return test_support::lines_after(run.out, "mount_path=");
}

bool absent_on_disk(const std::string& path) {
  return test_support::missing_on_disk(path);
}

TEST(GtestMount, UnmodifiedCodeWritesIntoTheTestsFilesystem) {
  ScratchDir dir;
  // The real temp directory the test would have used: it stays empty.
  const auto real_tmp = dir.path() / "real-tmp";
  std::filesystem::create_directory(real_tmp);
  ChildOptions options;
  options.env = {{"TMPDIR", real_tmp.string()}};
  const auto run = run_mount_fixture(
      dir, {"--gtest_filter=Mount.WritesThroughTheMount"}, options);
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_THAT(test_support::folder_names(real_tmp), ::testing::IsEmpty());
  const auto mounts = printed_mounts(run);
  ASSERT_THAT(mounts, SizeIs(1)) << run.out;
  EXPECT_THAT(mounts[0], ::testing::StartsWith("/tmp/memfs-mount-"));
  EXPECT_TRUE(absent_on_disk(mounts[0])) << mounts[0];
  EXPECT_THAT(run.snapshots(), ::testing::IsEmpty());  // it passed
}

TEST(GtestMount, TempVariablesAreRestoredAfterTheTest) {
  ScratchDir dir;
  // Set before and unset before, each way round.
  const std::string tmp = dir.path().string();
  for (const auto& [tmpdir, test_tmpdir] :
       {std::pair<std::string, std::string>{tmp, ""}, {"", "/var/test-tmp"}}) {
    ChildOptions options;
    options.env = {{"TMPDIR", tmpdir}, {"TEST_TMPDIR", test_tmpdir}};
    const auto run =
        run_mount_fixture(dir,
                          {"--gtest_filter=Mount.WritesThroughTheMount:Mount."
                           "ReportsTheEnvironment"},
                          options);
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    EXPECT_THAT(
        run.out,
        HasSubstr("env TMPDIR=" + (tmpdir.empty() ? "(unset)" : tmpdir) +
                  " TEST_TMPDIR=" +
                  (test_tmpdir.empty() ? "(unset)" : test_tmpdir) + "\n"));
  }
}

TEST(GtestMount, AFailingTestsSnapshotHoldsWhatWasWrittenThroughTheMount) {
  ScratchDir dir;
  const auto run = run_mount_fixture(dir, {"--gtest_filter=MountFails.*"});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  const auto mounts = printed_mounts(run);
  ASSERT_THAT(mounts, SizeIs(1));
  ASSERT_THAT(run.snapshots(), SizeIs(1));
  const std::string folder = run.snapshots()[0];
  const auto tree = run.tree(folder);
  EXPECT_EQ(tree.count("/report.txt"), 1u);
  EXPECT_EQ(tree.size(), 2u);  // and the mkstemp file
  if (tree.count("/report.txt") == 1) {
    EXPECT_EQ(tree.at("/report.txt"), "written through the mount");
  }
  EXPECT_EQ(section(run.manifest(folder), "mount_path").text(), mounts[0]);
  EXPECT_TRUE(absent_on_disk(mounts[0]));
}

TEST(GtestMount, AFixtureMountsWithItsOptionsAndFaultsFire) {
  ScratchDir dir;
  const auto run = run_mount_fixture(dir, {"--gtest_filter=MountedSmall.*"});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
}

TEST(GtestMount, RepeatedTestsGetAFreshMountEachTime) {
  ScratchDir dir;
  const auto run = run_mount_fixture(
      dir, {"--gtest_filter=Mount.WritesThroughTheMount", "--gtest_repeat=3"});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  const auto mounts = printed_mounts(run);
  ASSERT_THAT(mounts, SizeIs(3));
  EXPECT_THAT(std::set<std::string>(mounts.begin(), mounts.end()), SizeIs(3));
  for (const auto& m : mounts) EXPECT_TRUE(absent_on_disk(m)) << m;
}

TEST(GtestMount, ParallelBinariesEachHaveTheirOwnMounts) {
  // What `ctest -j` does: several test processes at once.
  ScratchDir a;
  ScratchDir b;
  auto first = std::async(std::launch::async, [&] {
    return run_mount_fixture(
        a, {"--gtest_filter=Mount.*:MountedSmall.*", "--gtest_repeat=5"});
  });
  const auto second = run_mount_fixture(
      b, {"--gtest_filter=Mount.*:MountedSmall.*", "--gtest_repeat=5"});
  const auto one = first.get();
  EXPECT_EQ(one.exit_code, 0) << one.out << one.err;
  EXPECT_EQ(second.exit_code, 0) << second.out << second.err;
  std::set<std::string> all;
  for (const auto& m : printed_mounts(one)) all.insert(m);
  for (const auto& m : printed_mounts(second)) all.insert(m);
  EXPECT_THAT(all, SizeIs(10));
}

TEST(GtestMount, MemfsMountMountsEveryTest) {
  ScratchDir dir;
  ChildOptions on;
  on.env = {{"MEMFS_MOUNT", "1"}};
  const auto run = run_mount_fixture(dir, {"--gtest_filter=EnvMount*"}, on);
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  ASSERT_THAT(printed_mounts(run), SizeIs(1));
  // Without it the temp directory is the real one (here the scratch
  // folder): the test fails.
  ChildOptions off_env;
  off_env.env = {{"TMPDIR", dir.path().string()}};
  const auto off =
      run_mount_fixture(dir, {"--gtest_filter=EnvMount.*"}, off_env);
  EXPECT_EQ(off.exit_code, 1) << off.out << off.err;
}

TEST(GtestMount, WithoutInterceptMemfsMountFailsEachTestSayingWhy) {
  ScratchDir dir;
  ChildOptions on;
  on.env = {{"MEMFS_MOUNT", "1"}};
  // memfs_gtest_fixture does not link memfs::intercept.
  const auto run = run_fixture(dir, {"--gtest_filter=Basic.Passes"}, on);
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("MEMFS_MOUNT=1: memfs: mount_path() needs "
                                 "memfs::intercept"));
}

}  // namespace
}  // namespace memfs::gtest_test
