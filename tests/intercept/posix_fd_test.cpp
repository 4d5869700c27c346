// Descriptor calls on a mount vs the same calls on /dev/shm.
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <climits>
#include <filesystem>
#include <vector>

#include <linux/close_range.h>

#include "intercept/support.hpp"

extern "C" {
int __open_2(const char*, int);
int __open64_2(const char*, int);
int __openat_2(int, const char*, int);
int __openat64_2(int, const char*, int);
ssize_t __read_chk(int, void*, size_t, size_t);
ssize_t __pread_chk(int, void*, size_t, off_t, size_t);
ssize_t __pread64_chk(int, void*, size_t, off_t, size_t);
char* __realpath_chk(const char*, char*, size_t);
ssize_t __readlink_chk(const char*, char*, size_t, size_t);
}

namespace memfs_test {
namespace {

class PosixFd : public InterceptTest {};

std::string read_all(int fd) {
  std::string s;
  char buf[64];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    s.append(buf, static_cast<std::size_t>(n));
  return s;
}

TEST_F(PosixFd, OpenFlagsMatchTmpfs) {
  differential([](const P& r, Trace& tr) {
    P a = r + "/a", d = r + "/d";
    CALL(tr, open(a.c_str(), O_RDONLY));  // ENOENT
    int fd = CALL(tr, open(a.c_str(), O_CREAT | O_WRONLY, 0644));
    CALL(tr, write(fd, "hello", 5));
    CALL(tr, read(fd, nullptr, 0) < 0 ? -1 : 0);  // EBADF
    CALL(tr, close(fd));
    CALL(tr, close(fd));                                         // EBADF
    CALL(tr, open(a.c_str(), O_CREAT | O_EXCL | O_RDWR, 0644));  // EEXIST
    fd = CALL(tr, open(a.c_str(), O_RDWR | O_APPEND));
    CALL(tr, write(fd, "!", 1));
    CALL(tr, lseek(fd, 0, SEEK_CUR));
    CALL(tr, lseek(fd, 0, SEEK_SET));
    tr.note(read_all(fd));
    CALL(tr, fcntl(fd, F_GETFL));
    CALL(tr, fcntl(fd, F_SETFL, O_RDWR));  // clears O_APPEND
    CALL(tr, fcntl(fd, F_GETFL));
    CALL(tr, lseek(fd, 0, SEEK_SET));
    CALL(tr, write(fd, "J", 1));
    CALL(tr, close(fd));
    fd = CALL(tr, open(a.c_str(), O_RDONLY | O_CLOEXEC));
    CALL(tr, fcntl(fd, F_GETFD));
    CALL(tr, fcntl(fd, F_SETFD, 0));
    CALL(tr, fcntl(fd, F_GETFD));
    CALL(tr, write(fd, "x", 1));  // EBADF
    tr.note(read_all(fd));
    CALL(tr, close(fd));
    fd = CALL(tr, open(a.c_str(), O_WRONLY | O_TRUNC));
    CALL(tr, close(fd));
    CALL(tr, open(a.c_str(), O_RDONLY | O_DIRECTORY));           // ENOTDIR
    CALL(tr, open((a + "/").c_str(), O_RDONLY));                 // ENOTDIR
    CALL(tr, open((a + "/x").c_str(), O_CREAT | O_RDWR, 0644));  // ENOTDIR
    CALL(tr, mkdir(d.c_str(), 0755));
    CALL(tr, open(d.c_str(), O_WRONLY));                  // EISDIR
    CALL(tr, open(d.c_str(), O_RDONLY | O_CREAT, 0644));  // EISDIR
    fd = CALL(tr, open(d.c_str(), O_RDONLY | O_DIRECTORY));
    char one[1];
    CALL(tr, read(fd, one, 1));  // EISDIR
    CALL(tr, fcntl(fd, F_GETFL));
    CALL(tr, close(fd));
    fd = CALL(tr, open(a.c_str(), O_RDONLY | O_NOFOLLOW));
    CALL(tr, close(fd));
    CALL(tr, open((r + "/no/such").c_str(), O_CREAT | O_RDWR, 0644));  // ENOENT
  });
}

// memfs has no unnamed files (nor links to name one later): O_TMPFILE is
// refused as by a filesystem without it, through every open name, leaving
// nothing behind, and the usual fallback (a named file) works.
TEST_F(PosixFd, OTmpfileIsRefusedWithEopnotsupp) {
  ASSERT_EQ(mkdir((mount_dir_ + "/d").c_str(), 0755), 0);
  const std::string d = mount_dir_ + "/d";
  errno = 0;
  EXPECT_EQ(open(d.c_str(), O_TMPFILE | O_RDWR, 0600), -1);
  EXPECT_EQ(errno, EOPNOTSUPP);
  errno = 0;
  EXPECT_EQ(open64(d.c_str(), O_TMPFILE | O_WRONLY, 0600), -1);
  EXPECT_EQ(errno, EOPNOTSUPP);
  int dir = open(mount_dir_.c_str(), O_RDONLY | O_DIRECTORY);
  ASSERT_GE(dir, 0);
  errno = 0;
  EXPECT_EQ(openat(dir, "d", O_TMPFILE | O_RDWR, 0600), -1);
  EXPECT_EQ(errno, EOPNOTSUPP);
  close(dir);
  EXPECT_TRUE(fs_.list("/d").empty());
  int fd = open((d + "/named").c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(unlink((d + "/named").c_str()), 0);
  EXPECT_EQ(write(fd, "x", 1), 1);
  EXPECT_EQ(close(fd), 0);
  EXPECT_TRUE(fs_.list("/d").empty());
}

TEST_F(PosixFd, EveryOpenNameIsIntercepted) {
  differential([](const P& r, Trace& tr) {
    P a = r + "/a";
    int fd = CALL(tr, creat(a.c_str(), 0644));
    CALL(tr, write(fd, "1", 1));
    CALL(tr, close(fd));
    fd = CALL(tr, creat64((r + "/b").c_str(), 0644));
    CALL(tr, close(fd));
    for (int f : {open64(a.c_str(), O_RDONLY), __open_2(a.c_str(), O_RDONLY),
                  __open64_2(a.c_str(), O_RDONLY),
                  openat(AT_FDCWD, a.c_str(), O_RDONLY),
                  openat64(AT_FDCWD, a.c_str(), O_RDONLY),
                  __openat_2(AT_FDCWD, a.c_str(), O_RDONLY),
                  __openat64_2(AT_FDCWD, a.c_str(), O_RDONLY)}) {
      tr.note(read_all(f));
      CALL(tr, close(f));
    }
    int dir = CALL(tr, open(r.c_str(), O_RDONLY | O_DIRECTORY));
    fd = CALL(tr, openat(dir, "c", O_CREAT | O_WRONLY, 0644));
    CALL(tr, write(fd, "cc", 2));
    CALL(tr, close(fd));
    P up = "../" + r.substr(r.rfind('/') + 1) + "/c";  // back in through ..
    fd = CALL(tr, openat(dir, up.c_str(), O_RDONLY));
    tr.note(read_all(fd));
    CALL(tr, close(fd));
    CALL(tr, close(dir));
  });
}

// _FORTIFY_SOURCE builds call the checked names.
TEST_F(PosixFd, FortifiedNamesAreIntercepted) {
  differential([](const P& r, Trace& tr) {
    P a = r + "/a";
    int fd = CALL(tr, open(a.c_str(), O_CREAT | O_RDWR, 0644));
    CALL(tr, write(fd, "fortified", 9));
    CALL(tr, lseek(fd, 0, SEEK_SET));
    char buf[16] = {};
    CALL(tr, __read_chk(fd, buf, 4, sizeof buf));
    tr.note(buf);
    CALL(tr, __pread_chk(fd, buf, 3, 4, sizeof buf));
    CALL(tr, __pread64_chk(fd, buf, 3, 6, sizeof buf));
    tr.note(buf);
    CALL(tr, close(fd));
    char path[PATH_MAX];
    char* got = __realpath_chk((r + "/./a").c_str(), path, sizeof path);
    tr.note(got ? std::string(got).substr(r.size()) : "null");
    CALL(tr, __readlink_chk(a.c_str(), buf, 4, sizeof buf));  // EINVAL
  });
}

TEST_F(PosixFd, PositionalAndVectoredIo) {
  differential([](const P& r, Trace& tr) {
    int fd = CALL(tr, open((r + "/f").c_str(), O_CREAT | O_RDWR, 0644));
    CALL(tr, pwrite(fd, "abcdef", 6, 10));  // gap of zeros
    CALL(tr, lseek(fd, 0, SEEK_CUR));
    char buf[32] = {};
    CALL(tr, pread(fd, buf, sizeof buf, 8));
    tr.note(std::string(buf, 8));
    CALL(tr, pread64(fd, buf, 4, 100));
    CALL(tr, pwrite64(fd, "Z", 1, 0));
    CALL(tr, pread(fd, buf, 1, -1));  // EINVAL
    char x[] = "xx", y[] = "yyy";
    struct iovec out[] = {{x, 2}, {y, 3}};
    CALL(tr, writev(fd, out, 2));
    CALL(tr, pwritev(fd, out, 2, 3));
    CALL(tr, lseek(fd, 0, SEEK_SET));
    char p1[4] = {}, p2[40] = {};
    struct iovec in[] = {{p1, 4}, {p2, 40}};
    ssize_t n = CALL(tr, readv(fd, in, 2));
    tr.note(std::string(p1, 4) +
            std::string(p2, static_cast<std::size_t>(n > 4 ? n - 4 : 0)));
    CALL(tr, preadv(fd, in, 2, 2));
    tr.note(std::string(p1, 4));
    CALL(tr, preadv64(fd, in, 2, 1));
    CALL(tr, pwritev64(fd, out, 1, 30));
    CALL(tr, close(fd));
  });
}

TEST_F(PosixFd, SeekTruncateSync) {
  differential([](const P& r, Trace& tr) {
    int fd = CALL(tr, open((r + "/f").c_str(), O_CREAT | O_RDWR, 0644));
    CALL(tr, write(fd, "0123456789", 10));
    CALL(tr, lseek(fd, -3, SEEK_END));
    CALL(tr, lseek(fd, 2, SEEK_CUR));
    CALL(tr, lseek(fd, -100, SEEK_SET));  // EINVAL
    CALL(tr, lseek(fd, 0, 42));           // EINVAL
    CALL(tr, lseek64(fd, 4, SEEK_DATA));
    CALL(tr, lseek64(fd, 4, SEEK_HOLE));
    CALL(tr, lseek(fd, 10, SEEK_DATA));  // ENXIO
    CALL(tr, lseek(fd, 20, SEEK_SET));
    CALL(tr, write(fd, "E", 1));
    CALL(tr, ftruncate(fd, 5));
    CALL(tr, ftruncate64(fd, 7));
    CALL(tr, ftruncate(fd, -1));  // EINVAL
    CALL(tr, lseek(fd, 0, SEEK_END));
    CALL(tr, fsync(fd));
    CALL(tr, fdatasync(fd));
    CALL(tr, close(fd));
    fd = CALL(tr, open((r + "/f").c_str(), O_RDONLY));
    CALL(tr, ftruncate(fd, 1));  // EINVAL: not open for writing
    CALL(tr, close(fd));
    CALL(tr, truncate((r + "/f").c_str(), 3));
    CALL(tr, truncate64((r + "/f").c_str(), 4));
    CALL(tr, truncate((r + "/missing").c_str(), 3));  // ENOENT
    CALL(tr, truncate(r.c_str(), 3));                 // EISDIR
  });
}

TEST_F(PosixFd, DupSharesTheOffsetLikeAnOpenFileDescription) {
  differential([](const P& r, Trace& tr) {
    int fd =
        CALL(tr, open((r + "/f").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644));
    int d1 = dup(fd);
    CALL(tr, d1 > fd ? 1 : 0);
    CALL(tr, write(fd, "abc", 3));
    CALL(tr, lseek(d1, 0, SEEK_CUR));
    CALL(tr, fcntl(d1, F_GETFD));  // dup clears close-on-exec
    int d2 = CALL(tr, dup2(fd, 100));
    CALL(tr, write(d2, "de", 2));
    CALL(tr, lseek(fd, 0, SEEK_CUR));
    int d3 = CALL(tr, dup3(fd, 101, O_CLOEXEC));
    CALL(tr, fcntl(d3, F_GETFD));
    int d4 = CALL(tr, fcntl(fd, F_DUPFD, 200));
    int d5 = CALL(tr, fcntl(fd, F_DUPFD_CLOEXEC, 200));
    CALL(tr, fcntl(d5, F_GETFD));
    CALL(tr, close(fd));
    CALL(tr, write(d4, "f", 1));
    // dup2 onto a memfs descriptor closes it first.
    int other = CALL(tr, open((r + "/g").c_str(), O_CREAT | O_RDWR, 0644));
    CALL(tr, dup2(other, d1));
    CALL(tr, write(d1, "to-g", 4));
    for (int x : {d1, d2, d3, d4, d5, other}) CALL(tr, close(x));
  });
}

// Closing in bulk inside the kernel must not leave numbers mapped to memfs:
// the next descriptor with that number belongs to someone else.
TEST_F(PosixFd, CloseRangeAndClosefromUnmapDescriptors) {
  int a = open((mount_dir_ + "/a").c_str(), O_CREAT | O_RDWR, 0644);
  int b = open((mount_dir_ + "/b").c_str(), O_CREAT | O_RDWR, 0644);
  ASSERT_GE(a, 0);
  ASSERT_EQ(b, a + 1);
  ASSERT_EQ(close_range(static_cast<unsigned>(a), static_cast<unsigned>(a), 0),
            0);
  EXPECT_EQ(fs_.stats().open_handles, 1u);
  int real = open((real_dir_ + "/r").c_str(), O_CREAT | O_RDWR, 0644);
  ASSERT_EQ(real, a);  // the number is reused for a real file
  ASSERT_EQ(write(real, "disk", 4), 4);
  EXPECT_EQ(fs_.file_size("/a"), 0u);
  close(real);
  closefrom(b);
  EXPECT_EQ(fs_.stats().open_handles, 0u);
  errno = 0;
  EXPECT_EQ(write(b, "x", 1), -1);
  EXPECT_EQ(errno, EBADF);
  int c = open((mount_dir_ + "/c").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
  ASSERT_EQ(close_range(0, ~0u, CLOSE_RANGE_CLOEXEC), 0);  // marks only
  EXPECT_EQ(write(c, "c", 1), 1);
  close(c);
}

// Placeholders are duplicates of one template memfd kept at a high number
// (cheaper than a memfd per open). The program may close or replace that
// number like any other: later opens on a mount still work, and the
// program's own descriptor at that number is left alone.
TEST_F(PosixFd, ThePlaceholderTemplateMayBeClosedOrReplaced) {
  int a = open((mount_dir_ + "/a").c_str(), O_CREAT | O_RDWR, 0644);
  ASSERT_GE(a, 0);
  const auto templates = [a] {
    std::vector<int> found;
    for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
      char target[256] = {};
      const int fd = std::stoi(e.path().filename().string());
      if (fd != a &&
          readlink(e.path().c_str(), target, sizeof target - 1) > 0 &&
          std::string(target).find("memfd:memfs") != std::string::npos)
        found.push_back(fd);
    }
    return found;
  };
  const std::vector<int> before = templates();
  ASSERT_EQ(before.size(), 1u);
  EXPECT_GT(before[0], a + 100);  // out of the way of open's numbers
  int mine = open("/dev/null", O_RDONLY);
  ASSERT_EQ(dup2(mine, before[0]), before[0]);  // the program takes it over
  int b = open((mount_dir_ + "/b").c_str(), O_CREAT | O_RDWR, 0644);
  ASSERT_GE(b, 0);
  EXPECT_EQ(write(b, "bb", 2), 2);
  EXPECT_EQ(fs_.read_file("/b"), "bb");
  struct stat st {};
  ASSERT_EQ(fstat(before[0], &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));  // still the program's /dev/null
  EXPECT_EQ(close(before[0]), 0);
  EXPECT_EQ(close(mine), 0);
  EXPECT_EQ(close(b), 0);
  EXPECT_EQ(close(a), 0);
}

TEST_F(PosixFd, ADescriptorOnAMountIsARealDescriptorNumber) {
  int fd = open((mount_dir_ + "/f").c_str(), O_CREAT | O_RDWR, 0644);
  ASSERT_GE(fd, 0);
  int real = open("/dev/null", O_RDONLY);
  EXPECT_NE(real, fd);
  EXPECT_EQ(close(real), 0);
  EXPECT_EQ(close(fd), 0);
  EXPECT_EQ(fs_.open_handles().size(), 0u);
}

}  // namespace
}  // namespace memfs_test
