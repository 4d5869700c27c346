// memfs::intercept (issue #15), in a binary of its own,
// memfs_intercept_benchmarks, that links the interposers (linking them into
// memfs_benchmarks would put every POSIX and fstream comparator there behind
// the wrappers):
//
//   intercept_write4k  open + write 4 KiB + close of one file (O_TRUNC),
//   intercept_read4k   open + read 4 KiB + close,
//                      each through POSIX calls and through std::fstream:
//                      memfs_mount_posix / memfs_mount_fstream on a mount vs
//                      posix_tmpfs / fstream_tmpfs on a folder under
//                      /dev/shm, the same unmodified code.
//                      Target: the mount at least 5x faster.
//                      Two floors, for reading the ratios: memfs_file_direct
//                      does the same through memfs::File (what the mount
//                      calls underneath, no interception), and
//                      intercept_floor/placeholder_dup_close is the two system
//                      calls a mounted open + close made before closed
//                      placeholders were parked for the next open (F_DUPFD
//                      of the placeholder template onto the lowest free
//                      number, and close); intercept_floor/ifstream_object
//                      (a std::ifstream made and destroyed, no file) and
//                      intercept_floor/cookie_file (memfs::fopencookie +
//                      fclose, the FILE* every fstream open on a mount
//                      makes) are what the fstream cases pay before any
//                      file work, on a mount and on tmpfs alike.
//   passthrough        stat + open + read 4 KiB + close of a file on
//                      /dev/shm, a path on no mount:
//                        libc_direct          the libc functions called
//                                             through pointers from
//                                             dlsym(RTLD_NEXT): what the
//                                             program pays without
//                                             interception;
//                        intercepted_idle     plain calls, nothing mounted:
//                                             the wrappers' one atomic test;
//                        intercepted_mounted  plain calls while a mount is
//                                             alive elsewhere: every path is
//                                             classified against the mount
//                                             table, then forwarded;
//                        paired               libc_direct and
//                                             intercepted_mounted alternating
//                                             in one loop; counter
//                                             mounted_ratio = their time
//                                             ratio from the same moments.
//                      Target: < 5% (ratio < 1.05).
//
//   memfs_intercept_benchmarks --benchmark_filter=passthrough
#include <dlfcn.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>

#include "bench_util.hpp"
#include "memfs/intercept.hpp"
#include "memfs/memory_file_system.hpp"
#include "memfs/stdio.hpp"

namespace memfs_bench {
namespace {

constexpr std::size_t kSize = 4 * kKiB;

// Where a case runs: a mount on a directory absent from the disk, or a
// fresh folder under /dev/shm.
class Site {
 public:
  explicit Site(bool mounted) {
    if (mounted) {
      mount_ = std::make_unique<memfs::Mount>(
          fs_, "/dev/shm/memfs-intercept-bench-" + std::to_string(getpid()));
      dir_ = mount_->host_dir();
    } else {
      tmp_ = std::make_unique<TempDir>(Host::tmpfs);
      dir_ = tmp_->path();
    }
    file_ = dir_ + "/f.bin";
    posix_io::write_file(file_, payload(kSize));
  }
  [[nodiscard]] const std::string& file() const { return file_; }

 private:
  memfs::MemoryFileSystem fs_;
  std::unique_ptr<memfs::Mount> mount_;
  std::unique_ptr<TempDir> tmp_;
  std::string dir_, file_;
};

template <bool kMounted, bool kFstream>
void write4k(benchmark::State& state) {
  const Site site(kMounted);
  const std::string& data = payload(kSize);
  for (auto _ : state) {
    if constexpr (kFstream) {
      fstream_io::write_file(site.file(), data);
    } else {
      posix_io::write_file(site.file(), data);
    }
  }
  set_rates(state, 1, kSize);
}

template <bool kMounted, bool kFstream>
void read4k(benchmark::State& state) {
  const Site site(kMounted);
  std::string buffer(kSize, '\0');
  std::uint64_t read = 0;
  for (auto _ : state) {
    if constexpr (kFstream) {
      read += fstream_io::read_file(site.file(), buffer);
    } else {
      read += posix_io::read_file(site.file(), buffer);
    }
  }
  if (read != static_cast<std::uint64_t>(state.iterations()) * kSize) {
    state.SkipWithError("short read");
  }
  set_rates(state, 1, kSize);
}

// open + write or read 4 KiB + close through memfs::File, no interception.
template <bool kWrite>
void file_direct(benchmark::State& state) {
  memfs::MemoryFileSystem fs;
  fs.write_file("/f.bin", payload(kSize));
  const std::string& data = payload(kSize);
  std::string buffer(kSize, '\0');
  for (auto _ : state) {
    memfs::File f = fs.open("/f.bin", kWrite ? "w" : "r");
    if constexpr (kWrite) {
      if (f.write(data) != data.size()) state.SkipWithError("short write");
    } else {
      benchmark::DoNotOptimize(f.read(buffer.data(), kSize));
    }
    f.close();
  }
  set_rates(state, 1, kSize);
}

// What a placeholder descriptor costs the kernel per open + close.
void placeholder_dup_close(benchmark::State& state) {
  const int tmpl = memfd_create("memfs-bench", MFD_CLOEXEC);
  if (tmpl < 0) throw std::runtime_error("memfd_create");
  for (auto _ : state) {
    const int fd = fcntl(tmpl, F_DUPFD_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("F_DUPFD");
    close(fd);
  }
  close(tmpl);
  set_rates(state, 1, 0);
}

// std::ifstream's own cost, with no file: construct + destroy.
void ifstream_object(benchmark::State& state) {
  for (auto _ : state) {
    std::ifstream in;
    benchmark::DoNotOptimize(&in);
  }
  set_rates(state, 1, 0);
}

// The FILE* of an fstream open on a mount, with no file behind it.
void cookie_file(benchmark::State& state) {
  for (auto _ : state) {
    std::FILE* f = memfs::fopencookie(nullptr, "r", {});
    if (f == nullptr) throw std::runtime_error("fopencookie");
    std::fclose(f);
  }
  set_rates(state, 1, 0);
}

// The four calls of the passthrough loop, as plain calls (through the
// wrappers) or as libc's own functions.
struct Calls {
  int (*stat)(const char*, struct stat*);
  int (*open)(const char*, int, ...);
  ssize_t (*read)(int, void*, size_t);
  int (*close)(int);
};

template <class Fn>
Fn next(const char* name) {
  void* p = dlsym(RTLD_NEXT, name);  // from the executable: libc's
  if (p == nullptr) throw std::runtime_error(std::string("dlsym ") + name);
  return reinterpret_cast<Fn>(p);
}

Calls libc_calls() {
  return {next<decltype(Calls::stat)>("stat"),
          next<decltype(Calls::open)>("open"),
          next<decltype(Calls::read)>("read"),
          next<decltype(Calls::close)>("close")};
}
Calls plain_calls() { return {&::stat, &::open, &::read, &::close}; }

void passthrough_once(const Calls& c, const char* path, char* buffer) {
  struct stat st;
  if (c.stat(path, &st) != 0) throw std::runtime_error("stat");
  const int fd = c.open(path, O_RDONLY);
  if (fd < 0) throw std::runtime_error("open");
  if (c.read(fd, buffer, kSize) != static_cast<ssize_t>(kSize))
    throw std::runtime_error("read");
  c.close(fd);
}

// A mount elsewhere, alive for the case, so that wrappers classify paths.
std::unique_ptr<memfs::Mount> mount_elsewhere(memfs::MemoryFileSystem& fs) {
  return std::make_unique<memfs::Mount>(
      fs,
      "/dev/shm/memfs-intercept-bench-elsewhere-" + std::to_string(getpid()));
}

template <bool kLibc, bool kMountAlive>
void passthrough(benchmark::State& state) {
  const Site site(false);
  memfs::MemoryFileSystem fs;
  std::unique_ptr<memfs::Mount> elsewhere;
  if (kMountAlive) elsewhere = mount_elsewhere(fs);
  const Calls calls = kLibc ? libc_calls() : plain_calls();
  char buffer[kSize];
  for (auto _ : state) passthrough_once(calls, site.file().c_str(), buffer);
  set_rates(state, 4, kSize);
}

void paired(benchmark::State& state) {
  using Clock = std::chrono::steady_clock;
  const Site site(false);
  memfs::MemoryFileSystem fs;
  const auto elsewhere = mount_elsewhere(fs);
  const Calls direct = libc_calls(), plain = plain_calls();
  const char* path = site.file().c_str();
  char buffer[kSize];
  Clock::duration direct_time{}, plain_time{};
  bool direct_first = true;
  for (auto _ : state) {
    // Alternate the order so neither side always runs on a warm cache.
    const auto t0 = Clock::now();
    passthrough_once(direct_first ? direct : plain, path, buffer);
    const auto t1 = Clock::now();
    passthrough_once(direct_first ? plain : direct, path, buffer);
    const auto t2 = Clock::now();
    direct_time += direct_first ? t1 - t0 : t2 - t1;
    plain_time += direct_first ? t2 - t1 : t1 - t0;
    direct_first = !direct_first;
  }
  state.counters["mounted_ratio"] = static_cast<double>(plain_time.count()) /
                                    static_cast<double>(direct_time.count());
  set_rates(state, 8, 2 * kSize);
}

const bool kRegistered = [] {
  add("intercept_write4k", "memfs_mount_posix", write4k<true, false>);
  add("intercept_write4k", "posix_tmpfs", write4k<false, false>);
  add("intercept_write4k", "memfs_mount_fstream", write4k<true, true>);
  add("intercept_write4k", "fstream_tmpfs", write4k<false, true>);
  add("intercept_write4k", "memfs_file_direct", file_direct<true>);
  add("intercept_read4k", "memfs_mount_posix", read4k<true, false>);
  add("intercept_read4k", "posix_tmpfs", read4k<false, false>);
  add("intercept_read4k", "memfs_mount_fstream", read4k<true, true>);
  add("intercept_read4k", "fstream_tmpfs", read4k<false, true>);
  add("intercept_read4k", "memfs_file_direct", file_direct<false>);
  add("intercept_floor", "placeholder_dup_close", placeholder_dup_close);
  add("intercept_floor", "ifstream_object", ifstream_object);
  add("intercept_floor", "cookie_file", cookie_file);
  add("passthrough", "libc_direct", passthrough<true, false>);
  add("passthrough", "intercepted_idle", passthrough<false, false>);
  add("passthrough", "intercepted_mounted", passthrough<false, true>);
  add("passthrough", "paired", paired);
  return true;
}();

}  // namespace
}  // namespace memfs_bench
