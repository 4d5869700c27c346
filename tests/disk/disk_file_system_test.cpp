// DiskFileSystem's own contract: construction, containment (symlinks and
// special files planted in the root), real OS locks, temporary roots. The
// behaviour it shares with MemoryFileSystem is checked by the conformance
// suite (tests/core) and the differential test.
#include "memfs/disk_file_system.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "disk_test_util.hpp"
#include "memfs/clock.hpp"

namespace memfs::test {
namespace {

namespace stdfs = std::filesystem;

TEST(DiskFileSystem, TheRootMustBeAnExistingDirectory) {
  HostDir host;
  EXPECT_THROW(DiskFileSystem(host.path() / "missing"), filesystem_error);
  std::ofstream(host.path() / "file") << "x";
  try {
    DiskFileSystem fs(host.path() / "file");
    ADD_FAILURE() << "a file was accepted as root";
  } catch (const filesystem_error& e) {
    EXPECT_EQ(e.code(), std::errc::not_a_directory);
  }
}

TEST(DiskFileSystem, PathsMapBelowTheRoot) {
  HostDir host;
  DiskFileSystem fs(host.path());
  EXPECT_EQ(fs.root(), stdfs::canonical(host.path()));
  EXPECT_EQ(fs.host_path("/a/../b.txt"), fs.root() / "b.txt");
  EXPECT_EQ(fs.host_path("/"), fs.root());
  fs.create_directories("/x/y");
  fs.write_file("/x/y/z.txt", "hello");
  EXPECT_EQ(read_host(host.path() / "x/y/z.txt"), "hello");
  std::error_code ec;
  fs.write_file("/../escape.txt", "no", ec);
  EXPECT_EQ(ec, std::errc::invalid_argument);
  EXPECT_FALSE(stdfs::exists(host.path().parent_path() / "escape.txt"));
}

TEST(DiskFileSystem, TemporaryRootsAreRemovedWithTheFileSystem) {
  stdfs::path root;
  {
    auto fs = DiskFileSystem::create_temporary();
    root = fs->root();
    fs->create_directories("/a/b");
    fs->write_file("/a/b/c", "data");
    EXPECT_TRUE(stdfs::is_directory(root));
  }
  EXPECT_FALSE(stdfs::exists(root));
  HostDir parent;
  auto fs = DiskFileSystem::create_temporary(parent.path());
  EXPECT_EQ(fs->root().parent_path(), stdfs::canonical(parent.path()));
}

// A symlink planted inside the root that points out of it.
class PlantedSymlink : public ::testing::Test {
 protected:
  void SetUp() override {
    stdfs::create_directories(outside_.path() / "secret");
    std::ofstream(outside_.path() / "secret/key") << "do not read";
    std::ofstream(outside_.path() / "target.txt") << "outside";
    stdfs::create_directory_symlink(outside_.path() / "secret",
                                    root_.path() / "link");
    stdfs::create_symlink(outside_.path() / "target.txt",
                          root_.path() / "file-link");
    fs_ = std::make_unique<DiskFileSystem>(root_.path());
  }
  HostDir outside_;
  HostDir root_;
  std::unique_ptr<DiskFileSystem> fs_;
};

TEST_F(PlantedSymlink, IsNeverFollowed) {
  std::error_code ec;
  EXPECT_EQ(fs_->read_file("/link/key", ec), "");
  EXPECT_EQ(ec, std::errc::permission_denied);
  (void)fs_->list("/link", ec);
  EXPECT_EQ(ec, std::errc::permission_denied);
  (void)fs_->read_file("/file-link", ec);
  EXPECT_EQ(ec, std::errc::permission_denied);
  fs_->write_file("/file-link", "overwrite", ec);
  EXPECT_EQ(ec, std::errc::permission_denied);
  fs_->write_file("/link/new", "x", ec);
  EXPECT_EQ(ec, std::errc::permission_denied);
  fs_->create_directory("/link/sub", ec);
  EXPECT_EQ(ec, std::errc::permission_denied);
  (void)fs_->status("/file-link", ec);
  EXPECT_EQ(ec, std::errc::permission_denied);
  fs_->rename("/link", "/moved", ec);
  EXPECT_EQ(ec, std::errc::permission_denied);
  EXPECT_EQ(read_host(outside_.path() / "target.txt"), "outside");
  EXPECT_FALSE(stdfs::exists(outside_.path() / "secret/new"));
}

TEST_F(PlantedSymlink, IsLeftOutOfListingsAndRemovedAsALink) {
  fs_->write_file("/plain", "p");
  EXPECT_EQ(fs_->list("/"), (std::vector<std::string>{"plain"}));
  EXPECT_TRUE(fs_->remove("/file-link"));
  EXPECT_EQ(fs_->remove_all("/link"), 1u);
  EXPECT_EQ(read_host(outside_.path() / "target.txt"), "outside");
  EXPECT_EQ(read_host(outside_.path() / "secret/key"), "do not read");
}

TEST_F(PlantedSymlink, RemoveAllOfADirectoryHoldingALinkKeepsTheTarget) {
  fs_->create_directory("/d");
  stdfs::create_directory_symlink(outside_.path() / "secret",
                                  root_.path() / "d/inner");
  EXPECT_EQ(fs_->remove_all("/d"), 2u);
  EXPECT_EQ(read_host(outside_.path() / "secret/key"), "do not read");
}

TEST(DiskFileSystem, APlantedFifoIsRefusedWithoutBlocking) {
  HostDir host;
  ASSERT_EQ(::mkfifo((host.path() / "pipe").c_str(), 0600), 0);
  DiskFileSystem fs(host.path());
  std::error_code ec;
  (void)fs.open("/pipe", "r", ec);
  EXPECT_EQ(ec, std::errc::permission_denied);
  (void)fs.open("/pipe", "w", ec);
  EXPECT_EQ(ec, std::errc::permission_denied);
  EXPECT_TRUE(fs.list("/").empty());
}

TEST(DiskFileSystem, LocksAreRealFlockLocks) {
  auto fs = DiskFileSystem::create_temporary();
  fs->write_file("/db.lock", "");
  File holder = fs->open("/db.lock", "r+");
  holder.lock(LockMode::exclusive);
  // Another open file description, as another process would have.
  const int other = ::open((fs->root() / "db.lock").c_str(), O_RDONLY);
  ASSERT_GE(other, 0);
  EXPECT_NE(::flock(other, LOCK_SH | LOCK_NB), 0);
  EXPECT_EQ(errno, EWOULDBLOCK);
  ASSERT_EQ(fs->open_handles().size(), 1u);
  EXPECT_EQ(fs->open_handles()[0].lock, LockMode::exclusive);
  holder.unlock();
  EXPECT_EQ(::flock(other, LOCK_SH | LOCK_NB), 0);
  // Held from outside: our timed wait gives up when the clock says so.
  auto clock = std::make_shared<ManualClock>();
  clock->set_auto_advance(true);
  DiskOptions opts;
  opts.clock = clock;
  DiskFileSystem timed(fs->root(), opts);
  File waiter = timed.open("/db.lock", "r+");
  std::error_code ec;
  waiter.lock(LockMode::exclusive, std::chrono::seconds(5), ec);
  EXPECT_EQ(ec, errc::lock_timeout);
  EXPECT_TRUE(waiter.try_lock(LockMode::shared));  // shared with shared
  ::close(other);
}

TEST(DiskFileSystem, LockOnOpenTakesTheLockForTheHandlesLife) {
  auto clock = std::make_shared<ManualClock>();
  clock->set_auto_advance(true);
  HostDir host;
  DiskOptions opts;
  opts.lock_on_open = true;
  opts.clock = clock;
  DiskFileSystem fs(host.path(), opts);
  File writer = fs.open("/data", "w");
  EXPECT_EQ(writer.write("v1"), 2u);
  std::error_code ec;
  (void)fs.open("/data", "w", ec);  // would truncate: refused, file kept
  EXPECT_EQ(ec, errc::lock_timeout);
  (void)fs.open("/new", "w", OpenOptions{}, ec);
  EXPECT_FALSE(ec);
  EXPECT_EQ(fs.read_file("/data"), "v1");  // whole-file reads never wait
  writer.close();
  File reader = fs.open("/data", "r");
  File second = fs.open("/data", "r");  // shared with shared
  EXPECT_EQ(second.read_all(), "v1");
}

// Real time, but counts the naps of lock waits, so a test can see that a
// waiter is waiting instead of sleeping and hoping.
class NapCountingClock final : public Clock {
 public:
  time_point now() const override { return real_->now(); }
  steady_point steady_now() const override { return real_->steady_now(); }
  void wait_until(std::condition_variable& cv,
                  std::unique_lock<std::mutex>& lock,
                  steady_point deadline) override {
    real_->wait_until(cv, lock, deadline);
  }
  void sleep_for(std::chrono::nanoseconds d) override {
    {
      std::lock_guard<std::mutex> guard(mutex_);
      ++naps_;
    }
    changed_.notify_all();
    real_->sleep_for(d);
  }
  void await_naps(int n) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return naps_ >= n; });
  }

 private:
  std::shared_ptr<SystemClock> real_ = SystemClock::instance();
  std::mutex mutex_;  // guards naps_
  std::condition_variable changed_;
  int naps_ = 0;
};

TEST(DiskFileSystem, AWaiterGetsTheLockWhenTheHolderLetsGo) {
  auto clock = std::make_shared<NapCountingClock>();
  HostDir host;
  DiskOptions opts;
  opts.clock = clock;
  DiskFileSystem fs(host.path(), opts);
  fs.write_file("/shared", "");
  File holder = fs.open("/shared", "r+");
  holder.lock(LockMode::exclusive);
  std::error_code waiter_ec;
  std::optional<LockMode> seen;
  std::thread waiter([&] {
    File f = fs.open("/shared", "r");
    f.lock(LockMode::shared, kWaitForever, waiter_ec);
    seen = fs.open_handles().back().lock;  // same path: in opening order
  });
  clock->await_naps(1);  // the waiter is polling
  fs.write_file("/other", "unrelated operations do not wait");  // nothing held
  holder.unlock();
  waiter.join();
  EXPECT_FALSE(waiter_ec);
  EXPECT_EQ(seen, LockMode::shared);
}

TEST(DiskFileSystem, ConcurrentUseIsSafe) {
  auto fs = DiskFileSystem::create_temporary();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&fs, t] {
      const std::string dir = "/t" + std::to_string(t);
      fs->create_directory(dir);
      for (int i = 0; i < 50; ++i) {
        const std::string path = dir + "/f" + std::to_string(i % 5);
        File f = fs->open(path, "a+");
        EXPECT_EQ(f.write("line\n"), 5u);
        (void)f.try_lock(LockMode::shared);
        (void)fs->open_handles();
        (void)fs->stats();
        f.close();
        (void)fs->list(dir);
        if (i % 7 == 0) fs->remove(path);
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(fs->stats().open_handles, 0u);
  EXPECT_EQ(fs->stats().directory_count, 5u);
}

TEST(DiskFileSystem, StatusReportsHostTimesAndNoGeneration) {
  auto fs = DiskFileSystem::create_temporary();
  const auto before =
      std::chrono::system_clock::now() - std::chrono::seconds(2);
  fs->write_file("/f", "abc");
  fs->write_file("/f", "abcd");
  const FileStatus st = fs->status("/f");
  EXPECT_EQ(st.size, 4u);
  EXPECT_EQ(st.generation, 0u);  // a disk counts no generations
  EXPECT_GE(st.modified, before);
  EXPECT_LE(st.created, st.modified);
}

TEST(DiskFileSystem, StatsWalkTheTree) {
  auto fs = DiskFileSystem::create_temporary();
  fs->create_directories("/a/b");
  fs->write_file("/a/x", "12345");
  fs->write_file("/a/b/y", "12");
  File open_removed = fs->open("/a/x", "r");
  fs->remove("/a/x");
  const Stats s = fs->stats();
  EXPECT_EQ(s.file_count, 1u);
  EXPECT_EQ(s.directory_count, 3u);
  EXPECT_EQ(s.used, 7u);  // the removed file is still open
  EXPECT_EQ(s.open_handles, 1u);
  EXPECT_FALSE(s.node_limit);
  EXPECT_EQ(s.quota, std::numeric_limits<std::uint64_t>::max());
  ASSERT_EQ(fs->open_handles().size(), 1u);
  EXPECT_TRUE(fs->open_handles()[0].removed);
}

}  // namespace
}  // namespace memfs::test
