// A size-rotated log: lines go to <dir>/<name>; when the next line would push
// that file past max_bytes, the files shift (name -> name.1 -> name.2 ...) and
// the oldest beyond `keep` is deleted. Works on any memfs::FileSystem, so
// production passes a DiskFileSystem and tests a MemoryFileSystem.
//
// The promise the tests hold it to: append() reports every line honestly.
// A line it accepted is in exactly one file, once; a line it refused is in
// none. Whatever fails — a full disk while writing, a rename refused halfway
// through a rotation, a short write — no accepted line is lost or
// duplicated (except, by design, lines in files rotated out beyond `keep`).
//
//     example::RotatingLog log(fs, {"/var/log/app", "app.log", 1 << 20, 5});
//     if (std::error_code ec = log.append("started")) report(ec);
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "memfs/file.hpp"
#include "memfs/file_system.hpp"

namespace example {

class RotatingLog {
 public:
  struct Options {
    std::string dir = "/logs";
    std::string name = "app.log";
    /// A file rotates before it would grow past this many bytes (a single
    /// line longer than that gets a file of its own).
    std::uint64_t max_bytes = 1024;
    /// Rotated files kept (name.1 .. name.keep); at least 1.
    int keep = 3;
  };

  /// Creates `dir` if needed. Throws memfs::filesystem_error if it cannot,
  /// std::invalid_argument if keep < 1.
  RotatingLog(memfs::FileSystem& fs, Options options);

  /// Appends `line` and a newline; the current file stays open between
  /// calls. Returns the error that stopped it (disk full, I/O error, lock
  /// timeout, ...), and then the line is in no file:
  ///   - a write refused by the filesystem writes nothing;
  ///   - a short write is cut off again (std::errc::io_error);
  ///   - a rotation that fails halfway is undone, newest file last; if an
  ///     undo step fails too, the remaining files keep their shifted names
  ///     (a gap in the numbering, which later rotations skip) rather than
  ///     risk renaming one file over another.
  /// A line holding '\n' is refused with std::errc::invalid_argument.
  [[nodiscard]] std::error_code append(std::string_view line);

  /// The log files, newest first ("/logs/app.log", "/logs/app.log.1", ...).
  [[nodiscard]] std::vector<std::string> files() const;

  /// Closes the current file (the destructor does it too). The next
  /// append() opens it again.
  [[nodiscard]] std::error_code close();

 private:
  // <dir>/<name> for index 0, <dir>/<name>.<index> otherwise.
  [[nodiscard]] std::string path(int index) const;
  // Opens <dir>/<name> for appending if it is not open.
  [[nodiscard]] std::error_code open_current();
  // Closes the current file and shifts every file up by one.
  [[nodiscard]] std::error_code rotate();
  // Moves the files at `shifted` (indices moved up by one, in the order
  // moved) back down, last moved first; stops at the first failure.
  void undo_shifts(const std::vector<int>& shifted);

  memfs::FileSystem& fs_;
  Options options_;
  memfs::File current_;
};

}  // namespace example
