// RunRegistry: one TestSession per run of a test case, finished when the run
// ends (or earlier, from ~Fixture, when the verdict is already known).
#include "run_registry.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <utility>

namespace memfs::catch2::detail {
namespace {

// Writes to the process's stderr (fd 2 through C stdio): Catch2's default
// capture swaps std::cerr's buffer, and a report that says where the
// snapshot is must reach the terminal.
void write_stderr(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

std::string expected_note(const TestCaseFacts& facts) {
  return facts.should_fail ? "[!shouldfail]" : "[!mayfail]";
}

}  // namespace

RunRegistry& RunRegistry::instance() {
  // Leaked on purpose: accessors may run during static destruction.
  static RunRegistry* registry = new RunRegistry();
  return *registry;
}

void RunRegistry::run_starting_all() {
  std::lock_guard<std::mutex> lock(mutex_);
  original_cout_ = std::cout.rdbuf();
}

void RunRegistry::test_case_starting(TestCaseFacts facts) {
  if (fatal_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  test_case_ = std::move(facts);
  run_index_ = 0;
}

void RunRegistry::run_starting() {
  if (fatal_) return;
  std::unique_ptr<TestSession> stale;
  std::lock_guard<std::mutex> lock(mutex_);
  stale = std::move(run_);  // only if a run never ended; destroyed unreported
  ++run_index_;
  sections_.clear();
  run_path_.clear();
  depth_ = 0;
  failed_ = root_failed_ = finished_ = last_failure_fatal_ = skipped_ = false;
  handles_checked_ = false;
  run_ = std::make_unique<TestSession>(identity_locked());
  mount_error_ = run_->mount_if_requested();
  run_->start_real_disk_recording();
}

void RunRegistry::section_starting(std::string name) {
  if (fatal_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (depth_++ == 0) return;  // the root: the test case itself
  sections_.push_back(std::move(name));
  // One chain of sections runs per run, so the latest one is its leaf.
  run_path_ = sections_;
}

std::string RunRegistry::section_ended(bool failed, bool missing_assertions) {
  if (fatal_) return {};
  std::lock_guard<std::mutex> lock(mutex_);
  if (depth_ == 0) return {};
  if (--depth_ > 0) {
    if (!sections_.empty()) sections_.pop_back();
    return {};
  }
  root_failed_ = failed;
  if (missing_assertions && failed && run_ && !finished_) {
    run_->add_failure(failure_message(
        test_case_, "no assertion ran in this run (-w NoAssertions)"));
  }
  std::string failure = std::move(mount_error_);
  mount_error_.clear();
  const std::string still_open = open_handles_failure_locked();
  if (!failure.empty() && !still_open.empty()) failure += "\n";
  return failure + still_open;
}

std::string RunRegistry::open_handles_failure_locked() {
  if (!run_ || finished_ || handles_checked_ || report_failure_ == nullptr) {
    return {};
  }
  handles_checked_ = true;
  run_->set_identity(identity_locked());  // the failures name the sections
  std::string text = run_->open_handles_failure();
  // MEMFS_REAL_DISK=fail: the real-disk accesses fail the run as well.
  const std::string real_disk = run_->stop_real_disk_recording();
  if (!real_disk.empty()) text += (text.empty() ? "" : "\n") + real_disk;
  return text;
}

void RunRegistry::set_failure_reporter(FailureReporter reporter) {
  std::lock_guard<std::mutex> lock(mutex_);
  report_failure_ = reporter;
}

std::size_t RunRegistry::section_depth() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return depth_;
}

void RunRegistry::assertion_failed(std::string message, bool fatal) {
  if (fatal_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  failed_ = true;
  last_failure_fatal_ = fatal;
  // After a finish (the fixture's, when the body threw) the session adds it
  // to the exported manifest: Catch2 reports the exception only now.
  if (run_) run_->add_failure(failure_message(test_case_, std::move(message)));
}

void RunRegistry::run_skipped() {
  if (fatal_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  skipped_ = true;
}

void RunRegistry::run_ended(bool failed) {
  if (fatal_) return;
  std::unique_ptr<TestSession> done;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!run_) return;
    if (!finished_) finish_locked(failed || failed_ || root_failed_, false);
    done = std::move(run_);
    depth_ = 0;
    sections_.clear();
  }
  // `done` (the filesystem) is destroyed here, outside the lock.
}

void RunRegistry::test_case_ended() {
  // A run still open here was cut short (Catch2 skips the partial-ended
  // event on some error paths): end it as failed.
  run_ended(true);
}

void RunRegistry::fatal_error(std::string_view what) noexcept {
  // Inside a signal handler: no locks, no allocation, no export.
  fatal_ = true;
  constexpr std::string_view kText =
      "memfs: fatal error in the test run; its filesystem is not exported "
      "(writing files inside a signal handler is not safe): ";
  [[maybe_unused]] auto a = ::write(2, kText.data(), kText.size());
  [[maybe_unused]] auto b = ::write(2, what.data(), what.size());
  [[maybe_unused]] auto c = ::write(2, "\n", 1);
}

TestSession& RunRegistry::session() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (run_) return *run_;
  if (!fallback_) {
    TestIdentity id;
    id.full_name = "(outside any Catch2 test case)";
    id.framework = "catch2";
    fallback_ = std::make_unique<TestSession>(std::move(id));
  }
  return *fallback_;
}

void RunRegistry::fixture_ending(bool exception_in_flight) {
  if (fatal_) return;
  std::string still_open;
  FailureReporter reporter = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    still_open = open_handles_failure_locked();
    reporter = report_failure_;
  }
  // A failed assertion of the run, recorded through assertion_failed().
  if (!still_open.empty()) reporter(still_open);
  std::lock_guard<std::mutex> lock(mutex_);
  if (!run_ || finished_) return;
  if (exception_in_flight && !last_failure_fatal_) {
    // Not a REQUIRE: the body threw (or skipped). Catch2 fails the run for
    // the exception only after this fixture is gone, outside its capture;
    // the verdict is known now, so report here as for a REQUIRE. The
    // exception's message reaches the manifest when Catch2 reports it.
    if (skipped_) return;
    failed_ = true;
  }
  if (!failed_ && TestSession::policy_from_env() != SnapshotPolicy::always) {
    return;  // a passing run: nothing to say yet
  }
  finish_locked(failed_, true);
}

void RunRegistry::finish_locked(bool failed, bool inside_body) {
  finished_ = true;
  run_->set_identity(identity_locked());
  TestSession::Outcome outcome = run_->finish(failed);
  std::string text = std::move(outcome.report);
  if (text.empty()) return;
  if (failed && test_case_.ok_to_fail) {
    text = "memfs: " + test_case_.name + " is marked " +
           expected_note(test_case_) +
           ": this run's failure was expected and does not fail the test "
           "case; its filesystem is reported for inspection\n" +
           text;
  }
  write_stderr(text);
  if (inside_body && cout_captured_locked()) {
    // Catch2 is capturing std::cout for the reporter (JUnit, XML): this
    // copy lands in the report's <system-out>.
    std::cout << text;
    if (outcome.exported) {
      std::cout << "[[ATTACHMENT|" << outcome.artifact().string() << "]]\n";
    }
    std::cout.flush();
  }
}

TestIdentity RunRegistry::identity_locked() const {
  TestIdentity id;
  id.full_name = test_case_.name;
  for (const std::string& section : run_path_) id.full_name += " / " + section;
  id.framework = "catch2";
  id.file = test_case_.file;
  id.line = test_case_.line;
  id.run_suffix = "run" + std::to_string(run_index_);
  id.command = run_command(test_case_.name, run_path_);
  return id;
}

bool RunRegistry::cout_captured_locked() const {
  return original_cout_ != nullptr && std::cout.rdbuf() != original_cout_;
}

std::string failure_message(const TestCaseFacts& facts, std::string text) {
  if (!facts.ok_to_fail) return text;
  return "(expected, " + expected_note(facts) + ") " + text;
}

}  // namespace memfs::catch2::detail
