// Helpers shared by the wrapper files: the classification every wrapper
// starts with, access to a description under its lock, and the operations
// more than one family needs (open, stat).
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <cerrno>
#include <type_traits>
#include <utility>

#include "real.hpp"
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

/// Classifies a path call: 0 forward to libc, 1 served (t filled), -1 error.
inline int path_call(int dirfd, const char* path, Target& t) noexcept {
  if (!active() || t_depth != 0) return 0;
  return resolve(dirfd, path, t);
}

/// Starts a path wrapper: declares Target `t`; forwards (`return pass`) when
/// the path is not on a mount, returns -1 on a classification error.
#define MEMFS_ON_PATH(dirfd, path, t, pass)               \
  ::memfs::idetail::Target t;                             \
  do {                                                    \
    int r_ = ::memfs::idetail::path_call(dirfd, path, t); \
    if (r_ == 0) return pass;                             \
    if (r_ < 0) return -1;                                \
  } while (0)

/// As MEMFS_ON_PATH for *at calls: `dirfd` and `path` must be assignable
/// (the wrapper's parameters); a path that leaves the mount from a memfs
/// directory descriptor is forwarded as an absolute path with AT_FDCWD.
#define MEMFS_ON_PATH_AT(DIRFD, PATH, T, PASS)            \
  ::memfs::idetail::Target T;                             \
  do {                                                    \
    int r_ = ::memfs::idetail::path_call(DIRFD, PATH, T); \
    if (r_ == 2) {                                        \
      DIRFD = AT_FDCWD;                                   \
      PATH = T.path.c_str();                              \
      r_ = 0;                                             \
    }                                                     \
    if (r_ == 0) return PASS;                             \
    if (r_ < 0) return -1;                                \
  } while (0)

/// Runs f(desc) with the description of `fd` locked and the recursion guard
/// held; EBADF when fd is not (or no longer) ours, ESTALE after unmount.
template <class F>
auto with_desc(int fd, F f) -> decltype(f(std::declval<Desc&>())) {
  using R = decltype(f(std::declval<Desc&>()));
  std::shared_ptr<Desc> d = lookup_fd(fd);
  if (!d) return static_cast<R>(fail_errno(EBADF));
  Guard guard;
  std::lock_guard<std::mutex> lock(d->mu);
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
/// The inode number reported for the node `id` (FileStatus::id) at `path`
/// on `mount`: the id itself, stable across renames; a hash of the path when
/// the backend gives no id (0).
ino_t inode_of(const MountState& mount, std::string_view path,
               std::uint64_t id) noexcept;

}  // namespace memfs::idetail
