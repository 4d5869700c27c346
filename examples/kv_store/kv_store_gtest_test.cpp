// The key-value store under GoogleTest with memfs: each test gets a fresh
// in-memory filesystem from memfs::gtest::Test; faults make the disk fill,
// writes come up short, syncs and renames fail; matchers check the files.
// A failing test leaves a snapshot folder of the store's files behind.
#include <string>

#include "kv_store.hpp"
#include "kv_store_crash.hpp"
#include <memfs/gtest.hpp>

namespace {

using memfs::gtest::FileContents;
using memfs::gtest::HasFile;
using memfs::gtest::TreeEquals;
using ::testing::HasSubstr;
using ::testing::Optional;

class KvStoreTest : public memfs::gtest::Test {
 protected:
  // Every test of the suite runs on a 64 KiB "disk".
  memfs::MemoryOptions memory_options() const override {
    memfs::MemoryOptions options;
    options.max_quota = 64 << 10;
    return options;
  }

  example::KvStore open() { return example::KvStore(fs(), "/db"); }
};

TEST_F(KvStoreTest, ValuesSurviveReopening) {
  {
    auto store = open();
    EXPECT_MEMFS_OK(store.put("user:1", "ada"));
    EXPECT_MEMFS_OK(store.put("user:2", "grace"));
    EXPECT_MEMFS_OK(store.put("user:1", "lovelace"));
  }
  auto store = open();
  EXPECT_THAT(store.get("user:1"), Optional(std::string("lovelace")));
  EXPECT_THAT(store.get("user:2"), Optional(std::string("grace")));
  EXPECT_EQ(store.size(), 2u);
}

TEST_F(KvStoreTest, TheLogRecordsEveryChangeInOrder) {
  auto store = open();
  EXPECT_MEMFS_OK(store.put("a", "1"));
  EXPECT_MEMFS_OK(store.put("b", "22"));
  EXPECT_MEMFS_OK(store.erase("a"));
  EXPECT_THAT(fs(), FileContents("/db/wal.log",
                                 "put 1 1\na1\nput 1 2\nb22\ndel 1\na\n"));
  EXPECT_EQ(open().get("a"), std::nullopt);
}

TEST_F(KvStoreTest, KeysAndValuesMayHoldAnyBytes) {
  const std::string key("line\nbreak", 10);
  const std::string value("\0put 9 9\n", 9);
  EXPECT_MEMFS_OK(open().put(key, value));
  EXPECT_THAT(open().get(key), Optional(value));
}

TEST_F(KvStoreTest, CompactionKeepsOnlyLiveKeys) {
  auto store = open();
  for (int i = 0; i < 50; ++i)
    EXPECT_MEMFS_OK(store.put("counter", std::to_string(i)));
  EXPECT_MEMFS_OK(store.put("name", "kv"));
  EXPECT_MEMFS_OK(store.put("tmp", "x"));
  EXPECT_MEMFS_OK(store.erase("tmp"));
  ASSERT_MEMFS_OK(store.compact());
  EXPECT_THAT(
      fs(),
      TreeEquals({{"/db/wal.log", "put 7 2\ncounter49\nput 4 2\nnamekv\n"}}));
  EXPECT_THAT(open().get("counter"), Optional(std::string("49")));
}

TEST_F(KvStoreTest, ADiskFullPutLosesNothing) {
  auto store = open();
  ASSERT_MEMFS_OK(store.put("small", "ok"));
  faults().disk_full_after(16);
  EXPECT_EQ(store.put("big", std::string(100, 'x')),
            memfs::errc::quota_exceeded);
  EXPECT_EQ(store.get("big"), std::nullopt);
  EXPECT_THAT(fs(), FileContents("/db/wal.log", "put 5 2\nsmallok\n"));
  faults().clear();
  EXPECT_MEMFS_OK(store.put("big", std::string(100, 'x')));
}

TEST_F(KvStoreTest, AShortWriteLeavesNoTornRecord) {
  auto store = open();
  ASSERT_MEMFS_OK(store.put("a", "1"));
  faults().add("write /db/wal.log once short=3");
  EXPECT_EQ(store.put("b", "2"), std::errc::io_error);
  EXPECT_THAT(fs(), FileContents("/db/wal.log", "put 1 1\na1\n"));
  EXPECT_MEMFS_OK(store.put("b", "2"));  // the rule fired once
  EXPECT_THAT(open().get("b"), Optional(std::string("2")));
}

TEST_F(KvStoreTest, AFailedSyncRollsTheRecordBack) {
  auto store = open();
  faults().add("sync /db/wal.log once fail=EIO");
  EXPECT_EQ(store.put("a", "1"), std::errc::io_error);
  EXPECT_EQ(store.get("a"), std::nullopt);
  EXPECT_THAT(fs(), FileContents("/db/wal.log", ""));
  ASSERT_EQ(faults().log().size(), 1u);
  EXPECT_THAT(memfs::to_string(faults().log()[0]),
              HasSubstr("sync /db/wal.log"));
}

TEST_F(KvStoreTest, AFailedCompactionKeepsTheOldLog) {
  auto store = open();
  ASSERT_MEMFS_OK(store.put("a", "1"));
  ASSERT_MEMFS_OK(store.put("a", "2"));
  faults().add("rename /db/* once fail=EIO");
  EXPECT_EQ(store.compact(), std::errc::io_error);
  EXPECT_THAT(fs(),
              TreeEquals({{"/db/wal.log", "put 1 1\na1\nput 1 1\na2\n"}}));
  EXPECT_THAT(open().get("a"), Optional(std::string("2")));
}

TEST_F(KvStoreTest, ATornTailFromACrashIsDroppedOnOpen) {
  fs().create_directories("/db");
  fs().write_file("/db/wal.log",
                  "put 1 1\na1\nput 3 5\nke");  // crashed mid-append
  auto store = open();
  EXPECT_THAT(store.get("a"), Optional(std::string("1")));
  EXPECT_EQ(store.size(), 1u);
  EXPECT_THAT(fs(), FileContents("/db/wal.log", "put 1 1\na1\n"));
  EXPECT_MEMFS_OK(store.put("b", "2"));
  EXPECT_THAT(open().get("b"), Optional(std::string("2")));
}

// A power cut after any operation of 100 puts (crash.hpp): reopening gives a
// prefix of the puts with every acknowledged one.
TEST(KvStoreCrash, EveryCrashPointOf100PutsKeepsTheAcknowledgedPrefix) {
  example::KvCrashCheck puts;
  const auto report = memfs::gtest::for_each_crash_point(
      [&](memfs::FileSystem& fs) { puts(fs); },
      [&](memfs::MemoryFileSystem& crashed) { return puts.check(crashed); });
  EXPECT_EQ(puts.acknowledged(), 100u);
  EXPECT_EQ(report.points_checked, report.log.size() + 1);
  EXPECT_GE(report.states_checked, 600u);
}

TEST_F(KvStoreTest, TheStoreNeedsNoMoreThanItsDirectory) {
  EXPECT_MEMFS_OK(open().put("k", "v"));
  EXPECT_THAT(fs(), HasFile("/db/wal.log"));
  EXPECT_THAT(fs(), TreeEquals({{"/db/wal.log", "put 1 1\nkv\n"}}));
}

}  // namespace
