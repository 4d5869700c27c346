// Conformance: lock_on_open (the D-MemFS mode) on every operation that
// changes a file, on both backends.
//
// Decided (and documented on MemoryOptions::lock_on_open):
//   - write_file, resize_file, copy_file, copy and import_tree change files
//     without a handle. Each takes the exclusive lock of every file it
//     changes, as open("w") would: it waits up to the default lock timeout
//     for the handles holding it (readers included), then fails with
//     lock_timeout and changes nothing.
//   - remove, and rename onto an open file, change names, not files: they do
//     not wait, as POSIX allows both on open files (DESIGN.md §3); the handle
//     keeps the file it opened. (D-MemFS refuses them; memfs follows POSIX.)
//   - whole-file reads (read_file, export_tree, the source of a copy) never
//     wait.
// Timeouts run on a ManualClock with auto-advance, never on wall time.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "backend.hpp"
#include "test_util.hpp"

namespace memfs::test {
namespace {

using std::chrono::nanoseconds;
using std::chrono::seconds;
using copy_options = std::filesystem::copy_options;

constexpr seconds kTimeout{30};

// An operation that changes /dst/f, the file the tests keep open.
struct Change {
  const char* name;
  std::function<void(FileSystem&, std::error_code&)> run;
  std::string after;  // /dst/f once it went through
};

const Change kChanges[] = {
    {"write_file",
     [](FileSystem& fs, std::error_code& ec) {
       fs.write_file("/dst/f", "new", ec);
     },
     "new"},
    {"resize_file",
     [](FileSystem& fs, std::error_code& ec) {
       fs.resize_file("/dst/f", 2, ec);
     },
     "or"},
    {"copy_file overwrite_existing",
     [](FileSystem& fs, std::error_code& ec) {
       fs.copy_file("/src/f", "/dst/f", copy_options::overwrite_existing, ec);
     },
     "copied"},
    {"copy of a tree, overwrite_existing",
     [](FileSystem& fs, std::error_code& ec) {
       fs.copy("/src", "/dst", copy_options::overwrite_existing, ec);
     },
     "copied"},
    {"import_tree",
     [](FileSystem& fs, std::error_code& ec) {
       fs.import_tree({{"/dst/f", "imported"}, {"/new/g", "imported"}}, ec);
     },
     "imported"},
};

class LockOnOpenTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    clock_->set_auto_advance(true);  // a lock wait ends at its deadline
    fs_ = GetParam().make_lock_on_open(clock_, kTimeout);
    ASSERT_NE(fs_, nullptr);
    make_tree(*fs_, {"/dst/", "/src/"});
    fs_->write_file("/dst/f", "original");
    fs_->write_file("/src/f", "copied");
    fs_->write_file("/g", "renamed");
  }
  FileSystem& fs() { return *fs_; }
  nanoseconds since(Clock::steady_point start) const {
    return clock_->steady_now() - start;
  }

  std::shared_ptr<ManualClock> clock_ = std::make_shared<ManualClock>();
  std::unique_ptr<FileSystem> fs_;
};
MEMFS_INSTANTIATE_CONFORMANCE(LockOnOpenTest);

TEST_P(LockOnOpenTest, ChangesToAnOpenFileWaitTheTimeoutThenChangeNothing) {
  for (const char* mode : {"r", "r+", "a"}) {  // shared and exclusive holders
    File holder = fs().open("/dst/f", mode);
    for (const Change& change : kChanges) {
      const std::string before = describe_state(fs());
      const Clock::steady_point start = clock_->steady_now();
      std::error_code ec;
      change.run(fs(), ec);
      EXPECT_THAT(ec, IsErr(memfs::errc::lock_timeout))
          << change.name << " with a handle open \"" << mode << "\"";
      EXPECT_GE(since(start), kTimeout) << change.name << " did not wait";
      EXPECT_EQ(describe_state(fs()), before) << change.name;
    }
  }
}

TEST_P(LockOnOpenTest, TheThrowingFormsThrowLockTimeoutError) {
  File holder = fs().open("/dst/f", "r");
  auto e =
      catch_as<lock_timeout_error>([&] { fs().write_file("/dst/f", "new"); });
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->path1().generic_string(), "/dst/f");
  EXPECT_THROW(fs().resize_file("/dst/f", 0), lock_timeout_error);
}

TEST_P(LockOnOpenTest, OnceTheHandleClosesEveryChangeGoesThrough) {
  for (const Change& change : kChanges) {
    fs().write_file("/dst/f", "original");
    File holder = fs().open("/dst/f", "r+");
    holder.close();
    const Clock::steady_point start = clock_->steady_now();
    std::error_code ec;
    change.run(fs(), ec);
    EXPECT_THAT(ec, Succeeded()) << change.name;
    EXPECT_EQ(since(start), nanoseconds(0)) << change.name << " waited";
    EXPECT_EQ(fs().read_file("/dst/f"), change.after) << change.name;
  }
}

TEST_P(LockOnOpenTest, FilesNobodyHoldsChangeWithoutWaiting) {
  File holder = fs().open("/dst/f", "r+");
  const Clock::steady_point start = clock_->steady_now();
  fs().write_file("/other", "x");
  fs().resize_file("/other", 5);
  fs().copy_file("/src/f", "/other", copy_options::overwrite_existing);
  fs().import_tree({{"/other", "y"}, {"/new/h", "z"}});
  fs().copy("/src", "/elsewhere");
  EXPECT_EQ(since(start), nanoseconds(0));
}

TEST_P(LockOnOpenTest, RemoveAndRenameDoNotWaitAndTheHandleKeepsItsFile) {
  File holder = fs().open("/dst/f", "r");
  const Clock::steady_point start = clock_->steady_now();
  fs().rename("/g", "/dst/f");  // onto the open file
  EXPECT_EQ(fs().read_file("/dst/f"), "renamed");
  EXPECT_TRUE(fs().remove("/dst/f"));
  EXPECT_EQ(since(start), nanoseconds(0));
  EXPECT_EQ(holder.read_all(), "original");
}

TEST_P(LockOnOpenTest, WholeFileReadsDoNotWait) {
  File holder = fs().open("/src/f", "r+");  // exclusive
  const Clock::steady_point start = clock_->steady_now();
  EXPECT_EQ(fs().read_file("/src/f"), "copied");
  fs().copy_file("/src/f", "/copy");  // the source is only read
  EXPECT_EQ(fs().export_tree("/src").files.at("/src/f"), "copied");
  EXPECT_EQ(since(start), nanoseconds(0));
}

// Real time here: a change waits (no limit) while a handle holds the file;
// meanwhile the rest of the filesystem works; closing the handle lets the
// change through.
class LockOnOpenWaitTest : public ::testing::TestWithParam<Backend> {};
MEMFS_INSTANTIATE_CONFORMANCE(LockOnOpenWaitTest);

TEST_P(LockOnOpenWaitTest, AWaitingChangeStallsNothingAndGoesThroughOnClose) {
  auto clock = std::make_shared<WaitCountingClock>();
  std::unique_ptr<FileSystem> fs =
      GetParam().make_lock_on_open(clock, kWaitForever);
  fs->write_file("/f", "original");
  File holder = fs->open("/f", "r");
  std::error_code writer_ec;
  std::thread writer([&] { fs->write_file("/f", "new", writer_ec); });
  EXPECT_TRUE(clock->await_waiters(1)) << "write_file did not wait";
  fs->create_directory("/d");
  fs->write_file("/d/g", "g");
  File other = fs->open("/d/g", "r+");
  EXPECT_EQ(fs->read_file("/f"), "original");
  EXPECT_EQ(fs->status("/f").size, 8u);
  holder.close();
  writer.join();
  EXPECT_THAT(writer_ec, Succeeded());
  EXPECT_EQ(fs->read_file("/f"), "new");
}

}  // namespace
}  // namespace memfs::test
