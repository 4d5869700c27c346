// HasFile, FileContents and TreeEquals, called directly: what they accept,
// and the exact text they describe a mismatch with.
#define CATCH_CONFIG_PREFIX_ALL  // gtest has FAIL and SUCCEED too

#include "memfs/catch2_matchers.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#if CATCH_VERSION_MAJOR >= 3
#include <catch2/matchers/catch_matchers_string.hpp>
#endif

#include "memfs/fault_injection.hpp"
#include "memfs/memory_file_system.hpp"

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
            "has file \"/out/c.txt\" — /out/c.txt does not exist; the tree around it:\n"
            "/out/\n"
            "├── a.txt  (11 B)\n"
            "├── b.txt  (3 B)\n"
            "└── empty/");
  auto dir = HasFile("/out/empty");
  ASSERT_FALSE(dir.match(fs_));
  EXPECT_EQ(dir.toString(), "has file \"/out/empty\" — /out/empty is a directory");
}

TEST_F(Catch2Matchers, AReusedMatcherDescribesItsLatestMatch) {
  auto m = HasFile("/late.txt");
  ASSERT_FALSE(m.match(fs_));
  EXPECT_THAT(m.toString(), HasSubstr("does not exist"));
  fs_.write_file("/late.txt", "");
  ASSERT_TRUE(m.match(fs_));
  EXPECT_EQ(m.toString(), "has file \"/late.txt\"");
}

TEST_F(Catch2Matchers, FileContentsPointsAtTheFirstDifferentByte) {
  auto m = FileContents("/out/a.txt", "hello wOrld");
  ASSERT_FALSE(m.match(fs_));
  EXPECT_EQ(m.toString(),
            "has file \"/out/a.txt\" containing \"hello wOrld\" — byte 7 is 'o' (0x6F), "
            "expected 'O' (0x4F); actual \"hello world\", expected \"hello wOrld\"");
  EXPECT_TRUE(FileContents("/out/a.txt", "hello world").match(fs_));
}

TEST_F(Catch2Matchers, FileContentsTellsShorterFromLonger) {
  auto shorter = FileContents("/out/b.txt", "bbbb");
  ASSERT_FALSE(shorter.match(fs_));
  EXPECT_THAT(shorter.toString(),
              HasSubstr("actual ends at byte 3, expected 4 B continuing with \"b\""));
  auto longer = FileContents("/out/b.txt", "bb");
  ASSERT_FALSE(longer.match(fs_));
  EXPECT_THAT(longer.toString(),
              HasSubstr("actual is longer: 3 B, expected 2 B; the extra bytes start with \"b\""));
}

TEST_F(Catch2Matchers, FileContentsShowsBinaryBytesEscaped) {
  fs_.write_file("/bin", std::string("\x01\xff\n", 3));
  auto m = FileContents("/bin", std::string("\x01\xfe\n", 3));
  ASSERT_FALSE(m.match(fs_));
  EXPECT_THAT(m.toString(), HasSubstr("byte 1 is (0xFF), expected (0xFE); actual "
                                      "\"\\x01\\xFF\\n\", expected \"\\x01\\xFE\\n\""));
}

TEST_F(Catch2Matchers, FileContentsTakesACatchStringMatcher) {
  EXPECT_TRUE(FileContents("/out/a.txt", Catch::Matchers::StartsWith("hello")).match(fs_));
  auto m = FileContents("/out/a.txt", Catch::Matchers::EndsWith("moon"));
  ASSERT_FALSE(m.match(fs_));
  EXPECT_THAT(m.toString(), HasSubstr("has file \"/out/a.txt\" whose contents ends with"));
  EXPECT_THAT(m.toString(), HasSubstr("its contents are \"hello world\""));
}

TEST_F(Catch2Matchers, TreeEqualsListsEveryDifference) {
  fs_.write_file("/out/tmp~", "scratch data");
  auto m = TreeEquals({{"/out/a.txt", "hello there"}, {"/out/b.txt", "bbb"},
                       {"/out/c.txt", "ccc"}},
                      "/out");
  ASSERT_FALSE(m.match(fs_));
  EXPECT_EQ(m.toString(),
            "equals the tree under \"/out\" (3 files) — it differs:\n"
            "  missing:     /out/c.txt (3 B)\n"
            "  unexpected:  /out/tmp~ (12 B)\n"
            "  different:   /out/a.txt: byte 6 is 'w' (0x77), expected 't' (0x74); "
            "actual \"hello world\", expected \"hello there\"");
}

TEST_F(Catch2Matchers, TreeEqualsIgnoresDirectoriesAndFilesOutsideThePrefix) {
  fs_.write_file("/elsewhere.txt", "x");
  EXPECT_TRUE(TreeEquals({{"/out/a.txt", "hello world"}, {"out/b.txt", "bbb"}}, "/out")
                  .match(fs_));
  auto outside = TreeEquals({{"/x.txt", "x"}}, "/out");
  ASSERT_FALSE(outside.match(fs_));
  EXPECT_THAT(outside.toString(), HasSubstr("the expected path \"/x.txt\" is not under \"/out\""));
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
  EXPECT_EQ(Catch::Detail::stringify(fs_), "{memfs: 2 files, 3 directories, 14 B}");
  MemoryFileSystem empty;
  EXPECT_EQ(Catch::Detail::stringify(static_cast<FileSystem&>(empty)),
            "{memfs: 0 files, 1 directory, 0 B}");
}

}  // namespace
}  // namespace memfs::catch2
