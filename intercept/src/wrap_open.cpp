// open/openat/creat (all names), close, dup/dup2/dup3 and fcntl.
#undef _FORTIFY_SOURCE
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdarg>
#include <new>

#include <linux/close_range.h>

#include "common.hpp"

namespace memfs::idetail {

namespace {

// memfs wants write for truncate and exclusive create; POSIX allows them on
// O_RDONLY descriptors. The descriptor's own access mode is what
// read(2)/write(2) check.
OpenMode file_mode(int flags, bool exists) {
  const int acc = flags & O_ACCMODE;
  const bool create = (flags & O_CREAT) != 0;
  const bool excl = create && (flags & O_EXCL);
  const bool trunc = (flags & O_TRUNC) != 0 && !(flags & O_PATH);
  unsigned m = 0;
  if (acc != O_WRONLY) m |= OpenMode::read;
  if (acc != O_RDONLY || trunc || excl) m |= OpenMode::write;
  if (create) m |= OpenMode::create;
  if (trunc && exists) m |= OpenMode::truncate;
  if (excl) m |= OpenMode::exclusive;
  return OpenMode::from_flags(m);
}

// Opens `path` into the closed File `out`: built in place from the File
// that open returns (a move assignment and a destroyed temporary cost a
// mounted open about 90 instructions). `out` is a closed File again if open
// throws.
void open_into(File& out, FileSystem& fs, std::string_view path, OpenMode mode,
               std::error_code& ec) {
  out.~File();
  try {
    // The overload with options: the one without forwards to it (a File
    // moved and destroyed more per open).
    static constexpr OpenOptions kNoOptions{};
    new (&out) File(fs.open(path, mode, kNoOptions, ec));
  } catch (...) {
    new (&out) File();
    throw;
  }
}

DescRef new_desc(const Target& t, int flags) {
  DescRef desc = make_desc();
  desc->mount = t.mount;
  desc->flags = (flags & O_ACCMODE) | kKernelLargeFile |
                (flags & (O_APPEND | O_NONBLOCK | O_SYNC | O_DSYNC | O_NOATIME |
                          O_DIRECT | O_PATH));
  return desc;
}

// The common open of a regular file, without asking status() first: when
// memfs's own open answers as Linux would. Not for O_DIRECTORY or O_PATH,
// nor for a creating open (without O_EXCL) when whether it creates the file
// would matter: its permission bits differ from the default, or bits are
// recorded for the name (they may be left from a file removed behind the
// mount's back). Returns the descriptor, -1 with errno, or -2 when the
// caller must take the careful path (the name may be a directory).
int open_file_fast(const Target& t, int flags, mode_t mode) {
  const bool create = (flags & O_CREAT) != 0;
  const bool excl = create && (flags & O_EXCL);
  const unsigned perm = create ? creation_mode(mode) : 0;
  if ((flags & (O_DIRECTORY | O_PATH)) ||
      (create && !excl &&
       (perm != kDefaultFileMode ||
        (t.mount->any_modes.load(std::memory_order_acquire) &&
         has_mode(*t.mount, t.path)))))
    return -2;
  std::error_code ec;
  auto desc = new_desc(t, flags);
  // Truncating a file that does not exist is creating it: the same.
  open_into(desc->file, t.fs(), t.path, file_mode(flags, true), ec);
  if (ec) {  // (comparing a clear code with errc makes two virtual calls)
    if (ec == std::errc::is_a_directory) return -2;
    return fail(ec);
  }
  if (excl) set_mode(*t.mount, desc->file.path(), perm);
  return install_fd(std::move(desc), (flags & O_CLOEXEC) != 0);
}

}  // namespace

int open_target(const Target& t, int flags, mode_t mode) {
  if ((flags & O_TMPFILE) == O_TMPFILE) return fail_errno(EOPNOTSUPP);
  // Linux: creating through a name that ends in "/" is EISDIR, whatever is
  // there.
  if ((flags & O_CREAT) && !t.path.empty() && t.path.back() == '/')
    return fail_errno(EISDIR);
  return guarded([&]() -> int {
    const int fast = open_file_fast(t, flags, mode);
    if (fast != -2) return fast;
    FileSystem& fs = t.fs();
    std::error_code ec;
    FileStatus st = fs.status(t.path, ec);
    bool exists = !ec;
    if (ec && ec != std::errc::no_such_file_or_directory) return fail(ec);
    int acc = flags & O_ACCMODE;
    if (exists && (flags & O_CREAT) && (flags & O_EXCL))
      return fail_errno(EEXIST);
    auto desc = new_desc(t, flags);
    if (exists && st.is_directory()) {
      if ((flags & O_CREAT) || acc != O_RDONLY || (flags & O_TRUNC))
        return fail_errno(EISDIR);
      desc->is_dir = true;
      desc->flags |= O_DIRECTORY;
      desc->path = memfs::normalize_path(t.path).value;
      desc->id = st.id;
    } else {
      if (flags & O_DIRECTORY) return fail_errno(exists ? ENOTDIR : ENOENT);
      if (!exists && !(flags & O_CREAT)) return fail_errno(ENOENT);
      open_into(desc->file, fs, t.path, file_mode(flags, exists), ec);
      if (ec) return fail(ec);
      if (!exists) set_mode(*t.mount, desc->file.path(), creation_mode(mode));
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
                Next next, const char* call = __builtin_FUNCTION()) {
  MEMFS_ON_PATH_AT_AS(dirfd, path, t, (before_real_fd(), next()), call);
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
  if (fd >= 0) {
    template_touched(static_cast<unsigned>(fd), static_cast<unsigned>(fd));
    // A real number below the parked ones is about to be free (releasing
    // them is harmless if the close then fails).
    if (!is_ours(fd)) real_fd_closed(static_cast<unsigned>(fd));
  }
  if (!fd_call(fd)) return MEMFS_PASS(close, fd);
  Guard guard;
  return close_fd(fd);
}

// close_range and closefrom close descriptors inside the kernel: ours in the
// range are unmapped first (CLOSE_RANGE_CLOEXEC only marks them).
int close_range(unsigned first, unsigned last, int flags) {
  if ((static_cast<unsigned>(flags) & CLOSE_RANGE_CLOEXEC) == 0)
    template_touched(first, last);
  if (!active() || t_depth != 0)
    return MEMFS_PASS(close_range, first, last, flags);
  if ((static_cast<unsigned>(flags) & CLOSE_RANGE_CLOEXEC) != 0) {
    const int r = MEMFS_PASS(close_range, first, last, flags);
    // The program now sees close-on-exec set on ours too.
    for (unsigned fd = first; r == 0 && fd <= last && fd < unsigned{kMaxFd};
         ++fd)
      if (is_ours(static_cast<int>(fd)))
        note_cloexec(static_cast<int>(fd), true);
    return r;
  }
  Guard guard;
  return close_many(
      first, last, [&] { return MEMFS_PASS(close_range, first, last, flags); });
}
void closefrom(int low) {
  if (low >= 0) template_touched(static_cast<unsigned>(low), ~0u);
  auto next = MEMFS_NEXT(closefrom);
  if (!active() || t_depth != 0 || low < 0) {
    if (next) next(low);
    return;
  }
  Guard guard;
  close_many(static_cast<unsigned>(low), ~0u, [&] {
    if (next) next(low);
    return 0;
  });
}

int dup(int fd) {
  if (!fd_call(fd)) {
    before_real_fd();
    return MEMFS_PASS(dup, fd);
  }
  Guard guard;
  return dup_fd(fd, [&] { return MEMFS_PASS(dup, fd); });
}

// dup2/dup3 onto a memfs descriptor must unmap it even when the source is
// not ours, so they take the table lock whenever anything is active.
int dup2(int fd, int fd2) {
  if (fd2 >= 0 && fd != fd2)
    template_touched(static_cast<unsigned>(fd2), static_cast<unsigned>(fd2));
  if (!active() || t_depth != 0 || (!is_ours(fd) && !is_ours(fd2)))
    return MEMFS_PASS(dup2, fd, fd2);
  Guard guard;
  return dup_fd(fd, [&] { return MEMFS_PASS(dup2, fd, fd2); });
}
int dup3(int fd, int fd2, int flags) {
  if (fd2 >= 0 && fd != fd2)
    template_touched(static_cast<unsigned>(fd2), static_cast<unsigned>(fd2));
  if (!active() || t_depth != 0 || (!is_ours(fd) && !is_ours(fd2)))
    return MEMFS_PASS(dup3, fd, fd2, flags);
  Guard guard;
  return dup_fd(fd, [&] { return MEMFS_PASS(dup3, fd, fd2, flags); });
}

}  // extern "C"

namespace {

using memfs::LockMode;

// Record locks and flock map onto the description's whole-file memfs lock:
// any range locks the whole file, and a conversion releases, then takes (as
// flock does; not atomic). Waiting is bounded by the filesystem's lock
// timeout, after which the call fails with EAGAIN.
int lock_desc(Desc& d, int type, bool wait) {
  if (d.is_dir) return 0;  // directories have no memfs lock
  std::error_code ec;
  if (type == F_UNLCK) {
    if (d.lock) d.file.unlock(ec);
    d.lock.reset();
    return ec ? fail(ec) : 0;
  }
  LockMode mode = type == F_RDLCK ? LockMode::shared : LockMode::exclusive;
  if (d.lock == mode) return 0;
  if (d.lock) {
    d.file.unlock(ec);
    d.lock.reset();
    if (ec) return fail(ec);
  }
  d.file.lock(mode,
              wait ? std::nullopt
                   : std::optional<std::chrono::nanoseconds>(
                         std::chrono::nanoseconds::zero()),
              ec);
  if (ec) return fail(ec);
  d.lock = mode;
  return 0;
}

int record_lock(Desc& d, int cmd, struct flock* fl) {
  if (fl == nullptr) return fail_errno(EFAULT);
  if (fl->l_type != F_RDLCK && fl->l_type != F_WRLCK && fl->l_type != F_UNLCK)
    return fail_errno(EINVAL);
  if (cmd == F_GETLK || cmd == F_OFD_GETLK) {
    if (fl->l_type == F_UNLCK) return fail_errno(EINVAL);
    if (d.lock || d.is_dir) {  // our own lock never conflicts with us
      fl->l_type = F_UNLCK;
      return 0;
    }
    LockMode mode =
        fl->l_type == F_RDLCK ? LockMode::shared : LockMode::exclusive;
    std::error_code ec;
    bool free = d.file.try_lock(mode, ec);
    if (free) d.file.unlock(ec);
    if (!free) {
      fl->l_type = F_WRLCK;  // the holder's mode and pid are unknown
      fl->l_whence = SEEK_SET;
      fl->l_start = 0;
      fl->l_len = 0;
      fl->l_pid = -1;
    } else {
      fl->l_type = F_UNLCK;
    }
    return 0;
  }
  int acc = d.flags & O_ACCMODE;
  if ((fl->l_type == F_RDLCK && acc == O_WRONLY) ||
      (fl->l_type == F_WRLCK && acc == O_RDONLY))
    return fail_errno(EBADF);
  return lock_desc(d, fl->l_type, cmd == F_SETLKW || cmd == F_OFD_SETLKW);
}

int fcntl_common(int fd, int cmd, void* arg, int (*next)(int, int, void*)) {
  auto pass = [&] { return next ? next(fd, cmd, arg) : fail_errno(ENOSYS); };
  if (!fd_call(fd)) {
    if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC) before_real_fd();
    return pass();
  }
  if (is_parked(fd)) return fail_errno(EBADF);
  auto iarg = static_cast<int>(reinterpret_cast<intptr_t>(arg));
  switch (cmd) {
    case F_GETFD:  // close-on-exec lives on the placeholder
      return cloexec_hidden(fd) ? 0 : pass();
    case F_SETFD: {
      const int r = pass();
      if (r == 0) note_cloexec(fd, (iarg & FD_CLOEXEC) != 0);
      return r;
    }
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
    case F_SETLK:
    case F_SETLKW:
    case F_GETLK:
    case F_OFD_SETLK:
    case F_OFD_SETLKW:
    case F_OFD_GETLK:
      return with_desc(fd, [&](Desc& d) {
        return record_lock(d, cmd, static_cast<struct flock*>(arg));
      });
    default:
      return fail_errno(EINVAL);
  }
}

using FcntlFn = int (*)(int, int, void*);

}  // namespace

extern "C" {

#define MEMFS_FCNTL(name)                                           \
  int name(int fd, int cmd, ...) {                                  \
    va_list ap;                                                     \
    va_start(ap, cmd);                                              \
    void* arg = va_arg(ap, void*);                                  \
    va_end(ap);                                                     \
    return fcntl_common(fd, cmd, arg, MEMFS_NEXT_T(FcntlFn, name)); \
  }
MEMFS_FCNTL(fcntl)
MEMFS_FCNTL(fcntl64)

int flock(int fd, int op) {
  if (!fd_call(fd)) return MEMFS_PASS(flock, fd, op);
  int kind = op & ~LOCK_NB;
  int type = kind == LOCK_SH   ? F_RDLCK
             : kind == LOCK_EX ? F_WRLCK
             : kind == LOCK_UN ? F_UNLCK
                               : -1;
  if (type < 0) return fail_errno(EINVAL);
  return with_desc(
      fd, [&](Desc& d) { return lock_desc(d, type, !(op & LOCK_NB)); });
}

}  // extern "C"
