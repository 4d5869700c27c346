// The process-wide state of the GoogleTest adapter: the running test's
// TestSession, the fixture that supplies its options, and the repeat
// iteration. The listener (gtest_listener.cpp) drives it; the accessors
// (fixture.cpp) read it.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include <gtest/gtest.h>

#include "memfs/gtest.hpp"
#include "memfs/test_session.hpp"

namespace memfs::gtest::detail {

/// What the fixture exposes to the registry.
struct FixtureAccess {
  /// The fixture's memory_options().
  static MemoryOptions options(const Test& fixture);
  /// The fixture's golden_tree().
  static const GoldenTree* golden(const Test& fixture);
};

/// The identity of a gtest test: full name "Suite.Name", value or type
/// parameter, file:line, the run suffix ("repeat2", "shard1of3",
/// "repeat2-shard1of3") and a command that re-runs it alone.
TestIdentity identity_of(const ::testing::TestInfo& info, int iteration);

/// The adapter's state. A leaked singleton: it must survive static
/// destruction (death-test children, late listener calls).
class Registry {
 public:
  static Registry& instance();

  /// OnTestIterationStart: the 0-based iteration, for the run suffix.
  void set_iteration(int iteration);
  /// OnTestStart: a fresh session for `info` (any previous one is dropped).
  void begin(const ::testing::TestInfo& info);
  /// OnTestEnd: hands over the session (null if the test had none).
  [[nodiscard]] std::unique_ptr<TestSession> end();
  /// OnTestPartResult: a failure message for the manifest.
  void add_failure(std::string message);

  /// The accessors. They use the running test's session, creating one when
  /// no listener made it (threadsafe death-test children), and apply the
  /// registered fixture's options before the filesystem is created. Throw
  /// std::logic_error outside a running test.
  MemoryFileSystem& fs();
  FaultInjector& faults();
  void set_options(const MemoryOptions& options);
  std::string mount_path();
  /// The fixture's options, applied now if they were not yet (Test::SetUp).
  void settle_options();
  /// OnTestEnd: why MEMFS_MOUNT=1 could not mount the test ("" if it could).
  [[nodiscard]] std::string take_mount_error();
  /// use_golden(): the running test's session starts from `golden`.
  void set_golden(const GoldenTree& golden);

  /// The fixture of the running test (its constructor / destructor).
  void attach(const Test* fixture);
  void detach(const Test* fixture);

 private:
  Registry() = default;
  // The session of `info`, the running test (mutex_ held), created if
  // missing.
  TestSession& current_locked(const ::testing::TestInfo& info);
  // current_locked(), with the fixture's options applied if its filesystem
  // is about to be created and no explicit options were set.
  TestSession& prepared_locked(const ::testing::TestInfo& info);

  // Guards everything below. Never held while calling into gtest (gtest
  // holds its own mutex while it calls listeners that take this one).
  std::mutex mutex_;
  std::unique_ptr<TestSession> session_;
  const ::testing::TestInfo* owner_ = nullptr;  // the test session_ is for
  // set_options() was called for session_, or the fixture's were applied
  bool explicit_options_ = false;
  std::string mount_error_;  // MEMFS_MOUNT=1 could not mount session_
  const Test* fixture_ = nullptr;
  int iteration_ = 0;
};

}  // namespace memfs::gtest::detail
