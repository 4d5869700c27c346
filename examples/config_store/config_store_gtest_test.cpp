// ConfigStore under GoogleTest: a lock held by "another process"
// (FaultInjector::hold_lock) makes a save time out — after 30 s on a
// ManualClock that jumps straight to the deadline, so the test takes no
// time; a failing rename, a failing sync and a full disk must leave the old
// configuration intact and no temporary behind; threads updating at once
// must lose no update.
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "config_store.hpp"
#include <memfs/gtest.hpp>

namespace {

using example::ConfigStore;
using memfs::gtest::FileContents;
using memfs::gtest::TreeEquals;
using ::testing::IsEmpty;
using namespace std::chrono_literals;

class ConfigStoreTest : public memfs::gtest::Test {
 protected:
  // The filesystem's clock: lock timeouts are measured on it.
  std::shared_ptr<memfs::ManualClock> clock_ =
      std::make_shared<memfs::ManualClock>();

  memfs::MemoryOptions memory_options() const override {
    memfs::MemoryOptions options;
    options.clock = clock_;
    return options;
  }

  // A store in /etc/app holding "port = 80".
  ConfigStore saved_store() {
    ConfigStore store(fs(), {"/etc/app", 30s});
    EXPECT_MEMFS_OK(store.save({{"port", "80"}}));
    return store;
  }

  static const std::map<std::string, std::string>& old_tree() {
    static const std::map<std::string, std::string> tree{
        {"/etc/app/config", "port = 80\n"}, {"/etc/app/config.lock", ""}};
    return tree;
  }
};

TEST_F(ConfigStoreTest, SavesAndLoadsAConfiguration) {
  ConfigStore store = saved_store();
  EXPECT_MEMFS_OK(store.save({{"port", "8080"}, {"host", "example.org"}}));
  EXPECT_THAT(fs(), FileContents("/etc/app/config",
                                 "host = example.org\nport = 8080\n"));
  std::error_code ec;
  EXPECT_EQ(store.load(ec),
            (ConfigStore::Config{{"host", "example.org"}, {"port", "8080"}}));
  EXPECT_MEMFS_OK(ec);
}

TEST_F(ConfigStoreTest, ALockHeldByAnotherOwnerTimesOutAndChangesNothing) {
  ConfigStore store = saved_store();
  clock_->set_auto_advance(true);  // a lock wait jumps to its deadline
  auto hold =
      faults().hold_lock("/etc/app/config.lock", memfs::LockMode::exclusive);
  const auto start = clock_->steady_now();

  EXPECT_EQ(store.save({{"port", "9090"}}), memfs::errc::lock_timeout);
  EXPECT_GE(clock_->steady_now() - start,
            30s);  // 30 s on the clock, none on the wall
  EXPECT_THAT(fs(), TreeEquals(old_tree()));

  hold.release();
  EXPECT_MEMFS_OK(store.save({{"port", "9090"}}));
}

TEST_F(ConfigStoreTest, ASaveWaitsForTheOtherOwnerToLetGo) {
  ConfigStore store =
      saved_store();  // the clock stands still: no timeout fires
  auto hold =
      faults().hold_lock("/etc/app/config.lock", memfs::LockMode::shared);
  std::error_code saved;
  std::thread writer([&] { saved = store.save({{"port", "9090"}}); });
  hold.release();  // whether the writer waits already or not yet, it gets the lock
  writer.join();
  EXPECT_MEMFS_OK(saved);
  EXPECT_THAT(fs(), FileContents("/etc/app/config", "port = 9090\n"));
}

TEST_F(ConfigStoreTest, AFailingRenameKeepsTheOldConfiguration) {
  ConfigStore store = saved_store();
  faults().add("rename /etc/app/config.tmp once fail=EIO");
  EXPECT_EQ(store.save({{"port", "9090"}}), std::errc::io_error);
  EXPECT_THAT(fs(), TreeEquals(old_tree()));    // no config.tmp either
  EXPECT_THAT(fs().open_handles(), IsEmpty());  // the lock was released
}

TEST_F(ConfigStoreTest, AFailingSyncOrAFullDiskKeepsTheOldConfiguration) {
  ConfigStore store = saved_store();
  {
    auto rule = faults().scoped("sync /etc/app/config.tmp always fail=EIO");
    EXPECT_EQ(store.save({{"port", "9090"}}), std::errc::io_error);
  }
  faults().disk_full_after(5);
  EXPECT_EQ(store.save({{"port", "9090"}}), std::errc::no_space_on_device);
  EXPECT_THAT(fs(), TreeEquals(old_tree()));
}

TEST_F(ConfigStoreTest, ConcurrentUpdatesLoseNoIncrement) {
  ConfigStore store = saved_store();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&store] {
      for (int i = 0; i < 25; ++i) {
        EXPECT_MEMFS_OK(store.update([](ConfigStore::Config& c) {
          c["count"] =
              std::to_string(c.count("count") ? std::stoi(c["count"]) + 1 : 1);
        }));
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_THAT(fs(),
              FileContents("/etc/app/config", "count = 100\nport = 80\n"));
}

TEST_F(ConfigStoreTest, BadEntriesAreRefused) {
  ConfigStore store = saved_store();
  EXPECT_EQ(store.save({{"a=b", "1"}}), std::errc::invalid_argument);
  EXPECT_EQ(store.save({{"key", "two\nlines"}}), std::errc::invalid_argument);
  fs().write_file("/etc/app/config",
                  "# edited by hand\n\n  port=81 \nnot a setting\n");
  std::error_code ec;
  EXPECT_THAT(store.load(ec), IsEmpty());
  EXPECT_EQ(ec, std::errc::invalid_argument);
}

}  // namespace
