// While the process has never had a second thread, the engine's locks and
// counters use plain loads and stores instead of atomic read-modify-writes
// (shared/single_threaded.hpp). A test binary has had threads by the time
// most tests run, so each parent test runs its child test in a fresh copy
// of this binary, where it starts alone: they take locks and open files
// alone, then start threads that contend for the same locks and files.
#include <atomic>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "memfs/memory_file_system.hpp"
#include "memory/shared_spin_lock.hpp"
#include "memory/spin_lock.hpp"
#include "memory/tree_mutex.hpp"
#include "shared/single_threaded.hpp"
#include "support/child_process.hpp"

namespace memfs::detail {
namespace {

bool in_alone_child() { return test_support::started_by_run_self(); }

// Yields a while, so that a thread that wrongly took a lock would show it.
void let_other_threads_run() {
  for (int i = 0; i < 200; ++i) std::this_thread::yield();
}

// Locks taken alone (plain stores) are held against a thread made while
// they are held; released after it exists (locked instructions), they let
// it in.
TEST(SingleThreadChild, LocksTakenAloneHoldAgainstALaterThread) {
  if (in_alone_child()) {
    ASSERT_TRUE(single_threaded()) << "a fresh process";
  }
  TreeMutex tree;
  SharedSpinLock data;
  SpinLock list;
  tree.lock_shared();
  data.lock_shared();
  list.lock();
  if (in_alone_child()) {
    EXPECT_TRUE(single_threaded()) << "still alone";
  }
  std::atomic<int> stage{0};
  std::thread writer([&] {
    tree.lock();
    stage = 1;
    data.lock();
    stage = 2;
    list.lock();
    stage = 3;
    list.unlock();
    data.unlock();
    tree.unlock();
  });
  EXPECT_FALSE(single_threaded());
  let_other_threads_run();
  EXPECT_EQ(stage.load(), 0) << "the tree lock is held shared";
  tree.unlock_shared();
  while (stage.load() < 1) std::this_thread::yield();
  let_other_threads_run();
  EXPECT_EQ(stage.load(), 1) << "the data lock is held shared";
  data.unlock_shared();
  while (stage.load() < 2) std::this_thread::yield();
  let_other_threads_run();
  EXPECT_EQ(stage.load(), 2) << "the spin lock is held";
  list.unlock();
  writer.join();
  EXPECT_EQ(stage.load(), 3);
  // Free again, for this thread.
  std::unique_lock<TreeMutex> t(tree);
  std::unique_lock<SharedSpinLock> d(data);
  std::lock_guard<SpinLock> l(list);
}

std::string alone_text_of(int i) { return "file " + std::to_string(i) + "\n"; }

// A filesystem used alone (files written, handles open, quota counted) and
// then by threads at once: every count stays right.
TEST(SingleThreadChild, AFilesystemUsedAloneThenByThreads) {
  if (in_alone_child()) {
    ASSERT_TRUE(single_threaded()) << "a fresh process";
  }
  constexpr int kThreads = 4;
  MemoryFileSystem fs;
  std::vector<File> kept;
  for (int i = 0; i < kThreads; ++i) {
    const std::string path = "/f" + std::to_string(i);
    fs.write_file(path, alone_text_of(i));
    kept.push_back(fs.open(path, "r"));
  }
  fs.write_file("/shared", "0123456789");
  File shared = fs.open("/shared", "r+");
  if (in_alone_child()) {
    EXPECT_TRUE(single_threaded()) << "still alone";
  }
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string mine = "/t" + std::to_string(t);
      for (int round = 0; round < 200; ++round) {
        char buf[16] = {};
        File& k = kept[static_cast<std::size_t>(t)];
        if (k.pread(0, buf, sizeof buf) != alone_text_of(t).size()) ++bad;
        File again = fs.open("/shared", "r");  // a file opened alone too
        if (again.pread(0, buf, 10) != 10) ++bad;
        fs.write_file(mine, alone_text_of(round));
        if (fs.read_file(mine) != alone_text_of(round)) ++bad;
        File f = fs.open(mine, "a");
        if (f.write("x") != 1) ++bad;
        f.close();
        fs.remove(mine);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad.load(), 0);
  kept.clear();
  shared.close();
  const Stats s = fs.stats();
  EXPECT_EQ(s.open_handles, 0u);
  std::uint64_t bytes = 10;
  for (int i = 0; i < kThreads; ++i) bytes += alone_text_of(i).size();
  EXPECT_EQ(s.used, bytes) << "the quota ledger counts what the files hold";
}

// Runs SingleThreadChild.<name> in a fresh copy of this binary; true when
// it passed (its output says what failed otherwise).
bool passes_in_fresh_process(const std::string& name) {
  const test_support::ChildRun run =
      test_support::run_self({"--gtest_filter=SingleThreadChild." + name});
  if (run.exit_code != 0) ADD_FAILURE() << run.out << run.err;
  return run.exit_code == 0;
}

TEST(SingleThread, LocksTakenAloneHoldAgainstALaterThreadInAFreshProcess) {
  EXPECT_TRUE(
      passes_in_fresh_process("LocksTakenAloneHoldAgainstALaterThread"));
}

TEST(SingleThread, AFilesystemUsedAloneThenByThreadsInAFreshProcess) {
  EXPECT_TRUE(passes_in_fresh_process("AFilesystemUsedAloneThenByThreads"));
}

}  // namespace
}  // namespace memfs::detail
