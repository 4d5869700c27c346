// While the process has never had a second thread, the common open, call
// and close on a memfs descriptor use plain loads and stores instead of
// atomic read-modify-writes (state.hpp: single_threaded). A test binary has
// had threads by the time most tests run, so the parent test runs the
// child test in a fresh copy of this binary, where it starts alone: it
// opens, reads, writes, parks and reopens descriptors alone, then hands
// them to threads that use, close and reopen them at once.
#include <fcntl.h>
#include <sys/single_threaded.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "intercept/support.hpp"
#include "support/child_process.hpp"

namespace memfs_test {
namespace {

class SingleThread : public InterceptTest {};

constexpr std::size_t kFiles = 8;

std::string text_of(std::size_t i) { return "text-" + std::to_string(i); }

// Reads the whole of `fd` from offset 0.
std::string pread_all(int fd) {
  char buf[64];
  const ssize_t n = pread(fd, buf, sizeof buf, 0);
  return n < 0 ? "error" : std::string(buf, static_cast<std::size_t>(n));
}

TEST_F(SingleThread, DescriptorsUsedAloneThenByThreads) {
  const bool child = memfs::test_support::started_by_run_self();
  if (child) {
    ASSERT_TRUE(__libc_single_threaded) << "a fresh process";
  }
  const auto path = [&](std::size_t i) {
    return mount_dir_ + "/f" + std::to_string(i);
  };
  std::vector<int> fds;
  for (std::size_t i = 0; i < kFiles; ++i) {
    const int fd = open(path(i).c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
    ASSERT_GE(fd, 0) << i;
    const std::string t = text_of(i);
    ASSERT_EQ(write(fd, t.data(), t.size()), static_cast<ssize_t>(t.size()));
    fds.push_back(fd);
  }
  // Park half, then take the parked numbers again (lowest first).
  for (std::size_t i = 0; i < kFiles; i += 2) ASSERT_EQ(close(fds[i]), 0) << i;
  for (std::size_t i = 0; i < kFiles; i += 2) {
    EXPECT_EQ(read(fds[i], nullptr, 0), -1) << "closed";
    fds[i] = open(path(i).c_str(), O_RDWR);
    ASSERT_GE(fds[i], 0) << i;
  }
  for (std::size_t i = 0; i < kFiles; ++i)
    EXPECT_EQ(pread_all(fds[i]), text_of(i));
  if (child) {
    EXPECT_TRUE(__libc_single_threaded) << "still alone";
  }

  // Now threads: each owns two descriptors made alone, reads, closes and
  // reopens them while the others do the same.
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < kFiles / 2; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 200; ++round) {
        for (const std::size_t i : {2 * t, 2 * t + 1}) {
          if (pread_all(fds[i]) != text_of(i)) ++bad;
          if (close(fds[i]) != 0) ++bad;
          fds[i] = open(path(i).c_str(), O_RDWR);
          if (fds[i] < 0) ++bad;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad.load(), 0);
  for (std::size_t i = 0; i < kFiles; ++i) {
    EXPECT_EQ(pread_all(fds[i]), text_of(i));
    EXPECT_EQ(close(fds[i]), 0);
  }
  EXPECT_EQ(fs_.stats().open_handles, 0u);
}

TEST_F(SingleThread, AFreshProcessPassesTheTestAbove) {
  const memfs::test_support::ChildRun run = memfs::test_support::run_self(
      {"--gtest_filter=SingleThread.DescriptorsUsedAloneThenByThreads"});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
}

}  // namespace
}  // namespace memfs_test
