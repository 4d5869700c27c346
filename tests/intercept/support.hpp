// Shared fixture of the interception tests: a MemoryFileSystem mounted on a
// directory under /dev/shm that does not exist on disk, next to a real
// folder on /dev/shm, and a recorder that runs the same calls on both and
// compares what they return (value, errno, bytes) and the trees they leave.
#pragma once

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <memfs/intercept.hpp>
#include <memfs/memory_file_system.hpp>

namespace memfs_test {

/// A path, as the tests build them: r + "/f".
using P = std::string;

/// One side's record of a call sequence.
class Trace {
 public:
  /// Records `what` = value (and errno when negative); returns the value.
  template <class T>
  T rec(const std::string& what, T value) {
    int e = errno;
    std::string line = what + " = " + std::to_string(value);
    if (value < 0) line += std::string(" errno=") + errno_name(e);
    lines.push_back(line);
    errno = e;
    return value;
  }
  /// Records a pointer result as ok / errno.
  template <class T>
  T* rec_ptr(const std::string& what, T* value) {
    int e = errno;
    lines.push_back(
        what +
        (value ? " = ok" : std::string(" = null errno=") + errno_name(e)));
    errno = e;
    return value;
  }
  void note(const std::string& s) { lines.push_back(s); }

  static std::string errno_name(int e) {
    const char* n = strerrorname_np(e);
    return n ? n : std::to_string(e);
  }

  std::vector<std::string> lines;
};

/// Records a call: CALL(tr, open(p("a").c_str(), O_RDONLY)).
#define CALL(tr, expr) (errno = 0, (tr).rec(#expr, (expr)))

/// A tree as a sorted list of "path kind size [contents]" lines, read with
/// plain POSIX calls (so on the mount they are intercepted too).
std::vector<std::string> tree_of(const std::string& root);

/// Fails the test, listing the lines that differ, unless mount == disk.
void expect_same(const std::string& what, const std::vector<std::string>& mount,
                 const std::vector<std::string>& disk);

/// The stat fields a mount must report as tmpfs does.
/// st_blocks only with `blocks`: tmpfs allocates nothing for sparse
/// ranges, which memfs does not track.
std::string stat_line(const struct stat& st, bool blocks = true);

class InterceptTest : public ::testing::Test {
 protected:
  InterceptTest();
  ~InterceptTest() override;

  /// Runs body(root, trace) on the mount and on the real folder; expects the
  /// same traces and the same final trees.
  void differential(
      const std::function<void(const std::string& root, Trace& tr)>& body);

  /// Runs differential(run(root, seed, tr)) for each of `seeds`, or for
  /// MEMFS_TEST_SEED=<n> alone when set, each from empty trees on both
  /// sides; stops at the first seed that fails.
  void differential_seeds(
      std::vector<std::uint32_t> seeds,
      const std::function<void(const std::string& root, std::uint32_t seed,
                               Trace& tr)>& run);

  memfs::MemoryFileSystem fs_;
  /// The mount directory (absent from the real disk) and the real folder.
  std::string mount_dir_;
  std::string real_dir_;
  std::unique_ptr<memfs::Mount> mount_;
};

}  // namespace memfs_test
