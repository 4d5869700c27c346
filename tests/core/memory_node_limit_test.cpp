// MemoryFileSystem: the node cap (files + directories, root included). An
// operation that would pass it fails with node_limit_exceeded and changes
// nothing, bulk operations included.
#include <string>

#include "memfs/memory_file_system.hpp"
#include "test_util.hpp"

namespace memfs::test {
namespace {

MemoryOptions with_nodes(std::uint64_t max_nodes) {
  MemoryOptions options;
  options.max_nodes = max_nodes;
  return options;
}

// Expects `ec` to be a node-limit error and the tree to look like `before`.
void expect_node_error_changed_nothing(const std::error_code& ec,
                                       FileSystem& fs,
                                       const std::string& before) {
  EXPECT_THAT(ec, IsErr(memfs::errc::node_limit_exceeded));
  EXPECT_EQ(describe_state(fs), before);
}

TEST(MemoryNodeLimit, ZeroNodesIsRejectedByTheConstructor) {
  auto e =
      catch_as<filesystem_error>([] { MemoryFileSystem fs(with_nodes(0)); });
  ASSERT_TRUE(e.has_value());
  EXPECT_THAT(e->code(), IsErr(std::errc::invalid_argument));
}

TEST(MemoryNodeLimit, OneNodeAllowsOnlyTheRoot) {
  MemoryFileSystem fs(with_nodes(1));
  EXPECT_EQ(fs.stats().node_limit, std::optional<std::uint64_t>(1));
  const std::string before = describe_state(fs);
  std::error_code ec;
  fs.create_directory("/d", ec);
  expect_node_error_changed_nothing(ec, fs, before);
  (void)fs.open("/f", "w", ec);
  expect_node_error_changed_nothing(ec, fs, before);
  fs.write_file("/f", "", ec);
  expect_node_error_changed_nothing(ec, fs, before);
  fs.import_tree({{"/f", "x"}}, ec);
  expect_node_error_changed_nothing(ec, fs, before);
  EXPECT_TRUE(fs.is_directory("/"));
}

TEST(MemoryNodeLimit, TheRootCountsTowardsTheCap) {
  MemoryFileSystem fs(with_nodes(3));
  fs.write_file("/a", "a");
  fs.write_file("/b", "b");
  const std::string before = describe_state(fs);
  auto e =
      catch_as<node_limit_exceeded_error>([&] { fs.write_file("/c", "c"); });
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->current(), 3u);
  EXPECT_EQ(e->limit(), 3u);
  EXPECT_THAT(e->code(), IsErr(std::errc::no_space_on_device));
  EXPECT_EQ(describe_state(fs), before);
  // A node-limit error is a quota error too.
  EXPECT_THROW(fs.create_directory("/d"), quota_exceeded_error);
}

TEST(MemoryNodeLimit, TwoNodesHoldTheRootAndOneDirectory) {
  MemoryFileSystem fs(with_nodes(2));
  fs.create_directory("/a");
  EXPECT_THAT(ec_of([&](auto& ec) { fs.create_directory("/b", ec); }),
              IsErr(memfs::errc::node_limit_exceeded));
}

TEST(MemoryNodeLimit, RemovingFreesASlot) {
  MemoryFileSystem fs(with_nodes(2));
  fs.write_file("/a", "a");
  fs.remove("/a");
  fs.create_directory("/d");
  fs.remove_all("/d");
  fs.write_file("/b", "b");
  EXPECT_EQ(fs.stats().file_count, 1u);
}

TEST(MemoryNodeLimit, ExistingFilesStayWritableAtTheCap) {
  MemoryFileSystem fs(with_nodes(2));
  fs.write_file("/f", "one");
  fs.write_file("/f", "two");
  File f = fs.open("/f", "w");
  EXPECT_EQ(f.write("three"), 5u);
  f.close();
  fs.import_tree({{"/f", "four"}});
  EXPECT_EQ(fs.read_file("/f"), "four");
}

TEST(MemoryNodeLimit, CreateDirectoriesIsAllOrNothing) {
  MemoryFileSystem fs(with_nodes(3));
  const std::string before = describe_state(fs);
  auto e = catch_as<node_limit_exceeded_error>(
      [&] { fs.create_directories("/a/b/c"); });
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->requested(), 3u);
  EXPECT_EQ(e->available(), 2u);
  EXPECT_EQ(describe_state(fs), before);
  EXPECT_FALSE(fs.exists("/a"));
  EXPECT_TRUE(fs.create_directories("/a/b"));
}

TEST(MemoryNodeLimit, AnImportIsAllOrNothing) {
  MemoryFileSystem fs(with_nodes(5));
  fs.write_file("/existing", "old");
  const std::string before = describe_state(fs);
  std::error_code ec;
  // root + existing + a + a/b + a/b/c + a/d = 6 > 5
  fs.import_tree({{"/existing", "new"}, {"/a/b/c", "c"}, {"/a/d", "d"}}, ec);
  expect_node_error_changed_nothing(ec, fs, before);
  EXPECT_FALSE(fs.exists("/a"));
  fs.import_tree({{"/existing", "new"}, {"/a/b/c", "c"}});  // exactly 5
  EXPECT_EQ(fs.read_file("/existing"), "new");
}

TEST(MemoryNodeLimit, ATreeCopyIsAllOrNothing) {
  MemoryFileSystem fs(with_nodes(7));
  fs.create_directories("/src/sub");
  fs.write_file("/src/a", "a");
  fs.write_file("/src/sub/b", "b");  // 5 nodes with the root
  const std::string before = describe_state(fs);
  std::error_code ec;
  fs.copy("/src", "/dst", std::filesystem::copy_options::none, ec);  // needs 4
  expect_node_error_changed_nothing(ec, fs, before);
  fs.copy_file("/src/a", "/a2");
  fs.copy_file("/src/a", "/a3");
  fs.copy_file("/src/a", "/a4", std::filesystem::copy_options::none, ec);
  EXPECT_THAT(ec, IsErr(memfs::errc::node_limit_exceeded));
}

TEST(MemoryNodeLimit, RenameNeedsNoNewNode) {
  MemoryFileSystem fs(with_nodes(4));
  fs.create_directory("/d");
  fs.write_file("/a", "a");
  fs.write_file("/b", "b");
  fs.rename("/a", "/d/a");
  fs.rename("/d", "/e");
  fs.rename("/b", "/e/a");  // replaces: frees a node
  fs.write_file("/c", "c");
  EXPECT_EQ(fs.stats().file_count, 2u);
  EXPECT_EQ(fs.stats().directory_count, 2u);
}

}  // namespace
}  // namespace memfs::test
