// The adapter's process-wide state and how a gtest test is named.
#include "registry.hpp"

#include <cstdlib>
#include <stdexcept>
#include <string>
#include <utility>

#include "shared/self_exe.hpp"
#include "shared/shell_quote.hpp"

namespace memfs::gtest::detail {
namespace {

// An environment variable as a non-negative int, or -1.
long env_number(const char* name) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return -1;
  char* end = nullptr;
  const long value = std::strtol(text, &end, 10);
  return *end == '\0' && value >= 0 ? value : -1;
}

// "shard1of3" when gtest shards this run (both variables set, more than one
// shard: gtest's own rule), else "".
std::string shard_suffix() {
  const long total = env_number("GTEST_TOTAL_SHARDS");
  const long index = env_number("GTEST_SHARD_INDEX");
  if (total <= 1 || index < 0 || index >= total) return {};
  return "shard" + std::to_string(index) + "of" + std::to_string(total);
}

const char* const kOutsideTest =
    "memfs::gtest: fs()/faults()/set_memory_options() called outside a "
    "running test (the filesystem belongs to one test: use it from the test "
    "body, SetUp/TearDown or the fixture)";

// Asked before taking mutex_: gtest takes its own mutex here, and holds it
// while it calls listeners that take mutex_ (OnTestPartResult).
const ::testing::TestInfo& running_test() {
  const ::testing::TestInfo* info =
      ::testing::UnitTest::GetInstance()->current_test_info();
  if (info == nullptr) throw std::logic_error(kOutsideTest);
  return *info;
}

}  // namespace

MemoryOptions FixtureAccess::options(const Test& fixture) {
  return fixture.memory_options();
}

const GoldenTree* FixtureAccess::golden(const Test& fixture) {
  return fixture.golden_tree();
}

TestIdentity identity_of(const ::testing::TestInfo& info, int iteration) {
  TestIdentity id;
  id.full_name = std::string(info.test_suite_name()) + "." + info.name();
  id.framework = "googletest";
  if (info.value_param() != nullptr) {
    id.parameter = info.value_param();
  } else if (info.type_param() != nullptr) {
    id.parameter = info.type_param();
  }
  id.file = info.file() != nullptr ? info.file() : "";
  id.line = info.line();
  if (GTEST_FLAG_GET(repeat) != 1) {
    id.run_suffix = "repeat" + std::to_string(iteration + 1);
  }
  const std::string shard = shard_suffix();
  if (!shard.empty()) {
    id.run_suffix += (id.run_suffix.empty() ? "" : "-") + shard;
  }
  id.command = memfs::detail::shell_word(memfs::detail::self_exe()) +
               " --gtest_filter=" + memfs::detail::shell_word(id.full_name);
  return id;
}

Registry& Registry::instance() {
  static Registry* registry = new Registry;  // leaked on purpose
  return *registry;
}

void Registry::set_iteration(int iteration) {
  std::lock_guard<std::mutex> lock(mutex_);
  iteration_ = iteration;
}

void Registry::begin(const ::testing::TestInfo& info) {
  std::unique_ptr<TestSession> old;  // destroyed after the lock is released
  std::lock_guard<std::mutex> lock(mutex_);
  old = std::move(session_);
  session_ = std::make_unique<TestSession>(identity_of(info, iteration_));
  session_->start_real_disk_recording();
  owner_ = &info;
  explicit_options_ = false;
  mount_error_ = session_->mount_if_requested();
}

std::unique_ptr<TestSession> Registry::end() {
  std::lock_guard<std::mutex> lock(mutex_);
  owner_ = nullptr;
  return std::move(session_);
}

void Registry::add_failure(std::string message) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (session_) session_->add_failure(std::move(message));
}

TestSession& Registry::current_locked(const ::testing::TestInfo& info) {
  if (!session_ || owner_ != &info) {
    // No OnTestStart for this test: a threadsafe death-test child (gtest
    // forwards no events there) or a listener that was removed.
    session_ = std::make_unique<TestSession>(identity_of(info, iteration_));
    owner_ = &info;
    explicit_options_ = false;
  }
  return *session_;
}

TestSession& Registry::prepared_locked(const ::testing::TestInfo& info) {
  TestSession& session = current_locked(info);
  if (fixture_ != nullptr && !session.used()) {
    if (!explicit_options_) {
      session.set_options(FixtureAccess::options(*fixture_));
      explicit_options_ = true;  // applied once; a mount keeps them
    }
    const GoldenTree* golden = FixtureAccess::golden(*fixture_);
    if (golden != nullptr && session.golden() == nullptr)
      session.set_golden(*golden);
  }
  return session;
}

MemoryFileSystem& Registry::fs() {
  const ::testing::TestInfo& info = running_test();
  std::lock_guard<std::mutex> lock(mutex_);
  return prepared_locked(info).fs();
}

FaultInjector& Registry::faults() {
  const ::testing::TestInfo& info = running_test();
  std::lock_guard<std::mutex> lock(mutex_);
  return prepared_locked(info).faults();
}

void Registry::set_options(const MemoryOptions& options) {
  const ::testing::TestInfo& info = running_test();
  std::lock_guard<std::mutex> lock(mutex_);
  current_locked(info).set_options(options);
  explicit_options_ = true;
}

std::string Registry::mount_path() {
  const ::testing::TestInfo& info = running_test();
  std::lock_guard<std::mutex> lock(mutex_);
  return prepared_locked(info).mount_path();
}

void Registry::settle_options() {
  const ::testing::TestInfo& info = running_test();
  std::lock_guard<std::mutex> lock(mutex_);
  // Only a mounted session needs them now; others get them on first use.
  if (session_ && owner_ == &info && !session_->mounted_at().empty())
    (void)prepared_locked(info);
}

std::string Registry::take_mount_error() {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::move(mount_error_);
}

void Registry::set_golden(const GoldenTree& golden) {
  const ::testing::TestInfo& info = running_test();
  std::lock_guard<std::mutex> lock(mutex_);
  current_locked(info).set_golden(golden);
}

void Registry::attach(const Test* fixture) {
  std::lock_guard<std::mutex> lock(mutex_);
  fixture_ = fixture;
}

void Registry::detach(const Test* fixture) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (fixture_ == fixture) fixture_ = nullptr;
}

}  // namespace memfs::gtest::detail
