// Golden trees in the Catch2 adapter, seen from outside a real Catch2
// binary (fixtures/golden.cpp): every run of a section gets its own clone of
// a tree built once, and a failing run's snapshot names the tree and what
// differs from it.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "catch2_adapter/fixture_process.hpp"
#include "support/golden_checks.hpp"

namespace memfs::catch2_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

// The "golden" section of the only snapshot of `r`.
JsonValue golden_of(const FixtureRun& r) {
  const JsonValue manifest = r.manifest(r.snapshots().at(0));
  const JsonValue* sections = manifest.find("sections");
  const JsonValue* golden =
      sections != nullptr ? sections->find("golden") : nullptr;
  return golden != nullptr ? *golden : JsonValue();
}

using test_support::expect_shop_changes;
using test_support::golden_differences_of;
using test_support::golden_text;

TEST(CatchGolden, EverySectionRunStartsFromAFreshCloneOfATreeBuiltOnce) {
  ScratchDir dir;
  const FixtureRun r =
      run_fixture(dir.path(), fixture_binary(), {"golden fixture sections"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.snapshots(), IsEmpty());
}

TEST(CatchGolden, AFailingFixtureRunNamesItsTreeAndThePathsThatDiffer) {
  ScratchDir dir;
  const FixtureRun r =
      run_fixture(dir.path(), fixture_binary(), {"golden fixture fails"});
  EXPECT_NE(r.exit_code, 0);
  ASSERT_THAT(r.snapshots(), SizeIs(1));
  const JsonValue golden = golden_of(r);
  expect_shop_changes(golden, r.err);
}

TEST(CatchGolden, TheFreeFunctionStartsFromAFolderOnDisk) {
  ScratchDir dir;
  const FixtureRun r =
      run_fixture(dir.path(), fixture_binary(), {"golden free function fails"});
  EXPECT_NE(r.exit_code, 0);
  ASSERT_THAT(r.snapshots(), SizeIs(1));
  const JsonValue golden = golden_of(r);
  EXPECT_EQ(golden_text(golden, "name"), "disk-seed");
  EXPECT_THAT(golden_text(golden, "source"), HasSubstr("tests/data/golden"));
  EXPECT_THAT(golden_differences_of(golden),
              ElementsAre("different /config/app.ini"));
  EXPECT_EQ(r.tree(r.snapshots()[0]).at("/items.csv"), "id,name\n1,apple\n");
}

}  // namespace
}  // namespace memfs::catch2_test
