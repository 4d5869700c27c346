// What interception cannot reach (the header's "Limits"), each shown to fail
// loudly where it can be detected: raw syscall(2) and exec'd programs do
// not see mounts; a mount over a directory that does not exist on the real
// disk makes them fail with ENOENT instead of writing somewhere.
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "intercept/support.hpp"

namespace memfs_test {
namespace {

class Limits : public InterceptTest {};

long raw_openat(const std::string& path, int flags) {
  return syscall(SYS_openat, AT_FDCWD, path.c_str(), flags, 0644);
}

TEST_F(Limits, RawSyscallsGoToTheKernel) {
  fs_.write_file("/present", "in memfs");
  // The mount directory is absent from the real disk: the kernel knows
  // neither the file nor the directory, so the call fails and creates
  // nothing (the fixture checks that the mount left nothing on disk).
  errno = 0;
  EXPECT_EQ(raw_openat(mount_dir_ + "/present", O_RDONLY), -1);
  EXPECT_EQ(errno, ENOENT);
  errno = 0;
  EXPECT_EQ(raw_openat(mount_dir_ + "/new", O_CREAT | O_WRONLY), -1);
  EXPECT_EQ(errno, ENOENT);
  EXPECT_FALSE(fs_.exists("/new"));
  // A mount over a directory that does exist on the real disk: the raw call
  // reaches that real directory, past the mount (documented).
  memfs::MemoryFileSystem other;
  {
    memfs::Mount over(other, real_dir_);
    const long fd = raw_openat(real_dir_ + "/raw", O_CREAT | O_WRONLY);
    ASSERT_GE(fd, 0);
    close(static_cast<int>(fd));  // a real descriptor: plain close
    EXPECT_FALSE(other.exists("/raw"));
  }
  EXPECT_TRUE(std::filesystem::exists(real_dir_ + "/raw"));
}

TEST_F(Limits, AnExecutedProgramDoesNotSeeTheMount) {
  fs_.write_file("/file", "in memfs");
  // The new image has no mount: cat fails, and a shell's redirection cannot
  // create the file (its directory does not exist on the real disk).
  const std::string cat = "/bin/cat '" + mount_dir_ + "/file' > /dev/null 2>&1";
  int status = std::system(cat.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_NE(WEXITSTATUS(status), 0);
  const std::string write =
      "/bin/sh -c 'echo x > \"" + mount_dir_ + "/made\"' 2>/dev/null";
  status = std::system(write.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_NE(WEXITSTATUS(status), 0);
  EXPECT_FALSE(fs_.exists("/made"));
  // ~InterceptTest checks that nothing appeared at mount_dir_ on disk.
}

}  // namespace
}  // namespace memfs_test
