// Helpers shared by the core tests: error matchers, tree builders, a textual
// picture of a filesystem's whole observable state (to prove that a failed
// operation changed nothing), and a clock that reports lock waits.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "memfs/clock.hpp"
#include "memfs/error.hpp"
#include "memfs/file_system.hpp"

namespace memfs::test {

/// Human-readable names of error values, for matcher messages.
std::string error_name(std::errc e);
std::string error_name(memfs::errc e);
std::string error_name(const std::error_code& ec);

/// Matches an std::error_code equal (or equivalent) to `expected`, a std::errc
/// or memfs::errc: EXPECT_THAT(ec, IsErr(std::errc::not_a_directory)).
MATCHER_P(IsErr, expected,
          std::string(negation ? "is not " : "is ") +
              ::memfs::test::error_name(expected)) {
  *result_listener << "which is " << ::memfs::test::error_name(arg);
  return arg == expected;
}

/// Matches a cleared std::error_code: EXPECT_THAT(ec, Succeeded()).
MATCHER(Succeeded, std::string(negation ? "is an error" : "is success")) {
  *result_listener << "which is " << ::memfs::test::error_name(arg);
  return !arg;
}

/// ExportTreeOptions with only_dirty set: export_tree("/", dirty_only()).
inline ExportTreeOptions dirty_only() {
  ExportTreeOptions options;
  options.only_dirty = true;
  return options;
}

/// Runs `f(ec)` with a fresh error_code and returns it:
///     EXPECT_THAT(ec_of([&](auto& ec) { fs.remove("/", ec); }), IsErr(...));
template <class F>
std::error_code ec_of(F&& f) {
  std::error_code ec;
  std::forward<F>(f)(ec);
  return ec;
}

/// Runs `f()`, expecting it to throw `Exception`; returns the exception (or
/// nullopt after recording a test failure).
template <class Exception, class F>
std::optional<Exception> catch_as(F&& f) {
  try {
    std::forward<F>(f)();
  } catch (const Exception& e) {
    return e;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "threw a different exception: " << e.what();
    return std::nullopt;
  }
  ADD_FAILURE() << "did not throw";
  return std::nullopt;
}

/// Creates entries: a path ending in '/' is a directory, any other a file
/// whose contents are its own path. Missing parents are created.
void make_tree(FileSystem& fs, std::initializer_list<std::string> paths);

/// Number of files and directories reachable from "/" (root included).
struct NodeCounts {
  std::uint64_t files = 0;
  std::uint64_t directories = 0;
};
NodeCounts count_nodes(FileSystem& fs);

/// Sum of the sizes of every file reachable from "/".
std::uint64_t sum_of_file_sizes(FileSystem& fs);

/// Everything a test can observe about a filesystem, one line per path
/// (type, size, generation, times, contents) plus the usage counters, as text
/// so that EXPECT_EQ shows what differs. Takes no locks a handle could hold.
std::string describe_state(FileSystem& fs);

/// A clock with real time that tells a test how many threads are blocked in
/// a timed wait inside the filesystem (a lock wait, or one nap of a polled
/// lock wait), so the test can wait for that instead of sleeping and hoping.
class WaitCountingClock final : public Clock {
 public:
  [[nodiscard]] time_point now() const override;
  [[nodiscard]] steady_point steady_now() const override;
  void wait_until(std::condition_variable& cv,
                  std::unique_lock<std::mutex>& lock,
                  steady_point deadline) override;
  void sleep_for(std::chrono::nanoseconds d) override;

  /// Blocks until at least `n` threads are inside wait_until at once; false
  /// if that has not happened within a minute (a watchdog, so that a broken
  /// implementation fails the test instead of hanging it).
  [[nodiscard]] bool await_waiters(std::uint64_t n);
  /// How many threads are inside wait_until now.
  [[nodiscard]] std::uint64_t waiters() const;

 private:
  std::shared_ptr<SystemClock> real_ = SystemClock::instance();
  mutable std::mutex mutex_;  // guards waiters_
  std::condition_variable changed_;
  std::uint64_t waiters_ = 0;
};

}  // namespace memfs::test
