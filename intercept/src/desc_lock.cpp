// DescLock's slow paths: waiting on the futex, waking a waiter, handing the
// release of a description over to the thread holding it.
#include "desc_lock.hpp"

#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/futex.h>

namespace memfs::idetail {

namespace {

// Tries to take a free lock a few times before sleeping: a call on another
// descriptor of the description is usually short.
constexpr int kSpins = 64;

long futex(std::atomic<std::uint32_t>& word, int op, std::uint32_t value) {
  static_assert(sizeof(std::atomic<std::uint32_t>) == sizeof(std::uint32_t));
  return syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), op, value,
                 nullptr, nullptr, 0);
}

}  // namespace

void DescLock::lock_slow() noexcept {
  for (int i = 0; i < kSpins; ++i) {
    std::uint32_t free = 0;
    if (word_.load(std::memory_order_relaxed) == 0 &&
        word_.compare_exchange_weak(free, kHeld, std::memory_order_acquire,
                                    std::memory_order_relaxed))
      return;
    __builtin_ia32_pause();
  }
  for (;;) {
    std::uint32_t cur = word_.load(std::memory_order_relaxed);
    if (cur == 0) {
      // Taken after sleeping: others may sleep too, so the unlock wakes.
      if (word_.compare_exchange_weak(cur, kHeld | kWaiters,
                                      std::memory_order_acquire,
                                      std::memory_order_relaxed))
        return;
      continue;
    }
    if ((cur & kWaiters) == 0 &&
        !word_.compare_exchange_weak(cur, cur | kWaiters,
                                     std::memory_order_relaxed))
      continue;
    futex(word_, FUTEX_WAIT_PRIVATE, cur | kWaiters);
  }
}

void DescLock::wake() noexcept { futex(word_, FUTEX_WAKE_PRIVATE, 1); }

bool DescLock::hand_over_slow() noexcept {
  std::uint32_t cur = word_.load(std::memory_order_relaxed);
  for (;;) {
    if (cur == 0) return true;  // let go meanwhile
    if (word_.compare_exchange_weak(cur, cur | kHandedOver,
                                    std::memory_order_release,
                                    std::memory_order_relaxed))
      return false;
  }
}

}  // namespace memfs::idetail
