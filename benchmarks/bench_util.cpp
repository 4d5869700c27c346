// Shared helpers of the benchmark suite; see bench_util.hpp.
#include "bench_util.hpp"

#include <fcntl.h>
#include <malloc.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <stdexcept>
#include <system_error>

#include <linux/magic.h>

namespace memfs_bench {
namespace {

[[noreturn]] void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

bool is_memory_backed(const std::string& path) {
  struct statfs st {};
  if (::statfs(path.c_str(), &st) != 0) return true;  // unusable either way
  return st.f_type == TMPFS_MAGIC || st.f_type == RAMFS_MAGIC;
}

std::string find_disk_root() {
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("MEMFS_BENCH_DISK_DIR"))
    candidates.emplace_back(env);
  candidates.emplace_back("/var/tmp");
  candidates.push_back(std::filesystem::current_path().string());
  for (const std::string& c : candidates) {
    std::error_code ec;
    if (std::filesystem::is_directory(c, ec) && !is_memory_backed(c)) return c;
  }
  throw std::runtime_error(
      "no disk folder for the disk comparators: set MEMFS_BENCH_DISK_DIR to a "
      "folder that is not on tmpfs");
}

// A "Vm...:  123 kB" line of /proc/self/status, in bytes.
std::uint64_t proc_status_bytes(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string prefix = std::string(key) + ":";
  while (std::getline(in, line)) {
    if (line.compare(0, prefix.size(), prefix) == 0) {
      return std::stoull(line.substr(prefix.size())) * 1024;
    }
  }
  throw std::runtime_error(std::string("/proc/self/status has no ") + key);
}

// The first line of `path` that starts with `key`, after the ':' (trimmed).
std::string proc_field(const char* path, const std::string& key) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, key.size(), key) != 0) continue;
    const std::size_t colon = line.find(':');
    const std::size_t start = line.find_first_not_of(" \t", colon + 1);
    return start == std::string::npos ? "" : line.substr(start);
  }
  return "unknown";
}

// Describes the machine and the build in the JSON context (RESULTS.md prints
// it), so every result file says where it came from.
const bool kContextAdded = [] {
  benchmark::AddCustomContext("memfs_cpu",
                              proc_field("/proc/cpuinfo", "model name"));
  benchmark::AddCustomContext("memfs_memory",
                              proc_field("/proc/meminfo", "MemTotal"));
  utsname uts{};
  if (::uname(&uts) == 0) {
    benchmark::AddCustomContext("memfs_kernel",
                                std::string(uts.sysname) + " " + uts.release);
  }
#if defined(__clang__)
  benchmark::AddCustomContext("memfs_compiler", "clang " __clang_version__);
#elif defined(__GNUC__)
  benchmark::AddCustomContext("memfs_compiler", "g++ " __VERSION__);
#endif
#ifdef NDEBUG
  benchmark::AddCustomContext("memfs_build", "optimized (NDEBUG)");
#else
  benchmark::AddCustomContext(
      "memfs_build", "debug (assertions on): timings are not representative");
#endif
  benchmark::AddCustomContext("memfs_tmpfs_dir",
                              "/dev/shm (" + filesystem_type("/dev/shm") + ")");
  try {
    const std::string& disk = host_root(Host::disk);
    benchmark::AddCustomContext("memfs_disk_dir",
                                disk + " (" + filesystem_type(disk) + ")");
  } catch (const std::exception& e) {
    benchmark::AddCustomContext("memfs_disk_dir", e.what());
  }
  return true;
}();

}  // namespace

const std::string& payload(std::size_t n) {
  static std::mutex mutex;
  static std::map<std::size_t, std::string> cache;  // node-based: stable refs
  const std::lock_guard<std::mutex> lock(mutex);
  auto [it, inserted] = cache.try_emplace(n);
  if (inserted) {
    it->second.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      it->second[i] = static_cast<char>('a' + (i * 7 + i / 251) % 26);
    }
  }
  return it->second;
}

std::vector<std::string> numbered_paths(std::string_view prefix,
                                        std::size_t count, int width) {
  std::vector<std::string> out;
  out.reserve(count);
  char digits[32];
  for (std::size_t i = 0; i < count; ++i) {
    std::snprintf(digits, sizeof digits, "%0*zu", width, i);
    out.push_back(std::string(prefix) + digits + ".bin");
  }
  return out;
}

std::vector<std::size_t> random_indices(std::size_t count, std::size_t n) {
  std::mt19937_64 rng(kSeed);
  std::uniform_int_distribution<std::size_t> pick(0, n - 1);
  std::vector<std::size_t> out(count);
  for (std::size_t& i : out) i = pick(rng);
  return out;
}

std::vector<std::uint64_t> random_offsets(std::size_t count,
                                          std::uint64_t max_offset) {
  std::mt19937_64 rng(kSeed);
  std::uniform_int_distribution<std::uint64_t> pick(0, max_offset);
  std::vector<std::uint64_t> out(count);
  for (std::uint64_t& o : out) o = pick(rng);
  return out;
}

std::string deep_path(int depth, std::string_view leaf) {
  std::string out;
  for (int i = 0; i < depth; ++i) out += "/d" + std::to_string(i);
  out += '/';
  out += leaf;
  return out;
}

memfs::MemoryOptions quota_for(std::uint64_t bytes) {
  memfs::MemoryOptions options;
  options.max_quota = bytes + bytes / 4 + 16 * kMiB;
  return options;
}

const std::string& host_root(Host host) {
  static const std::string tmpfs = "/dev/shm";
  if (host == Host::tmpfs) return tmpfs;
  static const std::string disk = find_disk_root();
  return disk;
}

std::string filesystem_type(const std::string& path) {
  struct statfs st {};
  if (::statfs(path.c_str(), &st) != 0) return "unknown";
  switch (static_cast<unsigned long>(st.f_type)) {
    case TMPFS_MAGIC:
      return "tmpfs";
    case RAMFS_MAGIC:
      return "ramfs";
    case EXT4_SUPER_MAGIC:
      return "ext4";  // also ext2/ext3
    case XFS_SUPER_MAGIC:
      return "xfs";
    case BTRFS_SUPER_MAGIC:
      return "btrfs";
    case OVERLAYFS_SUPER_MAGIC:
      return "overlay";
    default:
      break;
  }
  char text[32];
  std::snprintf(text, sizeof text, "0x%lx",
                static_cast<unsigned long>(st.f_type));
  return text;
}

TempDir::TempDir(Host host) {
  std::string pattern = host_root(host) + "/memfs-bench-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) throw_errno("mkdtemp " + pattern);
  path_ = std::move(pattern);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

namespace posix_io {

void write_file(const std::string& path, std::string_view data) {
  const int fd =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw_errno("open " + path);
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      ::close(fd);
      throw_errno("write " + path);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  ::close(fd);
}

std::size_t read_file(const std::string& path, std::string& buffer) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw_errno("open " + path);
  const ssize_t n = ::read(fd, buffer.data(), buffer.size());
  ::close(fd);
  if (n < 0) throw_errno("read " + path);
  return static_cast<std::size_t>(n);
}

}  // namespace posix_io

namespace fstream_io {

void write_file(const std::string& path, std::string_view data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  if (!out) throw std::runtime_error("ofstream write " + path);
}

std::size_t read_file(const std::string& path, std::string& buffer) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("ifstream open " + path);
  in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  return static_cast<std::size_t>(in.gcount());
}

}  // namespace fstream_io

void set_rates(benchmark::State& state, std::uint64_t items_per_iteration,
               std::uint64_t bytes_per_iteration) {
  const auto iterations = static_cast<std::uint64_t>(state.iterations());
  state.SetItemsProcessed(
      static_cast<std::int64_t>(iterations * items_per_iteration));
  state.SetBytesProcessed(
      static_cast<std::int64_t>(iterations * bytes_per_iteration));
}

std::uint64_t peak_rss_growth(const std::function<void()>& work) {
  int fds[2];
  if (::pipe(fds) != 0) throw_errno("pipe");
  const pid_t pid = ::fork();
  if (pid < 0) throw_errno("fork");
  if (pid == 0) {
    ::close(fds[0]);
    std::uint64_t growth = 0;
    try {
      ::malloc_trim(0);
      if (std::FILE* f = std::fopen("/proc/self/clear_refs", "w")) {
        std::fputs("5", f);  // 5: reset the peak RSS (VmHWM) to the current RSS
        std::fclose(f);
      }
      const std::uint64_t start = proc_status_bytes("VmRSS");
      work();
      const std::uint64_t peak = proc_status_bytes("VmHWM");
      growth = peak > start ? peak - start : 0;
    } catch (...) {
      ::_exit(1);
    }
    const bool ok = ::write(fds[1], &growth, sizeof growth) == sizeof growth;
    ::_exit(ok ? 0 : 1);
  }
  ::close(fds[1]);
  std::uint64_t growth = 0;
  const bool got = ::read(fds[0], &growth, sizeof growth) == sizeof growth;
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!got || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error("peak_rss_growth: the measuring child failed");
  }
  return growth;
}

benchmark::internal::Benchmark* add(const std::string& case_name,
                                    const std::string& impl,
                                    void (*fn)(benchmark::State&)) {
  return benchmark::RegisterBenchmark((case_name + "/" + impl).c_str(), fn);
}

}  // namespace memfs_bench
