// Mounted descriptors used from several threads at once: a call on a
// descriptor reads the descriptor table without its lock while other
// threads open, close and dup, and descriptions are recycled. Run under
// ASan and TSan, these catch a description used after it went back to the
// pool.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
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
// a placeholder not mapped yet: empty).
void probe_numbers(const std::vector<int>& numbers, std::atomic<bool>& stop,
                   std::atomic<int>& bad) {
  char buf[32];
  while (!stop.load()) {
    for (const int fd : numbers) {
      const ssize_t got = pread(fd, buf, sizeof buf, 0);
      if (got < 0) {
        if (errno != EBADF) ++bad;
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

}  // namespace
}  // namespace memfs_test
