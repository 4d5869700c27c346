// Internal: the memory of a filesystem's nodes, path-index entries and
// directory entries (memory_state.hpp).
//
// A file costs a node, an index entry and a directory entry, each a small
// allocation of a fixed size. From malloc they are three trips into its
// slow paths once its per-thread caches are full (a filesystem is built and
// torn down a few hundred files at a time), and tearing a tree down frees
// them one by one. A NodeArena carves them from slabs of its own instead:
// a freed piece goes on a free list of its size and is reused by the next
// allocation of that size (so a filesystem's node memory stays at its peak
// while it lives: a file removed leaves its pieces for the next file); the
// slabs go at once, when the arena goes.
// They go to a small process-wide cache of slabs (at most kCachedBytes)
// that the next arenas draw from, not to malloc: tests build filesystems
// one after another, and handing a whole filesystem's slabs back to malloc
// lets it return the top of the heap to the kernel (trim), which the next
// filesystem then pays for again in page faults.
//
// Pieces outlive their filesystem: clone() shares nodes and frozen index
// layers, an open File keeps its node, and any of them may be released on
// any thread. So the arena counts its live pieces and is freed when its
// owner (the filesystem's state) has let go and the last piece is back; a
// short spin lock guards it, as allocations and releases may come from
// several threads (uncontended, one atomic exchange each).
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <type_traits>

#include "memory/spin_lock.hpp"

namespace memfs::detail {

class NodeArena {
 public:
  // Pieces up to this size and alignment come from the slabs.
  static constexpr std::size_t kMaxPiece = 512;
  static constexpr std::size_t kAlign = 16;

  // A new arena, held by its owner until disown().
  static NodeArena* create() { return new NodeArena(); }
  NodeArena(const NodeArena&) = delete;
  NodeArena& operator=(const NodeArena&) = delete;

  // The owner lets go: the arena is freed now, or when its last live piece
  // is deallocated.
  void disown() noexcept;

  [[nodiscard]] static constexpr bool pooled(std::size_t bytes,
                                             std::size_t align) noexcept {
    return bytes <= kMaxPiece && align <= kAlign;
  }
  // A piece of `bytes` (pooled(bytes, ...) must hold).
  void* allocate(std::size_t bytes);
  void deallocate(void* p, std::size_t bytes) noexcept;

  // Holds the arena's lock for a run of allocations and deallocations on
  // this thread (building an import's nodes, tearing a tree down), which
  // then skip it. Only the owner runs one (the arena stays owned), and
  // nothing in a run may wait for another thread, which might be waiting
  // for the arena. A run inside a run of the same arena does nothing.
  class Run {
   public:
    explicit Run(NodeArena* arena) noexcept;
    ~Run();
    Run(const Run&) = delete;
    Run& operator=(const Run&) = delete;

   private:
    NodeArena* arena_;  // null: nested
  };

 private:
  NodeArena() = default;
  ~NodeArena();

  static constexpr std::size_t kClasses = kMaxPiece / kAlign;
  // Slabs start small (an empty filesystem stays cheap) and double.
  static constexpr std::size_t kFirstSlab = 4 * 1024;
  static constexpr std::size_t kMaxSlab = 64 * 1024;
  static constexpr std::size_t kCachedBytes = 4 * 1024 * 1024;

  struct FreePiece {
    FreePiece* next;
  };
  struct alignas(kAlign) Slab {
    Slab* next;
    std::size_t bytes;
  };
  class SlabCache;

  static std::size_t class_of(std::size_t bytes) noexcept {
    return bytes == 0 ? 0 : (bytes - 1) / kAlign;
  }
  // This thread runs a Run on this arena (the lock is held).
  [[nodiscard]] bool held_here() const noexcept;
  // lock_ for one call, unless this thread's Run holds it already.
  std::unique_lock<SpinLock> lock_unless_held() noexcept;
  // Lock held: a fresh slab with room for at least `size` bytes.
  void grow(std::size_t size);

  SpinLock lock_;
  // Guarded by lock_:
  FreePiece* free_[kClasses] = {};
  char* cursor_ = nullptr;  // the unused rest of the newest slab
  char* end_ = nullptr;
  Slab* slabs_ = nullptr;
  std::size_t next_slab_ = kFirstSlab;
  std::size_t live_ = 0;  // pieces allocated and not yet deallocated
  bool owned_ = true;
};

// The owner's hold on a NodeArena (MemoryState::arena).
struct NodeArenaHold {
  NodeArenaHold() : arena(NodeArena::create()) {}
  ~NodeArenaHold() { arena->disown(); }
  NodeArenaHold(const NodeArenaHold&) = delete;
  NodeArenaHold& operator=(const NodeArenaHold&) = delete;
  NodeArena* const arena;
};

// A standard allocator over a NodeArena; pieces the arena does not pool
// (and every piece of a null arena, the default) come from std::allocator.
// Containers keep their allocator when copied into (a copy is allocated
// from the destination's arena) and take it along when moved from.
template <class T>
class ArenaAllocator {
 public:
  using value_type = T;
  using propagate_on_container_copy_assignment = std::false_type;
  using propagate_on_container_move_assignment = std::true_type;
  using propagate_on_container_swap = std::true_type;
  using is_always_equal = std::false_type;

  ArenaAllocator() noexcept = default;
  explicit ArenaAllocator(NodeArena* arena) noexcept : arena_(arena) {}
  template <class U>
  ArenaAllocator(const ArenaAllocator<U>& other) noexcept  // NOLINT
      : arena_(other.arena()) {}

  T* allocate(std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
    if (arena_ == nullptr || n != 1 || !NodeArena::pooled(bytes, alignof(T)))
      return std::allocator<T>().allocate(n);
    return static_cast<T*>(arena_->allocate(bytes));
  }
  void deallocate(T* p, std::size_t n) noexcept {
    const std::size_t bytes = n * sizeof(T);
    if (arena_ == nullptr || n != 1 || !NodeArena::pooled(bytes, alignof(T)))
      return std::allocator<T>().deallocate(p, n);
    arena_->deallocate(p, bytes);
  }

  [[nodiscard]] NodeArena* arena() const noexcept { return arena_; }
  friend bool operator==(const ArenaAllocator& a,
                         const ArenaAllocator& b) noexcept {
    return a.arena_ == b.arena_;
  }
  friend bool operator!=(const ArenaAllocator& a,
                         const ArenaAllocator& b) noexcept {
    return a.arena_ != b.arena_;
  }

 private:
  NodeArena* arena_ = nullptr;
};

}  // namespace memfs::detail
