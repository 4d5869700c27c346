// memfs errors and fault rules seen through intercepted calls.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <fstream>

#include "intercept/support.hpp"
#include <memfs/fault_injection.hpp>

namespace memfs_test {
namespace {

class ErrorsAndFaults : public InterceptTest {};

TEST_F(ErrorsAndFaults, QuotaGivesEnospcAndWritesNothing) {
  fs_.set_quota(10);
  int fd = open((mount_dir_ + "/f").c_str(), O_CREAT | O_WRONLY, 0644);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(write(fd, "12345678", 8), 8);
  errno = 0;
  EXPECT_EQ(write(fd, "abcdef", 6), -1);
  EXPECT_EQ(errno, ENOSPC);
  EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 8);
  EXPECT_EQ(ftruncate(fd, 100), -1);
  EXPECT_EQ(errno, ENOSPC);
  close(fd);
  EXPECT_EQ(fs_.read_file("/f"), "12345678");
  std::ofstream out(mount_dir_ + "/g");
  out << std::string(100, 'x') << std::flush;
  EXPECT_TRUE(out.fail());
}

TEST_F(ErrorsAndFaults, NodeCapGivesEnospc) {
  memfs::MemoryOptions opts;
  opts.max_nodes = 2;
  memfs::MemoryFileSystem small(opts);
  memfs::Mount m(small, mount_dir_ + "-small");
  EXPECT_EQ(mkdir((mount_dir_ + "-small/a").c_str(), 0755), 0);
  errno = 0;
  EXPECT_EQ(mkdir((mount_dir_ + "-small/b").c_str(), 0755), -1);
  EXPECT_EQ(errno, ENOSPC);
}

TEST_F(ErrorsAndFaults, AShortWriteRuleMakesWriteReturnFewerBytes) {
  memfs::FaultInjector faults(fs_);
  faults.add("write /f short=3");
  int fd = open((mount_dir_ + "/f").c_str(), O_CREAT | O_RDWR, 0644);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(write(fd, "abcdefgh", 8), 3);
  EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 3);
  close(fd);
  EXPECT_EQ(fs_.read_file("/f"), "abc");
}

TEST_F(ErrorsAndFaults, AnEioRuleOnSyncMakesFsyncFail) {
  memfs::FaultInjector faults(fs_);
  faults.add("sync /f fail=EIO");
  int fd = open((mount_dir_ + "/f").c_str(), O_CREAT | O_RDWR, 0644);
  ASSERT_GE(fd, 0);
  errno = 0;
  EXPECT_EQ(fsync(fd), -1);
  EXPECT_EQ(errno, EIO);
  EXPECT_EQ(fdatasync(fd), -1);
  EXPECT_EQ(errno, EIO);
  close(fd);
  EXPECT_EQ(faults.log().size(), 2u);
}

TEST_F(ErrorsAndFaults, InjectedOpenAndReadFaultsCarryTheirErrno) {
  memfs::FaultInjector faults(fs_);
  fs_.write_file("/f", "data");
  faults.add("open /f once fail=EACCES");
  faults.add("read /f once fail=injected_fault");
  errno = 0;
  EXPECT_EQ(open((mount_dir_ + "/f").c_str(), O_RDONLY), -1);
  EXPECT_EQ(errno, EACCES);
  int fd = open((mount_dir_ + "/f").c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  char buf[8];
  EXPECT_EQ(read(fd, buf, sizeof buf), -1);
  EXPECT_EQ(errno, EIO);
  EXPECT_EQ(read(fd, buf, sizeof buf), 4);
  close(fd);
}

TEST_F(ErrorsAndFaults, ALockHeldElsewhereGivesEagainThenTimesOut) {
  fs_.write_file("/db", "x");
  memfs::FaultInjector faults(fs_);
  auto hold = faults.hold_lock("/db", memfs::LockMode::exclusive);
  int fd = open((mount_dir_ + "/db").c_str(), O_RDWR);
  ASSERT_GE(fd, 0);
  errno = 0;
  EXPECT_EQ(flock(fd, LOCK_SH | LOCK_NB), -1);
  EXPECT_EQ(errno, EWOULDBLOCK);
  struct flock fl {};
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  EXPECT_EQ(fcntl(fd, F_SETLK, &fl), -1);
  EXPECT_EQ(errno, EAGAIN);
  EXPECT_EQ(fcntl(fd, F_GETLK, &fl), 0);
  EXPECT_EQ(fl.l_type, F_WRLCK);
  close(fd);
}

}  // namespace
}  // namespace memfs_test
