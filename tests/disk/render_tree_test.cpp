// render_tree() against a checked-in picture (approved output), truncation,
// and human_size().
// The picture is approved output (support/approved.hpp: MEMFS_APPROVE=1
// rewrites tests/data/disk/render_tree.txt).
#include <gtest/gtest.h>

#include "disk_test_util.hpp"
#include "memfs/memory_file_system.hpp"
#include "memfs/snapshot.hpp"
#include "support/approved.hpp"

namespace memfs::test {
namespace {

void build_sample(FileSystem& fs) {
  fs.create_directories("/data/empty");
  fs.create_directories("/logs/2024");
  fs.write_file("/data/a.bin", std::string(4096, 'a'));
  fs.write_file("/data/big.bin", std::string(3u << 19, 'b'));  // 1.5 MiB
  fs.write_file("/logs/2024/app.log", "hello world\n");
  fs.write_file("/readme.txt", std::string(1023, 'r'));
  fs.write_file("/tab\tname", "");
  fs.write_file("/caf\xc3\xa9-\xff.txt", "x");  // valid UTF-8, then a bad byte
}

TEST(RenderTree, MatchesTheApprovedPicture) {
  MemoryFileSystem fs;
  build_sample(fs);
  EXPECT_TRUE(
      test_support::matches_approved(render_tree(fs), "disk/render_tree.txt"));
}

TEST(RenderTree, ASubtreeAFileAndAMissingPath) {
  MemoryFileSystem fs;
  build_sample(fs);
  EXPECT_EQ(render_tree(fs, "/logs"),
            "/logs/\n└── 2024/\n    └── app.log  (12 B)\n");
  EXPECT_EQ(render_tree(fs, "/readme.txt"), "/readme.txt  (1023 B)\n");
  EXPECT_EQ(render_tree(fs, "/nope"), "/nope  (No such file or directory)\n");
  RenderOptions no_sizes;
  no_sizes.sizes = false;
  EXPECT_EQ(render_tree(fs, "/logs", no_sizes),
            "/logs/\n└── 2024/\n    └── app.log\n");
}

TEST(RenderTree, LargeTreesAreCutWithACount) {
  MemoryFileSystem fs;
  for (int i = 0; i < 50; ++i)
    fs.write_file("/f" + std::to_string(100 + i), "x");
  RenderOptions opts;
  opts.max_lines = 3;
  EXPECT_EQ(render_tree(fs, "/", opts),
            "/\n├── f100  (1 B)\n├── f101  (1 B)\n├── f102  (1 B)\n... and 47 "
            "more entries\n");
  opts.max_lines = 49;
  EXPECT_NE(render_tree(fs, "/", opts).find("... and 1 more entry\n"),
            std::string::npos);
  opts.max_lines = 0;
  EXPECT_EQ(render_tree(fs, "/", opts).find("more entr"), std::string::npos);
}

TEST(RenderTree, DeepTreesDoNotExhaustTheStack) {
  MemoryFileSystem fs;
  std::string path;
  for (int i = 0; i < 2000; ++i) path += "/d";
  fs.create_directories(path);
  RenderOptions opts;
  opts.max_lines = 0;
  const std::string picture = render_tree(fs, "/", opts);
  EXPECT_EQ(std::count(picture.begin(), picture.end(), '\n'), 2001);
}

TEST(HumanSize, BinaryUnitsWithOneDecimal) {
  EXPECT_EQ(human_size(0), "0 B");
  EXPECT_EQ(human_size(1023), "1023 B");
  EXPECT_EQ(human_size(1024), "1.0 KiB");
  EXPECT_EQ(human_size(4096), "4.0 KiB");
  EXPECT_EQ(human_size(1536), "1.5 KiB");
  EXPECT_EQ(human_size((1u << 20) - 1), "1.0 MiB");  // not "1024.0 KiB"
  EXPECT_EQ(human_size(3u << 19), "1.5 MiB");
  EXPECT_EQ(human_size(std::uint64_t{5} << 30), "5.0 GiB");
  EXPECT_EQ(human_size(std::numeric_limits<std::uint64_t>::max()), "16.0 EiB");
}

}  // namespace
}  // namespace memfs::test
