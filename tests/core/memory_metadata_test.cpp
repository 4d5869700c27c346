// MemoryFileSystem: timestamps and generation counters, with a ManualClock
// so that every time is known exactly.
#include <chrono>
#include <memory>
#include <string>

#include "memfs/memory_file_system.hpp"
#include "test_util.hpp"

namespace memfs::test {
namespace {

using std::chrono::seconds;

class MemoryMetadata : public ::testing::Test {
 protected:
  MemoryMetadata() : fs_(options()) {}

  MemoryOptions options() {
    MemoryOptions o;
    o.clock = clock_;
    return o;
  }
  // Moves the clock forward and returns the new wall time.
  Clock::time_point tick() {
    clock_->advance(seconds(1));
    return clock_->now();
  }
  FileStatus st(const std::string& path) { return fs_.status(path); }

  std::shared_ptr<ManualClock> clock_ = std::make_shared<ManualClock>();
  MemoryFileSystem fs_;
};

TEST_F(MemoryMetadata, ANewFileIsCreatedAndModifiedNow) {
  const Clock::time_point t0 = tick();
  fs_.open("/f", "w").close();
  EXPECT_EQ(st("/f").created, t0);
  EXPECT_EQ(st("/f").modified, t0);
  EXPECT_EQ(st("/f").generation, 0u);
  fs_.open("/g", "wx").close();
  EXPECT_EQ(st("/g").created, st("/g").modified);
}

TEST_F(MemoryMetadata, AWriteMovesModifiedAndKeepsCreated) {
  const Clock::time_point t0 = tick();
  File f = fs_.open("/f", "w");
  const Clock::time_point t1 = tick();
  EXPECT_EQ(f.write("a"), 1u);
  EXPECT_EQ(st("/f").created, t0);
  EXPECT_EQ(st("/f").modified, t1);
  EXPECT_EQ(st("/f").generation, 1u);
  tick();
  EXPECT_EQ(f.write(""), 0u);  // moves no bytes: no change
  EXPECT_EQ(st("/f").modified, t1);
  EXPECT_EQ(st("/f").generation, 1u);
  const Clock::time_point t3 = tick();
  EXPECT_EQ(f.pwrite(0, "b"), 1u);
  EXPECT_EQ(st("/f").modified, t3);
  EXPECT_EQ(st("/f").generation, 2u);
}

TEST_F(MemoryMetadata, ATruncateThatChangesTheSizeCounts) {
  fs_.write_file("/f", "abc");
  const FileStatus before = st("/f");
  File f = fs_.open("/f", "r+");
  tick();
  f.truncate(3);
  EXPECT_EQ(st("/f").modified, before.modified);
  EXPECT_EQ(st("/f").generation, before.generation);
  const Clock::time_point t = tick();
  f.truncate(10);
  EXPECT_EQ(st("/f").modified, t);
  EXPECT_EQ(st("/f").generation, before.generation + 1);
  EXPECT_EQ(st("/f").created, before.created);
}

TEST_F(MemoryMetadata, ATruncatingOpenCountsEvenOnAnEmptyFile) {
  fs_.open("/f", "w").close();
  const FileStatus before = st("/f");
  const Clock::time_point t = tick();
  fs_.open("/f", "w").close();
  EXPECT_EQ(st("/f").generation, before.generation + 1);
  EXPECT_EQ(st("/f").modified, t);
  EXPECT_EQ(st("/f").created, before.created);
}

TEST_F(MemoryMetadata, PreallocateThatGrowsCounts) {
  OpenOptions grow;
  grow.preallocate = 10;
  fs_.open("/f", "w", grow).close();
  EXPECT_EQ(st("/f").generation, 1u);
  fs_.open("/f", "r+", grow).close();  // already 10 bytes: no growth
  EXPECT_EQ(st("/f").generation, 1u);
}

TEST_F(MemoryMetadata, RenamePreservesEverything) {
  fs_.write_file("/a", "data");
  const FileStatus before = st("/a");
  tick();
  fs_.rename("/a", "/b");
  const FileStatus after = st("/b");
  EXPECT_EQ(after.created, before.created);
  EXPECT_EQ(after.modified, before.modified);
  EXPECT_EQ(after.generation, before.generation);
}

TEST_F(MemoryMetadata, IdsBelongToTheNodeAndAreNeverReused) {
  fs_.create_directories("/d");
  fs_.write_file("/a", "x");
  const std::uint64_t a = st("/a").id, d = st("/d").id;
  EXPECT_NE(a, 0u);
  EXPECT_NE(a, d);
  fs_.rename("/a", "/d/b");
  fs_.rename("/d", "/e");
  EXPECT_EQ(st("/e").id, d);
  EXPECT_EQ(st("/e/b").id, a);
  File open = fs_.open("/e/b", "r+");
  EXPECT_EQ(open.write("more", 4), 4u);
  EXPECT_EQ(st("/e/b").id, a);  // writes keep it
  fs_.remove("/e/b");
  fs_.write_file("/e/b", "new");  // a new file at the old name
  EXPECT_NE(st("/e/b").id, a);
  fs_.copy_file("/e/b", "/c");
  EXPECT_NE(st("/c").id, st("/e/b").id);
  std::error_code ec;
  EXPECT_EQ(fs_.status("/missing", ec).id, 0u);
}

TEST_F(MemoryMetadata, AnOpenFileKnowsTheIdOfTheFileItOpened) {
  File f = fs_.open("/a", "w");
  const std::uint64_t a = st("/a").id;
  EXPECT_EQ(f.id(), a);
  fs_.rename("/a", "/b");
  fs_.write_file("/a", "other");  // another file at the name it opened
  EXPECT_EQ(f.id(), a);
  EXPECT_EQ(f.id(), st("/b").id);
  f.close();
  EXPECT_EQ(f.id(), 0u);
}

TEST_F(MemoryMetadata, ACopyGetsNewTimesAndGenerationOneOrZero) {
  File f = fs_.open("/src", "w");
  for (int i = 0; i < 4; ++i) EXPECT_EQ(f.write("x"), 1u);
  f.close();
  fs_.open("/empty", "w").close();
  const Clock::time_point t = tick();
  fs_.copy_file("/src", "/copy");
  fs_.copy_file("/empty", "/empty-copy");
  EXPECT_EQ(st("/copy").created, t);
  EXPECT_EQ(st("/copy").modified, t);
  EXPECT_EQ(st("/copy").generation, 1u);
  EXPECT_EQ(st("/empty-copy").generation, 0u);
  EXPECT_EQ(st("/src").generation, 4u);
}

TEST_F(MemoryMetadata, ATreeCopyGetsNewTimes) {
  make_tree(fs_, {"/src/a", "/src/sub/b"});
  const Clock::time_point t = tick();
  fs_.copy("/src", "/dst");
  EXPECT_EQ(st("/dst/a").created, t);
  EXPECT_EQ(st("/dst/sub/b").modified, t);
}

TEST_F(MemoryMetadata, ImportedFilesAreNewAndClean) {
  fs_.write_file("/f", "written");
  const Clock::time_point t = tick();
  fs_.import_tree({{"/f", "imported"}, {"/d/g", "imported"}});
  for (const char* path : {"/f", "/d/g"}) {
    EXPECT_EQ(st(path).created, t) << path;
    EXPECT_EQ(st(path).modified, t) << path;
    EXPECT_EQ(st(path).generation, 0u) << path;
  }
  EXPECT_TRUE(fs_.export_tree("/", dirty_only()).files.empty());
}

TEST_F(MemoryMetadata, OnlyDirtyExportFollowsGenerations) {
  fs_.import_tree({{"/a", "1"}, {"/b", "2"}, {"/c", "3"}});
  fs_.open("/a", "r+").close();  // opened, not written
  File b = fs_.open("/b", "a");
  EXPECT_EQ(b.write("+"), 1u);
  fs_.resize_file("/c", 1);  // same size: still clean
  const ExportedTree dirty = fs_.export_tree("/", dirty_only());
  ASSERT_EQ(dirty.files.size(), 1u);
  EXPECT_EQ(dirty.files.at("/b"), "2+");
}

TEST_F(MemoryMetadata, DirectoriesReportGenerationZero) {
  const Clock::time_point t = tick();
  fs_.create_directory("/d");
  fs_.write_file("/d/f", "x");
  EXPECT_EQ(st("/d").generation, 0u);
  EXPECT_EQ(st("/d").created, t);
  EXPECT_EQ(st("/").generation, 0u);
}

}  // namespace
}  // namespace memfs::test
