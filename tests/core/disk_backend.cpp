// The disk backend of the conformance suite: a DiskFileSystem on a fresh
// temporary directory (under /dev/shm when writable, else the system temp
// directory), removed when the test's filesystem is destroyed.
//
// Capabilities, and why they differ from the memory backend:
//   - no quota and no node cap: a disk has neither, so the tests that fill
//     them skip (Backend::quota / node_limit are empty), and stats() reports
//     quota = free = the maximum;
//   - no generation counter (has_generation false): a disk does not count
//     content changes, status().generation is always 0, and export_tree's
//     only_dirty finds nothing;
//   - exact_stats: DiskFileSystem walks its tree for stats() and adds the
//     sizes of open-but-removed files it holds handles to, so the counters
//     are exact while nothing else writes into the root.
// Locks are real flock(2) locks with the same per-handle semantics, so the
// lock tests run unchanged (see memfs/disk_file_system.hpp).
#include "backend.hpp"
#include "memfs/disk_file_system.hpp"

namespace memfs::test {
namespace {

Backend disk_backend() {
  Backend b;
  b.name = "disk";
  b.make = [] { return DiskFileSystem::create_temporary(); };
  b.make_lock_on_open = [](std::shared_ptr<Clock> clock,
                           std::chrono::nanoseconds lock_timeout) {
    DiskOptions options;
    options.lock_on_open = true;
    options.clock = std::move(clock);
    options.default_lock_timeout = lock_timeout;
    return DiskFileSystem::create_temporary({}, options);
  };
  b.has_generation = false;
  b.exact_stats = true;
  b.sets_times = true;
  b.exchanges = true;
  return b;
}

}  // namespace

MEMFS_REGISTER_BACKEND(disk_backend);

}  // namespace memfs::test
