// Conformance: import_tree (validation, all or nothing) and export_tree
// (prefixes, only_dirty, empty directories).
#include <atomic>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "backend.hpp"
#include "memfs/hook.hpp"
#include "test_util.hpp"

namespace memfs::test {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using Files = std::map<std::string, std::string>;

class ImportTest : public BackendTest {
 protected:
  // Imports `files`, expecting an error that changes nothing.
  std::error_code failing_import(const Files& files) {
    const std::string before = describe_state(fs());
    std::error_code ec;
    fs().import_tree(files, ec);
    EXPECT_TRUE(ec) << "expected an error";
    EXPECT_EQ(describe_state(fs()), before);
    return ec;
  }
};
MEMFS_INSTANTIATE_CONFORMANCE(ImportTest);

TEST_P(ImportTest, CreatesFilesAndMissingParents) {
  fs().import_tree(
      {{"/a.txt", "A"}, {"/deep/er/b.bin", std::string("\0b", 2)}});
  EXPECT_EQ(fs().read_file("/a.txt"), "A");
  EXPECT_EQ(fs().read_file("/deep/er/b.bin"), std::string("\0b", 2));
  EXPECT_TRUE(fs().is_directory("/deep/er"));
}

TEST_P(ImportTest, ReplacesExistingFilesAndKeepsTheRest) {
  make_tree(fs(), {"/d/old", "/d/keep"});
  fs().import_tree({{"/d/old", "replaced"}, {"/d/new", "new"}});
  EXPECT_EQ(fs().read_file("/d/old"), "replaced");
  EXPECT_EQ(fs().read_file("/d/new"), "new");
  EXPECT_EQ(fs().read_file("/d/keep"), "/d/keep");
}

TEST_P(ImportTest, AnEmptyMapDoesNothing) {
  make_tree(fs(), {"/f"});
  const std::string before = describe_state(fs());
  fs().import_tree({});
  EXPECT_EQ(describe_state(fs()), before);
}

TEST_P(ImportTest, KeysAreNormalized) {
  fs().import_tree({{"a\\b", "1"}, {"/c/./d", "2"}});
  EXPECT_EQ(fs().read_file("/a/b"), "1");
  EXPECT_EQ(fs().read_file("/c/d"), "2");
}

TEST_P(ImportTest, TheRootIsInvalidArgument) {
  EXPECT_THAT(failing_import({{"/", "x"}, {"/ok", "y"}}),
              IsErr(std::errc::invalid_argument));
  EXPECT_THAT(failing_import({{"", "x"}}), IsErr(std::errc::invalid_argument));
}

TEST_P(ImportTest, ADirectoryKeyIsIsADirectory) {
  make_tree(fs(), {"/d/inside"});
  EXPECT_THAT(failing_import({{"/d", "x"}, {"/ok", "y"}}),
              IsErr(std::errc::is_a_directory));
}

TEST_P(ImportTest, OverlappingKeysAreInvalidArgument) {
  EXPECT_THAT(failing_import({{"/a", "file"}, {"/a/b", "under the file"}}),
              IsErr(std::errc::invalid_argument));
  EXPECT_THAT(failing_import({{"/x/a", "1"}, {"/x/a/b/c", "2"}}),
              IsErr(std::errc::invalid_argument));
  EXPECT_FALSE(fs().exists("/x"));
}

TEST_P(ImportTest, AKeyEndingInASlashIsInvalidArgument) {
  EXPECT_THAT(failing_import({{"/ok", "1"}, {"/a/", "a directory name"}}),
              IsErr(std::errc::invalid_argument));
  EXPECT_FALSE(fs().exists("/ok"));
  EXPECT_FALSE(fs().exists("/a"));
}

TEST_P(ImportTest, KeysNamingTheSamePathAreInvalidArgument) {
  EXPECT_THAT(failing_import({{"/a", "1"}, {"/x/../a", "2"}}),
              IsErr(std::errc::invalid_argument));
}

TEST_P(ImportTest, ABadPathIsInvalidArgumentBeforeAnythingIsWritten) {
  EXPECT_THAT(
      failing_import({{"/new/deep/path/f.bin", "x"}, {"../invalid", "y"}}),
      IsErr(std::errc::invalid_argument));
  EXPECT_FALSE(fs().exists("/new"));
  EXPECT_THAT(failing_import({{"/ok", "x"}, {std::string("/nul\0", 5), "y"}}),
              IsErr(std::errc::invalid_argument));
}

TEST_P(ImportTest, AFileInTheWayOfAParentIsNotADirectory) {
  make_tree(fs(), {"/f"});
  EXPECT_THAT(failing_import({{"/a/new", "x"}, {"/f/x", "y"}}),
              IsErr(std::errc::not_a_directory));
  EXPECT_FALSE(fs().exists("/a"));
}

TEST_P(ImportTest, TheDataIsCopied) {
  Files files = {{"/f", "original"}};
  fs().import_tree(files);
  files["/f"][0] = 'X';
  EXPECT_EQ(fs().read_file("/f"), "original");
}

// A hook that fails the n-th operation of one kind (1-based).
class FailNth final : public FileSystemHook {
 public:
  FailNth(Op op, int n) : op_(op), n_(n) {}
  Injection before(const OpContext& ctx) override {
    Injection injection;
    if (ctx.op == op_ && ++seen_ == n_) {
      injection.error = make_error_code(memfs::errc::injected_fault);
    }
    return injection;
  }

 private:
  Op op_;
  int n_;
  std::atomic<int> seen_{0};
};

TEST_P(ImportTest, AFailureOnTheSecondFileImportsNothing) {
  make_tree(fs(), {"/existing", "/d/"});
  FailNth hook(Op::write, 2);
  fs().set_hook(&hook);
  EXPECT_THAT(
      failing_import(
          {{"/existing", "replaced"}, {"/new/deep/a", "a"}, {"/d/b", "b"}}),
      IsErr(memfs::errc::injected_fault));
  fs().set_hook(nullptr);
  EXPECT_EQ(fs().read_file("/existing"), "/existing");
  EXPECT_FALSE(fs().exists("/new"));
}

class ExportTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    make_tree(fs(),
              {"/a/f", "/a/sub/g", "/ab/h", "/top", "/a/empty/", "/nest/ed/"});
  }
};
MEMFS_INSTANTIATE_CONFORMANCE(ExportTest);

// only_dirty export: only backends with generation counters (a disk keeps
// none, so every file reads as generation 0).
class DirtyExportTest : public ExportTest {};
MEMFS_INSTANTIATE_CONFORMANCE_WHERE(DirtyExportTest, keeps_generation);

TEST_P(ExportTest, EverythingUnderTheRoot) {
  const ExportedTree t = fs().export_tree();
  EXPECT_EQ(t.files, (Files{{"/a/f", "/a/f"},
                            {"/a/sub/g", "/a/sub/g"},
                            {"/ab/h", "/ab/h"},
                            {"/top", "/top"}}));
  EXPECT_EQ(t.empty_directories,
            (std::set<std::string>{"/a/empty", "/nest/ed"}));
}

TEST_P(ExportTest, ADirectoryPrefixTakesItsSubtreeOnly) {
  const ExportedTree t = fs().export_tree("/a");
  EXPECT_EQ(t.files, (Files{{"/a/f", "/a/f"}, {"/a/sub/g", "/a/sub/g"}}));
  EXPECT_EQ(t.empty_directories, std::set<std::string>{"/a/empty"});
}

TEST_P(ExportTest, AFilePrefixTakesThatFile) {
  const ExportedTree t = fs().export_tree("/a/sub/g");
  EXPECT_EQ(t.files, (Files{{"/a/sub/g", "/a/sub/g"}}));
  EXPECT_THAT(t.empty_directories, IsEmpty());
}

TEST_P(ExportTest, AMissingPrefixIsEmpty) {
  std::error_code ec = make_error_code(std::errc::io_error);
  const ExportedTree t = fs().export_tree("/missing", {}, ec);
  EXPECT_THAT(ec, Succeeded());
  EXPECT_THAT(t.files, IsEmpty());
  EXPECT_THAT(t.empty_directories, IsEmpty());
}

TEST_P(DirtyExportTest, OnlyDirtyTakesFilesChangedSinceImport) {
  fs().import_tree({{"/a/f", "clean"}, {"/top", "clean"}, {"/z", "clean"}});
  File f = fs().open("/top", "a");
  EXPECT_EQ(f.write("!"), 1u);
  f.close();
  const ExportedTree t = fs().export_tree("/", dirty_only());
  EXPECT_EQ(t.files, (Files{{"/a/sub/g", "/a/sub/g"},
                            {"/ab/h", "/ab/h"},
                            {"/top", "clean!"}}));
}

TEST_P(ExportTest, TheExportIsADetachedCopy) {
  const ExportedTree t = fs().export_tree();
  fs().write_file("/top", "rewritten");
  fs().remove_all("/a");
  EXPECT_EQ(t.files.at("/top"), "/top");
  EXPECT_EQ(t.files.at("/a/f"), "/a/f");
}

TEST_P(ExportTest, DoesNotWaitForLockHolders) {
  File writer = fs().open("/top", "r+");
  writer.lock(LockMode::exclusive);
  EXPECT_EQ(writer.write("T"), 1u);
  const ExportedTree t = fs().export_tree();
  EXPECT_EQ(t.files.at("/top"), "Ttop");
}

TEST_P(ExportTest, RoundTripsIntoAFreshFilesystem) {
  const ExportedTree original = fs().export_tree();
  ASSERT_EQ(original.empty_directories,
            (std::set<std::string>{"/a/empty", "/nest/ed"}));
  std::unique_ptr<FileSystem> copy = backend().make();
  copy->import_tree(original);  // files and empty directories
  const ExportedTree again = copy->export_tree();
  EXPECT_EQ(again.files, original.files);
  EXPECT_EQ(again.empty_directories, original.empty_directories);
}

TEST_P(ImportTest, AnExportedTreeBringsItsEmptyDirectories) {
  fs().create_directory("/kept");
  ExportedTree tree;
  tree.files = {{"/d/f", "x"}};
  tree.empty_directories = {"/d/e", "/kept", "/n/e/w/"};
  std::error_code ec;
  fs().import_tree(tree, ec);
  EXPECT_THAT(ec, Succeeded());
  EXPECT_EQ(fs().read_file("/d/f"), "x");
  EXPECT_EQ(fs().list("/d"), (std::vector<std::string>{"e", "f"}));
  EXPECT_TRUE(fs().is_directory("/n/e/w"));
  EXPECT_THAT(fs().list("/kept"), IsEmpty());
}

TEST_P(ImportTest, AnExportedTreeThatFailsCreatesNoDirectory) {
  fs().write_file("/file", "x");
  const std::string before = describe_state(fs());
  ExportedTree tree;
  tree.empty_directories = {"/new/dir"};
  tree.files = {{"/file/below", "y"}};  // a file in the way: nothing happens
  std::error_code ec;
  fs().import_tree(tree, ec);
  EXPECT_THAT(ec, IsErr(std::errc::not_a_directory));
  EXPECT_EQ(describe_state(fs()), before);
}

TEST_P(ImportTest, AnEmptyDirectoryWithAFileBelowIsInvalidArgument) {
  const std::string before = describe_state(fs());
  ExportedTree tree;
  tree.empty_directories = {"/d"};
  tree.files = {{"/d/f", "x"}};
  std::error_code ec;
  fs().import_tree(tree, ec);
  EXPECT_THAT(ec, IsErr(std::errc::invalid_argument));
  EXPECT_EQ(describe_state(fs()), before);
  EXPECT_THROW(fs().import_tree(tree), filesystem_error);
}

}  // namespace
}  // namespace memfs::test
