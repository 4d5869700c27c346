// A closed mounted descriptor parks its placeholder for the next mounted
// open (no system call on either side): the kernel still holds the number,
// the program must see it closed, and POSIX numbering must hold around it.
#include <fcntl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <vector>

#include <linux/close_range.h>

#include "intercept/support.hpp"

namespace memfs_test {
namespace {

class ParkedFd : public InterceptTest {};

// The kernel's view of a descriptor, past the wrappers: its FD_CLOEXEC
// flag, or -1 when the number is closed in the kernel.
long kernel_fd_flags(int fd) { return syscall(SYS_fcntl, fd, F_GETFD); }

TEST_F(ParkedFd, AClosedMountedNumberIsClosedForEveryCall) {
  differential([](const P& r, Trace& tr) {
    P a = r + "/a";
    int fd = CALL(tr, open(a.c_str(), O_CREAT | O_RDWR, 0644));
    CALL(tr, write(fd, "abc", 3));
    CALL(tr, close(fd));
    char c = 0;
    struct stat st {};
    int avail = 0;
    CALL(tr, read(fd, &c, 1));
    CALL(tr, write(fd, "x", 1));
    CALL(tr, pread(fd, &c, 1, 0));
    CALL(tr, lseek(fd, 0, SEEK_SET));
    CALL(tr, fstat(fd, &st));
    CALL(tr, fstatat(fd, "", &st, AT_EMPTY_PATH));
    CALL(tr, fcntl(fd, F_GETFD));
    CALL(tr, fcntl(fd, F_SETFD, FD_CLOEXEC));
    CALL(tr, fcntl(fd, F_GETFL));
    CALL(tr, fcntl(fd, F_SETFL, O_APPEND));
    CALL(tr, fcntl(fd, F_DUPFD, 0));
    CALL(tr, dup(fd));
    CALL(tr, dup3(fd, fd + 1, O_CLOEXEC));
    CALL(tr, fsync(fd));
    CALL(tr, ftruncate(fd, 0));
    CALL(tr, flock(fd, LOCK_EX));
    CALL(tr, ioctl(fd, FIONREAD, &avail));
    CALL(tr, ioctl(fd, FIOCLEX));
    CALL(tr, fchdir(fd));
    CALL(tr, openat(fd, "x", O_RDONLY));
    CALL(tr, sendfile(fd, fd, nullptr, 1));
    tr.rec_ptr("fdopendir", fdopendir(fd));
    void* map = mmap(nullptr, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
    CALL(tr, map == MAP_FAILED ? -1 : 0);
    struct pollfd p {
      fd, POLLIN, 0
    };
    CALL(tr, poll(&p, 1, 1000));  // POLLNVAL at once, no wait
    CALL(tr, static_cast<int>(p.revents));
    CALL(tr, p.fd == fd ? 0 : 1);
    fd_set set;
    FD_ZERO(&set);
    FD_SET(fd, &set);
    struct timeval zero {};
    CALL(tr, select(fd + 1, &set, nullptr, nullptr, &zero));
    CALL(tr, close(fd));
    // The file itself is intact.
    fd = CALL(tr, open(a.c_str(), O_RDONLY));
    char back[4] = {};
    CALL(tr, read(fd, back, sizeof back));
    tr.note(back);
    CALL(tr, close(fd));
  });
}

// Numbers as POSIX gives them: the lowest free one, parked ones counting as
// free, whether the next descriptor is mounted or real.
TEST_F(ParkedFd, NumbersStayTheLowestFreeAroundParkedOnes) {
  differential([](const P& r, Trace& tr) {
    P a = r + "/a", b = r + "/b";
    int low = open("/dev/null", O_RDONLY);  // the base every number is from
    auto rel = [low](int fd) { return fd < 0 ? fd : fd - low; };
    CALL(tr, close(low));
    int fa = CALL(tr, rel(open(a.c_str(), O_CREAT | O_RDWR, 0644))) + low;
    int fb = CALL(tr, rel(open(b.c_str(), O_CREAT | O_RDWR, 0644))) + low;
    CALL(tr, close(fa));
    CALL(tr, close(fb));
    int real = CALL(tr, rel(open("/dev/null", O_RDONLY))) + low;  // lowest
    fa = CALL(tr, rel(open(a.c_str(), O_RDWR))) + low;
    CALL(tr, close(fa));
    CALL(tr, close(real));  // below the parked number: the next open gets it
    fa = CALL(tr, rel(open(a.c_str(), O_RDWR))) + low;
    fb = CALL(tr, rel(open(b.c_str(), O_RDWR))) + low;
    CALL(tr, close(fa));
    int d = CALL(tr, rel(dup(fb))) + low;
    CALL(tr, close(d));
    d = CALL(tr, rel(fcntl(fb, F_DUPFD, 0))) + low;
    CALL(tr, close(d));
    CALL(tr, close(fb));
    FILE* f = fopen("/dev/null", "r");
    CALL(tr, rel(fileno(f)));
    CALL(tr, fclose(f));
    char tmpl[] = "/dev/shm/memfs-parked-XXXXXX";
    int t = CALL(tr, rel(mkstemp(tmpl))) + low;
    CALL(tr, unlink(tmpl));
    CALL(tr, close(t));
  });
}

// The mechanism: after a mounted close the kernel still holds the number,
// close-on-exec (an exec'd program never inherits it), and the next mounted
// open takes it back without a system call.
TEST_F(ParkedFd, AMountedCloseParksThePlaceholderForTheNextOpen) {
  const std::string a = mount_dir_ + "/a";
  int fd = open(a.c_str(), O_CREAT | O_RDWR, 0644);  // not O_CLOEXEC
  ASSERT_GE(fd, 0);
  EXPECT_EQ(kernel_fd_flags(fd), 0);
  ASSERT_EQ(close(fd), 0);
  EXPECT_EQ(kernel_fd_flags(fd), FD_CLOEXEC);  // parked, close-on-exec
  errno = 0;
  EXPECT_EQ(fcntl(fd, F_GETFD), -1);  // closed, for the program
  EXPECT_EQ(errno, EBADF);
  EXPECT_EQ(close(fd), -1);
  int again = open(a.c_str(), O_RDWR);
  EXPECT_EQ(again, fd);
  EXPECT_EQ(fcntl(again, F_GETFD), 0);  // as this open asked
  EXPECT_EQ(write(again, "x", 1), 1);
  EXPECT_EQ(close(again), 0);
  EXPECT_EQ(fs_.read_file("/a"), "x");
}

// A parked number reused by an open without O_CLOEXEC (fopen, fstream) keeps
// the kernel's close-on-exec flag, so neither side makes a system call; the
// program sees the flag it asked for, and every change it makes is real.
TEST_F(ParkedFd, AReusedNumberKeepsTheKernelsCloseOnExecFlag) {
  const std::string a = mount_dir_ + "/a";
  int fd = open(a.c_str(), O_CREAT | O_RDWR, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(close(fd), 0);
  int again = open(a.c_str(), O_RDWR);  // not O_CLOEXEC
  ASSERT_EQ(again, fd);
  EXPECT_EQ(kernel_fd_flags(again), FD_CLOEXEC);
  EXPECT_EQ(fcntl(again, F_GETFD), 0);     // as this open asked
  ASSERT_EQ(fcntl(again, F_SETFD, 0), 0);  // asked for: real
  EXPECT_EQ(kernel_fd_flags(again), 0);
  EXPECT_EQ(fcntl(again, F_GETFD), 0);
  ASSERT_EQ(close(again), 0);
  EXPECT_EQ(kernel_fd_flags(fd), FD_CLOEXEC);  // parked again

  again = open(a.c_str(), O_RDWR);
  ASSERT_EQ(again, fd);
  ASSERT_EQ(close_range(static_cast<unsigned>(again),
                        static_cast<unsigned>(again), CLOSE_RANGE_CLOEXEC),
            0);
  EXPECT_EQ(fcntl(again, F_GETFD), FD_CLOEXEC);
  ASSERT_EQ(close(again), 0);

  std::FILE* fp = std::fopen(a.c_str(), "r");
  ASSERT_NE(fp, nullptr);
  EXPECT_EQ(fileno(fp), fd);
  EXPECT_EQ(kernel_fd_flags(fd), FD_CLOEXEC);
  EXPECT_EQ(fcntl(fileno(fp), F_GETFD), 0);
  EXPECT_EQ(std::fclose(fp), 0);
}

TEST_F(ParkedFd, ThePoolIsReleasedWhenTheLastMountGoes) {
  int fd = open((mount_dir_ + "/a").c_str(), O_CREAT | O_RDWR, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(close(fd), 0);
  EXPECT_GE(kernel_fd_flags(fd), 0);
  mount_.reset();
  EXPECT_EQ(kernel_fd_flags(fd), -1);
}

TEST_F(ParkedFd, AtMost64NumbersAreParked) {
  std::vector<int> fds;
  for (int i = 0; i < 100; ++i) {
    fds.push_back(open((mount_dir_ + "/f" + std::to_string(i)).c_str(),
                       O_CREAT | O_RDWR | O_CLOEXEC, 0644));
    ASSERT_GE(fds.back(), 0);
  }
  for (int fd : fds) ASSERT_EQ(close(fd), 0);
  int held = 0;
  for (int fd : fds) held += kernel_fd_flags(fd) >= 0 ? 1 : 0;
  EXPECT_EQ(held, 64);
  EXPECT_EQ(fs_.stats().open_handles, 0u);
}

TEST_F(ParkedFd, CloseRangeAndDup2OverAParkedNumber) {
  const std::string a = mount_dir_ + "/a";
  int fd = open(a.c_str(), O_CREAT | O_RDWR, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(close(fd), 0);
  // dup2 onto it: the number becomes the program's pipe.
  int p[2];
  ASSERT_EQ(pipe(p), 0);  // not wrapped: skips the parked number
  ASSERT_EQ(dup2(p[0], fd), fd);
  ASSERT_EQ(write(p[1], "pipe", 4), 4);
  char buf[8] = {};
  EXPECT_EQ(read(fd, buf, sizeof buf), 4);
  EXPECT_STREQ(buf, "pipe");
  EXPECT_EQ(close(fd), 0);
  EXPECT_EQ(close(p[0]), 0);
  EXPECT_EQ(close(p[1]), 0);
  // close_range over a parked number closes it in the kernel.
  fd = open(a.c_str(), O_RDWR);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(close(fd), 0);
  ASSERT_GE(kernel_fd_flags(fd), 0);
  const auto u = static_cast<unsigned>(fd);
  EXPECT_EQ(close_range(u, u, 0), 0);
  EXPECT_EQ(kernel_fd_flags(fd), -1);
}

TEST_F(ParkedFd, EpollRefusesAParkedNumber) {
  differential([](const P& r, Trace& tr) {
    int ep = epoll_create1(EPOLL_CLOEXEC);
    int fd = open((r + "/a").c_str(), O_CREAT | O_RDWR, 0644);
    CALL(tr, fd >= 0 ? 0 : -1);
    CALL(tr, close(fd));
    struct epoll_event ev {};
    ev.events = EPOLLIN;
    CALL(tr, epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
    CALL(tr, close(ep));
  });
}

}  // namespace
}  // namespace memfs_test
