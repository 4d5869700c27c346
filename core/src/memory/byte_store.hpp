// Internal: the bytes of one in-memory file.
//
// Small files live in one exactly-grown buffer (a 4 KiB file costs about
// 4 KiB); once a file passes kBlockSize it moves to blocks, so a large file
// never needs one huge reallocation (no 2x peak while growing) and its memory
// stays within a block of its size. The first kTierEdge bytes are in
// kBlockSize blocks; past that, blocks are kHugeBlockSize, aligned to it and
// offered to the kernel as transparent huge pages: filling new memory is
// bounded by page faults, and one 2 MiB fault costs far less than 512 4 KiB
// ones (about 4x faster for a 512 MiB file on this platform).
//
// Growing by a write (write_at) copies the data straight into fresh memory:
// only a gap between the old end and the write is zero-filled, so streaming
// into a file moves each byte once. In block mode the bytes of the last block
// at or past size() are unspecified; whatever makes them readable (resize,
// write_at) fills them first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace memfs::detail {

class ByteStore {
 public:
  static constexpr std::size_t kBlockSize = 256 * 1024;
  static constexpr std::size_t kHugeBlockSize = 2 * 1024 * 1024;
  static constexpr std::uint64_t kTierEdge = 8 * 1024 * 1024;

  ByteStore() = default;
  explicit ByteStore(std::string data);

  [[nodiscard]] std::uint64_t size() const noexcept { return size_; }

  // Copies up to n bytes at offset into out; returns the count.
  std::size_t read(std::uint64_t offset, char* out,
                   std::size_t n) const noexcept;

  // Sets the size to n, zero-filling growth. Strong guarantee: on bad_alloc
  // nothing changed.
  void resize(std::uint64_t n);

  // Overwrites [offset, offset + n); requires offset + n <= size().
  void write(std::uint64_t offset, const char* data, std::size_t n) noexcept;

  // Writes n bytes at offset, growing the store to offset + n first if that
  // is past the end (bytes between the old end and offset read as zero).
  // Strong guarantee: on bad_alloc nothing changed.
  void write_at(std::uint64_t offset, const char* data, std::size_t n);

  // The whole contents as one string.
  [[nodiscard]] std::string to_string() const;

  // Frees everything.
  void clear() noexcept;

  // One block's memory: new[] for kBlockSize, an aligned mapping for
  // kHugeBlockSize (new[] as well under AddressSanitizer, which then checks it).
  struct BlockDeleter {
    std::size_t size = 0;
    void operator()(char* p) const noexcept;
  };
  using Block = std::unique_ptr<char[], BlockDeleter>;

 private:
  // Where byte `pos` lives: block index, offset in it, and the block's size.
  struct Place {
    std::size_t block;
    std::size_t offset;
    std::size_t size;
  };
  static Place locate(std::uint64_t pos) noexcept;
  // How many blocks hold n bytes.
  static std::size_t blocks_for(std::uint64_t n) noexcept;
  // Applies fn(char* block_bytes, std::size_t count, std::size_t done) to
  // each block piece of [offset, offset + n).
  template <class Fn>
  void for_each_piece(std::uint64_t offset, std::size_t n, Fn&& fn) const;

  [[nodiscard]] bool blocked() const noexcept { return !blocks_.empty(); }
  // Moves the small buffer into blocks with room for n (> kBlockSize) bytes,
  // zero-filling [size(), zero_to). Leaves size() to the caller.
  void to_blocks(std::uint64_t n, std::uint64_t zero_to);
  // Adds blocks (uninitialized) until there are `count`. Strong guarantee.
  void grow_blocks(std::size_t count);
  // Block mode: zero-fills [from, to) of the allocated blocks.
  void fill_zero(std::uint64_t from, std::uint64_t to) noexcept;
  // Small mode: the capacity to reserve for growing to n bytes.
  [[nodiscard]] std::size_t small_capacity_for(std::uint64_t n) const noexcept;

  std::string small_;  // used while size_ <= kBlockSize and blocks_ is empty
  std::vector<Block> blocks_;
  std::uint64_t size_ = 0;
};

}  // namespace memfs::detail
