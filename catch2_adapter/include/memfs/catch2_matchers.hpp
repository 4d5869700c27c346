// memfs/catch2_matchers.hpp — Catch2 matchers for a memfs::FileSystem.
//
// ```cpp
// using namespace memfs::catch2;
// fs().import_tree({{"/etc/app.ini", "[core]\nlevel=2\n"},
//                   {"/logs/app.log", "started\ndone\n"},
//                   {"/out/a.txt", "1"}});
// fs().create_directories("/tmp");
// REQUIRE_THAT(fs(), HasFile("/logs/app.log"));
// REQUIRE_THAT(fs(), HasDirectory("/logs"));
// REQUIRE_THAT(fs(), FileContents("/etc/app.ini", "[core]\nlevel=2\n"));
// REQUIRE_THAT(fs(), FileContents("/logs/app.log",
//                                 Catch::Matchers::EndsWith("done\n")));
// REQUIRE_THAT(fs(), TreeEquals({{"/etc/app.ini", "[core]\nlevel=2\n"},
//                                {"/logs/app.log", "started\ndone\n"},
//                                {"/out/a.txt", "1"},
//                                {"/tmp/", ""}}));  // '/' = a directory
// REQUIRE_THAT(fs(), TreeEquals("/out", {{"/out/a.txt", "1"}}));
// ```
//
// Any FileSystem works as the argument (memory, disk, your own). The
// matchers read through FileSystem::export_tree(), which bypasses the fault
// hook and never waits on file locks: checking the state injects no fault,
// adds nothing to the fault log, and works while a lock is held.
//
// A mismatch explains itself, in the same words as the GoogleTest adapter's
// matchers (both use memfs/tree_diff.hpp):
//
//     REQUIRE_THAT( fs(), TreeEquals("/out", expected) )
//     with expansion:
//       {memfs: 2 files, 2 directories, 23 B} equals the tree under "/out" (2
//       entries) — 3 differences:
//         different contents of /out/a.txt (11 B, expected 11 B):
//           first difference at byte 4
//           actual:   "hellx world"
//           expected: "hello world"
//         missing file /out/b.txt (expected 3 B)
//         unexpected file /out/tmp~ (12 B)
//
// HasFile and FileContents on a missing path draw the nearest existing
// directory. TreeEquals follows memfs::diff_tree(): keys are normalized
// ("out//a" is "/out/a"), a key ending in '/' names a directory, parents of
// expected entries are implied, and any other file or empty directory under
// the prefix is unexpected.
//
// The matchers derive from Catch::MatcherBase (v2) or
// Catch::Matchers::MatcherBase (v3) through detail::MatcherBase, so they
// combine with &&, || and ! like Catch2's own.
#pragma once

#if __has_include(<catch2/catch_version_macros.hpp>)
#include <catch2/catch_tostring.hpp>
#include <catch2/catch_version_macros.hpp>
#include <catch2/matchers/catch_matchers.hpp>
#elif __has_include(<catch2/catch.hpp>)
#include <catch2/catch.hpp>
#else
#error \
    "memfs::catch2 needs Catch2 v3 (<catch2/catch_version_macros.hpp>) or v2.13 (<catch2/catch.hpp>)"
#endif

#include <map>
#include <string>
#include <type_traits>
#include <utility>

#include "memfs/file_system.hpp"
#include "memfs/tree_diff.hpp"

namespace memfs::catch2 {
namespace detail {

#if CATCH_VERSION_MAJOR >= 3
/// Catch2's matcher base for T.
template <typename T>
using MatcherBase = Catch::Matchers::MatcherBase<T>;
#else
template <typename T>
using MatcherBase = Catch::MatcherBase<T>;
#endif

/// The text of a file, or why there is none (shared by the matchers).
struct FileRead {
  bool found = false;
  std::string contents;
  /// "is a directory", or "does not exist; the tree around it:" and a
  /// picture of the nearest existing directory.
  std::string problem;
};
/// Reads `path` with memfs::peek_type (no hook, no lock waits).
[[nodiscard]] FileRead read_for_match(const FileSystem& fs,
                                      const std::string& path);

/// What HasFileMatcher and HasDirectoryMatcher share: the path, and what
/// match() found wrong, shown by describe().
class PathMatcher : public MatcherBase<FileSystem> {
 public:
  explicit PathMatcher(std::string path) : path_(std::move(path)) {}

 protected:
  std::string path_;
  mutable std::string problem_;  // set by match(), shown by describe()
};

}  // namespace detail

/// Matches a FileSystem holding a regular file at `path`.
class HasFileMatcher final : public detail::PathMatcher {
 public:
  using PathMatcher::PathMatcher;
  bool match(const FileSystem& fs) const override;
  std::string describe() const override;
};

/// Matches a FileSystem holding a directory at `path`.
class HasDirectoryMatcher final : public detail::PathMatcher {
 public:
  using PathMatcher::PathMatcher;
  bool match(const FileSystem& fs) const override;
  std::string describe() const override;
};

/// Matches a FileSystem whose file `path` holds exactly `expected`.
class FileContentsMatcher final : public detail::MatcherBase<FileSystem> {
 public:
  FileContentsMatcher(std::string path, std::string expected)
      : path_(std::move(path)), expected_(std::move(expected)) {}
  bool match(const FileSystem& fs) const override;
  std::string describe() const override;

 private:
  std::string path_;
  std::string expected_;
  mutable std::string problem_;
};

/// Matches a FileSystem whose file `path` has contents that `Inner` (a
/// Catch2 std::string matcher: Equals, ContainsSubstring / Contains,
/// StartsWith, Matches, ...) accepts. Holds a copy of the inner matcher.
template <typename Inner>
class FileContentsThatMatcher final : public detail::MatcherBase<FileSystem> {
 public:
  FileContentsThatMatcher(std::string path, Inner inner)
      : path_(std::move(path)), inner_(std::move(inner)) {}

  bool match(const FileSystem& fs) const override {
    this->m_cachedToString.clear();  // a reused matcher shows a new finding
    detail::FileRead read = detail::read_for_match(fs, path_);
    if (!read.found) {
      problem_ = path_ + " " + read.problem;
      return false;
    }
    if (inner_.match(read.contents)) return true;
    problem_ = "its contents are " + memfs::quote_excerpt(read.contents, 200);
    return false;
  }
  std::string describe() const override {
    std::string text =
        "has file \"" + path_ + "\" whose contents " + inner_.toString();
    if (!problem_.empty()) text += " — " + problem_;
    return text;
  }

 private:
  std::string path_;
  Inner inner_;
  mutable std::string problem_;
};

/// Matches a FileSystem whose tree under `prefix` is exactly `expected`
/// (see memfs::diff_tree and the top of this file).
class TreeEqualsMatcher final : public detail::MatcherBase<FileSystem> {
 public:
  TreeEqualsMatcher(std::string prefix,
                    std::map<std::string, std::string> expected)
      : prefix_(std::move(prefix)), expected_(std::move(expected)) {}
  bool match(const FileSystem& fs) const override;
  std::string describe() const override;

 private:
  std::string prefix_;
  std::map<std::string, std::string> expected_;
  mutable std::string problem_;  // the differences, set by match()
};

/// The file `path` exists and is a regular file.
[[nodiscard]] inline HasFileMatcher HasFile(std::string path) {
  return HasFileMatcher(std::move(path));
}

/// The directory `path` exists.
[[nodiscard]] inline HasDirectoryMatcher HasDirectory(std::string path) {
  return HasDirectoryMatcher(std::move(path));
}

/// The file `path` holds exactly `expected` (bytes, no newline magic).
[[nodiscard]] inline FileContentsMatcher FileContents(std::string path,
                                                      std::string expected) {
  return FileContentsMatcher(std::move(path), std::move(expected));
}
[[nodiscard]] inline FileContentsMatcher FileContents(std::string path,
                                                      const char* expected) {
  return FileContentsMatcher(std::move(path), std::string(expected));
}

/// The contents of `path` satisfy a Catch2 string matcher.
///
/// ```cpp
/// auto& fs = memfs::catch2::fs();
/// fs.write_file("/log", "# started\n");
/// REQUIRE_THAT(fs, memfs::catch2::FileContents(
///                      "/log", Catch::Matchers::StartsWith("#")));
/// ```
template <typename Inner,
          typename = std::enable_if_t<std::is_base_of_v<
              detail::MatcherBase<std::string>, std::decay_t<Inner>>>>
[[nodiscard]] FileContentsThatMatcher<std::decay_t<Inner>> FileContents(
    std::string path, Inner&& inner) {
  return FileContentsThatMatcher<std::decay_t<Inner>>(
      std::move(path), std::forward<Inner>(inner));
}

/// The whole tree is exactly `expected` (path -> contents; a key ending in
/// '/' is a directory).
///
/// ```cpp
/// auto& fs = memfs::catch2::fs();
/// fs.import_tree({{"/out/a.txt", "1"}});
/// fs.create_directories("/tmp");
/// REQUIRE_THAT(fs, memfs::catch2::TreeEquals({{"/out/a.txt", "1"},
///                                             {"/tmp/", ""}}));
/// ```
[[nodiscard]] inline TreeEqualsMatcher TreeEquals(
    std::map<std::string, std::string> expected) {
  return TreeEqualsMatcher("/", std::move(expected));
}

/// The tree under `prefix` is exactly `expected` (keys are absolute paths).
///
/// ```cpp
/// auto& fs = memfs::catch2::fs();
/// fs.import_tree({{"/out/a.txt", "1"}, {"/elsewhere.txt", ""}});
/// REQUIRE_THAT(fs, memfs::catch2::TreeEquals("/out", {{"/out/a.txt", "1"}}));
/// ```
[[nodiscard]] inline TreeEqualsMatcher TreeEquals(
    std::string prefix, std::map<std::string, std::string> expected) {
  return TreeEqualsMatcher(std::move(prefix), std::move(expected));
}

namespace detail {
/// "{memfs: 3 files, 2 directories, 41 B}": how a FileSystem shows in an
/// assertion's expansion.
[[nodiscard]] std::string describe_file_system(const FileSystem& fs);
}  // namespace detail

}  // namespace memfs::catch2

namespace Catch {
/// Shows any memfs::FileSystem (MemoryFileSystem, DiskFileSystem, ...) in
/// assertion expansions by its size instead of "{?}".
template <typename T>
struct StringMaker<T,
                   std::enable_if_t<std::is_base_of_v<memfs::FileSystem, T>>> {
  static std::string convert(const T& fs) {
    return memfs::catch2::detail::describe_file_system(fs);
  }
};
}  // namespace Catch
