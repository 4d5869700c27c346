// Placeholder descriptors: the real descriptor numbers memfs files get, and
// the pool of parked ones that spares a mounted open + close its two system
// calls.
#include <fcntl.h>
#include <sched.h>
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
//
// The pool is a bitmap, not a list under g_fd_mutex: a mounted open takes
// its number with one atomic AND, a mounted close parks one with a CAS of
// the number's state and an atomic OR (about 40 ns less per open + close
// than two lock/unlock pairs of the table's mutex). A number taken out of
// the pool, or moved from kFdOurs to kFdBusy, is its thread's alone until
// it stores the next state; the locked paths (release, unmap for dup2 and
// close_range) claim numbers the same way, and wait out one in flight.
std::atomic<int> g_template{-1};
std::atomic<std::uint64_t> g_parked_bits[kParkWords];

namespace {

// At most this many numbers parked (the program's descriptor limit is
// shared with them); a few more when threads park at the same instant.
constexpr int kPoolMax = 64;

std::uint64_t bit_of(int fd) noexcept { return std::uint64_t{1} << (fd % 64); }

// How many numbers are parked. Counted by hand: __builtin_popcountll is a
// libgcc call without -mpopcnt, and the pool is mostly one word or empty.
int parked_count() noexcept {
  int n = 0;
  for (const auto& w : g_parked_bits) {
    for (std::uint64_t bits = w.load(std::memory_order_relaxed); bits != 0;
         bits &= bits - 1)
      ++n;
  }
  return n;
}

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

bool set_cloexec(int fd, bool on) {
  if (MEMFS_PASS(fcntl, fd, F_SETFD, on ? FD_CLOEXEC : 0) < 0) return false;
  note_cloexec(fd, on);
  return true;
}

// Takes the lowest parked number for a new descriptor, close-on-exec for
// the program as asked (see g_cloexec_hidden); -1 when none is parked.
// Lock-free: clearing its bit makes the number the caller's.
int take_parked(bool cloexec) noexcept {
  for (int w = 0; w < kParkWords; ++w) {
    std::uint64_t bits = g_parked_bits[w].load(std::memory_order_relaxed);
    while (bits != 0) {
      // 1 << n, so that the compiler makes this one `lock btr`.
      const int n = __builtin_ctzll(bits);
      const std::uint64_t bit = std::uint64_t{1} << n;
      if ((fetch_and_st(g_parked_bits[w], ~bit, std::memory_order_acquire) &
           bit) == 0) {  // another thread took it
        bits = g_parked_bits[w].load(std::memory_order_relaxed);
        continue;
      }
      const int fd = 64 * w + n;
      g_cloexec_hidden[fd].store(!cloexec, std::memory_order_relaxed);
      return fd;
    }
  }
  return -1;
}

// Whether the memfs descriptor `fd` may be parked on close (its kernel
// close-on-exec flag set when `cloexec_known`).
bool may_park(int fd, bool cloexec_known) noexcept {
  return fd < kParkFdLimit &&
         (!cloexec_known ||
          g_cloexec_set[fd].load(std::memory_order_relaxed)) &&
         parked_count() < kPoolMax && any_mount();
}

// Claims the memfs descriptor `fd` for closing: kFdOurs -> kFdBusy.
bool claim(int fd) noexcept {
  if (single_threaded()) {
    if (g_fd_state[fd].load(std::memory_order_relaxed) != kFdOurs) return false;
    g_fd_state[fd].store(kFdBusy, std::memory_order_relaxed);
    return true;
  }
  std::uint8_t s = kFdOurs;
  return g_fd_state[fd].compare_exchange_strong(s, kFdBusy,
                                                std::memory_order_acq_rel);
}

// Parks the claimed `fd`, its description already taken out.
void park_claimed(int fd) noexcept {
  g_fd_state[fd].store(kFdParked, std::memory_order_release);
  fetch_or_st(g_parked_bits[fd / 64], bit_of(fd), std::memory_order_release);
}

// Frees the claimed or unparked `fd` in the table (the caller closes or
// replaces it in the kernel).
void free_owned(int fd) noexcept {
  g_fd_state[fd].store(kFdFree, std::memory_order_release);
  g_active.fetch_sub(1);
}

// Another thread is between two states of a number: let it finish.
void wait_in_flight() noexcept { sched_yield(); }

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

bool unpark(int fd) noexcept {
  if (fd >= kParkFdLimit) return false;
  return (g_parked_bits[fd / 64].fetch_and(~bit_of(fd),
                                           std::memory_order_acquire) &
          bit_of(fd)) != 0;
}

void unmap_fd_locked(int fd) {
  if (fd < 0 || fd >= kMaxFd) return;
  for (;;) {
    const std::uint8_t s = g_fd_state[fd].load(std::memory_order_acquire);
    if (s == kFdFree) return;
    if (s == kFdOurs && claim(fd)) {
      if (Desc* d = take_desc_locked(fd)) release_desc(d);
      break;
    }
    // Parked and out of the pool: a thread takes it for an open, or is
    // parking it (its bit comes next).
    if (s == kFdParked && unpark(fd)) break;
    if (s != kFdOurs) wait_in_flight();
  }
  free_owned(fd);
}

void release_parked_locked() noexcept {
  for (auto& word : g_parked_bits) {
    std::uint64_t bits = word.exchange(0, std::memory_order_acquire);
    while (bits != 0) {
      const int fd =
          static_cast<int>(&word - g_parked_bits) * 64 + __builtin_ctzll(bits);
      bits &= bits - 1;
      free_owned(fd);
      close_placeholder(fd);
    }
  }
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
  if (const int fd = take_parked(cloexec); fd >= 0) {
    map_taken(fd, std::move(desc));
    return fd;
  }
  std::lock_guard<std::mutex> lock(g_fd_mutex);
  const int t = template_fd_locked();
  if (t < 0) return -1;
  const int fd = MEMFS_PASS(fcntl, t, cloexec ? F_DUPFD_CLOEXEC : F_DUPFD, 0);
  if (fd < 0) return -1;
  note_cloexec(fd, cloexec);
  if (!map_fd_locked(fd, std::move(desc))) {
    close_placeholder(fd);
    return fail_errno(EMFILE);
  }
  return fd;
}

namespace {

// close_fd's locked path: `fd` may need a system call to be parked (its
// close-on-exec flag), or closed, or another thread holds it. Returns -1
// with errno, 0, or 1 when `last` holds the description to drop.
int close_locked(int fd, Desc*& last) {
  std::lock_guard<std::mutex> lock(g_fd_mutex);
  for (;;) {
    const std::uint8_t st = g_fd_state[fd].load(std::memory_order_acquire);
    // Closed or replaced (dup2) by another thread meanwhile: the kernel's.
    if (st == kFdFree) return MEMFS_PASS(close, fd);
    if (st == kFdParked) return fail_errno(EBADF);
    if (st == kFdOurs && claim(fd)) break;
    if (st == kFdBusy) wait_in_flight();
  }
  last = take_desc_locked(fd);
  if (may_park(fd, false) &&
      (g_cloexec_set[fd].load(std::memory_order_relaxed) ||
       set_cloexec(fd, true))) {
    park_claimed(fd);
  } else {
    free_owned(fd);
    close_placeholder(fd);
  }
  return 1;
}

}  // namespace

int close_fd(int fd) {
  if (!is_ours(fd)) return MEMFS_PASS(close, fd);
  Desc* last = nullptr;  // the table's reference, dropped last
  if (may_park(fd, true) && claim(fd)) {
    // The common close: no system call, no lock.
    last = take_desc_locked(fd);
    park_claimed(fd);
  } else if (const int r = close_locked(fd, last); r != 1) {
    return r;
  }
  // The memfs handle closes when the last reference to the description
  // goes (outside the table lock: closing may wait on the filesystem).
  std::error_code ec;
  if (last != nullptr && release_desc(last, &ec) && ec) return fail(ec);
  return 0;
}

}  // namespace memfs::idetail
