// Calls whose glibc implementations go straight to the kernel through
// internal aliases (so, on a placeholder descriptor, they would silently act
// on an empty memfd, or on the real disk for a path): fallocate and
// posix_fallocate, lockf, syncfs, statfs/fstatfs, the chown family and the
// older time setters (utime, utimes, futimes, lutimes); ioctl(FIONREAD),
// which on the placeholder memfd would answer its own size (0).
#undef _FORTIFY_SOURCE
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/time.h>
#include <unistd.h>
#include <utime.h>

#include <algorithm>
#include <climits>
#include <cstdarg>
#include <cstring>

#include "common.hpp"
#include "memfs/memory_file_system.hpp"

namespace memfs::idetail {
namespace {

// fallocate mode 0 grows the file to off + len (charged to the quota);
// FALLOC_FL_KEEP_SIZE changes nothing visible; other modes (punching holes,
// zeroing ranges) are EOPNOTSUPP. Returns 0 or an errno value.
int allocate(int fd, int mode, off64_t off, off64_t len) {
  if (off < 0 || len <= 0) return EINVAL;
  if (mode != 0 && mode != FALLOC_FL_KEEP_SIZE) return EOPNOTSUPP;
  int r = with_desc(fd, [&](Desc& d) {
    if (d.is_dir) return fail_errno(EISDIR);
    if ((d.flags & O_ACCMODE) == O_RDONLY) return fail_errno(EBADF);
    if (mode == FALLOC_FL_KEEP_SIZE) return 0;
    std::error_code ec;
    auto end =
        static_cast<std::uint64_t>(off) + static_cast<std::uint64_t>(len);
    std::uint64_t size = d.file.size(ec);
    if (!ec && size < end) d.file.truncate(end, ec);
    return ec ? fail(ec) : 0;
  });
  return r == 0 ? 0 : errno;
}

int statfs_of(const MountState& mount, struct statfs* out) {
  return guarded([&] {
    fill_fs_counts(mount.fs->stats(), out);
    out->f_type = 0x01021994;  // TMPFS_MAGIC: the semantics memfs follows
    out->f_namelen = 255;
    return 0;
  });
}

}  // namespace
}  // namespace memfs::idetail

using namespace memfs::idetail;

extern "C" {

int fallocate(int fd, int mode, off_t off, off_t len) {
  if (!fd_call(fd)) return MEMFS_PASS(fallocate, fd, mode, off, len);
  int e = allocate(fd, mode, off, len);
  return e == 0 ? 0 : fail_errno(e);
}
int fallocate64(int fd, int mode, off64_t off, off64_t len) {
  if (!fd_call(fd)) return MEMFS_PASS(fallocate64, fd, mode, off, len);
  int e = allocate(fd, mode, off, len);
  return e == 0 ? 0 : fail_errno(e);
}
// posix_fallocate returns the error instead of setting errno.
int posix_fallocate(int fd, off_t off, off_t len) {
  if (!fd_call(fd)) return MEMFS_PASS(posix_fallocate, fd, off, len);
  return allocate(fd, 0, off, len);
}
int posix_fallocate64(int fd, off64_t off, off64_t len) {
  if (!fd_call(fd)) return MEMFS_PASS(posix_fallocate64, fd, off, len);
  return allocate(fd, 0, off, len);
}

// lockf in terms of the fcntl record locks (which take the memfs lock).
int lockf(int fd, int cmd, off_t len) {
  if (!fd_call(fd)) return MEMFS_PASS(lockf, fd, cmd, len);
  struct flock fl {};
  fl.l_whence = SEEK_CUR;
  fl.l_len = len;
  switch (cmd) {
    case F_TEST:
      fl.l_type = F_RDLCK;
      if (fcntl(fd, F_GETLK, &fl) < 0) return -1;
      return fl.l_type == F_UNLCK ? 0 : fail_errno(EACCES);
    case F_ULOCK:
      fl.l_type = F_UNLCK;
      return fcntl(fd, F_SETLK, &fl);
    case F_TLOCK:
      fl.l_type = F_WRLCK;
      return fcntl(fd, F_SETLK, &fl);
    case F_LOCK:
      fl.l_type = F_WRLCK;
      return fcntl(fd, F_SETLKW, &fl);
    default:
      return fail_errno(EINVAL);
  }
}
int lockf64(int fd, int cmd, off64_t len) {
  if (!fd_call(fd)) return MEMFS_PASS(lockf64, fd, cmd, len);
  return lockf(fd, cmd, len);
}

int syncfs(int fd) {
  if (!fd_call(fd)) return MEMFS_PASS(syncfs, fd);
  return with_desc(fd, [](Desc& d) {
    // A MemoryFileSystem with the durability model makes everything durable.
    if (auto* memory = dynamic_cast<memfs::MemoryFileSystem*>(d.mount->fs)) {
      memory->sync_all();
    }
    return 0;
  });
}

MEMFS_FS_STATS(statfs, fstatfs, struct statfs, struct statfs, statfs_of)
MEMFS_FS_STATS(statfs64, fstatfs64, struct statfs64, struct statfs, statfs_of)

// Owners are not stored (everything on a mount belongs to the caller):
// accepted and ignored on things that exist. The old time setters (glibc
// runs them on its internal utimensat) set the modified time as utimensat.
int chown(const char* path, uid_t uid, gid_t gid) {
  MEMFS_ON_PATH(AT_FDCWD, path, t, MEMFS_PASS(chown, path, uid, gid));
  return exists_or_errno(t);
}
int lchown(const char* path, uid_t uid, gid_t gid) {
  MEMFS_ON_PATH(AT_FDCWD, path, t, MEMFS_PASS(lchown, path, uid, gid));
  return exists_or_errno(t);
}
int fchownat(int dirfd, const char* path, uid_t uid, gid_t gid, int flags) {
  MEMFS_ON_PATH_AT(dirfd, path, t,
                   MEMFS_PASS(fchownat, dirfd, path, uid, gid, flags));
  return exists_or_errno(t);
}
int fchown(int fd, uid_t uid, gid_t gid) {
  if (!fd_call(fd)) return MEMFS_PASS(fchown, fd, uid, gid);
  return with_desc(fd, [](Desc&) { return 0; });
}
int utime(const char* path, const struct utimbuf* times) {
  MEMFS_ON_PATH(AT_FDCWD, path, t, MEMFS_PASS(utime, path, times));
  struct timespec ts[2] = {{times ? times->actime : 0, 0},
                           {times ? times->modtime : 0, 0}};
  return set_times(t.fs(), t.path, times ? ts : nullptr);
}
int utimes(const char* path, const struct timeval times[2]) {
  MEMFS_ON_PATH(AT_FDCWD, path, t, MEMFS_PASS(utimes, path, times));
  struct timespec ts[2];
  if (!from_timevals(times, ts)) return fail_errno(EINVAL);
  return set_times(t.fs(), t.path, times ? ts : nullptr);
}
int lutimes(const char* path, const struct timeval times[2]) {
  MEMFS_ON_PATH(AT_FDCWD, path, t, MEMFS_PASS(lutimes, path, times));
  struct timespec ts[2];
  if (!from_timevals(times, ts)) return fail_errno(EINVAL);
  return set_times(t.fs(), t.path, times ? ts : nullptr);
}
int futimes(int fd, const struct timeval times[2]) {
  if (!fd_call(fd)) return MEMFS_PASS(futimes, fd, times);
  struct timespec ts[2];
  if (!from_timevals(times, ts)) return fail_errno(EINVAL);
  return with_desc(fd, [&](Desc& d) {
    return set_times(*d.mount->fs, d.name(), times ? ts : nullptr);
  });
}

// FIONREAD answers the bytes between the offset and the end, as Linux does
// for a regular file (libstdc++'s in_avail asks it first); on a directory
// ENOTTY, as tmpfs. Other requests go to the placeholder (FIOCLEX, ...).
int ioctl(int fd, unsigned long request, ...) {
  va_list args;
  va_start(args, request);
  void* arg = va_arg(args, void*);
  va_end(args);
  if (!fd_call(fd)) return MEMFS_PASS(ioctl, fd, request, arg);
  if (is_parked(fd)) return fail_errno(EBADF);
  if (request != FIONREAD) {
    const int r = MEMFS_PASS(ioctl, fd, request, arg);
    if (r == 0 && (request == FIOCLEX || request == FIONCLEX))
      note_cloexec(fd, request == FIOCLEX);
    return r;
  }
  return with_desc(fd, [&](Desc& d) {
    if (d.is_dir) return fail_errno(ENOTTY);
    std::error_code ec;
    const std::uint64_t size = d.file.size(ec);
    if (ec) return fail(ec);
    const std::uint64_t left = size > d.offset ? size - d.offset : 0;
    *static_cast<int*>(arg) = static_cast<int>(
        std::min<std::uint64_t>(left, static_cast<std::uint64_t>(INT_MAX)));
    return 0;
  });
}

}  // extern "C"
