// MemoryFileSystem: handles opened, closed and listed from several threads
// at once (the handle registry is sharded per thread; a remove finds a
// file's handles there): every handle is listed and counted whichever thread opened it,
// the last close of a removed file frees its bytes exactly once even while
// the file is being removed, handles of a filesystem destroyed on another
// thread stay closable, clone() never shares a file a handle is being
// opened on, and a file removed while open lives (parked) until its last
// close, also while handles are listed or the filesystem cloned. Run under
// TSan and ASan as well.
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "memfs/memory_file_system.hpp"
#include "test_util.hpp"

namespace memfs::test {
namespace {

// Threads spread over the handle shards (round-robin): several are used.
constexpr std::size_t kThreads = 6;

// Runs body(t) on kThreads threads and joins them.
template <class Body>
void on_threads(Body&& body) {
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < kThreads; ++t) threads.emplace_back(body, t);
  for (std::thread& th : threads) th.join();
}

// Waits until `count` reaches `n` (the threads' rendezvous).
void wait_for(const std::atomic<std::size_t>& count, std::size_t n) {
  while (count.load() < n) std::this_thread::yield();
}

TEST(MemoryHandles, HandlesOpenedOnManyThreadsAreAllListedAndCounted) {
  MemoryFileSystem fs;
  std::atomic<std::size_t> opened{0};
  std::atomic<bool> checked{false};
  std::vector<HandleInfo> seen;
  std::uint64_t counted = 0;
  std::thread checker([&] {
    wait_for(opened, kThreads);
    seen = fs.open_handles();
    counted = fs.stats().open_handles;
    checked = true;
  });
  on_threads([&](std::size_t t) {
    const std::string name = "/t" + std::to_string(t);
    File w = fs.open(name, "w");
    File r = fs.open(name, "r");
    ++opened;
    while (!checked.load()) std::this_thread::yield();
    w.close();
  });
  checker.join();
  EXPECT_EQ(counted, 2u * kThreads);
  ASSERT_EQ(seen.size(), 2u * kThreads);
  for (std::size_t t = 0; t < kThreads; ++t) {
    // Sorted by path; one thread's handles in its opening order.
    EXPECT_EQ(seen[2 * t].path, "/t" + std::to_string(t));
    EXPECT_EQ(seen[2 * t].mode, "w");
    EXPECT_EQ(seen[2 * t + 1].mode, "r");
    EXPECT_EQ(seen[2 * t].owner, seen[2 * t + 1].owner);
  }
  EXPECT_EQ(fs.stats().open_handles, 0u);
  EXPECT_TRUE(fs.open_handles().empty());
}

TEST(MemoryHandles, LastCloseAndRemoveRacingFreeTheBytesOnce) {
  MemoryOptions options;
  options.max_quota = 1 << 20;
  MemoryFileSystem fs(options);
  on_threads([&](std::size_t t) {
    const std::string name = "/f" + std::to_string(t % 2);
    for (int i = 0; i < 300; ++i) {
      std::error_code ec;
      if (t < 2) {
        fs.write_file(name, std::string(100 + static_cast<std::size_t>(i), 'x'),
                      ec);  // replaces
        if (i % 3 == 0) fs.remove(name, ec);
      } else {
        File f = fs.open(name, "r", ec);
        if (!ec) {
          EXPECT_LE(f.size(), 400u);
        }
      }
    }
  });
  EXPECT_EQ(fs.stats().open_handles, 0u);
  EXPECT_EQ(fs.stats().used, sum_of_file_sizes(fs));
}

// Files count no handles: a remove finds them in the registry. Handles
// opened on several threads (shards) close on other threads while their
// file is removed: each close is either seen by the remove (the file is
// parked, and its last close frees it) or not (it left first); the bytes
// are freed exactly once either way, and a file whose handles all closed
// is freed by the remove itself.
TEST(MemoryHandles, ClosesOnOtherThreadsRaceTheRemoveOfTheirFile) {
  MemoryFileSystem fs;
  for (int round = 0; round < 50; ++round) {
    fs.write_file("/f", std::string(1000, 'x'));
    std::vector<File> files(kThreads);
    on_threads([&](std::size_t t) { files[t] = fs.open("/f", "r"); });
    on_threads([&](std::size_t t) {
      const std::size_t mine = (t + 1) % kThreads;  // opened elsewhere
      if (t == 0) fs.remove("/f");
      EXPECT_EQ(files[mine].size(), 1000u);
      files[mine].close();
    });
    EXPECT_EQ(fs.stats().used, 0u);
    EXPECT_EQ(fs.stats().open_handles, 0u);
  }
  fs.write_file("/g", "closed before");
  fs.open("/g", "r").close();
  fs.remove("/g");
  EXPECT_EQ(fs.stats().used, 0u);
}

// Two handles of a removed file close at once on two threads while others
// list handles: the one that is not last leaves the registry as it lowers
// the count, so no listing reads the file through it after the last close
// freed it (AddressSanitizer checks).
TEST(MemoryHandles, HandlesOfARemovedFileCloseTogetherWhileListed) {
  MemoryFileSystem fs;
  constexpr int kRounds = 300;
  std::atomic<int> arrived{0};
  std::atomic<bool> done{false};
  // The two closers' m-th meeting (four a round).
  const auto meet = [&](int m) {
    ++arrived;
    while (arrived.load() < 2 * m) std::this_thread::yield();
  };
  on_threads([&](std::size_t t) {
    if (t >= 2) {
      while (!done.load()) {
        for (const HandleInfo& h : fs.open_handles()) {
          EXPECT_EQ(h.path, "/r");
        }
      }
      return;
    }
    for (int round = 0; round < kRounds; ++round) {
      if (t == 0) fs.write_file("/r", "bytes");
      meet(4 * round + 1);
      File f = fs.open("/r", "r");
      meet(4 * round + 2);
      if (t == 0) fs.remove("/r");
      meet(4 * round + 3);
      EXPECT_EQ(f.read_all(), "bytes");
      f.close();
      meet(4 * round + 4);
    }
    done = true;
  });
  EXPECT_EQ(fs.stats().used, 0u);
  EXPECT_EQ(fs.stats().open_handles, 0u);
}

TEST(MemoryHandles, HandlesOfAFilesystemDestroyedElsewhereStayClosable) {
  auto fs = std::make_unique<MemoryFileSystem>();
  fs->write_file("/kept", "kept");
  fs->write_file("/removed", "removed");
  std::vector<File> files(kThreads);
  on_threads([&](std::size_t t) {  // each on its own thread: several shards
    files[t] = fs->open(t % 2 == 0 ? "/kept" : "/removed", "r+");
  });
  fs->remove("/removed");
  std::thread([&] { fs.reset(); }).join();
  std::atomic<std::size_t> closed{0};
  on_threads([&](std::size_t t) {
    EXPECT_FALSE(files[t].is_open());
    std::error_code ec;
    files[t].close(ec);
    EXPECT_EQ(ec, std::errc::bad_file_descriptor);
    ++closed;
  });
  EXPECT_EQ(closed.load(), kThreads);
}

// A closed File keeps its closed handle (path() refers to it) and may outlive
// its filesystem: its path stays readable, and its end touches nothing of
// the filesystem (AddressSanitizer checks).
TEST(MemoryHandles, AClosedFileOutlivesItsFilesystem) {
  const std::string path = "/a/path/longer/than/a/short/string/holds.txt";
  std::vector<File> files(2);
  {
    MemoryFileSystem fs;
    fs.create_directories(parent_path(path));
    fs.write_file(path, "x");
    files[0] = fs.open(path, "r");
    files[1] = fs.open(path, "r+");
    files[0].close();
    files[1].close();
  }
  for (File& f : files) {
    EXPECT_FALSE(f.is_open());
    EXPECT_EQ(f.path(), path);
  }
  files.clear();
}

// clone() keeps every file with a handle open out of what it shares, also a
// handle being opened on another thread at that moment: writes through the
// handle never reach the clone.
TEST(MemoryHandles, CloneNeverSharesAFileBeingOpened) {
  MemoryFileSystem fs;
  fs.write_file("/f", "0");
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; i < 20000 && !done.load(); ++i) {
      File f = fs.open("/f", "r+");
      (void)f.pwrite(0, std::to_string(i % 10));
    }
    done = true;
  });
  bool stable = true;
  while (!done.load() && stable) {
    const std::unique_ptr<MemoryFileSystem> clone = fs.clone();
    const std::string first = clone->read_file("/f");
    std::this_thread::yield();
    stable = clone->read_file("/f") == first;
  }
  done = true;
  writer.join();
  EXPECT_TRUE(stable);
}

// A closed handle's memory serves the next open on its thread (opening in a
// loop allocates nothing): paths of every length, handles closed on another
// thread than the one that opened them, each listed with its own path.
TEST(MemoryHandles, RecycledHandlesListTheirOwnPaths) {
  MemoryFileSystem fs;
  const std::string deep = "/" + std::string(300, 'd');
  fs.write_file("/s", "short");
  fs.write_file(deep, "deep");
  for (int round = 0; round < 3; ++round) {
    File a = fs.open(round % 2 == 0 ? "/s" : deep, "r");
    a.close();
    File b = fs.open(deep, "r");
    File c = fs.open("/s", "r");
    const std::vector<HandleInfo> listed = fs.open_handles();
    ASSERT_EQ(listed.size(), 2u);
    EXPECT_EQ(listed[0].path, deep);
    EXPECT_EQ(listed[1].path, "/s");
    EXPECT_EQ(b.read_all(), "deep");
    EXPECT_EQ(c.read_all(), "short");
    std::thread([&] { b.close(); }).join();  // freed on another thread
    EXPECT_EQ(fs.open_handles().size(), 1u);
  }
  EXPECT_EQ(fs.stats().open_handles, 0u);
}

// A File closed while its thread ends (a thread_local's destructor, after
// the thread's spare handle block may be gone) is closed and freed as any.
TEST(MemoryHandles, FilesClosedByAThreadsLastDestructorsAreFreed) {
  MemoryFileSystem fs;
  fs.write_file("/f", "f");
  std::thread([&] {
    struct Holder {
      File file;
      ~Holder() { file.close(); }
    };
    static thread_local Holder early;  // destroyed after the spare's release
    early.file = fs.open("/f", "r");
    File(fs.open("/f", "r")).close();  // parks a block
    static thread_local Holder late;   // destroyed before it
    late.file = fs.open("/f", "r");
  }).join();
  EXPECT_EQ(fs.stats().open_handles, 0u);
}

// Opening with "w" empties the file: the quota is given back, and a clone
// that shares the old bytes keeps them when the file is rewritten.
TEST(MemoryHandles, TruncatingOpenLeavesAClonesBytesAlone) {
  MemoryFileSystem fs;
  const std::string old_bytes(4096, 'o');
  fs.write_file("/f", old_bytes);
  const std::unique_ptr<MemoryFileSystem> clone = fs.clone();
  for (int round = 0; round < 2; ++round) {
    File f = fs.open("/f", "w");
    EXPECT_EQ(fs.stats().used, 0u);
    EXPECT_EQ(f.write(std::string(4000, 'n')), 4000u);
  }
  EXPECT_EQ(fs.read_file("/f"), std::string(4000, 'n'));
  EXPECT_EQ(fs.stats().used, 4000u);
  EXPECT_EQ(clone->read_file("/f"), old_bytes);
}

// A handle points to its file without counting a reference: a file removed
// or replaced by a rename while open is parked until its last handle
// closes, whatever reuses its memory meanwhile, and one whose filesystem
// is destroyed first keeps its path and is freed at that close.
TEST(MemoryHandles, AFileUnlinkedWhileOpenLivesUntilItsLastClose) {
  auto fs = std::make_unique<MemoryFileSystem>();
  fs->write_file("/f", "removed");
  fs->write_file("/g", "replaced");
  fs->write_file("/new", "new");
  File f = fs->open("/f", "r+");
  File g = fs->open("/g", "r");
  File g2 = fs->open("/g", "r");
  fs->remove("/f");
  fs->rename("/new", "/g");
  for (int i = 0; i < 200; ++i) {  // reuses the memory of freed nodes
    const std::string p = "/churn" + std::to_string(i % 20);
    fs->write_file(p, std::string(static_cast<std::size_t>(i), 'c'));
    if (i % 2 == 0) fs->remove(p);
  }
  EXPECT_EQ(f.read_all(), "removed");
  EXPECT_EQ(f.write("!"), 1u);
  EXPECT_EQ(g.read_all(), "replaced");
  g.close();
  EXPECT_EQ(g2.read_all(), "replaced");  // the other handle keeps it
  const std::vector<HandleInfo> listed = fs->open_handles();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_TRUE(listed[0].removed && listed[1].removed);
  EXPECT_EQ(fs->read_file("/g"), "new");
  fs.reset();  // the parked files go at their last close
  EXPECT_FALSE(f.is_open());
  EXPECT_EQ(f.path(), "/f");
  std::error_code ec;
  f.close(ec);
  EXPECT_EQ(ec, std::errc::bad_file_descriptor);
  EXPECT_EQ(f.path(), "/f");
  EXPECT_EQ(g2.path(), "/g");
}

// Listing handles and cloning while other threads remove open files and
// close them (the last close frees the parked file): every listed handle
// is whole, and clones see neither the removed files nor their bytes.
TEST(MemoryHandles, ListingAndCloningRaceTheLastCloseOfRemovedFiles) {
  MemoryFileSystem fs;
  std::atomic<std::size_t> done{0};
  on_threads([&](std::size_t t) {
    if (t < 2) {
      const std::string name = "/f" + std::to_string(t);
      for (int i = 0; i < 300; ++i) {
        fs.write_file(name, "data");
        File f = fs.open(name, "r+");
        File g = fs.open(name, "r");
        fs.remove(name);
        EXPECT_EQ(f.write("more"), 4u);
        f.close();
        EXPECT_EQ(g.read_all(), "more");
      }
      ++done;
      return;
    }
    while (done.load() < 2) {
      if (t % 2 == 0) {
        for (const HandleInfo& h : fs.open_handles()) {
          EXPECT_TRUE(h.path == "/f0" || h.path == "/f1") << h.path;
        }
      } else {
        const std::unique_ptr<MemoryFileSystem> clone = fs.clone();
        EXPECT_LE(clone->stats().used, 8u);
      }
    }
  });
  EXPECT_EQ(fs.stats().open_handles, 0u);
  EXPECT_EQ(fs.stats().used, 0u);
}

}  // namespace
}  // namespace memfs::test
