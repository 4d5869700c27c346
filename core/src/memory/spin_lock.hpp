// Internal: a lock for a few instructions' hold (a list splice, a free-list
// pop), where std::mutex's unlock would cost one more locked instruction
// per use. A waiter spins on a plain load and yields: holds are short, and
// contention comes only from other threads of one filesystem (or its
// clones). Meets Lockable, for std::lock_guard and std::unique_lock.
#pragma once

#include <atomic>
#include <chrono>
#include <thread>

#include "shared/single_threaded.hpp"

namespace memfs::detail {

// One step of waiting for a lock that may be held for long (a large copy,
// a large import): the first 64 yield, later ones sleep 20 µs, so a long
// hold costs a waiter at most one poll interval more and burns no core.
inline void wait_step(unsigned spins) {
  if (spins < 64) {
    std::this_thread::yield();
  } else {
    std::this_thread::sleep_for(std::chrono::microseconds(20));
  }
}

class SpinLock {
 public:
  void lock() noexcept {
    while (exchange_st(locked_, true, std::memory_order_acquire)) {
      while (locked_.load(std::memory_order_relaxed)) std::this_thread::yield();
    }
  }
  void unlock() noexcept { locked_.store(false, std::memory_order_release); }

 private:
  std::atomic<bool> locked_{false};
};

}  // namespace memfs::detail
