// memfs/disk_file_system.hpp — the FileSystem interface on a real directory.
//
// Production code takes a memfs::FileSystem&; in production it gets a
// DiskFileSystem rooted at a real directory, in tests a MemoryFileSystem:
//
// ```cpp
// const std::filesystem::path root =  // "/var/lib/myapp" in production
//     std::filesystem::temp_directory_path() /
//     ("memfs-doc-myapp-" + std::to_string(::getpid()));
// std::filesystem::create_directory(root);  // the root must exist
// memfs::DiskFileSystem fs(root);
// fs.create_directories("/reports");  // -> <root>/reports
// fs.write_file("/reports/today.txt", "ok\n");
// EXPECT_TRUE(std::filesystem::is_regular_file(root / "reports/today.txt"));
// std::filesystem::remove_all(root);
// ```
//
// Paths are memfs paths (see path.hpp) resolved below the root: "/" is the
// root directory itself, and normalization rejects any path that climbs above
// it. The same conformance suite runs against both backends; where a disk
// cannot behave like memory, this header says so.
//
// Containment. Nothing outside the root is ever reached:
//   - normalized paths never climb above "/" (the public funnel rejects them);
//   - symlinks are not memfs nodes and are never followed. Each ancestor of a
//     path is checked with lstat(), and files are opened with O_NOFOLLOW, so a
//     symlink planted inside the root (pointing out or not) is refused with
//     std::errc::permission_denied when a path goes through it or names it.
//     Listings leave symlinks out. remove() and remove_all() delete the link
//     itself (never its target). The same holds for other non-regular nodes
//     (FIFOs, sockets, devices).
//   - The ancestor check and the operation are separate system calls: a
//     process that swaps a checked directory for a symlink at that very moment
//     races the check. The root is meant for this program's data, not shared
//     with an adversary.
//
// Differences from MemoryFileSystem (each written down in the conformance
// suite where a test is skipped because of it):
//   - no quota and no node cap: stats().quota and free are
//     std::numeric_limits<std::uint64_t>::max(), node_limit is empty; a full
//     disk gives std::errc::no_space_on_device, not errc::quota_exceeded;
//   - no generation counter: status().generation is always 0;
//   - created is the birth time where the host records one (statx), else the
//     modified time; times come from the host's clock, not DiskOptions::clock;
//   - bulk operations are all or nothing as far as a disk allows: import_tree
//     and the recursive copy validate everything first, write new contents
//     into hidden temporaries (".memfs-tmp-*" beside their targets) and swap
//     them in with rename(2), undoing every step on failure (a replaced file
//     is a new file, as in memory: open handles keep the old one);
//     create_directories removes what it created; remove_all cannot be
//     undone. A crash or a concurrent process can observe the steps;
//   - writes are not all-or-nothing when the disk fills mid-write.
//
// Locks are real OS locks: flock(2) on the handle's own open file
// description. So locks behave like MemoryFileSystem's (per handle, shared or
// exclusive, not re-entrant: a second File on the same path conflicts even in
// the same thread) and also exclude other processes using flock on the same
// files, which is what production code on a disk needs. A timed wait polls
// with LOCK_NB every DiskOptions::lock_poll_interval, sleeping through
// DiskOptions::clock, so waiting holds nothing and a ManualClock makes
// timeouts deterministic. flock is advisory: reads and writes never wait.
//
// Thread-safety: every member may be called concurrently. Errors: std::errc
// values of the generic category, as MemoryFileSystem reports them (host
// errno values are mapped, e.g. rmdir's EEXIST to directory_not_empty).
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "memfs/backend.hpp"
#include "memfs/clock.hpp"
#include "memfs/file_system.hpp"

namespace memfs {

namespace detail {
struct DiskState;  // core/src/disk/disk_state.hpp
}  // namespace detail

/// Options of DiskFileSystem.
struct DiskOptions {
  /// Default timeout of File::lock and of lock_on_open; kWaitForever for no
  /// limit, zero to try once.
  std::chrono::nanoseconds default_lock_timeout = std::chrono::seconds(30);
  /// How often a timed lock wait retries.
  std::chrono::nanoseconds lock_poll_interval = std::chrono::milliseconds(1);
  /// D-MemFS mode, as MemoryOptions::lock_on_open: open() takes a shared
  /// (read-only modes) or exclusive (writable modes) lock for the handle's
  /// life; a truncating open truncates only once it holds the lock; the
  /// operations that change files without a handle (write_file, resize_file,
  /// copy_file, copy, import_tree) wait up to default_lock_timeout for each
  /// file's exclusive lock, then fail with errc::lock_timeout; remove, rename
  /// and whole-file reads do not wait.
  bool lock_on_open = false;
  /// Time source of lock timeouts (not of file times); null = SystemClock.
  std::shared_ptr<Clock> clock;
};

/// A FileSystem on a host directory. See the top of this file.
class DiskFileSystem final : public Backend {
 public:
  /// Roots the filesystem at `root`, which must be an existing directory
  /// (symlinks in `root` itself are resolved once, here).
  /// Throws memfs::filesystem_error (operation "DiskFileSystem"):
  /// no_such_file_or_directory, not_a_directory, or the host's error.
  explicit DiskFileSystem(const std::filesystem::path& root,
                          DiskOptions options = {});
  /// All Files opened from it must be closed first. A temporary filesystem
  /// (see create_temporary) removes its root directory and everything in it.
  ~DiskFileSystem() override;

  /// A DiskFileSystem on a new, empty directory with a unique name under
  /// `parent`, removed with its contents when the DiskFileSystem is
  /// destroyed: for tests that need a real disk. The default parent is
  /// /dev/shm when it is a writable directory (tmpfs, fast), else the system
  /// temp directory. Throws memfs::filesystem_error (operation
  /// "DiskFileSystem") if no directory can be made.
  ///
  /// ```cpp
  /// auto fs = memfs::DiskFileSystem::create_temporary();
  /// fs->write_file("/a.txt", "x");   // the code under test, on a real disk
  /// EXPECT_TRUE(std::filesystem::exists(fs->root() / "a.txt"));
  /// ```
  [[nodiscard]] static std::unique_ptr<DiskFileSystem> create_temporary(
      const std::filesystem::path& parent = {}, DiskOptions options = {});

  /// The canonical host path of the root.
  [[nodiscard]] const std::filesystem::path& root() const noexcept;

  /// The host path a memfs path maps to (after normalization), without
  /// touching the disk. Errors as normalize_path (throws).
  ///
  /// ```cpp
  /// auto fs = memfs::DiskFileSystem::create_temporary();
  /// EXPECT_EQ(fs->host_path("/a/../b.txt"), fs->root() / "b.txt");
  /// ```
  [[nodiscard]] std::filesystem::path host_path(std::string_view path) const;

 private:
  // The primitives (see backend.hpp).
  std::unique_ptr<OpenFile> do_open(const NormalizedPath& path,
                                    const OpenMode& mode,
                                    const OpenOptions& options,
                                    ErrorInfo& err) override;
  FileStatus do_status(const NormalizedPath& path,
                       ErrorInfo& err) const override;
  std::vector<DirEntry> do_list(const NormalizedPath& dir,
                                ErrorInfo& err) const override;
  bool do_create_directory(const NormalizedPath& path, ErrorInfo& err) override;
  bool do_remove(const NormalizedPath& path, ErrorInfo& err) override;
  void do_rename(const NormalizedPath& from, const NormalizedPath& to,
                 ErrorInfo& err) override;
  void do_exchange(const NormalizedPath& a, const NormalizedPath& b,
                   ErrorInfo& err) override;
  void do_set_modified(const NormalizedPath& path,
                       std::chrono::system_clock::time_point time,
                       ErrorInfo& err) override;
  Stats do_stats() const override;
  std::vector<HandleInfo> do_open_handles() const override;
  void do_sync_directory(const NormalizedPath& path, ErrorInfo& err) override;

  std::string do_read_file(const NormalizedPath& path,
                           ErrorInfo& err) const override;
  std::uint64_t do_remove_all(const NormalizedPath& path,
                              ErrorInfo& err) override;
  void do_copy_tree(const NormalizedPath& from, const NormalizedPath& to,
                    std::filesystem::copy_options options,
                    ErrorInfo& err) override;
  void do_import_tree(
      const std::vector<std::pair<NormalizedPath, const std::string*>>& files,
      ErrorInfo& err) override;

  std::shared_ptr<detail::DiskState> state_;
};

}  // namespace memfs
