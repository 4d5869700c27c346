// MemoryFileSystem: what happens while a File::lock waits. Waiting holds
// nothing other operations need, and a waiting exclusive lock is not starved
// by readers that keep arriving. The tests learn that a thread is blocked
// from the clock (WaitCountingClock), so nothing depends on sleeps.
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "memfs/memory_file_system.hpp"
#include "test_util.hpp"

namespace memfs::test {
namespace {

using std::chrono::hours;

class MemoryLockWait : public ::testing::Test {
 protected:
  MemoryLockWait() : fs_(options()) { fs_.write_file("/f", "data"); }
  MemoryOptions options() {
    MemoryOptions o;
    o.clock = clock_;
    return o;
  }
  File open_f() { return fs_.open("/f", "r+"); }

  std::shared_ptr<WaitCountingClock> clock_ =
      std::make_shared<WaitCountingClock>();
  MemoryFileSystem fs_;
};

TEST_F(MemoryLockWait, AWaitingLockStallsNothingElse) {
  File holder = open_f();
  File waiter = open_f();
  holder.lock(LockMode::exclusive);
  std::error_code waiter_ec;
  std::thread t([&] { waiter.lock(LockMode::exclusive, hours(1), waiter_ec); });
  EXPECT_TRUE(clock_->await_waiters(1)) << "no thread blocked in a lock wait";

  // Everything else goes on while the waiter is blocked.
  fs_.create_directories("/elsewhere/deep");
  fs_.write_file("/elsewhere/g", "g");
  EXPECT_EQ(fs_.list("/elsewhere").size(), 2u);
  EXPECT_EQ(fs_.read_file("/f"), "data");
  EXPECT_EQ(fs_.export_tree().files.size(), 2u);
  EXPECT_EQ(fs_.stats().open_handles, 2u);
  File other = fs_.open("/elsewhere/g", "r+");
  EXPECT_TRUE(other.try_lock(LockMode::exclusive));
  fs_.rename("/elsewhere/g", "/elsewhere/h");
  fs_.copy_file("/f", "/f-copy");
  fs_.remove_all("/elsewhere");
  EXPECT_EQ(clock_->waiters(), 1u);  // still waiting

  holder.unlock();
  t.join();
  EXPECT_THAT(waiter_ec, Succeeded());
}

TEST_F(MemoryLockWait, AWaitingOpenUnderLockOnOpenStallsNothingElse) {
  MemoryOptions o = options();
  o.lock_on_open = true;
  MemoryFileSystem fs(o);
  fs.write_file("/f", "data");
  File holder = fs.open("/f", "r");
  std::error_code waiter_ec;
  std::thread t([&] {
    OpenOptions wait_long;
    wait_long.lock_timeout = hours(1);
    File w = fs.open("/f", "w", wait_long, waiter_ec);
  });
  EXPECT_TRUE(clock_->await_waiters(1)) << "no thread blocked in a lock wait";
  fs.create_directory("/d");
  fs.write_file("/d/g", "g");
  File g = fs.open("/d/g", "r+");
  EXPECT_EQ(fs.read_file("/f"), "data");
  holder.close();
  t.join();
  EXPECT_THAT(waiter_ec, Succeeded());
}

// A writer waits behind a reader. New readers must queue behind the writer:
// if they could keep taking the shared lock, a steady stream of them would
// starve the writer forever.
TEST_F(MemoryLockWait, NewReadersDoNotOvertakeAWaitingWriter) {
  File first_reader = open_f();
  first_reader.lock(LockMode::shared);
  File writer = open_f();
  std::error_code writer_ec;
  std::thread w([&] { writer.lock(LockMode::exclusive, hours(1), writer_ec); });
  EXPECT_TRUE(clock_->await_waiters(1)) << "no thread blocked in a lock wait";

  std::vector<File> late_readers;
  for (int i = 0; i < 5; ++i) {
    late_readers.push_back(open_f());
    EXPECT_FALSE(late_readers.back().try_lock(LockMode::shared)) << i;
  }
  first_reader.unlock();
  w.join();
  ASSERT_THAT(writer_ec, Succeeded());
  EXPECT_FALSE(late_readers[0].try_lock(LockMode::shared));
  writer.unlock();
  for (File& r : late_readers) EXPECT_TRUE(r.try_lock(LockMode::shared));
}

// The same with blocking readers: once the first reader leaves, the writer
// that waited first gets the lock before the readers that came after it.
TEST_F(MemoryLockWait, TheWaitingWriterGoesBeforeReadersThatCameLater) {
  File first_reader = open_f();
  first_reader.lock(LockMode::shared);
  File writer = open_f();
  std::atomic<bool> writer_done{false};
  std::error_code writer_ec;
  std::thread w([&] {
    writer.lock(LockMode::exclusive, hours(1), writer_ec);
    writer_done = true;
    if (!writer_ec) writer.unlock();
  });
  EXPECT_TRUE(clock_->await_waiters(1)) << "no thread blocked in a lock wait";

  constexpr int kReaders = 3;
  std::vector<File> readers;
  for (int i = 0; i < kReaders; ++i) readers.push_back(open_f());
  std::atomic<int> overtook{0};
  std::vector<std::thread> threads;
  for (File& r : readers) {
    threads.emplace_back([&] {
      std::error_code ec;
      r.lock(LockMode::shared, hours(1), ec);
      if (!ec && !writer_done) ++overtook;
    });
  }
  EXPECT_TRUE(clock_->await_waiters(1 + kReaders))
      << "no thread blocked in a lock wait";
  first_reader.unlock();
  w.join();
  for (std::thread& t : threads) t.join();
  EXPECT_THAT(writer_ec, Succeeded());
  EXPECT_EQ(overtook.load(), 0);
}

}  // namespace
}  // namespace memfs::test
