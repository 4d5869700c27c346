// Golden trees in the GoogleTest adapter, seen from outside a real gtest
// binary (fixtures/golden.cpp): each test gets a clone, the tree is built
// once, and a failing test's snapshot names the tree and what differs.
#include <string>
#include <vector>

#include "fixture_runs.hpp"
#include "support/golden_checks.hpp"

namespace memfs::gtest_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

using test_support::expect_shop_changes;
using test_support::golden_differences_of;

TEST(Golden, EachTestStartsFromAFreshCloneOfATreeBuiltOnce) {
  ScratchDir dir;
  const auto run = run_fixture(
      dir,
      {"--gtest_filter=GoldenShop.StartsFromTheTreeAndChangesIt:GoldenShop."
       "SeesNothingAnotherTestChanged:GoldenFree."
       "ChoosingItAfterFirstUseIsALogicError"});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_TRUE(run.snapshots().empty());
}

TEST(Golden, AFailingFixtureTestNamesItsTreeAndThePathsThatDiffer) {
  ScratchDir dir;
  const auto run =
      run_fixture(dir, {"--gtest_filter=GoldenShop.FailsAfterChanges"});
  EXPECT_EQ(run.exit_code, 1);
  ASSERT_THAT(run.snapshots(),
              ElementsAre(FolderFor("GoldenShop.FailsAfterChanges")));
  const JsonValue golden = section(run.manifest(run.snapshots()[0]), "golden");
  expect_shop_changes(golden, run.err);
  EXPECT_THAT(
      run.tree(run.snapshots()[0]),
      ElementsAre(std::pair<const std::string, std::string>("/added.txt", "a"),
                  std::pair<const std::string, std::string>("/db/items.csv",
                                                            "2,pear\n")));
}

TEST(Golden, TheFreeFunctionStartsFromAFolderOnDisk) {
  ScratchDir dir;
  const auto run =
      run_fixture(dir, {"--gtest_filter=GoldenFree.FailsFromTheDiskTree"});
  EXPECT_EQ(run.exit_code, 1);
  ASSERT_EQ(run.snapshots().size(), 1u);
  const JsonValue golden = section(run.manifest(run.snapshots()[0]), "golden");
  EXPECT_EQ(text_of(golden, "name"), "disk-seed");
  EXPECT_THAT(text_of(golden, "source"), HasSubstr("disk folder /"));
  EXPECT_THAT(text_of(golden, "source"), HasSubstr("tests/data/golden"));
  EXPECT_THAT(golden_differences_of(golden),
              ElementsAre("different /config/app.ini"));
  EXPECT_EQ(run.tree(run.snapshots()[0]).at("/items.csv"),
            "id,name\n1,apple\n");
}

}  // namespace
}  // namespace memfs::gtest_test
