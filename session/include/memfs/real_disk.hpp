// memfs/real_disk.hpp — the real-disk access report of a test run: what a
// test touched on the real filesystem outside its mounts, and what the
// adapters do about it (MEMFS_REAL_DISK).
//
// The recording itself is done by memfs::intercept (intercept.hpp: every
// path call its wrappers forward to libc is checked against an allow-list
// and recorded). This header is the link between the two that works
// without it: memfs::intercept, when linked into the test executable, fills
// the hook table below while the program starts (a static initialiser), and
// the GoogleTest and Catch2 adapters ask the table. Without memfs::intercept
// the table stays empty, nothing is recorded and every function here that
// records is a no-op, so the adapters build and run without it.
//
// What the adapters do with each test run, by MEMFS_REAL_DISK:
//
//     allow    record nothing;
//     report   (the default) record; after the test, print the accesses to
//              stderr and put them in the snapshot's manifest
//              ("real_disk_accesses") when one is written;
//     fail     record; fail the test with the list (and put it in the
//              manifest).
//
// The printed list, for example:
//
//     memfs: Suite.Test touched the real disk outside its mounts
//     (MEMFS_REAL_DISK=report; allow a folder with allow_real_disk()):
//       open /tmp/cache/a.txt (thread 4121 "worker")
//       stat /home/me/.config/app (thread 4120 "suite_test", 3 times)
//
// Thread-safety: every function may be called from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "memfs/json.hpp"

namespace memfs {

/// One file operation that reached the real filesystem.
struct RealDiskAccess {
  /// The intercepted function: "open", "stat", "mkdir", "fopen", ...
  std::string call;
  /// The path as the call resolved it: absolute (a relative path taken
  /// against the current directory or the *at call's directory descriptor)
  /// and cleaned lexically ("." and ".." removed, "//" collapsed).
  std::string path;
  /// The calling thread's kernel id (gettid) and name (pthread_getname_np:
  /// the program's name for the main thread unless renamed).
  std::uint64_t thread_id = 0;
  std::string thread_name;
  /// How many identical calls (same call, path and thread) this entry
  /// stands for.
  std::uint64_t count = 1;

  friend bool operator==(const RealDiskAccess& a, const RealDiskAccess& b) {
    return a.call == b.call && a.path == b.path && a.thread_id == b.thread_id &&
           a.thread_name == b.thread_name && a.count == b.count;
  }
};

/// What the adapters do with a test run's real-disk accesses.
enum class RealDiskMode {
  allow,   ///< record nothing
  report,  ///< print them after the test, and put them in the manifest
  fail,    ///< fail the test with them
};

/// MEMFS_REAL_DISK: "allow", "report" (also when unset or empty) or "fail".
/// Any other value gives report and, once per process, a warning on stderr.
[[nodiscard]] RealDiskMode real_disk_mode_from_env();
/// Parses a mode name; false (and `mode` untouched) when unknown.
[[nodiscard]] bool parse_real_disk_mode(std::string_view text,
                                        RealDiskMode& mode) noexcept;

/// The text printed (report) or failed with (fail) for `accesses` of the
/// test `test_name`, as at the top of this file: a heading naming the test
/// and the mode, then one line per access. "" when `accesses` is empty.
[[nodiscard]] std::string describe_real_disk_accesses(
    const std::vector<RealDiskAccess>& accesses, std::string_view test_name,
    RealDiskMode mode);

/// The manifest's "real_disk_accesses" section for `accesses`: an array of
/// {"op", "path", "thread", "thread_id", "thread_name", "count"} (op: the
/// call; thread: "4121 \"worker\""), which the snapshot page shows.
[[nodiscard]] JsonValue real_disk_section(
    const std::vector<RealDiskAccess>& accesses);

/// Adds `dir` (an absolute path; a relative one is taken against the
/// current directory) to the allow-list of the recording in progress: calls
/// on it or below it are not recorded until the recording stops (the end of
/// the running test). Matches whole components: "/data" allows "/data/x",
/// not "/data2". Does nothing when memfs::intercept is not linked. The
/// adapters' allow_real_disk() calls this.
void allow_real_disk_for_test(std::string_view dir);

/// True when memfs::intercept is linked into this program (it registered
/// its hooks), so the recording functions do something.
[[nodiscard]] bool real_disk_recording_available() noexcept;

namespace detail {

/// What memfs::intercept registers (intercept/src/recorder.cpp); every
/// member is set.
struct RealDiskHooks {
  /// Clears what was recorded and the per-recording allow-list, then
  /// records until stop.
  void (*start)();
  /// Stops recording and returns what was recorded since start.
  std::vector<RealDiskAccess> (*stop)();
  /// Adds a folder to the allow-list of the recording in progress.
  void (*allow_for_recording)(std::string_view dir);
};

/// Registers `hooks` (static storage; null unregisters). Called by
/// memfs::intercept's static initialiser.
void set_real_disk_hooks(const RealDiskHooks* hooks) noexcept;
/// The registered hooks, or null when memfs::intercept is not linked.
[[nodiscard]] const RealDiskHooks* real_disk_hooks() noexcept;

}  // namespace detail
}  // namespace memfs
