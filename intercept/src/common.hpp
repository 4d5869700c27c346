// Helpers shared by the wrapper files: the classification every wrapper
// starts with, access to a description under its lock, and the operations
// more than one family needs (open, stat).
#pragma once

#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>

#include "real.hpp"
#include "recorder.hpp"
#include "state.hpp"

extern "C" [[noreturn]] void __chk_fail();  // glibc: _FORTIFY_SOURCE abort

namespace memfs::idetail {

/// Linux reports O_LARGEFILE in F_GETFL for every 64-bit open; the userland
/// constant is 0 on x86_64, so name the kernel's bit.
inline constexpr int kKernelLargeFile = 0100000;

/// True when a call on `fd` is ours to serve.
inline bool fd_call(int fd) noexcept {
  return active() && t_depth == 0 && is_ours(fd);
}

/// The pass-through test of a path call, made before anything is built:
/// true when it goes to libc untouched (nothing active, or memfs's own
/// call). Whether a path is on a mount is resolve()'s question: one pass
/// over the path (on no mount: a prefix compare on the table's snapshot,
/// no allocation).
inline bool path_passes() noexcept { return !active() || t_depth != 0; }

/// Classifies a path call: 0 forward to libc, 1 served (t filled), -1 error
/// (2: see resolve). A call forwarded while a real-disk recording runs is
/// recorded under `call`, the wrapper's name: a helper shared by several
/// wrappers takes `call` as a parameter defaulted the same way.
inline int path_call(int dirfd, const char* path, Target& t,
                     const char* call = __builtin_FUNCTION()) noexcept {
  if (path_passes()) return 0;
  int r = resolve(dirfd, path, t);
  if ((r == 0 || r == 2) && recording())
    record_real(call, dirfd, r == 2 ? t.own.c_str() : path);
  return r;
}

/// Whether `path` (relative to the current directory) is served by a mount,
/// for wrappers that decide before calling on (recorded like path_call).
inline bool on_mount(const char* path,
                     const char* call = __builtin_FUNCTION()) noexcept {
  Target t;
  return path_call(AT_FDCWD, path, t, call) == 1;
}

/// path_call for a wrapper that forwards `dirfd` and `path` (its own
/// parameters): a path that leaves the mount from a memfs directory
/// descriptor or from a current directory on a mount is rewritten to its
/// absolute host path (t.path) with AT_FDCWD and forwarded. 0 forward, 1
/// served, -1 error.
inline int path_call_fwd(int& dirfd, const char*& path, Target& t,
                         const char* call = __builtin_FUNCTION()) noexcept {
  int r = path_call(dirfd, path, t, call);
  if (r == 2) {
    dirfd = AT_FDCWD;
    path = t.own.c_str();
    r = 0;
  }
  return r;
}
inline int path_call_fwd(const char*& path, Target& t,
                         const char* call = __builtin_FUNCTION()) noexcept {
  int cwd = AT_FDCWD;
  return path_call_fwd(cwd, path, t, call);
}

/// Starts a path wrapper on `path` (assignable: the wrapper's parameter):
/// declares Target `t`; forwards (`return pass`, see path_call_fwd) when the
/// path is not on a mount, returns -1 on a classification error.
#define MEMFS_ON_PATH(dirfd, path, t, pass)                            \
  if (::memfs::idetail::path_passes()) return pass;                    \
  ::memfs::idetail::Target t;                                          \
  do {                                                                 \
    static_assert((dirfd) == AT_FDCWD, "MEMFS_ON_PATH_AT for dirfds"); \
    int r_ = ::memfs::idetail::path_call_fwd(path, t, __func__);       \
    if (r_ == 0) return pass;                                          \
    if (r_ < 0) return -1;                                             \
  } while (0)

/// As MEMFS_ON_PATH for *at calls: `dirfd` and `path` must be assignable
/// (the wrapper's parameters).
#define MEMFS_ON_PATH_AT(DIRFD, PATH, T, PASS) \
  MEMFS_ON_PATH_AT_AS(DIRFD, PATH, T, PASS, __func__)
/// MEMFS_ON_PATH_AT in a helper: CALL names the wrapper (see path_call).
#define MEMFS_ON_PATH_AT_AS(DIRFD, PATH, T, PASS, CALL)             \
  if (::memfs::idetail::path_passes()) return PASS;                 \
  ::memfs::idetail::Target T;                                       \
  do {                                                              \
    int r_ = ::memfs::idetail::path_call_fwd(DIRFD, PATH, T, CALL); \
    if (r_ == 0) return PASS;                                       \
    if (r_ < 0) return -1;                                          \
  } while (0)

/// Runs f(desc) with the description of `fd` locked and the recursion guard
/// held; EBADF when fd is not (or no longer) ours, ESTALE after unmount.
/// Out of line, so that the wrapper calling it keeps a short pass-through
/// (none of the served path's registers and locals in its prologue).
template <class F>
[[gnu::noinline]] auto with_desc(int fd, F f)
    -> decltype(f(std::declval<Desc&>())) {
  using R = decltype(f(std::declval<Desc&>()));
  Guard guard;  // first: a release handed over at the end closes a File
  // Alone in the process: nothing to lock against (single_threaded).
  const bool alone = single_threaded();
  Desc* d = alone ? desc_of(fd) : lock_fd(fd);
  if (d == nullptr) return static_cast<R>(fail_errno(EBADF));
  struct Unlock {
    Desc* d;
    bool locked;
    ~Unlock() {
      if (locked) unlock_desc(d);
    }
  } unlock{d, !alone};
  if (d->stale) return static_cast<R>(fail_errno(ESTALE));
  try {
    return f(*d);
  } catch (...) {  // allocation failure inside memfs: never unwind into C
    return static_cast<R>(fail_errno(ENOMEM));
  }
}

/// Runs f() with the recursion guard held, turning exceptions into ENOMEM.
template <class F>
auto guarded(F f) -> decltype(f()) {
  Guard guard;
  try {
    return f();
  } catch (...) {
    if constexpr (std::is_pointer_v<decltype(f())>) {
      errno = ENOMEM;
      return nullptr;
    } else {
      return static_cast<decltype(f())>(fail_errno(ENOMEM));
    }
  }
}

/// open(2) on a mounted path; returns the new descriptor or -1.
int open_target(const Target& t, int flags, mode_t mode);
/// Fills *st for a mounted path (0) or sets errno (-1).
int stat_target(const Target& t, struct stat* st);
/// Fills *st for an open description (0) or sets errno (-1).
int stat_desc(Desc& d, struct stat* st);
/// 0 when a mounted path exists, else -1 with errno (ENOENT, ENOTDIR, ...).
inline int exists_or_errno(const Target& t) {
  struct stat st;
  return stat_target(t, &st);
}
/// Zeroes *out (a struct statfs or statvfs) and fills the fields both have
/// from the mount's stats: 4 KiB blocks, the quota and what is free of it,
/// the node limit (2^32 without one) and what is left of it.
template <class FsStats>
void fill_fs_counts(const Stats& s, FsStats* out) {
  std::memset(out, 0, sizeof *out);
  constexpr std::uint64_t kFsBlock = 4096;
  out->f_bsize = kFsBlock;
  out->f_frsize = kFsBlock;
  out->f_blocks = s.quota / kFsBlock;
  out->f_bfree = s.free / kFsBlock;
  out->f_bavail = out->f_bfree;
  std::uint64_t nodes = s.file_count + s.directory_count;
  out->f_files = s.node_limit ? *s.node_limit : (1ull << 32);
  out->f_ffree = out->f_files > nodes ? out->f_files - nodes : 0;
}
/// utimensat(2) on the mounted `path` of `fs`: sets the modified time from
/// times[1] (null times or UTIME_NOW: now; UTIME_OMIT: unchanged); memfs
/// keeps no access time, so times[0] is only checked. EINVAL for a
/// nanosecond count out of range, as the kernel.
int set_times(FileSystem& fs, std::string_view path,
              const struct timespec* times);
/// The timespec pair of utimes/futimes/lutimes (null stays null); false
/// when a microsecond count is out of range.
bool from_timevals(const struct timeval* tv, struct timespec out[2]) noexcept;
/// The inode number reported for the node `id` (FileStatus::id) at `path`
/// on `mount`: the id itself, stable across renames; a hash of the path when
/// the backend gives no id (0).
ino_t inode_of(const MountState& mount, std::string_view path,
               std::uint64_t id) noexcept;

}  // namespace memfs::idetail

/// Defines the path and descriptor wrappers NAME(path, TYPE*) and
/// FNAME(fd, TYPE*) of the statfs or statvfs family (the 64 variants have
/// the same layout as BASE): an existing path or a memfs descriptor is
/// answered by FILL(mount, BASE*), anything else is forwarded.
#define MEMFS_FS_STATS(NAME, FNAME, TYPE, BASE, FILL)                       \
  int NAME(const char* path, TYPE* out) {                                   \
    static_assert(sizeof(TYPE) == sizeof(BASE));                            \
    MEMFS_ON_PATH(AT_FDCWD, path, t, MEMFS_PASS(NAME, path, out));          \
    if (::memfs::idetail::exists_or_errno(t) < 0) return -1;                \
    return FILL(*t.mount, reinterpret_cast<BASE*>(out));                    \
  }                                                                         \
  int FNAME(int fd, TYPE* out) {                                            \
    if (!::memfs::idetail::fd_call(fd)) return MEMFS_PASS(FNAME, fd, out);  \
    return ::memfs::idetail::with_desc(fd, [&](::memfs::idetail::Desc& d) { \
      return FILL(*d.mount, reinterpret_cast<BASE*>(out));                  \
    });                                                                     \
  }
