// The real-disk recorder: what path calls reached libc outside the mounts
// and the allow-list while a recording ran, and its registration with the
// session library (memfs/real_disk.hpp) so the adapters can use it.
//
// Why it is shaped this way:
//   - Recording costs nothing while off: it holds one count of g_active, so
//     with nothing mounted and no recording every wrapper still forwards
//     after one relaxed load; with a mount alive, a forwarded path call
//     pays one more relaxed load (recording()).
//   - While on, the recorder runs inside the wrappers, under the recursion
//     guard: the getcwd/readlink it may need and the allocator go straight
//     to libc and are never recorded. Allowed paths are decided before any
//     allocation.
//   - A child made by fork() stops recording: its accesses could never
//     reach the parent's list, and another thread may have held the lock at
//     the fork.
#include "recorder.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "memfs/intercept.hpp"
#include "memfs/path.hpp"
#include "memfs/real_disk.hpp"
#include "real.hpp"
#include "state.hpp"

namespace memfs::idetail {

std::atomic<bool> g_recording{false};

namespace {

// System and toolchain folders: programs read them all the time (locales,
// time zones, shared libraries, /proc/self/...), and tests do not write
// there.
constexpr const char* kSystemFolders[] = {
    "/usr",  "/lib", "/lib32", "/lib64", "/libx32", "/bin",
    "/sbin", "/etc", "/opt",   "/proc",  "/sys",    "/dev"};
// Inside the system folders but recorded all the same: files there outlive
// the test like files on a disk.
constexpr const char* kNotSystem[] = {"/dev/shm"};

// Accesses kept per recording; more are counted in `dropped`.
constexpr std::size_t kMaxAccesses = 1000;

struct Recorder {
  std::mutex mu;  // guards everything below
  bool defaults_loaded = false;
  std::vector<std::string> binary;     // allowed for the process
  std::vector<std::string> recording;  // allowed until the recording stops
  std::vector<RealDiskAccess> accesses;
  std::uint64_t dropped = 0;
};

// Never destroyed: wrappers run during static destruction.
Recorder& recorder() {
  static Recorder* r = new Recorder();
  return *r;
}

bool within_any(const std::vector<std::string>& dirs, std::string_view path) {
  for (const std::string& dir : dirs)
    if (is_within(dir, path)) return true;
  return false;
}

template <std::size_t N>
bool within_any(const char* const (&dirs)[N], std::string_view path) {
  for (const char* dir : dirs)
    if (is_within(dir, path)) return true;
  return false;
}

bool allowed_locked(const Recorder& r, std::string_view path) {
  if (within_any(r.binary, path) || within_any(r.recording, path)) return true;
  return within_any(kSystemFolders, path) && !within_any(kNotSystem, path);
}

// `path` (relative: against the current directory) made absolute and clean;
// as given when that cannot be done.
std::string absolute_or_as_is(int dirfd, const char* path) {
  char buf[kPathMax];
  std::size_t len = 0;
  bool dir_only = false;
  if (absolute_path(dirfd, path, false, buf, len, dir_only) <= 0) return path;
  return std::string(buf, len);
}

void add_list(std::vector<std::string>& to, const std::string& text) {
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(':', start);
    if (end == std::string::npos) end = text.size();
    if (end > start)
      to.push_back(
          absolute_or_as_is(AT_FDCWD, text.substr(start, end - start).c_str()));
    start = end + 1;
  }
}

// The test binary's folder and MEMFS_REAL_DISK_ALLOW, once.
void load_defaults_locked(Recorder& r) {
  if (r.defaults_loaded) return;
  r.defaults_loaded = true;
  char exe[kPathMax];
  ssize_t n = MEMFS_PASS(readlink, "/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    std::string dir(exe, static_cast<std::size_t>(n));
    std::size_t slash = dir.rfind('/');
    if (slash != std::string::npos && slash > 0)
      r.binary.push_back(dir.substr(0, slash));
  }
  if (const char* extra = std::getenv("MEMFS_REAL_DISK_ALLOW"))
    add_list(r.binary, extra);
}

void set_recording(bool on) {
  if (g_recording.exchange(on) != on) {
    if (on) {
      g_active.fetch_add(1);
    } else {
      g_active.fetch_sub(1);
    }
  }
}

void forked_child() {
  if (g_recording.exchange(false)) g_active.fetch_sub(1);
}

}  // namespace

void record_real(const char* call, int dirfd, const char* path) noexcept {
  if (path == nullptr || path[0] == '\0') return;  // a descriptor call
  Guard guard;
  char buf[kPathMax];
  std::size_t len = 0;
  bool dir_only = false;
  const char* full = path;
  if (absolute_path(dirfd, path, false, buf, len, dir_only) > 0) {
    full = buf;
  } else {
    len = std::strlen(path);
  }
  const std::string_view resolved(full, len);
  char name[17] = {};
  prctl(PR_GET_NAME, name);  // this thread's name, never a file access
  const auto tid = static_cast<std::uint64_t>(syscall(SYS_gettid));
  Recorder& r = recorder();
  std::lock_guard<std::mutex> lock(r.mu);
  if (!recording() || allowed_locked(r, resolved)) return;
  for (RealDiskAccess& a : r.accesses) {
    if (a.thread_id == tid && a.call == call && a.path == resolved) {
      ++a.count;
      return;
    }
  }
  if (r.accesses.size() >= kMaxAccesses) {
    ++r.dropped;
    return;
  }
  try {
    RealDiskAccess a;
    a.call = call;
    a.path.assign(resolved);
    a.thread_id = tid;
    a.thread_name = name;
    r.accesses.push_back(std::move(a));
  } catch (...) {
    ++r.dropped;
  }
}

}  // namespace memfs::idetail

namespace memfs {

using idetail::recorder;
using idetail::Recorder;

void start_real_disk_recording() {
  idetail::Guard guard;
  Recorder& r = recorder();
  std::lock_guard<std::mutex> lock(r.mu);
  idetail::load_defaults_locked(r);
  r.accesses.clear();
  r.recording.clear();
  r.dropped = 0;
  idetail::set_recording(true);
}

std::vector<RealDiskAccess> stop_real_disk_recording() {
  idetail::Guard guard;
  Recorder& r = recorder();
  std::lock_guard<std::mutex> lock(r.mu);
  idetail::set_recording(false);
  r.recording.clear();
  return std::exchange(r.accesses, {});
}

std::vector<RealDiskAccess> take_real_disk_accesses() {
  idetail::Guard guard;
  Recorder& r = recorder();
  std::lock_guard<std::mutex> lock(r.mu);
  return std::exchange(r.accesses, {});
}

std::uint64_t real_disk_accesses_dropped() {
  Recorder& r = recorder();
  std::lock_guard<std::mutex> lock(r.mu);
  return r.dropped;
}

bool real_disk_recording() noexcept { return idetail::recording(); }

void allow_real_disk(std::string_view dir, RealDiskScope scope) {
  idetail::Guard guard;
  const std::string path =
      idetail::absolute_or_as_is(AT_FDCWD, std::string(dir).c_str());
  Recorder& r = recorder();
  std::lock_guard<std::mutex> lock(r.mu);
  idetail::load_defaults_locked(r);
  (scope == RealDiskScope::binary ? r.binary : r.recording).push_back(path);
}

bool real_disk_allowed(std::string_view path) {
  idetail::Guard guard;
  const std::string full =
      idetail::absolute_or_as_is(AT_FDCWD, std::string(path).c_str());
  Recorder& r = recorder();
  std::lock_guard<std::mutex> lock(r.mu);
  idetail::load_defaults_locked(r);
  return idetail::allowed_locked(r, full);
}

namespace {

void allow_for_recording(std::string_view dir) {
  allow_real_disk(dir, RealDiskScope::recording);
}

constexpr detail::RealDiskHooks kHooks{&start_real_disk_recording,
                                       &stop_real_disk_recording,
                                       &allow_for_recording};

// Registers the recorder with the session library when the program starts,
// so the adapters find it (memfs/real_disk.hpp).
struct Registrar {
  Registrar() noexcept {
    detail::set_real_disk_hooks(&kHooks);
    pthread_atfork(nullptr, nullptr, &idetail::forked_child);
  }
};
const Registrar g_registrar;

}  // namespace
}  // namespace memfs
