// The engine's byte store: copies share chunks, and a write copies only the
// chunks it touches (the base of MemoryFileSystem::clone).
#include "memory/byte_store.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace memfs::detail {
namespace {

std::string pattern(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + i % 23);
  return s;
}

TEST(ByteStore, CopySharesEveryChunkAndWriteCopiesOnlyTheBlockItTouches) {
  const std::string data = pattern(1 << 20);  // 256 blocks of 4 KiB
  ByteStore a(data);
  ByteStore b = a;
  EXPECT_EQ(b.chunks_shared_with(a), 256u);
  b.write_at(300000, "X", 1);
  EXPECT_EQ(b.chunks_shared_with(a), 255u);
  EXPECT_EQ(a.to_string(), data);
  std::string expected = data;
  expected[300000] = 'X';
  EXPECT_EQ(b.to_string(), expected);
  a.write_at(0, "Y", 1);  // the original copies its own block too
  EXPECT_EQ(a.chunks_shared_with(b), 254u);
  EXPECT_EQ(b.to_string(), expected);
}

TEST(ByteStore, HugeBlocksPastTheTierEdgeAreSharedAndCopiedOnWrite) {
  const std::string data =
      pattern(ByteStore::kTierEdge + 3 * ByteStore::kHugeBlockSize);
  ByteStore a(data);
  ByteStore b = a;
  const std::size_t blocks = ByteStore::kTierEdge / ByteStore::kBlockSize + 3;
  EXPECT_EQ(b.chunks_shared_with(a), blocks);
  b.write_at(ByteStore::kTierEdge + ByteStore::kHugeBlockSize + 5, "Z", 1);
  EXPECT_EQ(b.chunks_shared_with(a), blocks - 1);
  EXPECT_EQ(a.to_string(), data);
  EXPECT_EQ(b.to_string()[ByteStore::kTierEdge + ByteStore::kHugeBlockSize + 5],
            'Z');
}

TEST(ByteStore, OfSizeAllocatesAndFillWritesEveryByte) {
  for (const std::size_t n :
       {std::size_t{0}, std::size_t{1}, std::size_t{100}, ByteStore::kBlockSize,
        ByteStore::kBlockSize + 1, std::size_t{3} * ByteStore::kBlockSize}) {
    const std::string data = pattern(n);
    ByteStore store = ByteStore::of_size(n);
    EXPECT_EQ(store.size(), n);
    store.fill(data.data());
    EXPECT_EQ(store.to_string(), data) << n << " bytes";
    if (n <= ByteStore::kBlockSize) {
      EXPECT_EQ(store.capacity(), n) << "a small file's chunk is exact";
    }
  }
}

// The memory of freed small chunks is reused by later ones (byte_store.cpp):
// a chunk still held elsewhere is never among it, and a reused one holds
// only what its new store wrote.
TEST(ByteStore, ReusedChunkMemoryNeverMixesStores) {
  std::vector<ByteStore> kept;
  for (int round = 0; round < 50; ++round) {
    const std::size_t n = 1 + static_cast<std::size_t>(round) * 80;
    const std::string data = pattern(n);
    std::vector<ByteStore> stores;
    for (int i = 0; i < 20; ++i) stores.emplace_back(data);
    kept.push_back(stores[static_cast<std::size_t>(round) % 20]);  // shared
    stores.clear();  // the unshared ones are freed
    ByteStore fresh = ByteStore::of_size(n);
    fresh.fill(std::string(n, '#').data());
    EXPECT_EQ(fresh.to_string(), std::string(n, '#'));
    EXPECT_EQ(kept.back().to_string(), data) << "round " << round;
  }
  for (std::size_t i = 0; i < kept.size(); ++i)
    EXPECT_EQ(kept[i].to_string(), pattern(1 + i * 80)) << i;
}

TEST(ByteStore, SmallStoreIsOneSharedChunkUntilWritten) {
  ByteStore a(std::string_view("abcdefgh"));
  ByteStore b = a;
  EXPECT_EQ(b.chunks_shared_with(a), 1u);
  b.write_at(8, "ij", 2);  // append
  EXPECT_EQ(b.chunks_shared_with(a), 0u);
  EXPECT_EQ(a.to_string(), "abcdefgh");
  EXPECT_EQ(b.to_string(), "abcdefghij");
}

// Shrinking keeps sharing the chunk; growing again must zero-fill a private
// copy, never the bytes the other side still reads.
TEST(ByteStore, GrowingAfterAShrinkNeverWritesASharedChunk) {
  for (const std::size_t size : {std::size_t{8}, std::size_t{10000}}) {
    SCOPED_TRACE(size);
    const std::string data = pattern(size);
    ByteStore a(data);
    ByteStore b = a;
    b.resize(size / 2);
    b.resize(size);
    EXPECT_EQ(a.to_string(), data);
    EXPECT_EQ(b.to_string(),
              data.substr(0, size / 2) + std::string(size - size / 2, '\0'));
    ByteStore c = a;
    c.resize(size / 2);
    c.write_at(size - 1, "!", 1);  // a gap past the shrunk end reads as zeros
    EXPECT_EQ(a.to_string(), data);
    EXPECT_EQ(c.to_string(), data.substr(0, size / 2) +
                                 std::string(size - size / 2 - 1, '\0') + "!");
  }
}

TEST(ByteStore, AssignmentAndDestructionOfEitherSideLeaveTheOtherIntact) {
  const std::string data = pattern(20000);
  auto a = std::make_unique<ByteStore>(data);
  ByteStore b;
  b = *a;
  a.reset();
  EXPECT_EQ(b.to_string(), data);
  ByteStore c = b;
  b.clear();
  EXPECT_EQ(c.to_string(), data);
  EXPECT_EQ(b.size(), 0u);
}

// An open with "w" empties the file; its unshared small chunk stays for the
// rewrite that usually follows, and a shared one is never written.
TEST(ByteStore, EmptyForRewriteKeepsOnlyUnsharedChunks) {
  const std::string data = pattern(ByteStore::kBlockSize);
  ByteStore a(data);
  a.empty_for_rewrite();
  EXPECT_EQ(a.size(), 0u);
  EXPECT_EQ(a.to_string(), "");
  ByteStore probe = a;  // shares whatever chunk `a` kept
  EXPECT_EQ(probe.chunks_shared_with(a), 1u);

  ByteStore b(data);
  ByteStore copy = b;
  b.empty_for_rewrite();
  EXPECT_EQ(b.chunks_shared_with(copy), 0u);
  b.write_at(0, "new", 3);
  EXPECT_EQ(b.to_string(), "new");
  EXPECT_EQ(copy.to_string(), data);

  ByteStore big(pattern(3 * ByteStore::kBlockSize));
  EXPECT_TRUE(big.empty_for_rewrite());  // three spare blocks
  ByteStore big_probe = big;             // a copy takes no spare block
  EXPECT_EQ(big_probe.chunks_shared_with(big), 0u);
  EXPECT_EQ(big_probe.capacity(), 0u);
  EXPECT_EQ(big.size(), 0u);
  EXPECT_EQ(big.capacity(), 3 * ByteStore::kBlockSize);

  ByteStore shared(pattern(3 * ByteStore::kBlockSize));
  const ByteStore holder = shared;
  EXPECT_FALSE(shared.empty_for_rewrite());  // every block is shared
  EXPECT_EQ(shared.capacity(), 0u);
  EXPECT_EQ(holder.to_string(), pattern(3 * ByteStore::kBlockSize));
}

TEST(ByteStore, SpareBlocksReadAsZeroWhereverARewriteLeavesAGap) {
  const std::size_t n = ByteStore::kTierEdge + 2 * ByteStore::kHugeBlockSize;
  ByteStore a(pattern(n));
  const std::uint64_t held = a.capacity();
  ASSERT_TRUE(a.empty_for_rewrite());
  EXPECT_EQ(a.capacity(), held);  // nothing freed, nothing mapped
  EXPECT_EQ(a.to_string(), "");

  // A write past the end zero-fills the gap, though the spare blocks there
  // still hold the old bytes.
  a.write_at(10, "new", 3);
  EXPECT_EQ(a.to_string(), std::string(10, '\0') + "new");
  a.resize(ByteStore::kTierEdge + 100);  // growth into huge spare blocks
  std::string want(ByteStore::kTierEdge + 100, '\0');
  want.replace(10, 3, "new");
  EXPECT_EQ(a.to_string(), want);
  EXPECT_EQ(a.capacity(), held);

  // A copy shares the blocks that hold bytes, no spare one; writing either
  // side leaves the other as it was.
  ByteStore copy = a;
  EXPECT_LT(copy.capacity(), held);
  a.write_at(5, "xy", 2);
  EXPECT_EQ(copy.to_string(), want);

  a.release_spare();  // keeps the blocks up to the end only
  EXPECT_EQ(a.capacity(), copy.capacity());
  want.replace(5, 2, "xy");
  EXPECT_EQ(a.to_string(), want);

  ByteStore b(pattern(3 * ByteStore::kBlockSize));
  ASSERT_TRUE(b.empty_for_rewrite());
  b.release_spare();  // nothing rewritten: everything goes
  EXPECT_EQ(b.capacity(), 0u);
  b.write_at(0, "abc", 3);  // and the store works as a fresh one
  EXPECT_EQ(b.to_string(), "abc");
}

}  // namespace
}  // namespace memfs::detail
