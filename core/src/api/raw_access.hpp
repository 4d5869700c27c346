// Internal: reads that go straight to a backend's primitives, bypassing the
// public funnel's fault hook. Snapshots and tree pictures must show the real
// state of a filesystem whose test injects faults, and must not add their own
// reads to the fault log. The read primitives are const (backend.hpp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "memfs/backend.hpp"
#include "memfs/file_system.hpp"
#include "path/path_detail.hpp"

namespace memfs::detail {

struct RawAccess {
  /// `path` must already be normalized (e.g. built from listings).
  static FileStatus status(const FileSystem& fs, std::string_view path,
                           ErrorInfo& err) {
    return backend_of(fs).do_status(make(path), err);
  }
  static std::vector<DirEntry> list(const FileSystem& fs, std::string_view dir,
                                    ErrorInfo& err) {
    return backend_of(fs).do_list(make(dir), err);
  }
  /// Whole-file read; never waits on file locks (FileSystem's contract).
  static std::string read_file(const FileSystem& fs, std::string_view path,
                               ErrorInfo& err) {
    return backend_of(fs).do_read_file(make(path), err);
  }

 private:
  static NormalizedPath make(std::string_view path) {
    return trusted_path(std::string(path));
  }
};

}  // namespace memfs::detail
