// A disk-usage report, the kind of production code that takes a
// memfs::FileSystem&: summarize() scans a tree (file count, bytes, the
// largest files, bytes per extension), publish() writes the report as text
// into a reports directory, atomically (temporary file + sync + rename), and
// keeps only the newest `keep` reports.
//
// The command-line tool (main.cpp) runs it on two DiskFileSystems, one rooted
// at the folder to scan and one at the report folder; the tests
// (usage_report_gtest_test.cpp, usage_report_catch2_test.cpp) run it on a
// MemoryFileSystem, with injected faults, and on a temporary DiskFileSystem.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "memfs/file_system.hpp"

namespace example {

/// What summarize() found.
struct UsageReport {
  std::uint64_t files = 0;
  std::uint64_t directories = 0;  // below the scanned root
  std::uint64_t bytes = 0;
  /// The largest files, largest first (ties by path): path, size.
  std::vector<std::pair<std::string, std::uint64_t>> largest;
  /// Bytes per extension ("" for none), e.g. {".log", 4096}.
  std::map<std::string, std::uint64_t> by_extension;
};

/// Scans `root` (a directory of `fs`). Keeps the `top` largest files.
/// Throws memfs::filesystem_error if `root` cannot be listed.
UsageReport summarize(memfs::FileSystem& fs, std::string_view root,
                      std::size_t top = 5);

/// The report as text, one fact per line.
std::string format_report(const UsageReport& report, std::string_view title);

/// Writes `text` to `<dir>/<name>` (creating `dir`), all or nothing: the old
/// report with that name, if any, stays until the new one is complete and
/// synced (replace_file_atomically, examples/common). Then removes the
/// oldest "*.txt" reports beyond `keep` (names sort by age when they start
/// with a timestamp). Returns the first error.
[[nodiscard]] std::error_code publish(memfs::FileSystem& fs,
                                      const std::string& dir,
                                      const std::string& name,
                                      std::string_view text,
                                      std::size_t keep = 3);

}  // namespace example
