// The fixture of the fault-injection tests: a fresh filesystem from each
// backend, a FaultInjector on it, and a ManualClock with auto-advance (so
// delays and lock timeouts finish at once).
//
//     class TriggerTest : public memfs::test::FaultTest {};
//     MEMFS_INSTANTIATE_FAULT_TEST(TriggerTest);
//     TEST_P(TriggerTest, NthFiresOnce) { faults().add("..."); ... }
//
// The backends are listed in fault_fixture.cpp; adding one is one line.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "memfs/clock.hpp"
#include "memfs/fault_injection.hpp"
#include "memfs/file_system.hpp"

namespace memfs::test {

/// One backend the fault tests run against.
struct FaultBackend {
  /// Test-name suffix ("memory", "disk").
  std::string name;
  /// A fresh, empty filesystem using `clock` for lock timeouts.
  std::function<std::unique_ptr<FileSystem>(std::shared_ptr<Clock> clock)> make;
  /// True for MemoryFileSystem (real quota, so disk_full_after shrinks it).
  bool memory = false;
};

/// Every backend, in a fixed order.
const std::vector<FaultBackend>& fault_backends();

class FaultTest : public ::testing::TestWithParam<FaultBackend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  FileSystem& fs() { return *fs_; }
  FaultInjector& faults() { return *faults_; }
  ManualClock& clock() { return *clock_; }
  bool memory_backend() const { return GetParam().memory; }

  /// Writes `data` to a new or existing file through a File handle.
  void put(const std::string& path, const std::string& data);

 private:
  std::shared_ptr<ManualClock> clock_;
  std::unique_ptr<FileSystem> fs_;
  std::unique_ptr<FaultInjector> faults_;
};

void PrintTo(const FaultBackend& backend, std::ostream* os);

}  // namespace memfs::test

/// Runs every TEST_P of `fixture` once per backend, named `<test>/<backend>`.
#define MEMFS_INSTANTIATE_FAULT_TEST(fixture)                              \
  INSTANTIATE_TEST_SUITE_P(                                                \
      , fixture, ::testing::ValuesIn(::memfs::test::fault_backends()),     \
      [](const ::testing::TestParamInfo<::memfs::test::FaultBackend>& i) { \
        return i.param.name;                                               \
      })
