// memfs::gtest::for_each_crash_point: report_crash_points with each failing
// crash state reported as a gtest failure.
#include "memfs/gtest.hpp"

namespace memfs::gtest {

CrashPointReport for_each_crash_point(
    const std::function<void(FileSystem&)>& workload,
    const RecoveryCheck& check, const CrashPointOptions& options,
    MemoryOptions memory) {
  return report_crash_points(
      workload, check, options, std::move(memory),
      [](const std::string& message) { ADD_FAILURE() << message; },
      []() -> FileSystem& { return fs(); });
}

}  // namespace memfs::gtest
