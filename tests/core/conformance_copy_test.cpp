// Conformance: copy_file (with its copy_options) and the recursive copy.
#include <filesystem>
#include <string>

#include "backend.hpp"
#include "test_util.hpp"

namespace memfs::test {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using copy_options = std::filesystem::copy_options;

class CopyTest : public BackendTest {
 protected:
  // copy_file / copy, expecting an error that changes nothing.
  std::error_code copy_file_error(const std::string& from,
                                  const std::string& to,
                                  copy_options options = copy_options::none) {
    return failing(
        [&](std::error_code& ec) { fs().copy_file(from, to, options, ec); });
  }
  std::error_code copy_error(const std::string& from, const std::string& to,
                             copy_options options = copy_options::none) {
    return failing(
        [&](std::error_code& ec) { fs().copy(from, to, options, ec); });
  }

 private:
  template <class Op>
  std::error_code failing(Op&& op) {
    const std::string before = describe_state(fs());
    std::error_code ec;
    op(ec);
    EXPECT_TRUE(ec) << "expected an error";
    EXPECT_EQ(describe_state(fs()), before);
    return ec;
  }
};
MEMFS_INSTANTIATE_CONFORMANCE(CopyTest);

TEST_P(CopyTest, CopyFileMakesAnIndependentCopy) {
  fs().write_file("/src", "original");
  EXPECT_TRUE(fs().copy_file("/src", "/dst"));
  EXPECT_EQ(fs().read_file("/dst"), "original");
  fs().write_file("/src", "changed");
  EXPECT_EQ(fs().read_file("/dst"), "original");
  File f = fs().open("/dst", "a");
  EXPECT_EQ(f.write("+"), 1u);
  f.close();
  EXPECT_EQ(fs().read_file("/src"), "changed");
}

TEST_P(CopyTest, CopyFileOfAnEmptyFile) {
  fs().write_file("/src", "");
  EXPECT_TRUE(fs().copy_file("/src", "/dst"));
  EXPECT_TRUE(fs().is_regular_file("/dst"));
  EXPECT_EQ(fs().file_size("/dst"), 0u);
}

TEST_P(CopyTest, CopyFileOntoAnExistingFileIsFileExistsByDefault) {
  make_tree(fs(), {"/src", "/dst"});
  EXPECT_THAT(copy_file_error("/src", "/dst"), IsErr(std::errc::file_exists));
}

TEST_P(CopyTest, CopyFileSkipExistingLeavesTheDestination) {
  make_tree(fs(), {"/src", "/dst"});
  std::error_code ec;
  EXPECT_FALSE(fs().copy_file("/src", "/dst", copy_options::skip_existing, ec));
  EXPECT_THAT(ec, Succeeded());
  EXPECT_EQ(fs().read_file("/dst"), "/dst");
  EXPECT_TRUE(fs().copy_file("/src", "/new", copy_options::skip_existing));
  EXPECT_EQ(fs().read_file("/new"), "/src");
}

TEST_P(CopyTest, CopyFileOverwriteExistingReplaces) {
  fs().write_file("/src", "short");
  fs().write_file("/dst", "a much longer old content");
  EXPECT_TRUE(fs().copy_file("/src", "/dst", copy_options::overwrite_existing));
  EXPECT_EQ(fs().read_file("/dst"), "short");
}

TEST_P(CopyTest, CopyFileErrors) {
  make_tree(fs(), {"/src", "/dir/", "/full/x"});
  EXPECT_THAT(copy_file_error("/missing", "/dst"),
              IsErr(std::errc::no_such_file_or_directory));
  EXPECT_THAT(copy_file_error("/src", "/nodir/dst"),
              IsErr(std::errc::no_such_file_or_directory));
  EXPECT_THAT(copy_file_error("/dir", "/dst"),
              IsErr(std::errc::is_a_directory));
  EXPECT_THAT(
      copy_file_error("/src", "/full", copy_options::overwrite_existing),
      IsErr(std::errc::is_a_directory));
  EXPECT_THAT(copy_file_error("/src", "/src/x"),
              IsErr(std::errc::not_a_directory));
}

TEST_P(CopyTest, CopyOfAFileActsLikeCopyFile) {
  fs().write_file("/src", "data");
  fs().copy("/src", "/dst");
  EXPECT_EQ(fs().read_file("/dst"), "data");
  EXPECT_THAT(copy_error("/src", "/dst"), IsErr(std::errc::file_exists));
}

TEST_P(CopyTest, CopyOfADirectoryCopiesTheWholeTree) {
  make_tree(fs(), {"/src/a", "/src/sub/b", "/src/sub/deeper/c", "/src/empty/"});
  fs().copy("/src", "/dst");
  EXPECT_EQ(fs().read_file("/dst/a"), "/src/a");
  EXPECT_EQ(fs().read_file("/dst/sub/b"), "/src/sub/b");
  EXPECT_EQ(fs().read_file("/dst/sub/deeper/c"), "/src/sub/deeper/c");
  EXPECT_TRUE(fs().is_directory("/dst/empty"));
  EXPECT_THAT(fs().list("/dst"), ElementsAre("a", "empty", "sub"));
  // The source is untouched and independent.
  fs().write_file("/src/a", "changed");
  EXPECT_EQ(fs().read_file("/dst/a"), "/src/a");
}

TEST_P(CopyTest, CopyOfADirectoryMergesIntoAnExistingOne) {
  make_tree(fs(), {"/src/a", "/src/sub/b", "/dst/mine", "/dst/sub/theirs"});
  fs().copy("/src", "/dst");
  EXPECT_THAT(fs().list("/dst"), ElementsAre("a", "mine", "sub"));
  EXPECT_THAT(fs().list("/dst/sub"), ElementsAre("b", "theirs"));
}

TEST_P(CopyTest, ClashingFilesInATreeCopyFollowTheOptions) {
  make_tree(fs(), {"/src/a", "/src/b", "/dst/b"});
  // none: the clash fails the whole copy; "a" is not copied either.
  EXPECT_THAT(copy_error("/src", "/dst"), IsErr(std::errc::file_exists));
  fs().copy("/src", "/dst", copy_options::skip_existing);
  EXPECT_EQ(fs().read_file("/dst/a"), "/src/a");
  EXPECT_EQ(fs().read_file("/dst/b"), "/dst/b");
  fs().copy("/src", "/dst", copy_options::overwrite_existing);
  EXPECT_EQ(fs().read_file("/dst/b"), "/src/b");
}

TEST_P(CopyTest, CopyIntoItsOwnSubtreeIsInvalidArgument) {
  make_tree(fs(), {"/src/a", "/src/sub/"});
  EXPECT_THAT(copy_error("/src", "/src/sub/copy"),
              IsErr(std::errc::invalid_argument));
  EXPECT_THAT(copy_error("/src", "/src/sub"),
              IsErr(std::errc::invalid_argument));
}

TEST_P(CopyTest, CopyErrors) {
  make_tree(fs(), {"/src/a"});
  EXPECT_THAT(copy_error("/missing", "/dst"),
              IsErr(std::errc::no_such_file_or_directory));
  EXPECT_THAT(copy_error("/src", "/nodir/dst"),
              IsErr(std::errc::no_such_file_or_directory));
}

TEST_P(CopyTest, CopyOfAnEmptyDirectoryCreatesAnEmptyDirectory) {
  fs().create_directory("/e");
  fs().copy("/e", "/f");
  EXPECT_TRUE(fs().is_directory("/f"));
  EXPECT_THAT(fs().list("/f"), IsEmpty());
}

}  // namespace
}  // namespace memfs::test
