// RotatingLog's tests. Every run of a test case (each SECTION, each
// GENERATE value) gets a fresh in-memory filesystem from memfs::catch2; if
// a run fails, its tree is exported to ./memfs-snapshots (or
// $MEMFS_SNAPSHOT_DIR) and printed on stderr.
#if __has_include(<catch2/catch_version_macros.hpp>)
#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
#else
#include <catch2/catch.hpp>
#endif

#include <memfs/catch2.hpp>
#include <string>

#include "rotating_log.hpp"

using example::RotatingLog;
using memfs::catch2::fs;
using memfs::catch2::FileContents;
using memfs::catch2::HasFile;
using memfs::catch2::TreeEquals;

namespace {

RotatingLog::Options small(std::uint64_t max_bytes, int keep) {
  RotatingLog::Options opts;
  opts.max_bytes = max_bytes;
  opts.keep = keep;
  return opts;
}

}  // namespace

TEST_CASE("a log rotates before it grows past its size", "[log]") {
  RotatingLog log(fs(), small(16, 2));
  REQUIRE_FALSE(log.append("first line"));  // 11 B
  REQUIRE_FALSE(log.append("second"));      // 11 + 7 > 16: rotates first
  CHECK_THAT(fs(), TreeEquals("/logs", {{"/logs/app.log", "second\n"},
                                       {"/logs/app.log.1", "first line\n"}}));

  SECTION("a line that fits goes into the same file") {
    REQUIRE_FALSE(log.append("3rd"));
    CHECK_THAT(fs(), FileContents("/logs/app.log", "second\n3rd\n"));
  }
  SECTION("files beyond `keep` are dropped, oldest first") {
    REQUIRE_FALSE(log.append("third line!"));
    REQUIRE_FALSE(log.append("fourth line"));
    CHECK(log.files() == std::vector<std::string>{
                             "/logs/app.log", "/logs/app.log.1", "/logs/app.log.2"});
    CHECK_THAT(fs(), FileContents("/logs/app.log.2", "second\n") &&
                         !HasFile("/logs/app.log.3"));
  }
}

TEST_CASE("every line lands in exactly one file", "[log]") {
  const int lines = GENERATE(1, 10, 100);
  RotatingLog log(fs(), small(64, 1000));
  std::string all;
  for (int i = 0; i < lines; ++i) {
    std::string line = "line " + std::to_string(i);
    REQUIRE_FALSE(log.append(line));
    all += line + "\n";
  }
  std::string joined;
  const auto files = log.files();
  for (auto it = files.rbegin(); it != files.rend(); ++it) joined += fs().read_file(*it);
  CHECK(joined == all);
}

TEST_CASE("a full disk loses no line already written", "[log][faults]") {
  RotatingLog log(fs(), small(1024, 3));
  REQUIRE_FALSE(log.append("kept"));
  memfs::catch2::faults().disk_full_after(4);

  const std::error_code ec = log.append("this line does not fit");
  CHECK(ec == memfs::errc::quota_exceeded);
  CHECK_THAT(fs(), FileContents("/logs/app.log", "kept\n"));
}

TEST_CASE("a rotation that fails halfway is rolled back", "[log][faults]") {
  RotatingLog log(fs(), small(8, 3));
  for (const char* line : {"aaaaaa", "bbbbbb", "cccccc"}) REQUIRE_FALSE(log.append(line));

  // Moving app.log to app.log.1 fails once, after app.log.1 has moved on.
  memfs::catch2::faults().add("rename /logs/app.log once fail=EIO");
  CHECK(log.append("dddddd") == std::errc::io_error);
  CHECK_THAT(fs(), TreeEquals("/logs", {{"/logs/app.log", "cccccc\n"},
                                       {"/logs/app.log.1", "bbbbbb\n"},
                                       {"/logs/app.log.2", "aaaaaa\n"}}));
  CHECK(memfs::catch2::faults().log().size() == 1);

  SECTION("the next append succeeds") {
    REQUIRE_FALSE(log.append("dddddd"));
    CHECK_THAT(fs(), FileContents("/logs/app.log.3", "aaaaaa\n"));
  }
}

namespace {

// A volume of 64 bytes, with the log directory already there.
struct TinyVolume : memfs::catch2::Fixture {
  static memfs::MemoryOptions options() {
    memfs::MemoryOptions opts;
    opts.max_quota = 64;
    return opts;
  }
  TinyVolume() : Fixture(options()) { fs().create_directories("/logs"); }
};

}  // namespace

TEST_CASE_METHOD(TinyVolume, "a small volume fills up, and the log says so",
                 "[log][fixture]") {
  RotatingLog log(fs(), small(1000, 3));
  std::error_code ec;
  int written = 0;
  while (!(ec = log.append("0123456789abcdef"))) ++written;  // 17 B a line
  CHECK(written == 3);
  CHECK(ec == memfs::errc::quota_exceeded);
  CHECK(fs().file_size("/logs/app.log") == 51);
}
