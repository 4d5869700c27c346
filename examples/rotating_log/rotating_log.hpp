// A size-rotated log, the kind of file-heavy code the Catch2 example tests:
// lines go to <dir>/<name>; when the next line would push that file past
// max_bytes, the files shift (name -> name.1 -> name.2 ...) and the oldest
// beyond `keep` is deleted. Works on any memfs::FileSystem, so production
// passes a DiskFileSystem and tests a MemoryFileSystem.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "memfs/file_system.hpp"

namespace example {

class RotatingLog {
 public:
  struct Options {
    std::string dir = "/logs";
    std::string name = "app.log";
    /// A file rotates before it would grow past this many bytes.
    std::uint64_t max_bytes = 1024;
    /// Rotated files kept (name.1 .. name.keep).
    int keep = 3;
  };

  RotatingLog(memfs::FileSystem& fs, Options options);

  /// Appends `line` and a newline. On error (disk full, I/O error) returns
  /// it and loses no line: a failed rotation is rolled back (only the oldest
  /// file, which that rotation drops anyway, may be gone), and a failed
  /// write writes nothing.
  [[nodiscard]] std::error_code append(std::string_view line);

  /// The log files, newest first ("/logs/app.log", "/logs/app.log.1", ...).
  [[nodiscard]] std::vector<std::string> files() const;

 private:
  [[nodiscard]] std::string path(int index) const;
  [[nodiscard]] std::error_code rotate();

  memfs::FileSystem& fs_;
  Options options_;
};

}  // namespace example
