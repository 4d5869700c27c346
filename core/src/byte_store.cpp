#include "byte_store.hpp"

#include <algorithm>
#include <cstring>

namespace memfs::detail {
namespace {

using Blocks = std::vector<std::unique_ptr<char[]>>;

std::size_t blocks_for(std::uint64_t n) noexcept {
  return static_cast<std::size_t>((n + ByteStore::kBlockSize - 1) / ByteStore::kBlockSize);
}

// `count` uninitialized blocks; on bad_alloc the ones made so far are freed.
Blocks allocate_blocks(std::size_t count) {
  Blocks blocks;
  blocks.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    blocks.emplace_back(new char[ByteStore::kBlockSize]);
  }
  return blocks;
}

}  // namespace

ByteStore::ByteStore(std::string data) {
  const std::uint64_t n = data.size();
  if (n <= kBlockSize) {
    small_ = std::move(data);
    small_.shrink_to_fit();
  } else {
    blocks_ = allocate_blocks(blocks_for(n));
    size_ = n;
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
  std::size_t done = 0;
  while (done < n) {
    const std::uint64_t pos = offset + done;
    const std::size_t in_block = static_cast<std::size_t>(pos % kBlockSize);
    const std::size_t chunk = std::min(n - done, kBlockSize - in_block);
    std::memcpy(out + done, blocks_[static_cast<std::size_t>(pos / kBlockSize)].get() + in_block,
                chunk);
    done += chunk;
  }
  return n;
}

void ByteStore::write(std::uint64_t offset, const char* data,
                      std::size_t n) noexcept {
  if (!blocked()) {
    std::memcpy(small_.data() + offset, data, n);
    return;
  }
  std::size_t done = 0;
  while (done < n) {
    const std::uint64_t pos = offset + done;
    const std::size_t in_block = static_cast<std::size_t>(pos % kBlockSize);
    const std::size_t chunk = std::min(n - done, kBlockSize - in_block);
    std::memcpy(blocks_[static_cast<std::size_t>(pos / kBlockSize)].get() + in_block,
                data + done, chunk);
    done += chunk;
  }
}

void ByteStore::write_at(std::uint64_t offset, const char* data, std::size_t n) {
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
  Blocks blocks = allocate_blocks(blocks_for(n));  // may throw: nothing changed
  const std::size_t keep = static_cast<std::size_t>(std::min<std::uint64_t>(size_, n));
  if (keep > 0) std::memcpy(blocks[0].get(), small_.data(), keep);
  blocks_ = std::move(blocks);
  std::string().swap(small_);
  fill_zero(keep, zero_to);
}

void ByteStore::grow_blocks(std::size_t count) {
  if (count <= blocks_.size()) return;
  Blocks extra = allocate_blocks(count - blocks_.size());
  blocks_.reserve(count);  // may throw: nothing changed yet
  for (auto& b : extra) blocks_.push_back(std::move(b));
}

void ByteStore::fill_zero(std::uint64_t from, std::uint64_t to) noexcept {
  while (from < to) {
    const std::size_t in_block = static_cast<std::size_t>(from % kBlockSize);
    const std::size_t chunk = static_cast<std::size_t>(
        std::min<std::uint64_t>(to - from, kBlockSize - in_block));
    std::memset(blocks_[static_cast<std::size_t>(from / kBlockSize)].get() + in_block, 0,
                chunk);
    from += chunk;
  }
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
  std::vector<std::unique_ptr<char[]>>().swap(blocks_);
  size_ = 0;
}

}  // namespace memfs::detail
