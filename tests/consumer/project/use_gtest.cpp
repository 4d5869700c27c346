// The consumer's GoogleTest binary: memfs::gtest resolves and links, and the
// adapter's header is used as soon as it exists.
#include <string>

#include <gtest/gtest.h>

#include <memfs/memory_file_system.hpp>
#if __has_include(<memfs/gtest.hpp>)
#include <memfs/gtest.hpp>
#endif

TEST(Consumer, WritesAndReadsAFile) {
  memfs::MemoryFileSystem fs;
  fs.write_file("/a.txt", "abc");
  EXPECT_EQ(fs.read_file("/a.txt"), std::string("abc"));
}
