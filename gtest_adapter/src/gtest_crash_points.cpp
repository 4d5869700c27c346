// memfs::gtest::for_each_crash_point: check_crash_points with each failing
// crash state reported as a gtest failure.
#include "memfs/gtest.hpp"

namespace memfs::gtest {

CrashPointReport for_each_crash_point(
    const std::function<void(FileSystem&)>& workload,
    const RecoveryCheck& check, const CrashPointOptions& options,
    MemoryOptions memory) {
  CrashPointReport report =
      check_crash_points(workload, check, options, std::move(memory));
  for (std::size_t i = 0; i < report.failures.size(); ++i) {
    ADD_FAILURE() << report.failure_message(i);
  }
  report.export_first_failure(fs());
  return report;
}

}  // namespace memfs::gtest
