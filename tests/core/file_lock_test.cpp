// The engine's advisory file lock (memory_state.hpp): its state is made on
// first use, by whichever of racing threads gets there first.
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "memory/memory_state.hpp"

namespace memfs::detail {
namespace {

TEST(FileLock, ANeverLockedFileIsNotHeld) {
  const FileLock lock;
  EXPECT_FALSE(lock.held());
}

TEST(FileLock, ThreadsRacingForAFreshLockGetOneStateAndExclusion) {
  Clock& clock = *SystemClock::instance();
  for (int round = 0; round < 200; ++round) {
    FileLock lock;
    std::atomic<int> won{0};
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&] {
        ready.fetch_add(1);
        while (ready.load() < 4) std::this_thread::yield();
        // Each tries once: exactly one of them may hold it.
        if (lock.acquire(LockMode::exclusive, std::chrono::nanoseconds(0),
                         clock)) {
          won.fetch_add(1);
        }
      });
    }
    for (std::thread& t : threads) t.join();
    ASSERT_EQ(won.load(), 1) << "round " << round;
    EXPECT_TRUE(lock.held());
    lock.release(LockMode::exclusive);
    EXPECT_FALSE(lock.held());
    EXPECT_TRUE(
        lock.acquire(LockMode::shared, std::chrono::nanoseconds(0), clock));
    EXPECT_FALSE(
        lock.acquire(LockMode::exclusive, std::chrono::nanoseconds(0), clock));
    lock.release(LockMode::shared);
  }
}

}  // namespace
}  // namespace memfs::detail
