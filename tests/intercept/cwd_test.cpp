// chdir/fchdir into a mount: getcwd reports the mount's path, relative paths
// resolve on the mount, and a chdir out of it restores the real directory;
// the same calls on /dev/shm, compared.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <fstream>

#include "intercept/support.hpp"

namespace memfs_test {
namespace {

class Cwd : public InterceptTest {
 protected:
  Cwd() {
    char buf[PATH_MAX];
    if (getcwd(buf, sizeof buf) != nullptr) saved_ = buf;
  }
  ~Cwd() override { EXPECT_EQ(chdir(saved_.c_str()), 0); }

  std::string saved_;
};

// getcwd's answer with the side's root spelled ROOT, so both sides compare.
std::string cwd_line(const std::string& root) {
  char buf[PATH_MAX];
  if (getcwd(buf, sizeof buf) == nullptr)
    return std::string("getcwd failed errno=") + Trace::errno_name(errno);
  std::string s = buf;
  if (s.compare(0, root.size(), root) == 0) s = "ROOT" + s.substr(root.size());
  return "cwd " + s;
}

TEST_F(Cwd, ChdirIntoAMountServesRelativePathsThereAndChdirOutRestoresTheDisk) {
  differential([&](const P& r, Trace& tr) {
    CALL(tr, mkdir((r + "/d").c_str(), 0755));
    CALL(tr, chdir((r + "/d").c_str()));
    tr.note(cwd_line(r));
    int fd = CALL(tr, open("f", O_CREAT | O_WRONLY, 0644));
    CALL(tr, write(fd, "rel", 3));
    CALL(tr, close(fd));
    CALL(tr, mkdir("sub", 0755));
    CALL(tr, chdir("sub"));
    tr.note(cwd_line(r));
    struct stat st {};
    CALL(tr, stat("../f", &st));
    CALL(tr, access("../f", R_OK));
    { std::ofstream("g.txt") << "fstream"; }
    CALL(tr, rename("g.txt", "../g.txt"));
    CALL(tr, chdir(".."));
    tr.note(cwd_line(r));
    CALL(tr, chdir("nope"));  // ENOENT
    CALL(tr, chdir("f"));     // ENOTDIR
    tr.note(cwd_line(r));
    tr.note("current_path " +
            std::filesystem::current_path().string().substr(r.size()));
    tr.note("exists " + std::to_string(std::filesystem::exists("g.txt")));
    std::filesystem::current_path("sub");
    tr.note(cwd_line(r));
    // fchdir through a descriptor opened on the mount (or on disk).
    int dir = CALL(tr, open((r + "/d").c_str(), O_RDONLY | O_DIRECTORY));
    CALL(tr, fchdir(dir));
    CALL(tr, close(dir));
    tr.note(cwd_line(r));
    int file = CALL(tr, open("f", O_RDONLY));
    CALL(tr, fchdir(file));  // ENOTDIR
    CALL(tr, close(file));
    DIR* d = opendir(".");
    tr.note(std::string("opendir . ") + (d ? "ok" : "failed"));
    int n = 0;
    while (d != nullptr && readdir(d) != nullptr) ++n;
    if (d) closedir(d);
    tr.note("entries " + std::to_string(n));
    // Out of the mount again: "..", then a real directory.
    CALL(tr, chdir("../.."));
    tr.note(cwd_line(r));
    CALL(tr, chdir(r.c_str()));
    tr.note(cwd_line(r));
    CALL(tr, unlink("d/f"));
    CALL(tr, chdir(saved_.c_str()));
    tr.note(cwd_line(r));
  });
  // The real current directory is back: relative paths reach the disk.
  char buf[PATH_MAX];
  ASSERT_NE(getcwd(buf, sizeof buf), nullptr);
  EXPECT_EQ(std::string(buf), saved_);
  EXPECT_TRUE(fs_.exists("/d/g.txt"));
}

TEST_F(Cwd, GetcwdFollowsGlibcsBufferContract) {
  ASSERT_EQ(chdir(mount_dir_.c_str()), 0);
  char small[4];
  EXPECT_EQ(getcwd(small, sizeof small), nullptr);
  EXPECT_EQ(errno, ERANGE);
  EXPECT_EQ(getcwd(small, 0), nullptr);
  EXPECT_EQ(errno, EINVAL);
  char* grown = getcwd(nullptr, 0);
  ASSERT_NE(grown, nullptr);
  EXPECT_EQ(std::string(grown), mount_dir_);
  std::free(grown);
  char* named = get_current_dir_name();
  ASSERT_NE(named, nullptr);
  EXPECT_EQ(std::string(named), mount_dir_);
  std::free(named);
}

// What bypasses the wrappers cannot fall back on the directory the program
// was in: the kernel's current directory is gone while the mount's is
// current.
TEST_F(Cwd, TheKernelsCurrentDirectoryIsNoRealFolderWhileOnAMount) {
  ASSERT_EQ(chdir(real_dir_.c_str()), 0);
  ASSERT_EQ(chdir(mount_dir_.c_str()), 0);
  EXPECT_EQ(syscall(SYS_openat, AT_FDCWD, "leak", O_CREAT | O_WRONLY, 0644),
            -1);
  EXPECT_EQ(errno, ENOENT);
  ASSERT_EQ(chdir(real_dir_.c_str()), 0);
  EXPECT_FALSE(std::filesystem::exists(real_dir_ + "/leak"));
  EXPECT_FALSE(fs_.exists("/leak"));
}

}  // namespace
}  // namespace memfs_test
