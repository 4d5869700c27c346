// The headline cases, one line each, exactly as the headers document them:
// a disk that fills up, the Nth write failing with quota exceeded, a lock
// timing out without waiting, and real lock contention on a virtual clock.
#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "fault_fixture.hpp"

namespace memfs::test {
namespace {

class HeadlineTest : public FaultTest {};
MEMFS_INSTANTIATE_FAULT_TEST(HeadlineTest);

constexpr std::uint64_t kMiB = 1 << 20;

TEST_P(HeadlineTest, TheDiskIsFullAfterOneMiBMore) {
  put("/old", std::string(1000, 'o'));
  const Stats before = fs().stats();

  const RuleId full = faults().disk_full_after(1 << 20);

  EXPECT_EQ(fs().space().available, kMiB);
  EXPECT_EQ(fs().stats().free, kMiB);
  File f = fs().open("/data", "w");
  const std::string chunk(64 << 10, 'd');
  for (int i = 0; i < 16; ++i) ASSERT_EQ(f.write(chunk), chunk.size()) << i;
  EXPECT_EQ(fs().space().available, 0u);
  std::error_code ec;
  (void)f.write("x", ec);  // one byte more
  EXPECT_EQ(ec, errc::quota_exceeded);
  EXPECT_EQ(ec, std::errc::no_space_on_device);
  EXPECT_EQ(f.size(), kMiB);  // the refused write changed nothing
  f.close();
  EXPECT_THROW(fs().write_file("/more", "y"), quota_exceeded_error);

  ASSERT_TRUE(faults().remove(full));  // the disk has room again
  EXPECT_EQ(fs().stats().quota, before.quota);
  fs().write_file("/more", "y");
}

TEST_P(HeadlineTest, EveryWriteTheFullDiskRefusesIsLogged) {
  const RuleId full = faults().disk_full_after(5);
  fs().write_file("/a", "12345");  // exactly fills it
  std::error_code ec;
  fs().write_file("/b", "6", ec);
  EXPECT_EQ(ec, errc::quota_exceeded);
  File f = fs().open("/a", "a");
  (void)f.write("7", ec);
  EXPECT_EQ(ec, errc::quota_exceeded);

  const auto log = faults().log();
  ASSERT_EQ(log.size(), 2u) << faults().describe_log();
  EXPECT_EQ(log[0].path, "/b");
  EXPECT_EQ(log[1].path, "/a");
  for (const auto& entry : log) {
    EXPECT_EQ(entry.op, Op::write);
    EXPECT_EQ(entry.rule_id, full);
    EXPECT_EQ(entry.rule, "disk_full_after=5");
    EXPECT_EQ(entry.action, "fail=quota_exceeded");
  }
  EXPECT_EQ(faults().rules().at(0).fired, 2u);
}

TEST_P(HeadlineTest, TheThirdWriteToALogFailsWithQuotaExceeded) {
  fs().create_directories("/db");
  faults().add("write /db/*.log nth=3 fail=quota_exceeded");

  File log = fs().open("/db/000001.log", "a");
  EXPECT_EQ(log.write("one\n"), 4u);
  EXPECT_EQ(log.write("two\n"), 4u);
  std::error_code ec;
  (void)log.write("three\n", ec);
  EXPECT_EQ(ec, errc::quota_exceeded);
  EXPECT_EQ(log.write("four\n"), 5u);
  log.close();
  EXPECT_EQ(fs().read_file("/db/000001.log"), "one\ntwo\nfour\n");
}

TEST_P(HeadlineTest, TheSecondExclusiveLockTimesOutWithoutWaiting) {
  fs().create_directories("/db");
  faults().add("lock /db/LOCK mode=exclusive nth=2 fail=lock_timeout");

  File lock = fs().open("/db/LOCK", "w");
  lock.lock(LockMode::shared);  // shared: not counted
  lock.unlock();
  lock.lock(LockMode::exclusive);  // 1st exclusive
  lock.unlock();
  const auto t0 = clock().steady_now();
  EXPECT_THROW(lock.lock(LockMode::exclusive, std::chrono::seconds(30)),
               lock_timeout_error);     // 2nd exclusive
  EXPECT_EQ(clock().steady_now(), t0);  // failed at once: no wait at all
  lock.lock(LockMode::exclusive);       // 3rd: fine
}

TEST_P(HeadlineTest, HeldLockMakesTheCodeUnderTestTimeOutOnItsOwn) {
  fs().create_directories("/db");
  {
    auto hold = faults().hold_lock("/db/LOCK", LockMode::exclusive);
    EXPECT_TRUE(hold.held());

    File f = fs().open("/db/LOCK", "r+");
    const auto t0 = clock().steady_now();
    EXPECT_THROW(f.lock(LockMode::shared, std::chrono::seconds(30)),
                 lock_timeout_error);
    // A real 30 s wait, finished at once by the auto-advancing clock.
    EXPECT_GE(clock().steady_now() - t0, std::chrono::seconds(30));
    EXPECT_TRUE(faults().log().empty());  // contention, not an injection
  }
  File f = fs().open("/db/LOCK", "r+");
  EXPECT_TRUE(f.try_lock(LockMode::exclusive));  // the hold is gone
}

TEST_P(HeadlineTest, SharedHoldLetsReadersInAndKeepsWritersOut) {
  auto hold = faults().hold_lock("/LOCK", LockMode::shared);  // creates it
  EXPECT_TRUE(fs().exists("/LOCK"));
  File reader = fs().open("/LOCK", "r");
  EXPECT_TRUE(reader.try_lock(LockMode::shared));
  File writer = fs().open("/LOCK", "r+");
  EXPECT_FALSE(writer.try_lock(LockMode::exclusive));
  hold.release();
  reader.unlock();
  EXPECT_TRUE(writer.try_lock(LockMode::exclusive));
}

TEST_P(HeadlineTest, HoldLockDoesNotSeeOrCountRules) {
  faults().add("open,lock,close /** always fail=EACCES");
  auto hold = faults().hold_lock("/x", LockMode::exclusive);
  EXPECT_TRUE(hold.held());
  EXPECT_EQ(faults().rules()[0].matches, 0u);
  EXPECT_TRUE(faults().log().empty());
}

TEST_P(HeadlineTest, ScopedRulesLastForTheirScope) {
  File f = fs().open("/a", "w");
  {
    auto guard = faults().scoped("sync /** always fail=EIO");
    EXPECT_THROW(f.sync(), filesystem_error);
  }
  f.sync();
  EXPECT_TRUE(faults().rules().empty());
}

}  // namespace
}  // namespace memfs::test
