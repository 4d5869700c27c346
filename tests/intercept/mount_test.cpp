// What a mount covers (paths as given, relative, through ..), what it leaves
// alone (everything else goes to the real disk unchanged), overlap refusal,
// and unmounting with descriptors still open.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <fstream>

#include "intercept/support.hpp"
#include <memfs/error.hpp>

namespace memfs_test {
namespace {

class Mounts : public InterceptTest {};

std::string base_name(const std::string& p) {
  return p.substr(p.rfind('/') + 1);
}

TEST_F(Mounts, PathsOutsideTheMountReachTheRealDisk) {
  std::string f = real_dir_ + "/real.txt";
  { std::ofstream(f) << "on disk"; }
  EXPECT_FALSE(fs_.exists("/real.txt"));
  struct stat st {};
  ASSERT_EQ(stat(f.c_str(), &st), 0);
  EXPECT_EQ(st.st_size, 7);
  // The real folder's device is not the mount's.
  struct stat m {};
  ASSERT_EQ(stat(mount_dir_.c_str(), &m), 0);
  EXPECT_NE(st.st_dev, m.st_dev);
  // A name that merely starts like the mount directory is not on it.
  std::string sibling = mount_dir_ + "x";
  ASSERT_EQ(mkdir(sibling.c_str(), 0755), 0);
  EXPECT_TRUE(std::filesystem::is_directory(sibling));
  EXPECT_FALSE(fs_.exists("/x"));
  ASSERT_EQ(rmdir(sibling.c_str()), 0);
}

// Paths are classified 16 bytes at a time: an unclean spelling ("//", "/.",
// "/..") at any position, and names starting with a dot, must land where the
// kernel would put them.
TEST_F(Mounts,
       EverySpellingOfAMountedPathIsServedWhereverItsDotsAndSlashesAre) {
  ASSERT_EQ(mkdir((mount_dir_ + "/abcdefghijklmnopqrstuvwxyz").c_str(), 0755),
            0);
  const std::string file = "/abcdefghijklmnopqrstuvwxyz/.hidden-file";
  { std::ofstream(mount_dir_ + file) << "x"; }
  ASSERT_TRUE(fs_.exists(file));
  std::string outside = real_dir_ + "/abcdefghijklmnopqrstuvwxyz";
  ASSERT_EQ(mkdir(outside.c_str(), 0755), 0);
  std::string via_real = outside + "/../../" + base_name(mount_dir_) + file;
  const std::vector<std::string> spellings = {
      mount_dir_ + file,
      mount_dir_ + "/abcdefghijklmnopqrstuvwxyz//.hidden-file",
      mount_dir_ + "/abcdefghijklmnopqrstuvwxyz/./.hidden-file",
      mount_dir_ + "//abcdefghijklmnopqrstuvwxyz/.hidden-file",
      mount_dir_ + "/abcdefghijklmnopqrstuvwxyz/../" + file.substr(1),
      real_dir_ + "/../" + base_name(mount_dir_) + file,
      via_real,
  };
  for (const std::string& p : spellings) {
    struct stat st {};
    EXPECT_EQ(stat(p.c_str(), &st), 0) << p;
    EXPECT_EQ(st.st_size, 1) << p;
  }
  // The same names off the mount reach the real disk, dots included.
  { std::ofstream(outside + "/.hidden-file") << "on disk"; }
  struct stat st {};
  ASSERT_EQ(stat((outside + "//./.hidden-file").c_str(), &st), 0);
  EXPECT_EQ(st.st_size, 7);
  EXPECT_EQ(fs_.read_file(file), "x");
}

// The scan's last step takes the path's last 16 bytes, overlapping the step
// before: a ".." that leaves the mount is seen at every path length. Such a
// path goes to the kernel as given, which finds no mount directory on disk.
TEST_F(Mounts, ADotDotLeavingTheMountIsSeenAtEveryPathLength) {
  for (std::size_t n = 1; n <= 40; ++n) {
    const std::string dir = mount_dir_ + "/" + std::string(n, 'd');
    ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
    struct stat st {};
    EXPECT_EQ(stat((dir + "/..").c_str(), &st), 0);  // the mount's root
    for (const std::string& p : {dir + "/../..", dir + "/../../"}) {
      errno = 0;
      EXPECT_EQ(stat(p.c_str(), &st), -1) << p;
      EXPECT_EQ(errno, ENOENT) << p;
    }
  }
}

TEST_F(Mounts, NothingIsCreatedOnTheRealDiskAtTheMountPath) {
  ASSERT_EQ(mkdir((mount_dir_ + "/d").c_str(), 0755), 0);
  int fd = open((mount_dir_ + "/d/f").c_str(), O_CREAT | O_WRONLY, 0644);
  ASSERT_GE(fd, 0);
  close(fd);
  mount_.reset();  // unmounted: the real disk shows what is really there
  struct stat st {};
  EXPECT_EQ(stat(mount_dir_.c_str(), &st), -1);
  EXPECT_EQ(errno, ENOENT);
  EXPECT_TRUE(fs_.exists("/d/f"));
}

TEST_F(Mounts, RelativePathsAndDotDotAreResolvedAgainstTheCwd) {
  char old[PATH_MAX];
  ASSERT_NE(getcwd(old, sizeof old), nullptr);
  ASSERT_EQ(chdir(real_dir_.c_str()), 0);
  std::string rel = "../" + base_name(mount_dir_);
  { std::ofstream(rel + "/rel.txt") << "relative"; }
  {
    std::ofstream(rel + "/../" + base_name(mount_dir_) + "/./dotted.txt")
        << "dots";
  }
  EXPECT_EQ(fs_.read_file("/rel.txt"), "relative");
  EXPECT_EQ(fs_.read_file("/dotted.txt"), "dots");
  int dir = open(".", O_RDONLY | O_DIRECTORY);  // a real directory descriptor
  int fd = openat(dir, (rel + "/rel.txt").c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  char buf[16] = {};
  EXPECT_EQ(read(fd, buf, sizeof buf), 8);
  close(fd);
  close(dir);
  // Climbing out of the mount through .. leaves it.
  ASSERT_EQ(mkdir((mount_dir_ + "/d").c_str(), 0755), 0);
  int mdir = open((mount_dir_ + "/d").c_str(), O_RDONLY | O_DIRECTORY);
  std::string out = "../../" + base_name(real_dir_) + "/out.txt";
  fd = openat(mdir, out.c_str(), O_CREAT | O_WRONLY, 0644);
  ASSERT_GE(fd, 0);
  close(fd);
  close(mdir);
  EXPECT_TRUE(std::filesystem::exists(real_dir_ + "/out.txt"));
  ASSERT_EQ(chdir(old), 0);
}

TEST_F(Mounts, OverlappingMountsAreRefusedNamingBoth) {
  memfs::MemoryFileSystem other;
  for (const std::string& dir :
       {mount_dir_, mount_dir_ + "/inner", mount_dir_ + "/",
        mount_dir_.substr(0, mount_dir_.rfind('/'))}) {
    try {
      memfs::Mount m(other, dir);
      ADD_FAILURE() << "mounted over " << dir;
    } catch (const memfs::filesystem_error& e) {
      EXPECT_EQ(e.code(), std::errc::device_or_resource_busy);
      EXPECT_NE(std::string(e.what()).find(mount_dir_), std::string::npos)
          << e.what();
      EXPECT_EQ(e.operation(), "mount");
    }
  }
  // Side by side is fine, and each serves its own filesystem.
  memfs::Mount beside(other, mount_dir_ + "-beside");
  { std::ofstream(mount_dir_ + "-beside/b.txt") << "b"; }
  EXPECT_TRUE(other.exists("/b.txt"));
  EXPECT_FALSE(fs_.exists("/b.txt"));
}

TEST_F(Mounts, BadMountDirectoriesAreRefused) {
  memfs::MemoryFileSystem other;
  for (const char* dir : {"relative/dir", "", "/", "/.."}) {
    try {
      memfs::Mount m(other, dir);
      ADD_FAILURE() << "mounted " << dir;
    } catch (const memfs::filesystem_error& e) {
      EXPECT_EQ(e.code(), std::errc::invalid_argument) << dir;
    }
  }
}

TEST_F(Mounts, UnmountDetachesOpenDescriptors) {
  int fd = open((mount_dir_ + "/f").c_str(), O_CREAT | O_RDWR, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, "x", 1), 1);
  mount_.reset();
  EXPECT_EQ(fs_.stats().open_handles, 0u);
  errno = 0;
  EXPECT_EQ(write(fd, "y", 1), -1);
  EXPECT_EQ(errno, ESTALE);
  EXPECT_EQ(close(fd), 0);
  EXPECT_EQ(fs_.read_file("/f"), "x");
}

// The unmount looks no further than the highest number a memfs description
// was ever given: numbers made by dup2 and F_DUPFD far up count too.
TEST_F(Mounts, UnmountDetachesDescriptorsAtHighNumbers) {
  const int fd = open((mount_dir_ + "/f").c_str(), O_CREAT | O_RDWR, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(dup2(fd, 3000), 3000);
  const int far = fcntl(fd, F_DUPFD, 4000);
  ASSERT_GE(far, 4000);
  ASSERT_EQ(close(fd), 0);
  EXPECT_EQ(fs_.stats().open_handles, 1u);  // one description, two numbers
  mount_.reset();
  EXPECT_EQ(fs_.stats().open_handles, 0u);
  for (const int n : {3000, far}) {
    errno = 0;
    EXPECT_EQ(write(n, "y", 1), -1) << n;
    EXPECT_EQ(errno, ESTALE) << n;
    EXPECT_EQ(close(n), 0) << n;
  }
}

TEST_F(Mounts, AMountMovesWithItsObject) {
  memfs::MemoryFileSystem other;
  memfs::Mount a(other, mount_dir_ + "-moved");
  memfs::Mount b(std::move(a));
  EXPECT_EQ(b.host_dir(), mount_dir_ + "-moved");
  EXPECT_EQ(&b.file_system(), &other);
  { std::ofstream(mount_dir_ + "-moved/f") << "1"; }
  EXPECT_TRUE(other.exists("/f"));
}

}  // namespace
}  // namespace memfs_test
