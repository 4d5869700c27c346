#include "memory/byte_store.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <new>
#include <utility>

#if defined(__SANITIZE_ADDRESS__)
#define MEMFS_BYTE_STORE_NEW_ONLY 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MEMFS_BYTE_STORE_NEW_ONLY 1
#endif
#endif

namespace memfs::detail {
namespace {

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

#ifndef MEMFS_BYTE_STORE_NEW_ONLY
// The memory of chunks up to kBlockSize (small files and the first tier's
// blocks) is kept for the next chunks, per thread, up to kMaxBytes: tests
// build a filesystem, fill it and drop it, over and over. From malloc, a
// torn-down filesystem's chunks coalesce into the top of the heap, which
// malloc then returns to the kernel (trim), and the next filesystem's
// writes pay for it again in page faults: a third of small_files' time,
// depending on what the process allocated before (benchmarks/NOTES.md).
// Per thread, so that taking and keeping a chunk's memory is no locked
// instruction; a chunk freed on another thread than its own goes to that
// thread's cache. A chunk's memory is its header and its capacity rounded
// up to kGrain, so that any chunk of a class fits the next one of that
// class. Under AddressSanitizer chunks come from new, which it then checks.
class ChunkCache {
 public:
  static constexpr std::size_t kGrain = 64;
  static constexpr std::size_t kClasses = ByteStore::kBlockSize / kGrain;
  static constexpr std::size_t kMaxBytes = 4 * 1024 * 1024;

  static bool cached(std::size_t capacity) noexcept {
    return capacity > 0 && capacity <= ByteStore::kBlockSize;
  }
  // The class of a cached capacity, and the capacity its chunks have room
  // for.
  static std::size_t class_of(std::size_t capacity) noexcept {
    return (capacity - 1) / kGrain;
  }
  static std::size_t capacity_of(std::size_t cls) noexcept {
    return (cls + 1) * kGrain;
  }

  // This thread's cache; nullptr once it is destroyed (thread exit).
  static ChunkCache* here() noexcept {
    if (t_cache == nullptr && !t_gone) {
      static thread_local ChunkCache cache;
      t_cache = &cache;
    }
    return t_cache;
  }

  // The memory of a chunk of class `cls`, or nullptr if none is kept.
  void* take(std::size_t cls) noexcept {
    Free* f = free_[cls];
    if (f != nullptr) {
      free_[cls] = f->next;
      bytes_ -= capacity_of(cls);
    }
    return f;
  }
  // Keeps `mem` (a chunk's of class `cls`) if there is room; false if not.
  bool give(void* mem, std::size_t cls) noexcept {
    if (bytes_ + capacity_of(cls) > kMaxBytes) return false;
    auto* f = static_cast<Free*>(mem);
    f->next = free_[cls];
    free_[cls] = f;
    bytes_ += capacity_of(cls);
    return true;
  }

  ChunkCache() = default;
  ChunkCache(const ChunkCache&) = delete;
  ChunkCache& operator=(const ChunkCache&) = delete;
  ~ChunkCache() {
    t_cache = nullptr;
    t_gone = true;  // chunks freed later on this thread go to delete
    for (Free* f : free_) {
      while (f != nullptr) ::operator delete(std::exchange(f, f->next));
    }
  }

 private:
  struct Free {
    Free* next;
  };
  // initial-exec: a thread-pointer offset, no __tls_get_addr call per chunk
  // (as TreeMutex::slot_of_this_thread).
  static thread_local ChunkCache* t_cache
      __attribute__((tls_model("initial-exec")));
  static thread_local bool t_gone __attribute__((tls_model("initial-exec")));

  Free* free_[kClasses] = {};
  std::size_t bytes_ = 0;  // the capacity kept
};

thread_local ChunkCache* ChunkCache::t_cache = nullptr;
thread_local bool ChunkCache::t_gone = false;
#endif

}  // namespace

ByteStore::ChunkRef::ChunkRef(std::size_t capacity) {
#ifndef MEMFS_BYTE_STORE_NEW_ONLY
  if (capacity == kHugeBlockSize) {
    auto chunk = std::make_unique<Chunk>();
    chunk->data = map_huge_block();
    c_ = chunk.release();
    c_->refs.store(1, std::memory_order_relaxed);
    c_->capacity = static_cast<std::uint32_t>(capacity);
    return;
  }
#endif
  // One allocation for the header and the bytes.
  void* mem = nullptr;
#ifndef MEMFS_BYTE_STORE_NEW_ONLY
  if (ChunkCache::cached(capacity)) {
    const std::size_t cls = ChunkCache::class_of(capacity);
    if (ChunkCache* cache = ChunkCache::here()) mem = cache->take(cls);
    if (mem == nullptr)
      mem = ::operator new(sizeof(Chunk) + ChunkCache::capacity_of(cls));
  }
#endif
  if (mem == nullptr) mem = ::operator new(sizeof(Chunk) + capacity);
  c_ = new (mem) Chunk;
  c_->data = static_cast<char*>(mem) + sizeof(Chunk);
  c_->refs.store(1, std::memory_order_relaxed);
  c_->capacity = static_cast<std::uint32_t>(capacity);
}

void ByteStore::ChunkRef::release() noexcept {
  if (fetch_sub_st(c_->refs, 1u, std::memory_order_acq_rel) != 1) return;
#ifndef MEMFS_BYTE_STORE_NEW_ONLY
  if (c_->data != reinterpret_cast<char*>(c_ + 1)) {  // a mapped huge block
    ::munmap(c_->data, c_->capacity);
    delete c_;
    return;
  }
  const std::size_t capacity = c_->capacity;
  c_->~Chunk();
  if (ChunkCache::cached(capacity)) {
    ChunkCache* cache = ChunkCache::here();
    if (cache != nullptr && cache->give(c_, ChunkCache::class_of(capacity)))
      return;
  }
#else
  c_->~Chunk();
#endif
  ::operator delete(c_);
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
    fn(blocks_[at.block], at.offset, chunk, done);
    done += chunk;
  }
}

ByteStore::ByteStore(const ByteStore& o) : small_(o.small_), size_(o.size_) {
  if (!o.blocked()) return;  // small: blocks_for() counts blocks it has not
  const auto used = static_cast<std::ptrdiff_t>(blocks_for(o.size_));
  blocks_.assign(o.blocks_.begin(), o.blocks_.begin() + used);
}

ByteStore::ByteStore(std::string_view data) : ByteStore(of_size(data.size())) {
  fill(data.data());
}

ByteStore ByteStore::of_size(std::uint64_t n) {
  ByteStore store;
  if (n == 0) return store;
  if (n <= kBlockSize) {
    store.small_ = ChunkRef(static_cast<std::size_t>(n));
  } else {
    store.grow_blocks(blocks_for(n));
  }
  store.size_ = n;
  return store;
}

void ByteStore::fill(const char* data) noexcept {
  if (size_ == 0) return;
  if (!blocked()) {
    std::memcpy(small_.data(), data, static_cast<std::size_t>(size_));
  } else {
    copy_in(0, data, static_cast<std::size_t>(size_));  // no zero fill
  }
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
                 [out](const ChunkRef& block, std::size_t at, std::size_t count,
                       std::size_t done) {
                   std::memcpy(out + done, block.data() + at, count);
                 });
  return n;
}

void ByteStore::copy_in(std::uint64_t offset, const char* data,
                        std::size_t n) noexcept {
  for_each_piece(offset, n,
                 [data](const ChunkRef& block, std::size_t at,
                        std::size_t count, std::size_t done) {
                   std::memcpy(block.data() + at, data + done, count);
                 });
}

void ByteStore::own_small(std::uint64_t n) {
  if (small_ && small_.capacity() >= n && small_.unique()) return;
  ChunkRef fresh(small_capacity_for(n));  // may throw: nothing changed
  if (size_ > 0)
    std::memcpy(fresh.data(), small_.data(), static_cast<std::size_t>(size_));
  small_ = std::move(fresh);
}

void ByteStore::own_blocks(std::uint64_t offset, std::uint64_t n) {
  if (n == 0) return;
  const std::size_t last = std::min(blocks_.size(), blocks_for(offset + n));
  for (std::size_t i = locate(offset).block; i < last; ++i) {
    ChunkRef& block = blocks_[i];
    if (block.unique()) continue;
    ChunkRef fresh(
        block.capacity());  // may throw: only equal copies made so far
    std::memcpy(fresh.data(), block.data(), block.capacity());
    block = std::move(fresh);
  }
}

void ByteStore::write_at(std::uint64_t offset, const char* data,
                         std::size_t n) {
  if (n == 0 && offset <= size_) return;
  const std::uint64_t end = offset + n;
  if (!blocked() && end <= kBlockSize) {
    own_small(std::max(end, size_));
    if (offset > size_) std::memset(small_.data() + size_, 0, offset - size_);
    std::memcpy(small_.data() + offset, data, n);
    size_ = std::max(end, size_);
    return;
  }
  if (!blocked()) {
    to_blocks(end, offset);
  } else {
    const std::uint64_t from = std::min(offset, size_);
    own_blocks(from,
               end - from);  // the existing blocks first: strong guarantee
    grow_blocks(blocks_for(end));
    fill_zero(size_, offset);
  }
  size_ = std::max(end, size_);
  copy_in(offset, data, n);
}

std::size_t ByteStore::small_capacity_for(std::uint64_t n) const noexcept {
  // Grow geometrically but never past a block, and never hold more than
  // twice what is used.
  return static_cast<std::size_t>(std::min<std::uint64_t>(
      kBlockSize, std::max<std::uint64_t>(n, size_ * 2)));
}

void ByteStore::to_blocks(std::uint64_t n, std::uint64_t zero_to) {
  grow_blocks(blocks_for(n));  // may throw: nothing changed
  const std::size_t keep =
      static_cast<std::size_t>(std::min<std::uint64_t>(size_, n));
  if (keep > 0) std::memcpy(blocks_[0].data(), small_.data(), keep);
  small_ = ChunkRef();
  fill_zero(keep, zero_to);
}

void ByteStore::grow_blocks(std::size_t count) {
  if (count <= blocks_.size()) return;
  std::vector<ChunkRef> extra;
  extra.reserve(count - blocks_.size());
  for (std::size_t i = blocks_.size(); i < count; ++i)
    extra.emplace_back(block_size(i));
  blocks_.reserve(count);  // may throw: nothing changed yet
  for (auto& b : extra) blocks_.push_back(std::move(b));
}

void ByteStore::fill_zero(std::uint64_t from, std::uint64_t to) noexcept {
  if (from >= to) return;
  for_each_piece(from, static_cast<std::size_t>(to - from),
                 [](const ChunkRef& block, std::size_t at, std::size_t count,
                    std::size_t) { std::memset(block.data() + at, 0, count); });
}

void ByteStore::resize(std::uint64_t n) {
  if (n == size_) return;
  if (!blocked()) {
    if (n > kBlockSize) {
      to_blocks(n, n);
    } else if (n > size_) {
      own_small(n);
      std::memset(small_.data() + size_, 0,
                  static_cast<std::size_t>(n - size_));
    } else if (n == 0) {
      small_ = ChunkRef();
    } else if (small_.capacity() > 2 * n + 64) {
      try {  // give back what shrinking freed, if memory allows
        ChunkRef fresh(static_cast<std::size_t>(n));
        std::memcpy(fresh.data(), small_.data(), static_cast<std::size_t>(n));
        small_ = std::move(fresh);
      } catch (const std::bad_alloc&) {
      }
    }
    size_ = n;
    return;
  }
  if (n < size_) {
    blocks_.resize(blocks_for(n));  // bytes past the new end are unspecified
    size_ = n;
    return;
  }
  own_blocks(size_, n - size_);
  grow_blocks(blocks_for(n));  // may throw: nothing changed
  fill_zero(size_, n);
  size_ = n;
}

std::string ByteStore::to_string() const {
  std::string out;
  if (!blocked()) {
    if (size_ > 0) out.assign(small_.data(), static_cast<std::size_t>(size_));
    return out;
  }
  out.resize(static_cast<std::size_t>(size_));
  read(0, out.data(), out.size());
  return out;
}

void ByteStore::clear() noexcept {
  small_ = ChunkRef();
  std::vector<ChunkRef>().swap(blocks_);
  size_ = 0;
}

bool ByteStore::empty_for_rewrite() noexcept {
  size_ = 0;
  if (!blocked()) {
    if (!small_ || !small_.unique()) small_ = ChunkRef();
    return false;
  }
  // A rewrite fills the file from the front: keep the leading unshared run.
  std::size_t keep = 0;
  while (keep < blocks_.size() && blocks_[keep].unique()) ++keep;
  if (keep == 0) {
    std::vector<ChunkRef>().swap(blocks_);
    return false;
  }
  blocks_.resize(keep);
  return true;
}

void ByteStore::release_spare() noexcept {
  const std::size_t used = blocks_for(size_);
  if (used == 0) {
    std::vector<ChunkRef>().swap(blocks_);
  } else if (used < blocks_.size()) {
    blocks_.resize(used);
  }
}

std::uint64_t ByteStore::capacity() const noexcept {
  std::uint64_t total = small_.capacity();
  for (const ChunkRef& block : blocks_) total += block.capacity();
  return total;
}

std::size_t ByteStore::chunks_shared_with(
    const ByteStore& other) const noexcept {
  std::size_t shared = small_.same(other.small_) ? 1U : 0U;
  const std::size_t n = std::min(blocks_.size(), other.blocks_.size());
  for (std::size_t i = 0; i < n; ++i)
    shared += blocks_[i].same(other.blocks_[i]) ? 1U : 0U;
  return shared;
}

}  // namespace memfs::detail
