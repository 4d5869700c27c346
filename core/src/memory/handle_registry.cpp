// The sharded handle registry (see handle_registry.hpp).
#include "memory/handle_registry.hpp"

#include <utility>

#include "memory/memory_state.hpp"

namespace memfs::detail {

void HandleRegistry::add(HandleLinks& h) noexcept {
  h.shard = static_cast<std::uint32_t>(TreeMutex::slot_of_this_thread());
  Shard& shard = shards_[h.shard];
  std::lock_guard<SpinLock> lock(shard.mutex);
  // Append at the tail (head->prev) to keep opening order.
  if (shard.head == nullptr) {
    shard.head = &h;
    h.prev = &h;
  } else {
    h.prev = shard.head->prev;
    h.prev->next = &h;
    shard.head->prev = &h;
  }
  h.next = nullptr;
  ++shard.count;
}

bool HandleRegistry::unlink_locked(Shard& shard, HandleLinks& h) noexcept {
  if (h.next != nullptr) {
    h.next->prev = h.prev;
  } else {
    shard.head->prev = h.prev;  // h was the tail
  }
  if (&h == shard.head) {
    shard.head = h.next;
  } else {
    h.prev->next = h.next;
  }
  h.prev = h.next = nullptr;
  --shard.count;
  return h.orphan.load(std::memory_order_relaxed);
}

std::shared_ptr<MemoryState> HandleRegistry::left(bool orphaned) noexcept {
  // The last orphan takes the state; the others must not touch self_.
  if (orphaned && orphans_.fetch_sub(1, std::memory_order_acq_rel) == 1)
    return std::move(self_);
  return nullptr;
}

std::shared_ptr<MemoryState> HandleRegistry::remove(HandleLinks& h) noexcept {
  Shard& shard = shards_[h.shard];
  std::unique_lock<SpinLock> lock(shard.mutex);
  const bool orphaned = unlink_locked(shard, h);
  lock.unlock();
  return left(orphaned);
}

bool HandleRegistry::remove_unparked(
    HandleLinks& h, std::shared_ptr<MemoryState>& last) noexcept {
  Shard& shard = shards_[h.shard];
  std::unique_lock<SpinLock> lock(shard.mutex);
  // Under the shard's lock: park() either counted h already (then the
  // count is not 0 until h lowers it) or will not find it. A counted handle
  // that is not the last lowers the count and leaves at once, so that no
  // walker finds it once the last one may have freed the file.
  std::atomic<std::uint32_t>& parked = h.file->parked_handles;
  if (parked.load(std::memory_order_relaxed) != 0 &&
      parked.fetch_sub(1, std::memory_order_acq_rel) == 1)
    return false;
  const bool orphaned = unlink_locked(shard, h);
  lock.unlock();
  last = left(orphaned);
  return true;
}

HandleRegistry::AllLocked HandleRegistry::lock_all() const noexcept {
  AllLocked locks;
  for (std::size_t i = 0; i < TreeMutex::kSlots; ++i)
    locks[i] = std::unique_lock<SpinLock>(shards_[i].mutex);
  return locks;
}

std::uint32_t HandleRegistry::count_locked(
    const FileNode& file) const noexcept {
  std::uint32_t n = 0;
  for (const Shard& shard : shards_) {
    for (const HandleLinks* h = shard.head; h != nullptr; h = h->next)
      n += h->file == &file ? 1 : 0;
  }
  return n;
}

bool HandleRegistry::has_handles(const FileNode& file) const noexcept {
  // No open since the last look, and none can start (tree_mutex).
  if (!file.opened.load(std::memory_order_relaxed)) return false;
  const AllLocked locks = lock_all();
  return count_locked(file) != 0;
}

std::uint32_t HandleRegistry::park(FileNode& file) noexcept {
  if (!file.opened.load(std::memory_order_relaxed)) return 0;
  const AllLocked locks = lock_all();
  const std::uint32_t n = count_locked(file);
  if (n == 0) {
    file.opened.store(false, std::memory_order_relaxed);
  } else {
    file.parked_handles.store(n, std::memory_order_relaxed);
  }
  return n;
}

std::uint64_t HandleRegistry::count() const {
  std::uint64_t n = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard<SpinLock> lock(shard.mutex);
    n += shard.count;
  }
  return n;
}

void HandleRegistry::orphan_all(std::shared_ptr<MemoryState> self) noexcept {
  // Every shard held at once, so that no handle leaves between the count
  // and the marking.
  const AllLocked locks = lock_all();
  std::uint64_t n = 0;
  for (const Shard& shard : shards_) n += shard.count;
  if (n == 0) return;
  self_ = std::move(self);
  orphans_.store(n, std::memory_order_relaxed);
  for (Shard& shard : shards_) {
    for (HandleLinks* h = shard.head; h != nullptr; h = h->next)
      h->orphan.store(true, std::memory_order_relaxed);
  }
}

}  // namespace memfs::detail
