// Internal: DiskFileSystem's shared state and the host-side helpers its
// translation units share (path mapping, lstat classification, errno
// mapping, the handle registry).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>

#include "memfs/disk_file_system.hpp"

namespace memfs::detail {

/// What a host path is, as the disk backend sees it. `foreign` is anything
/// memfs has no node for (symlinks, FIFOs, sockets, devices): never followed,
/// never listed, refused with permission_denied.
enum class HostKind { missing, regular, directory, foreign };

/// lstat()-like facts about one host path (statx where available, for the
/// birth time).
struct HostStat {
  int error = 0;  // errno of a failed stat call; kind is then `missing`
  HostKind kind = HostKind::missing;
  std::uint64_t size = 0;
  std::chrono::system_clock::time_point created{};
  std::chrono::system_clock::time_point modified{};
  dev_t device = 0;
  ino_t inode = 0;
};

/// Stats `host` without following a final symlink.
HostStat host_stat(const std::string& host);

/// Maps a host errno to the code memfs reports: generic category, with the
/// disk policy applied (ELOOP from O_NOFOLLOW = a symlink = permission_denied;
/// EEXIST/ENOTEMPTY from rmdir/rename = directory_not_empty is decided by the
/// caller, which knows the operation).
std::error_code disk_error(int errnum);

/// Converts an error of Boost.Filesystem (errno values) like disk_error().
template <class BoostErrorCode>
std::error_code disk_error_from(const BoostErrorCode& ec) {
  return disk_error(ec.value());
}

/// One open handle, as the registry keeps it.
struct DiskHandleRecord {
  std::string path;  // normalized memfs path at open time
  std::string mode;  // fopen-style
  std::string owner;
  std::optional<LockMode> lock;
  int fd = -1;
};

/// A thread identifier for HandleInfo::owner.
std::string current_thread_owner();

/// What every DiskFileSystem member and every handle it opened share.
struct DiskState {
  DiskState(std::filesystem::path canonical_root, DiskOptions opts);

  /// The host path of a normalized memfs path.
  [[nodiscard]] std::string host(std::string_view normalized) const;

  /// Checks every proper ancestor of `path` (not "/", not the path itself):
  /// each must be a real directory. Sets err to no_such_file_or_directory,
  /// not_a_directory or permission_denied (a symlink) and returns false.
  bool check_ancestors(const NormalizedPath& path, ErrorInfo& err) const;

  /// Registers a handle; returns its id.
  std::uint64_t add_handle(DiskHandleRecord record);
  void set_handle_lock(std::uint64_t id, std::optional<LockMode> lock);
  void remove_handle(std::uint64_t id);

  bool remove_root = false;         // a temporary filesystem's root
  std::filesystem::path root_path;  // canonical, as given to root()
  std::string root;                 // root_path as text, no trailing '/'
  DiskOptions options;
  std::shared_ptr<Clock> clock;  // options.clock or SystemClock

  mutable std::mutex mutex;  // guards handles and next_id
  std::map<std::uint64_t, DiskHandleRecord> handles;
  std::uint64_t next_id = 1;
};

/// Opens the host file of `path` per `mode` (O_NOFOLLOW, close-on-exec),
/// after the checks memfs semantics need (ancestors, trailing slash,
/// directories, foreign nodes). With `defer_truncate` a truncating mode does
/// not truncate yet (lock_on_open truncates once it holds the lock).
/// `created` tells whether this call created the file. Returns the fd, or -1
/// with err set.
int open_host_file(const DiskState& state, const NormalizedPath& path,
                   const OpenMode& mode, bool defer_truncate, bool& created,
                   ErrorInfo& err);

/// Takes a flock(2) lock on `fd`, retrying every lock_poll_interval on the
/// state's clock for up to `timeout` (kWaitForever: no limit; zero: once).
/// Waiting holds nothing else. False with err set (lock_timeout, or the
/// host's error).
bool flock_within(const DiskState& state, int fd, LockMode mode,
                  std::chrono::nanoseconds timeout, ErrorInfo& err);

/// Builds the OpenFile for an fd from open_host_file() (registering it), and
/// under lock_on_open takes the lock (then truncates if the mode asks).
/// On failure closes the fd, removes a file this open created, returns null.
std::unique_ptr<OpenFile> make_disk_open_file(
    const std::shared_ptr<DiskState>& state, const NormalizedPath& path,
    const OpenMode& mode, const OpenOptions& options, int fd, bool created,
    ErrorInfo& err);

}  // namespace memfs::detail
