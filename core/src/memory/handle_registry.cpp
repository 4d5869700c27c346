// The sharded handle registry (see handle_registry.hpp).
#include "memory/handle_registry.hpp"

#include <utility>

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

std::shared_ptr<MemoryState> HandleRegistry::remove(HandleLinks& h) noexcept {
  Shard& shard = shards_[h.shard];
  std::unique_lock<SpinLock> lock(shard.mutex);
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
  const bool orphaned = h.orphan.load(std::memory_order_relaxed);
  lock.unlock();
  // The last orphan takes the state; the others must not touch self_.
  if (orphaned && orphans_.fetch_sub(1, std::memory_order_acq_rel) == 1)
    return std::move(self_);
  return nullptr;
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
  std::unique_lock<SpinLock> locks[TreeMutex::kSlots];
  std::uint64_t n = 0;
  for (std::size_t i = 0; i < TreeMutex::kSlots; ++i) {
    locks[i] = std::unique_lock<SpinLock>(shards_[i].mutex);
    n += shards_[i].count;
  }
  if (n == 0) return;
  self_ = std::move(self);
  orphans_.store(n, std::memory_order_relaxed);
  for (Shard& shard : shards_) {
    for (HandleLinks* h = shard.head; h != nullptr; h = h->next)
      h->orphan.store(true, std::memory_order_relaxed);
  }
}

}  // namespace memfs::detail
