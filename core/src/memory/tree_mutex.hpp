// Internal: the namespace lock of MemoryFileSystem (MemoryState::tree_mutex),
// a reader-writer lock whose readers write no cache line that readers on
// other threads write.
//
// std::shared_mutex keeps one reader count: every lookup writes it, so two
// threads reading different files still pass one cache line back and forth
// (threads_read in benchmarks/). Here each thread counts itself in one of
// kSlots cache-line slots (threads are spread round-robin), and a writer
// announces itself in `writer_` (read, not written, by readers) and waits
// for every slot to drain. Readers that find a writer step back and wait on
// the writers' mutex, which the writer holds until it unlocks; so writers
// are preferred, and a stream of readers cannot starve one.
//
// Not recursive: a thread holding the lock shared must not take it again
// (a writer waiting in between would wait for it forever). The engine never
// does: each operation takes the tree lock once.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <thread>

namespace memfs::detail {

class TreeMutex {
 public:
  void lock_shared() {
    Slot& slot = slots_[slot_of_this_thread()];
    for (;;) {
      // seq_cst on both sides (here and in lock()): either the writer sees
      // this count, or this reader sees the writer.
      slot.readers.fetch_add(1, std::memory_order_seq_cst);
      if (!writer_.load(std::memory_order_seq_cst)) return;
      slot.readers.fetch_sub(1, std::memory_order_seq_cst);
      std::lock_guard<std::mutex> wait_for_writer(writers_);
    }
  }
  void unlock_shared() noexcept {
    slots_[slot_of_this_thread()].readers.fetch_sub(1,
                                                    std::memory_order_release);
  }

  void lock() {
    writers_.lock();
    writer_.store(true, std::memory_order_seq_cst);
    for (Slot& slot : slots_) {
      while (slot.readers.load(std::memory_order_seq_cst) != 0)
        std::this_thread::yield();
    }
  }
  void unlock() noexcept {
    writer_.store(false, std::memory_order_release);
    writers_.unlock();
  }

 private:
  static constexpr std::size_t kSlots = 8;
  static constexpr std::size_t kLine = 64;
  struct alignas(kLine) Slot {
    std::atomic<std::uint32_t> readers{0};
  };

  static std::size_t slot_of_this_thread() noexcept {
    static std::atomic<std::size_t> next{0};
    thread_local const std::size_t slot =
        next.fetch_add(1, std::memory_order_relaxed) % kSlots;
    return slot;
  }

  Slot slots_[kSlots];
  alignas(kLine) std::atomic<bool> writer_{false};
  std::mutex writers_;
};

}  // namespace memfs::detail
