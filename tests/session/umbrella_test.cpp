// <memfs/memfs.hpp> alone is enough for the example at its top, and brings
// fault injection and the session layer with the core.
#include <gtest/gtest.h>

#include "memfs/memfs.hpp"

namespace {

TEST(Umbrella, TheExampleOnTheHeaderCompilesAndRuns) {
  memfs::MemoryFileSystem fs;
  memfs::FaultInjector faults(fs);  // attaches itself
  fs.write_file("/a.txt", "x");
  EXPECT_EQ(fs.read_file("/a.txt"), "x");
}

TEST(Umbrella, BringsTheSessionLayerAndStreams) {
  memfs::MemoryFileSystem fs;
  fs.write_file("/a.txt", "x");
  memfs::ifstream in(fs, "/a.txt");
  std::string text;
  in >> text;
  EXPECT_EQ(text, "x");
  EXPECT_TRUE(memfs::diff_tree(fs, {{"/a.txt", "x"}}).empty());
}

}  // namespace
