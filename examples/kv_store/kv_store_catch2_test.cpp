// The key-value store under Catch2 with memfs: every run of a test case (each
// SECTION) gets a fresh in-memory filesystem from memfs::catch2. A crash is
// simulated by cutting the log at every byte; compaction meets a full disk, a
// failed sync and a failed rename, one SECTION each, and must keep the old
// log. A failing run leaves a snapshot folder named after its section path.
#if __has_include(<catch2/catch_version_macros.hpp>)
#include <catch2/catch_test_macros.hpp>
#else
#include <catch2/catch.hpp>
#endif

#include <cstdint>
#include <string>
#include <vector>

#include "kv_store.hpp"
#include "kv_store_crash.hpp"
#include <memfs/catch2.hpp>

using memfs::catch2::FileContents;
using memfs::catch2::HasFile;
using memfs::catch2::TreeEquals;

namespace {

// A 64 KiB volume with a store in /db.
struct Db : memfs::catch2::Fixture {
  static memfs::MemoryOptions volume() {
    memfs::MemoryOptions options;
    options.max_quota = 64 << 10;
    return options;
  }
  Db() : Fixture(volume()) {}
  example::KvStore open() const { return example::KvStore(fs(), "/db"); }
};

}  // namespace

TEST_CASE_METHOD(Db, "values and deletions survive reopening", "[kv]") {
  {
    auto store = open();
    REQUIRE_FALSE(store.put("city", "Lyon"));
    REQUIRE_FALSE(store.put("temp", "x"));
    REQUIRE_FALSE(store.erase("temp"));
    REQUIRE_FALSE(store.put("city", "Nantes"));
  }
  const auto store = open();
  CHECK(store.get("city") == std::string("Nantes"));
  CHECK_FALSE(store.get("temp").has_value());
  CHECK(store.size() == 1);
}

TEST_CASE("a crash at any byte of an append loses that record only",
          "[kv][crash]") {
  auto& fs = memfs::catch2::fs();
  std::vector<std::uint64_t> ends;  // the log's size after each put
  {
    example::KvStore store(fs, "/db");
    for (const char* value : {"one", "two", "three"}) {
      REQUIRE_FALSE(store.put(value, value));
      ends.push_back(fs.file_size(store.log_path()));
    }
  }
  const std::string full = fs.read_file("/db/wal.log");
  for (std::uint64_t cut = 0; cut <= full.size(); ++cut) {
    CAPTURE(cut);
    fs.write_file("/db/wal.log",
                  full.substr(0, cut));  // the crash left this much
    std::size_t complete = 0;
    while (complete < ends.size() && ends[complete] <= cut) ++complete;
    const example::KvStore store(fs, "/db");
    REQUIRE(store.size() == complete);
    REQUIRE(fs.file_size("/db/wal.log") ==
            (complete == 0 ? 0 : ends[complete - 1]));
  }
}

TEST_CASE_METHOD(Db, "a compaction that fails keeps the old log",
                 "[kv][faults]") {
  auto store = open();
  REQUIRE_FALSE(store.put("k", "1"));
  REQUIRE_FALSE(store.put("k", "2"));
  const std::string before = fs().read_file("/db/wal.log");

  SECTION("the disk fills up") {
    faults().disk_full_after(8);
    CHECK(store.compact() == memfs::errc::quota_exceeded);
  }
  SECTION("the temporary file's sync fails") {
    faults().add("sync /db/wal.log.compact once fail=EIO");
    CHECK(store.compact() == std::errc::io_error);
  }
  SECTION("the rename over the log fails") {
    faults().add("rename /db/wal.log.compact once fail=EIO");
    CHECK(store.compact() == std::errc::io_error);
  }
  CHECK_THAT(fs(), TreeEquals("/db", {{"/db/wal.log", before}}));
  CHECK(open().get("k") == std::string("2"));
}

TEST_CASE_METHOD(Db, "a compaction keeps the live keys only", "[kv]") {
  auto store = open();
  for (int i = 0; i < 20; ++i) REQUIRE_FALSE(store.put("n", std::to_string(i)));
  REQUIRE_FALSE(store.compact());
  CHECK_THAT(fs(), FileContents("/db/wal.log", "put 1 2\nn19\n") &&
                       !HasFile("/db/wal.log.compact"));
}

// A power cut after any operation of 100 puts (crash.hpp): reopening gives a
// prefix of the puts with every acknowledged one.
TEST_CASE("every crash point of 100 puts keeps the acknowledged prefix",
          "[kv][crash]") {
  example::KvCrashCheck puts;
  const auto report = memfs::catch2::for_each_crash_point(
      [&](memfs::FileSystem& fs) { puts(fs); },
      [&](memfs::MemoryFileSystem& crashed) { return puts.check(crashed); });
  CHECK(puts.acknowledged() == 100u);
  CHECK(report.points_checked == report.log.size() + 1);
  CHECK(report.states_checked >= 600u);
}
