// HasFile, FileContents and TreeEquals, called directly: what they accept,
// and the exact text they describe a mismatch with.
#define CATCH_CONFIG_PREFIX_ALL  // gtest has FAIL and SUCCEED too

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "memfs/catch2_matchers.hpp"

#if CATCH_VERSION_MAJOR >= 3
#include <catch2/matchers/catch_matchers_string.hpp>
#endif

#include "memfs/fault_injection.hpp"
#include "memfs/memory_file_system.hpp"
#include "memfs/tree_diff.hpp"

namespace memfs::catch2 {
namespace {

using ::testing::HasSubstr;

class Catch2Matchers : public ::testing::Test {
 protected:
  Catch2Matchers() {
    fs_.create_directories("/out/empty");
    fs_.write_file("/out/a.txt", "hello world");
    fs_.write_file("/out/b.txt", "bbb");
  }
  MemoryFileSystem fs_;
};

TEST_F(Catch2Matchers, HasFileAcceptsAFileOnly) {
  EXPECT_TRUE(HasFile("/out/a.txt").match(fs_));
  EXPECT_TRUE(HasFile("out//a.txt").match(fs_));  // normalized
  EXPECT_FALSE(HasFile("/out").match(fs_));
  EXPECT_FALSE(HasFile("/out/c.txt").match(fs_));
}

TEST_F(Catch2Matchers, HasFileSaysWhatIsThereInstead) {
  auto missing = HasFile("/out/c.txt");
  ASSERT_FALSE(missing.match(fs_));
  EXPECT_EQ(missing.toString(),
            "has file \"/out/c.txt\" — /out/c.txt does not exist; the tree "
            "around it:\n"
            "/out/\n"
            "├── a.txt  (11 B)\n"
            "├── b.txt  (3 B)\n"
            "└── empty/");
  auto dir = HasFile("/out/empty");
  ASSERT_FALSE(dir.match(fs_));
  EXPECT_EQ(dir.toString(),
            "has file \"/out/empty\" — /out/empty is a directory");
}

TEST_F(Catch2Matchers, AReusedMatcherDescribesItsLatestMatch) {
  auto m = HasFile("/late.txt");
  ASSERT_FALSE(m.match(fs_));
  EXPECT_THAT(m.toString(), HasSubstr("does not exist"));
  fs_.write_file("/late.txt", "");
  ASSERT_TRUE(m.match(fs_));
  EXPECT_EQ(m.toString(), "has file \"/late.txt\"");
}

TEST_F(Catch2Matchers, HasDirectoryAcceptsADirectoryOnly) {
  EXPECT_TRUE(HasDirectory("/out/empty").match(fs_));
  EXPECT_TRUE(HasDirectory("/").match(fs_));
  auto file = HasDirectory("/out/a.txt");
  ASSERT_FALSE(file.match(fs_));
  EXPECT_EQ(file.toString(),
            "has directory \"/out/a.txt\" — /out/a.txt is a file");
  auto missing = HasDirectory("/nope");
  ASSERT_FALSE(missing.match(fs_));
  EXPECT_EQ(missing.toString(),
            "has directory \"/nope\" — /nope does not exist");
}

TEST_F(Catch2Matchers, FileContentsPointsAtTheFirstDifferentByte) {
  auto m = FileContents("/out/a.txt", "hello wOrld");
  ASSERT_FALSE(m.match(fs_));
  EXPECT_EQ(m.toString(),
            "has file \"/out/a.txt\" containing \"hello wOrld\" — \n"
            "  first difference at byte 7\n"
            "  actual:   \"hello world\"\n"
            "  expected: \"hello wOrld\"");
  EXPECT_TRUE(FileContents("/out/a.txt", "hello world").match(fs_));
}

TEST_F(Catch2Matchers, FileContentsOnAMissingFileShowsTheTreeAroundIt) {
  auto m = FileContents("/out/sub/x.txt", "x");
  ASSERT_FALSE(m.match(fs_));
  EXPECT_THAT(
      m.toString(),
      HasSubstr("/out/sub/x.txt does not exist; the tree around it:\n/out/\n"));
}

TEST_F(Catch2Matchers, FileContentsTakesACatchStringMatcher) {
  EXPECT_TRUE(FileContents("/out/a.txt", Catch::Matchers::StartsWith("hello"))
                  .match(fs_));
  auto m = FileContents("/out/a.txt", Catch::Matchers::EndsWith("moon"));
  ASSERT_FALSE(m.match(fs_));
  EXPECT_THAT(m.toString(),
              HasSubstr("has file \"/out/a.txt\" whose contents ends with"));
  EXPECT_THAT(m.toString(), HasSubstr("its contents are \"hello world\""));
}

TEST_F(Catch2Matchers, TreeEqualsListsEveryDifferenceInTheSharedWording) {
  fs_.write_file("/out/tmp~", "scratch data");
  const std::map<std::string, std::string> expected{
      {"/out/a.txt", "hello there"},
      {"/out/b.txt", "bbb"},
      {"/out/c.txt", "ccc"}};
  auto m = TreeEquals("/out", expected);
  ASSERT_FALSE(m.match(fs_));
  // The same text as the GoogleTest adapter's TreeEquals explanation.
  EXPECT_EQ(m.toString(),
            "equals the tree under \"/out\" (3 entries) — " +
                describe_tree_diff(diff_tree(fs_, expected, "/out")));
  EXPECT_THAT(m.toString(),
              HasSubstr("missing file /out/c.txt (expected 3 B)"));
  EXPECT_THAT(m.toString(), HasSubstr("unexpected file /out/tmp~ (12 B)"));
  EXPECT_THAT(m.toString(), HasSubstr("unexpected directory /out/empty/"));
  EXPECT_THAT(m.toString(), HasSubstr("first difference at byte 6"));
}

TEST_F(Catch2Matchers, TreeEqualsTakesDirectoriesAndNormalizesKeys) {
  EXPECT_TRUE(TreeEquals("/out", {{"/out/a.txt", "hello world"},
                                  {"out//b.txt", "bbb"},
                                  {"/out/empty/", ""}})
                  .match(fs_));
  EXPECT_TRUE(TreeEquals({{"/out/a.txt", "hello world"},
                          {"/out/b.txt", "bbb"},
                          {"/out/empty/", ""}})
                  .match(fs_));
  EXPECT_FALSE(TreeEquals({{"/out/a.txt", "hello world"}}).match(fs_));
}

TEST_F(Catch2Matchers, CheckingInjectsNoFaultAndWaitsOnNoLock) {
  FaultInjector faults(fs_);
  faults.add("all /** always fail=EIO");
  LockHold hold = faults.hold_lock("/out/b.txt", LockMode::exclusive);
  EXPECT_TRUE(HasFile("/out/a.txt").match(fs_));
  EXPECT_TRUE(FileContents("/out/b.txt", "bbb").match(fs_));
  EXPECT_TRUE(faults.log().empty());
}

TEST_F(Catch2Matchers, AFileSystemShowsItsSizeInExpansions) {
  EXPECT_EQ(Catch::Detail::stringify(fs_),
            "{memfs: 2 files, 3 directories, 14 B}");
  MemoryFileSystem empty;
  EXPECT_EQ(Catch::Detail::stringify(static_cast<FileSystem&>(empty)),
            "{memfs: 0 files, 1 directory, 0 B}");
}

}  // namespace
}  // namespace memfs::catch2
