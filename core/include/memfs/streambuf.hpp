// memfs/streambuf.hpp — memfs::filebuf, a std::streambuf over a memfs File.
//
// memfs::filebuf is to a memfs::FileSystem what std::filebuf is to the OS: a
// buffered std::streambuf on one open file, working on any backend
// (MemoryFileSystem, DiskFileSystem, yours). Most users never name it: the
// streams in stream.hpp (memfs::ifstream, ofstream, fstream) own one. Use it
// directly to hand a std::streambuf* to code that wants one.
//
// ```cpp
// memfs::MemoryFileSystem fs;
// memfs::filebuf buf;
// if (buf.open(fs, "/log.txt", std::ios_base::out | std::ios_base::app)) {
//   std::ostream os(&buf);
//   os << "started\n";
// }
// buf.close();
// EXPECT_EQ(fs.read_file("/log.txt"), "started\n");
// ```
//
// Open modes follow std::basic_filebuf::open exactly (binary is ignored, as
// on POSIX, because memfs files are bytes; no locale conversion is done):
//
//   | ios_base flags (binary ignored) | fopen mode |
//   |---------------------------------|------------|
//   | in                              | "r"        |
//   | out, out|trunc                  | "w"        |
//   | out|app, app                    | "a"        |
//   | in|out                          | "r+"       |
//   | in|out|trunc                    | "w+"       |
//   | in|out|app, in|app              | "a+"       |
//
// Any other combination fails the open (error() = invalid_argument). `ate`
// may be added to any of them: the position moves to the end after opening.
//
// Positions in append modes are libstdc++'s: opened with app but without in
// ("a") the position starts at the end of the file (tellp() is its size),
// with in|app ("a+") at 0. Every flush lands at the current end of the file
// and moves the position there; until then tellp() counts the pending bytes
// from where the stream was (after seekp(2) and one byte written, tellp() is
// 3, and the byte still goes to the end). A relative seek flushes first, so
// it counts from the end of the file, as libstdc++'s does.
//
// A directory opens in the read-only modes (in, in|binary), as libstdc++
// opens one on Linux: is_open() is true, the first read fails (underflow
// throws std::ios_base::failure with is_a_directory, so an istream sets
// badbit), seeking to a position works and seeking from the end fails
// (invalid_argument, as tmpfs's lseek), so in|ate does not open it. Modes
// that write fail with is_a_directory.
//
// Buffering: one buffer (kDefaultBufferSize unless the constructor or
// pubsetbuf says otherwise) serves reads and writes. Reads and writes may
// alternate freely without a seek in between (unlike std::filebuf, where that
// is undefined): switching to reading flushes pending output first, switching
// to writing drops the read-ahead. Transfers of at least a buffer's size
// bypass the buffer. Seeking flushes pending output; tellg/tellp do not.
// putback/unget work anywhere in the file (the buffer is refilled backwards
// when needed); past the end of the file they fail and, as with libstdc++,
// the position steps back one byte.
//
// Errors (error() keeps the std::error_code of the most recent failure, like
// errno: a later success does not reset it; a successful open does):
//   - open failure: open() returns nullptr (the stream sets failbit).
//   - a failing write (quota exceeded, injected fault, lock timeout, ...):
//     overflow() returns eof and sync() returns -1, so the stream sets badbit
//     (and throws std::ios_base::failure if its exception mask has badbit).
//   - a failing read: underflow() throws std::ios_base::failure whose code()
//     is the error, as libstdc++'s std::filebuf does; the istream turns that
//     into badbit (and rethrows it if the mask has badbit).
//   - a failing seek (including the flush before it): pos_type(-1), failbit.
//
// A failed flush loses no data that was reported as written: bytes that
// reached the file stay there; the bytes that did not stay in the buffer, in
// order, and the next flush (sync, overflow, seek, close) retries them. So
// after freeing space, `os.clear(); os.flush();` completes the file. Until
// then the file holds exactly the prefix that was flushed successfully, never
// a partial or garbled write. A write larger than the buffer goes straight to
// the file; if it fails, the count it returns (and the stream's badbit) says
// how much of it is on the file.
//
// close() flushes first; if that flush fails, close() returns nullptr and the
// file STAYS OPEN with its pending bytes, so the caller may free space and
// close again (std::filebuf would drop them). The destructor closes
// regardless and drops whatever could not be written.
//
// Thread-safety: like std::filebuf, one filebuf is used by one thread at a
// time. Lifetime: close or destroy it before the FileSystem it opened from.
#pragma once

#include <cstddef>
#include <cstdint>
#include <ios>
#include <memory>
#include <streambuf>
#include <string>
#include <string_view>
#include <system_error>

#include "memfs/file.hpp"
#include "memfs/path.hpp"

namespace memfs {

class FileSystem;

/// Buffer size of a filebuf unless told otherwise: 64 KiB.
inline constexpr std::size_t kDefaultBufferSize = std::size_t{64} << 10;

/// Translates std::ios_base::openmode to an OpenMode by the table at the top
/// of this file (`ate` and `binary` are ignored). An unsupported combination
/// gives an invalid OpenMode (OpenMode::valid() is false).
[[nodiscard]] OpenMode to_open_mode(std::ios_base::openmode mode) noexcept;

/// A std::streambuf reading and writing a memfs File. See the top of this
/// file.
class filebuf final : public std::streambuf {
 public:
  /// A closed filebuf that will use a buffer of `buffer_size` bytes
  /// (0 = unbuffered: every write goes to the file at once).
  explicit filebuf(std::size_t buffer_size = kDefaultBufferSize);
  /// Moves the open file, the buffer and its contents; `other` is left closed.
  filebuf(filebuf&& other) noexcept;
  /// Closes this one (dropping unwritable data), then moves as above.
  filebuf& operator=(filebuf&& other) noexcept;
  filebuf(const filebuf&) = delete;
  filebuf& operator=(const filebuf&) = delete;
  /// Flushes and closes, ignoring errors (call close() to see them).
  ~filebuf() override;

  /// Exchanges the state of two filebufs.
  void swap(filebuf& other) noexcept;

  /// Opens `path` on `fs` with `mode` (see the table at the top; a directory
  /// opens for reading only, see above). Returns this, or nullptr when
  /// already open, when the mode is unsupported (invalid_argument) or when
  /// FileSystem::open fails (its error). error() is cleared on success and
  /// says why on failure.
  ///
  /// ```cpp
  /// memfs::MemoryFileSystem fs;
  /// memfs::filebuf buf;
  /// if (!buf.open(fs, "/in.csv", std::ios_base::in)) {
  ///   EXPECT_EQ(buf.error(), std::errc::no_such_file_or_directory);
  /// }
  /// ```
  filebuf* open(FileSystem& fs, std::string_view path,
                std::ios_base::openmode mode);

  /// As above, for a std::filesystem::path.
  template <class Path, detail::if_std_path<Path> = 0>
  filebuf* open(FileSystem& fs, const Path& path,
                std::ios_base::openmode mode) {
    return open(fs, std::string_view(path.string()), mode);
  }

  /// True between a successful open() and a successful close().
  [[nodiscard]] bool is_open() const noexcept {
    return file_.is_open() || !directory_.empty();
  }

  /// Flushes pending output and closes the file. Returns this, or nullptr when
  /// not open, when the flush failed (the file then stays open with the
  /// unwritten bytes, see the top of this file) or when closing the file
  /// reported an error (the file is closed anyway).
  filebuf* close();

  /// The std::error_code of the most recent failure, or a default (success)
  /// code if nothing failed since the last successful open().
  [[nodiscard]] std::error_code error() const noexcept { return error_; }

  /// The normalized path of the open file or directory ("" when closed).
  [[nodiscard]] const std::string& path() const noexcept {
    return directory_.empty() ? file_.path() : directory_;
  }

 protected:
  /// pubsetbuf(s, n): flushes pending output, then uses s[0, n) as the
  /// buffer (owned by the caller, who keeps it alive); (nullptr, 0) makes the
  /// filebuf unbuffered; (nullptr, n) switches to an owned n-byte buffer.
  /// Returns nullptr (and changes nothing) if the flush fails.
  std::streambuf* setbuf(char_type* s, std::streamsize n) override;
  pos_type seekoff(off_type off, std::ios_base::seekdir dir,
                   std::ios_base::openmode which) override;
  pos_type seekpos(pos_type pos, std::ios_base::openmode which) override;
  int sync() override;
  std::streamsize showmanyc() override;
  int_type underflow() override;
  int_type pbackfail(int_type c) override;
  std::streamsize xsgetn(char_type* s, std::streamsize n) override;
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char_type* s, std::streamsize n) override;

 private:
  enum class Mode : unsigned char { idle, reading, writing };

  enum class Fill : unsigned char { data, eof, error };

  filebuf* open_directory(FileSystem& fs, std::string_view path,
                          std::ios_base::openmode mode, std::error_code ec);
  [[nodiscard]] std::uint64_t position() const noexcept;
  [[nodiscard]] bool readable() const noexcept;
  [[nodiscard]] bool appends() const noexcept;
  [[nodiscard]] std::size_t put_capacity() const noexcept;
  bool ensure_buffer() noexcept;
  bool go_idle() noexcept;
  bool begin_write() noexcept;
  bool flush_pending() noexcept;
  [[nodiscard]] std::size_t write_direct(const char* data,
                                         std::size_t n) noexcept;
  Fill fill(std::uint64_t offset, std::size_t rewind) noexcept;
  [[noreturn]] void throw_read_error() const;
  [[noreturn]] void throw_directory_read_error();
  void discard_and_close() noexcept;
  void reset_areas() noexcept;
  void fail(std::error_code ec) noexcept { error_ = ec; }

  File file_;
  // The normalized path of a directory open for reading (see open()); empty
  // otherwise.
  std::string directory_;
  std::unique_ptr<char[]> owned_;  // the buffer, unless the user gave one
  char* buffer_ = nullptr;         // owned_.get() or the user's buffer
  std::size_t capacity_;           // bytes in buffer_ (1 when unbuffered)
  bool unbuffered_ = false;
  Mode mode_ = Mode::idle;
  // File offset of eback() when reading, of pbase() when writing, and the
  // position itself when idle.
  std::uint64_t base_ = 0;
  std::error_code error_;
};

/// Exchanges two filebufs (std::swap-style free function).
inline void swap(filebuf& a, filebuf& b) noexcept { a.swap(b); }

}  // namespace memfs
