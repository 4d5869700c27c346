// Conformance: remove, remove_all and rename (POSIX rename(2) rules).
#include <string>

#include "backend.hpp"
#include "test_util.hpp"

namespace memfs::test {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class RemoveTest : public BackendTest {};
MEMFS_INSTANTIATE_CONFORMANCE(RemoveTest);

TEST_P(RemoveTest, RemovesAFile) {
  make_tree(fs(), {"/d/f"});
  EXPECT_TRUE(fs().remove("/d/f"));
  EXPECT_FALSE(fs().exists("/d/f"));
  EXPECT_TRUE(fs().is_directory("/d"));
}

TEST_P(RemoveTest, RemovesAnEmptyDirectory) {
  fs().create_directories("/d/e");
  EXPECT_TRUE(fs().remove("/d/e"));
  EXPECT_THAT(fs().list("/d"), IsEmpty());
}

TEST_P(RemoveTest, ANonEmptyDirectoryIsDirectoryNotEmpty) {
  make_tree(fs(), {"/d/f", "/e/sub/"});
  const std::string before = describe_state(fs());
  EXPECT_THAT(ec_of([&](auto& ec) { fs().remove("/d", ec); }),
              IsErr(std::errc::directory_not_empty));
  EXPECT_THAT(ec_of([&](auto& ec) { fs().remove("/e", ec); }),
              IsErr(std::errc::directory_not_empty));
  EXPECT_EQ(describe_state(fs()), before);
}

TEST_P(RemoveTest, AMissingPathReturnsFalseWithoutError) {
  std::error_code ec = make_error_code(std::errc::io_error);
  EXPECT_FALSE(fs().remove("/missing", ec));
  EXPECT_THAT(ec, Succeeded());
  EXPECT_FALSE(fs().remove("/missing/deeper"));
}

TEST_P(RemoveTest, TheRootIsInvalidArgument) {
  EXPECT_THAT(ec_of([&](auto& ec) { fs().remove("/", ec); }),
              IsErr(std::errc::invalid_argument));
  EXPECT_THAT(ec_of([&](auto& ec) { fs().remove("/d/..", ec); }),
              IsErr(std::errc::invalid_argument));
  EXPECT_TRUE(fs().is_directory("/"));
}

TEST_P(RemoveTest, RemoveAllRemovesATreeAndCountsIt) {
  make_tree(fs(), {"/d/f1", "/d/f2", "/d/sub/g", "/d/sub/empty/", "/keep"});
  EXPECT_EQ(fs().remove_all("/d"), 6u);
  EXPECT_FALSE(fs().exists("/d"));
  EXPECT_THAT(fs().list("/"), ElementsAre("keep"));
}

TEST_P(RemoveTest, RemoveAllOfAFileRemovesIt) {
  fs().write_file("/f", "x");
  EXPECT_EQ(fs().remove_all("/f"), 1u);
  EXPECT_FALSE(fs().exists("/f"));
}

TEST_P(RemoveTest, RemoveAllOfAMissingPathIsZero) {
  std::error_code ec = make_error_code(std::errc::io_error);
  EXPECT_EQ(fs().remove_all("/missing", ec), 0u);
  EXPECT_THAT(ec, Succeeded());
}

TEST_P(RemoveTest, RemoveAllOfTheRootIsInvalidArgument) {
  make_tree(fs(), {"/d/f"});
  const std::string before = describe_state(fs());
  EXPECT_THAT(ec_of([&](auto& ec) { fs().remove_all("/", ec); }),
              IsErr(std::errc::invalid_argument));
  EXPECT_EQ(describe_state(fs()), before);
}

class RenameTest : public BackendTest {
 protected:
  // Renames and returns the error; on error, checks nothing changed.
  std::error_code rename_error(const std::string& from, const std::string& to) {
    const std::string before = describe_state(fs());
    std::error_code ec;
    fs().rename(from, to, ec);
    if (ec) {
      EXPECT_EQ(describe_state(fs()), before) << from << " -> " << to;
    }
    return ec;
  }
};
MEMFS_INSTANTIATE_CONFORMANCE(RenameTest);

TEST_P(RenameTest, AFileKeepsItsContents) {
  fs().write_file("/a", "payload");
  fs().rename("/a", "/b");
  EXPECT_FALSE(fs().exists("/a"));
  EXPECT_EQ(fs().read_file("/b"), "payload");
}

TEST_P(RenameTest, AFileMovesAcrossDirectories) {
  make_tree(fs(), {"/src/f", "/dst/"});
  fs().rename("/src/f", "/dst/g");
  EXPECT_THAT(fs().list("/src"), IsEmpty());
  EXPECT_EQ(fs().read_file("/dst/g"), "/src/f");
}

TEST_P(RenameTest, AFileReplacesAFile) {
  fs().write_file("/new", "new data");
  fs().write_file("/old", "old data, longer");
  fs().rename("/new", "/old");
  EXPECT_FALSE(fs().exists("/new"));
  EXPECT_EQ(fs().read_file("/old"), "new data");
  EXPECT_THAT(fs().list("/"), ElementsAre("old"));
}

TEST_P(RenameTest, ADirectoryMovesWithItsSubtree) {
  make_tree(fs(), {"/a/f", "/a/b/g", "/a/b/empty/"});
  fs().rename("/a", "/z");
  EXPECT_FALSE(fs().exists("/a"));
  EXPECT_EQ(fs().read_file("/z/f"), "/a/f");
  EXPECT_EQ(fs().read_file("/z/b/g"), "/a/b/g");
  EXPECT_TRUE(fs().is_directory("/z/b/empty"));
}

TEST_P(RenameTest, ADirectoryReplacesAnEmptyDirectory) {
  make_tree(fs(), {"/a/f", "/empty/"});
  fs().rename("/a", "/empty");
  EXPECT_FALSE(fs().exists("/a"));
  EXPECT_THAT(fs().list("/empty"), ElementsAre("f"));
}

TEST_P(RenameTest, ADirectoryOntoANonEmptyDirectoryIsDirectoryNotEmpty) {
  make_tree(fs(), {"/a/f", "/full/g"});
  EXPECT_THAT(rename_error("/a", "/full"),
              IsErr(std::errc::directory_not_empty));
}

TEST_P(RenameTest, AFileOntoADirectoryIsIsADirectory) {
  make_tree(fs(), {"/f", "/d/", "/full/g"});
  EXPECT_THAT(rename_error("/f", "/d"), IsErr(std::errc::is_a_directory));
  EXPECT_THAT(rename_error("/f", "/full"), IsErr(std::errc::is_a_directory));
}

TEST_P(RenameTest, ADirectoryOntoAFileIsNotADirectory) {
  make_tree(fs(), {"/f", "/d/g"});
  EXPECT_THAT(rename_error("/d", "/f"), IsErr(std::errc::not_a_directory));
}

TEST_P(RenameTest, ADirectoryIntoItsOwnSubtreeIsInvalidArgument) {
  make_tree(fs(), {"/a/b/c/f"});
  EXPECT_THAT(rename_error("/a", "/a/b/c/moved"),
              IsErr(std::errc::invalid_argument));
  EXPECT_THAT(rename_error("/a", "/a/new"), IsErr(std::errc::invalid_argument));
  EXPECT_THAT(rename_error("/a/b", "/a/b/c/d"),
              IsErr(std::errc::invalid_argument));
  EXPECT_EQ(fs().read_file("/a/b/c/f"), "/a/b/c/f");
}

TEST_P(RenameTest, ADirectoryMayMoveToASiblingWithACommonPrefix) {
  make_tree(fs(), {"/a/f"});
  fs().rename("/a", "/ab");  // "/ab" is not inside "/a"
  EXPECT_EQ(fs().read_file("/ab/f"), "/a/f");
}

TEST_P(RenameTest, OntoItselfDoesNothing) {
  make_tree(fs(), {"/d/f"});
  const std::string before = describe_state(fs());
  EXPECT_THAT(ec_of([&](auto& ec) { fs().rename("/d/f", "/d/f", ec); }),
              Succeeded());
  EXPECT_THAT(ec_of([&](auto& ec) { fs().rename("/d", "/d", ec); }),
              Succeeded());
  EXPECT_THAT(ec_of([&](auto& ec) { fs().rename("/d", "/d/./", ec); }),
              Succeeded());
  EXPECT_EQ(describe_state(fs()), before);
}

TEST_P(RenameTest, AMissingSourceIsNotFound) {
  fs().create_directory("/d");
  EXPECT_THAT(rename_error("/missing", "/x"),
              IsErr(std::errc::no_such_file_or_directory));
  EXPECT_THAT(rename_error("/d/missing", "/x"),
              IsErr(std::errc::no_such_file_or_directory));
}

TEST_P(RenameTest, AMissingDestinationParentIsNotFound) {
  fs().write_file("/f", "x");
  EXPECT_THAT(rename_error("/f", "/nodir/g"),
              IsErr(std::errc::no_such_file_or_directory));
}

TEST_P(RenameTest, ADestinationBelowAFileIsNotADirectory) {
  make_tree(fs(), {"/f", "/g"});
  EXPECT_THAT(rename_error("/g", "/f/g"), IsErr(std::errc::not_a_directory));
}

TEST_P(RenameTest, TheRootIsInvalidArgument) {
  fs().create_directory("/d");
  EXPECT_THAT(rename_error("/", "/d/x"), IsErr(std::errc::invalid_argument));
}

TEST_P(RenameTest, AnOpenFileKeepsWorkingUnderItsNewName) {
  fs().write_file("/a", "abc");
  File f = fs().open("/a", "r+");
  fs().rename("/a", "/b");
  f.seek(0, Whence::end);
  EXPECT_EQ(f.write("def"), 3u);
  f.close();
  EXPECT_EQ(fs().read_file("/b"), "abcdef");
  EXPECT_FALSE(fs().exists("/a"));
}

TEST_P(RenameTest, AReplacedOpenFileKeepsItsOldDataForItsHandles) {
  fs().write_file("/target", "old");
  fs().write_file("/staging", "new");
  File old = fs().open("/target", "r");
  fs().rename("/staging", "/target");
  EXPECT_EQ(old.read_all(), "old");
  EXPECT_EQ(fs().read_file("/target"), "new");
}

// exchange: two entries swap places at once, subtrees and open handles
// along (the backends that cannot swap atomically say so).
class ExchangeTest : public BackendTest {};
MEMFS_INSTANTIATE_CONFORMANCE(ExchangeTest);

TEST_P(ExchangeTest, SwapsAFileAndADirectoryWithWhatIsBelow) {
  fs().write_file("/f", "file");
  fs().create_directories("/d/sub");
  fs().write_file("/d/sub/x", "below");
  std::error_code ec;
  fs().exchange("/f", "/d", ec);
  if (!backend().exchanges) {
    EXPECT_EQ(ec, std::errc::operation_not_supported);
    EXPECT_EQ(fs().read_file("/f"), "file");
    return;
  }
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(fs().read_file("/d"), "file");
  EXPECT_TRUE(fs().is_directory("/f"));
  EXPECT_EQ(fs().read_file("/f/sub/x"), "below");
  EXPECT_FALSE(fs().exists("/d/sub"));
}

class AtomicExchangeTest : public BackendTest {};
MEMFS_INSTANTIATE_CONFORMANCE_WHERE(AtomicExchangeTest, swaps_atomically);

TEST_P(AtomicExchangeTest, OpenHandlesFollowTheirFile) {
  fs().create_directory("/a");
  fs().write_file("/a/one", "1");
  fs().write_file("/two", "2");
  File h = fs().open("/a/one", "r+");
  fs().exchange("/a/one", "/two");
  EXPECT_EQ(h.write("X"), 1u);
  h.close();
  EXPECT_EQ(fs().read_file("/two"), "X");
  EXPECT_EQ(fs().read_file("/a/one"), "2");
  fs().exchange("/two", "/two");  // with itself: nothing
  EXPECT_EQ(fs().read_file("/two"), "X");
}

TEST_P(ExchangeTest, MissingRootAndNestedAreRefused) {
  fs().create_directories("/d/e");
  fs().write_file("/f", "x");
  std::error_code ec;
  fs().exchange("/f", "/missing", ec);
  EXPECT_EQ(ec, std::errc::no_such_file_or_directory);
  fs().exchange("/missing", "/f", ec);
  EXPECT_EQ(ec, std::errc::no_such_file_or_directory);
  fs().exchange("/", "/f", ec);
  EXPECT_EQ(ec, std::errc::invalid_argument);
  if (backend().exchanges) {
    fs().exchange("/d", "/d/e", ec);
    EXPECT_EQ(ec, std::errc::invalid_argument);
    fs().exchange("/d/e", "/d", ec);
    EXPECT_EQ(ec, std::errc::invalid_argument);
  }
  EXPECT_TRUE(fs().is_directory("/d/e"));
  EXPECT_THROW(fs().exchange("/f", "/missing"), memfs::filesystem_error);
}

}  // namespace
}  // namespace memfs::test
