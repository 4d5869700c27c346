// Internal: a lock for a few instructions' hold (a list splice, a free-list
// pop), where std::mutex's unlock would cost one more locked instruction
// per use. A waiter spins on a plain load and yields: holds are short, and
// contention comes only from other threads of one filesystem (or its
// clones). Meets Lockable, for std::lock_guard and std::unique_lock.
#pragma once

#include <atomic>
#include <thread>

namespace memfs::detail {

class SpinLock {
 public:
  void lock() noexcept {
    while (locked_.exchange(true, std::memory_order_acquire)) {
      while (locked_.load(std::memory_order_relaxed)) std::this_thread::yield();
    }
  }
  void unlock() noexcept { locked_.store(false, std::memory_order_release); }

 private:
  std::atomic<bool> locked_{false};
};

}  // namespace memfs::detail
