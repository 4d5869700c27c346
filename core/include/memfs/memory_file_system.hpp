// memfs/memory_file_system.hpp — the in-memory filesystem.
//
// A thread-safe tree of directories and files held in memory, with POSIX
// semantics (see file_system.hpp) and guarantees a disk cannot give:
//
//   - a hard byte quota (max_quota), checked before any allocation: an
//     operation that would pass it fails with errc::quota_exceeded and
//     changes nothing (no partial write, no moved cursor, no half-made file);
//     stats().used always equals the bytes the files really hold;
//   - an optional node cap (max_nodes, root included);
//   - whole-file locks with timeouts that never stall unrelated operations,
//     and an optional D-MemFS mode where opening takes the lock (lock_on_open);
//   - atomic bulk operations: import_tree, copy of a tree, create_directories
//     and remove_all are all or nothing;
//   - an optional memory guard against quotas larger than the host's memory;
//   - an injectable clock for timestamps and lock timeouts.
//
// ```cpp
// memfs::MemoryOptions opts;
// opts.max_quota = 1 << 20;                    // 1 MiB
// memfs::MemoryFileSystem fs(opts);
// fs.create_directories("/data");
// fs.write_file("/data/a.txt", "hello");
// auto s = fs.stats();
// EXPECT_EQ(s.used, 5u);
// ```
//
// Quota accounting counts file bytes (the sum of file sizes), not allocator
// overhead; a removed file that is still open keeps its bytes charged until its
// last handle closes, as on a real disk.
//
// Path lookup resolves a whole path with one hash lookup, so deep trees cost
// no more than shallow ones; directories keep their children sorted.
//
// Thread-safety: every member may be called concurrently.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "memfs/backend.hpp"
#include "memfs/clock.hpp"
#include "memfs/crash.hpp"
#include "memfs/file_system.hpp"

namespace memfs {

namespace detail {
struct MemoryState;  // core/src/memory/memory_state.hpp
}  // namespace detail

/// When the memory guard compares against the host's available memory.
enum class MemoryGuardMode {
  none,       ///< never (the default)
  init,       ///< once, at construction: max_quota against available memory
  per_write,  ///< at construction and before every allocation that grows
};

/// What the memory guard does when memory is short.
enum class MemoryGuardAction {
  warn,  ///< report through MemoryOptions::on_warning, then go on
  fail,  ///< refuse: the constructor throws / the write fails with
         ///< errc::memory_guard
};

/// Options of MemoryFileSystem. The defaults give a 256 MiB quota, no node
/// cap, a 30 s lock timeout, POSIX open semantics and no memory guard.
///
/// ```cpp
/// memfs::MemoryFileSystem fs;  // default options
/// EXPECT_EQ(fs.stats().quota, 256u << 20);
/// EXPECT_FALSE(fs.stats().node_limit.has_value());
/// const memfs::MemoryOptions defaults;
/// EXPECT_EQ(defaults.default_lock_timeout, std::chrono::seconds(30));
/// EXPECT_FALSE(defaults.lock_on_open);
/// EXPECT_EQ(defaults.memory_guard, memfs::MemoryGuardMode::none);
/// ```
struct MemoryOptions {
  /// Bytes of file storage the filesystem may hold.
  std::uint64_t max_quota = 256ull << 20;
  /// Cap on files + directories, root included (so 1 allows only the root).
  /// 0 is invalid (the constructor throws invalid_argument).
  std::optional<std::uint64_t> max_nodes;
  /// Default lock timeout for File::lock and lock_on_open; kWaitForever for
  /// no limit, zero to try once.
  std::chrono::nanoseconds default_lock_timeout = std::chrono::seconds(30);
  /// D-MemFS mode: open() takes a shared lock (read-only modes) or an
  /// exclusive lock (writable modes) for the handle's life, waiting up to the
  /// lock timeout; a truncating open truncates only once it holds the lock.
  /// The operations that change files without a handle (write_file,
  /// resize_file, copy_file, copy, import_tree) take the exclusive lock of
  /// each file they change as open("w") would: while any handle holds it they
  /// wait up to default_lock_timeout, then fail with errc::lock_timeout and
  /// change nothing. remove and rename change names, not files, and do not
  /// wait (POSIX allows both on open files; the handle keeps its file).
  /// Whole-file reads (read_file, export_tree, a copy's source) never wait.
  /// Waiting holds no lock that other operations need.
  bool lock_on_open = false;

  /// Memory guard (D-MemFS): see MemoryGuardMode / MemoryGuardAction.
  MemoryGuardMode memory_guard = MemoryGuardMode::none;
  MemoryGuardAction memory_guard_action = MemoryGuardAction::warn;
  /// per_write: how long an available-memory reading is reused.
  std::chrono::nanoseconds memory_guard_interval = std::chrono::seconds(1);
  /// Where available memory comes from; empty = the host (cgroup v2
  /// memory.max - memory.current, else cgroup v1 limit - usage, else
  /// /proc/meminfo MemAvailable). nullopt from the function disables the check.
  /// It and on_warning may be called while the filesystem holds its
  /// namespace lock: they must not call this filesystem.
  std::function<std::optional<std::uint64_t>()> available_memory;
  /// Receives memory-guard warnings; empty = print to stderr.
  std::function<void(std::string_view)> on_warning;

  /// Time source for timestamps and lock timeouts; null = SystemClock.
  /// With a SystemClock, a change's time (created, modified) is taken as
  /// Linux takes it for a file on tmpfs or ext4: from the coarse clock (the
  /// last timer tick, up to a few milliseconds behind
  /// std::chrono::system_clock::now(), which a precise read costs four
  /// times as much as), except that the first change after a status()
  /// call takes the precise time. Times never go backwards (nor before a
  /// time stored with set_modified(), unless that one is in the future),
  /// and a change made after a status() always shows in the next one; but
  /// a file written after `t0 = system_clock::now()` can report a time
  /// before t0 (on Linux too). A ManualClock, or any other Clock, gives
  /// every change its now().
  std::shared_ptr<Clock> clock;

  /// Durability model (crash.hpp): keep each file's synced contents and each
  /// directory's synced entries, so crash_clone() can build what a power cut
  /// would leave. Off (the default), syncs are no-ops and nothing is kept:
  /// the model then costs one branch on sync and on unlink.
  bool track_durability = false;
};

/// The in-memory filesystem. See the top of this file.
class MemoryFileSystem final : public Backend {
 public:
  /// Creates an empty filesystem holding only "/".
  /// Throws memfs::filesystem_error (invalid_argument) for max_nodes == 0, and
  /// (memory_guard == init or per_write, action fail) when max_quota exceeds
  /// available memory.
  explicit MemoryFileSystem(MemoryOptions options = {});
  /// All Files opened from it must be closed first.
  ~MemoryFileSystem() override;

  /// The options it was built with (max_quota as last set by set_quota).
  [[nodiscard]] MemoryOptions options() const;

  /// Changes the byte quota at run time. Shrinking below what is used is
  /// allowed: nothing is freed, but no write that grows storage succeeds until
  /// usage falls below the new quota.
  void set_quota(std::uint64_t max_quota) noexcept;

  /// Available host memory as the guard sees it (nullopt if unknown).
  [[nodiscard]] std::optional<std::uint64_t> available_memory() const;

  // --- durability (crash.hpp) ------------------------------------------------

  /// True when built with track_durability.
  [[nodiscard]] bool tracks_durability() const noexcept;

  /// Makes everything durable: every file's contents and every directory's
  /// entries, as syncfs(2). A no-op unless tracks_durability().
  void sync_all();

  /// The filesystem a power cut now would leave (see crash.hpp for the model
  /// and CrashOptions for what survives); this one goes on unchanged. The
  /// clone has this one's options (quota raised if the crashed tree needs
  /// more), no hook, and everything in it durable. Throws
  /// memfs::filesystem_error (invalid_argument) unless tracks_durability().
  ///
  /// ```cpp
  /// memfs::MemoryOptions opts;
  /// opts.track_durability = true;
  /// memfs::MemoryFileSystem fs(opts);
  /// fs.write_file("/a", "x");                 // never synced
  /// EXPECT_FALSE(fs.crash_clone()->exists("/a"));
  /// fs.sync_all();
  /// EXPECT_EQ(fs.crash_clone()->read_file("/a"), "x");
  /// ```
  [[nodiscard]] std::unique_ptr<MemoryFileSystem> crash_clone(
      const CrashOptions& options = {}) const;

  // --- clones --------------------------------------------------------------

  /// An independent filesystem with the same tree, contents, metadata (times,
  /// generations) and options, limits included (max_quota as now set): what
  /// either side does afterwards leaves the other unchanged, and either may
  /// outlive the other or run on another thread.
  ///
  /// Cost: O(1) in the files, directories and bytes held (plus a copy of
  /// each file that has a handle open). Both sides share the tree, frozen:
  /// the first change either side makes to a file or directory copies that
  /// node (a directory's copy copies its list of entries; a file's shares
  /// its bytes), and a write copies only the blocks it touches (4 KiB;
  /// 2 MiB past the first 8 MiB of a file). So a test that clones a large
  /// golden tree pays only for what it changes. Each side's ledger counts
  /// all of its files (stats().used is the sum of its file sizes, whatever
  /// is shared), so the quota applies to each as if it held its own copy.
  ///
  /// Not copied: open handles and the advisory locks they hold, files that
  /// were removed while open, and the hook attached to this object
  /// (FileSystem::set_hook). The clone keeps the FileStatus::id values (a
  /// number names one node within one filesystem). The clone is taken under
  /// the tree lock, so it never sees a half-done rename or import; a file
  /// with a handle open is copied with its data lock held, so a write
  /// through the handle lands in the clone whole or not at all.
  /// The clone shares the Clock of the options (null: the system clock).
  ///
  /// ```cpp
  /// memfs::MemoryFileSystem golden;
  /// golden.write_file("/seed.txt", "v1");
  /// auto fs = golden.clone();
  /// fs->write_file("/seed.txt", "v2");
  /// EXPECT_EQ(golden.read_file("/seed.txt"), "v1");
  /// ```
  [[nodiscard]] std::unique_ptr<MemoryFileSystem> clone() const;

 private:
  // clone(): adopts a filled state (no option checks, no memory guard).
  explicit MemoryFileSystem(std::shared_ptr<detail::MemoryState> state);

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
  void do_read_file_into(const NormalizedPath& path, std::string& out,
                         ErrorInfo& err) const override;
  void do_write_file(const NormalizedPath& path, std::string_view data,
                     ErrorInfo& err) override;
  bool do_create_directories(const NormalizedPath& path,
                             ErrorInfo& err) override;
  std::uint64_t do_remove_all(const NormalizedPath& path,
                              ErrorInfo& err) override;
  bool do_copy_file(const NormalizedPath& from, const NormalizedPath& to,
                    std::filesystem::copy_options options,
                    ErrorInfo& err) override;
  void do_copy_tree(const NormalizedPath& from, const NormalizedPath& to,
                    std::filesystem::copy_options options,
                    ErrorInfo& err) override;
  void do_resize_file(const NormalizedPath& path, std::uint64_t size,
                      ErrorInfo& err) override;
  void do_import_tree(
      const std::vector<std::pair<NormalizedPath, const std::string*>>& files,
      ErrorInfo& err) override;

  std::shared_ptr<detail::MemoryState> state_;
};

}  // namespace memfs
