// Concurrency: per-path determinism of seeded rules under threads, a log
// that stays consistent, and arming/disarming while operations run (these
// tests are meant to run under TSan too).
#include <atomic>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "fault_fixture.hpp"

namespace memfs::test {
namespace {

class ThreadSafetyTest : public FaultTest {};
MEMFS_INSTANTIATE_FAULT_TEST(ThreadSafetyTest);

constexpr int kThreads = 4;
constexpr int kWrites = 40;

std::string path_of(int thread) { return "/t" + std::to_string(thread); }

// Which of kWrites one-byte writes to `path` fail.
std::vector<int> failing_writes(FileSystem& fs, const std::string& path) {
  File f = fs.open(path, "a");
  std::vector<int> failed;
  for (int i = 1; i <= kWrites; ++i) {
    std::error_code ec;
    (void)f.write("x", ec);
    if (ec) failed.push_back(i);
  }
  return failed;
}

TEST_P(ThreadSafetyTest, SeededRulesGiveEachPathTheSameFaultsUnderThreads) {
  const char* rule = "write /** probability=0.3 seed=11 fail=EIO";
  auto id = faults().add(rule);
  std::map<int, std::vector<int>> sequential;
  for (int t = 0; t < kThreads; ++t)
    sequential[t] = failing_writes(fs(), path_of(t));
  faults().remove(id);
  for (int t = 0; t < kThreads; ++t) fs().remove(path_of(t));

  faults().add(rule);
  std::vector<std::thread> threads;
  std::vector<std::vector<int>> results(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      results[static_cast<std::size_t>(t)] = failing_writes(fs(), path_of(t));
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(results[static_cast<std::size_t>(t)], sequential[t])
        << path_of(t);
  }
}

TEST_P(ThreadSafetyTest, TheLogStaysConsistentUnderConcurrentFirings) {
  faults().add("write /** every=2 fail=EIO");
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  std::set<std::thread::id> ids;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      File f = fs().open(path_of(t), "a");
      for (int i = 0; i < kWrites; ++i) {
        std::error_code ec;
        (void)f.write("x", ec);
        if (ec) ++failures;
      }
    });
    ids.insert(threads.back().get_id());
  }
  for (auto& th : threads) th.join();

  const auto log = faults().log();
  EXPECT_EQ(failures.load(), kThreads * kWrites / 2);  // every 2nd, globally
  ASSERT_EQ(log.size(), static_cast<std::size_t>(failures.load()));
  for (std::size_t i = 0; i < log.size(); ++i) {
    EXPECT_EQ(log[i].sequence, i + 1);
    EXPECT_EQ(log[i].call, 2 * (i + 1));  // calls 2, 4, 6... in order
    EXPECT_EQ(ids.count(log[i].thread), 1u);
  }
  EXPECT_EQ(faults().rules()[0].matches,
            static_cast<std::uint64_t>(kThreads * kWrites));
}

TEST_P(ThreadSafetyTest, NthFiresExactlyOnceAcrossThreads) {
  faults().add("write /** nth=57 fail=EIO");
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      File f = fs().open(path_of(t), "a");
      for (int i = 0; i < kWrites; ++i) {
        std::error_code ec;
        (void)f.write("x", ec);
        if (ec) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 1);
  EXPECT_EQ(faults().log().size(), 1u);
}

TEST_P(ThreadSafetyTest, RulesCanChangeWhileOperationsRun) {
  std::atomic<bool> stop{false};
  std::vector<std::thread> workers;
  for (int t = 0; t < 2; ++t) {
    workers.emplace_back([&, t] {
      const std::string path = path_of(t);
      while (!stop.load()) {
        std::error_code ec;
        fs().write_file(path, "data", ec);
        (void)fs().read_file(path, ec);
        (void)fs().exists(path, ec);
        (void)fs().stats();
      }
    });
  }
  for (int round = 0; round < 200; ++round) {
    auto a = faults().add("write /** probability=0.5 fail=EIO");
    auto b = faults().scoped("read /t1 always corrupt");
    (void)faults().rules();
    (void)faults().log();
    (void)faults().describe_log();
    faults().clear_log();
    faults().set_seed(static_cast<std::uint64_t>(round));
    if (round % 10 == 0) faults().disk_full_after(1 << 20);
    faults().remove(a);
    if (round % 10 == 5) faults().clear();
  }
  stop = true;
  for (auto& th : workers) th.join();
  faults().clear();
  EXPECT_TRUE(faults().rules().empty());
}

}  // namespace
}  // namespace memfs::test
