// Death tests (fast and threadsafe) and a custom main() with install().
#include <string>

#include "fixture_runs.hpp"

namespace memfs::gtest_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

TEST(DeathTests, ChildrenOfBothStylesHaveAWorkingFilesystem) {
  ScratchDir dir;
  const auto run = run_fixture(dir, {"--gtest_filter=*DeathTest.*"});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("[  PASSED  ] 2 tests."));
}

TEST(DeathTests, OnlyTheParentExportsAndItKeepsItsOwnTree) {
  ScratchDir dir;
  ChildOptions options;
  options.env = {{"MEMFS_SNAPSHOT", "always"}};
  const auto run = run_fixture(dir, {"--gtest_filter=*DeathTest.*"}, options);
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  ASSERT_THAT(
      run.snapshots(),
      ElementsAre(
          FolderFor("AccessorDeathTest.ThreadsafeChildHasAFilesystem"),
          FolderFor("FixtureDeathTest.FastChildSeesTheParentsFilesystem")));
  for (const auto& folder : run.snapshots()) {
    EXPECT_THAT(run.tree(folder),
                ElementsAre(std::pair<const std::string, std::string>(
                    "/parent.txt", "parent")))
        << folder;
  }
}

TEST(CustomMain, InstallRegistersTheListener) {
  ScratchDir dir;
  const auto run = run_fixture_main(dir, {});
  EXPECT_EQ(run.exit_code, 1);
  ASSERT_THAT(run.snapshots(), ElementsAre(FolderFor("OwnMain.Fails")));
  EXPECT_THAT(run.err,
              HasSubstr("memfs: snapshot of OwnMain.Fails written to"));
}

TEST(CustomMain, WithoutInstallNothingIsExportedButTheAccessorWorks) {
  ScratchDir dir;
  const auto run = run_fixture_main(dir, {"--no-memfs-install"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.out, HasSubstr("own main failure"));  // got past the accessor
  EXPECT_THAT(run.snapshots(), IsEmpty());
  EXPECT_EQ(run.err, "");
}

}  // namespace
}  // namespace memfs::gtest_test
