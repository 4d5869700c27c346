// memfs/stream.hpp — memfs::ifstream, memfs::ofstream, memfs::fstream.
//
// The std file streams, over any memfs::FileSystem. They derive from
// std::istream / std::ostream / std::iostream, so code that takes a
// `std::istream&` or `std::ostream&` runs on them unchanged:
//
// ```cpp
// memfs::MemoryFileSystem fs;
// {
//   memfs::ofstream out(fs, "/report.csv");
//   out << "name,score\n" << "ada," << 42 << '\n';
// }                                          // flushed and closed
// memfs::ifstream in(fs, "/report.csv");
// std::string header;
// std::getline(in, header);
// EXPECT_EQ(header, "name,score");
// ```
//
// They mirror std::basic_ifstream & co.: a constructor and open() taking
// (FileSystem&, path, std::ios_base::openmode), where the path is a string
// (a literal, const char*, std::string, std::string_view) or a
// std::filesystem::path, is_open(), close(), rdbuf()
// returning the memfs::filebuf they own, move and swap. The openmode table,
// buffering, seeking and error semantics are those of memfs::filebuf
// (streambuf.hpp); in short:
//
//   - open failures set failbit (error() says why: not found, bad mode, lock
//     timeout, ...);
//   - write failures (quota exceeded, injected faults, lock timeouts) set
//     badbit at the point of failure, a flush of a full buffer included, and
//     throw std::ios_base::failure if exceptions() asks for badbit;
//   - read failures set badbit and, if exceptions() asks for it, rethrow the
//     filebuf's std::ios_base::failure, whose code() is the memfs error;
//   - error() returns the std::error_code of the most recent failure;
//   - a failed flush keeps the unwritten bytes: free space, clear(), flush().
//
// ```cpp
// memfs::MemoryOptions small;
// small.max_quota = 1000;
// memfs::MemoryFileSystem fs(small);
// const std::string data(4000, 'x');
// memfs::ofstream out(fs, "/big.bin", std::ios_base::binary);
// out.write(data.data(), static_cast<std::streamsize>(data.size()));
// EXPECT_TRUE(!out.flush() && out.error() == std::errc::no_space_on_device);
// ```
//
// The buffer is 64 KiB; change it before the first transfer with
// `s.rdbuf()->pubsetbuf(nullptr, bytes)` (0 bytes = unbuffered).
//
// Thread-safety: as for the std streams, one stream per thread at a time.
// Lifetime: destroy or close a stream before the FileSystem it opened from.
#pragma once

#include <ios>
#include <istream>
#include <ostream>
#include <string_view>
#include <system_error>
#include <utility>

#include "memfs/streambuf.hpp"

namespace memfs {

class FileSystem;

namespace detail {

/// The shared body of ifstream, ofstream and fstream. `kDefaultMode` is the
/// mode when none is given; `kAddedMode` is or-ed into every mode (in for
/// ifstream, out for ofstream, nothing for fstream), as the std classes do.
template <class Stream, std::ios_base::openmode kDefaultMode,
          std::ios_base::openmode kAddedMode>
class FileStream final : public Stream {
 public:
  /// A stream with no file open.
  FileStream() : Stream(&buf_) {}

  /// Opens `path` on `fs`; on failure the stream has failbit set and error()
  /// says why.
  explicit FileStream(FileSystem& fs, std::string_view path,
                      std::ios_base::openmode mode = kDefaultMode)
      : Stream(&buf_) {
    open(fs, path, mode);
  }

  /// As above, for a std::filesystem::path.
  template <class Path, detail::if_std_path<Path> = 0>
  explicit FileStream(FileSystem& fs, const Path& path,
                      std::ios_base::openmode mode = kDefaultMode)
      : Stream(&buf_) {
    open(fs, std::string_view(path.string()), mode);
  }

  FileStream(FileStream&& other)
      : Stream(std::move(other)), buf_(std::move(other.buf_)) {
    this->set_rdbuf(&buf_);
  }
  FileStream& operator=(FileStream&& other) {
    Stream::operator=(std::move(other));
    buf_ = std::move(other.buf_);
    return *this;
  }
  FileStream(const FileStream&) = delete;
  FileStream& operator=(const FileStream&) = delete;
  ~FileStream() override = default;

  /// Exchanges stream state and files.
  void swap(FileStream& other) {
    Stream::swap(other);
    buf_.swap(other.buf_);
  }
  friend void swap(FileStream& a, FileStream& b) { a.swap(b); }

  /// The owned filebuf (as std::basic_ifstream::rdbuf, const and non-const).
  [[nodiscard]] filebuf* rdbuf() const noexcept {
    return const_cast<filebuf*>(&buf_);
  }

  /// True while a file is open.
  [[nodiscard]] bool is_open() const noexcept { return buf_.is_open(); }

  /// Opens `path` on `fs`. Success clears the stream state; failure (already
  /// open, unsupported mode, or any FileSystem::open error) sets failbit.
  void open(FileSystem& fs, std::string_view path,
            std::ios_base::openmode mode = kDefaultMode) {
    if (buf_.open(fs, path, mode | kAddedMode) != nullptr) {
      this->clear();
    } else {
      this->setstate(std::ios_base::failbit);
    }
  }

  /// As above, for a std::filesystem::path.
  template <class Path, detail::if_std_path<Path> = 0>
  void open(FileSystem& fs, const Path& path,
            std::ios_base::openmode mode = kDefaultMode) {
    open(fs, std::string_view(path.string()), mode);
  }

  /// Flushes and closes; sets failbit on failure. If the flush failed, the
  /// file stays open with the unwritten bytes (see filebuf::close()).
  void close() {
    if (buf_.close() == nullptr) this->setstate(std::ios_base::failbit);
  }

  /// The std::error_code of the most recent failure (see filebuf::error()).
  [[nodiscard]] std::error_code error() const noexcept { return buf_.error(); }

 private:
  filebuf buf_;
};

}  // namespace detail

// Like std::ifstream & co., the three streams are names for one template (a
// class deriving from it could not be moved: the virtual std::basic_ios base
// has no move constructor).

/// Input file stream over a memfs FileSystem (mode: in, always added).
///
/// ```cpp
/// memfs::MemoryFileSystem fs;
/// fs.write_file("/config.ini", "a=1\nb=2\n");
/// memfs::ifstream in(fs, "/config.ini");
/// std::vector<std::string> lines;
/// for (std::string line; std::getline(in, line);) lines.push_back(line);
/// EXPECT_FALSE(in.bad()) << in.error().message();
/// EXPECT_EQ(lines, (std::vector<std::string>{"a=1", "b=2"}));
/// ```
using ifstream =
    detail::FileStream<std::istream, std::ios_base::in, std::ios_base::in>;

/// Output file stream over a memfs FileSystem (mode: out, always added;
/// truncates unless app or in is given, as std::ofstream).
///
/// ```cpp
/// memfs::MemoryFileSystem fs;
/// fs.write_file("/log.txt", "event 1\n");
/// {
///   memfs::ofstream out(fs, "/log.txt", std::ios_base::app);
///   out << "event " << 2 << '\n';
/// }
/// EXPECT_EQ(fs.read_file("/log.txt"), "event 1\nevent 2\n");
/// ```
using ofstream =
    detail::FileStream<std::ostream, std::ios_base::out, std::ios_base::out>;

/// Input/output file stream over a memfs FileSystem (default mode in|out,
/// which needs an existing file; add trunc to create one). Reads and writes
/// may alternate without seeks in between.
///
/// ```cpp
/// memfs::MemoryFileSystem fs;
/// memfs::fstream db(fs, "/db", std::ios_base::in | std::ios_base::out |
///                               std::ios_base::trunc);
/// db << "key=value\n";
/// db.seekg(0);
/// std::string line;
/// std::getline(db, line);
/// EXPECT_EQ(line, "key=value");
/// ```
using fstream =
    detail::FileStream<std::iostream, std::ios_base::in | std::ios_base::out,
                       std::ios_base::openmode{}>;

}  // namespace memfs
