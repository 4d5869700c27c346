// fsync, fdatasync and syncfs on a mount feed the durability model
// (crash.hpp): a file's fsync makes its bytes durable, a directory's fsync
// its entries, syncfs everything.
#include <fcntl.h>
#include <unistd.h>

#include <string>

#include <gtest/gtest.h>

#include <memfs/intercept.hpp>
#include <memfs/memory_file_system.hpp>

namespace {

class InterceptDurability : public ::testing::Test {
 protected:
  static memfs::MemoryOptions tracked() {
    memfs::MemoryOptions o;
    o.track_durability = true;
    return o;
  }
  memfs::MemoryFileSystem fs_{tracked()};
  std::string dir_ = "/dev/shm/memfs-durability-" + std::to_string(::getpid());
  memfs::Mount mount_{fs_, dir_};

  // Writes `data` to a new file `name` on the mount, fsyncing it or not.
  void write(const std::string& name, const std::string& data, bool sync) {
    const int fd =
        ::open((dir_ + "/" + name).c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0644);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::write(fd, data.data(), data.size()),
              static_cast<ssize_t>(data.size()));
    if (sync) {
      EXPECT_EQ(::fdatasync(fd), 0);
    }
    ::close(fd);
  }
  int sync_dir() {
    const int fd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY);
    const int rc = ::fsync(fd);
    ::close(fd);
    return rc;
  }
};

TEST_F(InterceptDurability, FsyncOfTheFileAndOfTheDirectory) {
  write("a", "synced", true);
  EXPECT_FALSE(fs_.crash_clone()->exists("/a"));  // the name is not durable
  EXPECT_EQ(sync_dir(), 0);
  EXPECT_EQ(fs_.crash_clone()->read_file("/a"), "synced");
  write("b", "unsynced", false);
  EXPECT_EQ(sync_dir(), 0);
  EXPECT_EQ(fs_.crash_clone()->read_file("/b"), "");
}

TEST_F(InterceptDurability, SyncfsMakesEverythingDurable) {
  write("c", "all", false);
  const int fd = ::open((dir_ + "/c").c_str(), O_RDONLY);
  EXPECT_EQ(::syncfs(fd), 0);
  ::close(fd);
  EXPECT_EQ(fs_.crash_clone()->read_file("/c"), "all");
}

}  // namespace
