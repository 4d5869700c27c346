// The bookkeeping both RotatingLog suites (GoogleTest and Catch2) use to check
// "no line lost, none duplicated": append numbered lines, remember which
// ones append() accepted, then read every log file back, oldest first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <system_error>
#include <vector>

#include "memfs/fault_injection.hpp"
#include "memfs/file_system.hpp"
#include "rotating_log.hpp"

namespace example::audit {

/// What append_lines() saw.
struct Appended {
  /// Lines append() accepted, in order.
  std::vector<std::string> accepted;
  /// Lines it refused, in order, and why.
  std::vector<std::string> refused;
  std::vector<std::error_code> errors;
};

/// Appends "<prefix><i>" for i in [first, first + count), each line unique.
inline Appended append_lines(RotatingLog& log, int count, int first = 0,
                             const std::string& prefix = "line ") {
  Appended result;
  for (int i = first; i < first + count; ++i) {
    std::string line = prefix + std::to_string(i);
    if (std::error_code ec = log.append(line)) {
      result.refused.push_back(std::move(line));
      result.errors.push_back(ec);
    } else {
      result.accepted.push_back(std::move(line));
    }
  }
  return result;
}

/// Every line of every log file, oldest file first. Reads through
/// export_tree(), which fault rules never touch.
inline std::vector<std::string> lines_in_files(memfs::FileSystem& fs,
                                               const RotatingLog& log) {
  const std::vector<std::string> files = log.files();  // newest first
  std::vector<std::string> lines;
  for (auto it = files.rbegin(); it != files.rend(); ++it) {
    const std::string text = fs.export_tree(*it).files.at(*it);
    std::size_t start = 0;
    for (std::size_t end; (end = text.find('\n', start)) != std::string::npos;
         start = end + 1) {
      lines.push_back(text.substr(start, end - start));
    }
    if (start != text.size())
      lines.push_back(text.substr(start) + "<no newline>");
  }
  return lines;
}

/// The random-fault scenario both suites run: writes to the log fail as if
/// the disk were full 10 % of the time, renames 5 % of the time (a rotation
/// renames every file, so that disturbs a good share of them), decided from
/// `seed`. Returns limits that rotate every dozen lines and never drop a
/// file, so every accepted line must still be there at the end.
inline RotatingLog::Options arm_random_faults(memfs::FaultInjector& faults,
                                              std::uint64_t seed) {
  faults.set_seed(seed);
  faults.add("write /logs/** probability=0.1 fail=quota_exceeded");
  faults.add("rename /logs/** probability=0.05 fail=quota_exceeded");
  RotatingLog::Options options;
  options.max_bytes = 100;
  options.keep = 1000;
  return options;
}

/// How many of the injector's firings hit a rename (a rotation).
inline std::size_t renames_refused(const memfs::FaultInjector& faults) {
  std::size_t n = 0;
  for (const memfs::FaultLogEntry& entry : faults.log()) {
    if (entry.op == memfs::Op::rename) ++n;
  }
  return n;
}

}  // namespace example::audit
