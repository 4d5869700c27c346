// The gMock matchers and EXPECT_MEMFS_OK, in process on the fixture's own
// filesystem, and as a real failing run prints them.
#include <sstream>
#include <string>

#include <gtest/gtest-spi.h>

#include "fixture_runs.hpp"
#include "memfs/gtest.hpp"
#include "support/approved.hpp"

namespace memfs::gtest_test {
namespace {

using memfs::gtest::FileContents;
using memfs::gtest::HasDirectory;
using memfs::gtest::HasFile;
using memfs::gtest::TreeEquals;
using ::testing::DescribeMatcher;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

// Why `m` does not match `fs`, as gMock would print it.
template <class M>
std::string explain(const M& m, const FileSystem& fs) {
  ::testing::StringMatchResultListener listener;
  EXPECT_FALSE(
      ::testing::Matcher<const FileSystem&>(m).MatchAndExplain(fs, &listener));
  return listener.str();
}

class Matchers : public memfs::gtest::Test {
 protected:
  void SetUp() override {
    fs().create_directories("/logs");
    fs().create_directories("/empty");
    fs().write_file("/config.ini", "port=8080\n");
    fs().write_file("/logs/app.log", "started\n");
  }
};

TEST_F(Matchers, HasFileAndHasDirectoryTellTypesApart) {
  EXPECT_THAT(fs(), HasFile("/config.ini"));
  EXPECT_THAT(fs(), HasFile("logs//app.log"));
  EXPECT_THAT(fs(), Not(HasFile("/logs")));
  EXPECT_THAT(fs(), Not(HasFile("/nope")));
  EXPECT_THAT(fs(), HasDirectory("/logs"));
  EXPECT_THAT(fs(), HasDirectory("/empty"));
  EXPECT_THAT(fs(), HasDirectory("/"));
  EXPECT_THAT(fs(), Not(HasDirectory("/config.ini")));
  EXPECT_EQ(explain(HasFile("/logs"), fs()),
            "which has a directory at \"/logs\"");
  EXPECT_EQ(explain(HasDirectory("/x"), fs()), "which has nothing at \"/x\"");
  EXPECT_EQ(DescribeMatcher<const FileSystem&>(HasFile("/a")),
            "has a file at \"/a\"");
  EXPECT_EQ(DescribeMatcher<const FileSystem&>(HasDirectory("/a"), true),
            "has no directory at \"/a\"");
}

TEST_F(Matchers, FileContentsComparesExactlyAndNamesTheFirstDifference) {
  EXPECT_THAT(fs(), FileContents("/config.ini", "port=8080\n"));
  EXPECT_THAT(fs(), FileContents("/config.ini", std::string("port=8080\n")));
  EXPECT_THAT(fs(), Not(FileContents("/config.ini", "port=8080")));
  EXPECT_EQ(explain(FileContents("/config.ini", "port=9090\n"), fs()),
            "whose file \"/config.ini\" (10 B, expected 10 B) differs:\n"
            "    first difference at byte 5\n"
            "    actual:   \"port=8080\\n\"\n"
            "    expected: \"port=9090\\n\"");
  EXPECT_EQ(explain(FileContents("/logs", "x"), fs()),
            "which has a directory at \"/logs\"");
}

TEST_F(Matchers, FileContentsTakesAnyStringMatcher) {
  EXPECT_THAT(fs(), FileContents("/logs/app.log", HasSubstr("start")));
  EXPECT_THAT(fs(), FileContents("/logs/app.log", ::testing::SizeIs(8)));
  EXPECT_THAT(fs(), Not(FileContents("/logs/app.log", StartsWith("stop"))));
  EXPECT_EQ(
      DescribeMatcher<const FileSystem&>(FileContents("/a", StartsWith("x"))),
      "has a file at \"/a\" whose contents starts with \"x\"");
  EXPECT_THAT(explain(FileContents("/logs/app.log", StartsWith("stop")), fs()),
              StartsWith("whose file \"/logs/app.log\" holds \"started\\n\""));
}

TEST_F(Matchers, TreeEqualsComparesTheWholeTree) {
  EXPECT_THAT(fs(), TreeEquals({{"/config.ini", "port=8080\n"},
                                {"/logs/app.log", "started\n"},
                                {"/empty/", ""}}));
  EXPECT_THAT(fs(), Not(TreeEquals({{"/config.ini", "port=8080\n"}})));
  EXPECT_THAT(fs(), TreeEquals("/logs", {{"/logs/app.log", "started\n"}}));
  EXPECT_EQ(explain(TreeEquals({{"/config.ini", "port=8080\n"},
                                {"/logs/app.log", "started\n"}}),
                    fs()),
            "which has 1 difference:\n  unexpected directory /empty/");
  EXPECT_EQ(DescribeMatcher<const FileSystem&>(
                TreeEquals("/logs", {{"/logs/a", "xy"}, {"/logs/d/", ""}})),
            "has exactly 2 entries under /logs:\n  /logs/a (2 B)\n  /logs/d/");
}

TEST_F(Matchers, WorkOnAnyFileSystemReference) {
  MemoryFileSystem other;
  other.write_file("/x", "y");
  const FileSystem& base = other;
  EXPECT_THAT(base, HasFile("/x"));
  EXPECT_THAT(other, TreeEquals({{"/x", "y"}}));
}

TEST_F(Matchers, NeverTripFaultRulesNorFillTheLog) {
  faults().add("all /** always fail=EIO");
  EXPECT_THAT(fs(), HasFile("/config.ini"));
  EXPECT_THAT(fs(), FileContents("/config.ini", "port=8080\n"));
  EXPECT_THAT(fs(), TreeEquals({{"/config.ini", "port=8080\n"},
                                {"/logs/app.log", "started\n"},
                                {"/empty/", ""}}));
  EXPECT_THAT(faults().log(), IsEmpty());
  faults().clear();
}

TEST_F(Matchers, AFileSystemPrintsAsItsTree) {
  EXPECT_EQ(
      ::testing::PrintToString(fs()),
      "a filesystem with 2 files, 3 directories (18 B used):\n"
      "    /\n"
      "    ├── config.ini  (10 B)\n"
      "    ├── empty/\n"
      "    └── logs/\n"
      "        └── app.log  (8 B)\n");  // what gMock appends starts a line
}

TEST(MemfsOk, PassesForAnEmptyErrorCode) {
  std::error_code ec;
  EXPECT_MEMFS_OK(ec);
  ASSERT_MEMFS_OK(ec);
}

TEST(MemfsOk, PrintsTheCategoryValueAndMessage) {
  const auto result = memfs::gtest::detail::memfs_ok(
      "ec", make_error_code(memfs::errc::quota_exceeded));
  EXPECT_FALSE(result);
  EXPECT_EQ(std::string(result.message()),
            "Expected: ec is success (no error)\n"
            "  Actual: memfs:1, \"" +
                make_error_code(memfs::errc::quota_exceeded).message() + "\"");
}

TEST(MemfsOk, FailsNonFatallyOrFatally) {
  static const std::error_code kError =
      std::make_error_code(std::errc::io_error);
  EXPECT_NONFATAL_FAILURE(EXPECT_MEMFS_OK(kError), "Input/output error");
  EXPECT_FATAL_FAILURE(ASSERT_MEMFS_OK(kError), "Actual: generic:5");
}

// `line` without the source folder before "fixtures/" and without gtest's
// " (N ms)" timing, which vary between machines.
std::string shortened(std::string line) {
  const auto fixtures = line.find("/fixtures/");
  if (fixtures != std::string::npos) line.erase(0, fixtures + 10);
  const auto timing = line.rfind(" (");
  if (timing != std::string::npos && line.size() > 4 &&
      line.compare(line.size() - 4, 4, " ms)") == 0) {
    line.erase(timing);
  }
  return line;
}

// What a real run prints for failing matchers, compared with the approved
// text (source paths shortened).
TEST(MatcherOutput, MatchesTheApprovedText) {
  ScratchDir dir;
  const auto run = run_fixture(dir, {"--gtest_filter=Matchers.*"});
  EXPECT_EQ(run.exit_code, 1);
  std::string text;
  bool inside = false;
  std::istringstream lines(run.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("[ RUN      ]", 0) == 0) inside = true;
    if (inside) text += shortened(line) + "\n";
    if (line.rfind("[  FAILED  ]", 0) == 0) inside = false;
  }
  EXPECT_TRUE(test_support::matches_approved(
      text, "gtest_adapter/matcher_failures.txt"));
}

// The manifest keeps the failure message as printed: the same clean tree
// picture, compared with the approved text of the same failure.
TEST(MatcherOutput, TheManifestHoldsTheApprovedMessage) {
  ScratchDir dir;
  const auto run = run_fixture(dir, {"--gtest_filter=Matchers.HasFileFails"});
  ASSERT_THAT(run.snapshots(), ::testing::SizeIs(1));
  const auto failures =
      strings_of(section(run.manifest(run.snapshots()[0]), "failures"));
  ASSERT_THAT(failures, ::testing::SizeIs(1));
  // The approved message of Matchers.HasFileFails: from "Value of:" to the
  // line before "[  FAILED  ]".
  const std::string approved = test_support::read_host_file(
      MEMFS_TEST_DATA_DIR "/gtest_adapter/matcher_failures.txt");
  const auto run_line = approved.find("[ RUN      ] Matchers.HasFileFails");
  ASSERT_NE(run_line, std::string::npos);
  const auto begin = approved.find("Value of:", run_line);
  const auto end = approved.find("\n[  FAILED  ]", begin);
  const std::string message = approved.substr(begin, end - begin);
  EXPECT_THAT(message, HasSubstr("(3 B)\n (of type memfs::MemoryFileSystem)"));
  EXPECT_THAT(failures[0], ::testing::EndsWith(message));
}

}  // namespace
}  // namespace memfs::gtest_test
