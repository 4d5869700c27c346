#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <memfs/intercept.hpp>
#include <memfs/memory_file_system.hpp>

TEST(InterceptSmoke, OfstreamLandsInTheFileSystem) {
  memfs::MemoryFileSystem fs;
  memfs::Mount m(fs, "/dev/shm/memfs-smoke-mount");
  { std::ofstream("/dev/shm/memfs-smoke-mount/a.txt") << "hi"; }
  EXPECT_EQ(fs.read_file("/a.txt"), "hi");
  std::ifstream in("/dev/shm/memfs-smoke-mount/a.txt");
  std::string s;
  in >> s;
  EXPECT_EQ(s, "hi");
  EXPECT_NE(access("/dev/shm/memfs-smoke-mount", F_OK), -1);
}
