// GoldenTree: loaded once on first use (concurrent first uses included, a
// failed load retried), cloned per use, and compared with golden_differences.
#include "memfs/golden_tree.hpp"

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "memfs/test_session.hpp"

namespace memfs {
namespace {

TEST(GoldenTree, LoadsOnceOnFirstUseEvenFromSeveralThreads) {
  std::atomic<int> builds{0};
  const GoldenTree golden =
      GoldenTree::from_function("seed", [&](MemoryFileSystem& fs) {
        ++builds;
        fs.write_file("/a.txt", "a");
      });
  EXPECT_FALSE(golden.loaded());
  EXPECT_EQ(builds.load(), 0);
  std::vector<std::thread> threads;
  std::atomic<int> seen{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      auto fs = golden.clone();
      if (fs->read_file("/a.txt") == "a") ++seen;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(builds.load(), 1);
  EXPECT_EQ(seen.load(), 4);
  EXPECT_TRUE(golden.loaded());
  EXPECT_EQ(golden.name(), "seed");
  EXPECT_EQ(golden.source(), "function");
}

TEST(GoldenTree, AFailedLoadThrowsAndIsRetried) {
  int calls = 0;
  const GoldenTree golden =
      GoldenTree::from_function("flaky", [&](MemoryFileSystem& fs) {
        if (++calls == 1) throw std::runtime_error("not yet");
        fs.write_file("/ok", "");
      });
  EXPECT_THROW((void)golden.clone(), std::runtime_error);
  EXPECT_FALSE(golden.loaded());
  EXPECT_TRUE(golden.clone()->exists("/ok"));
}

TEST(GoldenTree, AMissingFolderIsAFilesystemErrorNamingIt) {
  const GoldenTree golden =
      GoldenTree::from_disk("nowhere", "/nonexistent/memfs-golden");
  EXPECT_THAT(golden.source(),
              ::testing::HasSubstr("/nonexistent/memfs-golden"));
  EXPECT_THROW((void)golden.tree(), filesystem_error);
}

TEST(GoldenTree, DifferencesNameWhatWasAddedRemovedAndChanged) {
  const GoldenTree golden =
      GoldenTree::from_function("shop", [](MemoryFileSystem& fs) {
        fs.create_directories("/empty");
        fs.create_directories("/db");
        fs.write_file("/db/a", "1");
        fs.write_file("/db/b", "2");
      });
  auto fs = golden.clone();
  EXPECT_TRUE(golden_differences(golden, *fs).empty());
  fs->write_file("/db/a", "changed");
  fs->remove("/db/b");
  fs->remove("/empty");
  fs->write_file("/new", "");
  const auto diffs = golden_differences(golden, *fs);
  std::vector<std::string> seen;
  for (const auto& d : diffs) seen.push_back(d.path);
  EXPECT_THAT(seen, ::testing::ElementsAre("/db/a", "/db/b", "/empty", "/new"));
  EXPECT_EQ(golden.clone()->read_file("/db/a"), "1");
}

TEST(GoldenTree, ASessionStartsFromItAndRefusesItOnceInUse) {
  const GoldenTree golden = GoldenTree::from_function(
      "seed", [](MemoryFileSystem& fs) { fs.write_file("/seed", "s"); });
  TestSession session(TestIdentity{"S.T", "googletest", {}, {}, 0, {}, {}});
  session.set_golden(golden);
  ASSERT_NE(session.golden(), nullptr);
  EXPECT_EQ(session.fs().read_file("/seed"), "s");
  EXPECT_THROW(session.set_golden(golden), std::logic_error);
  (void)session.finish(false);
}

}  // namespace
}  // namespace memfs
