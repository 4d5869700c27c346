// Stress: many threads on one MemoryFileSystem, with the usage and node
// invariants checked throughout and at the end. Sized to finish in seconds
// under ThreadSanitizer on two cores; the point is interleavings, not volume.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "memfs/memory_file_system.hpp"
#include "test_util.hpp"

namespace memfs::test {
namespace {

using ::testing::IsEmpty;

// Starts `n` threads that all begin `body(index)` at the same moment, and
// joins them.
void run_threads(int n, const std::function<void(int)>& body) {
  std::mutex m;
  std::condition_variable cv;
  bool go = false;
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      {
        std::unique_lock<std::mutex> lock(m);
        cv.wait(lock, [&] { return go; });
      }
      body(i);
    });
  }
  {
    std::lock_guard<std::mutex> lock(m);
    go = true;
  }
  cv.notify_all();
  for (std::thread& t : threads) t.join();
}

// Collects what must not happen, from any thread.
class Problems {
 public:
  void add(const std::string& what) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (list_.size() < 20) list_.push_back(what);
  }
  // Records `ec` unless it is success or one of `allowed`.
  void check(const std::error_code& ec, const std::string& what,
             std::initializer_list<std::errc> allowed = {}) {
    if (!ec) return;
    for (std::errc e : allowed) {
      if (ec == e) return;
    }
    add(what + ": " + error_name(ec));
  }
  std::vector<std::string> list() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return list_;
  }

 private:
  mutable std::mutex mutex_;  // guards list_
  std::vector<std::string> list_;
};

// The invariants every test checks once its threads are done.
void expect_consistent(MemoryFileSystem& fs) {
  const Stats s = fs.stats();
  EXPECT_EQ(s.used, sum_of_file_sizes(fs));
  EXPECT_LE(s.used, s.quota);
  const NodeCounts n = count_nodes(fs);
  EXPECT_EQ(s.file_count, n.files);
  EXPECT_EQ(s.directory_count, n.directories);
  EXPECT_EQ(s.open_handles, 0u);
}

TEST(Stress, FiftyThreadsOnTheirOwnFiles) {
  MemoryFileSystem fs;
  Problems problems;
  run_threads(50, [&](int t) {
    const std::string path = "/t" + std::to_string(t);
    for (int i = 0; i < 60; ++i) {
      const std::string payload(64, static_cast<char>('A' + (t + i) % 26));
      std::error_code ec;
      File f = fs.open(path, "w+", ec);
      problems.check(ec, "open " + path);
      if (ec) return;
      (void)f.write(payload, ec);
      problems.check(ec, "write " + path);
      f.seek(0);
      if (f.read_all() != payload) problems.add("read back differs: " + path);
      f.close();
      if (fs.read_file(path) != payload)
        problems.add("read_file differs: " + path);
      (void)fs.status(path, ec);
      problems.check(ec, "status " + path);
    }
  });
  EXPECT_THAT(problems.list(), IsEmpty());
  EXPECT_EQ(fs.stats().file_count, 50u);
  EXPECT_EQ(fs.stats().used, 50u * 64u);
  expect_consistent(fs);
}

TEST(Stress, ThirtyThreadsCreateAndRemoveFiveSharedPaths) {
  MemoryFileSystem fs;
  Problems problems;
  std::atomic<int> created{0};
  run_threads(30, [&](int t) {
    for (int i = 0; i < 150; ++i) {
      const std::string path = "/shared" + std::to_string((t + i) % 5);
      std::error_code ec;
      if ((t + i) % 2 == 0) {
        File f = fs.open(path, "wx", ec);
        problems.check(ec, "open wx " + path, {std::errc::file_exists});
        if (ec) continue;
        ++created;
        (void)f.write(std::string(16, 'x'), ec);
        problems.check(ec, "write " + path);
      } else {
        fs.remove(path, ec);
        problems.check(ec, "remove " + path);
        File f = fs.open(path, "r", ec);
        problems.check(ec, "open r " + path,
                       {std::errc::no_such_file_or_directory});
      }
    }
  });
  EXPECT_THAT(problems.list(), IsEmpty());
  EXPECT_GT(created.load(), 0);
  expect_consistent(fs);
}

// Every write is one pwrite of a whole 128-byte record of one repeated byte;
// a reader must see a whole record, never a mix and never a short file.
TEST(Stress, ReadersNeverSeeHalfOfAWrite) {
  constexpr std::size_t kRecord = 128;
  MemoryFileSystem fs;
  fs.write_file("/record", std::string(kRecord, '@'));
  Problems problems;
  auto check_record = [&](const std::string& seen, const char* how) {
    if (seen.size() != kRecord) {
      problems.add(std::string(how) + ": size " + std::to_string(seen.size()));
    } else if (seen.find_first_not_of(seen[0]) != std::string::npos) {
      problems.add(std::string(how) + ": mixed bytes");
    }
  };
  run_threads(40, [&](int t) {
    const bool writer = t < 20;
    File kept = fs.open("/record", writer ? "r+" : "r");
    for (int i = 0; i < 150; ++i) {
      if (writer) {
        const std::string record(kRecord,
                                 static_cast<char>('a' + (t + i) % 26));
        if (i % 2 == 0) {
          EXPECT_EQ(kept.pwrite(0, record), record.size());
        } else {
          File f = fs.open("/record", "r+");
          EXPECT_EQ(f.write(record), record.size());
        }
      } else if (i % 3 == 0) {
        check_record(fs.read_file("/record"), "read_file");
      } else {
        char buf[2 * kRecord];
        const std::size_t n = kept.pread(0, buf, sizeof buf);
        check_record(std::string(buf, n), "pread");
      }
    }
  });
  EXPECT_THAT(problems.list(), IsEmpty());
  expect_consistent(fs);
}

// write_file copies a small file's bytes after linking it (under the tree
// lock), a large one's before: either way, a reader, a handle or a clone
// finds no file or all of its bytes, never a file still being filled.
TEST(Stress, ACreatingWriteIsSeenWholeOrNotAtAll) {
  constexpr int kRounds = 400;
  MemoryFileSystem fs;
  Problems problems;
  auto check = [&](const std::string& seen, std::size_t size, const char* how) {
    if (seen.size() != size) {
      problems.add(std::string(how) + ": size " + std::to_string(seen.size()));
    } else if (seen.find_first_not_of(seen[0]) != std::string::npos ||
               seen[0] == '\0') {
      problems.add(std::string(how) + ": bytes not all written");
    }
  };
  run_threads(6, [&](int t) {
    // Two writers: a 4 KiB file (copied under the tree lock) and a 96 KiB
    // one (copied before it); each reader watches one of them.
    const std::size_t size = t % 2 == 0 ? 4096 : 96 * 1024;
    const std::string path = t % 2 == 0 ? "/small" : "/large";
    for (int i = 0; i < kRounds; ++i) {
      if (t < 2) {
        fs.write_file(path, std::string(size, static_cast<char>('a' + i % 26)));
        fs.remove(path);
        continue;
      }
      std::error_code ec;
      if (i % 3 == 0) {
        const std::string seen = fs.read_file(path, ec);
        if (!ec) check(seen, size, "read_file");
      } else if (i % 3 == 1) {
        File f = fs.open(path, "r", ec);
        if (!ec) check(f.read_all(), size, "open");
      } else {
        auto copy = fs.clone();
        const std::string seen = copy->read_file(path, ec);
        if (!ec) check(seen, size, "clone");
      }
    }
  });
  EXPECT_THAT(problems.list(), IsEmpty());
  expect_consistent(fs);
}

TEST(Stress, DirectoriesCreatedListedAndRemovedFromManyThreads) {
  MemoryFileSystem fs;
  Problems problems;
  const auto gone = {std::errc::no_such_file_or_directory};
  run_threads(20, [&](int t) {
    for (int i = 0; i < 80; ++i) {
      const std::string dir = "/d" + std::to_string((t + i) % 4);
      const std::string sub = dir + "/s" + std::to_string(t);
      std::error_code ec;
      switch ((t + i) % 5) {
        case 0:
          fs.create_directories(sub, ec);
          problems.check(ec, "create_directories " + sub, gone);
          break;
        case 1:
          fs.write_file(sub + "/f", "data", ec);
          problems.check(ec, "write_file " + sub, gone);
          break;
        case 2:
          (void)fs.list(dir, ec);
          problems.check(ec, "list " + dir, gone);
          break;
        case 3:
          (void)fs.walk(dir, ec);
          problems.check(ec, "walk " + dir, gone);
          (void)fs.glob(dir + "/**", ec);
          problems.check(ec, "glob " + dir);
          break;
        default:
          fs.remove_all(dir, ec);
          problems.check(ec, "remove_all " + dir);
          break;
      }
    }
  });
  EXPECT_THAT(problems.list(), IsEmpty());
  expect_consistent(fs);
}

// Files move between /p and /q, one name per token; a token must never be
// lost or duplicated, whatever the interleaving.
TEST(Stress, RenamesAcrossDirectoriesNeitherLoseNorDuplicate) {
  constexpr int kTokens = 10;
  MemoryFileSystem fs;
  fs.create_directory("/p");
  fs.create_directory("/q");
  for (int k = 0; k < kTokens; ++k) {
    fs.write_file("/p/" + std::to_string(k), "token" + std::to_string(k));
  }
  Problems problems;
  run_threads(20, [&](int t) {
    for (int i = 0; i < 150; ++i) {
      const std::string name = std::to_string((t * 7 + i) % kTokens);
      const bool forward = (t + i) % 2 == 0;
      std::error_code ec;
      fs.rename((forward ? "/p/" : "/q/") + name,
                (forward ? "/q/" : "/p/") + name, ec);
      problems.check(ec, "rename " + name,
                     {std::errc::no_such_file_or_directory});
    }
  });
  EXPECT_THAT(problems.list(), IsEmpty());
  for (int k = 0; k < kTokens; ++k) {
    const std::string name = std::to_string(k);
    const bool in_p = fs.exists("/p/" + name);
    const bool in_q = fs.exists("/q/" + name);
    EXPECT_NE(in_p, in_q) << name;
    EXPECT_EQ(fs.read_file((in_p ? "/p/" : "/q/") + name), "token" + name);
  }
  expect_consistent(fs);
}

TEST(Stress, FortyThreadsWritingIntoASmallQuotaNeverPassIt) {
  constexpr std::uint64_t kSmallQuota = 512u << 10;
  constexpr std::size_t kChunk = 16u << 10;
  MemoryOptions options;
  options.max_quota = kSmallQuota;
  MemoryFileSystem fs(options);
  Problems problems;
  std::atomic<bool> done{false};
  std::atomic<int> refused{0};
  std::thread watcher([&] {
    while (!done) {
      const Stats s = fs.stats();
      if (s.used > kSmallQuota) problems.add("used " + std::to_string(s.used));
      std::this_thread::yield();
    }
  });
  run_threads(40, [&](int t) {
    const std::string path = "/w" + std::to_string(t);
    const std::string chunk(kChunk, static_cast<char>('a' + t % 26));
    for (int i = 0; i < 40; ++i) {
      std::error_code ec;
      if (i % 2 == 0) {
        fs.write_file(path, chunk, ec);
      } else {
        File f = fs.open(path, "a", ec);
        if (!ec) (void)f.write(chunk, ec);
      }
      problems.check(ec, "write " + path, {std::errc::no_space_on_device});
      if (ec) ++refused;
      const std::uint64_t size = fs.file_size(path, ec);
      if (!ec && size % kChunk != 0)
        problems.add("partial size " + std::to_string(size));
      if (i % 3 == 2) fs.remove(path);
    }
  });
  done = true;
  watcher.join();
  EXPECT_THAT(problems.list(), IsEmpty());
  EXPECT_GT(refused.load(), 0);  // 40 x 16 KiB is above 512 KiB
  expect_consistent(fs);
}

}  // namespace
}  // namespace memfs::test
