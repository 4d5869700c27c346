// The fault action `crash`: a power cut at a chosen call, caught by
// check_crash_points or by hand.
#include <string>

#include <gtest/gtest.h>

#include "memfs/crash.hpp"
#include "memfs/fault_injection.hpp"
#include "memfs/memory_file_system.hpp"
#include "support/tracked_options.hpp"

namespace {

using memfs::test_support::tracked;

// A log of five synced appends in /db.
void append_five(memfs::FileSystem& fs) {
  fs.create_directory("/db");
  fs.sync_directory("/");
  auto log = fs.open("/db/a.log", "w");
  fs.sync_directory("/db");
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(log.write("x"), 1u);
    log.sync();
  }
}

// The example on Action::crash (fault_rule.hpp).
TEST(CrashAction, DocumentedExample) {
  memfs::MemoryOptions opts;
  opts.track_durability = true;
  memfs::MemoryFileSystem fs(opts);
  memfs::FaultInjector faults(fs);
  faults.add("sync /db/*.log nth=3 crash");  // crash after the 2nd sync
  fs.create_directory("/db");
  fs.sync_directory("/");
  auto log = fs.open("/db/a.log", "w");
  fs.sync_directory("/db");
  bool crashed = false;
  try {
    for (int i = 0; i < 5; ++i) {
      EXPECT_EQ(log.write("x"), 1u);
      log.sync();
    }
  } catch (const memfs::CrashSignal& crash) {
    crashed = true;
    EXPECT_EQ(crash.crashed()->read_file("/db/a.log"), "xx");
    EXPECT_EQ(std::string(crash.what()),
              "memfs: crash at sync /db/a.log (rule 1: sync /db/*.log nth=3 "
              "crash, call 3)");
  }
  EXPECT_TRUE(crashed);
  EXPECT_EQ(fs.read_file("/db/a.log"), "xxx");  // the original goes on
}

TEST(CrashAction, StopsTheWorkloadOfCheckCrashPoints) {
  memfs::MemoryFileSystem fs(tracked());
  memfs::FaultInjector faults(fs);
  faults.add("sync /db/*.log nth=3 crash");
  const auto report = memfs::check_crash_points(
      fs, append_five, [](memfs::MemoryFileSystem& c) -> std::string {
        if (!c.exists("/db/a.log")) return "";
        const std::string log = c.read_file("/db/a.log");
        return log.size() <= 2 ? "" : "more than two records: " + log;
      });
  EXPECT_TRUE(report.passed()) << report.describe();
  EXPECT_NE(report.crashed_by.find("sync /db/a.log"), std::string::npos);
  // create, sync "/", open, sync "/db", 2 x (write, sync), the third write
  // and the third sync of the log, which the crash hit before it ran.
  EXPECT_EQ(report.log.size(), 10u);
  EXPECT_EQ(report.log.back(), "sync /db/a.log");
}

TEST(CrashAction, TheErrorCodeFormsReportIoError) {
  memfs::MemoryFileSystem fs(tracked());
  memfs::FaultInjector faults(fs);
  faults.add("create /d once crash");
  std::error_code ec;
  (void)fs.create_directory("/d", ec);
  EXPECT_EQ(ec, std::errc::io_error);
  EXPECT_FALSE(fs.exists("/d"));
}

TEST(CrashAction, WithoutTheModelTheSignalCarriesNoFilesystem) {
  memfs::MemoryFileSystem fs;
  memfs::FaultInjector faults(fs);
  faults.add("write /** once crash");
  try {
    fs.write_file("/a", "x");
    FAIL() << "no crash";
  } catch (const memfs::CrashSignal& crash) {
    EXPECT_EQ(crash.crashed(), nullptr);
  }
}

}  // namespace
