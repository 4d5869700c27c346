// MemoryFileSystem with lock_on_open (the D-MemFS mode): opening takes a
// shared lock (read-only modes) or an exclusive one (writable modes) for the
// handle's life, waiting up to the lock timeout. Timeouts are checked against
// a ManualClock, never against wall time.
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "memfs/memory_file_system.hpp"
#include "test_util.hpp"

namespace memfs::test {
namespace {

using std::chrono::hours;
using std::chrono::nanoseconds;
using std::chrono::seconds;

OpenOptions timeout(nanoseconds t) {
  OpenOptions o;
  o.lock_timeout = t;
  return o;
}

class MemoryLockOnOpen : public ::testing::Test {
 protected:
  MemoryLockOnOpen() : fs_(options()) {
    clock_->set_auto_advance(true);  // a lock wait ends at its deadline at once
    fs_.write_file("/f", "original");
  }
  MemoryOptions options() {
    MemoryOptions o;
    o.lock_on_open = true;
    o.clock = clock_;
    return o;
  }
  // Opens /f and expects a lock timeout that left the file alone.
  void expect_open_times_out(OpenMode mode, const OpenOptions& options = {}) {
    std::error_code ec;
    File f = fs_.open("/f", mode, options, ec);
    EXPECT_THAT(ec, IsErr(memfs::errc::lock_timeout)) << mode.str();
    EXPECT_FALSE(f.is_open());
    EXPECT_EQ(fs_.read_file("/f"), "original") << mode.str();
  }
  nanoseconds elapsed_since(Clock::steady_point start) const {
    return clock_->steady_now() - start;
  }

  std::shared_ptr<ManualClock> clock_ = std::make_shared<ManualClock>();
  MemoryFileSystem fs_;
};

TEST_F(MemoryLockOnOpen, ASecondWriterTimesOutAfterTheDefaultTimeout) {
  File writer = fs_.open("/f", "r+");
  const Clock::steady_point start = clock_->steady_now();
  expect_open_times_out("r+");
  EXPECT_GE(elapsed_since(start), seconds(30));
  EXPECT_LT(elapsed_since(start), seconds(31));
  auto e = catch_as<lock_timeout_error>([&] { (void)fs_.open("/f", "a"); });
  ASSERT_TRUE(e.has_value());
  EXPECT_THAT(e->code(), IsErr(std::errc::resource_unavailable_try_again));
  EXPECT_EQ(e->path1().generic_string(), "/f");
}

TEST_F(MemoryLockOnOpen, AZeroTimeoutTriesOnceWithoutWaiting) {
  File writer = fs_.open("/f", "a");
  const Clock::steady_point start = clock_->steady_now();
  expect_open_times_out("r", timeout(nanoseconds(0)));
  EXPECT_EQ(elapsed_since(start), nanoseconds(0));
}

TEST_F(MemoryLockOnOpen, AnExplicitTimeoutOverridesTheDefault) {
  File writer = fs_.open("/f", "a");
  const Clock::steady_point start = clock_->steady_now();
  expect_open_times_out("r", timeout(seconds(5)));
  EXPECT_GE(elapsed_since(start), seconds(5));
  EXPECT_LT(elapsed_since(start), seconds(30));
}

TEST_F(MemoryLockOnOpen, ReadersShareAndWritersExcludeThem) {
  File r1 = fs_.open("/f", "r");
  File r2 = fs_.open("/f", "rb");
  EXPECT_EQ(r2.read_all(), "original");
  for (const char* mode : {"r+", "a", "a+", "w", "w+"}) {
    expect_open_times_out(mode, timeout(nanoseconds(0)));
  }
  r1.close();
  r2.close();
  File w = fs_.open("/f", "r+", timeout(nanoseconds(0)));
  expect_open_times_out("r", timeout(nanoseconds(0)));
  w.close();
  File r3 = fs_.open("/f", "r", timeout(nanoseconds(0)));
  EXPECT_TRUE(r3.is_open());
}

TEST_F(MemoryLockOnOpen, ATruncatingOpenTruncatesOnlyOnceItHoldsTheLock) {
  const FileStatus before = fs_.status("/f");
  File reader = fs_.open("/f", "r");
  expect_open_times_out("w");
  expect_open_times_out("w+", timeout(nanoseconds(0)));
  EXPECT_EQ(reader.read_all(), "original");
  EXPECT_EQ(fs_.status("/f").generation, before.generation);
  EXPECT_EQ(fs_.status("/f").modified, before.modified);
  reader.close();
  File w = fs_.open("/f", "w");
  EXPECT_EQ(fs_.file_size("/f"), 0u);
}

TEST_F(MemoryLockOnOpen, TheHandleHoldsItsLockForItsLife) {
  File r = fs_.open("/f", "r");
  File w = fs_.open("/g", "w");
  const auto handles = fs_.open_handles();
  ASSERT_EQ(handles.size(), 2u);
  EXPECT_EQ(handles[0].lock, std::optional<LockMode>(LockMode::shared));
  EXPECT_EQ(handles[1].lock, std::optional<LockMode>(LockMode::exclusive));
  EXPECT_THAT(ec_of([&](auto& ec) { r.lock(LockMode::shared, {}, ec); }),
              IsErr(std::errc::resource_deadlock_would_occur));
}

TEST_F(MemoryLockOnOpen, ExclusiveCreateLocksTheNewFile) {
  File w = fs_.open("/new", "wx");
  std::error_code ec;
  (void)fs_.open("/new", "r", timeout(nanoseconds(0)), ec);
  EXPECT_THAT(ec, IsErr(memfs::errc::lock_timeout));
}

TEST_F(MemoryLockOnOpen, AnImportOntoALockedFileChangesNothing) {
  File reader = fs_.open("/f", "r");
  const std::string before = describe_state(fs_);
  std::error_code ec;
  fs_.import_tree({{"/f", "imported"}, {"/new/g", "imported"}}, ec);
  EXPECT_TRUE(ec) << "imported over a file open under lock_on_open";
  EXPECT_EQ(describe_state(fs_), before);
}

TEST(MemoryLockOnOpenWaits, AWaitingOpenSucceedsWhenTheHolderCloses) {
  auto clock = std::make_shared<WaitCountingClock>();
  MemoryOptions options;
  options.lock_on_open = true;
  options.clock = clock;
  MemoryFileSystem fs(options);
  fs.write_file("/f", "original");
  File reader = fs.open("/f", "r");
  std::error_code writer_ec;
  std::string seen_by_writer;
  std::thread writer([&] {
    File w = fs.open("/f", "w+", timeout(hours(1)), writer_ec);
    if (!writer_ec) seen_by_writer = w.read_all();
  });
  EXPECT_TRUE(clock->await_waiters(1)) << "no thread blocked in a lock wait";
  EXPECT_EQ(reader.read_all(), "original");  // not truncated while waiting
  reader.close();
  writer.join();
  EXPECT_THAT(writer_ec, Succeeded());
  EXPECT_EQ(seen_by_writer, "");
  EXPECT_EQ(fs.file_size("/f"), 0u);
}

TEST(MemoryLockOnOpenWaits, DefaultTimeoutZeroNeverWaits) {
  MemoryOptions options;
  options.lock_on_open = true;
  options.default_lock_timeout = nanoseconds(0);
  auto clock = std::make_shared<ManualClock>();  // auto-advance off
  options.clock = clock;
  MemoryFileSystem fs(options);
  File w = fs.open("/f", "w");
  std::error_code ec;
  (void)fs.open("/f", "r", ec);  // would block forever if it waited
  EXPECT_THAT(ec, IsErr(memfs::errc::lock_timeout));
}

}  // namespace
}  // namespace memfs::test
