// MemoryFileSystem: files large enough to use every storage tier. A file's
// bytes move from one buffer to 256 KiB blocks past 256 KiB and to 2 MiB
// huge-page blocks past 8 MiB; reads, writes, sparse gaps and truncation
// must not see the seams. Each test checks the file against a std::string
// model byte for byte.
#include <cstdint>
#include <string>

#include "memfs/memory_file_system.hpp"
#include "test_util.hpp"

namespace memfs::test {
namespace {

constexpr std::uint64_t kKiB = 1024;
constexpr std::uint64_t kMiB = 1024 * kKiB;
constexpr std::uint64_t kTierEdge = 8 * kMiB;  // where 2 MiB blocks begin

// Bytes that differ at every position (a period that is no power of two),
// so a piece copied to the wrong place cannot compare equal.
std::string pattern(std::size_t n, unsigned seed) {
  std::string out(n, '\0');
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = static_cast<char>((i * 131 + seed * 17 + i / 251) % 253 + 1);
  }
  return out;
}

void pwrite_model(std::string& model, std::uint64_t offset,
                  const std::string& data) {
  const auto end = static_cast<std::size_t>(offset) + data.size();
  if (model.size() < end) model.resize(end, '\0');
  model.replace(static_cast<std::size_t>(offset), data.size(), data);
}

// The whole file, read in pieces that straddle block boundaries.
std::string read_all(File& f, std::size_t piece) {
  std::string out;
  std::string buffer(piece, '\0');
  std::uint64_t offset = 0;
  for (;;) {
    const std::size_t n = f.pread(offset, buffer.data(), buffer.size());
    if (n == 0) break;
    out.append(buffer, 0, n);
    offset += n;
  }
  return out;
}

TEST(MemoryLargeFile, WritesAcrossEveryTierReadBackExactly) {
  MemoryFileSystem fs;
  File f = fs.open("/big", "w+");
  std::string model;
  // Odd-sized pieces so writes straddle the 256 KiB blocks, the 8 MiB edge
  // and the 2 MiB blocks after it.
  const std::size_t piece = 3 * kMiB + 12'345;
  for (unsigned i = 0; model.size() < kTierEdge + 5 * kMiB; ++i) {
    const std::string data = pattern(piece, i);
    const std::uint64_t offset = model.size();
    EXPECT_EQ(f.pwrite(offset, data), data.size());
    pwrite_model(model, offset, data);
  }
  EXPECT_EQ(f.size(), model.size());
  EXPECT_EQ(fs.stats().used, model.size());
  EXPECT_TRUE(read_all(f, 1 * kMiB + 7) == model);
  EXPECT_TRUE(fs.read_file("/big") == model);
}

TEST(MemoryLargeFile, OverwritesStraddlingTheTierEdgeLandInPlace) {
  MemoryFileSystem fs;
  std::string model =
      pattern(static_cast<std::size_t>(kTierEdge + 3 * kMiB), 1);
  fs.write_file("/big", model);
  File f = fs.open("/big", "r+");
  const std::uint64_t offsets[] = {kTierEdge - 100, kTierEdge - 256 * kKiB - 1,
                                   kTierEdge + 2 * kMiB - 3, 0, kTierEdge};
  unsigned seed = 10;
  for (const std::uint64_t off : offsets) {
    const std::string data = pattern(300 * kKiB + seed, seed);
    EXPECT_EQ(f.pwrite(off, data), data.size());
    pwrite_model(model, off, data);
    ++seed;
  }
  EXPECT_EQ(f.size(), model.size());
  EXPECT_TRUE(read_all(f, 64 * kKiB + 1) == model);
}

TEST(MemoryLargeFile, ASparseWritePastTheEdgeReadsZerosInTheGap) {
  MemoryFileSystem fs;
  File f = fs.open("/sparse", "w+");
  std::string model = pattern(100 * kKiB, 2);  // still one buffer
  EXPECT_EQ(f.pwrite(0, model), model.size());
  const std::string tail = pattern(5000, 3);
  const std::uint64_t far = kTierEdge + 3 * kMiB + 17;
  EXPECT_EQ(f.pwrite(far, tail), tail.size());
  pwrite_model(model, far, tail);
  EXPECT_EQ(f.size(), far + tail.size());
  EXPECT_TRUE(read_all(f, 2 * kMiB - 1) == model);
}

TEST(MemoryLargeFile, TruncatingAcrossTheEdgeAndGrowingAgainZeroFills) {
  MemoryFileSystem fs;
  std::string model =
      pattern(static_cast<std::size_t>(kTierEdge + 4 * kMiB + 5), 4);
  fs.write_file("/t", model);
  File f = fs.open("/t", "r+");
  // Down into the 256 KiB tier, mid-block, then back up past the edge: the
  // regrown range must read as zeros, not as the old bytes.
  const std::uint64_t shrink_to = kTierEdge - 300 * kKiB + 11;
  f.truncate(shrink_to);
  model.resize(static_cast<std::size_t>(shrink_to));
  EXPECT_EQ(fs.stats().used, shrink_to);
  const std::uint64_t grow_to = kTierEdge + 2 * kMiB + 99;
  f.truncate(grow_to);
  model.resize(static_cast<std::size_t>(grow_to), '\0');
  EXPECT_EQ(fs.stats().used, grow_to);
  EXPECT_TRUE(read_all(f, 3 * kMiB) == model);
  // Down inside the huge tier, mid-block, and up again.
  const std::uint64_t mid = kTierEdge + kMiB + 3;
  f.truncate(mid);
  model.resize(static_cast<std::size_t>(mid));
  f.truncate(grow_to);
  model.resize(static_cast<std::size_t>(grow_to), '\0');
  EXPECT_TRUE(read_all(f, 777 * kKiB) == model);
}

// An open with "w" keeps the file's unshared blocks for the rewrite
// (ByteStore's spare blocks): none of the old bytes may show through a gap,
// a clone, or a later truncating open.
TEST(MemoryLargeFile, RewritingThroughWShowsNoneOfTheOldBytes) {
  MemoryFileSystem fs;
  fs.write_file("/big",
                pattern(static_cast<std::size_t>(kTierEdge + 3 * kMiB), 6));
  std::string model;
  {
    File f = fs.open("/big", "w+");
    EXPECT_EQ(fs.stats().used, 0u);
    const std::string first = pattern(static_cast<std::size_t>(kMiB), 7);
    EXPECT_EQ(f.pwrite(100, first.data(), first.size()), first.size());
    pwrite_model(model, 100, first);  // bytes 0..99 read as zeros
    const auto copy = fs.clone();     // a handle is open
    const std::string second =
        pattern(static_cast<std::size_t>(kTierEdge + kMiB + 7), 8);
    EXPECT_EQ(f.pwrite(3 * kMiB, second.data(), second.size()), second.size());
    const std::string before = model;
    pwrite_model(model, 3 * kMiB, second);  // a gap again, across blocks
    EXPECT_TRUE(read_all(f, 5 * kMiB) == model);
    EXPECT_TRUE(copy->read_file("/big") == before);
  }
  EXPECT_TRUE(fs.read_file("/big") == model);
  EXPECT_EQ(fs.stats().used, model.size());
  { File f = fs.open("/big", "w"); }  // emptied, nothing rewritten
  EXPECT_EQ(fs.read_file("/big"), "");
  EXPECT_EQ(fs.stats().used, 0u);
  {
    File f = fs.open("/big", "w");
    f.truncate(kTierEdge + 5);  // growth reads as zeros
  }
  EXPECT_TRUE(fs.read_file("/big") ==
              std::string(static_cast<std::size_t>(kTierEdge + 5), '\0'));
}

TEST(MemoryLargeFile, ReplacingALargeFileFreesItsBlocks) {
  MemoryFileSystem fs;
  fs.write_file("/big",
                pattern(static_cast<std::size_t>(kTierEdge + 6 * kMiB), 5));
  fs.write_file("/big", "small");
  EXPECT_EQ(fs.stats().used, 5u);
  EXPECT_EQ(fs.read_file("/big"), "small");
  fs.remove("/big");
  EXPECT_EQ(fs.stats().used, 0u);
}

}  // namespace
}  // namespace memfs::test
