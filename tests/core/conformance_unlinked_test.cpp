// Conformance: removing (or replacing) a file that is open. The handles keep
// the data until the last one closes, as on POSIX; the storage is released
// then.
#include <string>

#include "backend.hpp"
#include "test_util.hpp"

namespace memfs::test {
namespace {

class UnlinkedTest : public BackendTest {
 protected:
  std::uint64_t used() { return fs().stats().used; }
  bool exact() const { return backend().exact_stats; }
  // Checks stats().used where the backend counts it exactly.
  void expect_used(std::uint64_t bytes) {
    if (exact()) {
      EXPECT_EQ(used(), bytes);
    }
  }
};
MEMFS_INSTANTIATE_CONFORMANCE(UnlinkedTest);

// Usage and handle accounting: only backends that count exactly (the disk
// backend reports what the host says, and keeps no handle registry of its own
// for removed files).
class UnlinkedExactTest : public UnlinkedTest {};
MEMFS_INSTANTIATE_CONFORMANCE_WHERE(UnlinkedExactTest, counts_exactly);

TEST_P(UnlinkedTest, AnOpenFileCanBeRemovedAndKeepsWorking) {
  fs().write_file("/f", "hello");
  File f = fs().open("/f", "r+");
  EXPECT_TRUE(fs().remove("/f"));
  EXPECT_FALSE(fs().exists("/f"));
  EXPECT_EQ(f.read_all(), "hello");
  EXPECT_EQ(f.write(" world"), 6u);
  EXPECT_EQ(f.size(), 11u);
  f.seek(0);
  EXPECT_EQ(f.read_all(), "hello world");
  f.truncate(3);
  EXPECT_EQ(f.size(), 3u);
  f.close();
  EXPECT_FALSE(fs().exists("/f"));
  EXPECT_TRUE(fs().list("/").empty());
}

TEST_P(UnlinkedTest, ANewFileAtTheSamePathIsADifferentFile) {
  fs().write_file("/f", "old");
  File old = fs().open("/f", "r");
  fs().remove("/f");
  fs().write_file("/f", "new!");
  EXPECT_EQ(old.read_all(), "old");
  EXPECT_EQ(fs().read_file("/f"), "new!");
}

TEST_P(UnlinkedExactTest, StorageIsReleasedWhenTheLastHandleCloses) {
  fs().write_file("/f", std::string(1000, 'x'));
  fs().write_file("/other", std::string(10, 'y'));
  File a = fs().open("/f", "r");
  File b = fs().open("/f", "r+");
  ASSERT_EQ(used(), 1010u);
  fs().remove("/f");
  EXPECT_EQ(used(), 1010u);  // still held by the handles
  EXPECT_EQ(fs().stats().file_count, 1u);
  EXPECT_EQ(b.write("grow", 4), 4u);
  b.seek(0, Whence::end);
  EXPECT_EQ(b.write("more"), 4u);
  EXPECT_EQ(used(), 1014u);
  a.close();
  EXPECT_EQ(used(), 1014u);
  b.close();
  EXPECT_EQ(used(), 10u);
}

TEST_P(UnlinkedTest, ARemoveAllOfADirectoryWithOpenFilesKeepsThemUntilClosed) {
  make_tree(fs(), {"/d/f", "/d/sub/g"});
  File f = fs().open("/d/sub/g", "r");
  EXPECT_EQ(fs().remove_all("/d"), 4u);
  EXPECT_FALSE(fs().exists("/d"));
  EXPECT_EQ(f.read_all(), "/d/sub/g");
  expect_used(8u);
  f.close();
  expect_used(0u);
}

TEST_P(UnlinkedTest, AFileReplacedByRenameIsReleasedWhenItsHandleCloses) {
  fs().write_file("/target", std::string(100, 'o'));
  fs().write_file("/staging", std::string(30, 'n'));
  File old = fs().open("/target", "r");
  fs().rename("/staging", "/target");
  expect_used(130u);
  EXPECT_EQ(old.size(), 100u);
  old.close();
  expect_used(30u);
  EXPECT_EQ(fs().read_file("/target"), std::string(30, 'n'));
}

TEST_P(UnlinkedExactTest, OpenHandlesShowRemovedFiles) {
  fs().write_file("/f", "x");
  File f = fs().open("/f", "r");
  File g = fs().open("/f", "r");
  EXPECT_EQ(fs().stats().open_handles, 2u);
  fs().remove("/f");
  const auto handles = fs().open_handles();
  ASSERT_EQ(handles.size(), 2u);
  EXPECT_EQ(handles[0].path, "/f");
  EXPECT_TRUE(handles[0].removed);
  EXPECT_TRUE(handles[1].removed);
  g.close();
  EXPECT_EQ(fs().stats().open_handles, 1u);
}

}  // namespace
}  // namespace memfs::test
