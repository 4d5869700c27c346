// Snapshot names and freshness for parameterized and typed tests,
// --gtest_repeat, shuffling and sharding.
#include <set>
#include <string>

#include "fixture_runs.hpp"

namespace memfs::gtest_test {
namespace {

using test_support::count;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

TEST(Names, AParameterizedTestIsNamedAfterItsGtestName) {
  ScratchDir dir;
  const auto run = run_fixture(dir, {"--gtest_filter=Inst/Param.*"});
  EXPECT_EQ(run.exit_code, 1);
  ASSERT_THAT(run.snapshots(),
              ElementsAre(FolderFor("Inst_Param.FailsForTheOddOne_1")));
  const JsonValue test = section(run.manifest(run.snapshots()[0]), "test");
  EXPECT_EQ(text_of(test, "name"), "Inst/Param.FailsForTheOddOne/1");
  EXPECT_EQ(text_of(test, "parameter"), "\"b/\\\"q\\\" [x]\"");
  EXPECT_THAT(run.tree(run.snapshots()[0]),
              ElementsAre(std::pair<const std::string, std::string>(
                  "/param.txt", "b/\"q\" [x]")));
}

TEST(Names, ATypedTestRecordsItsType) {
  ScratchDir dir;
  const auto run = run_fixture(dir, {"--gtest_filter=Typed/*"});
  EXPECT_EQ(run.exit_code, 1);
  ASSERT_THAT(run.snapshots(),
              ElementsAre(FolderFor("Typed_1.FailsForString")));
  const JsonValue test = section(run.manifest(run.snapshots()[0]), "test");
  EXPECT_EQ(text_of(test, "name"), "Typed/1.FailsForString");
  EXPECT_THAT(text_of(test, "parameter"), HasSubstr("basic_string<char"));
}

TEST(Names, EveryRepetitionStartsFreshAndGetsItsOwnFolder) {
  ScratchDir dir;
  const auto run =
      run_fixture(dir, {"--gtest_filter=Repeat.*", "--gtest_repeat=2"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.out, Not(HasSubstr("not fresh")));
  EXPECT_EQ(count(run.out, "[       OK ] Repeat.StartsEmptyAndPasses"), 2u);
  ASSERT_THAT(run.snapshots(),
              ElementsAre(FolderFor("Repeat.StartsEmptyAndFails", "-repeat1"),
                          FolderFor("Repeat.StartsEmptyAndFails", "-repeat2")));
  for (const auto& folder : run.snapshots()) {
    const JsonValue manifest = run.manifest(folder);
    EXPECT_THAT(strings_of(section(manifest, "failures")),
                ElementsAre(HasSubstr("repeat failure")))
        << folder;
    EXPECT_EQ(text_of(section(manifest, "test"), "run"),
              folder.substr(folder.size() - 7));
  }
}

TEST(Names, ShufflingKeepsEveryRunFresh) {
  ScratchDir dir;
  const auto run =
      run_fixture(dir, {"--gtest_filter=Repeat.*:Shard.*", "--gtest_shuffle",
                        "--gtest_random_seed=7", "--gtest_repeat=2"});
  EXPECT_THAT(run.out, Not(HasSubstr("not fresh")));
  EXPECT_THAT(run.snapshots(), SizeIs(10));
}

TEST(Names, EachShardNamesItsFoldersAndTogetherTheyCoverEveryTest) {
  std::multiset<std::string> tests;
  for (int shard = 0; shard < 2; ++shard) {
    ScratchDir dir;
    ChildOptions options;
    options.env = {{"GTEST_TOTAL_SHARDS", "2"},
                   {"GTEST_SHARD_INDEX", std::to_string(shard)}};
    const auto run = run_fixture(dir, {"--gtest_filter=Shard.*"}, options);
    EXPECT_EQ(run.exit_code, 1);
    const std::string suffix = "-shard" + std::to_string(shard) + "of2";
    ASSERT_THAT(run.snapshots(), Not(IsEmpty()));
    for (const auto& folder : run.snapshots()) {
      EXPECT_THAT(folder, ::testing::EndsWith(suffix));
      tests.insert(text_of(section(run.manifest(folder), "test"), "name"));
    }
  }
  EXPECT_THAT(tests, ElementsAre("Shard.Four", "Shard.One", "Shard.Three",
                                 "Shard.Two"));
}

}  // namespace
}  // namespace memfs::gtest_test
