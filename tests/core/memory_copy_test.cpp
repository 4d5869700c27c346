// MemoryFileSystem::copy_file (and copy() of a directory) reads and copies
// the source's bytes with no tree lock held ("allocate before any lock"): a
// large copy does not stall the other operations, and links its result under
// the exclusive lock only after checking that the source is still what it
// read.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "memfs/memory_file_system.hpp"
#include "test_util.hpp"

namespace memfs::test {
namespace {

// A clock whose now() can be made to stop, once, in whichever thread calls
// it next: copy_file stamps its new file between reading the bytes and
// taking the tree lock, so a copy stopped there is a copy in progress.
class StoppingClock final : public Clock {
 public:
  [[nodiscard]] time_point now() const override {
    std::unique_lock<std::mutex> lock(mutex_);
    if (armed_) {
      armed_ = false;
      stopped_ = true;
      changed_.notify_all();
      changed_.wait(lock, [this] { return released_; });
    }
    return real_->now();
  }
  [[nodiscard]] steady_point steady_now() const override {
    return real_->steady_now();
  }
  void wait_until(std::condition_variable& cv,
                  std::unique_lock<std::mutex>& lock,
                  steady_point deadline) override {
    real_->wait_until(cv, lock, deadline);
  }
  void sleep_for(std::chrono::nanoseconds d) override { real_->sleep_for(d); }

  /// The next now() stops until release().
  void arm() {
    std::lock_guard<std::mutex> lock(mutex_);
    armed_ = true;
  }
  /// Blocks until a now() has stopped.
  void await_stop() {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return stopped_; });
  }
  void release() {
    std::lock_guard<std::mutex> lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }

 private:
  std::shared_ptr<SystemClock> real_ = SystemClock::instance();
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  mutable bool armed_ = false;
  mutable bool stopped_ = false;
  bool released_ = false;
};

// Releases the clock after a minute if the test has not: a copy that held
// the tree lock would otherwise hang the test instead of failing it.
class Watchdog {
 public:
  explicit Watchdog(StoppingClock& clock)
      : thread_([this, &clock] {
          std::unique_lock<std::mutex> lock(mutex_);
          if (!done_cv_.wait_for(lock, std::chrono::minutes(1),
                                 [this] { return done_; })) {
            fired_ = true;
            clock.release();
          }
        }) {}
  ~Watchdog() {
    finish();
    thread_.join();
  }
  void finish() {
    std::lock_guard<std::mutex> lock(mutex_);
    done_ = true;
    done_cv_.notify_all();
  }
  [[nodiscard]] bool fired() {
    std::lock_guard<std::mutex> lock(mutex_);
    return fired_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable done_cv_;
  bool done_ = false;
  bool fired_ = false;
  std::thread thread_;
};

class MemoryCopy : public ::testing::Test {
 protected:
  MemoryCopy() : fs_(options()) {}
  MemoryOptions options() {
    MemoryOptions o;
    o.clock = clock_;
    return o;
  }

  // Runs `copy` in a thread and stops it where it has read its sources (its
  // first now()), runs `meanwhile` (a failure if it had to wait for the
  // copy's tree lock), then lets the copy finish.
  void while_copying(const std::function<void()>& copy,
                     const std::function<void()>& meanwhile) {
    clock_->arm();
    std::thread copier(copy);
    clock_->await_stop();  // the copy has read its sources, holds no lock
    {
      Watchdog watchdog(*clock_);
      meanwhile();
      watchdog.finish();
      EXPECT_FALSE(watchdog.fired()) << "the copy held the tree lock";
    }
    clock_->release();
    copier.join();
  }

  // Another operation's view while a copy to `dst` is stopped: "/other"
  // reads, a new file can be written, `dst` is not linked yet.
  void others_proceed(const std::string& dst) {
    fs_.write_file("/new", "n");  // takes the exclusive tree lock
    EXPECT_EQ(fs_.read_file("/other"), "o");
    EXPECT_EQ(fs_.list("/").size(), 3u);
    EXPECT_FALSE(fs_.exists(dst));
  }

  std::shared_ptr<StoppingClock> clock_ = std::make_shared<StoppingClock>();
  MemoryFileSystem fs_;
};

TEST_F(MemoryCopy, OtherOperationsProceedWhileACopyIsInProgress) {
  const std::string big(1u << 20, 'b');
  fs_.write_file("/src", big);
  fs_.write_file("/other", "o");
  while_copying([&] { fs_.copy_file("/src", "/dst"); },
                [&] { others_proceed("/dst"); });
  EXPECT_EQ(fs_.read_file("/dst"), big);
  EXPECT_EQ(fs_.status("/dst").generation, 1u);
}

TEST_F(MemoryCopy, ASourceRewrittenDuringTheCopyIsReadAgain) {
  fs_.write_file("/src", "old");
  while_copying([&] { fs_.copy_file("/src", "/dst"); },
                [&] { fs_.write_file("/src", "new!"); });
  EXPECT_EQ(fs_.read_file("/dst"), "new!");
}

TEST_F(MemoryCopy, ASourceReplacedDuringTheCopyIsReadAgain) {
  fs_.write_file("/src", "old");
  fs_.write_file("/elsewhere", "replacement");
  while_copying(
      [&] {
        fs_.copy_file("/src", "/dst", std::filesystem::copy_options::none);
      },
      [&] { fs_.rename("/elsewhere", "/src"); });  // same generation 1
  EXPECT_EQ(fs_.read_file("/dst"), "replacement");
}

// copy() of a directory follows the same rule: the source files are read
// with no tree lock held.
TEST_F(MemoryCopy, OtherOperationsProceedWhileATreeCopyIsInProgress) {
  const std::string big(1u << 20, 'b');
  fs_.create_directories("/src/sub");
  fs_.write_file("/src/sub/big", big);
  fs_.write_file("/other", "o");
  while_copying([&] { fs_.copy("/src", "/dst"); },
                [&] { others_proceed("/dst"); });
  EXPECT_EQ(fs_.read_file("/dst/sub/big"), big);
  EXPECT_EQ(fs_.status("/dst/sub/big").generation, 1u);
}

TEST_F(MemoryCopy, ATreeSourceChangedDuringTheCopyIsReadAgain) {
  fs_.create_directories("/src");
  fs_.write_file("/src/a", "old");
  fs_.write_file("/elsewhere", "replacement");
  while_copying([&] { fs_.copy("/src", "/dst"); },
                [&] {
                  fs_.write_file("/src/a", "new!");    // rewritten
                  fs_.rename("/elsewhere", "/src/b");  // added
                });
  EXPECT_EQ(fs_.read_file("/dst/a"), "new!");
  EXPECT_EQ(fs_.read_file("/dst/b"), "replacement");
}

}  // namespace
}  // namespace memfs::test
