// memfs::filebuf's transfers: the std::streambuf virtuals (underflow, xsgetn,
// pbackfail, overflow, xsputn, seekoff, sync, showmanyc) and the helpers that
// move bytes between the buffer and the File. The state they share is
// described in stream.cpp.
#include <algorithm>
#include <cstring>
#include <limits>
#include <string>
#include <system_error>

#include "memfs/streambuf.hpp"

namespace memfs {
namespace {

using Traits = std::char_traits<char>;

}  // namespace

bool filebuf::begin_write() noexcept {
  if (mode_ == Mode::writing) return true;
  if (!is_open() || !file_.mode().can_write()) {
    fail(std::make_error_code(std::errc::bad_file_descriptor));
    return false;
  }
  base_ = position();  // drops any read-ahead
  reset_areas();
  mode_ = Mode::idle;
  if (appends()) {
    // Bytes will land at the end: that is where the position is.
    std::error_code ec;
    const std::uint64_t end = file_.size(ec);
    if (ec) {
      fail(ec);
      return false;
    }
    base_ = end;
  }
  setp(buffer_, buffer_ + put_capacity());
  mode_ = Mode::writing;
  return true;
}

std::size_t filebuf::write_direct(const char* data, std::size_t n) noexcept {
  std::size_t done = 0;
  while (done < n) {
    std::error_code ec;
    const std::size_t k =
        appends() ? file_.write(data + done, n - done, ec)
                  : file_.pwrite(base_ + done, data + done, n - done, ec);
    if (!ec && k == 0)
      ec = std::make_error_code(std::errc::io_error);  // no progress
    if (ec) {
      fail(ec);
      break;
    }
    done += k;
  }
  if (appends()) {
    std::error_code ignored;
    if (done > 0) base_ = file_.tell(ignored);
  } else {
    base_ += done;
  }
  return done;
}

bool filebuf::flush_pending() noexcept {
  const auto n = static_cast<std::size_t>(pptr() - pbase());
  const std::size_t done = n == 0 ? 0 : write_direct(pbase(), n);
  // What did not reach the file moves to the front of the buffer and stays
  // pending: a failed flush drops nothing the stream accepted.
  if (done > 0 && done < n) std::memmove(buffer_, pbase() + done, n - done);
  setp(buffer_, buffer_ + put_capacity());
  pbump(static_cast<int>(n - done));
  return done == n;
}

filebuf::Fill filebuf::fill(std::uint64_t offset, std::size_t rewind) noexcept {
  reset_areas();
  mode_ = Mode::idle;
  base_ = offset;
  const std::uint64_t start = offset - rewind;
  std::error_code ec;
  const std::size_t n = file_.pread(start, buffer_, capacity_, ec);
  if (ec) {
    fail(ec);
    return Fill::error;
  }
  if (n == 0 || n < rewind) return Fill::eof;
  setg(buffer_, buffer_ + rewind, buffer_ + n);
  base_ = start;
  mode_ = Mode::reading;
  return Fill::data;
}

void filebuf::throw_read_error() const {
  throw std::ios_base::failure(
      "memfs::filebuf: cannot read '" + file_.path() + "'", error_);
}

filebuf::pos_type filebuf::seekoff(off_type off, std::ios_base::seekdir dir,
                                   std::ios_base::openmode /*which*/) {
  const pos_type bad(off_type(-1));
  if (!is_open()) return bad;
  if (dir == std::ios_base::cur && off == 0) {  // tellg/tellp: no flush
    return pos_type(static_cast<off_type>(position()));
  }
  std::uint64_t basis = 0;
  if (dir == std::ios_base::cur) {
    basis = position();
  } else if (dir == std::ios_base::end) {
    if (!go_idle()) return bad;
    std::error_code ec;
    basis = file_.size(ec);
    if (ec) {
      fail(ec);
      return bad;
    }
  }
  constexpr auto kMaxOff =
      static_cast<std::uint64_t>(std::numeric_limits<off_type>::max());
  const std::uint64_t magnitude =
      off < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(off)
              : static_cast<std::uint64_t>(off);
  if (basis > kMaxOff || (off < 0 && magnitude > basis) ||
      (off >= 0 && magnitude > kMaxOff - basis)) {
    fail(std::make_error_code(std::errc::invalid_argument));
    return bad;
  }
  const std::uint64_t target = off < 0 ? basis - magnitude : basis + magnitude;
  // Inside the read-ahead: just move gptr.
  if (mode_ == Mode::reading && target >= base_ &&
      target - base_ <= static_cast<std::uint64_t>(egptr() - eback())) {
    setg(eback(), eback() + (target - base_), egptr());
    return pos_type(static_cast<off_type>(target));
  }
  if (!go_idle()) return bad;
  base_ = target;
  return pos_type(static_cast<off_type>(target));
}

filebuf::pos_type filebuf::seekpos(pos_type pos,
                                   std::ios_base::openmode which) {
  return seekoff(off_type(pos), std::ios_base::beg, which);
}

int filebuf::sync() {
  if (mode_ == Mode::writing) {
    if (!flush_pending()) return -1;
    std::error_code ec;
    file_.flush(ec);
    if (ec) {
      fail(ec);
      return -1;
    }
  } else if (mode_ == Mode::reading) {
    (void)go_idle();  // drop the read-ahead: the next read sees the file
  }
  return 0;
}

std::streamsize filebuf::showmanyc() {
  if (!is_open() || !file_.mode().can_read()) return -1;
  if (mode_ == Mode::writing) return 0;  // unknown without flushing
  std::error_code ec;
  const std::uint64_t size = file_.size(ec);
  const std::uint64_t pos = position();
  if (ec) return 0;
  if (size <= pos) return -1;
  return static_cast<std::streamsize>(
      std::min<std::uint64_t>(size - pos, std::numeric_limits<int>::max()));
}

filebuf::int_type filebuf::underflow() {
  if (mode_ == Mode::reading && gptr() < egptr()) {
    return Traits::to_int_type(*gptr());
  }
  if (!is_open() || !file_.mode().can_read()) return Traits::eof();
  if (!go_idle()) throw_read_error();  // pending output could not be flushed
  switch (fill(base_, 0)) {
    case Fill::data:
      return Traits::to_int_type(*gptr());
    case Fill::eof:
      return Traits::eof();
    case Fill::error:
      break;
  }
  throw_read_error();
}

std::streamsize filebuf::xsgetn(char_type* s, std::streamsize n) {
  const auto want = static_cast<std::size_t>(std::max<std::streamsize>(n, 0));
  std::size_t done = 0;
  while (done < want) {
    if (mode_ == Mode::reading && gptr() < egptr()) {
      const std::size_t k =
          std::min(want - done, static_cast<std::size_t>(egptr() - gptr()));
      std::memcpy(s + done, gptr(), k);
      gbump(static_cast<int>(k));
      done += k;
      continue;
    }
    if (!is_open() || !file_.mode().can_read()) break;
    // Errors after some bytes were delivered end the call short; the next
    // read meets the error again and reports it.
    if (!go_idle()) {
      if (done > 0) break;
      throw_read_error();
    }
    if (want - done < capacity_) {
      const Fill r = fill(base_, 0);
      if (r == Fill::data) continue;
      if (r == Fill::eof || done > 0) break;
      throw_read_error();
    }
    std::error_code ec;  // big reads bypass the buffer
    const std::size_t k = file_.pread(base_, s + done, want - done, ec);
    if (ec) {
      fail(ec);
      if (done > 0) break;
      throw_read_error();
    }
    if (k == 0) break;
    base_ += k;
    done += k;
  }
  return static_cast<std::streamsize>(done);
}

filebuf::int_type filebuf::pbackfail(int_type c) {
  const bool any = Traits::eq_int_type(c, Traits::eof());
  if (mode_ != Mode::reading || gptr() == eback()) {
    // Reload a window that ends at the position, so unget works anywhere.
    if (!is_open() || !file_.mode().can_read() || !go_idle() || base_ == 0) {
      return Traits::eof();
    }
    const auto rewind = static_cast<std::size_t>(std::min<std::uint64_t>(
        base_, std::max<std::size_t>(capacity_ / 2, 1)));
    if (fill(base_, rewind) != Fill::data) return Traits::eof();
  }
  gbump(-1);
  // Putting back a different character changes what is read next (the cached
  // copy), never the file.
  if (!any) *gptr() = Traits::to_char_type(c);
  return Traits::not_eof(c);
}

filebuf::int_type filebuf::overflow(int_type c) {
  if (!begin_write()) return Traits::eof();
  const bool flush_only = Traits::eq_int_type(c, Traits::eof());
  if ((flush_only || pptr() == epptr()) && !flush_pending()) {
    return Traits::eof();
  }
  if (flush_only) return Traits::not_eof(c);
  char ch = Traits::to_char_type(c);
  if (unbuffered_) return write_direct(&ch, 1) == 1 ? c : Traits::eof();
  *pptr() = ch;
  pbump(1);
  return c;
}

std::streamsize filebuf::xsputn(const char_type* s, std::streamsize n) {
  if (n <= 0 || !begin_write()) return 0;
  const auto count = static_cast<std::size_t>(n);
  if (count <= static_cast<std::size_t>(epptr() - pptr())) {
    std::memcpy(pptr(), s, count);
    pbump(static_cast<int>(count));
    return n;
  }
  if (!flush_pending()) return 0;
  if (count >= put_capacity()) {  // big writes bypass the buffer
    return static_cast<std::streamsize>(write_direct(s, count));
  }
  std::memcpy(pptr(), s, count);
  pbump(static_cast<int>(count));
  return n;
}

}  // namespace memfs
