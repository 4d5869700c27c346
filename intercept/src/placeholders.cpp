// Placeholder descriptors: the real descriptor numbers memfs files get, and
// the pool of parked ones that spares a mounted open + close its two system
// calls.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <climits>

#include "common.hpp"

namespace memfs::idetail {

// Placeholders are duplicates of one template descriptor, a memfd (a real,
// pollable descriptor that costs no path lookup and no space; /dev/null where
// memfd_create is unavailable). F_DUPFD is one cheap system call, where
// memfd_create makes a tmpfs inode each time (about 5 µs: more than opening
// a file on tmpfs, which would make a mount slower than /dev/shm). The
// template sits at a high number, so it takes no number the program would
// get from open; the wrappers that close or replace descriptors
// (close, close_range, closefrom, dup2, dup3) forget it when the program
// closes or replaces that number (template_touched).
//
// Even F_DUPFD + close cost about 200 ns, more than a whole memfs open +
// read + close, so a mounted close parks its placeholder instead of closing
// it: the number stays open in the kernel, reported closed (EBADF) by every
// wrapper, and the next mounted open takes the lowest parked number with no
// system call. A parked number is one POSIX would count as free, so the pool
// is released whenever the kernel is about to pick a number for the program
// (before_real_fd), when a real descriptor below every parked one is closed
// (real_fd_closed: the next open must get that lower number), and when the
// last mount goes. What remains different: a descriptor made by a call that
// is not wrapped (socket, pipe, eventfd, accept, ...) skips the parked
// numbers. Parked placeholders are close-on-exec, so a program started with
// exec never inherits a descriptor its parent closed.
std::atomic<int> g_template{-1};
std::atomic<int> g_parked_lowest{INT_MAX};

namespace {

// At most this many numbers parked (the program's descriptor limit is
// shared with them).
constexpr int kPoolMax = 64;
int g_parked[kPoolMax];  // under g_fd_mutex, unordered
int g_parked_count = 0;  // under g_fd_mutex

// Whether the kernel's close-on-exec flag of a memfs descriptor is known to
// be set (a parked one needs it).
std::atomic<bool> g_cloexec_set[kMaxFd];
// Whether the program sees the flag clear while the kernel's is set: a
// parked number given to an open without O_CLOEXEC keeps the kernel's flag
// (clearing it, and setting it again when the number is parked, would be
// two system calls per open + close: fopen and std::fstream never ask for
// O_CLOEXEC). F_GETFD answers for the program (cloexec_hidden); an exec'd
// program finds the number closed, where it would otherwise inherit a
// placeholder that is not the file (a mount does not exist after exec).
std::atomic<bool> g_cloexec_hidden[kMaxFd];

void update_lowest_locked() {
  int lowest = INT_MAX;
  for (int i = 0; i < g_parked_count; ++i)
    if (g_parked[i] < lowest) lowest = g_parked[i];
  g_parked_lowest.store(lowest, std::memory_order_relaxed);
}

// A number taken out of the pool for good: free in the table, closed.
void drop_parked_locked(int fd) {
  g_fd_state[fd].store(kFdFree, std::memory_order_release);
  g_active.fetch_sub(1);
  close_placeholder(fd);
}

bool set_cloexec(int fd, bool on) {
  if (MEMFS_PASS(fcntl, fd, F_SETFD, on ? FD_CLOEXEC : 0) < 0) return false;
  note_cloexec(fd, on);
  return true;
}

// Takes the lowest parked number for a new descriptor, close-on-exec for
// the program as asked (see g_cloexec_hidden); -1 when none is parked.
int take_parked_locked(bool cloexec) {
  if (g_parked_count == 0) return -1;
  int at = 0;
  for (int i = 1; i < g_parked_count; ++i)
    if (g_parked[i] < g_parked[at]) at = i;
  const int fd = g_parked[at];
  g_parked[at] = g_parked[--g_parked_count];
  update_lowest_locked();
  g_cloexec_hidden[fd].store(!cloexec, std::memory_order_relaxed);
  return fd;
}

// Parks the memfs descriptor `fd` (its description already dropped by the
// caller): false when it must be closed instead.
bool park_locked(int fd) {
  if (g_parked_count == kPoolMax || !any_mount()) return false;
  if (!g_cloexec_set[fd].load(std::memory_order_relaxed) &&
      !set_cloexec(fd, true))
    return false;
  set_parked_locked(fd);
  g_parked[g_parked_count++] = fd;
  if (fd < g_parked_lowest.load(std::memory_order_relaxed))
    g_parked_lowest.store(fd, std::memory_order_relaxed);
  return true;
}

int template_fd_locked() {
  int t = g_template.load(std::memory_order_relaxed);
  if (t >= 0) return t;
  t = memfd_create("memfs", MFD_CLOEXEC);
  if (t < 0) t = MEMFS_PASS(open, "/dev/null", O_RDWR | O_CLOEXEC);
  if (t < 0) return -1;
  rlim_t high = 512;
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 2 * high)
    high = rl.rlim_cur / 2;
  int moved = MEMFS_PASS(fcntl, t, F_DUPFD_CLOEXEC, static_cast<int>(high));
  if (moved >= 0) {
    close_placeholder(t);
    t = moved;
  }
  g_template.store(t, std::memory_order_relaxed);
  return t;
}

}  // namespace

void unpark_locked(int fd) {
  for (int i = 0; i < g_parked_count; ++i) {
    if (g_parked[i] != fd) continue;
    g_parked[i] = g_parked[--g_parked_count];
    update_lowest_locked();
    return;
  }
}

void release_parked_locked() noexcept {
  while (g_parked_count > 0) {
    drop_parked_locked(g_parked[--g_parked_count]);
  }
  g_parked_lowest.store(INT_MAX, std::memory_order_relaxed);
}

void release_parked() noexcept {
  std::lock_guard<std::mutex> lock(g_fd_mutex);
  release_parked_locked();
}

void release_parked_for_program() noexcept {
  if (t_depth == 0) release_parked();
}

void note_cloexec(int fd, bool set) noexcept {
  if (fd < 0 || fd >= kMaxFd) return;
  g_cloexec_set[fd].store(set, std::memory_order_relaxed);
  g_cloexec_hidden[fd].store(false, std::memory_order_relaxed);
}

bool cloexec_hidden(int fd) noexcept {
  return fd >= 0 && fd < kMaxFd &&
         g_cloexec_hidden[fd].load(std::memory_order_relaxed);
}

void forget_template(int t) noexcept {
  std::lock_guard<std::mutex> lock(g_fd_mutex);
  if (g_template.load(std::memory_order_relaxed) == t)
    g_template.store(-1, std::memory_order_relaxed);
}

int install_fd(DescRef desc, bool cloexec) {
  std::lock_guard<std::mutex> lock(g_fd_mutex);
  int fd = take_parked_locked(cloexec);
  if (fd < 0) {
    const int t = template_fd_locked();
    if (t < 0) return -1;
    fd = MEMFS_PASS(fcntl, t, cloexec ? F_DUPFD_CLOEXEC : F_DUPFD, 0);
    if (fd < 0) return -1;
    note_cloexec(fd, cloexec);
  }
  if (!map_fd_locked(fd, std::move(desc))) {
    close_placeholder(fd);
    return fail_errno(EMFILE);
  }
  return fd;
}

int close_fd(int fd) {
  if (!is_ours(fd)) return MEMFS_PASS(close, fd);
  Desc* last = nullptr;  // the table's reference, dropped after the lock
  {
    std::lock_guard<std::mutex> lock(g_fd_mutex);
    if (is_parked(fd)) return fail_errno(EBADF);
    last = take_desc_locked(fd);
    if (!park_locked(fd)) {
      unmap_fd_locked(fd);
      close_placeholder(fd);
    }
  }
  // The memfs handle closes when the last reference to the description
  // goes (outside the table lock: closing may wait on the filesystem).
  std::error_code ec;
  if (last != nullptr && release_desc(last, &ec) && ec) return fail(ec);
  return 0;
}

}  // namespace memfs::idetail
