// Conformance: directories — create_directory(ies), exists and friends, list,
// walk and glob.
#include <glob.h>

#include <algorithm>
#include <string>
#include <vector>

#include "backend.hpp"
#include "memfs/disk_file_system.hpp"
#include "test_util.hpp"

namespace memfs::test {
namespace {

using ::testing::AnyOf;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

using Names = std::vector<std::string>;

class DirectoryTest : public BackendTest {};
MEMFS_INSTANTIATE_CONFORMANCE(DirectoryTest);

TEST_P(DirectoryTest, CreateDirectoryNeedsItsParent) {
  EXPECT_THAT(ec_of([&](auto& ec) { fs().create_directory("/a/b", ec); }),
              IsErr(std::errc::no_such_file_or_directory));
  EXPECT_FALSE(fs().exists("/a"));
  EXPECT_TRUE(fs().create_directory("/a"));
  EXPECT_TRUE(fs().create_directory("/a/b"));
  EXPECT_TRUE(fs().is_directory("/a/b"));
}

TEST_P(DirectoryTest, CreateDirectoryReturnsFalseWhenItAlreadyExists) {
  EXPECT_TRUE(fs().create_directory("/d"));
  std::error_code ec = make_error_code(std::errc::io_error);
  EXPECT_FALSE(fs().create_directory("/d", ec));
  EXPECT_THAT(ec, Succeeded());
  EXPECT_FALSE(fs().create_directory("/d/"));
  EXPECT_FALSE(fs().create_directory("/"));
}

TEST_P(DirectoryTest, CreateDirectoryOverAFileIsFileExists) {
  fs().write_file("/f", "data");
  EXPECT_THAT(ec_of([&](auto& ec) { fs().create_directory("/f", ec); }),
              IsErr(std::errc::file_exists));
  EXPECT_EQ(fs().read_file("/f"), "data");
}

TEST_P(DirectoryTest, CreateDirectoryUnderAFileIsNotADirectory) {
  fs().write_file("/f", "data");
  EXPECT_THAT(ec_of([&](auto& ec) { fs().create_directory("/f/d", ec); }),
              IsErr(std::errc::not_a_directory));
  EXPECT_TRUE(fs().is_regular_file("/f"));
}

TEST_P(DirectoryTest, CreateDirectoriesCreatesEveryMissingLevel) {
  EXPECT_TRUE(fs().create_directories("/a/b/c"));
  EXPECT_TRUE(fs().is_directory("/a"));
  EXPECT_TRUE(fs().is_directory("/a/b"));
  EXPECT_TRUE(fs().is_directory("/a/b/c"));
  EXPECT_FALSE(fs().create_directories("/a/b/c"));
  EXPECT_FALSE(fs().create_directories("/a"));
  EXPECT_FALSE(fs().create_directories("/"));
  EXPECT_TRUE(fs().create_directories("/a/b/x/y"));
  EXPECT_THAT(fs().list("/a/b"), ElementsAre("c", "x"));
}

TEST_P(DirectoryTest, CreateDirectoriesThroughAFileFailsAndCreatesNothing) {
  fs().write_file("/f", "data");
  const auto in_the_way =
      AnyOf(IsErr(std::errc::not_a_directory), IsErr(std::errc::file_exists));
  EXPECT_THAT(ec_of([&](auto& ec) { fs().create_directories("/f", ec); }),
              in_the_way);
  EXPECT_THAT(ec_of([&](auto& ec) { fs().create_directories("/f/a/b", ec); }),
              in_the_way);
  fs().create_directory("/d");
  fs().write_file("/d/f", "data");
  EXPECT_THAT(ec_of([&](auto& ec) { fs().create_directories("/d/f/x", ec); }),
              in_the_way);
  EXPECT_THAT(fs().list("/"), ElementsAre("d", "f"));
  EXPECT_THAT(fs().list("/d"), ElementsAre("f"));
}

TEST_P(DirectoryTest, ExistsAndTypeQueries) {
  make_tree(fs(), {"/d/", "/d/f"});
  EXPECT_TRUE(fs().exists("/"));
  EXPECT_TRUE(fs().exists("/d"));
  EXPECT_TRUE(fs().exists("/d/f"));
  EXPECT_FALSE(fs().exists("/missing"));
  EXPECT_FALSE(fs().exists("/d/f/x"));
  EXPECT_TRUE(fs().is_directory("/d"));
  EXPECT_TRUE(fs().is_directory("/d/"));
  EXPECT_FALSE(fs().is_directory("/d/f"));
  EXPECT_FALSE(fs().is_directory("/missing"));
  EXPECT_TRUE(fs().is_regular_file("/d/f"));
  EXPECT_FALSE(fs().is_regular_file("/d/f/"));
  EXPECT_FALSE(fs().exists("/d/f/"));
  EXPECT_FALSE(fs().is_regular_file("/d"));
  EXPECT_FALSE(fs().is_regular_file("/missing"));
}

TEST_P(DirectoryTest, QueriesOnBadPathsAreInvalidArgument) {
  std::error_code ec;
  EXPECT_FALSE(fs().exists("/../etc/passwd", ec));
  EXPECT_THAT(ec, IsErr(std::errc::invalid_argument));
  EXPECT_FALSE(fs().is_directory("/../etc", ec));
  EXPECT_THAT(ec, IsErr(std::errc::invalid_argument));
  EXPECT_THROW((void)fs().is_regular_file("../x"), filesystem_error);
}

TEST_P(DirectoryTest, ListIsSortedBytewise) {
  for (const char* name : {"b", "a", "B", "_", "a.b", "aa", "\xc3\xa9", "1"}) {
    fs().write_file(std::string("/") + name, name);
  }
  fs().create_directory("/A");
  EXPECT_THAT(fs().list("/"), ElementsAre("1", "A", "B", "_", "a", "a.b", "aa",
                                          "b", "\xc3\xa9"));
}

TEST_P(DirectoryTest, ListEntriesReportsTypes) {
  make_tree(fs(), {"/d/sub/", "/d/file"});
  EXPECT_THAT(fs().list_entries("/d"),
              ElementsAre(DirEntry{"file", FileType::regular},
                          DirEntry{"sub", FileType::directory}));
}

TEST_P(DirectoryTest, ListOfAnEmptyDirectoryIsEmpty) {
  EXPECT_THAT(fs().list("/"), IsEmpty());
  fs().create_directory("/e");
  EXPECT_THAT(fs().list("/e"), IsEmpty());
  EXPECT_THAT(fs().list("/"), ElementsAre("e"));
}

TEST_P(DirectoryTest, ListOfAFileOrAMissingPathFails) {
  fs().write_file("/f", "x");
  EXPECT_THAT(ec_of([&](auto& ec) { (void)fs().list("/f", ec); }),
              IsErr(std::errc::not_a_directory));
  EXPECT_THAT(ec_of([&](auto& ec) { (void)fs().list("/missing", ec); }),
              IsErr(std::errc::no_such_file_or_directory));
  EXPECT_THAT(ec_of([&](auto& ec) { (void)fs().list_entries("/f", ec); }),
              IsErr(std::errc::not_a_directory));
  EXPECT_THROW((void)fs().list("/missing"), filesystem_error);
}

TEST_P(DirectoryTest, WalkIsTopDownDepthFirstInBytewiseOrder) {
  make_tree(fs(),
            {"/a/x.txt", "/a/b/y.txt", "/a/b/c/", "/c/", "/top", "/a/a2/"});
  const std::vector<WalkEntry> walked = fs().walk("/");
  std::vector<std::string> paths;
  for (const WalkEntry& e : walked) paths.push_back(e.path);
  EXPECT_THAT(paths, ElementsAre("/", "/a", "/a/a2", "/a/b", "/a/b/c", "/c"));
  ASSERT_EQ(walked.size(), 6u);
  EXPECT_THAT(walked[0].directories, ElementsAre("a", "c"));
  EXPECT_THAT(walked[0].files, ElementsAre("top"));
  EXPECT_THAT(walked[1].directories, ElementsAre("a2", "b"));
  EXPECT_THAT(walked[1].files, ElementsAre("x.txt"));
  EXPECT_THAT(walked[3].directories, ElementsAre("c"));
  EXPECT_THAT(walked[3].files, ElementsAre("y.txt"));
  EXPECT_THAT(walked[4].files, IsEmpty());
}

TEST_P(DirectoryTest, WalkOfASubdirectoryStartsThere) {
  make_tree(fs(), {"/a/f.bin", "/a/b/g.bin", "/other"});
  const std::vector<WalkEntry> walked = fs().walk("/a");
  ASSERT_EQ(walked.size(), 2u);
  EXPECT_EQ(walked[0].path, "/a");
  EXPECT_THAT(walked[0].directories, ElementsAre("b"));
  EXPECT_THAT(walked[0].files, ElementsAre("f.bin"));
  EXPECT_EQ(walked[1].path, "/a/b");
  EXPECT_THAT(walked[1].files, ElementsAre("g.bin"));
}

TEST_P(DirectoryTest, WalkOfAnEmptyDirectoryIsOneEntry) {
  fs().create_directory("/e");
  const std::vector<WalkEntry> walked = fs().walk("/e");
  ASSERT_EQ(walked.size(), 1u);
  EXPECT_EQ(walked[0].path, "/e");
  EXPECT_THAT(walked[0].directories, IsEmpty());
  EXPECT_THAT(walked[0].files, IsEmpty());
}

TEST_P(DirectoryTest, WalkOfAFileOrAMissingPathFails) {
  fs().write_file("/f", "x");
  EXPECT_THAT(ec_of([&](auto& ec) { (void)fs().walk("/f", ec); }),
              IsErr(std::errc::not_a_directory));
  EXPECT_THAT(ec_of([&](auto& ec) { (void)fs().walk("/missing", ec); }),
              IsErr(std::errc::no_such_file_or_directory));
}

class GlobTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    make_glob_tree(fs());
  }
  static void make_glob_tree(FileSystem& target) {
    make_tree(target, {"/top.txt", "/top.bin", "/x/mid.txt", "/x/y/deep.txt",
                       "/x/y/deep.bin", "/a", "/b", "/ab", "/c", "/.hidden.txt",
                       "/f", "/d1/g", "/d1/e/", "/d2/sub/h", "/dx/"});
  }
};
MEMFS_INSTANTIATE_CONFORMANCE(GlobTest);

TEST_P(GlobTest, StarMatchesWithinOneComponent) {
  EXPECT_THAT(fs().glob("/*.txt"), ElementsAre("/.hidden.txt", "/top.txt"));
  EXPECT_THAT(fs().glob("/x/*"), ElementsAre("/x/mid.txt", "/x/y"));
  EXPECT_THAT(fs().glob("/*/*.bin"), IsEmpty());
  EXPECT_THAT(fs().glob("/*/*/*.bin"), ElementsAre("/x/y/deep.bin"));
}

TEST_P(GlobTest, DoubleStarMatchesAnyDepthSortedWithoutDuplicates) {
  const Names all_txt = {"/.hidden.txt", "/top.txt", "/x/mid.txt",
                         "/x/y/deep.txt"};
  EXPECT_EQ(fs().glob("/**/*.txt"), all_txt);
  EXPECT_EQ(fs().glob("/**/**/*.txt"), all_txt);
  EXPECT_EQ(fs().glob("**/*.txt"), all_txt);
  EXPECT_THAT(fs().glob("/**/deep.txt"), ElementsAre("/x/y/deep.txt"));
  EXPECT_THAT(fs().glob("/x/**/*.bin"), ElementsAre("/x/y/deep.bin"));
}

TEST_P(GlobTest, TrailingDoubleStarListsDescendants) {
  const Names found = fs().glob("/x/**");
  EXPECT_TRUE(std::is_sorted(found.begin(), found.end()));
  EXPECT_EQ(std::adjacent_find(found.begin(), found.end()), found.end());
  for (const char* p :
       {"/x/mid.txt", "/x/y", "/x/y/deep.txt", "/x/y/deep.bin"}) {
    EXPECT_NE(std::find(found.begin(), found.end(), p), found.end()) << p;
  }
  for (const std::string& p : found) EXPECT_EQ(p.rfind("/x", 0), 0u) << p;
}

TEST_P(GlobTest, QuestionMarkAndClasses) {
  EXPECT_THAT(fs().glob("/?"), ElementsAre("/a", "/b", "/c", "/f", "/x"));
  EXPECT_THAT(fs().glob("/[ac]"), ElementsAre("/a", "/c"));
  EXPECT_THAT(fs().glob("/[!ac]"), ElementsAre("/b", "/f", "/x"));
  EXPECT_THAT(fs().glob("/[a-b]?"), ElementsAre("/ab"));
}

TEST_P(GlobTest, APatternWithoutMagicNamesOnePath) {
  EXPECT_THAT(fs().glob("/x/mid.txt"), ElementsAre("/x/mid.txt"));
  EXPECT_THAT(fs().glob("/x/none.txt"), IsEmpty());
}

// What glob(3) finds for `pattern` below `root`, as memfs paths (the root
// cut off, no trailing slash), sorted.
Names posix_glob(const std::string& root, const std::string& pattern) {
  glob_t g{};
  Names out;
  if (::glob((root + pattern).c_str(), 0, nullptr, &g) == 0) {
    for (std::size_t i = 0; i < g.gl_pathc; ++i) {
      std::string p = std::string(g.gl_pathv[i]).substr(root.size());
      while (p.size() > 1 && p.back() == '/') p.pop_back();
      out.push_back(p);
    }
  }
  ::globfree(&g);
  std::sort(out.begin(), out.end());
  return out;
}

TEST_P(GlobTest, ATrailingSlashNamesDirectoriesOnlyAsPosixGlobDoes) {
  // The same tree on a real directory (/dev/shm when writable), for glob(3).
  const auto real = DiskFileSystem::create_temporary();
  make_glob_tree(*real);
  const std::string root = real->root().string();
  // No pattern here can match a dot file: glob(3) hides them, memfs does not.
  for (const char* pattern :
       {"/*/", "/?/", "/[f]/", "/f", "/d1/", "/d?/", "/*/*/", "/d1/*/", "/d1/*",
        "/d2/sub/", "/[df]*/", "/x/y/", "/x/*/", "/nothing/", "/d2/sub/[h]/",
        "/*/*/*/"}) {
    EXPECT_EQ(fs().glob(pattern), posix_glob(root, pattern)) << pattern;
  }
  EXPECT_THAT(fs().glob("/*/"), ElementsAre("/d1", "/d2", "/dx", "/x"));
  // glibc's glob(3) returns "/f" for the literal "/f/" (it skips the
  // directory check when a pattern has no metacharacter); POSIX, glibc's
  // own "/[f]/" and memfs's "/file/" rule say a file is not a match.
  EXPECT_THAT(fs().glob("/f/"), IsEmpty());
  EXPECT_THAT(fs().glob("/d2/sub/h/"), IsEmpty());
  EXPECT_THAT(fs().glob("/**/*/"), ElementsAre("/d1", "/d1/e", "/d2", "/d2/sub",
                                               "/dx", "/x", "/x/y"));
}

TEST_P(GlobTest, NoMatchIsEmptyNotAnError) {
  std::error_code ec = make_error_code(std::errc::io_error);
  EXPECT_THAT(fs().glob("/nothing/**/*.zip", ec), IsEmpty());
  EXPECT_THAT(ec, Succeeded());
}

}  // namespace
}  // namespace memfs::test

namespace memfs::test {
namespace {

// sync_directory: fsync(2) of the directory on disk, the durability model's
// directory sync in memory (tests/crash/); the same errors everywhere.
TEST_P(DirectoryTest, SyncDirectoryAcceptsDirectoriesOnly) {
  fs().create_directories("/d/e");
  fs().write_file("/d/f", "x");
  fs().sync_directory("/");
  fs().sync_directory("/d/e/");
  EXPECT_THAT(ec_of([&](auto& ec) { fs().sync_directory("/d/f", ec); }),
              IsErr(std::errc::not_a_directory));
  EXPECT_THAT(ec_of([&](auto& ec) { fs().sync_directory("/missing", ec); }),
              IsErr(std::errc::no_such_file_or_directory));
  EXPECT_THAT(ec_of([&](auto& ec) { fs().sync_directory("/d/f/g", ec); }),
              IsErr(std::errc::not_a_directory));
}

}  // namespace
}  // namespace memfs::test
