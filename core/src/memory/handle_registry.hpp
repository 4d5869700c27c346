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
// Files do not count their handles either: an unlink finds a file's
// handles here (park), under every shard's lock at once, so that a close
// either left before it or is counted by it.
//
// Handles do not count references to the filesystem's state: a filesystem
// destroyed with handles open hands its state to them (orphan_all), and
// the last one to leave gives it back, to be released once it is done.
//
// Lock order: MemoryState::tree_mutex, then a shard's lock, then
// FileNode::data_mutex (walkers take no data lock).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include "memory/spin_lock.hpp"
#include "memory/tree_mutex.hpp"

namespace memfs::detail {

struct MemoryState;
struct FileNode;

// What the registry keeps of a handle (MemoryOpenFile derives from it).
struct HandleLinks {
  // Neighbours in the shard's list.                   guarded by its lock
  HandleLinks* prev = nullptr;
  HandleLinks* next = nullptr;
  // The file it has open, set before add(); null until then.
  FileNode* file = nullptr;
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

  // Links `h` (in no registry, its file set) into this thread's shard.
  void add(HandleLinks& h) noexcept;
  // Unlinks `h`. Returns the filesystem's state when `h` was the last
  // handle of a destroyed filesystem (orphan_all), else null: the caller
  // must touch nothing of the state after this call, and releases what is
  // returned last.
  [[nodiscard]] std::shared_ptr<MemoryState> remove(HandleLinks& h) noexcept;
  // remove(h) into `last` and true, unless h is the last handle of a file
  // unlinked with it open (park): then false, `h` still registered (the
  // file's parked_handles lowered to 0), and the caller unparks the file
  // before it calls remove(h).
  [[nodiscard]] bool remove_unparked(
      HandleLinks& h, std::shared_ptr<MemoryState>& last) noexcept;
  // tree_mutex held uniquely, no data lock: whether handles are open on
  // `file` (closes may follow, no open can).
  [[nodiscard]] bool has_handles(const FileNode& file) const noexcept;
  // The same as `file` leaves the namespace: the handles open on it,
  // counted into file.parked_handles (left 0 when there are none).
  std::uint32_t park(FileNode& file) noexcept;
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
  using AllLocked = std::array<std::unique_lock<SpinLock>, TreeMutex::kSlots>;
  // Every shard's lock, taken in order.
  AllLocked lock_all() const noexcept;
  // The handles open on `file` (every shard's lock held).
  std::uint32_t count_locked(const FileNode& file) const noexcept;
  // Unlinks `h` from `shard` (its lock held); true if `h` was orphaned.
  static bool unlink_locked(Shard& shard, HandleLinks& h) noexcept;
  // The state, for the last orphan to leave.
  std::shared_ptr<MemoryState> left(bool orphaned) noexcept;

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
