// CrashOptions: unsynced data kept per block, torn writes, and the same
// crashed tree for the same seed.
#include <memory>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "memfs/crash.hpp"
#include "memfs/memory_file_system.hpp"

namespace {

constexpr std::size_t kBlock = 4096;

// A file of 8 blocks of 'a', synced with its name, then overwritten with 'b'
// and grown by 4 more blocks of 'c', none of it synced.
class CrashOptionsTest : public ::testing::Test {
 protected:
  CrashOptionsTest() {
    memfs::MemoryOptions o;
    o.track_durability = true;
    fs = std::make_unique<memfs::MemoryFileSystem>(o);
    auto f = fs->open("/data", "w");
    EXPECT_EQ(f.write(std::string(8 * kBlock, 'a')), 8 * kBlock);
    f.sync();
    fs->sync_directory("/");
    EXPECT_EQ(f.pwrite(0, std::string(8 * kBlock, 'b')), 8 * kBlock);
    EXPECT_EQ(f.pwrite(8 * kBlock, std::string(4 * kBlock, 'c')), 4 * kBlock);
  }
  std::string crashed(const memfs::CrashOptions& o) {
    return fs->crash_clone(o)->read_file("/data");
  }
  std::unique_ptr<memfs::MemoryFileSystem> fs;
};

TEST_F(CrashOptionsTest, PerBlockMixesOldAndNewBlocksWholeAndIsSeeded) {
  memfs::CrashOptions o;
  o.unsynced_data = memfs::UnsyncedData::keep_per_block;
  std::set<std::string> seen;
  for (std::uint64_t seed = 0; seed < 16; ++seed) {
    o.seed = seed;
    const std::string got = crashed(o);
    EXPECT_EQ(got, crashed(o)) << "seed " << seed;  // deterministic
    ASSERT_TRUE(got.size() == 8 * kBlock || got.size() == 12 * kBlock);
    for (std::size_t b = 0; b < got.size() / kBlock; ++b) {
      const std::string block = got.substr(b * kBlock, kBlock);
      const char first = block[0];
      EXPECT_EQ(block, std::string(kBlock, first)) << "block " << b;
      if (b < 8) {
        EXPECT_TRUE(first == 'a' || first == 'b');
      } else {
        EXPECT_TRUE(first == 'c' || first == '\0');  // kept size, lost block
      }
    }
    seen.insert(got);
  }
  EXPECT_GT(seen.size(), 8u);  // the seeds really draw
}

TEST_F(CrashOptionsTest, ProbabilityZeroIsDropAndOneIsKeep) {
  memfs::CrashOptions o;
  o.unsynced_data = memfs::UnsyncedData::keep_per_block;
  o.keep_probability = 0;
  EXPECT_EQ(crashed(o), std::string(8 * kBlock, 'a'));
  o.keep_probability = 1;
  EXPECT_EQ(crashed(o), fs->read_file("/data"));
}

TEST_F(CrashOptionsTest, TornWriteZeroesTheTailOfTheLastChangedBlock) {
  memfs::CrashOptions o;
  o.unsynced_data = memfs::UnsyncedData::keep;
  o.torn_block_size = 512;
  const std::string got = crashed(o);
  const std::string now = fs->read_file("/data");
  ASSERT_EQ(got.size(), now.size());
  const std::size_t start = now.size() - 512;
  EXPECT_EQ(got.substr(0, start), now.substr(0, start));
  const std::string torn = got.substr(start);
  const std::size_t cut = torn.find('\0');
  ASSERT_NE(cut, std::string::npos);
  EXPECT_GT(cut, 0u);
  EXPECT_EQ(torn.substr(0, cut), std::string(cut, 'c'));
  EXPECT_EQ(torn.substr(cut), std::string(512 - cut, '\0'));
}

TEST_F(CrashOptionsTest, TornWriteWithGarbageAndDroppedData) {
  memfs::CrashOptions o;
  o.torn_block_size = 4096;
  o.torn_tail = memfs::TornTail::garbage;
  o.seed = 7;
  const std::string got = crashed(o);
  EXPECT_EQ(got, crashed(o));
  // Dropped data: the synced 8 blocks, then the in-flight block torn.
  ASSERT_EQ(got.size(), 12 * kBlock);
  EXPECT_EQ(got.substr(0, 8 * kBlock), std::string(8 * kBlock, 'a'));
  EXPECT_EQ(got.substr(8 * kBlock, 3 * kBlock), std::string(3 * kBlock, '\0'));
  const std::string torn = got.substr(11 * kBlock);
  EXPECT_EQ(torn[0], 'c');
  EXPECT_NE(torn, std::string(kBlock, 'c'));
  o.seed = 8;
  EXPECT_NE(crashed(o), got);
}

}  // namespace
