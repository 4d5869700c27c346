// The usage report under Catch2. The same test body runs on both backends
// (a generated value picks the in-memory filesystem of the run or a
// temporary DiskFileSystem), because production code taking
// memfs::FileSystem& should not care. publish() then meets a full disk and a
// failed rename in sections of its own, on memory, where faults are free.
#if __has_include(<catch2/catch_version_macros.hpp>)
#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
#else
#include <catch2/catch.hpp>
#endif

#include <memory>
#include <string>
#include <vector>

#include "sample_tree.hpp"
#include "usage_report.hpp"
#include <memfs/catch2.hpp>
#include <memfs/disk_file_system.hpp>

using memfs::catch2::FileContents;
using memfs::catch2::HasFile;

TEST_CASE("the report is the same on memory and on disk", "[report]") {
  const std::string backend = GENERATE(as<std::string>{}, "memory", "disk");
  CAPTURE(backend);
  std::unique_ptr<memfs::DiskFileSystem> disk;
  if (backend == "disk") disk = memfs::DiskFileSystem::create_temporary();
  memfs::FileSystem& fs =
      disk ? static_cast<memfs::FileSystem&>(*disk) : memfs::catch2::fs();

  example::sample::make_tree(fs);
  const example::UsageReport r = example::summarize(fs, "/data", 1);
  CHECK(r.files == 4);
  CHECK(r.bytes == 442);
  CHECK(example::format_report(r, "sample") ==
        "usage report: sample\nfiles: 4\ndirectories: 2\nbytes: 442\n"
        "largest: 300 /data/logs/app.log\n"
        "extension: (none) 40\nextension: .log 400\nextension: .txt 2\n");

  REQUIRE_FALSE(example::publish(fs, "/reports", "r1.txt", "one", 1));
  REQUIRE_FALSE(example::publish(fs, "/reports", "r2.txt", "two", 1));
  CHECK(fs.list("/reports") == std::vector<std::string>{"r2.txt"});
}

TEST_CASE("a report that cannot be published leaves the previous one",
          "[report][faults]") {
  auto& fs = memfs::catch2::fs();
  REQUIRE_FALSE(example::publish(fs, "/reports", "today.txt", "previous"));

  SECTION("the disk is full") {
    memfs::catch2::faults().disk_full_after(3);
    CHECK(example::publish(fs, "/reports", "today.txt", "the new report") ==
          memfs::errc::quota_exceeded);
  }
  SECTION("the rename into place fails") {
    memfs::catch2::faults().add("rename /reports/today.txt.tmp once fail=EIO");
    CHECK(example::publish(fs, "/reports", "today.txt", "the new report") ==
          std::errc::io_error);
  }
  CHECK_THAT(fs, FileContents("/reports/today.txt", "previous") &&
                     !HasFile("/reports/today.txt.tmp"));
}
