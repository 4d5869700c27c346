// SystemClock and ManualClock of memfs/clock.hpp.
#include "memfs/clock.hpp"

#include <thread>

namespace memfs {
namespace {

using std::chrono::nanoseconds;

// How long a ManualClock waiter blocks before it looks at the clock again.
// advance() cannot reach the caller's condition variable, so waiters poll.
constexpr nanoseconds kManualSlice = std::chrono::milliseconds(1);

// a + b, saturating at the largest representable value (a lock wait "forever"
// can push a ManualClock's deadline to the very end). A negative b is ignored:
// the clock never runs backwards.
template <class Duration>
Duration saturating_add(Duration a, Duration b) noexcept {
  if (b.count() <= 0) return a;
  if (a.count() > 0 && a > Duration::max() - b) return Duration::max();
  return a + b;
}

// 2000-01-01T00:00:00Z.
constexpr std::chrono::seconds kManualWallEpoch{946684800};

}  // namespace

// ---------------------------------------------------------------- SystemClock

Clock::time_point SystemClock::now() const {
  return std::chrono::system_clock::now();
}

Clock::steady_point SystemClock::steady_now() const {
  return std::chrono::steady_clock::now();
}

void SystemClock::wait_until(std::condition_variable& cv,
                             std::unique_lock<std::mutex>& lock,
                             steady_point deadline) {
  cv.wait_until(lock, deadline);
}

void SystemClock::sleep_for(std::chrono::nanoseconds d) {
  std::this_thread::sleep_for(d);
}

std::shared_ptr<SystemClock> SystemClock::instance() {
  static const std::shared_ptr<SystemClock> clock =
      std::make_shared<SystemClock>();
  return clock;
}

// ---------------------------------------------------------------- ManualClock

// The steady epoch is the clock's zero, so steady_now() == epoch + offset_ can
// never overflow however far the clock is advanced.
ManualClock::ManualClock()
    : wall_epoch_(
          std::chrono::duration_cast<time_point::duration>(kManualWallEpoch)),
      steady_epoch_() {}

Clock::time_point ManualClock::now() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return time_point(saturating_add(
      wall_epoch_.time_since_epoch(),
      std::chrono::duration_cast<time_point::duration>(offset_)));
}

Clock::steady_point ManualClock::steady_now() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return steady_epoch_ + offset_;
}

void ManualClock::wait_until(std::condition_variable& cv,
                             std::unique_lock<std::mutex>& lock,
                             steady_point deadline) {
  {
    std::lock_guard<std::mutex> guard(mutex_);
    if (auto_advance_) {
      const auto target =
          std::chrono::duration_cast<nanoseconds>(deadline - steady_epoch_);
      if (target > offset_) offset_ = target;
      return;
    }
  }
  // One short real-time slice, then back to the caller. Looping here instead
  // would lose wake-ups: each slice releases `lock`, and the caller's
  // condition can become true (and be notified) between two slices without
  // this loop ever re-checking it.
  if (steady_now() < deadline) cv.wait_for(lock, kManualSlice);
}

void ManualClock::sleep_for(std::chrono::nanoseconds d) {
  steady_point wake;
  {
    std::lock_guard<std::mutex> guard(mutex_);
    if (auto_advance_) {
      offset_ = saturating_add(offset_, d);
      return;
    }
    wake = steady_epoch_ + saturating_add(offset_, d);
  }
  // Without auto-advance, a sleeper is a waiter like any other: it wakes when
  // advance() has moved the clock past its wake-up time.
  while (steady_now() < wake) std::this_thread::sleep_for(kManualSlice);
}

void ManualClock::advance(std::chrono::nanoseconds d) {
  std::lock_guard<std::mutex> guard(mutex_);
  offset_ = saturating_add(offset_, d);
}

void ManualClock::set_now(time_point t) {
  std::lock_guard<std::mutex> guard(mutex_);
  // Keep now() == wall_epoch_ + offset_ == t.
  wall_epoch_ = t - std::chrono::duration_cast<time_point::duration>(offset_);
}

void ManualClock::set_auto_advance(bool on) {
  std::lock_guard<std::mutex> guard(mutex_);
  auto_advance_ = on;
}

}  // namespace memfs
