// fallocate, lockf, syncfs, statfs, chown and the time setters on a mount
// (glibc implements them with internal aliases, so each is wrapped).
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/time.h>
#include <unistd.h>
#include <utime.h>

#include "intercept/support.hpp"
#include <memfs/fault_injection.hpp>

namespace memfs_test {
namespace {

class MiscCalls : public InterceptTest {};

TEST_F(MiscCalls, AllocateSyncOwnersAndTimes) {
  differential([](const P& r, Trace& tr) {
    P f = r + "/f";
    int fd = CALL(tr, open(f.c_str(), O_CREAT | O_RDWR, 0644));
    CALL(tr, write(fd, "abc", 3));
    CALL(tr, fallocate(fd, 0, 0, 10));
    CALL(tr, lseek(fd, 0, SEEK_END));
    CALL(tr, fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 100));
    CALL(tr, lseek(fd, 0, SEEK_END));
    CALL(tr, posix_fallocate(fd, 5, 20));
    CALL(tr, lseek(fd, 0, SEEK_END));
    CALL(tr, posix_fallocate(fd, 0, 2));  // never shrinks
    CALL(tr, lseek(fd, 0, SEEK_END));
    CALL(tr, posix_fallocate(fd, -1, 2));  // EINVAL, returned
    CALL(tr, fallocate(fd, 0, 0, 0));      // EINVAL
    CALL(tr, syncfs(fd));
    CALL(tr, fchown(fd, getuid(), getgid()));
    CALL(tr, futimes(fd, nullptr));
    CALL(tr, close(fd));
    fd = CALL(tr, open(f.c_str(), O_RDONLY));
    CALL(tr, posix_fallocate(fd, 0, 100));  // EBADF, returned
    CALL(tr, close(fd));
    CALL(tr, chown(f.c_str(), getuid(), getgid()));
    CALL(tr, lchown(f.c_str(), getuid(), getgid()));
    CALL(tr, fchownat(AT_FDCWD, f.c_str(), getuid(), getgid(), 0));
    CALL(tr, chown((r + "/nope").c_str(), getuid(), getgid()));  // ENOENT
    CALL(tr, utime(f.c_str(), nullptr));
    CALL(tr, utimes(f.c_str(), nullptr));
    CALL(tr, lutimes(f.c_str(), nullptr));
    CALL(tr, utime((r + "/nope").c_str(), nullptr));  // ENOENT
    CALL(tr, utimensat(AT_FDCWD, f.c_str(), nullptr, 0));
    struct statfs sf {};
    CALL(tr, statfs(f.c_str(), &sf));
    CALL(tr, static_cast<long>(sf.f_bsize));
    CALL(tr, statfs((r + "/nope").c_str(), &sf));  // ENOENT
  });
}

TEST_F(MiscCalls, FallocateIsChargedToTheQuota) {
  fs_.set_quota(100);
  int fd = open((mount_dir_ + "/f").c_str(), O_CREAT | O_RDWR, 0644);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(posix_fallocate(fd, 0, 1000), ENOSPC);
  EXPECT_EQ(posix_fallocate(fd, 0, 100), 0);
  EXPECT_EQ(fs_.file_size("/f"), 100u);
  struct statfs sf {};
  ASSERT_EQ(fstatfs(fd, &sf), 0);
  EXPECT_EQ(sf.f_bfree, 0u);
  close(fd);
}

TEST_F(MiscCalls, LockfUsesTheMemfsLock) {
  fs_.write_file("/f", "x");
  memfs::FaultInjector faults(fs_);
  int fd = open((mount_dir_ + "/f").c_str(), O_RDWR);
  ASSERT_GE(fd, 0);
  {
    auto hold = faults.hold_lock("/f", memfs::LockMode::exclusive);
    errno = 0;
    EXPECT_EQ(lockf(fd, F_TLOCK, 0), -1);
    EXPECT_EQ(errno, EAGAIN);
    EXPECT_EQ(lockf(fd, F_TEST, 0), -1);
    EXPECT_EQ(errno, EACCES);
  }
  EXPECT_EQ(lockf(fd, F_TEST, 0), 0);
  EXPECT_EQ(lockf(fd, F_TLOCK, 0), 0);
  EXPECT_EQ(fs_.open_handles().at(0).lock, memfs::LockMode::exclusive);
  EXPECT_EQ(lockf(fd, F_ULOCK, 0), 0);
  EXPECT_FALSE(fs_.open_handles().at(0).lock.has_value());
  close(fd);
}

}  // namespace
}  // namespace memfs_test
