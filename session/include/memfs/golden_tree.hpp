// memfs/golden_tree.hpp — seed data declared once per test binary, loaded on
// first use and cloned for each test.
//
// Most suites start every test from the same files (fixtures, golden inputs,
// a pre-built database). A GoldenTree builds that tree once — from a folder
// on disk with import_from_disk(), or with a function — and hands each test
// a MemoryFileSystem::clone() of it, which copies the nodes and shares the
// bytes (a test that writes copies only the 4 KiB blocks it touches):
//
// ```cpp
// // once per binary, at namespace scope: nothing is loaded yet
// const memfs::GoldenTree kShop = memfs::GoldenTree::from_function(
//     "shop", [](memfs::MemoryFileSystem& fs) {
//       fs.create_directories("/db");
//       fs.write_file("/db/items.csv", "id,name\n1,apple\n");
//     });
//
// auto fs = kShop.clone();                 // loads on first use, then clones
// fs->write_file("/db/items.csv", "id,name\n");
// EXPECT_EQ(kShop.clone()->read_file("/db/items.csv"), "id,name\n1,apple\n");
// EXPECT_EQ(memfs::golden_differences(kShop, *fs).size(), 1u);
// ```
//
// The adapters take one per test: memfs::gtest::Test::golden_tree() or
// memfs::gtest::use_golden(), memfs::catch2::Fixture(golden) or
// memfs::catch2::use_golden(), and TestSession::set_golden() underneath. A
// failing test's snapshot then names the golden tree it started from, and
// its manifest lists the paths that differ from it (section "golden").
//
// Thread-safety: every member may be called concurrently; the first use
// loads the tree exactly once (a load that throws is retried by the next
// use). A GoldenTree is a cheap handle: copies share one loaded tree.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "memfs/memory_file_system.hpp"
#include "memfs/tree_diff.hpp"

namespace memfs {

/// A tree built once and cloned for each test. See the top of this file.
class GoldenTree {
 public:
  /// Fills the (empty) golden filesystem.
  using Builder = std::function<void(MemoryFileSystem&)>;

  /// A tree imported from the host folder `folder` (import_from_disk(), so a
  /// snapshot folder works too) on first use, into a filesystem with
  /// `options`. A relative folder is taken from the current directory now.
  ///
  /// ```cpp
  /// const auto kData = memfs::GoldenTree::from_disk(
  ///     "data", MEMFS_TEST_DATA_DIR "/golden");
  /// EXPECT_EQ(kData.clone()->read_file("/items.csv"), "id,name\n1,apple\n");
  /// ```
  [[nodiscard]] static GoldenTree from_disk(std::string name,
                                            std::filesystem::path folder,
                                            MemoryOptions options = {});
  /// A tree built by `build` on first use, in a filesystem with `options`.
  [[nodiscard]] static GoldenTree from_function(std::string name, Builder build,
                                                MemoryOptions options = {});

  /// The name given at declaration (it names the tree in snapshots).
  [[nodiscard]] const std::string& name() const noexcept;
  /// Where the tree comes from: "disk folder <absolute path>" or "function".
  [[nodiscard]] const std::string& source() const noexcept;
  /// True once the tree has been loaded.
  [[nodiscard]] bool loaded() const;

  /// The loaded tree, loading it on the first call. Throws what loading
  /// throws (memfs::filesystem_error from import_from_disk, the builder's
  /// exception), each time until a load succeeds. Tests must not change it:
  /// use clone().
  [[nodiscard]] const MemoryFileSystem& tree() const;
  /// A clone of tree() for one test: the golden tree's contents, metadata
  /// and options (MemoryFileSystem::clone()).
  [[nodiscard]] std::unique_ptr<MemoryFileSystem> clone() const;

 private:
  struct State;
  explicit GoldenTree(std::shared_ptr<State> state);
  friend std::vector<TreeDifference> golden_differences(const GoldenTree&,
                                                        const FileSystem&);
  std::shared_ptr<State> state_;
};

/// How `fs` differs from the golden tree, as diff_tree() words it with the
/// golden tree as the expected one: "missing" means removed since, and
/// "unexpected" means added since. Empty directories count as entries.
[[nodiscard]] std::vector<TreeDifference> golden_differences(
    const GoldenTree& golden, const FileSystem& fs);

}  // namespace memfs
