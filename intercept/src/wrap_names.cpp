// Namespace calls: mkdir, rmdir, unlink, rename, remove, realpath, the link
// calls memfs refuses, chdir, and the metadata setters memfs ignores.
#undef _FORTIFY_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstring>

#include "common.hpp"

namespace memfs::idetail {
namespace {

std::string normal(const Target& t) {
  return memfs::normalize_path(t.path).value;
}

int mkdir_target(const Target& t, mode_t mode) {
  return guarded([&] {
    std::error_code ec;
    bool made = t.fs().create_directory(t.path, ec);
    if (ec) return fail(ec);
    if (!made) return fail_errno(EEXIST);
    set_mode(*t.mount, normal(t), creation_mode(mode));
    return 0;
  });
}

// unlink (dir=false) or rmdir (dir=true).
int remove_target(const Target& t, bool dir) {
  return guarded([&] {
    std::error_code ec;
    FileStatus s = t.fs().status(t.path, ec);
    if (ec) return fail(ec);
    if (dir && !s.is_directory()) return fail_errno(ENOTDIR);
    if (!dir && s.is_directory()) return fail_errno(EISDIR);
    if (memfs::normalize_path(t.path).is_root()) return fail_errno(EBUSY);
    if (dir) {
      std::string_view p = t.path;
      while (p.size() > 1 && p.back() == '/') p.remove_suffix(1);
      if (p.size() >= 2 && p.substr(p.size() - 2) == "/.")
        return fail_errno(EINVAL);
    }
    t.fs().remove(t.path, ec);
    if (ec) return fail(ec);
    forget_mode(*t.mount, normal(t));
    return 0;
  });
}

constexpr unsigned kNoReplace = 1;  // RENAME_NOREPLACE
constexpr unsigned kExchange = 2;   // RENAME_EXCHANGE

// RENAME_EXCHANGE: FileSystem::exchange swaps both under the backend's
// lock; the mount's permission bits follow.
int exchange_targets(const Target& a, const Target& b) {
  return guarded([&] {
    NormalizedPath x = memfs::normalize_path(a.path);
    NormalizedPath y = memfs::normalize_path(b.path);
    if (x.is_root() || y.is_root()) return fail_errno(EBUSY);
    std::error_code ec;
    a.fs().exchange(a.path, b.path, ec);
    if (ec) return fail(ec);
    if (x.value != y.value) swap_modes(*a.mount, x.value, y.value);
    return 0;
  });
}

int rename_targets(int r1, const Target& a, int r2, const Target& b,
                   unsigned flags) {
  if (r1 < 0 || r2 < 0) return -1;
  if (r1 == 0 || r2 == 0 || a.mount != b.mount) return fail_errno(EXDEV);
  if (flags == kExchange) return exchange_targets(a, b);
  if (flags & ~kNoReplace) return fail_errno(EINVAL);
  return guarded([&] {
    std::error_code ec;
    // The kernel's order: both parent walks, then both lookups, then the
    // ancestry checks, then the types (memfs checks types first).
    NormalizedPath from = memfs::normalize_path(a.path);
    NormalizedPath to = memfs::normalize_path(b.path);
    for (const NormalizedPath* p : {&from, &to}) {
      if (p->is_root()) continue;
      FileStatus parent = a.fs().status(memfs::parent_path(p->value), ec);
      if (ec) return fail(ec);
      if (!parent.is_directory()) return fail_errno(ENOTDIR);
    }
    FileStatus src = a.fs().status(a.path, ec);
    if (ec) return fail(ec);
    if (!src.is_directory() && (a.path.back() == '/' || b.path.back() == '/'))
      return fail_errno(ENOTDIR);
    FileStatus dest = b.fs().status(b.path, ec);
    if (ec && ec != std::errc::no_such_file_or_directory) return fail(ec);
    if (from.is_root() || to.is_root()) return fail_errno(EBUSY);
    if (from.value != to.value && memfs::is_within(from.value, to.value))
      return fail_errno(EINVAL);
    if (from.value != to.value && memfs::is_within(to.value, from.value))
      return fail_errno(ENOTEMPTY);
    if ((flags & kNoReplace) && dest.exists()) return fail_errno(EEXIST);
    a.fs().rename(a.path, b.path, ec);
    if (ec) return fail(ec);
    if (from.value != to.value) move_modes(*a.mount, from.value, to.value);
    return 0;
  });
}

// Classifies both paths of a two-path call. A path that leaves the mount
// from a memfs directory descriptor is rewritten to its absolute host path
// (see resolve). Returns true when both are off the mounts: forward.
bool classify_two(int& d1, const char*& p1, int& d2, const char*& p2, Target& a,
                  Target& b, int& r1, int& r2,
                  const char* call = __builtin_FUNCTION()) {
  r1 = path_call_fwd(d1, p1, a, call);
  r2 = path_call_fwd(d2, p2, b, call);
  return r1 == 0 && r2 == 0;
}

// chdir/fchdir onto the mounted `path` (normalized; `is_dir` whether it is
// a directory).
int enter_dir(const MountState& m, const std::string& path, bool is_dir) {
  if (!is_dir) return fail_errno(ENOTDIR);
  enter_cwd(path == "/" ? m.host : m.host + path);
  return 0;
}

// The result of a real chdir/fchdir: on success the current directory is
// the kernel's again.
int left_cwd(int r) noexcept {
  if (r == 0 && t_depth == 0) leave_cwd();
  return r;
}

// getcwd while the current directory is on a mount: glibc's contract (a
// null buf allocates: `size` bytes, or as many as needed when size is 0).
char* getcwd_virtual(char* buf, size_t size) {
  const std::string& cwd = *g_cwd.load(std::memory_order_acquire);
  if (buf != nullptr && size == 0) {
    errno = EINVAL;
    return nullptr;
  }
  if (size != 0 && size < cwd.size() + 1) {
    errno = ERANGE;
    return nullptr;
  }
  if (buf == nullptr) {
    buf = static_cast<char*>(std::malloc(size != 0 ? size : cwd.size() + 1));
    if (buf == nullptr) {
      errno = ENOMEM;
      return nullptr;
    }
  }
  std::memcpy(buf, cwd.c_str(), cwd.size() + 1);
  return buf;
}

int chmod_target(const Target& t, mode_t mode) {
  if (exists_or_errno(t) < 0) return -1;
  return guarded([&] {
    set_mode(*t.mount, normal(t), mode);
    return 0;
  });
}

// realpath on a mount: the cleaned host path of something that exists.
char* realpath_target(const Target& t, char* resolved) {
  if (exists_or_errno(t) < 0) return nullptr;
  return guarded([&]() -> char* {
    std::string norm = memfs::normalize_path(t.path).value;
    std::string host = norm == "/" ? t.mount->host : t.mount->host + norm;
    if (host.size() >= PATH_MAX) {
      errno = ENAMETOOLONG;
      return nullptr;
    }
    char* out = resolved ? resolved : static_cast<char*>(std::malloc(PATH_MAX));
    if (out == nullptr) {
      errno = ENOMEM;
      return nullptr;
    }
    std::memcpy(out, host.c_str(), host.size() + 1);
    return out;
  });
}

}  // namespace

int set_times(FileSystem& fs, std::string_view path,
              const struct timespec* times) {
  auto valid = [](const struct timespec& ts) {
    return ts.tv_nsec == UTIME_NOW || ts.tv_nsec == UTIME_OMIT ||
           (ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000);
  };
  if (times != nullptr && (!valid(times[0]) || !valid(times[1])))
    return fail_errno(EINVAL);
  return guarded([&] {
    std::error_code ec;
    if (times != nullptr && times[1].tv_nsec == UTIME_OMIT) {
      (void)fs.status(path, ec);  // still: ENOENT for nothing there
      return ec ? fail(ec) : 0;
    }
    auto when = std::chrono::system_clock::now();
    if (times != nullptr && times[1].tv_nsec != UTIME_NOW)
      when = std::chrono::system_clock::time_point(
          std::chrono::duration_cast<std::chrono::system_clock::duration>(
              std::chrono::seconds(times[1].tv_sec) +
              std::chrono::nanoseconds(times[1].tv_nsec)));
    fs.set_modified(path, when, ec);
    return ec ? fail(ec) : 0;
  });
}

bool from_timevals(const struct timeval* tv, struct timespec out[2]) noexcept {
  for (int i = 0; tv != nullptr && i < 2; ++i) {
    if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000) return false;
    out[i].tv_sec = tv[i].tv_sec;
    out[i].tv_nsec = tv[i].tv_usec * 1000;
  }
  return true;
}

}  // namespace memfs::idetail

using namespace memfs::idetail;

extern "C" {

int mkdir(const char* path, mode_t mode) {
  MEMFS_ON_PATH(AT_FDCWD, path, t, MEMFS_PASS(mkdir, path, mode));
  return mkdir_target(t, mode);
}
int mkdirat(int dirfd, const char* path, mode_t mode) {
  MEMFS_ON_PATH_AT(dirfd, path, t, MEMFS_PASS(mkdirat, dirfd, path, mode));
  return mkdir_target(t, mode);
}
int rmdir(const char* path) {
  MEMFS_ON_PATH(AT_FDCWD, path, t, MEMFS_PASS(rmdir, path));
  return remove_target(t, true);
}
int unlink(const char* path) {
  MEMFS_ON_PATH(AT_FDCWD, path, t, MEMFS_PASS(unlink, path));
  return remove_target(t, false);
}
int unlinkat(int dirfd, const char* path, int flags) {
  MEMFS_ON_PATH_AT(dirfd, path, t, MEMFS_PASS(unlinkat, dirfd, path, flags));
  if (flags & ~AT_REMOVEDIR) return fail_errno(EINVAL);
  return remove_target(t, (flags & AT_REMOVEDIR) != 0);
}
// As glibc's: unlink, then rmdir when the path is a directory.
int remove(const char* path) {
  MEMFS_ON_PATH(AT_FDCWD, path, t, MEMFS_PASS(remove, path));
  if (remove_target(t, false) == 0) return 0;
  if (errno != EISDIR) return -1;
  return remove_target(t, true);
}

int rename(const char* from, const char* to) {
  return renameat2(AT_FDCWD, from, AT_FDCWD, to, 0);
}
int renameat(int d1, const char* from, int d2, const char* to) {
  return renameat2(d1, from, d2, to, 0);
}
int renameat2(int d1, const char* from, int d2, const char* to,
              unsigned flags) {
  Target a, b;
  int r1 = 0, r2 = 0;
  if (classify_two(d1, from, d2, to, a, b, r1, r2)) {
    if (flags == 0) return MEMFS_PASS(renameat, d1, from, d2, to);
    return MEMFS_PASS(renameat2, d1, from, d2, to, flags);
  }
  return rename_targets(r1, a, r2, b, flags);
}

// memfs has no links.
int link(const char* from, const char* to) {
  return linkat(AT_FDCWD, from, AT_FDCWD, to, 0);
}
int linkat(int d1, const char* from, int d2, const char* to, int flags) {
  Target a, b;
  int r1 = 0, r2 = 0;
  if (classify_two(d1, from, d2, to, a, b, r1, r2))
    return MEMFS_PASS(linkat, d1, from, d2, to, flags);
  if (r1 < 0 || r2 < 0) return -1;
  return fail_errno(r1 != r2 || a.mount != b.mount ? EXDEV : EPERM);
}
int symlink(const char* target, const char* linkpath) {
  MEMFS_ON_PATH(AT_FDCWD, linkpath, t, MEMFS_PASS(symlink, target, linkpath));
  return fail_errno(EPERM);
}
int symlinkat(const char* target, int dirfd, const char* linkpath) {
  MEMFS_ON_PATH_AT(dirfd, linkpath, t,
                   MEMFS_PASS(symlinkat, target, dirfd, linkpath));
  return fail_errno(EPERM);
}
ssize_t readlinkat(int dirfd, const char* path, char* buf, size_t n) {
  MEMFS_ON_PATH_AT(dirfd, path, t, MEMFS_PASS(readlinkat, dirfd, path, buf, n));
  if (exists_or_errno(t) < 0) return -1;
  return fail_errno(EINVAL);  // exists, and is not a symlink
}
ssize_t readlink(const char* path, char* buf, size_t n) {
  MEMFS_ON_PATH(AT_FDCWD, path, t, MEMFS_PASS(readlink, path, buf, n));
  if (exists_or_errno(t) < 0) return -1;
  return fail_errno(EINVAL);
}
ssize_t __readlink_chk(const char* path, char* buf, size_t n, size_t buflen);
ssize_t __readlink_chk(const char* path, char* buf, size_t n, size_t buflen) {
  MEMFS_ON_PATH(AT_FDCWD, path, t,
                MEMFS_PASS(__readlink_chk, path, buf, n, buflen));
  if (exists_or_errno(t) < 0) return -1;
  return fail_errno(EINVAL);
}

char* realpath(const char* path, char* resolved) {
  Target t;
  int r = path_call_fwd(path, t);
  if (r == 0) return MEMFS_PASS(realpath, path, resolved);
  return r < 0 ? nullptr : realpath_target(t, resolved);
}
char* __realpath_chk(const char* path, char* resolved, size_t buflen);
char* __realpath_chk(const char* path, char* resolved, size_t buflen) {
  Target t;
  int r = path_call_fwd(path, t);
  if (r == 0) return MEMFS_PASS(__realpath_chk, path, resolved, buflen);
  if (resolved && buflen < PATH_MAX) __chk_fail();
  return r < 0 ? nullptr : realpath_target(t, resolved);
}
char* canonicalize_file_name(const char* path) {
  Target t;
  int r = path_call_fwd(path, t);
  if (r == 0) return MEMFS_PASS(canonicalize_file_name, path);
  return r < 0 ? nullptr : realpath_target(t, nullptr);
}

// A current directory on a mount is the wrappers' (g_cwd, state.hpp); a
// real chdir/fchdir that succeeds returns to the kernel's.
int chdir(const char* path) {
  MEMFS_ON_PATH(AT_FDCWD, path, t, left_cwd(MEMFS_PASS(chdir, path)));
  struct stat st;
  if (stat_target(t, &st) < 0) return -1;
  return guarded(
      [&] { return enter_dir(*t.mount, normal(t), S_ISDIR(st.st_mode)); });
}
int fchdir(int fd) {
  if (!fd_call(fd)) return left_cwd(MEMFS_PASS(fchdir, fd));
  return with_desc(
      fd, [](Desc& d) { return enter_dir(*d.mount, d.name(), d.is_dir); });
}
char* getcwd(char* buf, size_t size) {
  if (t_depth == 0 && g_cwd.load(std::memory_order_acquire) != nullptr)
    return guarded([&] { return getcwd_virtual(buf, size); });
  return MEMFS_PASS(getcwd, buf, size);
}
char* __getcwd_chk(char* buf, size_t size, size_t buflen);
char* __getcwd_chk(char* buf, size_t size, size_t buflen) {
  if (t_depth == 0 && g_cwd.load(std::memory_order_acquire) != nullptr) {
    if (size > buflen) __chk_fail();
    return guarded([&] { return getcwd_virtual(buf, size); });
  }
  return MEMFS_PASS(__getcwd_chk, buf, size, buflen);
}
char* get_current_dir_name() {
  if (t_depth == 0 && g_cwd.load(std::memory_order_acquire) != nullptr)
    return guarded([&] { return getcwd_virtual(nullptr, 0); });
  auto next = MEMFS_NEXT(get_current_dir_name);
  if (next == nullptr) errno = ENOSYS;
  return next ? next() : nullptr;
}

// Mode bits live in the mount's table; times are the FileSystem's.
int chmod(const char* path, mode_t mode) {
  MEMFS_ON_PATH(AT_FDCWD, path, t, MEMFS_PASS(chmod, path, mode));
  return chmod_target(t, mode);
}
int fchmodat(int dirfd, const char* path, mode_t mode, int flags) {
  MEMFS_ON_PATH_AT(dirfd, path, t,
                   MEMFS_PASS(fchmodat, dirfd, path, mode, flags));
  return chmod_target(t, mode);
}
int fchmod(int fd, mode_t mode) {
  if (!fd_call(fd)) return MEMFS_PASS(fchmod, fd, mode);
  return with_desc(fd, [&](Desc& d) {
    set_mode(*d.mount, d.name(), mode);
    return 0;
  });
}
int utimensat(int dirfd, const char* path, const struct timespec times[2],
              int flags) {
  MEMFS_ON_PATH_AT(dirfd, path, t,
                   MEMFS_PASS(utimensat, dirfd, path, times, flags));
  return set_times(t.fs(), t.path, times);
}
// A descriptor sets the times of the path it was opened at.
int futimens(int fd, const struct timespec times[2]) {
  if (!fd_call(fd)) return MEMFS_PASS(futimens, fd, times);
  return with_desc(
      fd, [&](Desc& d) { return set_times(*d.mount->fs, d.name(), times); });
}

}  // extern "C"
