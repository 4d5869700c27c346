// TestSession's mount: the filesystem served at a host directory through
// memfs::intercept (reached through a weak reference, so this library does
// not need it linked), and TMPDIR/TEST_TMPDIR pointed there meanwhile.
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <string>

#include "memfs/intercept.hpp"
#include "memfs/test_session.hpp"

namespace memfs {
namespace {

// The variables that name the temp directory while a test is mounted:
// TMPDIR (POSIX; std::filesystem::temp_directory_path, mkstemp users) and
// TEST_TMPDIR (Bazel; ::testing::TempDir).
constexpr const char* kTempVariables[] = {"TMPDIR", "TEST_TMPDIR"};

const char* const kNotLinked =
    "memfs: mount_path() needs memfs::intercept, which this test executable "
    "does not link; add it with target_link_libraries(<your test target> "
    "PRIVATE memfs::intercept)";

// "/tmp/memfs-mount-<pid>-<n>": one per mount in this process. The pid
// tells processes apart in what they print; nothing is created there, so
// no process can collide with another's directory on the disk.
std::string next_mount_dir() {
  static std::atomic<unsigned long> counter{0};
  return "/tmp/memfs-mount-" + std::to_string(::getpid()) + "-" +
         std::to_string(++counter);
}

}  // namespace

std::string TestSession::mount_path() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (finished_) {
    throw std::logic_error("memfs: mount_path() called after the test '" +
                           id_.full_name + "' ended");
  }
  if (mount_) return mount_path_;
  if (detail::mount_for_test == nullptr) throw std::logic_error(kNotLinked);
  create_locked();
  if (mount_path_.empty()) mount_path_ = next_mount_dir();
  mount_locked();
  saved_env_.clear();
  for (const char* name : kTempVariables) {
    const char* value = std::getenv(name);
    saved_env_.push_back(
        {name, value != nullptr, value != nullptr ? value : ""});
    ::setenv(name, mount_path_.c_str(), 1);
  }
  return mount_path_;
}

void TestSession::mount_locked() {
  mount_ = detail::mount_for_test(*fs_, mount_path_);
}

void TestSession::end_mount_locked() noexcept {
  mount_.reset();
  for (const SavedVariable& v : saved_env_) {
    if (v.was_set) {
      ::setenv(v.name.c_str(), v.value.c_str(), 1);
    } else {
      ::unsetenv(v.name.c_str());
    }
  }
  saved_env_.clear();
}

bool TestSession::pristine_mount_locked() const {
  if (!fs_ || !mount_ || handed_out_) return false;
  std::error_code ec;
  const bool empty = fs_->list("/", ec).empty() && !ec;
  return empty && fs_->open_handles().empty() && faults_->log().empty() &&
         faults_->log_dropped() == 0;
}

std::string TestSession::mounted_at() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return mount_path_;
}

std::string TestSession::mount_if_requested() noexcept {
  try {
    if (mount_from_env()) (void)mount_path();
    return {};
  } catch (const std::exception& e) {
    return std::string("MEMFS_MOUNT=1: ") + e.what();
  } catch (...) {
    return "MEMFS_MOUNT=1: could not mount the test's filesystem";
  }
}

bool TestSession::mount_from_env() {
  const char* text = std::getenv("MEMFS_MOUNT");
  if (text == nullptr) return false;
  const std::string value = text;
  if (value == "1" || value == "on" || value == "true" || value == "yes")
    return true;
  if (value.empty() || value == "0" || value == "off" || value == "false" ||
      value == "no")
    return false;
  static std::atomic<bool> warned{false};
  if (!warned.exchange(true)) {
    std::fprintf(stderr,
                 "memfs: ignoring MEMFS_MOUNT='%s' (expected 1 or 0); tests "
                 "are mounted only when they call mount_path()\n",
                 text);
  }
  return false;
}

}  // namespace memfs
