// The durability model against hand-worked cases: one test per rule of what
// survives a crash (crash.hpp).
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "memfs/crash.hpp"
#include "memfs/memory_file_system.hpp"
#include "support/tracked_options.hpp"

namespace {

using memfs::test_support::tracked;

class DurabilityModel : public ::testing::Test {
 protected:
  memfs::MemoryFileSystem fs{tracked()};

  std::unique_ptr<memfs::MemoryFileSystem> crash(memfs::CrashOptions o = {}) {
    return fs.crash_clone(o);
  }
  // Writes `data` to `path` through a handle and syncs it (file only).
  void write_synced(const std::string& path, const std::string& data) {
    auto f = fs.open(path, "w");
    EXPECT_EQ(f.write(data), data.size());
    f.sync();
  }
};

TEST_F(DurabilityModel, NothingSurvivesWithoutAnySync) {
  fs.create_directory("/d");
  fs.write_file("/d/a", "x");
  auto c = crash();
  EXPECT_FALSE(c->exists("/d"));
  EXPECT_EQ(c->stats().file_count, 0u);
}

TEST_F(DurabilityModel, DirectorySyncMakesTheEntryDurableButNotTheBytes) {
  fs.write_file("/a", "hello");
  fs.sync_directory("/");
  auto c = crash();
  ASSERT_TRUE(c->exists("/a"));
  EXPECT_EQ(c->read_file("/a"), "");
}

TEST_F(DurabilityModel, FileSyncWithoutDirectorySyncLosesANewFile) {
  write_synced("/a", "hello");
  EXPECT_FALSE(crash()->exists("/a"));
  fs.sync_directory("/");
  EXPECT_EQ(crash()->read_file("/a"), "hello");
}

TEST_F(DurabilityModel, BytesWrittenAfterTheSyncAreDropped) {
  auto f = fs.open("/log", "w");
  EXPECT_EQ(f.write("acked"), 5u);
  f.sync();
  fs.sync_directory("/");
  EXPECT_EQ(f.write(" lost"), 5u);
  EXPECT_EQ(crash()->read_file("/log"), "acked");
  memfs::CrashOptions keep;
  keep.unsynced_data = memfs::UnsyncedData::keep;
  EXPECT_EQ(crash(keep)->read_file("/log"), "acked lost");
}

TEST_F(DurabilityModel, UnsyncedRenameKeepsTheOldNameAndContents) {
  write_synced("/settings", "v1");
  write_synced("/tmp", "v2");
  fs.sync_directory("/");
  fs.rename("/tmp", "/settings");
  auto c = crash();
  EXPECT_EQ(c->read_file("/settings"), "v1");
  EXPECT_EQ(c->read_file("/tmp"), "v2");
  fs.sync_directory("/");
  auto after = crash();
  EXPECT_EQ(after->read_file("/settings"), "v2");
  EXPECT_FALSE(after->exists("/tmp"));
}

TEST_F(DurabilityModel, RenameAcrossDirectoriesIsDurablePerSide) {
  fs.create_directory("/a");
  fs.create_directory("/b");
  fs.sync_directory("/");
  write_synced("/a/f", "data");
  fs.sync_directory("/a");
  fs.rename("/a/f", "/b/f");
  fs.sync_directory("/b");  // the new name only
  auto c = crash();
  EXPECT_EQ(c->read_file("/a/f"), "data");
  EXPECT_EQ(c->read_file("/b/f"), "data");
  fs.sync_directory("/a");
  EXPECT_FALSE(crash()->exists("/a/f"));
}

TEST_F(DurabilityModel, UnsyncedUnlinkBringsTheFileBack) {
  write_synced("/a", "kept");
  fs.sync_directory("/");
  fs.remove("/a");
  EXPECT_EQ(crash()->read_file("/a"), "kept");
  fs.sync_directory("/");
  EXPECT_FALSE(crash()->exists("/a"));
}

TEST_F(DurabilityModel, UnlinkedWhileOpenKeepsItsCurrentBytesForKeep) {
  write_synced("/a", "old");
  fs.sync_directory("/");
  auto f = fs.open("/a", "r+");
  fs.remove("/a");
  EXPECT_EQ(f.write("new"), 3u);
  memfs::CrashOptions keep;
  keep.unsynced_data = memfs::UnsyncedData::keep;
  EXPECT_EQ(crash(keep)->read_file("/a"), "new");
  EXPECT_EQ(crash()->read_file("/a"), "old");
}

TEST_F(DurabilityModel, NewDirectoryNeedsItsOwnSyncForItsEntries) {
  fs.create_directory("/d");
  write_synced("/d/f", "x");
  fs.sync_directory("/");
  auto c = crash();
  EXPECT_TRUE(c->is_directory("/d"));
  EXPECT_FALSE(c->exists("/d/f"));
  fs.sync_directory("/d");
  EXPECT_EQ(crash()->read_file("/d/f"), "x");
}

TEST_F(DurabilityModel, KeepUnsyncedEntriesShowsTheNamespaceAsNow) {
  fs.create_directory("/d");
  fs.write_file("/d/f", "x");
  memfs::CrashOptions o;
  o.keep_unsynced_entries = true;
  auto c = crash(o);
  ASSERT_TRUE(c->exists("/d/f"));
  EXPECT_EQ(c->read_file("/d/f"), "");  // the bytes were never synced
}

TEST_F(DurabilityModel, SyncAllMakesEverythingDurable) {
  fs.create_directories("/x/y");
  fs.write_file("/x/y/z", "all");
  fs.sync_all();
  EXPECT_EQ(crash()->read_file("/x/y/z"), "all");
}

TEST_F(DurabilityModel, TruncationIsUnsyncedDataToo) {
  write_synced("/a", "0123456789");
  fs.sync_directory("/");
  fs.resize_file("/a", 2);
  EXPECT_EQ(crash()->read_file("/a"), "0123456789");
}

TEST_F(DurabilityModel, TheOriginalGoesOnAndTheCloneIsDurable) {
  write_synced("/a", "1");
  fs.sync_directory("/");
  auto c = crash();
  fs.write_file("/a", "2");
  EXPECT_EQ(fs.read_file("/a"), "2");
  EXPECT_TRUE(c->tracks_durability());
  EXPECT_EQ(c->crash_clone()->read_file("/a"), "1");  // all of it durable
}

TEST_F(DurabilityModel, SyncDirectoryErrors) {
  fs.write_file("/f", "x");
  std::error_code ec;
  fs.sync_directory("/f", ec);
  EXPECT_EQ(ec, std::errc::not_a_directory);
  fs.sync_directory("/missing", ec);
  EXPECT_EQ(ec, std::errc::no_such_file_or_directory);
  EXPECT_THROW(fs.sync_directory("/missing"), memfs::filesystem_error);
}

TEST(DurabilityOff, CrashCloneIsRefusedAndSyncsAreHarmless) {
  memfs::MemoryFileSystem fs;
  EXPECT_FALSE(fs.tracks_durability());
  fs.write_file("/a", "x");
  fs.sync_directory("/");
  fs.sync_all();
  auto f = fs.open("/a", "r+");
  f.sync();
  EXPECT_THROW((void)fs.crash_clone(), memfs::filesystem_error);
}

}  // namespace

namespace {

// Writers sync and rename while another thread takes crash clones: every
// clone is some durable state (each file whole: one of the synced values).
TEST(DurabilityThreads, CrashClonesWhileFilesAreSyncedAndRenamed) {
  memfs::MemoryFileSystem fs(tracked());
  fs.create_directory("/d");
  fs.sync_all();
  std::vector<std::thread> writers;
  for (int t = 0; t < 3; ++t) {
    writers.emplace_back([&fs, t] {
      const std::string name = "/d/f" + std::to_string(t);
      for (int i = 0; i < 200; ++i) {
        {
          auto f = fs.open(name + ".tmp", "w");
          EXPECT_EQ(f.write(std::string(64, char('a' + i % 26))), 64u);
          f.sync();
        }
        fs.rename(name + ".tmp", name);
        fs.sync_directory("/d");
      }
    });
  }
  std::size_t seen = 0;
  for (int i = 0; i < 50; ++i) {
    auto c = fs.crash_clone();
    for (const std::string& n : c->list("/d")) {
      const std::string data = c->read_file("/d/" + n);
      if (data.empty())
        continue;  // a temporary whose bytes were not synced yet
      ASSERT_EQ(data.size(), 64u) << n;
      EXPECT_EQ(data, std::string(64, data[0])) << n;
      ++seen;
    }
  }
  for (auto& w : writers) w.join();
  EXPECT_EQ(fs.crash_clone()->list("/d").size(), 3u);
  (void)seen;
}

}  // namespace
