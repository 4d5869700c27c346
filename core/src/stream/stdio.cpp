// memfs::fopen: a glibc fopencookie(3) FILE whose cookie is a heap memfs::File.
//
// The callbacks follow the fopencookie(3) contract: read returns -1 on error,
// write returns the bytes it wrote (0 on error, never negative), seek returns
// 0/-1 and updates the offset, close returns 0/EOF and frees the cookie. Each
// failure sets errno from the memfs error.
#include "memfs/stdio.hpp"

#include <cerrno>
#include <cstdint>
#include <memory>
#include <new>
#include <string>
#include <utility>

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

File& file_of(void* cookie) noexcept { return *static_cast<File*>(cookie); }

// Reports `ec` through errno; returns whether there was an error.
bool set_errno(const std::error_code& ec) noexcept {
  if (ec) errno = to_errno(ec);
  return static_cast<bool>(ec);
}

ssize_t cookie_read(void* cookie, char* buffer, std::size_t size) noexcept {
  std::error_code ec;
  const std::size_t n = file_of(cookie).read(buffer, size, ec);
  return set_errno(ec) ? -1 : static_cast<ssize_t>(n);
}

ssize_t cookie_write(void* cookie, const char* data,
                     std::size_t size) noexcept {
  std::error_code ec;
  const std::size_t n = file_of(cookie).write(data, size, ec);
  return set_errno(ec) ? 0 : static_cast<ssize_t>(n);
}

int cookie_seek(void* cookie, off64_t* offset, int whence) noexcept {
  Whence w = Whence::set;
  switch (whence) {
    case SEEK_SET:
      break;
    case SEEK_CUR:
      w = Whence::cur;
      break;
    case SEEK_END:
      w = Whence::end;
      break;
    default:
      errno = EINVAL;
      return -1;
  }
  std::error_code ec;
  const std::uint64_t pos = file_of(cookie).seek(*offset, w, ec);
  if (set_errno(ec)) return -1;
  *offset = static_cast<off64_t>(pos);
  return 0;
}

int cookie_close(void* cookie) noexcept {
  std::error_code ec;
  file_of(cookie).close(ec);
  delete static_cast<File*>(cookie);
  return set_errno(ec) ? EOF : 0;
}

// The mode string handed to fopencookie: it only reads r/w/a and '+'.
const char* stdio_mode(const OpenMode& mode) noexcept {
  if (mode.can_read() && mode.can_write()) return mode.appends() ? "a+" : "r+";
  if (mode.can_write()) return mode.appends() ? "a" : "w";
  return "r";
}

// Drops glibc's extension letters, which mean nothing for a memfs file.
std::string strip_extensions(std::string_view mode) {
  std::string out(mode.substr(0, 1));
  for (char c : mode.substr(mode.empty() ? 0 : 1)) {
    if (c != 'e' && c != 'm' && c != 'c') out += c;
  }
  return out;
}

}  // namespace

std::FILE* fopen(FileSystem& fs, std::string_view path,
                 const char* mode) noexcept {
  try {
    const OpenMode open_mode(strip_extensions(mode == nullptr ? "" : mode));
    if (!open_mode.valid()) {
      errno = EINVAL;
      return nullptr;
    }
    std::error_code ec;
    auto file = std::make_unique<File>(fs.open(path, open_mode, ec));
    if (!ec && open_mode.appends()) file->seek(0, Whence::end, ec);
    if (set_errno(ec)) return nullptr;
    static const cookie_io_functions_t kFunctions{cookie_read, cookie_write,
                                                  cookie_seek, cookie_close};
    std::FILE* f = ::fopencookie(file.get(), stdio_mode(open_mode), kFunctions);
    if (f == nullptr) {
      const int saved = errno;  // closing the File must not change it
      file.reset();
      errno = saved;
      return nullptr;
    }
    (void)file.release();  // now owned by the FILE
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
