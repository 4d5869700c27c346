// memfs/crash.hpp — what survives a power cut, and every crash point of a
// workload checked.
//
// The durability model (MemoryOptions::track_durability = true) is Linux's
// strict model for ext4 and xfs without data journaling (data=ordered or
// writeback), the one Pebble's crashable MemFS, RocksDB's fault-injection
// Env and ALICE use:
//
//   - a file's bytes (its contents and its size) are durable once File::sync
//     (fsync(2)/fdatasync(2) through interception) returned; until then a
//     crash may keep the last synced contents only;
//   - a directory entry (a create, a rename's new and old name, an unlink,
//     a mkdir, an rmdir) is durable once its directory was synced:
//     FileSystem::sync_directory(dir), or fsync(2) of a directory descriptor
//     through interception. A rename touches two directories: each side is
//     durable when its own directory is synced;
//   - MemoryFileSystem::sync_all() makes everything durable (syncfs(2));
//   - what was durable when the filesystem was made (or at the last
//     sync_all) is durable: a tracked filesystem starts empty and durable.
//
// A crash (MemoryFileSystem::crash_clone) starts at the root and follows the
// directories' synced entries: a file created and fsynced in a directory that
// was never synced is lost; a file renamed over another without a directory
// sync still has its old name and its old contents; a removed file whose
// directory was not synced comes back with its synced contents.
//
// Deliberately not modelled (each makes a real system more forgiving than
// this model, never less, so a workload that passes here is safe there):
//   - ext4's fsync of a new file also committing its directory entry (the
//     journal commits the whole transaction), and ext4's auto_da_alloc
//     (flush on rename-over and on truncate-then-close);
//   - the journal's ordering of metadata: two unsynced renames may survive
//     in either combination here (each directory on its own);
//   - hard links (memfs has none), timestamps, permissions and extended
//     attributes (times of a crashed tree are the crash's time);
//   - reordering of writes within a file beyond what CrashOptions draws, and
//     media errors (use fault injection for those).
// A directory reached through two synced names (moved between directories
// that were both synced at different times) appears once, at the first name
// in path order; a directory cycle that such histories could form is cut.
//
// ```cpp
// memfs::MemoryOptions opts;
// opts.track_durability = true;
// memfs::MemoryFileSystem fs(opts);
// fs.create_directory("/db");
// fs.sync_directory("/");                 // "/db" survives a crash
// auto f = fs.open("/db/log", "w");
// EXPECT_EQ(f.write("acked"), 5u);
// f.sync();                               // the bytes are durable...
// fs.sync_directory("/db");               // ...and so is the name
// EXPECT_EQ(f.write(" lost"), 5u);
// auto crashed = fs.crash_clone();        // power cut now
// EXPECT_EQ(crashed->read_file("/db/log"), "acked");
// ```
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace memfs {

class FileSystem;
class MemoryFileSystem;
struct MemoryOptions;

/// What a crash does with the bytes written since a file's last sync.
enum class UnsyncedData {
  drop,            ///< every unsynced byte is lost (the default, strictest)
  keep,            ///< the file is as it is now (the page cache was flushed)
  keep_per_block,  ///< each changed block of CrashOptions::block_size is kept
                   ///< with CrashOptions::keep_probability, and the new size
                   ///< with the same probability: a size kept over blocks
                   ///< that were not reads as zeros (the classic "file full
                   ///< of zeros after a crash")
};

/// What a torn block holds past the point where its write stopped.
enum class TornTail {
  zeroed,   ///< zeros
  garbage,  ///< seeded pseudo-random bytes
};

/// How crash_clone() decides what survives. The defaults are the strictest
/// case: every unsynced byte and every unsynced directory entry is lost.
/// Every draw comes from `seed` and the file's path, so the same options on
/// the same history give the same crashed tree.
///
/// ```cpp
/// memfs::CrashOptions o;
/// EXPECT_EQ(o.unsynced_data, memfs::UnsyncedData::drop);
/// EXPECT_FALSE(o.keep_unsynced_entries);
/// EXPECT_EQ(o.torn_block_size, 0u);
/// ```
struct CrashOptions {
  UnsyncedData unsynced_data = UnsyncedData::drop;
  /// keep_per_block: the chance that one changed block (or the new size)
  /// reached the disk, in [0, 1].
  double keep_probability = 0.5;
  /// keep_per_block: the block size in bytes (> 0).
  std::size_t block_size = 4096;
  /// Torn writes: 0 = none; 512 or 4096 = the last block of each file that
  /// differs from its synced contents (in blocks of this size) is torn: a
  /// seeded prefix of it holds the new bytes and the rest is `torn_tail`,
  /// whatever the unsynced_data rule decided for it.
  std::size_t torn_block_size = 0;
  TornTail torn_tail = TornTail::zeroed;
  /// true: directory entries are as they are now (the journal was
  /// committed); false: as at each directory's last sync.
  bool keep_unsynced_entries = false;
  std::uint64_t seed = 0;
};

/// Thrown out of a filesystem operation by the fault action `crash`
/// (fault_rule.hpp) to stop a workload at that point, as a power cut would.
/// It carries the filesystem as the crash left it (taken just before the
/// operation that crashed). check_crash_points() catches it; elsewhere catch
/// it yourself. Operations' error_code forms cannot stop the caller: they
/// report errc::injected_fault (io_error) and the filesystem keeps failing
/// every later operation the rule matches.
class CrashSignal : public std::exception {
 public:
  explicit CrashSignal(std::shared_ptr<MemoryFileSystem> crashed,
                       std::string where);
  [[nodiscard]] const char* what() const noexcept override;
  /// The filesystem after the crash (shared: the exception is copyable).
  [[nodiscard]] const std::shared_ptr<MemoryFileSystem>& crashed()
      const noexcept {
    return crashed_;
  }

 private:
  std::shared_ptr<MemoryFileSystem> crashed_;
  std::string what_;
};

/// Options of check_crash_points().
struct CrashPointOptions {
  /// false: a crash point after every durability-relevant operation (write,
  /// truncate, sync, create, rename, remove, and open of a new file);
  /// true: only after each sync (file or directory).
  bool only_syncs = false;
  /// At most this many crash points are checked (the first ones).
  std::size_t max_points = 1000;
  /// The crash states made at each point, each by crash_clone(states[i])
  /// with its seed moved to states[i].seed + point. The default two: every
  /// unsynced thing lost; and unsynced data lost while the directory entries
  /// are kept (the journal committed a rename or a create, the data had not
  /// reached the disk: how a file saved without fsync comes back empty).
  std::vector<CrashOptions> states = default_states();

  [[nodiscard]] static std::vector<CrashOptions> default_states() {
    CrashOptions entries_kept;
    entries_kept.keep_unsynced_entries = true;
    return {CrashOptions{}, entries_kept};
  }
};

/// One crash state that failed its recovery check.
struct CrashPointFailure {
  /// The crash point: 0 is before the first operation; n is after the n-th
  /// durability-relevant operation of the log.
  std::size_t point = 0;
  /// Which state of the point (an index in CrashPointOptions::states), and
  /// the seed it was made with.
  std::size_t state = 0;
  std::uint64_t seed = 0;
  /// What the check said (its return value, or what() of what it threw).
  std::string message;
};

/// What check_crash_points() found.
struct CrashPointReport {
  /// Every durability-relevant operation of the workload, in order, one line
  /// each ("write /db/log @0+5", "sync /db/log", "rename /a -> /b", ...).
  std::vector<std::string> log;
  std::size_t points_checked = 0;
  std::size_t states_checked = 0;
  /// Every failing state, in point order.
  std::vector<CrashPointFailure> failures;
  /// The crashed filesystem of failures.front() (null when none failed).
  std::shared_ptr<MemoryFileSystem> first_failure_tree;
  /// Set when the workload stopped on a CrashSignal (the fault action
  /// `crash`): its message. The crash point it left is the last one checked.
  std::string crashed_by;

  [[nodiscard]] bool passed() const noexcept { return failures.empty(); }
  /// A report for people: the first failure, its point, seed and message,
  /// and the operation log up to it (marked where the crash hit), e.g.
  ///
  ///     crash point 3 of 5 (state 0, seed 3) failed: settings lost
  ///     operations up to the crash:
  ///       1 open+create /settings.tmp
  ///       2 write /settings.tmp @0+11
  ///       3 rename /settings.tmp -> /settings
  ///     --- crash ---
  ///     1 of 6 crash states failed
  [[nodiscard]] std::string describe() const;
  /// What a test adapter reports for failures[i]: "crash point 3 (state 1,
  /// seed 3) failed: settings are \"\"", followed for the first failure by
  /// the operation log of describe().
  [[nodiscard]] std::string failure_message(std::size_t i) const;
  /// Replaces everything in `into` by the crashed tree of the first failure
  /// (what a test adapter's snapshot then exports); nothing when none failed.
  void export_first_failure(FileSystem& into) const;
};

/// The recovery check: looks at a crashed filesystem (the application's
/// recovery runs on it) and returns an empty string if it is acceptable, or
/// what is wrong. A thrown exception is a failure too.
using RecoveryCheck = std::function<std::string(MemoryFileSystem& crashed)>;

/// Runs `workload` once on `fs` (which must track durability:
/// invalid_argument otherwise) and checks `check` on the crash states of
/// every crash point: before the first durability-relevant operation, after
/// each one (or each sync), and after the workload returned. The states of
/// one run are taken as it goes, then checked in point order, so the check
/// never runs inside the workload. A CrashSignal thrown by the workload ends
/// it there (crashed_by says so); any other exception propagates. A hook
/// already attached to `fs` (fault injection) keeps working: it is
/// consulted after each point is taken. Deterministic for a deterministic
/// workload: the same options give the same report.
///
/// ```cpp
/// memfs::MemoryOptions opts;
/// opts.track_durability = true;
/// memfs::MemoryFileSystem fs(opts);
/// auto report = memfs::check_crash_points(
///     fs,
///     [](memfs::FileSystem& f) {
///       f.write_file("/tmp.txt", "v1");
///       f.rename("/tmp.txt", "/settings");  // no fsync: a planted bug
///     },
///     [](memfs::MemoryFileSystem& crashed) -> std::string {
///       if (crashed.exists("/settings") &&
///           crashed.read_file("/settings") != "v1") {
///         return "settings emptied";
///       }
///       return "";
///     });
/// EXPECT_FALSE(report.passed());
/// ```
[[nodiscard]] CrashPointReport check_crash_points(
    MemoryFileSystem& fs, const std::function<void(FileSystem&)>& workload,
    const RecoveryCheck& check, const CrashPointOptions& options = {});

/// What the test adapters' for_each_crash_point do, framework aside:
/// check_crash_points(workload, check, options, memory), then fail(message)
/// for each failure (failure_message), and, when one failed, the first
/// failing tree exported into snapshot() (called only then).
[[nodiscard]] CrashPointReport report_crash_points(
    const std::function<void(FileSystem&)>& workload,
    const RecoveryCheck& check, const CrashPointOptions& options,
    MemoryOptions memory, const std::function<void(const std::string&)>& fail,
    const std::function<FileSystem&()>& snapshot);

/// Where check_crash_points() is, on the calling thread: in the workload, the
/// number of durability-relevant operations so far (the point a crash now
/// would be); in the recovery check, the point of the state being checked;
/// 0 elsewhere. A workload notes when it acknowledged something, the check
/// compares: nothing acknowledged at or before its point may be lost.
///
/// ```cpp
/// std::vector<std::size_t> acked_at;  // one entry per acknowledged write
/// auto workload = [&](memfs::FileSystem& fs) {
///   auto f = fs.open("/a", "w");
///   EXPECT_EQ(f.write("x"), 1u);
///   f.sync();                // the bytes, then the name:
///   fs.sync_directory("/");  // durable, so acknowledged
///   acked_at.push_back(memfs::current_crash_point());
/// };
/// auto check = [&](memfs::MemoryFileSystem& crashed) -> std::string {
///   for (std::size_t p : acked_at) {
///     if (p <= memfs::current_crash_point() && !crashed.exists("/a")) {
///       return "acknowledged, then lost";
///     }
///   }
///   return "";
/// };
/// memfs::MemoryOptions opts;
/// opts.track_durability = true;
/// memfs::MemoryFileSystem fs(opts);
/// EXPECT_TRUE(memfs::check_crash_points(fs, workload, check).passed());
/// EXPECT_EQ(acked_at, std::vector<std::size_t>{4});
/// ```
[[nodiscard]] std::size_t current_crash_point() noexcept;

/// The same on a fresh MemoryFileSystem built with `memory` (with
/// track_durability set), which the workload starts from empty.
[[nodiscard]] CrashPointReport check_crash_points(
    const std::function<void(FileSystem&)>& workload,
    const RecoveryCheck& check, const CrashPointOptions& options,
    MemoryOptions memory);

}  // namespace memfs
