// memfs/clock.hpp — the injectable clock.
//
// memfs never reads the time directly. Timestamps (created/modified) and lock
// timeouts go through a Clock, so a test can make both deterministic:
//
// ```cpp
// auto clock = std::make_shared<memfs::ManualClock>();
// clock->set_auto_advance(true);           // a 30 s lock wait ends at once
// memfs::MemoryOptions opts;
// opts.clock = clock;
// memfs::MemoryFileSystem fs(opts);
// ```
//
// Thread-safety: every member of every Clock here may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>

namespace memfs {

/// Time source for timestamps and timed waits.
class Clock {
 public:
  /// Wall time, used for created/modified timestamps.
  using time_point = std::chrono::system_clock::time_point;
  /// Monotonic time, used for timeouts.
  using steady_point = std::chrono::steady_clock::time_point;

  Clock() = default;
  Clock(const Clock&) = delete;
  Clock& operator=(const Clock&) = delete;
  virtual ~Clock() = default;

  /// The current wall time.
  [[nodiscard]] virtual time_point now() const = 0;
  /// The current monotonic time.
  [[nodiscard]] virtual steady_point steady_now() const = 0;

  /// Blocks on `cv` (whose mutex `lock` holds) until notified or until
  /// steady_now() reaches `deadline`. May return spuriously: callers re-check
  /// their condition and the deadline in a loop.
  virtual void wait_until(std::condition_variable& cv,
                          std::unique_lock<std::mutex>& lock,
                          steady_point deadline) = 0;

  /// Sleeps for `d` (used by injected latency).
  virtual void sleep_for(std::chrono::nanoseconds d) = 0;
};

/// The real clocks: system_clock for timestamps, steady_clock for waits.
class SystemClock final : public Clock {
 public:
  [[nodiscard]] time_point now() const override;
  [[nodiscard]] steady_point steady_now() const override;
  void wait_until(std::condition_variable& cv,
                  std::unique_lock<std::mutex>& lock,
                  steady_point deadline) override;
  void sleep_for(std::chrono::nanoseconds d) override;

  /// A shared instance, the default of MemoryOptions::clock.
  [[nodiscard]] static std::shared_ptr<SystemClock> instance();
};

/// A clock that moves only when told to. Starts at 2000-01-01T00:00:00Z (wall)
/// and at an arbitrary steady epoch.
///
/// With auto-advance on, a wait jumps the clock straight to the waiter's
/// deadline (so a lock timeout fires at once, without sleeping), and sleep_for
/// advances the clock instead of sleeping. With it off (the default), waiters
/// block for real until advance() moves the clock past their deadline or the
/// condition they wait for is signalled.
class ManualClock final : public Clock {
 public:
  ManualClock();

  [[nodiscard]] time_point now() const override;
  [[nodiscard]] steady_point steady_now() const override;
  void wait_until(std::condition_variable& cv,
                  std::unique_lock<std::mutex>& lock,
                  steady_point deadline) override;
  void sleep_for(std::chrono::nanoseconds d) override;

  /// Moves both clocks forward by `d` and wakes waiters whose deadline passed.
  void advance(std::chrono::nanoseconds d);
  /// Sets the wall time (the steady time is unaffected).
  void set_now(time_point t);
  /// See the class comment.
  void set_auto_advance(bool on);

 private:
  mutable std::mutex mutex_;  // guards the three members below
  std::chrono::nanoseconds offset_{0};
  time_point wall_epoch_;
  bool auto_advance_ = false;
  steady_point steady_epoch_;
};

}  // namespace memfs
