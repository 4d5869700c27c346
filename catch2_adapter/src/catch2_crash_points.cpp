// memfs::catch2::for_each_crash_point: check_crash_points with each failing
// crash state reported as a Catch2 failure.
#include "memfs/catch2.hpp"

namespace memfs::catch2 {

CrashPointReport for_each_crash_point(
    const std::function<void(FileSystem&)>& workload,
    const RecoveryCheck& check, const CrashPointOptions& options,
    MemoryOptions memory) {
  CrashPointReport report =
      check_crash_points(workload, check, options, std::move(memory));
  for (std::size_t i = 0; i < report.failures.size(); ++i) {
    FAIL_CHECK(report.failure_message(i));
  }
  report.export_first_failure(fs());
  return report;
}

}  // namespace memfs::catch2
