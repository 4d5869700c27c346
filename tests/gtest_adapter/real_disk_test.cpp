// MEMFS_REAL_DISK seen from outside a real gtest binary that links
// memfs::intercept (fixtures/real_disk.cpp), and from one that does not.
#include <string>

#include "fixture_runs.hpp"

namespace memfs::gtest_test {
namespace {

using ::testing::ContainsRegex;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

ChildRun run_real_disk(
    const ScratchDir& dir, const std::string& filter,
    std::vector<std::pair<std::string, std::string>> env = {}) {
  ChildOptions options;
  options.env = std::move(env);
  return test_support::run_child(dir.path(), MEMFS_GTEST_FIXTURE_REAL_DISK,
                                 {"--gtest_filter=" + filter}, options);
}

// The lines the report gives for RealDisk.WritesToWorkingDirectory in `dir`.
std::string written_lines(const ScratchDir& dir) {
  const std::string d = dir.path().string();
  return "\n  fopen(64)? " + d + "/touched.txt \\(thread [0-9]+ \"[^\"]+\"\\)" +
         "\n  mkdir " + d + "/made-by-thread \\(thread [0-9]+ \"rd-writer\"\\)";
}

TEST(RealDisk, ReportModePrintsEachAccessWithItsThreadAfterTheTest) {
  ScratchDir dir;
  const auto run = run_real_disk(dir, "RealDisk.WritesToWorkingDirectory");
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_THAT(run.err,
              ContainsRegex("^memfs: RealDisk.WritesToWorkingDirectory touched "
                            "the real disk outside its mounts "
                            "\\(MEMFS_REAL_DISK=report; allow a folder with "
                            "allow_real_disk\\(\\)\\):" +
                            written_lines(dir) + "\n$"));
  EXPECT_THAT(run.snapshots(), IsEmpty());
}

TEST(RealDisk, FailModeFailsTheTestWithTheList) {
  ScratchDir dir;
  const auto run = run_real_disk(dir, "RealDisk.WritesToWorkingDirectory",
                                 {{"MEMFS_REAL_DISK", "fail"}});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_THAT(run.out, ContainsRegex("MEMFS_REAL_DISK=fail; allow a folder "
                                     "with allow_real_disk\\(\\)\\):" +
                                     written_lines(dir)));
  EXPECT_THAT(run.out,
              HasSubstr("[  FAILED  ] RealDisk.WritesToWorkingDirectory"));
  EXPECT_THAT(run.err, Not(HasSubstr("touched the real disk")));  // said once
}

TEST(RealDisk, AllowModeRecordsNothing) {
  ScratchDir dir;
  const auto run = run_real_disk(dir, "RealDisk.WritesToWorkingDirectory",
                                 {{"MEMFS_REAL_DISK", "allow"}});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(run.err, "");
}

TEST(RealDisk, MountsAndSystemFoldersAreNotAccessesOfTheRealDisk) {
  ScratchDir dir;
  const auto run = run_real_disk(dir, "RealDisk.OnlyMountAndSystemFolders",
                                 {{"MEMFS_REAL_DISK", "fail"}});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(run.err, "");
}

TEST(RealDisk, AFolderAllowedByATestIsAllowedForThatTestOnly) {
  ScratchDir dir;
  // AllowedFolder runs first (definition order), then the same writes fail.
  const auto run = run_real_disk(
      dir, "RealDisk.AllowedFolder:RealDisk.WritesToWorkingDirectory",
      {{"MEMFS_REAL_DISK", "fail"}});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.out, HasSubstr("[       OK ] RealDisk.AllowedFolder"));
  EXPECT_THAT(run.out,
              HasSubstr("[  FAILED  ] RealDisk.WritesToWorkingDirectory"));
}

TEST(RealDisk, MemfsRealDiskAllowAllowsFoldersForTheWholeBinary) {
  ScratchDir dir;
  const auto run = run_real_disk(
      dir, "RealDisk.WritesToWorkingDirectory",
      {{"MEMFS_REAL_DISK", "fail"},
       {"MEMFS_REAL_DISK_ALLOW", "/nowhere:" + dir.path().string()}});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
}

TEST(RealDisk, TheFailingTestsSnapshotListsTheAccesses) {
  ScratchDir dir;
  const auto run = run_real_disk(dir, "RealDisk.FailsAfterTouching");
  EXPECT_EQ(run.exit_code, 1);
  ASSERT_THAT(run.snapshots(),
              ElementsAre(FolderFor("RealDisk.FailsAfterTouching")));
  const JsonValue accesses =
      section(run.manifest(run.snapshots()[0]), "real_disk_accesses");
  ASSERT_EQ(accesses.size(), 1u) << accesses.dump();
  const JsonValue& access = accesses.items()[0];
  EXPECT_EQ(text_of(access, "op"), "stat");
  EXPECT_EQ(text_of(access, "path"),
            (dir.path() / "touched-before-failing.txt").string());
  EXPECT_THAT(text_of(access, "thread"),
              ContainsRegex("^[0-9]+ \"memfs_gtest_fix\"$"));
  EXPECT_THAT(run.err,
              HasSubstr("stat " +
                        (dir.path() / "touched-before-failing.txt").string()));
}

TEST(RealDisk, WithoutInterceptionTheAdapterRecordsNothingAndStillWorks) {
  ScratchDir dir;
  ChildOptions options;
  options.env = {{"MEMFS_REAL_DISK", "fail"}};
  const auto run = run_fixture(dir, {"--gtest_filter=Basic.Passes"}, options);
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(run.err, "");
}

}  // namespace
}  // namespace memfs::gtest_test
