// diff_tree() and the texts that explain a mismatch (shared by both
// adapters' matchers).
#include "memfs/tree_diff.hpp"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "memfs/fault_injection.hpp"
#include "memfs/memory_file_system.hpp"
#include "memfs/snapshot.hpp"
#include "support/approved.hpp"

namespace {

using memfs::TreeDifference;
using Kind = memfs::TreeDifference::Kind;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;

auto is(Kind kind, std::string path, bool directory = false) {
  return ::testing::AllOf(Field(&TreeDifference::kind, kind),
                          Field(&TreeDifference::path, std::move(path)),
                          Field(&TreeDifference::directory, directory));
}

class TreeDiff : public ::testing::Test {
 protected:
  TreeDiff() {
    fs_.create_directories("/logs");
    fs_.create_directories("/empty");
    fs_.write_file("/config.ini", "port=8080\n");
    fs_.write_file("/logs/app.log", "started\n");
    fs_.write_file("/logs/app.log.1", "old");
  }
  memfs::MemoryFileSystem fs_;
};

TEST_F(TreeDiff, AnEqualTreeHasNoDifferences) {
  EXPECT_THAT(memfs::diff_tree(fs_, {{"/config.ini", "port=8080\n"},
                                     {"/logs/app.log", "started\n"},
                                     {"/logs/app.log.1", "old"},
                                     {"/empty/", ""}}),
              IsEmpty());
}

TEST_F(TreeDiff, KeysAreNormalized) {
  EXPECT_THAT(memfs::diff_tree(fs_, {{"config.ini", "port=8080\n"},
                                     {"/logs//./app.log", "started\n"},
                                     {"/logs/app.log.1", "old"},
                                     {"empty/", ""}}),
              IsEmpty());
}

TEST_F(TreeDiff, FindsMissingUnexpectedDifferentAndWrongTypes) {
  const auto diffs = memfs::diff_tree(fs_, {{"/config.ini", "port=9090\n"},
                                            {"/logs/app.log", "started\n"},
                                            {"/logs/", ""},
                                            {"/missing.txt", "m"},
                                            {"/missing_dir/", ""},
                                            {"/empty", "a file?"},
                                            {"/config.ini/", ""}});
  EXPECT_THAT(diffs, ElementsAre(is(Kind::different, "/config.ini"),
                                 is(Kind::wrong_type, "/config.ini", true),
                                 is(Kind::wrong_type, "/empty"),
                                 is(Kind::unexpected, "/logs/app.log.1"),
                                 is(Kind::missing, "/missing.txt"),
                                 is(Kind::missing, "/missing_dir", true)));
  EXPECT_EQ(diffs[0].actual_size, 10u);
  EXPECT_EQ(diffs[0].expected_size, 10u);
  EXPECT_EQ(diffs[0].detail,
            "first difference at byte 5\n"
            "actual:   \"port=8080\\n\"\n"
            "expected: \"port=9090\\n\"");
}

TEST_F(TreeDiff, AnUnlistedEmptyDirectoryIsUnexpected) {
  const auto diffs = memfs::diff_tree(fs_, {{"/config.ini", "port=8080\n"},
                                            {"/logs/app.log", "started\n"},
                                            {"/logs/app.log.1", "old"}});
  EXPECT_THAT(diffs, ElementsAre(is(Kind::unexpected, "/empty", true)));
}

TEST_F(TreeDiff, AnEmptyDirectoryAboveAMissingFileIsNotReportedTwice) {
  const auto diffs = memfs::diff_tree(fs_, {{"/config.ini", "port=8080\n"},
                                            {"/logs/app.log", "started\n"},
                                            {"/logs/app.log.1", "old"},
                                            {"/empty/inside.txt", "x"}});
  EXPECT_THAT(diffs, ElementsAre(is(Kind::missing, "/empty/inside.txt")));
}

TEST_F(TreeDiff, APrefixLimitsWhatCountsAsUnexpected) {
  EXPECT_THAT(memfs::diff_tree(fs_, {{"/logs/app.log", "started\n"}}, "/logs"),
              ElementsAre(is(Kind::unexpected, "/logs/app.log.1")));
  // A key outside the prefix is still checked.
  EXPECT_THAT(memfs::diff_tree(fs_,
                               {{"/logs/app.log", "started\n"},
                                {"/logs/app.log.1", "old"},
                                {"/config.ini", "other"}},
                               "/logs"),
              ElementsAre(is(Kind::different, "/config.ini")));
}

TEST_F(TreeDiff, IgnoresFaultInjection) {
  memfs::FaultInjector faults(fs_);
  faults.add("all /** always fail=EIO");
  EXPECT_THAT(
      memfs::diff_tree(fs_, {{"/config.ini", "port=8080\n"}}, "/config.ini"),
      IsEmpty());
  EXPECT_THAT(faults.log(), IsEmpty());
}

TEST_F(TreeDiff, TheDescriptionMatchesTheApprovedText) {
  const auto diffs = memfs::diff_tree(fs_, {{"/config.ini", "port=9090\n"},
                                            {"/logs/app.log", "started\n"},
                                            {"/missing.txt", "m"},
                                            {"/missing_dir/", ""},
                                            {"/empty", "?"}});
  EXPECT_TRUE(memfs::test_support::matches_approved(
      memfs::describe_tree_diff(diffs) + "\n", "session/tree_diff.txt"));
}

TEST(DescribeTreeDiff, SaysSoWhenThereAreNone) {
  EXPECT_EQ(memfs::describe_tree_diff({}), "no differences");
}

TEST(DescribeTreeDiff, SpellsANameAsTheTreePictureDoes) {
  memfs::MemoryFileSystem fs;
  fs.write_file("/new\nline\xff", "x");
  const std::string picture = memfs::render_tree(fs, "/");
  const std::string diff = memfs::describe_tree_diff(memfs::diff_tree(fs, {}));
  ASSERT_NE(picture.find("new\\x0aline\\xff"), std::string::npos) << picture;
  EXPECT_NE(diff.find("unexpected file /new\\x0aline\\xff (1 B)"),
            std::string::npos)
      << diff;
}

TEST(DescribeTreeDiff, ListsAtMostMaxItems) {
  std::vector<TreeDifference> diffs(5);
  for (std::size_t i = 0; i < diffs.size(); ++i)
    diffs[i].path = "/f" + std::to_string(i);
  EXPECT_EQ(memfs::describe_tree_diff(diffs, 2),
            "5 differences:\n"
            "  missing file /f0 (expected 0 B)\n"
            "  missing file /f1 (expected 0 B)\n"
            "  ... and 3 more");
}

TEST(ContentDifference, EqualContentsGiveNothing) {
  EXPECT_EQ(memfs::describe_content_difference("abc", "abc"), "");
}

TEST(ContentDifference, SaysWhichSideEndsFirst) {
  EXPECT_EQ(memfs::describe_content_difference("abc", "abcd"),
            "first difference at byte 3 (the actual contents end there)\n"
            "actual:   \"abc\"\n"
            "expected: \"abcd\"");
  EXPECT_EQ(memfs::describe_content_difference("abcd", "abc"),
            "first difference at byte 3 (the expected contents end there)\n"
            "actual:   \"abcd\"\n"
            "expected: \"abc\"");
}

TEST(ContentDifference, ExcerptsAroundAFarDifference) {
  const std::string a = std::string(100, 'a') + "X" + std::string(100, 'b');
  const std::string b = std::string(100, 'a') + "Y" + std::string(100, 'b');
  EXPECT_EQ(
      memfs::describe_content_difference(a, b),
      "first difference at byte 100\n"
      "actual:   ...\"aaaaaaaaaaaaaaaaXbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"...\n"
      "expected: ...\"aaaaaaaaaaaaaaaaYbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"...");
}

TEST(QuoteExcerpt, EscapesWhatIsNotPrintable) {
  EXPECT_EQ(memfs::quote_excerpt(std::string("a\n\t\r\"\\\x01\xff", 8)),
            "\"a\\n\\t\\r\\\"\\\\\\x01\\xff\"");
  EXPECT_EQ(memfs::quote_excerpt("abcdef", 3), "\"abc\"...");
}

TEST(PeekType, TellsFilesDirectoriesAndNothingApart) {
  memfs::MemoryFileSystem fs;
  fs.create_directories("/d/e");
  fs.write_file("/d/f", "x");
  std::string contents;
  EXPECT_EQ(memfs::peek_type(fs, "/d/f", &contents), memfs::FileType::regular);
  EXPECT_EQ(contents, "x");
  EXPECT_EQ(memfs::peek_type(fs, "/d"), memfs::FileType::directory);
  EXPECT_EQ(memfs::peek_type(fs, "/d/e"), memfs::FileType::directory);
  EXPECT_EQ(memfs::peek_type(fs, "/"), memfs::FileType::directory);
  EXPECT_EQ(memfs::peek_type(fs, "/nope"), memfs::FileType::not_found);
  EXPECT_EQ(memfs::peek_type(fs, "/d/f/"), memfs::FileType::not_found);
  EXPECT_EQ(memfs::peek_type(fs, "/../x"), memfs::FileType::not_found);
}

}  // namespace
