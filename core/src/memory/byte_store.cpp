#include "memory/byte_store.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <new>

#if defined(__SANITIZE_ADDRESS__)
#define MEMFS_BYTE_STORE_NEW_ONLY 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MEMFS_BYTE_STORE_NEW_ONLY 1
#endif
#endif

namespace memfs::detail {
namespace {

using Blocks = std::vector<ByteStore::Block>;

constexpr std::size_t kSmallBlocks =
    ByteStore::kTierEdge / ByteStore::kBlockSize;

std::size_t block_size(std::size_t index) noexcept {
  return index < kSmallBlocks ? ByteStore::kBlockSize
                              : ByteStore::kHugeBlockSize;
}

#ifndef MEMFS_BYTE_STORE_NEW_ONLY
// A kHugeBlockSize mapping aligned to its size, so the kernel can back it
// with one transparent huge page: map twice the size, trim both ends.
char* map_huge_block() {
  constexpr std::size_t size = ByteStore::kHugeBlockSize;
  void* p = ::mmap(nullptr, 2 * size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  const auto start = reinterpret_cast<std::uintptr_t>(p);
  const std::uintptr_t aligned =
      (start + size - 1) & ~static_cast<std::uintptr_t>(size - 1);
  if (aligned > start) ::munmap(p, aligned - start);
  const std::uintptr_t tail = aligned + size;
  if (start + 2 * size > tail)
    ::munmap(reinterpret_cast<void*>(tail), start + 2 * size - tail);
#ifdef MADV_HUGEPAGE
  ::madvise(reinterpret_cast<void*>(aligned), size, MADV_HUGEPAGE);  // a hint
#endif
  return reinterpret_cast<char*>(aligned);
}
#endif

ByteStore::Block allocate_block(std::size_t index) {
  const std::size_t size = block_size(index);
#ifndef MEMFS_BYTE_STORE_NEW_ONLY
  if (size == ByteStore::kHugeBlockSize) return {map_huge_block(), {size}};
#endif
  return {new char[size], {size}};
}

// Blocks [first, first + count), uninitialized; on bad_alloc the ones made
// so far are freed.
Blocks allocate_blocks(std::size_t first, std::size_t count) {
  Blocks blocks;
  blocks.reserve(count);
  for (std::size_t i = 0; i < count; ++i)
    blocks.push_back(allocate_block(first + i));
  return blocks;
}

}  // namespace

void ByteStore::BlockDeleter::operator()(char* p) const noexcept {
#ifndef MEMFS_BYTE_STORE_NEW_ONLY
  if (size == kHugeBlockSize) {
    ::munmap(p, size);
    return;
  }
#endif
  delete[] p;
}

ByteStore::Place ByteStore::locate(std::uint64_t pos) noexcept {
  if (pos < kTierEdge) {
    return {static_cast<std::size_t>(pos / kBlockSize),
            static_cast<std::size_t>(pos % kBlockSize), kBlockSize};
  }
  const std::uint64_t rest = pos - kTierEdge;
  return {kSmallBlocks + static_cast<std::size_t>(rest / kHugeBlockSize),
          static_cast<std::size_t>(rest % kHugeBlockSize), kHugeBlockSize};
}

std::size_t ByteStore::blocks_for(std::uint64_t n) noexcept {
  return n == 0 ? 0
                : locate(n - 1).block + 1;  // the block holding the last byte
}

template <class Fn>
void ByteStore::for_each_piece(std::uint64_t offset, std::size_t n,
                               Fn&& fn) const {
  std::size_t done = 0;
  while (done < n) {
    const Place at = locate(offset + done);
    const std::size_t chunk = std::min(n - done, at.size - at.offset);
    fn(blocks_[at.block].get() + at.offset, chunk, done);
    done += chunk;
  }
}

ByteStore::ByteStore(std::string data) {
  const std::uint64_t n = data.size();
  if (n <= kBlockSize) {
    small_ = std::move(data);
    small_.shrink_to_fit();
  } else {
    blocks_ = allocate_blocks(0, blocks_for(n));
    write(0, data.data(), data.size());  // every byte written: no zero fill
  }
  size_ = n;
}

std::size_t ByteStore::read(std::uint64_t offset, char* out,
                            std::size_t n) const noexcept {
  if (offset >= size_) return 0;
  n = static_cast<std::size_t>(std::min<std::uint64_t>(n, size_ - offset));
  if (!blocked()) {
    std::memcpy(out, small_.data() + offset, n);
    return n;
  }
  for_each_piece(offset, n,
                 [out](const char* block, std::size_t count, std::size_t done) {
                   std::memcpy(out + done, block, count);
                 });
  return n;
}

void ByteStore::write(std::uint64_t offset, const char* data,
                      std::size_t n) noexcept {
  if (!blocked()) {
    std::memcpy(small_.data() + offset, data, n);
    return;
  }
  for_each_piece(offset, n,
                 [data](char* block, std::size_t count, std::size_t done) {
                   std::memcpy(block, data + done, count);
                 });
}

void ByteStore::write_at(std::uint64_t offset, const char* data,
                         std::size_t n) {
  const std::uint64_t end = offset + n;
  if (end <= size_) {
    write(offset, data, n);
    return;
  }
  if (!blocked() && end <= kBlockSize) {
    // Rebuild the tail: keep [0, offset), zeros up to offset, then the data.
    const std::size_t keep = static_cast<std::size_t>(std::min(offset, size_));
    const std::size_t gap = static_cast<std::size_t>(offset - keep);
    if (end > small_.capacity()) {
      std::string grown;
      grown.reserve(small_capacity_for(end));  // may throw: nothing changed
      grown.assign(small_, 0, keep);
      small_.swap(grown);
    } else {
      small_.resize(keep);  // within capacity: allocates nothing
    }
    small_.append(gap, '\0');
    small_.append(data, n);
    size_ = end;
    return;
  }
  if (!blocked()) {
    to_blocks(end, offset);
  } else {
    grow_blocks(blocks_for(end));
    fill_zero(size_, offset);
  }
  size_ = end;
  write(offset, data, n);
}

std::size_t ByteStore::small_capacity_for(std::uint64_t n) const noexcept {
  // Grow geometrically but never past a block, and never hold more than
  // twice what is used.
  return static_cast<std::size_t>(std::min<std::uint64_t>(
      kBlockSize, std::max<std::uint64_t>(n, small_.size() * 2)));
}

void ByteStore::to_blocks(std::uint64_t n, std::uint64_t zero_to) {
  Blocks blocks =
      allocate_blocks(0, blocks_for(n));  // may throw: nothing changed
  const std::size_t keep =
      static_cast<std::size_t>(std::min<std::uint64_t>(size_, n));
  if (keep > 0) std::memcpy(blocks[0].get(), small_.data(), keep);
  blocks_ = std::move(blocks);
  std::string().swap(small_);
  fill_zero(keep, zero_to);
}

void ByteStore::grow_blocks(std::size_t count) {
  if (count <= blocks_.size()) return;
  Blocks extra = allocate_blocks(blocks_.size(), count - blocks_.size());
  blocks_.reserve(count);  // may throw: nothing changed yet
  for (auto& b : extra) blocks_.push_back(std::move(b));
}

void ByteStore::fill_zero(std::uint64_t from, std::uint64_t to) noexcept {
  if (from >= to) return;
  for_each_piece(from, static_cast<std::size_t>(to - from),
                 [](char* block, std::size_t count, std::size_t) {
                   std::memset(block, 0, count);
                 });
}

void ByteStore::resize(std::uint64_t n) {
  if (n == size_) return;
  if (!blocked()) {
    if (n <= kBlockSize) {
      if (n > small_.capacity()) {
        std::string grown;
        grown.reserve(small_capacity_for(n));
        grown.assign(small_);
        grown.resize(static_cast<std::size_t>(n), '\0');
        small_.swap(grown);
      } else {
        small_.resize(static_cast<std::size_t>(n), '\0');
        if (small_.capacity() > 2 * n + 64) small_.shrink_to_fit();
      }
      size_ = n;
      return;
    }
    to_blocks(n, n);
    size_ = n;
    return;
  }
  if (n < size_) {
    blocks_.resize(blocks_for(n));  // bytes past the new end are unspecified
    size_ = n;
    return;
  }
  grow_blocks(blocks_for(n));  // may throw: nothing changed
  fill_zero(size_, n);
  size_ = n;
}

std::string ByteStore::to_string() const {
  std::string out;
  if (!blocked()) return small_;
  out.resize(static_cast<std::size_t>(size_));
  read(0, out.data(), out.size());
  return out;
}

void ByteStore::clear() noexcept {
  std::string().swap(small_);
  Blocks().swap(blocks_);
  size_ = 0;
}

}  // namespace memfs::detail
