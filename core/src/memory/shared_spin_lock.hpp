// Internal: a reader-writer lock in one word, for a file's bytes
// (FileNode::data_mutex).
//
// std::shared_mutex is a pthread rwlock: a writer's lock and unlock take up
// to five locked instructions and each pair some fifty instructions more,
// on every write through a handle and every write_file (benchmarks/NOTES.md,
// "File handles"). Here an uncontended lock and unlock, shared or exclusive,
// are one locked instruction each, none while the process has one thread
// (shared/single_threaded.hpp). Readers are preferred, as with glibc's
// default rwlock: a writer waits until no reader holds the lock. A waiter
// spins (yielding), then polls, since a hold can be a large copy. Meets
// Lockable and SharedLockable, for std::unique_lock and std::shared_lock.
#pragma once

#include <atomic>
#include <cstdint>

#include "memory/spin_lock.hpp"

namespace memfs::detail {

class SharedSpinLock {
 public:
  void lock_shared() {
    for (unsigned spins = 0;;) {
      const std::uint32_t was =
          fetch_add_st(word_, kReader, std::memory_order_acquire);
      if ((was & kWriter) == 0) return;
      fetch_sub_st(word_, kReader, std::memory_order_relaxed);
      while ((word_.load(std::memory_order_relaxed) & kWriter) != 0)
        wait_step(spins++);
    }
  }
  void unlock_shared() noexcept {
    fetch_sub_st(word_, kReader, std::memory_order_release);
  }
  void lock() {
    for (unsigned spins = 0;;) {
      std::uint32_t expected = 0;
      if (compare_exchange_st(word_, expected, kWriter,
                              std::memory_order_acquire)) {
        return;
      }
      while (word_.load(std::memory_order_relaxed) != 0) wait_step(spins++);
    }
  }
  // Subtracts rather than stores 0: a reader backing off may have counted
  // itself in meanwhile.
  void unlock() noexcept {
    fetch_sub_st(word_, kWriter, std::memory_order_release);
  }

 private:
  static constexpr std::uint32_t kWriter = 1;
  static constexpr std::uint32_t kReader = 2;

  std::atomic<std::uint32_t> word_{0};  // readers * kReader | kWriter
};

}  // namespace memfs::detail
