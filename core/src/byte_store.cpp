#include "byte_store.hpp"

#include <algorithm>
#include <cstring>

namespace memfs::detail {

ByteStore::ByteStore(std::string data) {
  const std::uint64_t n = data.size();
  if (n <= kBlockSize) {
    small_ = std::move(data);
    small_.shrink_to_fit();
  } else {
    to_blocks(n);  // with size_ still 0: nothing to keep from small_
    write(0, data.data(), data.size());
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

// Moves to block storage with room for n bytes (n > kBlockSize, or growing).
void ByteStore::to_blocks(std::uint64_t n) {
  const std::size_t count =
      static_cast<std::size_t>((n + kBlockSize - 1) / kBlockSize);
  std::vector<std::unique_ptr<char[]>> blocks;
  blocks.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    blocks.emplace_back(new char[kBlockSize]);
  }
  const std::size_t keep = static_cast<std::size_t>(std::min<std::uint64_t>(size_, n));
  if (keep > 0) std::memcpy(blocks[0].get(), small_.data(), keep);
  // Zero the tail of what was kept up to the new size, block by block.
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint64_t block_start = static_cast<std::uint64_t>(i) * kBlockSize;
    const std::uint64_t from = std::max<std::uint64_t>(block_start, keep);
    const std::uint64_t to = std::min<std::uint64_t>(block_start + kBlockSize, n);
    if (from < to) {
      std::memset(blocks[i].get() + (from - block_start), 0,
                  static_cast<std::size_t>(to - from));
    }
  }
  blocks_ = std::move(blocks);
  std::string().swap(small_);
}

void ByteStore::resize(std::uint64_t n) {
  if (n == size_) return;
  if (!blocked()) {
    if (n <= kBlockSize) {
      if (n > small_.capacity()) {
        // Grow geometrically but never past a block, and never hold more
        // than twice what is used.
        std::string grown;
        grown.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(
            kBlockSize, std::max<std::uint64_t>(n, small_.size() * 2))));
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
    to_blocks(n);
    size_ = n;
    return;
  }
  const std::size_t count =
      static_cast<std::size_t>((n + kBlockSize - 1) / kBlockSize);
  if (n < size_) {
    blocks_.resize(count);
    size_ = n;
    if (n % kBlockSize != 0 || n == 0) {
      // Bytes past the end inside the last block must read as zero if the
      // file grows again.
      const std::size_t in_block = static_cast<std::size_t>(n % kBlockSize);
      if (!blocks_.empty()) {
        std::memset(blocks_.back().get() + in_block, 0, kBlockSize - in_block);
      }
    }
    return;
  }
  // Growing: zero the old tail of the last block, then add zeroed blocks.
  std::vector<std::unique_ptr<char[]>> extra;
  extra.reserve(count - blocks_.size());
  for (std::size_t i = blocks_.size(); i < count; ++i) {
    extra.emplace_back(new char[kBlockSize]());
  }
  blocks_.reserve(count);  // may throw: nothing changed yet
  const std::size_t in_block = static_cast<std::size_t>(size_ % kBlockSize);
  if (in_block != 0) {
    std::memset(blocks_.back().get() + in_block, 0, kBlockSize - in_block);
  }
  for (auto& b : extra) blocks_.push_back(std::move(b));
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
