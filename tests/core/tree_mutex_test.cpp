// The namespace lock's reader slots (memory/tree_mutex.hpp): live threads
// are spread over them, and a thread that exits gives its slot back.
#include "memory/tree_mutex.hpp"

#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace memfs::detail {
namespace {

// Threads made and joined one after another (as a benchmark or test runner
// makes them) never land in the slot of a thread still alive: handed out in
// turn, the kSlots-th would share this thread's slot and its cache line.
TEST(TreeMutexSlots, AThreadMadeAfterOthersExitedTakesAFreeSlot) {
  const std::size_t mine = TreeMutex::slot_of_this_thread();
  for (std::size_t i = 0; i < 3 * TreeMutex::kSlots; ++i) {
    std::size_t theirs = TreeMutex::kSlots;
    std::thread([&] { theirs = TreeMutex::slot_of_this_thread(); }).join();
    EXPECT_NE(theirs, mine) << "thread " << i;
    EXPECT_LT(theirs, TreeMutex::kSlots);
  }
}

// As many live threads as slots get one slot each.
TEST(TreeMutexSlots, LiveThreadsUpToTheSlotsGetOneEach) {
  // This thread holds one slot; kSlots - 1 more threads fill the rest.
  std::vector<std::size_t> slots(TreeMutex::kSlots, TreeMutex::kSlots);
  slots[0] = TreeMutex::slot_of_this_thread();
  std::vector<std::thread> threads;
  std::atomic<std::size_t> arrived{0};
  for (std::size_t i = 1; i < TreeMutex::kSlots; ++i) {
    threads.emplace_back([&, i] {
      slots[i] = TreeMutex::slot_of_this_thread();
      arrived.fetch_add(1);
      while (arrived.load() < TreeMutex::kSlots - 1) std::this_thread::yield();
    });
  }
  for (std::thread& t : threads) t.join();
  std::vector<bool> seen(TreeMutex::kSlots, false);
  for (const std::size_t s : slots) {
    ASSERT_LT(s, TreeMutex::kSlots);
    EXPECT_FALSE(seen[s]) << "slot " << s << " given twice";
    seen[s] = true;
  }
}

}  // namespace
}  // namespace memfs::detail
