// open/openat/creat (all names), close, dup/dup2/dup3 and fcntl.
#undef _FORTIFY_SOURCE
#include <fcntl.h>
#include <unistd.h>

#include <cstdarg>

#include "common.hpp"

namespace memfs::idetail {

int open_target(const Target& t, int flags, mode_t /*mode: not stored*/) {
  if ((flags & O_TMPFILE) == O_TMPFILE) return fail_errno(EOPNOTSUPP);
  // Linux: creating through a name that ends in "/" is EISDIR, whatever is
  // there.
  if ((flags & O_CREAT) && !t.path.empty() && t.path.back() == '/')
    return fail_errno(EISDIR);
  return guarded([&]() -> int {
    FileSystem& fs = t.fs();
    std::error_code ec;
    FileStatus st = fs.status(t.path, ec);
    bool exists = !ec;
    if (ec && ec != std::errc::no_such_file_or_directory) return fail(ec);
    int acc = flags & O_ACCMODE;
    if (exists && (flags & O_CREAT) && (flags & O_EXCL))
      return fail_errno(EEXIST);
    auto desc = std::make_shared<Desc>();
    desc->mount = t.mount;
    desc->flags = acc | kKernelLargeFile |
                  (flags & (O_APPEND | O_NONBLOCK | O_SYNC | O_DSYNC |
                            O_NOATIME | O_DIRECT | O_PATH));
    if (exists && st.is_directory()) {
      if ((flags & O_CREAT) || acc != O_RDONLY || (flags & O_TRUNC))
        return fail_errno(EISDIR);
      desc->is_dir = true;
      desc->flags |= O_DIRECTORY;
      desc->path = memfs::normalize_path(t.path).value;
    } else {
      if (flags & O_DIRECTORY) return fail_errno(exists ? ENOTDIR : ENOENT);
      bool create = (flags & O_CREAT) != 0;
      bool excl = create && (flags & O_EXCL);
      bool trunc = (flags & O_TRUNC) != 0 && !(flags & O_PATH);
      unsigned m = 0;
      if (acc != O_WRONLY) m |= OpenMode::read;
      // memfs wants write for truncate and exclusive create; POSIX allows
      // them on O_RDONLY descriptors. The descriptor's own access mode is
      // what read(2)/write(2) check.
      if (acc != O_RDONLY || trunc || excl) m |= OpenMode::write;
      if (create) m |= OpenMode::create;
      if (trunc && exists) m |= OpenMode::truncate;
      if (excl) m |= OpenMode::exclusive;
      if (!exists && !create) return fail_errno(ENOENT);
      desc->file = fs.open(t.path, OpenMode::from_flags(m), ec);
      if (ec) return fail(ec);
      desc->path = desc->file.path();
    }
    return install_fd(std::move(desc), (flags & O_CLOEXEC) != 0);
  });
}

namespace {

mode_t mode_arg(int flags, va_list ap) {
  return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE
             ? static_cast<mode_t>(va_arg(ap, unsigned))
             : 0;
}

// dirfd and path are the wrapper's own (next() reads them): rewritten when
// the path leaves the mount from a memfs directory descriptor.
template <class Next>
int open_common(int& dirfd, const char*& path, int flags, mode_t mode,
                Next next) {
  MEMFS_ON_PATH_AT(dirfd, path, t, next());
  return open_target(t, flags, mode);
}

}  // namespace
}  // namespace memfs::idetail

using namespace memfs::idetail;

extern "C" {

#define MEMFS_OPEN(name)                                                     \
  int name(const char* path, int flags, ...) {                               \
    va_list ap;                                                              \
    va_start(ap, flags);                                                     \
    mode_t mode = mode_arg(flags, ap);                                       \
    va_end(ap);                                                              \
    int cwd = AT_FDCWD;                                                      \
    return open_common(cwd, path, flags, mode,                               \
                       [&] { return MEMFS_PASS(name, path, flags, mode); }); \
  }
#define MEMFS_OPENAT(name)                                \
  int name(int dirfd, const char* path, int flags, ...) { \
    va_list ap;                                           \
    va_start(ap, flags);                                  \
    mode_t mode = mode_arg(flags, ap);                    \
    va_end(ap);                                           \
    return open_common(dirfd, path, flags, mode, [&] {    \
      return MEMFS_PASS(name, dirfd, path, flags, mode);  \
    });                                                   \
  }
MEMFS_OPEN(open)
MEMFS_OPEN(open64)
MEMFS_OPENAT(openat)
MEMFS_OPENAT(openat64)

int __open_2(const char* path, int flags);
int __open64_2(const char* path, int flags);
int __openat_2(int dirfd, const char* path, int flags);
int __openat64_2(int dirfd, const char* path, int flags);

int __open_2(const char* path, int flags) {
  int cwd = AT_FDCWD;
  return open_common(cwd, path, flags, 0,
                     [&] { return MEMFS_PASS(__open_2, path, flags); });
}
int __open64_2(const char* path, int flags) {
  int cwd = AT_FDCWD;
  return open_common(cwd, path, flags, 0,
                     [&] { return MEMFS_PASS(__open64_2, path, flags); });
}
int __openat_2(int dirfd, const char* path, int flags) {
  return open_common(dirfd, path, flags, 0, [&] {
    return MEMFS_PASS(__openat_2, dirfd, path, flags);
  });
}
int __openat64_2(int dirfd, const char* path, int flags) {
  return open_common(dirfd, path, flags, 0, [&] {
    return MEMFS_PASS(__openat64_2, dirfd, path, flags);
  });
}

int creat(const char* path, mode_t mode) {
  int cwd = AT_FDCWD;
  return open_common(cwd, path, O_CREAT | O_WRONLY | O_TRUNC, mode,
                     [&] { return MEMFS_PASS(creat, path, mode); });
}
int creat64(const char* path, mode_t mode) {
  int cwd = AT_FDCWD;
  return open_common(cwd, path, O_CREAT | O_WRONLY | O_TRUNC, mode,
                     [&] { return MEMFS_PASS(creat64, path, mode); });
}

int close(int fd) {
  if (!fd_call(fd)) return MEMFS_PASS(close, fd);
  Guard guard;
  return close_fd(fd);
}

int dup(int fd) {
  if (!fd_call(fd)) return MEMFS_PASS(dup, fd);
  Guard guard;
  return dup_fd(fd, [&] { return MEMFS_PASS(dup, fd); });
}

// dup2/dup3 onto a memfs descriptor must unmap it even when the source is
// not ours, so they take the table lock whenever anything is active.
int dup2(int fd, int fd2) {
  if (!active() || t_depth != 0 || (!is_ours(fd) && !is_ours(fd2)))
    return MEMFS_PASS(dup2, fd, fd2);
  Guard guard;
  return dup_fd(fd, [&] { return MEMFS_PASS(dup2, fd, fd2); });
}
int dup3(int fd, int fd2, int flags) {
  if (!active() || t_depth != 0 || (!is_ours(fd) && !is_ours(fd2)))
    return MEMFS_PASS(dup3, fd, fd2, flags);
  Guard guard;
  return dup_fd(fd, [&] { return MEMFS_PASS(dup3, fd, fd2, flags); });
}

}  // extern "C"

namespace {

int fcntl_common(int fd, int cmd, void* arg, int (*next)(int, int, void*)) {
  auto pass = [&] { return next ? next(fd, cmd, arg) : fail_errno(ENOSYS); };
  if (!fd_call(fd)) return pass();
  auto iarg = static_cast<int>(reinterpret_cast<intptr_t>(arg));
  switch (cmd) {
    case F_GETFD:
    case F_SETFD:
      return pass();  // close-on-exec lives on the placeholder
    case F_DUPFD:
    case F_DUPFD_CLOEXEC: {
      Guard guard;
      return dup_fd(fd, pass);
    }
    case F_GETFL:
      return with_desc(fd, [](Desc& d) { return d.flags; });
    case F_SETFL:
      return with_desc(fd, [&](Desc& d) {
        constexpr int kSettable = O_APPEND | O_NONBLOCK | O_NOATIME | O_DIRECT;
        d.flags = (d.flags & ~kSettable) | (iarg & kSettable);
        return 0;
      });
    default:
      return fail_errno(EINVAL);
  }
}

using FcntlFn = int (*)(int, int, void*);

}  // namespace

extern "C" {

int fcntl(int fd, int cmd, ...) {
  va_list ap;
  va_start(ap, cmd);
  void* arg = va_arg(ap, void*);
  va_end(ap);
  return fcntl_common(fd, cmd, arg, MEMFS_NEXT_T(FcntlFn, fcntl));
}
int fcntl64(int fd, int cmd, ...) {
  va_list ap;
  va_start(ap, cmd);
  void* arg = va_arg(ap, void*);
  va_end(ap);
  return fcntl_common(fd, cmd, arg, MEMFS_NEXT_T(FcntlFn, fcntl64));
}

}  // extern "C"
