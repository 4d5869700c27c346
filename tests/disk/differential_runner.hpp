// The differential harness: one seeded random operation at a time, applied to
// a MemoryFileSystem and a DiskFileSystem side by side, with each outcome
// (result value and error code) rendered as text and compared, and then the
// whole observable state of both compared too.
//
// What is compared, and what deliberately is not (the explained divergences):
//   - results and error codes of every operation: exactly;
//   - the tree (every path, its type, and every file's contents), and stats
//     (file and directory counts, bytes used): exactly, after every step;
//   - NOT generation counters (a disk keeps none: always 0), NOT created and
//     modified times (each backend reads its own clock), NOT quota/free (a
//     disk has no quota; the memory side's quota is far above what a run
//     writes, so quota errors never occur).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "memfs/disk_file_system.hpp"
#include "memfs/memory_file_system.hpp"

namespace memfs::test {

class DifferentialRunner {
 public:
  explicit DifferentialRunner(std::uint64_t seed);
  ~DifferentialRunner();

  /// Runs one random operation on both backends. Returns an empty string when
  /// both agree (outcome and resulting state), else a description of the
  /// divergence with the recent history.
  std::string step();

  /// Operations run so far.
  [[nodiscard]] std::uint64_t steps() const { return steps_; }

 private:
  struct HandlePair {
    File memory;
    File disk;
    std::string path;
    std::string mode;
  };

  std::string random_name();
  std::string random_path();
  std::string random_data();
  std::string random_mode();
  std::uint64_t below(std::uint64_t n);

  // One operation on one backend, its outcome as text. `handle` is the
  // backend's side of the chosen handle, if the operation uses one.
  std::string apply(FileSystem& fs, File* handle, int kind);
  std::string compare_state();

  std::mt19937_64 rng_;
  std::uint64_t steps_ = 0;
  std::unique_ptr<MemoryFileSystem> memory_;
  std::unique_ptr<DiskFileSystem> disk_;
  std::vector<HandlePair> handles_;
  std::deque<std::string> history_;  // recent operations, for the report

  // The operation being run, drawn once and applied to both sides.
  struct Args {
    std::string a, b, data, mode;
    std::uint64_t offset = 0, size = 0;
    std::size_t handle = 0;
  } args_;
};

}  // namespace memfs::test
