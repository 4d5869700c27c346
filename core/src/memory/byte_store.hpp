// Internal: the bytes of one in-memory file.
//
// The bytes live in reference-counted chunks that are shared between copies
// of a store and copied on write: copying a ByteStore (MemoryFileSystem::
// clone, a copy_file, a durability snapshot) copies only chunk pointers, and
// a later write on either copy duplicates just the chunk it touches. A
// chunk's refcount is atomic and a chunk is never written while shared, so
// copies may live on different threads; each store still needs its owner's
// lock, as any value does.
//
// Small files (up to kBlockSize) live in one exactly-grown chunk (a 1 KiB
// file costs about 1 KiB). Past kBlockSize a file moves to blocks, so a large
// file never needs one huge reallocation (no 2x peak while growing) and its
// memory stays within a block of its size. The first kTierEdge bytes are in
// kBlockSize (4 KiB) blocks; past that, blocks are kHugeBlockSize, aligned to
// it and offered to the kernel as transparent huge pages: filling new memory
// is bounded by page faults, and one 2 MiB fault costs far less than 512
// 4 KiB ones. A write to a shared store therefore copies 4 KiB in the first
// 8 MiB of a file and 2 MiB past that.
//
// Growing by a write (write_at) copies the data straight into fresh memory:
// only a gap between the old end and the write is zero-filled, so streaming
// into a file moves each byte once. The bytes of the last chunk at or past
// size() are unspecified; whatever makes them readable (resize, write_at)
// fills them first.
//
// Spare blocks: after empty_for_rewrite() the store may keep unshared blocks
// past its end (blocks_for(size()) <= blocks there), so a rewrite of a large
// file reuses its memory instead of mapping and faulting in fresh pages.
// They are never shared: a copy takes only the blocks that hold bytes, and
// release_spare() (a handle's close, in practice) frees them.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shared/single_threaded.hpp"

namespace memfs::detail {

class ByteStore {
 public:
  static constexpr std::size_t kBlockSize = 4 * 1024;
  static constexpr std::size_t kHugeBlockSize = 2 * 1024 * 1024;
  static constexpr std::uint64_t kTierEdge = 8 * 1024 * 1024;

  ByteStore() = default;
  explicit ByteStore(std::string_view data);
  // A store of n bytes whose contents are unspecified until fill() writes
  // them: the memory is allocated, nothing is copied (write_file allocates
  // before the tree lock and copies after its last locked instruction).
  static ByteStore of_size(std::uint64_t n);
  // Writes size() bytes from data over the whole store, which must be
  // unshared (as of_size() leaves it).
  void fill(const char* data) noexcept;

  // A copy shares every chunk (O(chunks): at most kTierEdge / kBlockSize
  // plus one per kHugeBlockSize; no byte is copied) and is an independent
  // value: writing either side leaves the other unchanged.
  // Spare blocks are not copied.
  ByteStore(const ByteStore& o);
  ByteStore& operator=(const ByteStore& o) {
    if (this != &o) *this = ByteStore(o);
    return *this;
  }
  ByteStore(ByteStore&&) noexcept = default;
  ByteStore& operator=(ByteStore&&) noexcept = default;
  ~ByteStore() = default;

  [[nodiscard]] std::uint64_t size() const noexcept { return size_; }

  // Copies up to n bytes at offset into out; returns the count.
  std::size_t read(std::uint64_t offset, char* out,
                   std::size_t n) const noexcept;

  // Sets the size to n, zero-filling growth. Strong guarantee: on bad_alloc
  // nothing changed (shrinking a shared store allocates nothing either).
  void resize(std::uint64_t n);

  // Writes n bytes at offset, growing the store to offset + n first if that
  // is past the end (bytes between the old end and offset read as zero).
  // Shared chunks it touches are copied first. Strong guarantee: on
  // bad_alloc nothing changed.
  void write_at(std::uint64_t offset, const char* data, std::size_t n);

  // The whole contents as one string.
  [[nodiscard]] std::string to_string() const;

  // Frees everything (drops this store's references).
  void clear() noexcept;
  // Empties the store, keeping the memory nobody else holds for the next
  // writes (an open with "w" followed by a rewrite of about the same size
  // then allocates nothing): an unshared small chunk, or the unshared
  // blocks up to the first shared one, which stay as spare blocks (see the
  // top). Anything else is freed, as clear(). Returns whether spare blocks
  // were kept (release_spare() frees them).
  bool empty_for_rewrite() noexcept;
  // Frees the spare blocks past the end, if any.
  void release_spare() noexcept;

  // The bytes of memory this store's chunks hold (shared ones included,
  // spare blocks too).
  [[nodiscard]] std::uint64_t capacity() const noexcept;

  // How many chunks this store shares with `other` at the same position
  // (for tests of copy-on-write, and for stats).
  [[nodiscard]] std::size_t chunks_shared_with(
      const ByteStore& other) const noexcept;

 private:
  // A refcounted piece of memory: new'd together with its header, or (huge
  // blocks) an aligned mapping (new[] under AddressSanitizer, which then
  // checks it).
  struct Chunk {
    std::atomic<std::uint32_t> refs;
    std::uint32_t capacity;
    char* data;
  };
  class ChunkRef {
   public:
    ChunkRef() = default;
    // A fresh, unshared chunk of `capacity` bytes (uninitialized).
    explicit ChunkRef(std::size_t capacity);
    ChunkRef(const ChunkRef& o) noexcept : c_(o.c_) {
      if (c_ != nullptr) fetch_add_st(c_->refs, 1u, std::memory_order_relaxed);
    }
    ChunkRef(ChunkRef&& o) noexcept : c_(std::exchange(o.c_, nullptr)) {}
    ChunkRef& operator=(ChunkRef o) noexcept {
      std::swap(c_, o.c_);
      return *this;
    }
    ~ChunkRef() {
      if (c_ != nullptr) release();
    }
    [[nodiscard]] char* data() const noexcept { return c_->data; }
    [[nodiscard]] std::size_t capacity() const noexcept {
      return c_ == nullptr ? 0 : c_->capacity;
    }
    // Nobody else holds it (acquire: their last reads happened before our
    // writes).
    [[nodiscard]] bool unique() const noexcept {
      return c_->refs.load(std::memory_order_acquire) == 1;
    }
    [[nodiscard]] bool same(const ChunkRef& o) const noexcept {
      return c_ != nullptr && c_ == o.c_;
    }
    explicit operator bool() const noexcept { return c_ != nullptr; }

   private:
    void release() noexcept;
    Chunk* c_ = nullptr;
  };

  // Where byte `pos` lives: block index, offset in it, and the block's size.
  struct Place {
    std::size_t block;
    std::size_t offset;
    std::size_t size;
  };
  static Place locate(std::uint64_t pos) noexcept;
  // How many blocks hold n bytes.
  static std::size_t blocks_for(std::uint64_t n) noexcept;
  // Applies fn(const ChunkRef& block, std::size_t offset_in_block,
  // std::size_t count, std::size_t done) to each block piece of
  // [offset, offset + n).
  template <class Fn>
  void for_each_piece(std::uint64_t offset, std::size_t n, Fn&& fn) const;

  [[nodiscard]] bool blocked() const noexcept { return !blocks_.empty(); }
  // Small mode: makes small_ unshared with room for n bytes, keeping
  // [0, size()). Strong guarantee.
  void own_small(std::uint64_t n);
  // Block mode: makes the existing blocks over [offset, offset + n)
  // unshared (copies of the same bytes, so a throw midway changes nothing
  // visible).
  void own_blocks(std::uint64_t offset, std::uint64_t n);
  // Moves the small chunk into blocks with room for n (> kBlockSize) bytes,
  // zero-filling [size(), zero_to). Leaves size() to the caller.
  void to_blocks(std::uint64_t n, std::uint64_t zero_to);
  // Adds blocks (uninitialized) until there are `count`. Strong guarantee.
  void grow_blocks(std::size_t count);
  // Block mode, blocks owned: zero-fills / overwrites within the blocks.
  void fill_zero(std::uint64_t from, std::uint64_t to) noexcept;
  void copy_in(std::uint64_t offset, const char* data, std::size_t n) noexcept;
  // Small mode: the capacity to allocate for growing to n bytes.
  [[nodiscard]] std::size_t small_capacity_for(std::uint64_t n) const noexcept;

  ChunkRef small_;  // used while blocks_ is empty (size_ <= kBlockSize)
  std::vector<ChunkRef> blocks_;
  std::uint64_t size_ = 0;
};

}  // namespace memfs::detail
