// A small durable key-value store: every change is appended to a write-ahead
// log
// (<dir>/wal.log) and synced before it becomes visible (the log's directory
// too, when the log is new: a crash at any point keeps every acknowledged
// put, see kv_store_*_test.cpp's crash-point tests); opening replays the
// log; compact() rewrites it with only the live keys (write a temporary file,
// sync, rename over the log: replace_file_atomically in examples/common). Works
// on any memfs::FileSystem, so production passes a DiskFileSystem and tests a
// MemoryFileSystem.
//
// Log records are length-prefixed, so keys and values may hold any bytes:
//
//     put <key bytes> <value bytes>\n<key><value>\n
//     del <key bytes>\n<key>\n
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "memfs/file_system.hpp"

namespace example {

class KvStore {
 public:
  /// Opens (creating `dir` if needed) and replays the log. A torn record at
  /// the end (a crash mid-append) is dropped and cut off the file. Throws
  /// memfs::filesystem_error if the directory or log cannot be read.
  KvStore(memfs::FileSystem& fs, std::string dir);

  /// Stores `value` under `key`. On error (disk full, I/O error, short
  /// write, failed sync) returns it, and neither the store nor the log
  /// changes: a partly written record is cut off again.
  [[nodiscard]] std::error_code put(std::string_view key,
                                    std::string_view value);
  /// Removes `key` (nothing to do if absent); errors as put().
  [[nodiscard]] std::error_code erase(std::string_view key);
  /// The value under `key`, if any.
  [[nodiscard]] std::optional<std::string> get(std::string_view key) const;
  /// Number of keys.
  [[nodiscard]] std::size_t size() const { return index_.size(); }

  /// Rewrites the log with the live keys only. On error the old log stays
  /// as it was and the temporary file is removed.
  [[nodiscard]] std::error_code compact();

  /// The log's path ("<dir>/wal.log").
  [[nodiscard]] const std::string& log_path() const { return log_; }

 private:
  // Appends `record` to the log and syncs; on error cuts the log back.
  [[nodiscard]] std::error_code append(const std::string& record);
  // Rebuilds index_ from the log; returns the length of its valid prefix.
  std::size_t replay(const std::string& log);

  memfs::FileSystem& fs_;
  std::string log_;
  std::map<std::string, std::string, std::less<>> index_;
};

}  // namespace example
