// Conformance: whole-file advisory locks on File — shared and exclusive,
// try_lock, timeouts (zero = try once), not re-entrant, released by unlock,
// close and destruction.
#include <chrono>
#include <thread>

#include "backend.hpp"
#include "test_util.hpp"

namespace memfs::test {
namespace {

using std::chrono::nanoseconds;
constexpr nanoseconds kTryOnce{0};

class LockTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    fs().write_file("/f", "data");
  }
  File open_f() { return fs().open("/f", "r+"); }
};
MEMFS_INSTANTIATE_CONFORMANCE(LockTest);

TEST_P(LockTest, SharedLocksCoexist) {
  File a = open_f();
  File b = open_f();
  File c = fs().open("/f", "r");
  a.lock(LockMode::shared, kTryOnce);
  b.lock(LockMode::shared, kTryOnce);
  EXPECT_TRUE(c.try_lock(LockMode::shared));
}

TEST_P(LockTest, AnExclusiveLockExcludesEveryOtherLock) {
  File a = open_f();
  File b = open_f();
  a.lock(LockMode::exclusive);
  EXPECT_FALSE(b.try_lock(LockMode::shared));
  EXPECT_FALSE(b.try_lock(LockMode::exclusive));
  a.unlock();
  EXPECT_TRUE(b.try_lock(LockMode::exclusive));
  EXPECT_FALSE(a.try_lock(LockMode::shared));
}

TEST_P(LockTest, ASharedLockExcludesAnExclusiveOne) {
  File a = open_f();
  File b = open_f();
  a.lock(LockMode::shared);
  EXPECT_FALSE(b.try_lock(LockMode::exclusive));
  EXPECT_TRUE(b.try_lock(LockMode::shared));
}

TEST_P(LockTest, ZeroTimeoutTriesOnceAndFailsWithLockTimeout) {
  File a = open_f();
  File b = open_f();
  a.lock(LockMode::exclusive);
  std::error_code ec;
  b.lock(LockMode::shared, kTryOnce, ec);
  EXPECT_THAT(ec, IsErr(memfs::errc::lock_timeout));
  EXPECT_THAT(ec, IsErr(std::errc::resource_unavailable_try_again));
  auto e = catch_as<lock_timeout_error>(
      [&] { b.lock(LockMode::exclusive, kTryOnce); });
  ASSERT_TRUE(e.has_value());
  EXPECT_THAT(e->code(), IsErr(memfs::errc::lock_timeout));
}

TEST_P(LockTest, AShortTimeoutExpires) {
  File a = open_f();
  File b = open_f();
  a.lock(LockMode::shared);
  EXPECT_THAT(ec_of([&](auto& ec) {
                b.lock(LockMode::exclusive, std::chrono::milliseconds(1), ec);
              }),
              IsErr(memfs::errc::lock_timeout));
}

TEST_P(LockTest, LocksAreNotReentrant) {
  File a = open_f();
  a.lock(LockMode::shared);
  EXPECT_THAT(ec_of([&](auto& ec) { a.lock(LockMode::shared, kTryOnce, ec); }),
              IsErr(std::errc::resource_deadlock_would_occur));
  EXPECT_THAT(
      ec_of([&](auto& ec) { a.lock(LockMode::exclusive, kTryOnce, ec); }),
      IsErr(std::errc::resource_deadlock_would_occur));
  // A second handle of the same thread is just another owner.
  File b = open_f();
  EXPECT_FALSE(b.try_lock(LockMode::exclusive));
}

TEST_P(LockTest, UnlockWithoutALockIsAnError) {
  File a = open_f();
  EXPECT_THAT(ec_of([&](auto& ec) { a.unlock(ec); }),
              IsErr(std::errc::no_lock_available));
  a.lock(LockMode::exclusive);
  a.unlock();
  EXPECT_THAT(ec_of([&](auto& ec) { a.unlock(ec); }),
              IsErr(std::errc::no_lock_available));
  EXPECT_THROW(a.unlock(), filesystem_error);
}

TEST_P(LockTest, CloseReleasesTheLock) {
  File a = open_f();
  File b = open_f();
  a.lock(LockMode::exclusive);
  a.close();
  EXPECT_TRUE(b.try_lock(LockMode::exclusive));
}

TEST_P(LockTest, LocksAreAdvisory) {
  File a = open_f();
  a.lock(LockMode::exclusive);
  File b = open_f();
  EXPECT_EQ(b.write("DA"), 2u);
  EXPECT_EQ(fs().read_file("/f"), "DAta");
  fs().write_file("/other", "unaffected");
}

TEST_P(LockTest, LocksOnDifferentFilesAreIndependent) {
  fs().write_file("/g", "other");
  File a = open_f();
  File b = fs().open("/g", "r+");
  a.lock(LockMode::exclusive);
  EXPECT_TRUE(b.try_lock(LockMode::exclusive));
}

TEST_P(LockTest, AWaiterGetsTheLockWhenItIsReleased) {
  File a = open_f();
  File b = open_f();
  a.lock(LockMode::exclusive);
  std::error_code waiter_ec;
  std::thread waiter(
      [&] { b.lock(LockMode::exclusive, kWaitForever, waiter_ec); });
  a.unlock();
  waiter.join();
  EXPECT_THAT(waiter_ec, Succeeded());
  EXPECT_FALSE(a.try_lock(LockMode::shared));
  b.close();
  EXPECT_TRUE(a.try_lock(LockMode::shared));
}

TEST_P(LockTest, ALockSurvivesTheRemovalOfItsFile) {
  File a = open_f();
  File b = open_f();
  a.lock(LockMode::exclusive);
  fs().remove("/f");
  EXPECT_FALSE(b.try_lock(LockMode::shared));
  a.unlock();
  EXPECT_TRUE(b.try_lock(LockMode::shared));
}

}  // namespace
}  // namespace memfs::test
