// The backends of the fault-injection tests, and their fixture.
#include "fault_fixture.hpp"

#include "memfs/disk_file_system.hpp"
#include "memfs/memory_file_system.hpp"

namespace memfs::test {

const std::vector<FaultBackend>& fault_backends() {
  static const std::vector<FaultBackend> backends = {
      {"memory",
       [](std::shared_ptr<Clock> clock) -> std::unique_ptr<FileSystem> {
         MemoryOptions options;
         options.max_quota = 16u << 20;
         options.clock = std::move(clock);
         return std::make_unique<MemoryFileSystem>(options);
       },
       true},
      {"disk",
       [](std::shared_ptr<Clock> clock) -> std::unique_ptr<FileSystem> {
         DiskOptions options;
         options.clock = std::move(clock);
         return DiskFileSystem::create_temporary({}, options);
       },
       false},
  };
  return backends;
}

void FaultTest::SetUp() {
  clock_ = std::make_shared<ManualClock>();
  clock_->set_auto_advance(true);
  fs_ = GetParam().make(clock_);
  faults_ = std::make_unique<FaultInjector>(*fs_, clock_);
}

void FaultTest::TearDown() {
  faults_.reset();
  fs_.reset();
}

void FaultTest::put(const std::string& path, const std::string& data) {
  File f = fs_->open(path, "w");
  ASSERT_EQ(f.write(data), data.size());
  f.close();
}

void PrintTo(const FaultBackend& backend, std::ostream* os) {
  *os << backend.name;
}

}  // namespace memfs::test
