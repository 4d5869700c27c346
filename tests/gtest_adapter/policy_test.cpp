// MEMFS_SNAPSHOT, the snapshot root, and failed exports, seen from outside
// a real gtest binary.
#include <filesystem>
#include <fstream>
#include <string>

#include "fixture_runs.hpp"

namespace memfs::gtest_test {
namespace {

using test_support::count;
using test_support::read_host_file;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

TEST(Policy, AlwaysExportsPassingTestsThatUsedMemfs) {
  ScratchDir dir;
  ChildOptions options;
  options.env = {{"MEMFS_SNAPSHOT", "always"}};
  const auto run = run_fixture(
      dir, {"--gtest_filter=Basic.Passes:Plain.FailsWithoutFilesystem"},
      options);
  ASSERT_THAT(run.snapshots(), ElementsAre(FolderFor("Basic.Passes")));
  EXPECT_THAT(run.tree(run.snapshots()[0]),
              ElementsAre(std::pair<const std::string, std::string>("/ok.txt",
                                                                    "fine")));
  EXPECT_EQ(run.err, "memfs: snapshot of Basic.Passes written to " +
                         (run.snapshot_root / run.snapshots()[0]).string() +
                         "\n");
}

TEST(Policy, NeverExportsButStillShowsTheTree) {
  ScratchDir dir;
  ChildOptions options;
  options.env = {{"MEMFS_SNAPSHOT", "never"}};
  const auto run =
      run_fixture(dir, {"--gtest_filter=Basic.FailsWithTree"}, options);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_FALSE(fs::exists(run.snapshot_root));
  EXPECT_THAT(run.err, HasSubstr("(not exported: MEMFS_SNAPSHOT=never)"));
  EXPECT_THAT(run.err, HasSubstr("a.txt  (5 B)"));
}

TEST(Policy, SnapshotsGoToBazelsOutputsOrTheWorkingDirectory) {
  ScratchDir dir;
  ChildOptions bazel;
  bazel.env = {
      {"MEMFS_SNAPSHOT_DIR", ""},
      {"TEST_UNDECLARED_OUTPUTS_DIR", (dir.path() / "bazel").string()}};
  auto run =
      run_fixture(dir, {"--gtest_filter=Plain.FailsWithAccessor"}, bazel);
  EXPECT_THAT(test_support::folder_names(dir.path() / "bazel"),
              ElementsAre(FolderFor("Plain.FailsWithAccessor")));

  ChildOptions neither;
  neither.env = {{"MEMFS_SNAPSHOT_DIR", ""}};
  run = run_fixture(dir, {"--gtest_filter=Plain.FailsWithAccessor"}, neither);
  EXPECT_THAT(test_support::folder_names(dir.path() / "memfs-snapshots"),
              ElementsAre(FolderFor("Plain.FailsWithAccessor")));
}

TEST(Policy, AFailedExportIsAnExtraFailureThatKeepsTheTestsOwn) {
  ScratchDir dir;
  std::ofstream(dir.path() / "blocker") << "a file, not a folder";
  const fs::path xml = dir.path() / "report.xml";
  ChildOptions options;
  options.env = {
      {"MEMFS_SNAPSHOT_DIR", (dir.path() / "blocker/snaps").string()}};
  const auto run = run_fixture(dir,
                               {"--gtest_filter=Basic.FailsWithTree",
                                "--gtest_output=xml:" + xml.string()},
                               options);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.out, HasSubstr("deliberate failure one"));
  EXPECT_THAT(run.out, HasSubstr("deliberate failure two"));
  EXPECT_THAT(run.out, HasSubstr("basic.cpp:18: Failure"));
  EXPECT_THAT(run.out, HasSubstr("memfs: could not export the snapshot of "
                                 "Basic.FailsWithTree to " +
                                 (dir.path() / "blocker/snaps").string()));
  EXPECT_THAT(run.err, HasSubstr("a.txt  (5 B)"));
  const std::string report = read_host_file(xml);
  EXPECT_EQ(count(report, "<failure "), 3u) << report;
  EXPECT_THAT(report, HasSubstr("<property name=\"memfs_snapshot_error\""));
}

TEST(Policy, AFailedExportTurnsAPassingTestRedUnderAlways) {
  ScratchDir dir;
  std::ofstream(dir.path() / "blocker") << "x";
  ChildOptions options;
  options.env = {
      {"MEMFS_SNAPSHOT", "always"},
      {"MEMFS_SNAPSHOT_DIR", (dir.path() / "blocker/snaps").string()}};
  const auto run = run_fixture(dir, {"--gtest_filter=Basic.Passes"}, options);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.out,
              HasSubstr("could not export the snapshot of Basic.Passes"));
}

}  // namespace
}  // namespace memfs::gtest_test
