// memfs::filebuf: the buffered std::streambuf behind memfs's iostreams.
//
// One buffer serves both directions; `mode_` says which area is live and
// `base_` is the file offset of its first byte. Writes go out with pwrite at
// `base_` (or File::write in append modes, which lands at the end), reads come
// in with pread, so the File's own cursor matters only for appends.
#include <algorithm>
#include <new>
#include <string>
#include <system_error>
#include <utility>

#include "memfs/file_system.hpp"
#include "memfs/streambuf.hpp"

namespace memfs {
namespace {

// gbump/pbump take an int, so a buffer never exceeds 1 GiB.
constexpr std::size_t kMaxBuffer = std::size_t{1} << 30;

std::size_t clamp_capacity(std::size_t n) noexcept {
  return std::min(std::max<std::size_t>(n, 1), kMaxBuffer);
}

}  // namespace

OpenMode to_open_mode(std::ios_base::openmode mode) noexcept {
  using std::ios_base;
  const ios_base::openmode m = mode & ~(ios_base::ate | ios_base::binary);
  const ios_base::openmode in = ios_base::in, out = ios_base::out,
                           trunc = ios_base::trunc, app = ios_base::app;
  if (m == in) return OpenMode("r");
  if (m == out || m == (out | trunc)) return OpenMode("w");
  if (m == (out | app) || m == app) return OpenMode("a");
  if (m == (in | out)) return OpenMode("r+");
  if (m == (in | out | trunc)) return OpenMode("w+");
  if (m == (in | out | app) || m == (in | app)) return OpenMode("a+");
  return OpenMode::from_flags(0);  // neither read nor write: invalid
}

filebuf::filebuf(std::size_t buffer_size)
    : capacity_(clamp_capacity(buffer_size)), unbuffered_(buffer_size == 0) {}

filebuf::filebuf(filebuf&& other) noexcept
    : std::streambuf(other),  // copies the area pointers and the locale
      file_(std::move(other.file_)),
      owned_(std::move(other.owned_)),
      buffer_(std::exchange(other.buffer_, nullptr)),
      capacity_(other.capacity_),
      unbuffered_(other.unbuffered_),
      mode_(std::exchange(other.mode_, Mode::idle)),
      base_(std::exchange(other.base_, 0)),
      error_(other.error_) {
  other.reset_areas();
}

filebuf& filebuf::operator=(filebuf&& other) noexcept {
  if (this != &other) {
    discard_and_close();
    filebuf tmp(std::move(other));
    swap(tmp);
  }
  return *this;
}

filebuf::~filebuf() { discard_and_close(); }

void filebuf::swap(filebuf& other) noexcept {
  std::streambuf::swap(other);
  std::swap(file_, other.file_);
  std::swap(owned_, other.owned_);
  std::swap(buffer_, other.buffer_);
  std::swap(capacity_, other.capacity_);
  std::swap(unbuffered_, other.unbuffered_);
  std::swap(mode_, other.mode_);
  std::swap(base_, other.base_);
  std::swap(error_, other.error_);
}

filebuf* filebuf::open(FileSystem& fs, std::string_view path,
                       std::ios_base::openmode mode) {
  if (is_open()) {
    fail(std::make_error_code(std::errc::device_or_resource_busy));
    return nullptr;
  }
  const OpenMode open_mode = to_open_mode(mode);
  if (!open_mode.valid()) {
    fail(std::make_error_code(std::errc::invalid_argument));
    return nullptr;
  }
  if (!ensure_buffer()) return nullptr;
  std::error_code ec;
  File file = fs.open(path, open_mode, ec);
  std::uint64_t start = 0;
  if (!ec && (mode & std::ios_base::ate)) start = file.size(ec);
  if (ec) {
    std::error_code ignored;
    file.close(ignored);
    fail(ec);
    return nullptr;
  }
  file_ = std::move(file);
  reset_areas();
  mode_ = Mode::idle;
  base_ = start;
  error_.clear();
  return this;
}

filebuf* filebuf::close() {
  if (!is_open()) {
    fail(std::make_error_code(std::errc::bad_file_descriptor));
    return nullptr;
  }
  if (!go_idle()) return nullptr;  // keeps the file open and the bytes
  std::error_code ec;
  file_.close(ec);
  base_ = 0;
  if (ec) {
    fail(ec);
    return nullptr;
  }
  return this;
}

void filebuf::discard_and_close() noexcept {
  if (is_open()) {
    (void)go_idle();
    std::error_code ignored;
    file_.close(ignored);
  }
  reset_areas();
  mode_ = Mode::idle;
  base_ = 0;
}

void filebuf::reset_areas() noexcept {
  setg(nullptr, nullptr, nullptr);
  setp(nullptr, nullptr);
}

bool filebuf::ensure_buffer() noexcept {
  if (buffer_ != nullptr) return true;
  owned_.reset(new (std::nothrow) char[capacity_]);
  buffer_ = owned_.get();
  if (buffer_ == nullptr)
    fail(std::make_error_code(std::errc::not_enough_memory));
  return buffer_ != nullptr;
}

bool filebuf::appends() const noexcept { return file_.mode().appends(); }

std::size_t filebuf::put_capacity() const noexcept {
  return unbuffered_ ? 0 : capacity_;
}

std::uint64_t filebuf::position() const noexcept {
  switch (mode_) {
    case Mode::reading:
      return base_ + static_cast<std::uint64_t>(gptr() - eback());
    case Mode::writing:
      return base_ + static_cast<std::uint64_t>(pptr() - pbase());
    case Mode::idle:
      break;
  }
  return base_;
}

bool filebuf::go_idle() noexcept {
  if (mode_ == Mode::writing && !flush_pending()) return false;
  base_ = position();
  reset_areas();
  mode_ = Mode::idle;
  return true;
}

std::streambuf* filebuf::setbuf(char_type* s, std::streamsize n) {
  if (!go_idle()) return nullptr;
  const bool unbuffered = n <= 0;
  const std::size_t capacity =
      clamp_capacity(unbuffered ? 0 : static_cast<std::size_t>(n));
  char* buffer = unbuffered ? nullptr : s;
  std::unique_ptr<char[]> owned;
  if (buffer == nullptr && is_open()) {
    owned.reset(new (std::nothrow) char[capacity]);
    if (!owned) {
      fail(std::make_error_code(std::errc::not_enough_memory));
      return nullptr;
    }
    buffer = owned.get();
  }
  owned_ = std::move(owned);
  buffer_ = buffer;
  capacity_ = capacity;
  unbuffered_ = unbuffered;
  return this;
}

}  // namespace memfs
