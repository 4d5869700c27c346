// benchmarks/bench_util.hpp — what every benchmark of the suite shares:
// payloads, seeded random choices, host folders on tmpfs and on a real disk,
// host file I/O (POSIX and std::fstream), peak-memory measurement, counters,
// and the naming scheme that benchmarks/ratios.py reads.
//
// Naming: every benchmark is registered as "<case>/<impl>", e.g.
// "small_files/memfs_api" or "stream_16m/posix_tmpfs". ratios.py pairs the
// memfs impls of a case with its comparators by these two parts (Google
// Benchmark may append "/real_time" or "/threads:N"; the script understands
// both). Impl names in use:
//   memfs_api     MemoryFileSystem::write_file / read_file / import_tree
//   memfs_file    memfs::File handles (open, write/read, close)
//   memfs_stream  memfs::ofstream / memfs::ifstream
//   fstream_tmpfs std::ofstream / std::ifstream in a folder under /dev/shm
//   posix_tmpfs   open(2) / write(2) / read(2) / close(2) under /dev/shm
//   fstream_disk, posix_disk   the same on a real disk (see disk_root())
//   hashmap       std::unordered_map<std::string, std::string> (the floor)
//   memcpy        memcpy into a preallocated buffer (the bandwidth limit)
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <benchmark/benchmark.h>

#include "memfs/memory_file_system.hpp"

namespace memfs_bench {

inline constexpr std::size_t kKiB = 1024;
inline constexpr std::size_t kMiB = 1024 * kKiB;
/// The seed of every random choice (D-MemFS's suite uses Random(42)).
inline constexpr std::uint64_t kSeed = 42;

// --- data ----------------------------------------------------------------------

/// n bytes of deterministic, non-constant content. Cached: the reference
/// stays valid for the life of the process.
const std::string& payload(std::size_t n);

/// "<prefix><i>.bin" for i in [0, count), zero-padded to `width` digits:
/// numbered_paths("/bench/f", 3, 5) == {"/bench/f00000.bin", ...}.
std::vector<std::string> numbered_paths(std::string_view prefix,
                                        std::size_t count, int width = 6);

/// `count` indices in [0, n), drawn with replacement from a generator seeded
/// with kSeed (the same sequence on every run and in every impl).
std::vector<std::size_t> random_indices(std::size_t count, std::size_t n);

/// `count` offsets in [0, max_offset], seeded like random_indices().
std::vector<std::uint64_t> random_offsets(std::size_t count,
                                          std::uint64_t max_offset);

/// "/d0/d1/.../d<depth-1>/<leaf>".
std::string deep_path(int depth, std::string_view leaf);

/// MemoryOptions whose quota holds `bytes` (and leaves room for overhead).
memfs::MemoryOptions quota_for(std::uint64_t bytes);

// --- host folders --------------------------------------------------------------

/// Where a host comparator runs.
enum class Host { tmpfs, disk };

/// The parent folder for `host`: /dev/shm for tmpfs; for disk
/// $MEMFS_BENCH_DISK_DIR, else /var/tmp, else the working directory —
/// the first that exists and is not tmpfs/ramfs (checked with statfs).
/// Throws std::runtime_error if there is none.
const std::string& host_root(Host host);

/// The filesystem type of `path` as statfs(2) reports it ("tmpfs", "ext4",
/// "xfs", "btrfs", "overlay", ... or "0x<magic>").
std::string filesystem_type(const std::string& path);

/// A fresh, uniquely named folder under host_root(host), removed with
/// everything in it on destruction. Not copyable.
class TempDir {
 public:
  explicit TempDir(Host host);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
};

// --- host file I/O (throw std::system_error on failure) ------------------------

namespace posix_io {
/// open(O_WRONLY | O_CREAT | O_TRUNC) + write everything + close.
void write_file(const std::string& path, std::string_view data);
/// open(O_RDONLY) + one read of up to `buffer.size()` bytes + close.
std::size_t read_file(const std::string& path, std::string& buffer);
}  // namespace posix_io

namespace fstream_io {
/// std::ofstream(path, binary | trunc).write(data).
void write_file(const std::string& path, std::string_view data);
/// std::ifstream(path, binary).read(buffer) (up to buffer.size() bytes).
std::size_t read_file(const std::string& path, std::string& buffer);
}  // namespace fstream_io

// --- measurement ---------------------------------------------------------------

/// Sets items_per_second / bytes_per_second from per-iteration amounts.
void set_rates(benchmark::State& state, std::uint64_t items_per_iteration,
               std::uint64_t bytes_per_iteration);

/// Runs `work` in a forked child and returns how far the child's resident
/// set rose above its starting point at the peak (VmHWM − VmRSS at start,
/// after malloc_trim and a reset of the high-water mark through
/// /proc/self/clear_refs), in bytes. Throws std::runtime_error if the child
/// fails. The parent's memory is untouched.
std::uint64_t peak_rss_growth(const std::function<void()>& work);

/// Registers `fn` as "<case_name>/<impl>" and returns it for chaining.
benchmark::internal::Benchmark* add(const std::string& case_name,
                                    const std::string& impl,
                                    void (*fn)(benchmark::State&));

}  // namespace memfs_bench
