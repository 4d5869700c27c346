// MemoryFileSystem: stats() and open_handles() — used bytes equal the bytes
// held (removed-but-open files included), counts include the root, and open
// handles are tracked.
#include <string>

#include "memfs/memory_file_system.hpp"
#include "test_util.hpp"

namespace memfs::test {
namespace {

using ::testing::ElementsAre;

TEST(MemoryStats, AFreshFilesystemHoldsOnlyTheRoot) {
  MemoryFileSystem fs;
  const Stats s = fs.stats();
  EXPECT_EQ(s.used, 0u);
  EXPECT_EQ(s.quota, 256ull << 20);
  EXPECT_EQ(s.free, s.quota);
  EXPECT_EQ(s.file_count, 0u);
  EXPECT_EQ(s.directory_count, 1u);
  EXPECT_EQ(s.node_limit, std::nullopt);
  EXPECT_EQ(s.open_handles, 0u);
  EXPECT_EQ(fs.options().max_quota, 256ull << 20);
  EXPECT_EQ(fs.options().default_lock_timeout, std::chrono::seconds(30));
  EXPECT_FALSE(fs.options().lock_on_open);
}

TEST(MemoryStats, UsedIsTheSumOfFileSizesIncludingRemovedOpenFiles) {
  MemoryOptions options;
  options.max_quota = 10000;
  MemoryFileSystem fs(options);
  make_tree(fs, {"/a/one", "/a/two", "/b/"});
  EXPECT_EQ(fs.stats().used, sum_of_file_sizes(fs));
  File open_removed = fs.open("/a/one", "r+");
  open_removed.truncate(100);
  fs.remove("/a/one");
  EXPECT_EQ(fs.stats().used, sum_of_file_sizes(fs) + 100);
  open_removed.truncate(1000);
  EXPECT_EQ(fs.stats().used, sum_of_file_sizes(fs) + 1000);
  open_removed.close();
  EXPECT_EQ(fs.stats().used, sum_of_file_sizes(fs));
  EXPECT_EQ(fs.stats().free, 10000 - fs.stats().used);
}

TEST(MemoryStats, CountsFollowTheTree) {
  MemoryFileSystem fs;
  make_tree(fs, {"/d/f", "/d/e/", "/g"});
  Stats s = fs.stats();
  EXPECT_EQ(s.file_count, 2u);
  EXPECT_EQ(s.directory_count, 3u);
  const NodeCounts n = count_nodes(fs);
  EXPECT_EQ(n.files, s.file_count);
  EXPECT_EQ(n.directories, s.directory_count);
  fs.remove_all("/d");
  s = fs.stats();
  EXPECT_EQ(s.file_count, 1u);
  EXPECT_EQ(s.directory_count, 1u);
}

TEST(MemoryStats, OpenHandlesAreCounted) {
  MemoryFileSystem fs;
  File a = fs.open("/a", "w");
  File b = fs.open("/a", "r");
  EXPECT_EQ(fs.stats().open_handles, 2u);
  File moved = std::move(b);
  EXPECT_EQ(fs.stats().open_handles, 2u);
  moved.close();
  EXPECT_EQ(fs.stats().open_handles, 1u);
  {
    File c = fs.open("/a", "r");
    EXPECT_EQ(fs.stats().open_handles, 2u);
  }
  EXPECT_EQ(fs.stats().open_handles, 1u);
  std::error_code ec;
  (void)fs.open("/missing", "r", ec);  // a failed open holds nothing
  EXPECT_EQ(fs.stats().open_handles, 1u);
}

TEST(MemoryStats, OpenHandlesDescribeEachHandle) {
  MemoryFileSystem fs;
  fs.write_file("/b", "b");
  File w = fs.open("/b", "r+b");
  File r = fs.open("/a", "w+");
  w.lock(LockMode::exclusive);
  const std::vector<HandleInfo> handles = fs.open_handles();
  ASSERT_EQ(handles.size(), 2u);
  EXPECT_EQ(handles[0].path, "/a");  // sorted by path
  EXPECT_EQ(handles[0].mode, "w+");
  EXPECT_EQ(handles[0].lock, std::nullopt);
  EXPECT_FALSE(handles[0].removed);
  EXPECT_FALSE(handles[0].owner.empty());
  EXPECT_EQ(handles[1].path, "/b");
  EXPECT_EQ(handles[1].mode, "r+");
  EXPECT_EQ(handles[1].lock, std::optional<LockMode>(LockMode::exclusive));
}

TEST(MemoryStats, SpaceReportsTheQuota) {
  MemoryOptions options;
  options.max_quota = 1000;
  MemoryFileSystem fs(options);
  fs.write_file("/f", std::string(300, 'x'));
  const std::filesystem::space_info space = fs.space();
  EXPECT_EQ(space.capacity, 1000u);
  EXPECT_EQ(space.free, 700u);
  EXPECT_EQ(space.available, 700u);
}

}  // namespace
}  // namespace memfs::test
