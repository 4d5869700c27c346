// stdio on mounted paths: fopen/fopen64/fdopen give a fopencookie FILE*
// whose callbacks use the memfs descriptor; fileno answers that descriptor
// (glibc's own fileno says -1 for cookie streams), so code that mixes FILE*
// and descriptor calls — std::basic_filebuf does — works.
#undef _FORTIFY_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <cstdlib>
#include <unordered_map>

#include "common.hpp"
#include "memfs/stdio.hpp"

namespace memfs::idetail {
namespace {

struct Cookie {
  int fd;
  FILE* fp = nullptr;
};

// Cookie streams by FILE*, for fileno: an open-addressing table read and
// written without a lock (every fstream open, fileno and close on a mount
// goes through it), and a map for what does not fit. A slot's stream is
// null (never used), kGone (closed), kBusy (being filled) or live; a live
// stream's descriptor is stored before the stream is handed to the
// program. Nothing is freed.
constexpr std::size_t kSlots = 1024;  // a power of two
struct Slot {
  std::atomic<FILE*> fp{nullptr};
  std::atomic<int> fd{-1};
};
Slot g_slots[kSlots];
FILE* const kGone = reinterpret_cast<FILE*>(1);  // never a FILE's address
FILE* const kBusy = reinterpret_cast<FILE*>(2);
std::mutex g_files_mutex;
std::unordered_map<FILE*, int>* g_files = nullptr;  // under g_files_mutex

std::size_t slot_of(FILE* fp) noexcept {
  const auto h =
      static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(fp)) *
      0x9E3779B97F4A7C15ull;
  return static_cast<std::size_t>(h >> 54) & (kSlots - 1);  // 10 bits
}

// The slot holding `fp`, or null.
Slot* find_slot(FILE* fp) noexcept {
  for (std::size_t n = 0, i = slot_of(fp); n < kSlots;
       ++n, i = (i + 1) & (kSlots - 1)) {
    FILE* cur = g_slots[i].fp.load(std::memory_order_acquire);
    if (cur == fp) return &g_slots[i];
    if (cur == nullptr) return nullptr;
  }
  return nullptr;
}

void remember_stream(FILE* fp, int fd) {
  for (std::size_t n = 0, i = slot_of(fp); n < kSlots;
       ++n, i = (i + 1) & (kSlots - 1)) {
    FILE* cur = g_slots[i].fp.load(std::memory_order_relaxed);
    if (cur != nullptr && cur != kGone) continue;
    if (!g_slots[i].fp.compare_exchange_strong(cur, kBusy,
                                               std::memory_order_acquire))
      continue;  // taken meanwhile
    g_slots[i].fd.store(fd, std::memory_order_relaxed);
    g_slots[i].fp.store(fp, std::memory_order_release);
    return;
  }
  std::lock_guard<std::mutex> lock(g_files_mutex);  // the table is full
  if (g_files == nullptr) g_files = new std::unordered_map<FILE*, int>();
  (*g_files)[fp] = fd;
}

void forget_stream(FILE* fp) noexcept {
  if (Slot* slot = find_slot(fp)) {
    slot->fp.store(kGone, std::memory_order_release);
    return;
  }
  std::lock_guard<std::mutex> lock(g_files_mutex);
  if (g_files) g_files->erase(fp);
}

// The descriptor of a memfs stream, or -1.
int stream_fd(FILE* fp) noexcept {
  if (Slot* slot = find_slot(fp))
    return slot->fd.load(std::memory_order_relaxed);
  std::lock_guard<std::mutex> lock(g_files_mutex);
  if (g_files == nullptr) return -1;
  auto it = g_files->find(fp);
  return it != g_files->end() ? it->second : -1;
}

// glibc marks fopencookie streams with _fileno == -2: only those are looked
// up, so fileno on ordinary streams takes no lock.
constexpr int kCookieFileno = -2;

ssize_t cookie_read(void* c, char* buf, size_t n) {
  return ::read(static_cast<Cookie*>(c)->fd, buf, n);
}
ssize_t cookie_write(void* c, const char* buf, size_t n) {
  ssize_t r = ::write(static_cast<Cookie*>(c)->fd, buf, n);
  return r < 0 ? 0 : r;  // glibc treats 0 as an error and keeps errno
}
int cookie_seek(void* c, off64_t* pos, int whence) {
  off64_t r = ::lseek64(static_cast<Cookie*>(c)->fd, *pos, whence);
  if (r < 0) return -1;
  *pos = r;
  return 0;
}
int cookie_close(void* c) {
  auto* cookie = static_cast<Cookie*>(c);
  forget_stream(cookie->fp);
  int r = close_fd(cookie->fd);
  delete cookie;
  return r;
}

// mode_flags of the modes std::basic_filebuf uses ("r", "w+", "ab",
// "r+b", ...), without parsing; -2 for any other.
int common_mode_flags(const char* mode) {
  int flags = 0;
  switch (mode[0]) {
    case 'r':
      flags = O_RDONLY;
      break;
    case 'w':
      flags = O_WRONLY | O_CREAT | O_TRUNC;
      break;
    case 'a':
      flags = O_WRONLY | O_CREAT | O_APPEND;
      break;
    default:
      return -2;
  }
  const char* p = mode + 1;
  const bool binary = *p == 'b';  // no effect
  if (binary) ++p;
  if (*p == '+') {
    flags = (flags & ~O_ACCMODE) | O_RDWR;
    ++p;
    if (!binary && *p == 'b') ++p;
  }
  return *p == '\0' ? flags : -2;
}

int parsed_mode_flags(const char* mode);

// open(2) flags of an fopen mode (read as glibc reads it: memfs::fopen_mode,
// plus glibc's 'e' for O_CLOEXEC among the six characters after the first),
// or -1 (EINVAL).
int mode_flags(const char* mode) {
  const int common = common_mode_flags(mode);
#ifndef NDEBUG
  if (common != -2 && common != parsed_mode_flags(mode)) std::abort();
#endif
  return common != -2 ? common : parsed_mode_flags(mode);
}

int parsed_mode_flags(const char* mode) {
  const memfs::OpenMode m = memfs::fopen_mode(mode);
  if (!m.valid()) return -1;
  int flags = m.can_read() && m.can_write() ? O_RDWR
              : m.can_write()               ? O_WRONLY
                                            : O_RDONLY;
  if (m.creates()) flags |= O_CREAT;
  if (m.truncates()) flags |= O_TRUNC;
  if (m.appends()) flags |= O_APPEND;
  if (m.is_exclusive()) flags |= O_EXCL;
  for (int i = 1; i < 7 && mode[i] != '\0'; ++i) {
    if (mode[i] == 'e') flags |= O_CLOEXEC;
  }
  return flags;
}

// Wraps a memfs descriptor in a FILE* (memfs::fopencookie: the same repaired
// cookie stream as memfs::fopen, so positions after buffered writes match a
// real FILE*). On failure errno is set and the descriptor stays open.
FILE* stream_of(int fd, const char* mode) {
  auto* cookie = new Cookie{fd};
  FILE* fp = memfs::fopencookie(
      cookie, mode, {cookie_read, cookie_write, cookie_seek, cookie_close});
  if (fp == nullptr) {
    delete cookie;
    return nullptr;
  }
  cookie->fp = fp;
  remember_stream(fp, fd);
  return fp;
}

FILE* fopen_common(const char* path, const char* mode,
                   FILE* (*next)(const char*, const char*),
                   const char* call = __builtin_FUNCTION()) {
  Target t;
  int r = path_call_fwd(path, t, call);
  if (r == 0) {
    before_real_fd();
    if (next) return next(path, mode);
    errno = ENOSYS;
    return nullptr;
  }
  if (r < 0) return nullptr;
  int flags = mode ? mode_flags(mode) : -1;
  if (flags < 0) {
    errno = EINVAL;
    return nullptr;
  }
  int fd = open_target(t, flags, 0666);
  if (fd < 0) return nullptr;
  // As glibc's fopen: "a" starts at the end, "a+" reads from the start.
  if ((flags & O_APPEND) && (flags & O_ACCMODE) == O_WRONLY) {
    ::lseek64(fd, 0, SEEK_END);
  }
  FILE* fp = guarded([&] { return stream_of(fd, mode); });
  if (fp == nullptr) {
    int e = errno;
    Guard guard;
    close_fd(fd);
    errno = e;
  }
  return fp;
}

int fileno_common(FILE* fp, int (*next)(FILE*)) {
  if (active() && fp != nullptr && fp->_fileno == kCookieFileno) {
    const int fd = stream_fd(fp);
    if (fd >= 0) return fd;
  }
  return next ? next(fp) : fail_errno(ENOSYS);
}

using FopenFn = FILE* (*)(const char*, const char*);
using FilenoFn = int (*)(FILE*);

}  // namespace
}  // namespace memfs::idetail

using namespace memfs::idetail;

extern "C" {

FILE* fopen(const char* path, const char* mode) {
  return fopen_common(path, mode, MEMFS_NEXT_T(FopenFn, fopen));
}
FILE* fopen64(const char* path, const char* mode) {
  return fopen_common(path, mode, MEMFS_NEXT_T(FopenFn, fopen64));
}
// As glibc's fdopen: the mode must fit the descriptor's access mode
// (EINVAL), an "a" mode adds O_APPEND to the description and, when it did
// and the stream does not read, moves the offset to the end.
FILE* fdopen(int fd, const char* mode) {
  if (!fd_call(fd)) return MEMFS_PASS(fdopen, fd, mode);
  const int want = mode ? mode_flags(mode) : -1;
  const int have = ::fcntl(fd, F_GETFL);
  if (have < 0) return nullptr;
  const int acc = have & O_ACCMODE, want_acc = want & O_ACCMODE;
  if (want < 0 || (want_acc != O_WRONLY && acc == O_WRONLY) ||
      (want_acc != O_RDONLY && acc == O_RDONLY)) {
    errno = EINVAL;
    return nullptr;
  }
  if ((want & O_APPEND) && !(have & O_APPEND)) {
    if (::fcntl(fd, F_SETFL, have | O_APPEND) < 0) return nullptr;
    if (want_acc == O_WRONLY) ::lseek64(fd, 0, SEEK_END);
  }
  return guarded([&] { return stream_of(fd, mode); });
}
// A FILE cannot become a memfs stream in place (glibc's FILE of stdout and
// a cookie FILE differ in layout), so freopen onto a mounted path is refused
// with EOPNOTSUPP and the stream is left open and untouched.
#define MEMFS_FREOPEN(name)                                                \
  FILE* name(const char* path, const char* mode, FILE* fp) {               \
    Target t;                                                              \
    const int r = path ? path_call_fwd(path, t) : 0;                       \
    if (r == 0) return before_real_fd(), MEMFS_PASS(name, path, mode, fp); \
    if (r > 0) errno = EOPNOTSUPP;                                         \
    return nullptr;                                                        \
  }
MEMFS_FREOPEN(freopen)
MEMFS_FREOPEN(freopen64)
int fileno(FILE* fp) {
  return fileno_common(fp, MEMFS_NEXT_T(FilenoFn, fileno));
}
int fileno_unlocked(FILE* fp) {
  return fileno_common(fp, MEMFS_NEXT_T(FilenoFn, fileno_unlocked));
}

}  // extern "C"
