// RunRegistry: which test-case run is active, its TestSession, its section
// path and its failures. The Catch2 listener (catch2_listener.cpp) feeds it
// events; the accessors and the Fixture (accessors.cpp) read it. Nothing here
// depends on Catch2's types, so v2 and v3 share all of it.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

#include "memfs/test_session.hpp"

namespace memfs::catch2::detail {

/// What the listener knows about the test case being run.
struct TestCaseFacts {
  std::string name;
  std::string file;
  int line = 0;
  /// [!mayfail] or [!shouldfail]: failing assertions do not fail the test.
  bool ok_to_fail = false;
  /// [!shouldfail] (only meaningful with ok_to_fail).
  bool should_fail = false;
};

/// The process-wide run state. Listener events arrive on the thread that runs
/// Catch2; session() and fixture_ending() may be called from any thread.
/// mutex_ guards every member; it is never held while calling into a
/// TestSession that other threads may use, except to finish it.
class RunRegistry {
 public:
  /// The one instance (never destroyed, so accessors work during static
  /// destruction too).
  static RunRegistry& instance();

  // --- listener events -------------------------------------------------------
  /// Before the first test: remembers std::cout's buffer, to tell later
  /// whether Catch2 is capturing it.
  void run_starting_all();
  void test_case_starting(TestCaseFacts facts);
  /// A run of the current test case begins: a fresh session.
  void run_starting();
  /// Sections. The first one of a run is the test case's implicit root
  /// section (its name is the test case's); the others form the path.
  void section_starting(std::string name);
  /// `failed` / `missing_assertions` are the section's own counts; only the
  /// root's matter. Returns, when the root ends, the failure for files the
  /// run left open (TestSession::open_handles_failure) and for a
  /// MEMFS_MOUNT=1 that could not mount the run, which the listener
  /// reports to Catch2 as a failed assertion; "" otherwise.
  [[nodiscard]] std::string section_ended(bool failed, bool missing_assertions);
  /// Sections open in the current run (root included); 0 between runs.
  [[nodiscard]] std::size_t section_depth() const;
  /// A failing assertion: its text, formatted by the listener; `fatal` for
  /// the REQUIRE family (Catch2 throws to end the run right after).
  void assertion_failed(std::string message, bool fatal);
  /// The run was skipped (Catch2 v3's SKIP, which throws to end the body).
  void run_skipped();
  /// The run is over; `failed` is Catch2's verdict for it. Finishes the
  /// session (unless the fixture did), reports on stderr, drops it.
  void run_ended(bool failed);
  void test_case_ended();
  /// A fatal signal: the run cannot be exported safely.
  void fatal_error(std::string_view what) noexcept;

  /// How a failure reaches Catch2 as a failed assertion of the running test
  /// case (set by the listener; called without the mutex held).
  using FailureReporter = void (*)(const std::string& message);
  void set_failure_reporter(FailureReporter reporter);

  // --- user side -------------------------------------------------------------
  /// The active run's session, or the process-wide fallback outside runs.
  TestSession& session();
  /// Called by ~Fixture, inside the body's output capture. Finishes the run
  /// now if its verdict is already known (see catch2.hpp), so the report can
  /// reach the JUnit <system-out>. `exception_in_flight`: the body threw;
  /// unless a failed REQUIRE (or a SKIP) explains it, the run has failed.
  void fixture_ending(bool exception_in_flight);

 private:
  RunRegistry() = default;
  // The failure for files left open in this run and, with
  // MEMFS_REAL_DISK=fail, for its real-disk accesses (the recording stops
  // here), once per run. mutex_ held.
  [[nodiscard]] std::string open_handles_failure_locked();
  // Finishes the current run's session and reports. mutex_ held.
  void finish_locked(bool failed, bool inside_body);
  // The identity of the current run, from what is known now. mutex_ held.
  [[nodiscard]] TestIdentity identity_locked() const;
  // True when std::cout is redirected by Catch2 right now. mutex_ held.
  [[nodiscard]] bool cout_captured_locked() const;

  mutable std::mutex mutex_;
  std::streambuf* original_cout_ = nullptr;
  TestCaseFacts test_case_;
  std::uint64_t run_index_ = 0;       // 1-based within the test case
  std::unique_ptr<TestSession> run_;  // null between runs
  std::unique_ptr<TestSession> fallback_;
  std::vector<std::string> sections_;  // open sections below the root
  std::vector<std::string> run_path_;  // deepest section path of the run
  std::size_t depth_ = 0;
  bool failed_ = false;              // a failing assertion in this run
  bool root_failed_ = false;         // Catch2's count for the root section
  bool finished_ = false;            // the session was finished
  bool last_failure_fatal_ = false;  // the last failure was a REQUIRE
  bool skipped_ = false;             // SKIP() ended the run (v3)
  bool handles_checked_ = false;     // open files were looked for
  std::string mount_error_;          // MEMFS_MOUNT=1 could not mount
  FailureReporter report_failure_ = nullptr;
  std::atomic<bool> fatal_{false};  // read without the mutex
};

/// A failure message with the [!mayfail]/[!shouldfail] note when expected.
[[nodiscard]] std::string failure_message(const TestCaseFacts& facts,
                                          std::string text);

/// A Catch2 test spec that selects the test named `name`: the characters
/// that test specs interpret (\ , [, and " or ~ at the start) escaped with
/// a backslash. A `*` at either end stays a wildcard (specs cannot escape
/// it), so such a name may select more tests.
[[nodiscard]] std::string exact_test_spec(std::string_view name);

/// The command that runs one test case (and one section path) of this
/// binary alone: "'<exe>' '<spec>' -c '<section>' ...".
[[nodiscard]] std::string run_command(const std::string& test_name,
                                      const std::vector<std::string>& sections);

}  // namespace memfs::catch2::detail
