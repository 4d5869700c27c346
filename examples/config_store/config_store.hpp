// An atomic configuration store: <dir>/config holds "key = value" lines.
//
//   - save() replaces the whole file all or nothing (a temporary file, synced,
//     renamed over the old one: replace_file_atomically in examples/common),
//     so a reader, or the next start after a crash, finds the old
//     configuration or the new one, never a mix;
//   - writers take an exclusive lock on <dir>/config.lock first, waiting up
//     to Options::lock_timeout, so two savers (threads or processes, on a
//     DiskFileSystem) never interleave, and update() is a read-modify-write
//     no other writer can slip into;
//   - readers take no lock: rename() makes each file they see complete.
//
//     example::ConfigStore store(fs, {"/etc/app", std::chrono::seconds(30)});
//     std::error_code ec = store.update([](auto& c) { c["port"] = "8080"; });
//     if (ec == memfs::errc::lock_timeout) ...   // someone else held the lock
//
// Works on any memfs::FileSystem: DiskFileSystem in production,
// MemoryFileSystem in tests, where a ManualClock makes a 30 s lock timeout
// instant and the fault injector holds the lock "from another process".
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <system_error>

#include "memfs/file_system.hpp"

namespace example {

class ConfigStore {
 public:
  /// Keys and values; keys sorted, as the file lists them.
  using Config = std::map<std::string, std::string>;

  struct Options {
    /// Holds "config", "config.lock" and, during a save, "config.tmp".
    std::string dir = "/etc/app";
    /// How long a writer waits for the lock before giving up with
    /// memfs::errc::lock_timeout.
    std::chrono::nanoseconds lock_timeout = std::chrono::seconds(30);
  };

  /// Creates `dir` if needed (throws memfs::filesystem_error if it cannot).
  ConfigStore(memfs::FileSystem& fs, Options options);

  /// The current configuration; empty (no error) when none was saved yet.
  /// Errors: the filesystem's, and std::errc::invalid_argument for a line
  /// that is not "key = value" (blank lines and '#' comments are skipped).
  [[nodiscard]] Config load(std::error_code& ec) const;

  /// Replaces the configuration under the lock. Errors: lock_timeout (the
  /// lock stayed taken), invalid_argument (an empty key, a key holding '='
  /// or '#', a newline anywhere), and those of replace_file_atomically; on
  /// any error the saved configuration is unchanged and no temporary file
  /// is left.
  [[nodiscard]] std::error_code save(const Config& config);

  /// Loads, applies `change`, saves — all under one hold of the lock, so
  /// concurrent updates never lose one another. Errors as load() and save().
  [[nodiscard]] std::error_code update(
      const std::function<void(Config&)>& change);

  /// "<dir>/config" and "<dir>/config.lock".
  [[nodiscard]] const std::string& config_path() const { return config_path_; }
  [[nodiscard]] const std::string& lock_path() const { return lock_path_; }

 private:
  // Runs `body` holding the exclusive lock; returns its error, or the lock's.
  [[nodiscard]] std::error_code with_lock(
      const std::function<std::error_code()>& body);
  // Formats and atomically writes `config` (the lock held).
  [[nodiscard]] std::error_code write(const Config& config);

  memfs::FileSystem& fs_;
  Options options_;
  std::string config_path_;
  std::string lock_path_;
};

/// The file format: one "key = value" line per entry, in key order.
[[nodiscard]] std::string format_config(const ConfigStore::Config& config);
/// Parses format_config()'s output (and hand-edited files: blanks around
/// keys and values, blank lines and '#' comments). Sets ec to
/// std::errc::invalid_argument at the first malformed line.
[[nodiscard]] ConfigStore::Config parse_config(std::string_view text,
                                               std::error_code& ec);

}  // namespace example
