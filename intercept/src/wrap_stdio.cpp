// stdio on mounted paths: fopen/fopen64/fdopen give a fopencookie FILE*
// whose callbacks use the memfs descriptor; fileno answers that descriptor
// (glibc's own fileno says -1 for cookie streams), so code that mixes FILE*
// and descriptor calls — std::basic_filebuf does — works.
#undef _FORTIFY_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <cstdlib>
#include <functional>
#include <iterator>
#include <unordered_map>

#include "common.hpp"
#include "memfs/stdio.hpp"

namespace memfs::idetail {
namespace {

// A stream's cookie: the memfs descriptor it reads and writes. Cookies of
// pooled FILEs (g_pool) live as long as the process; others are new'd.
struct Slot;
struct Cookie {
  int fd = -1;
  FILE* fp = nullptr;
  /// A pooled FILE's entry in g_slots (null if it went to the map).
  Slot* slot = nullptr;
  /// The fopencookie class of the mode the FILE was last handed out with
  /// (kClassModes), for a pooled one.
  int cls = 0;
};

// Cookie streams by FILE*, for fileno and fclose: an open-addressing table
// read and written without a lock (every fstream open, fileno and close on
// a mount goes through it), and a map for what does not fit. A slot's
// stream is null (never used), kGone (closed), kBusy (being filled) or
// live; a live stream's descriptor (-1 while a pooled FILE is idle) and
// pooled cookie are stored before the stream is handed to the program.
// Nothing is freed.
constexpr std::size_t kSlots = 1024;  // a power of two
struct Slot {
  std::atomic<FILE*> fp{nullptr};
  std::atomic<int> fd{-1};
  std::atomic<Cookie*> pooled{nullptr};
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

// Records `fp` (its descriptor `fd`; `pooled`, its cookie when it is a
// pooled FILE). Returns its slot, or null when it went to the map (a pooled
// FILE there is closed by glibc's fclose, and its cookie goes back empty).
Slot* remember_stream(FILE* fp, int fd, Cookie* pooled = nullptr) {
  for (std::size_t n = 0, i = slot_of(fp); n < kSlots;
       ++n, i = (i + 1) & (kSlots - 1)) {
    FILE* cur = g_slots[i].fp.load(std::memory_order_relaxed);
    if (cur != nullptr && cur != kGone) continue;
    if (!g_slots[i].fp.compare_exchange_strong(cur, kBusy,
                                               std::memory_order_acquire))
      continue;  // taken meanwhile
    g_slots[i].fd.store(fd, std::memory_order_relaxed);
    g_slots[i].pooled.store(pooled, std::memory_order_relaxed);
    g_slots[i].fp.store(fp, std::memory_order_release);
    return &g_slots[i];
  }
  std::lock_guard<std::mutex> lock(g_files_mutex);  // the table is full
  if (g_files == nullptr) g_files = new std::unordered_map<FILE*, int>();
  (*g_files)[fp] = fd;
  return nullptr;
}

void forget_stream(FILE* fp) noexcept {
  if (Slot* slot = find_slot(fp)) {
    slot->pooled.store(nullptr, std::memory_order_relaxed);
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

// --- the pool of cookie FILEs --------------------------------------------------
//
// Every std::fstream open on a mount calls fopen64 and every close fclose
// (libstdc++'s basic_file), and uses the FILE only for fileno: making it
// with fopencookie and freeing it in fclose (malloc, linking into and out of
// stdio's list of streams under its lock, free) costs about as much as the
// whole memfs open + read + close (intercept_floor/cookie_file). So the FILEs
// of mounted streams are made once, each with a cookie of its own that
// lives as long as the process (g_pool), and fclose keeps one for the next
// mounted fopen when it is exactly as fopencookie made it: no buffer (none
// is made until stdio itself reads or writes), no pushed-back bytes or
// markers, no flag set beyond the end-of-file and error indicators (which
// fclose clears), byte orientation. Anything else — a stream stdio read or
// wrote through, one given a buffer with setvbuf, one whose locking the
// program took over (__fsetlocking) — goes to glibc's fclose, which frees
// it, and its cookie waits empty for a new FILE. Only the public fields of
// struct _IO_FILE are read or written; the flags a FILE of each mode starts
// with are learnt from the first one fopencookie makes. An idle FILE stays
// in stdio's list of streams with nothing to flush, so fflush(NULL) and the
// flush at exit pass over it. A FILE given to freopen leaves the pool.

constexpr int kPoolFiles = 64;
Cookie g_pool[kPoolFiles];
// Bit i: g_pool[i] holds an idle FILE; holds no FILE.
std::atomic<std::uint64_t> g_pool_idle{0};
std::atomic<std::uint64_t> g_pool_empty{~std::uint64_t{0}};
// fopencookie reads only r, w, a and '+' of a mode: the FILEs it makes
// differ only in their flags, learnt per class (0 until one was made).
constexpr const char* kClassModes[] = {"r", "w", "a", "r+", "a+"};
std::atomic<int> g_class_flags[std::size(kClassModes)];

// The class (kClassModes) of open(2) flags from mode_flags.
int mode_class(int flags) noexcept {
  const int acc = flags & O_ACCMODE;
  if (acc == O_RDWR) return (flags & O_APPEND) ? 4 : 3;
  if (flags & O_APPEND) return 2;
  return acc == O_RDONLY ? 0 : 1;
}

// True for a cookie of g_pool (the others are new'd).
bool in_pool(const Cookie* c) noexcept {
  return std::less_equal<>()(std::begin(g_pool), c) &&
         std::less<>()(c, std::end(g_pool));
}

std::uint64_t pool_bit(const Cookie& c) noexcept {
  return std::uint64_t{1} << (&c - g_pool);
}

// Takes the lowest set bit of `word`: its index, or -1 when none is set.
int take_bit(std::atomic<std::uint64_t>& word) noexcept {
  for (std::uint64_t bits = word.load(std::memory_order_relaxed); bits != 0;
       bits = word.load(std::memory_order_relaxed)) {
    const std::uint64_t bit = std::uint64_t{1} << __builtin_ctzll(bits);
    if ((fetch_and_st(word, ~bit, std::memory_order_acquire) & bit) != 0)
      return __builtin_ctzll(bits);
  }
  return -1;
}

int cookie_close(void* c);
constexpr cookie_io_functions_t kCookieIo{cookie_read, cookie_write,
                                          cookie_seek, cookie_close};

// A pooled FILE of class `cls` for the descriptor `fd`: an idle one, or a
// new one in an empty cookie. Null when every cookie is in use or
// fopencookie failed (the caller makes an unpooled stream).
FILE* take_pooled(int fd, int cls) {
  const int flags = g_class_flags[cls].load(std::memory_order_relaxed);
  int i = flags != 0 ? take_bit(g_pool_idle) : -1;
  if (i >= 0) {
    Cookie& c = g_pool[i];
    tsan_acquire(&c);
    c.fd = fd;
    c.cls = cls;
    c.fp->_flags = flags;
    c.slot->fd.store(fd, std::memory_order_relaxed);
    return c.fp;
  }
  if ((i = take_bit(g_pool_empty)) < 0) return nullptr;
  Cookie& c = g_pool[i];
  c.fd = fd;
  c.cls = cls;
  c.fp = memfs::fopencookie(&c, kClassModes[cls], kCookieIo);
  if (c.fp == nullptr) {
    g_pool_empty.fetch_or(pool_bit(c), std::memory_order_release);
    return nullptr;
  }
  g_class_flags[cls].store(c.fp->_flags, std::memory_order_relaxed);
  c.slot = remember_stream(c.fp, fd, &c);
  return c.fp;
}

// True when the pooled FILE of `c` is as fopencookie made it, bar the
// end-of-file and error indicators (see the pool).
bool reusable(const Cookie& c) noexcept {
  const FILE& f = *c.fp;
  const bool no_pointers =
      (f._IO_read_ptr == nullptr) & (f._IO_read_end == nullptr) &
      (f._IO_read_base == nullptr) & (f._IO_write_base == nullptr) &
      (f._IO_write_ptr == nullptr) & (f._IO_write_end == nullptr) &
      (f._IO_buf_base == nullptr) & (f._IO_buf_end == nullptr) &
      (f._IO_save_base == nullptr) & (f._IO_backup_base == nullptr) &
      (f._IO_save_end == nullptr) & (f._markers == nullptr);
  return no_pointers && f._fileno == kCookieFileno && f._mode == -1 &&
         f._vtable_offset == 0 &&
         (f._flags & ~(_IO_EOF_SEEN | _IO_ERR_SEEN)) ==
             g_class_flags[c.cls].load(std::memory_order_relaxed);
}

// fclose of a pooled FILE: closes its descriptor, then keeps the FILE when
// it can be reused, else lets glibc's fclose free it (cookie_close).
int close_pooled(Cookie& c, int (*real_fclose)(FILE*)) {
  if (!reusable(c)) return call_next(real_fclose, c.fp);
  const int fd = std::exchange(c.fd, -1);
  c.slot->fd.store(-1, std::memory_order_relaxed);
  c.fp->_flags = g_class_flags[c.cls].load(std::memory_order_relaxed);
  c.fp->_offset = -1;  // unknown, as fopencookie leaves it
  c.fp->_cur_column = 0;
  tsan_release(&c);
  fetch_or_st(g_pool_idle, pool_bit(c), std::memory_order_release);
  Guard guard;
  return close_fd(fd) < 0 ? EOF : 0;
}

// The pooled cookie of `fp`, or null.
Cookie* pooled_cookie(FILE* fp) noexcept {
  if (fp == nullptr || fp->_fileno != kCookieFileno ||
      g_pool_empty.load(std::memory_order_relaxed) == ~std::uint64_t{0})
    return nullptr;
  Slot* slot = find_slot(fp);
  return slot != nullptr ? slot->pooled.load(std::memory_order_relaxed)
                         : nullptr;
}

int cookie_close(void* p) {
  auto* c = static_cast<Cookie*>(p);
  forget_stream(c->fp);
  const int r = close_fd(c->fd);
  if (!in_pool(c)) {
    delete c;
  } else {  // freed by glibc: the cookie waits for a new FILE
    c->fd = -1;
    c->fp = nullptr;
    c->slot = nullptr;
    g_pool_empty.fetch_or(pool_bit(*c), std::memory_order_release);
  }
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

// Wraps a memfs descriptor in a FILE*: a pooled one when it can, else
// memfs::fopencookie (the same repaired cookie stream as memfs::fopen, so
// positions after buffered writes match a real FILE*). `flags`: mode_flags
// of `mode`. On failure errno is set and the descriptor stays open.
FILE* stream_of(int fd, const char* mode, int flags) {
  if (FILE* fp = take_pooled(fd, mode_class(flags))) return fp;
  auto* cookie = new Cookie{fd};
  FILE* fp = memfs::fopencookie(cookie, mode, kCookieIo);
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
  FILE* fp = guarded([&] { return stream_of(fd, mode, flags); });
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
using FcloseFn = int (*)(FILE*);

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
  return guarded([&] { return stream_of(fd, mode, want); });
}
// A FILE cannot become a memfs stream in place (glibc's FILE of stdout and
// a cookie FILE differ in layout), so freopen onto a mounted path is refused
// with EOPNOTSUPP and the stream is left open and untouched.
// A pooled FILE given to glibc's freopen is glibc's from then on (its
// fclose frees it).
#define MEMFS_FREOPEN(name)                                      \
  FILE* name(const char* path, const char* mode, FILE* fp) {     \
    Target t;                                                    \
    const int r = path ? path_call_fwd(path, t) : 0;             \
    if (r == 0) {                                                \
      if (pooled_cookie(fp) != nullptr) forget_stream(fp);       \
      return before_real_fd(), MEMFS_PASS(name, path, mode, fp); \
    }                                                            \
    if (r > 0) errno = EOPNOTSUPP;                               \
    return nullptr;                                              \
  }
MEMFS_FREOPEN(freopen)
MEMFS_FREOPEN(freopen64)
// A pooled FILE goes back to the pool (see the pool above); any other
// goes to glibc's fclose (a memfs stream's descriptor is closed by
// cookie_close).
int fclose(FILE* fp) {
  const auto real = MEMFS_NEXT_T(FcloseFn, fclose);
  if (Cookie* c = pooled_cookie(fp)) return close_pooled(*c, real);
  return call_next(real, fp);
}
int fileno(FILE* fp) {
  return fileno_common(fp, MEMFS_NEXT_T(FilenoFn, fileno));
}
int fileno_unlocked(FILE* fp) {
  return fileno_common(fp, MEMFS_NEXT_T(FilenoFn, fileno_unlocked));
}

}  // extern "C"
