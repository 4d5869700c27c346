// memfs::catch2::for_each_crash_point: report_crash_points with each failing
// crash state reported as a Catch2 failure.
#include "memfs/catch2.hpp"

namespace memfs::catch2 {

CrashPointReport for_each_crash_point(
    const std::function<void(FileSystem&)>& workload,
    const RecoveryCheck& check, const CrashPointOptions& options,
    MemoryOptions memory) {
  return report_crash_points(
      workload, check, options, std::move(memory),
      [](const std::string& message) { FAIL_CHECK(message); },
      []() -> FileSystem& { return fs(); });
}

}  // namespace memfs::catch2
