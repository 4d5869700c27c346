// RotatingLog under Catch2: every run of a test case (each SECTION, each
// GENERATE value) gets a fresh in-memory filesystem from memfs::catch2; the
// fault injector fills the disk, refuses renames halfway through a rotation
// and, from a seed, at random; the audit (log_audit.hpp) checks that no
// accepted line is lost or duplicated. If a run fails, its tree is exported
// to ./memfs-snapshots (or $MEMFS_SNAPSHOT_DIR) and printed on stderr.
#if __has_include(<catch2/catch_version_macros.hpp>)
#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
#else
#include <catch2/catch.hpp>
#endif

#include <string>

#include "log_audit.hpp"
#include "rotating_log.hpp"
#include <memfs/catch2.hpp>

using example::RotatingLog;
using example::audit::append_lines;
using example::audit::lines_in_files;
using memfs::catch2::FileContents;
using memfs::catch2::fs;
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
    CHECK(log.files() == std::vector<std::string>{"/logs/app.log",
                                                  "/logs/app.log.1",
                                                  "/logs/app.log.2"});
    CHECK_THAT(fs(), FileContents("/logs/app.log.2", "second\n") &&
                         !HasFile("/logs/app.log.3"));
  }
}

TEST_CASE("every line lands in exactly one file", "[log]") {
  const int lines = GENERATE(1, 10, 100);
  RotatingLog log(fs(), small(64, 1000));
  const auto appended = append_lines(log, lines);
  REQUIRE(appended.refused.empty());
  CHECK(lines_in_files(fs(), log) == appended.accepted);
}

TEST_CASE("random disk-full errors lose and duplicate no line",
          "[log][faults]") {
  const auto seed = GENERATE(as<std::uint64_t>{}, 7, 8, 9, 1000);
  CAPTURE(seed);
  auto& faults = memfs::catch2::faults();
  RotatingLog log(fs(), example::audit::arm_random_faults(faults, seed));
  const auto appended = append_lines(log, 200);
  REQUIRE_FALSE(appended.refused.empty());
  REQUIRE(example::audit::renames_refused(faults) > 0);
  CHECK(lines_in_files(fs(), log) == appended.accepted);
}

TEST_CASE("a quota error in the middle of a rotation", "[log][faults]") {
  RotatingLog log(fs(), small(16, 5));
  REQUIRE(append_lines(log, 6).refused.empty());  // app.log, .1, .2
  memfs::catch2::faults().add(
      "rename /logs/app.log.1 once fail=quota_exceeded");
  const auto appended = append_lines(log, 1, 6);
  REQUIRE(appended.errors.size() == 1);
  CHECK(appended.errors[0] == memfs::errc::quota_exceeded);

  SECTION("leaves every file as it was") {
    CHECK_THAT(fs(),
               TreeEquals("/logs", {{"/logs/app.log", "line 4\nline 5\n"},
                                    {"/logs/app.log.1", "line 2\nline 3\n"},
                                    {"/logs/app.log.2", "line 0\nline 1\n"}}));
  }
  SECTION("and the refused line can be appended again") {
    REQUIRE(append_lines(log, 1, 6).refused.empty());
    CHECK(lines_in_files(fs(), log) ==
          std::vector<std::string>{"line 0", "line 1", "line 2", "line 3",
                                   "line 4", "line 5", "line 6"});
  }
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
  for (const char* line : {"aaaaaa", "bbbbbb", "cccccc"})
    REQUIRE_FALSE(log.append(line));

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
