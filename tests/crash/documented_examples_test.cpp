// The examples of crash.hpp and of MemoryFileSystem's durability members, as
// written there.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "memfs/crash.hpp"
#include "memfs/memory_file_system.hpp"

namespace {

TEST(CrashDocumentedExamples, TopOfCrashHpp) {
  memfs::MemoryOptions opts;
  opts.track_durability = true;
  memfs::MemoryFileSystem fs(opts);
  fs.create_directory("/db");
  fs.sync_directory("/");  // "/db" survives a crash
  auto f = fs.open("/db/log", "w");
  EXPECT_EQ(f.write("acked"), 5u);
  f.sync();                  // the bytes are durable...
  fs.sync_directory("/db");  // ...and so is the name
  EXPECT_EQ(f.write(" lost"), 5u);
  auto crashed = fs.crash_clone();  // power cut now
  EXPECT_EQ(crashed->read_file("/db/log"), "acked");
}

TEST(CrashDocumentedExamples, CrashOptionsDefaults) {
  memfs::CrashOptions o;
  EXPECT_EQ(o.unsynced_data, memfs::UnsyncedData::drop);
  EXPECT_FALSE(o.keep_unsynced_entries);
  EXPECT_EQ(o.torn_block_size, 0u);
}

TEST(CrashDocumentedExamples, CheckCrashPoints) {
  memfs::MemoryOptions opts;
  opts.track_durability = true;
  memfs::MemoryFileSystem fs(opts);
  auto report = memfs::check_crash_points(
      fs,
      [](memfs::FileSystem& f) {
        f.write_file("/tmp.txt", "v1");
        f.rename("/tmp.txt", "/settings");  // no fsync: a planted bug
      },
      [](memfs::MemoryFileSystem& crashed) -> std::string {
        if (crashed.exists("/settings") &&
            crashed.read_file("/settings") != "v1") {
          return "settings emptied";
        }
        return "";
      });
  EXPECT_FALSE(report.passed());
}

TEST(CrashDocumentedExamples, CurrentCrashPoint) {
  std::vector<std::size_t> acked_at;  // one entry per acknowledged write
  auto workload = [&](memfs::FileSystem& fs) {
    auto f = fs.open("/a", "w");
    EXPECT_EQ(f.write("x"), 1u);
    f.sync();                // the bytes, then the name:
    fs.sync_directory("/");  // durable, so acknowledged
    acked_at.push_back(memfs::current_crash_point());
  };
  auto check = [&](memfs::MemoryFileSystem& crashed) -> std::string {
    const auto acked = std::count_if(
        acked_at.begin(), acked_at.end(),
        [](std::size_t p) { return p <= memfs::current_crash_point(); });
    return acked > 0 && !crashed.exists("/a") ? "acknowledged, then lost" : "";
  };
  memfs::MemoryOptions opts;
  opts.track_durability = true;
  memfs::MemoryFileSystem fs(opts);
  const auto report = memfs::check_crash_points(fs, workload, check);
  EXPECT_TRUE(report.passed()) << report.describe();
  EXPECT_EQ(acked_at, std::vector<std::size_t>{4});
  EXPECT_EQ(memfs::current_crash_point(), 0u);
}

TEST(CrashDocumentedExamples, CrashCloneOnTheMemoryFileSystem) {
  memfs::MemoryOptions opts;
  opts.track_durability = true;
  memfs::MemoryFileSystem fs(opts);
  fs.write_file("/a", "x");  // never synced
  EXPECT_FALSE(fs.crash_clone()->exists("/a"));
  fs.sync_all();
  EXPECT_EQ(fs.crash_clone()->read_file("/a"), "x");
}

TEST(CrashDocumentedExamples, SyncDirectoryOnTheFileSystem) {
  memfs::MemoryOptions opts;
  opts.track_durability = true;
  memfs::MemoryFileSystem fs(opts);
  fs.write_file("/new.txt", "x");
  fs.sync_directory("/");  // "/new.txt" now survives a crash
  EXPECT_TRUE(fs.crash_clone()->exists("/new.txt"));
}

}  // namespace
