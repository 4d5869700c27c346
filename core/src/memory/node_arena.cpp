// NodeArena: slabs, per-size free lists, and the live count that decides
// when the arena may go (node_arena.hpp).
#include "memory/node_arena.hpp"

#include <mutex>
#include <new>

namespace memfs::detail {

// The slabs of arenas that went (node_arena.hpp), by size (kFirstSlab
// doubled 0, 1, ... times), up to kCachedBytes in all.
class NodeArena::SlabCache {
 public:
  static SlabCache& instance() {
    // Never destroyed: arenas may go during static destruction.
    static auto* cache = new SlabCache();
    return *cache;
  }
  // A cached slab of exactly `bytes`, or nullptr.
  Slab* take(std::size_t bytes) {
    const std::size_t i = index_of(bytes);
    if (i >= kSizes) return nullptr;
    std::lock_guard<std::mutex> lock(mutex_);
    Slab* slab = lists_[i];
    if (slab != nullptr) {
      lists_[i] = slab->next;
      cached_ -= bytes;
    }
    return slab;
  }
  // Keeps `slab` if there is room, else frees it.
  void give(Slab* slab) noexcept {
    const std::size_t i = index_of(slab->bytes);
    if (i < kSizes) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (cached_ + slab->bytes <= kCachedBytes) {
        slab->next = lists_[i];
        lists_[i] = slab;
        cached_ += slab->bytes;
        return;
      }
    }
    ::operator delete(static_cast<void*>(slab));
  }

 private:
  static constexpr std::size_t kSizes = 8;
  static std::size_t index_of(std::size_t bytes) noexcept {
    std::size_t i = 0;
    for (std::size_t b = kFirstSlab; b < bytes && i < kSizes; b *= 2) ++i;
    return (kFirstSlab << i) == bytes ? i : kSizes;
  }
  std::mutex mutex_;
  Slab* lists_[kSizes] = {};
  std::size_t cached_ = 0;
};

namespace {
// The arena whose Run this thread is in (initial-exec: a thread-pointer
// offset, as the tree lock's slot).
thread_local NodeArena* t_running __attribute__((tls_model("initial-exec"))) =
    nullptr;
}  // namespace

bool NodeArena::held_here() const noexcept { return t_running == this; }

NodeArena::Run::Run(NodeArena* arena) noexcept
    : arena_(t_running == arena ? nullptr : arena) {
  if (arena_ == nullptr) return;
  arena_->lock_.lock();
  t_running = arena_;
}

NodeArena::Run::~Run() {
  if (arena_ == nullptr) return;
  t_running = nullptr;
  arena_->lock_.unlock();
}

NodeArena::~NodeArena() {
  SlabCache& cache = SlabCache::instance();
  while (slabs_ != nullptr) {
    Slab* next = slabs_->next;
    cache.give(slabs_);
    slabs_ = next;
  }
}

void NodeArena::grow(std::size_t size) {
  std::size_t bytes = next_slab_;
  while (bytes < sizeof(Slab) + size) bytes *= 2;
  Slab* slab = SlabCache::instance().take(bytes);
  if (slab == nullptr) slab = static_cast<Slab*>(::operator new(bytes));
  slab->bytes = bytes;
  slab->next = slabs_;
  slabs_ = slab;
  cursor_ = reinterpret_cast<char*>(slab) + sizeof(Slab);
  end_ = reinterpret_cast<char*>(slab) + bytes;
  if (next_slab_ < kMaxSlab) next_slab_ *= 2;
}

std::unique_lock<SpinLock> NodeArena::lock_unless_held() noexcept {
  std::unique_lock<SpinLock> lock(lock_, std::defer_lock);
  if (!held_here()) lock.lock();
  return lock;
}

void* NodeArena::allocate(std::size_t bytes) {
  const std::size_t c = class_of(bytes);
  const std::size_t size = (c + 1) * kAlign;
  const std::unique_lock<SpinLock> lock = lock_unless_held();
  void* piece = free_[c];
  if (piece != nullptr) {
    free_[c] = free_[c]->next;
  } else {
    if (static_cast<std::size_t>(end_ - cursor_) < size) grow(size);
    piece = cursor_;
    cursor_ += size;
  }
  ++live_;
  return piece;
}

void NodeArena::deallocate(void* p, std::size_t bytes) noexcept {
  const std::size_t c = class_of(bytes);
  bool last = false;
  {
    // Held by a Run: the arena is owned, and this is never the last piece.
    const std::unique_lock<SpinLock> lock = lock_unless_held();
    auto* piece = static_cast<FreePiece*>(p);
    piece->next = free_[c];
    free_[c] = piece;
    last = --live_ == 0 && !owned_;
  }
  if (last) delete this;
}

void NodeArena::disown() noexcept {
  bool last = false;
  {
    const std::lock_guard<SpinLock> lock(lock_);
    owned_ = false;
    last = live_ == 0;
  }
  if (last) delete this;
}

}  // namespace memfs::detail
