// The lock a description is used under (Desc::mu), and the announcements
// that tell ThreadSanitizer about hand-overs through lock-free state.
#pragma once

#include <atomic>
#include <cstdint>

// ThreadSanitizer does not see the atomics of this module (built without its
// instrumentation, see CMakeLists.txt), so a description handed from one
// thread to another through them is announced to it (its runtime defines
// these; elsewhere they are null).
extern "C" void __tsan_acquire(void* addr) __attribute__((weak));
extern "C" void __tsan_release(void* addr) __attribute__((weak));

namespace memfs::idetail {

inline void tsan_acquire(void* addr) noexcept {
  if (__tsan_acquire != nullptr) __tsan_acquire(addr);
}
inline void tsan_release(void* addr) noexcept {
  if (__tsan_release != nullptr) __tsan_release(addr);
}

/// A mutex in one word (a futex), for the call on a memfs descriptor: taking
/// and dropping it uncontended is one locked instruction each and no call
/// (std::mutex: a call into libc and a type check each way). Besides held,
/// the word records whether a thread waits, and whether the description's
/// last reference was dropped while it was held (hand_over): the holder then
/// finishes the release when it unlocks (see release_desc). Not reentrant.
/// What it guards is announced to ThreadSanitizer by its users.
class DescLock {
 public:
  static constexpr std::uint32_t kHeld = 1;
  static constexpr std::uint32_t kWaiters = 2;     // only with kHeld
  static constexpr std::uint32_t kHandedOver = 4;  // only with kHeld

  void lock() noexcept {
    std::uint32_t free = 0;
    if (!word_.compare_exchange_strong(free, kHeld, std::memory_order_acquire,
                                       std::memory_order_relaxed))
      lock_slow();
  }
  /// Unlocks; true when the last reference was handed over meanwhile (the
  /// caller finishes the release).
  [[nodiscard]] bool unlock() noexcept {
    const std::uint32_t old = word_.exchange(0, std::memory_order_acq_rel);
    if ((old & kWaiters) != 0) wake();
    return (old & kHandedOver) != 0;
  }
  /// For the release of the description's last reference: true when no
  /// thread holds the lock, and the caller recycles the description without
  /// taking it (a call that takes it afterwards read the description from
  /// the table before it was unmapped, and finds it unmapped: lock_fd);
  /// else marks the holder's unlock to finish the release, and returns
  /// false. Uncontended, one load: the release's locked decrement of the
  /// reference count orders it after the table's slot was cleared (x86),
  /// as a caller's locked lock() orders its check of the table after it.
  [[nodiscard]] bool free_or_hand_over() noexcept {
    return word_.load(std::memory_order_acquire) == 0 || hand_over_slow();
  }

 private:
  void lock_slow() noexcept;
  bool hand_over_slow() noexcept;
  void wake() noexcept;

  std::atomic<std::uint32_t> word_{0};
};

}  // namespace memfs::idetail
