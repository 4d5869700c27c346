// Golden trees in the Catch2 adapter, seen from outside a real Catch2
// binary (fixtures/golden.cpp): every run of a section gets its own clone of
// a tree built once, and a failing run's snapshot names the tree and what
// differs from it.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "catch2_adapter/fixture_process.hpp"

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

std::string text_of(const JsonValue& object, const char* key) {
  const JsonValue* v = object.find(key);
  return v != nullptr ? v->text() : std::string();
}

std::vector<std::string> differences_of(const JsonValue& golden) {
  std::vector<std::string> out;
  if (const JsonValue* list = golden.find("differences")) {
    for (const auto& d : list->items()) {
      out.push_back(text_of(d, "kind") + " " + text_of(d, "path"));
    }
  }
  return out;
}

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
  EXPECT_EQ(text_of(golden, "name"), "shop");
  EXPECT_EQ(text_of(golden, "source"), "function");
  EXPECT_THAT(differences_of(golden),
              ElementsAre("unexpected /added.txt", "different /db/items.csv",
                          "missing /db/prices.csv"));
  EXPECT_THAT(
      r.err,
      HasSubstr("memfs: started from golden tree 'shop' (function); 3 paths "
                "differ from it:\n"));
}

TEST(CatchGolden, TheFreeFunctionStartsFromAFolderOnDisk) {
  ScratchDir dir;
  const FixtureRun r =
      run_fixture(dir.path(), fixture_binary(), {"golden free function fails"});
  EXPECT_NE(r.exit_code, 0);
  ASSERT_THAT(r.snapshots(), SizeIs(1));
  const JsonValue golden = golden_of(r);
  EXPECT_EQ(text_of(golden, "name"), "disk-seed");
  EXPECT_THAT(text_of(golden, "source"), HasSubstr("tests/data/golden"));
  EXPECT_THAT(differences_of(golden), ElementsAre("different /config/app.ini"));
  EXPECT_EQ(r.tree(r.snapshots()[0]).at("/items.csv"), "id,name\n1,apple\n");
}

}  // namespace
}  // namespace memfs::catch2_test
