// Internal: the open handles of one MemoryFileSystem (MemoryState::handles),
// for open_handles(), stats(), snapshots and clone().
//
// Two threads opening and closing different files must not write one cache
// line (threads_read in benchmarks/: a single registry mutex made two
// threads slower than one). So the registry is sharded like the tree lock's
// reader slots: a handle joins the shard of the thread that opens it (each
// shard an intrusive list under its own lock, on its own cache line) and
// leaves it on close, from whichever thread closes it. Walks visit every
// shard, one at a time; each thread's handles come in opening order.
//
// Handles do not count references to the filesystem's state: a filesystem
// destroyed with handles open hands its state to them (orphan_all), and
// the last one to leave gives it back, to be released once it is done.
//
// Lock order: MemoryState::tree_mutex, then a shard's lock, then
// FileNode::data_mutex (walkers take no data lock).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include "memory/spin_lock.hpp"
#include "memory/tree_mutex.hpp"

namespace memfs::detail {

struct MemoryState;

// What the registry keeps of a handle (MemoryOpenFile derives from it).
struct HandleLinks {
  // Neighbours in the shard's list.                   guarded by its lock
  HandleLinks* prev = nullptr;
  HandleLinks* next = nullptr;
  std::uint32_t shard = 0;  // the shard it joined (set by add)
  // Set (under the shard's lock) when the filesystem is gone; read by the
  // handle's owner at every operation.
  std::atomic<bool> orphan{false};
};

class HandleRegistry {
 public:
  HandleRegistry() = default;
  HandleRegistry(const HandleRegistry&) = delete;
  HandleRegistry& operator=(const HandleRegistry&) = delete;

  // Links `h` (in no registry) into this thread's shard.
  void add(HandleLinks& h) noexcept;
  // Unlinks `h`. Returns the filesystem's state when `h` was the last
  // handle of a destroyed filesystem (orphan_all), else null: the caller
  // must touch nothing of the state after this call, and releases what is
  // returned last.
  [[nodiscard]] std::shared_ptr<MemoryState> remove(HandleLinks& h) noexcept;
  // Calls f(h) for every handle, one shard at a time under its lock.
  template <class F>
  void for_each(F&& f) const;
  // The handles open now.
  [[nodiscard]] std::uint64_t count() const;
  // The filesystem is being destroyed: marks every handle orphaned and, if
  // there is any, keeps `self` alive until the last one leaves.
  void orphan_all(std::shared_ptr<MemoryState> self) noexcept;

 private:
  struct alignas(TreeMutex::kLine) Shard {
    mutable SpinLock mutex;       // a splice per open and close, or a walk
    HandleLinks* head = nullptr;  // head->prev is the tail; guarded by mutex
    std::uint64_t count = 0;      // guarded by mutex
  };
  Shard shards_[TreeMutex::kSlots];
  // Orphaned handles still registered; the last one to leave takes `self_`
  // (set before any handle can see itself orphaned).
  std::atomic<std::uint64_t> orphans_{0};
  std::shared_ptr<MemoryState> self_;
};

template <class F>
void HandleRegistry::for_each(F&& f) const {
  for (const Shard& shard : shards_) {
    std::lock_guard<SpinLock> lock(shard.mutex);
    for (HandleLinks* h = shard.head; h != nullptr; h = h->next) f(*h);
  }
}

}  // namespace memfs::detail
