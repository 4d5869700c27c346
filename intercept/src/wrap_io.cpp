// Data calls on descriptors: read/write and their positional and vectored
// forms, lseek, truncate, sync, and the calls that must refuse memfs
// descriptors (mmap, sendfile, copy_file_range).
#undef _FORTIFY_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/uio.h>
#include <unistd.h>

#include <climits>
#include <limits>

#include "common.hpp"

namespace memfs::idetail {
namespace {

bool readable(const Desc& d) {
  return (d.flags & O_ACCMODE) != O_WRONLY && !(d.flags & O_PATH);
}
bool writable(const Desc& d) {
  return (d.flags & O_ACCMODE) != O_RDONLY && !(d.flags & O_PATH);
}

// Reads at `offset` (or at the description's offset, advancing it, when
// offset is null). Returns bytes or -1.
ssize_t do_read(Desc& d, void* buf, std::size_t n, const off64_t* offset) {
  if (!readable(d)) return fail_errno(EBADF);
  if (d.is_dir) return fail_errno(EISDIR);
  if (offset && *offset < 0) return fail_errno(EINVAL);
  std::uint64_t at = offset ? static_cast<std::uint64_t>(*offset) : d.offset;
  std::error_code ec;
  std::size_t got = d.file.pread(at, buf, n, ec);
  if (ec) return fail(ec);
  if (!offset) d.offset = at + got;
  return static_cast<ssize_t>(got);
}

ssize_t do_write(Desc& d, const void* buf, std::size_t n,
                 const off64_t* offset) {
  if (!writable(d)) return fail_errno(EBADF);
  if (offset && *offset < 0) return fail_errno(EINVAL);
  if (n == 0) return 0;
  std::error_code ec;
  std::uint64_t at = offset ? static_cast<std::uint64_t>(*offset) : d.offset;
  // Linux appends with O_APPEND even for pwrite.
  if (d.flags & O_APPEND) {
    at = d.file.size(ec);
    if (ec) return fail(ec);
  }
  std::size_t put = d.file.pwrite(at, buf, n, ec);
  if (ec) return fail(ec);
  if (!offset) d.offset = at + put;
  return static_cast<ssize_t>(put);
}

template <class Iov, class Op>
ssize_t vectored(Desc& d, Iov* iov, int count, const off64_t* offset, Op op) {
  if (count < 0 || count > IOV_MAX) return fail_errno(EINVAL);
  ssize_t total = 0;
  off64_t at = offset ? *offset : 0;
  for (int i = 0; i < count; ++i) {
    if (iov[i].iov_len == 0) continue;
    ssize_t r = op(d, iov[i].iov_base, iov[i].iov_len, offset ? &at : nullptr);
    if (r < 0) return total > 0 ? total : r;
    total += r;
    at += r;
    if (static_cast<std::size_t>(r) < iov[i].iov_len) break;
  }
  return total;
}

off64_t do_lseek(Desc& d, off64_t offset, int whence) {
  std::error_code ec;
  std::uint64_t size = d.is_dir ? 0 : d.file.size(ec);
  if (ec) return fail(ec);
  off64_t base = 0;
  switch (whence) {
    case SEEK_SET:
      break;
    case SEEK_CUR:
      base = static_cast<off64_t>(d.offset);
      break;
    case SEEK_END:
      if (d.is_dir) return fail_errno(EINVAL);  // as tmpfs directories
      base = static_cast<off64_t>(size);
      break;
    case SEEK_DATA:
    case SEEK_HOLE:
      if (d.is_dir) return fail_errno(EINVAL);
      if (offset < 0 || static_cast<std::uint64_t>(offset) >= size)
        return fail_errno(ENXIO);
      if (whence == SEEK_HOLE) offset = static_cast<off64_t>(size);
      d.offset = static_cast<std::uint64_t>(offset);
      return offset;
    default:
      return fail_errno(EINVAL);
  }
  if ((offset > 0 && base > std::numeric_limits<off64_t>::max() - offset))
    return fail_errno(EOVERFLOW);
  off64_t to = base + offset;
  if (to < 0) return fail_errno(EINVAL);
  d.offset = static_cast<std::uint64_t>(to);
  return to;
}

int do_ftruncate(Desc& d, off64_t length) {
  if (length < 0) return fail_errno(EINVAL);
  if (d.is_dir || !writable(d))
    return fail_errno(d.flags & O_PATH ? EBADF : EINVAL);
  std::error_code ec;
  d.file.truncate(static_cast<std::uint64_t>(length), ec);
  return ec ? fail(ec) : 0;
}

int do_sync(Desc& d) {
  if (d.flags & O_PATH) return fail_errno(EBADF);
  std::error_code ec;
  if (d.is_dir) {
    // The durability model's directory sync, by the path the descriptor was
    // opened with. A directory removed or replaced since then has nothing
    // left to sync there, and fsync(2) of its descriptor still succeeds.
    d.mount->fs->sync_directory(d.path, ec);
    if (ec == std::errc::no_such_file_or_directory ||
        ec == std::errc::not_a_directory) {
      ec.clear();
    }
  } else {
    d.file.sync(ec);
  }
  return ec ? fail(ec) : 0;
}

int truncate_target(const Target& t, off64_t length) {
  if (length < 0) return fail_errno(EINVAL);
  return guarded([&] {
    std::error_code ec;
    t.fs().resize_file(t.path, static_cast<std::uint64_t>(length), ec);
    return ec ? fail(ec) : 0;
  });
}

}  // namespace
}  // namespace memfs::idetail

using namespace memfs::idetail;

extern "C" {

ssize_t read(int fd, void* buf, size_t n) {
  if (!fd_call(fd)) return MEMFS_PASS(read, fd, buf, n);
  return with_desc(fd, [&](Desc& d) { return do_read(d, buf, n, nullptr); });
}
ssize_t __read_chk(int fd, void* buf, size_t n, size_t buflen);
ssize_t __read_chk(int fd, void* buf, size_t n, size_t buflen) {
  if (!fd_call(fd)) return MEMFS_PASS(__read_chk, fd, buf, n, buflen);
  if (n > buflen) __chk_fail();  // as glibc: "buffer overflow detected"
  return read(fd, buf, n);
}
ssize_t write(int fd, const void* buf, size_t n) {
  if (!fd_call(fd)) return MEMFS_PASS(write, fd, buf, n);
  return with_desc(fd, [&](Desc& d) { return do_write(d, buf, n, nullptr); });
}

#define MEMFS_PREAD(name, chk)                                              \
  ssize_t name(int fd, void* buf, size_t n, off_t off) {                    \
    if (!fd_call(fd)) return MEMFS_PASS(name, fd, buf, n, off);             \
    off64_t at = off;                                                       \
    return with_desc(fd, [&](Desc& d) { return do_read(d, buf, n, &at); }); \
  }
#define MEMFS_PWRITE(name)                                                   \
  ssize_t name(int fd, const void* buf, size_t n, off_t off) {               \
    if (!fd_call(fd)) return MEMFS_PASS(name, fd, buf, n, off);              \
    off64_t at = off;                                                        \
    return with_desc(fd, [&](Desc& d) { return do_write(d, buf, n, &at); }); \
  }
MEMFS_PREAD(pread, )
MEMFS_PREAD(pread64, )
MEMFS_PWRITE(pwrite)
MEMFS_PWRITE(pwrite64)

ssize_t __pread_chk(int fd, void* buf, size_t n, off_t off, size_t buflen);
ssize_t __pread64_chk(int fd, void* buf, size_t n, off_t off, size_t buflen);
ssize_t __pread_chk(int fd, void* buf, size_t n, off_t off, size_t buflen) {
  if (!fd_call(fd)) return MEMFS_PASS(__pread_chk, fd, buf, n, off, buflen);
  if (n > buflen) __chk_fail();
  return pread(fd, buf, n, off);
}
ssize_t __pread64_chk(int fd, void* buf, size_t n, off_t off, size_t buflen) {
  if (!fd_call(fd)) return MEMFS_PASS(__pread64_chk, fd, buf, n, off, buflen);
  if (n > buflen) __chk_fail();
  return pread(fd, buf, n, off);
}

ssize_t readv(int fd, const struct iovec* iov, int count) {
  if (!fd_call(fd)) return MEMFS_PASS(readv, fd, iov, count);
  return with_desc(
      fd, [&](Desc& d) { return vectored(d, iov, count, nullptr, do_read); });
}
ssize_t writev(int fd, const struct iovec* iov, int count) {
  if (!fd_call(fd)) return MEMFS_PASS(writev, fd, iov, count);
  return with_desc(fd, [&](Desc& d) {
    return vectored(d, iov, count, nullptr,
                    [](Desc& x, const void* b, std::size_t n,
                       const off64_t* o) { return do_write(x, b, n, o); });
  });
}
#define MEMFS_PREADV(name, op)                                                \
  ssize_t name(int fd, const struct iovec* iov, int count, off_t off) {       \
    if (!fd_call(fd)) return MEMFS_PASS(name, fd, iov, count, off);           \
    off64_t at = off;                                                         \
    return with_desc(fd, [&](Desc& d) {                                       \
      return vectored(d, iov, count, &at,                                     \
                      [](Desc& x, void* b, std::size_t n, const off64_t* o) { \
                        return op(x, b, n, o);                                \
                      });                                                     \
    });                                                                       \
  }
MEMFS_PREADV(preadv, do_read)
MEMFS_PREADV(preadv64, do_read)
MEMFS_PREADV(pwritev, do_write)
MEMFS_PREADV(pwritev64, do_write)

off_t lseek(int fd, off_t offset, int whence) {
  if (!fd_call(fd)) return MEMFS_PASS(lseek, fd, offset, whence);
  return with_desc(fd, [&](Desc& d) { return do_lseek(d, offset, whence); });
}
off64_t lseek64(int fd, off64_t offset, int whence) {
  if (!fd_call(fd)) return MEMFS_PASS(lseek64, fd, offset, whence);
  return with_desc(fd, [&](Desc& d) { return do_lseek(d, offset, whence); });
}

int ftruncate(int fd, off_t length) {
  if (!fd_call(fd)) return MEMFS_PASS(ftruncate, fd, length);
  return with_desc(fd, [&](Desc& d) { return do_ftruncate(d, length); });
}
int ftruncate64(int fd, off64_t length) {
  if (!fd_call(fd)) return MEMFS_PASS(ftruncate64, fd, length);
  return with_desc(fd, [&](Desc& d) { return do_ftruncate(d, length); });
}
int truncate(const char* path, off_t length) {
  MEMFS_ON_PATH(AT_FDCWD, path, t, MEMFS_PASS(truncate, path, length));
  return truncate_target(t, length);
}
int truncate64(const char* path, off64_t length) {
  MEMFS_ON_PATH(AT_FDCWD, path, t, MEMFS_PASS(truncate64, path, length));
  return truncate_target(t, length);
}

int fsync(int fd) {
  if (!fd_call(fd)) return MEMFS_PASS(fsync, fd);
  return with_desc(fd, do_sync);
}
int fdatasync(int fd) {
  if (!fd_call(fd)) return MEMFS_PASS(fdatasync, fd);
  return with_desc(fd, do_sync);
}

// memfs has no pages to map: a mapping of a memfs file is anonymous memory
// filled with a copy of the file taken now (later writes to the file do not
// show in it, and writes to a private mapping stay in the mapping). Shared
// writable mappings would need coherence with the file and are refused with
// ENODEV. sendfile and copy_file_range fail with the errors that make
// callers fall back to read/write.
static void* map_copy(void* addr, size_t len, int prot, int flags, int fd,
                      off64_t off) {
  if ((flags & MAP_SHARED) && (prot & PROT_WRITE)) {
    errno = ENODEV;
    return MAP_FAILED;
  }
  if (off < 0 || off % sysconf(_SC_PAGESIZE) != 0 || len == 0) {
    errno = EINVAL;
    return MAP_FAILED;
  }
  int anon = (flags & ~(MAP_SHARED | MAP_SHARED_VALIDATE)) | MAP_PRIVATE |
             MAP_ANONYMOUS;
  void* p =
      MEMFS_PASS(mmap, addr, len, PROT_READ | PROT_WRITE, anon, -1, off_t{0});
  if (p == MAP_FAILED) return p;
  ssize_t got = with_desc(fd, [&](Desc& d) -> ssize_t {
    if (d.is_dir) return fail_errno(ENODEV);
    if ((d.flags & O_ACCMODE) == O_WRONLY) return fail_errno(EACCES);
    std::error_code ec;
    std::size_t n = d.file.pread(static_cast<std::uint64_t>(off), p, len, ec);
    return ec ? fail(ec) : static_cast<ssize_t>(n);
  });
  if (got < 0 || mprotect(p, len, prot) != 0) {
    int e = errno;
    munmap(p, len);
    errno = e;
    return MAP_FAILED;
  }
  return p;
}

void* mmap(void* addr, size_t len, int prot, int flags, int fd, off_t off) {
  if ((flags & MAP_ANONYMOUS) || !fd_call(fd))
    return MEMFS_PASS(mmap, addr, len, prot, flags, fd, off);
  return map_copy(addr, len, prot, flags, fd, off);
}
void* mmap64(void* addr, size_t len, int prot, int flags, int fd, off64_t off) {
  if ((flags & MAP_ANONYMOUS) || !fd_call(fd))
    return MEMFS_PASS(mmap64, addr, len, prot, flags, fd, off);
  return map_copy(addr, len, prot, flags, fd, off);
}
ssize_t sendfile(int out, int in, off_t* offset, size_t count) {
  if (!fd_call(out) && !fd_call(in))
    return MEMFS_PASS(sendfile, out, in, offset, count);
  return fail_errno(is_parked(out) || is_parked(in) ? EBADF : EINVAL);
}
ssize_t sendfile64(int out, int in, off64_t* offset, size_t count) {
  if (!fd_call(out) && !fd_call(in))
    return MEMFS_PASS(sendfile64, out, in, offset, count);
  return fail_errno(is_parked(out) || is_parked(in) ? EBADF : EINVAL);
}
ssize_t copy_file_range(int in, off64_t* in_off, int out, off64_t* out_off,
                        size_t len, unsigned flags) {
  if (!fd_call(out) && !fd_call(in))
    return MEMFS_PASS(copy_file_range, in, in_off, out, out_off, len, flags);
  return fail_errno(is_parked(out) || is_parked(in) ? EBADF : EXDEV);
}

}  // extern "C"
