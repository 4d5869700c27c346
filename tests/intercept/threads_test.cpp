// Mounted descriptors used from several threads at once: a call on a
// descriptor reads the descriptor table without its lock while other
// threads open, close and dup, and descriptions are recycled. Run under
// ASan and TSan, these catch a description used after it went back to the
// pool.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "intercept/support.hpp"

namespace memfs_test {
namespace {

class Threads : public InterceptTest {};

constexpr int kFiles = 4;
constexpr int kRounds = 2000;

std::string content_of(int i) { return "file-" + std::to_string(i) + "-data"; }

// Opens, reads and closes the files in turn; checks every read.
void open_read_close(const std::string& dir, std::atomic<int>& bad) {
  char buf[32];
  for (int n = 0; n < kRounds; ++n) {
    const int i = n % kFiles;
    const int fd = open((dir + "/f" + std::to_string(i)).c_str(), O_RDONLY);
    if (fd < 0) {
      ++bad;
      continue;
    }
    const ssize_t got = read(fd, buf, sizeof buf);
    if (got < 0 ||
        std::string(buf, static_cast<std::size_t>(got)) != content_of(i))
      ++bad;
    if (close(fd) != 0) ++bad;
  }
}

// Calls pread and fstat on `numbers`, which other threads open and close:
// each call fails with EBADF or answers for one of the files, whole (or for
// a placeholder not mapped yet: empty). ESPIPE is a descriptor that is not
// the test's: AddressSanitizer's runtime checks whether memory is readable
// by writing it to a pipe it makes and closes at once, and that pipe takes
// the lowest free numbers — the ones probed here (memfs never answers
// ESPIPE; the kernel does, for pipes only).
void probe_numbers(const std::vector<int>& numbers, std::atomic<bool>& stop,
                   std::atomic<int>& bad) {
  char buf[32];
  while (!stop.load()) {
    for (const int fd : numbers) {
      const ssize_t got = pread(fd, buf, sizeof buf, 0);
      if (got < 0) {
        if (errno != EBADF && errno != ESPIPE) ++bad;
        continue;
      }
      const std::string s(buf, static_cast<std::size_t>(got));
      // Empty: a placeholder the kernel has made and the table does not
      // map yet (a memfd), or the placeholders' template while it is made.
      bool known = got == 0;
      for (int i = 0; i < kFiles; ++i) known = known || s == content_of(i);
      if (!known) ++bad;
      struct stat st {};
      if (fstat(fd, &st) != 0 && errno != EBADF) ++bad;
    }
  }
}

TEST_F(Threads, CallsOnDescriptorsRaceOpensAndClosesSafely) {
  for (int i = 0; i < kFiles; ++i)
    fs_.write_file("/f" + std::to_string(i), content_of(i));
  // The placeholders' template is made before the threads start: its memfd
  // takes a low number for an instant, and a real close of a number the
  // prober reads in the kernel at that moment is a race to TSan (run alone,
  // as ctest runs it, this test is the first to open on a mount). A
  // forwarded open then releases the parked number.
  ASSERT_EQ(close(open((mount_dir_ + "/f0").c_str(), O_RDONLY)), 0);
  ASSERT_EQ(close(open("/dev/null", O_RDONLY)), 0);
  // The numbers the opens below can get: the lowest free ones.
  std::vector<int> numbers;
  for (int fd = 0; numbers.size() < 6; ++fd)
    if (fcntl(fd, F_GETFD) < 0) numbers.push_back(fd);

  std::atomic<int> bad{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> openers;
  for (int t = 0; t < 3; ++t)
    openers.emplace_back([&] { open_read_close(mount_dir_, bad); });
  std::thread prober([&] { probe_numbers(numbers, stop, bad); });
  for (auto& t : openers) t.join();
  stop = true;
  prober.join();
  EXPECT_EQ(bad.load(), 0);
}

TEST_F(Threads, ADescriptionLivesWhileADupOfItIsInUse) {
  fs_.write_file("/f0", content_of(0));
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&] {
      char buf[32];
      for (int n = 0; n < kRounds / 4; ++n) {
        const int fd = open((mount_dir_ + "/f0").c_str(), O_RDONLY);
        const int copy = dup(fd);
        if (fd < 0 || copy < 0 || close(fd) != 0) {
          ++bad;
          continue;
        }
        // The description outlives the first number: the copy reads it.
        const ssize_t got = pread(copy, buf, sizeof buf, 0);
        if (got < 0 ||
            std::string(buf, static_cast<std::size_t>(got)) != content_of(0))
          ++bad;
        if (close(copy) != 0) ++bad;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(bad.load(), 0);
}

// Mounted opens take parked numbers and mounted closes park them without the
// descriptor table's lock, while forwarded opens and closes in another
// thread release the pool under it: every open must get a number that is
// its own (each read answers for its file, every close succeeds), and when
// the mount is gone no placeholder is left open.
TEST_F(Threads, ParkingRacesForwardedOpensAndCloses) {
  for (int i = 0; i < kFiles; ++i)
    fs_.write_file("/f" + std::to_string(i), content_of(i));
  auto open_numbers = [] {
    int n = 0;
    for (int fd = 0; fd < 1024; ++fd) n += fcntl(fd, F_GETFD) >= 0 ? 1 : 0;
    return n;
  };
  const int before = open_numbers();
  std::atomic<int> bad{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> openers;
  for (int t = 0; t < 2; ++t)
    openers.emplace_back([&] { open_read_close(mount_dir_, bad); });
  std::thread real([&] {
    while (!stop.load()) {
      const int fd = open("/dev/null", O_RDONLY);
      if (fd < 0 || close(fd) != 0) ++bad;
    }
  });
  for (auto& t : openers) t.join();
  stop = true;
  real.join();
  EXPECT_EQ(bad.load(), 0);
  mount_.reset();
  // The placeholders' template may have been made meanwhile: at most one.
  EXPECT_LE(open_numbers(), before + 1);
}

// Writes on one description from several threads (through dup'd numbers):
// the description's lock makes each write take its own range of the shared
// offset, as Linux's does for a regular file, so no record overwrites
// another.
TEST_F(Threads, WritesThroughOneDescriptionNeverOverlap) {
  const int fd = open((mount_dir_ + "/log").c_str(), O_WRONLY | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  constexpr int kThreads = 4, kRecords = 500;
  constexpr std::size_t kRecord = 64;
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const int mine = t % 2 == 0 ? fd : dup(fd);
      for (int n = 0; n < kRecords; ++n) {
        std::string record(kRecord, static_cast<char>('a' + t));
        if (write(mine, record.data(), kRecord) != ssize_t{kRecord}) ++bad;
      }
      if (mine != fd && close(mine) != 0) ++bad;
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(close(fd), 0);
  EXPECT_EQ(bad.load(), 0);
  const std::string data = fs_.read_file("/log");
  ASSERT_EQ(data.size(), kThreads * kRecords * kRecord);
  for (std::size_t at = 0; at < data.size(); at += kRecord)
    EXPECT_EQ(data.substr(at, kRecord), std::string(kRecord, data[at])) << at;
}

// The state ('R', 'S', ...) of thread `tid` of this process.
char thread_state(pid_t tid) {
  std::ifstream in("/proc/self/task/" + std::to_string(tid) + "/stat");
  std::string line;
  std::getline(in, line);
  const auto paren = line.rfind(')');
  return paren != std::string::npos && paren + 2 < line.size() ? line[paren + 2]
                                                               : '?';
}

// A call that waits inside memfs (flock on a file another description
// locks) holds its description: a close of its number from another thread
// returns at once, as on Linux, and the waiting call finishes the release
// when it returns: the file is closed and its lock dropped.
TEST_F(Threads, ACloseDuringACallOnItsDescriptionDoesNotWaitForIt) {
  const std::string f = mount_dir_ + "/locked";
  const int holder = open(f.c_str(), O_RDWR | O_CREAT, 0644);
  const int waiter = open(f.c_str(), O_RDWR);
  ASSERT_GE(holder, 0);
  ASSERT_GE(waiter, 0);
  ASSERT_EQ(flock(holder, LOCK_EX), 0);
  std::atomic<pid_t> tid{0};
  int waited = -2;
  std::thread a([&] {
    tid = gettid();
    waited = flock(waiter, LOCK_EX);  // waits for the holder
  });
  while (tid.load() == 0 || thread_state(tid.load()) != 'S')
    std::this_thread::yield();
  // With the waiting call still inside, the number is closed (no wait: the
  // holder's lock is dropped only after this returns).
  EXPECT_EQ(close(waiter), 0);
  EXPECT_EQ(fcntl(waiter, F_GETFD), -1);
  ASSERT_EQ(flock(holder, LOCK_UN), 0);
  a.join();
  EXPECT_EQ(waited, 0);
  // The waiting call's return closed the file: its lock went with it.
  EXPECT_EQ(flock(holder, LOCK_EX | LOCK_NB), 0);
  EXPECT_EQ(fs_.open_handles().size(), 1u);
  EXPECT_EQ(close(holder), 0);
  EXPECT_TRUE(fs_.open_handles().empty());
}

}  // namespace
}  // namespace memfs_test
