// SystemClock and ManualClock (memfs/clock.hpp). No wall-clock timing
// assertions: waits end through advance() or a notification, never by time.
#include "memfs/clock.hpp"

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace {

using namespace std::chrono_literals;
using memfs::Clock;
using memfs::ManualClock;

constexpr std::chrono::seconds kY2k{946684800};  // 2000-01-01T00:00:00Z

TEST(ManualClock, StartsAt2000AndStandsStill) {
  ManualClock clock;
  EXPECT_EQ(clock.now(), Clock::time_point(kY2k));
  const auto steady = clock.steady_now();
  EXPECT_EQ(clock.steady_now(), steady);
  EXPECT_EQ(clock.now(), Clock::time_point(kY2k));
}

TEST(ManualClock, AdvanceMovesBothClocks) {
  ManualClock clock;
  const auto wall = clock.now();
  const auto steady = clock.steady_now();
  clock.advance(1500ms);
  EXPECT_EQ(clock.now() - wall, 1500ms);
  EXPECT_EQ(clock.steady_now() - steady, 1500ms);
  clock.advance(1ns);
  EXPECT_EQ(clock.steady_now() - steady, 1500ms + 1ns);
}

TEST(ManualClock, NeverRunsBackwards) {
  ManualClock clock;
  const auto steady = clock.steady_now();
  clock.advance(-5s);
  EXPECT_EQ(clock.steady_now(), steady);
}

TEST(ManualClock, SetNowMovesOnlyTheWallClock) {
  ManualClock clock;
  clock.advance(10s);
  const auto steady = clock.steady_now();
  const Clock::time_point t(std::chrono::hours(24 * 365 * 30));
  clock.set_now(t);
  EXPECT_EQ(clock.now(), t);
  EXPECT_EQ(clock.steady_now(), steady);
  clock.advance(2s);
  EXPECT_EQ(clock.now(), t + 2s);
}

TEST(ManualClock, AutoAdvanceWaitJumpsToTheDeadlineAtOnce) {
  ManualClock clock;
  clock.set_auto_advance(true);
  std::mutex m;
  std::condition_variable cv;
  std::unique_lock<std::mutex> lock(m);
  const auto wall = clock.now();
  const auto deadline = clock.steady_now() + 30s;
  clock.wait_until(cv, lock, deadline);  // would hang here if it waited
  EXPECT_TRUE(lock.owns_lock());
  EXPECT_EQ(clock.steady_now(), deadline);
  EXPECT_EQ(clock.now(), wall + 30s);
  // A deadline already passed leaves the clock where it is.
  clock.wait_until(cv, lock, deadline - 10s);
  EXPECT_EQ(clock.steady_now(), deadline);
}

TEST(ManualClock, AutoAdvanceSleepAdvancesInsteadOfSleeping) {
  ManualClock clock;
  clock.set_auto_advance(true);
  const auto steady = clock.steady_now();
  clock.sleep_for(std::chrono::hours(1));
  EXPECT_EQ(clock.steady_now() - steady, std::chrono::hours(1));
}

TEST(ManualClock, AutoAdvanceToTheEndOfTimeSaturates) {
  ManualClock clock;
  clock.set_auto_advance(true);
  std::mutex m;
  std::condition_variable cv;
  std::unique_lock<std::mutex> lock(m);
  clock.wait_until(cv, lock, Clock::steady_point::max());
  EXPECT_EQ(clock.steady_now(), Clock::steady_point::max());
  EXPECT_EQ(clock.now(), Clock::time_point::max());
  clock.advance(1s);  // no overflow
  clock.sleep_for(1s);
  EXPECT_EQ(clock.steady_now(), Clock::steady_point::max());
}

TEST(ManualClock, WaitWithPassedDeadlineReturnsWithoutAdvance) {
  ManualClock clock;
  std::mutex m;
  std::condition_variable cv;
  std::unique_lock<std::mutex> lock(m);
  const auto start = clock.steady_now();
  clock.wait_until(cv, lock, start);
  clock.wait_until(cv, lock, start - 1s);
  EXPECT_EQ(clock.steady_now(), start);
}

TEST(ManualClock, WaiterBlocksUntilAdvancePassesItsDeadline) {
  ManualClock clock;
  std::mutex m;
  std::condition_variable cv;
  std::atomic<bool> done{false};
  const auto deadline = clock.steady_now() + 10s;
  std::thread waiter([&] {
    std::unique_lock<std::mutex> lock(m);
    while (clock.steady_now() < deadline) clock.wait_until(cv, lock, deadline);
    done = true;
  });
  clock.advance(9s);
  EXPECT_FALSE(done.load());  // 1 s of manual time still to go
  clock.advance(1s);
  waiter.join();  // returns only because the clock reached the deadline
  EXPECT_TRUE(done.load());
}

TEST(ManualClock, WaiterWakesOnNotification) {
  ManualClock clock;
  std::mutex m;
  std::condition_variable cv;
  bool ready = false;
  const auto deadline = clock.steady_now() + 10s;
  std::thread waiter([&] {
    std::unique_lock<std::mutex> lock(m);
    while (!ready && clock.steady_now() < deadline) {
      clock.wait_until(cv, lock, deadline);
    }
    EXPECT_TRUE(ready);
  });
  {
    std::lock_guard<std::mutex> guard(m);
    ready = true;
  }
  cv.notify_all();
  waiter.join();
  EXPECT_EQ(clock.steady_now(), deadline - 10s);  // the clock never moved
}

TEST(ManualClock, SleeperWithoutAutoAdvanceWakesWhenTheClockMoves) {
  ManualClock clock;
  const auto start = clock.steady_now();
  std::atomic<bool> done{false};
  Clock::steady_point woke_at;
  std::thread sleeper([&] {
    clock.sleep_for(5s);  // starts at `start` or later
    woke_at = clock.steady_now();
    done = true;
  });
  // Nudge the clock until the sleeper is out; it cannot wake before 5 s of
  // manual time have passed since it fell asleep.
  while (!done) {
    clock.advance(100ms);
    std::this_thread::yield();
  }
  sleeper.join();
  EXPECT_GE(woke_at - start, 5s);
}

TEST(ManualClock, ConcurrentAdvancesAllCount) {
  ManualClock clock;
  const auto start = clock.steady_now();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        clock.advance(1ms);
        (void)clock.now();
        (void)clock.steady_now();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(clock.steady_now() - start, 4000ms);
}

TEST(SystemClock, SteadyTimeNeverGoesBackwards) {
  memfs::SystemClock clock;
  auto previous = clock.steady_now();
  for (int i = 0; i < 1000; ++i) {
    const auto t = clock.steady_now();
    EXPECT_GE(t, previous);
    previous = t;
  }
}

TEST(SystemClock, NowIsTheSystemTime) {
  memfs::SystemClock clock;
  const auto before = std::chrono::system_clock::now();
  const auto t = clock.now();
  const auto after = std::chrono::system_clock::now();
  // system_clock may be adjusted, but not in this tiny window in practice;
  // this checks the source, not the speed.
  EXPECT_LE(before - 1s, t);
  EXPECT_LE(t, after + 1s);
}

TEST(SystemClock, WaitWithPassedDeadlineReturns) {
  memfs::SystemClock clock;
  std::mutex m;
  std::condition_variable cv;
  std::unique_lock<std::mutex> lock(m);
  clock.wait_until(cv, lock, clock.steady_now() - 1s);
  EXPECT_TRUE(lock.owns_lock());
  clock.sleep_for(0ns);
}

TEST(SystemClock, InstanceIsShared) {
  const auto a = memfs::SystemClock::instance();
  const auto b = memfs::SystemClock::instance();
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a, b);
}

}  // namespace
