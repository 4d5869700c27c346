// Internal: the namespace lock of MemoryFileSystem (MemoryState::tree_mutex),
// a reader-writer lock whose readers write no cache line that readers on
// other threads write.
//
// std::shared_mutex keeps one reader count: every lookup writes it, so two
// threads reading different files still pass one cache line back and forth
// (threads_read in benchmarks/). Here each thread counts itself in one of
// kSlots cache-line slots (a new thread takes the least-used one), and a writer
// claims `writer_` (read, not written, by readers) with one atomic exchange,
// then waits for every slot to drain. Readers that find a writer step back
// until it unlocks; so writers are preferred, and a stream of readers
// cannot starve one. Waiting spins (yielding), then polls: the tree lock is
// held for short spells, and a long one (a large import) costs a waiter at
// most one poll interval more. While the process has one thread, the
// counts and the claim are plain loads and stores
// (shared/single_threaded.hpp).
//
// Not recursive: a thread holding the lock shared must not take it again
// (a writer waiting in between would wait for it forever). The engine never
// does: each operation takes the tree lock once.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "memory/spin_lock.hpp"
#include "shared/single_threaded.hpp"

namespace memfs::detail {

class TreeMutex {
 public:
  void lock_shared() {
    std::atomic<std::uint32_t>& readers = slots_[slot_of_this_thread()].readers;
    for (;;) {
      // seq_cst on both sides (here and in lock()): either the writer sees
      // this count, or this reader sees the writer.
      fetch_add_st(readers, 1u);
      if (!writer_.value.load(std::memory_order_seq_cst)) return;
      fetch_sub_st(readers, 1u);
      wait_while_written();
    }
  }
  void unlock_shared() noexcept {
    fetch_sub_st(slots_[slot_of_this_thread()].readers, 1u,
                 std::memory_order_release);
  }

  void lock() {
    while (exchange_st(writer_.value, true)) wait_while_written();
    // Alone, no reader can be counted: this thread holds no read lock (not
    // recursive) and no other thread exists.
    if (single_threaded()) return;
    for (Slot& slot : slots_) {
      for (unsigned spins = 0;
           slot.readers.load(std::memory_order_seq_cst) != 0; ++spins) {
        wait_step(spins);
      }
    }
  }
  void unlock() noexcept {
    writer_.value.store(false, std::memory_order_release);
  }

  // The reader slots, and this thread's, assigned on its first use
  // (memory_state.cpp); the handle registry shards by them too.
  static constexpr std::size_t kSlots = 8;
  static constexpr std::size_t kLine = 64;
  static std::size_t slot_of_this_thread() noexcept {
    const std::size_t slot = slot_;
    return slot != kSlots ? slot : assign_slot();
  }

 private:
  // Inline, so that a lock reads it with no call (an open + close asks
  // three times). Plain data with a constant initializer, and initial-exec:
  // a thread-pointer offset, no TLS wrapper (the library is linked or
  // preloaded, never dlopen()ed late).
  static inline thread_local std::size_t slot_
      __attribute__((tls_model("initial-exec"))) = kSlots;
  static std::size_t assign_slot() noexcept;

  struct alignas(kLine) Slot {
    std::atomic<std::uint32_t> readers{0};
  };

  void wait_while_written() const {
    for (unsigned spins = 0; writer_.value.load(std::memory_order_relaxed);
         ++spins)
      wait_step(spins);
  }

  // writer_ has a line of its own too: the members that follow the lock
  // (MemoryState's) are written often, and every reader reads writer_.
  struct alignas(kLine) Flag {
    std::atomic<bool> value{false};
  };

  Slot slots_[kSlots];
  Flag writer_;
};

}  // namespace memfs::detail
