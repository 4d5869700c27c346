// memfs/gtest_matchers.hpp — gMock matchers and assertions for filesystems.
// Included by memfs/gtest.hpp; usable on its own with any FileSystem.
//
// ```cpp
// memfs::MemoryFileSystem fs;  // or, in a memfs::gtest::Test, fs()
// fs.create_directories("/logs");
// fs.create_directories("/tmp");
// fs.write_file("/logs/app.log", "started\n");
//
// using namespace memfs::gtest;
// EXPECT_THAT(fs, HasFile("/logs/app.log"));
// EXPECT_THAT(fs, HasDirectory("/logs"));
// EXPECT_THAT(fs, FileContents("/logs/app.log", "started\n"));
// EXPECT_THAT(fs, FileContents("/logs/app.log", ::testing::HasSubstr("start")));
// EXPECT_THAT(fs, TreeEquals({{"/logs/app.log", "started\n"},
//                             {"/tmp/", ""}}));      // '/' = a directory
// std::error_code ec;
// fs.write_file("/a", "x", ec);
// EXPECT_MEMFS_OK(ec);
// ```
//
// A mismatch explains itself (memfs/tree_diff.hpp does the wording):
//
//     Value of: fs()
//     Expected: has exactly 2 entries:
//       /config.ini (10 B)
//       /logs/app.log (8 B)
//       Actual: a filesystem with 3 files, 3 directories (21 B used):
//         /
//         ├── config.ini  (10 B)
//         ... (the tree) ...
//      (of type memfs::MemoryFileSystem), which has 2 differences:
//       different contents of /config.ini (10 B, expected 10 B):
//         first difference at byte 5
//         actual:   "port=8080\n"
//         expected: "port=9090\n"
//       unexpected file /logs/app.log.1 (3 B)
//
// The matchers read through FileSystem::export_tree(): they never wait on
// file locks and never trip, or appear in the log of, fault injection.
// Printing a FileSystem in a failure message shows its tree (PrintTo below).
#pragma once

#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "memfs/file_system.hpp"
#include "memfs/memory_file_system.hpp"

namespace memfs::gtest {

/// Matches a FileSystem holding a regular file at `path`.
[[nodiscard]] ::testing::Matcher<const FileSystem&> HasFile(std::string path);

/// Matches a FileSystem holding a directory at `path`.
[[nodiscard]] ::testing::Matcher<const FileSystem&> HasDirectory(
    std::string path);

/// Matches a FileSystem whose file at `path` holds exactly `expected`; a
/// mismatch names the first differing byte with an excerpt of both sides.
[[nodiscard]] ::testing::Matcher<const FileSystem&> FileContents(
    std::string path, std::string expected);

namespace detail {
[[nodiscard]] ::testing::Matcher<const FileSystem&> file_contents_matching(
    std::string path, ::testing::Matcher<const std::string&> contents);
}  // namespace detail

/// Matches a FileSystem whose file at `path` has contents matching
/// `matcher` (any gMock string matcher: HasSubstr, StartsWith, SizeIs...).
template <class M,
          std::enable_if_t<!std::is_convertible_v<const M&, std::string_view>,
                           int> = 0>
[[nodiscard]] ::testing::Matcher<const FileSystem&> FileContents(
    std::string path, const M& matcher) {
  return detail::file_contents_matching(
      std::move(path), ::testing::SafeMatcherCast<const std::string&>(matcher));
}

/// Matches a FileSystem whose tree is exactly `expected` (path -> contents;
/// a key ending in '/' is a directory), as memfs::diff_tree() decides:
/// every expected entry there with the same contents, nothing else (no
/// other file, no other empty directory). The explanation lists what is
/// missing, unexpected and different.
[[nodiscard]] ::testing::Matcher<const FileSystem&> TreeEquals(
    std::map<std::string, std::string> expected);
/// As above, for the subtree under `prefix` only (keys are still absolute).
[[nodiscard]] ::testing::Matcher<const FileSystem&> TreeEquals(
    std::string prefix, std::map<std::string, std::string> expected);

namespace detail {
/// EXPECT_MEMFS_OK's predicate: success for an empty error_code, else a
/// failure naming the expression, the code's category and value, and its
/// message.
[[nodiscard]] ::testing::AssertionResult memfs_ok(const char* expression,
                                                  const std::error_code& ec);
}  // namespace detail

}  // namespace memfs::gtest

namespace memfs {

/// How gtest prints a FileSystem ("Actual: ..."): its counts and usage,
/// then its tree picture (render_tree, at most 40 lines) ending with a
/// newline, so that what gMock appends (" (of type ...)", the explanation)
/// starts a line of its own instead of extending the last file's. Found by
/// ADL.
void PrintTo(const FileSystem& fs, std::ostream* os);
/// The same for the concrete class, which gtest's generic printer would
/// otherwise win for (an exact template match beats a base conversion).
void PrintTo(const MemoryFileSystem& fs, std::ostream* os);

}  // namespace memfs

/// Expects an empty std::error_code; a failure prints the expression, the
/// code's category and value, and its message:
///
///     Expected: ec is success (no error)
///       Actual: memfs:1, "quota exceeded"
#define EXPECT_MEMFS_OK(ec) \
  EXPECT_PRED_FORMAT1(::memfs::gtest::detail::memfs_ok, ec)
/// As EXPECT_MEMFS_OK, but a fatal failure (returns from the test).
#define ASSERT_MEMFS_OK(ec) \
  ASSERT_PRED_FORMAT1(::memfs::gtest::detail::memfs_ok, ec)
