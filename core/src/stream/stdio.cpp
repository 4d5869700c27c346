// memfs::fopen: a glibc fopencookie(3) FILE whose cookie owns a memfs::File.
//
// The callbacks follow the fopencookie(3) contract: read returns -1 on error,
// write returns the bytes it wrote (0 on error, never negative), seek returns
// 0/-1 and updates the offset, close returns 0/EOF and frees the cookie. Each
// failure sets errno from the memfs error.
#include "memfs/stdio.hpp"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <utility>

#include "api/mode_letter.hpp"
#include "memfs/file_system.hpp"

namespace memfs {

int to_errno(const std::error_code& ec) noexcept {
  if (!ec) return 0;
  const std::error_category& cat = ec.category();
  if (cat == std::generic_category() || cat == std::system_category()) {
    return ec.value();
  }
  constexpr std::pair<std::errc, int> kEquivalents[] = {
      {std::errc::no_space_on_device, ENOSPC},
      {std::errc::resource_unavailable_try_again, EAGAIN},
      {std::errc::not_enough_memory, ENOMEM},
      {std::errc::io_error, EIO},
  };
  for (const auto& [condition, value] : kEquivalents) {
    if (ec == condition) return value;
  }
  const std::error_condition cond = ec.default_error_condition();
  if (cond.category() == std::generic_category() && cond.value() != 0) {
    return cond.value();
  }
  return EIO;
}

#if MEMFS_HAS_FOPEN
namespace {

// The cookie memfs::fopencookie hands to glibc: the caller's cookie and
// callbacks, and the FILE they serve.
//
// glibc's cookie layer has a defect that a bare fopencookie stream shows too:
// stdio caches the file offset in FILE::_offset, and the generic code relies
// on the write primitive to advance it (_IO_new_file_write does `_offset +=
// written`), but the cookie write (_IO_cookie_write) does not. After a flush
// the cache is therefore short by the bytes just written, and fseek(SEEK_CUR)
// and ftell, which start from the cache, land that many bytes early (a
// 100,000-byte file opened "r+": write 100 bytes at 1000, 6 at 50000,
// fseek(+10, SEEK_CUR): a real FILE* is at 50016, a bare cookie FILE at 50010,
// and the next write goes there). The seek callback cannot repair this: it is
// handed the wrong absolute SEEK_SET target and cannot tell it from a right
// one; nor can the bridge flush before a relative seek, as it never sees
// fseek. So the write callback marks the cache unknown (_IO_pos_BAD, -1) once
// it has written: glibc then asks the cookie (seek 0, SEEK_CUR), whose file
// position is always right; this is the path glibc itself takes for append
// streams and right after every cookie seek. Reads need nothing: glibc
// advances the cache itself after a read. Unknown rather than `+= written`
// keeps this right should a later glibc advance the cache for cookies too.
// _offset is a field of the public struct _IO_FILE (bits/types/struct_FILE.h);
// gnulib's fseeko sets it the same way.
struct Repaired {
  void* cookie;
  cookie_io_functions_t io;
  std::FILE* stream = nullptr;  // set right after ::fopencookie
};

ssize_t repaired_read(void* c, char* buffer, std::size_t size) noexcept {
  auto& r = *static_cast<Repaired*>(c);
  return r.io.read ? r.io.read(r.cookie, buffer, size) : -1;
}

ssize_t repaired_write(void* c, const char* data, std::size_t size) noexcept {
  auto& r = *static_cast<Repaired*>(c);
  const ssize_t n = r.io.write ? r.io.write(r.cookie, data, size) : 0;
  if (r.stream != nullptr) r.stream->_offset = -1;  // see Repaired
  return n;
}

int repaired_seek(void* c, off64_t* offset, int whence) noexcept {
  auto& r = *static_cast<Repaired*>(c);
  return r.io.seek ? r.io.seek(r.cookie, offset, whence) : -1;
}

int repaired_close(void* c) noexcept {
  auto* r = static_cast<Repaired*>(c);
  const int result = r->io.close ? r->io.close(r->cookie) : 0;
  delete r;
  return result;
}

// The cookie of a FILE on a memfs file.
struct FileCookie {
  File file;
};

FileCookie& cookie_of(void* cookie) noexcept {
  return *static_cast<FileCookie*>(cookie);
}

// Reports `ec` through errno; returns whether there was an error.
bool set_errno(const std::error_code& ec) noexcept {
  if (ec) errno = to_errno(ec);
  return static_cast<bool>(ec);
}

ssize_t cookie_read(void* cookie, char* buffer, std::size_t size) noexcept {
  std::error_code ec;
  const std::size_t n = cookie_of(cookie).file.read(buffer, size, ec);
  return set_errno(ec) ? -1 : static_cast<ssize_t>(n);
}

ssize_t cookie_write(void* cookie, const char* data,
                     std::size_t size) noexcept {
  std::error_code ec;
  const std::size_t n = cookie_of(cookie).file.write(data, size, ec);
  return set_errno(ec) ? 0 : static_cast<ssize_t>(n);
}

// SEEK_* as a Whence; false (errno EINVAL) for anything else.
bool to_whence(int whence, Whence& w) noexcept {
  switch (whence) {
    case SEEK_SET:
      w = Whence::set;
      return true;
    case SEEK_CUR:
      w = Whence::cur;
      return true;
    case SEEK_END:
      w = Whence::end;
      return true;
    default:
      errno = EINVAL;
      return false;
  }
}

int cookie_seek(void* cookie, off64_t* offset, int whence) noexcept {
  Whence w = Whence::set;
  if (!to_whence(whence, w)) return -1;
  std::error_code ec;
  const std::uint64_t pos = cookie_of(cookie).file.seek(*offset, w, ec);
  if (set_errno(ec)) return -1;
  *offset = static_cast<off64_t>(pos);
  return 0;
}

int cookie_close(void* cookie) noexcept {
  std::error_code ec;
  cookie_of(cookie).file.close(ec);
  delete static_cast<FileCookie*>(cookie);
  return set_errno(ec) ? EOF : 0;
}

// A FILE on a directory, as glibc's fopen(directory, "r") gives: open(2)
// allows a read-only open, every read fails with EISDIR, and seeking follows
// tmpfs's directory lseek (SEEK_SET/SEEK_CUR to any offset >= 0, SEEK_END
// refused with EINVAL). The cookie is the position.
ssize_t directory_read(void* /*cookie*/, char* /*buffer*/,
                       std::size_t /*size*/) noexcept {
  errno = EISDIR;
  return -1;
}

int directory_seek(void* cookie, off64_t* offset, int whence) noexcept {
  auto& position = *static_cast<off64_t*>(cookie);
  Whence w = Whence::set;
  if (!to_whence(whence, w)) return -1;
  const off64_t base = w == Whence::cur ? position : 0;
  if (w == Whence::end || *offset < -base) {
    errno = EINVAL;
    return -1;
  }
  position = base + *offset;
  *offset = position;
  return 0;
}

int directory_close(void* cookie) noexcept {
  delete static_cast<off64_t*>(cookie);
  return 0;
}

// Reads a mode string as glibc's fopen does (_IO_new_file_fopen in
// libio/fileops.c): the first character must be 'r', 'w' or 'a'; of the next
// six, '+' adds reading and writing, 'x' O_EXCL, and anything else ('b', 'e',
// 'm', 'c', letters glibc does not know) is ignored; NUL ends the mode. O_EXCL
// without O_CREAT ("rx", "r+x") means nothing on Linux. An invalid OpenMode for
// what glibc refuses (EINVAL), and for ",ccs=" conversions, which would need a
// wide-character stream this bridge does not make.
}  // namespace

OpenMode fopen_mode(const char* mode) noexcept {
  const OpenMode invalid = OpenMode::from_flags(0);
  if (mode == nullptr || std::strstr(mode, ",ccs=") != nullptr) return invalid;
  unsigned flags = detail::mode_letter_flags(mode[0]);
  if (flags == 0) return invalid;
  for (int i = 1; i < 7 && mode[i] != '\0'; ++i) {
    if (mode[i] == '+') flags |= OpenMode::read | OpenMode::write;
    if (mode[i] == 'x' && (flags & OpenMode::create) != 0) {
      flags |= OpenMode::exclusive;
    }
  }
  return OpenMode::from_flags(flags);
}

namespace {

// The mode string handed to glibc's fopencookie: it only reads r/w/a and '+'.
const char* stdio_mode(const OpenMode& mode) noexcept {
  if (mode.can_read() && mode.can_write()) return mode.appends() ? "a+" : "r+";
  if (mode.can_write()) return mode.appends() ? "a" : "w";
  return "r";
}

// fopen() of a directory: a read-only mode opens it (see directory_read);
// nullptr with errno set otherwise, or if it is not a directory after all.
std::FILE* open_directory(FileSystem& fs, std::string_view path,
                          const OpenMode& mode, const std::error_code& ec) {
  std::error_code stat_ec;
  if (ec != std::errc::is_a_directory || mode.can_write() ||
      !fs.is_directory(path, stat_ec)) {
    set_errno(ec);
    return nullptr;
  }
  auto position = std::make_unique<off64_t>(0);
  static const cookie_io_functions_t kFunctions{
      directory_read, nullptr, directory_seek, directory_close};
  std::FILE* f = memfs::fopencookie(position.get(), "r", kFunctions);
  if (f != nullptr) (void)position.release();  // now owned by the FILE
  return f;
}

}  // namespace

std::FILE* fopencookie(void* cookie, const char* mode,
                       cookie_io_functions_t io) noexcept {
  const OpenMode open_mode = fopen_mode(mode);
  if (!open_mode.valid()) {
    errno = EINVAL;
    return nullptr;
  }
  auto* repaired = new (std::nothrow) Repaired{cookie, io};
  if (repaired == nullptr) {
    errno = ENOMEM;
    return nullptr;
  }
  static const cookie_io_functions_t kRepaired{repaired_read, repaired_write,
                                               repaired_seek, repaired_close};
  std::FILE* f = ::fopencookie(repaired, stdio_mode(open_mode), kRepaired);
  if (f == nullptr) {
    delete repaired;
    return nullptr;
  }
  repaired->stream = f;
  return f;
}

std::FILE* fopen(FileSystem& fs, std::string_view path,
                 const char* mode) noexcept {
  try {
    const OpenMode open_mode = fopen_mode(mode);
    if (!open_mode.valid()) {
      errno = EINVAL;
      return nullptr;
    }
    std::error_code ec;
    auto cookie = std::make_unique<FileCookie>();
    cookie->file = fs.open(path, open_mode, ec);
    if (ec) return open_directory(fs, path, open_mode, ec);
    // Like glibc, only "a" starts at the end; "a+" reads from the start.
    if (open_mode.appends() && !open_mode.can_read()) {
      cookie->file.seek(0, Whence::end, ec);
      if (set_errno(ec)) return nullptr;
    }
    static const cookie_io_functions_t kFunctions{cookie_read, cookie_write,
                                                  cookie_seek, cookie_close};
    std::FILE* f = memfs::fopencookie(cookie.get(), mode, kFunctions);
    if (f == nullptr) {
      const int saved = errno;  // closing the File must not change it
      cookie.reset();
      errno = saved;
      return nullptr;
    }
    (void)cookie.release();  // now owned by the FILE
    return f;
  } catch (const std::bad_alloc&) {
    errno = ENOMEM;
  } catch (...) {
    errno = EIO;
  }
  return nullptr;
}
#endif

}  // namespace memfs
