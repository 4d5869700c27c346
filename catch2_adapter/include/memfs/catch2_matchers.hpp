// memfs/catch2_matchers.hpp — Catch2 matchers for a memfs::FileSystem.
//
//     using namespace memfs::catch2;
//     REQUIRE_THAT(fs(), HasFile("/logs/app.log"));
//     REQUIRE_THAT(fs(), FileContents("/etc/app.ini", "[core]\nlevel=2\n"));
//     REQUIRE_THAT(fs(), FileContents("/logs/app.log",
//                                     Catch::Matchers::EndsWith("done\n")));
//     REQUIRE_THAT(fs(), TreeEquals({{"/a.txt", "1"}, {"/d/b.txt", "2"}}));
//
// Any FileSystem works as the argument (memory, disk, your own). The
// matchers read through FileSystem::export_tree(), which bypasses the fault
// hook and never waits on file locks: checking the state injects no fault,
// adds nothing to the fault log, and works while a lock is held.
//
// Failure messages say what is actually there. TreeEquals lists every
// missing file, every unexpected one, and for each file with other contents
// the first differing byte, with a little context:
//
//     {memfs: 3 files, 2 directories, 41 B} equals the tree
//       /out (2 files) — it differs:
//         missing:     /out/b.txt (3 B)
//         unexpected:  /out/tmp~ (12 B)
//         different:   /out/a.txt: byte 4 is 'x' (0x78), expected 'o'
//                      (0x6F); actual "hellx wo", expected "hello wo"
//
// Paths are normalized as everywhere in memfs ("a//b" is "/a/b"). Only
// regular files are compared: directories, empty or not, are not part of
// TreeEquals (use FileSystem::is_directory for them).
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
#error "memfs::catch2 needs Catch2 v3 (<catch2/catch_version_macros.hpp>) or v2.13 (<catch2/catch.hpp>)"
#endif

#include <map>
#include <string>
#include <type_traits>
#include <utility>

#include "memfs/file_system.hpp"

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
  /// "does not exist", "is a directory", "is not a valid path: ...";
  /// followed by what the nearest existing directory holds.
  std::string problem;
};
/// Reads `path` through export_tree (no hook, no lock waits).
[[nodiscard]] FileRead read_for_match(const FileSystem& fs,
                                      const std::string& path);
/// `text` quoted for a message, bytes outside printable ASCII as \xNN, cut
/// to `limit` bytes with "...".
[[nodiscard]] std::string quote_excerpt(const std::string& text,
                                        std::size_t limit = 64);
/// The first difference between two byte strings, for a message
/// ("byte 4 is 'x' (0x78), expected 'o' (0x6F); actual ..., expected ...");
/// empty when they are equal.
[[nodiscard]] std::string describe_difference(const std::string& expected,
                                              const std::string& actual);

}  // namespace detail

/// Matches a FileSystem holding a regular file at `path`.
class HasFileMatcher final : public detail::MatcherBase<FileSystem> {
 public:
  explicit HasFileMatcher(std::string path) : path_(std::move(path)) {}
  bool match(const FileSystem& fs) const override;
  std::string describe() const override;

 private:
  std::string path_;
  mutable std::string problem_;  // set by match(), shown by describe()
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
    problem_ = "its contents are " + detail::quote_excerpt(read.contents, 200);
    return false;
  }
  std::string describe() const override {
    std::string text = "has file \"" + path_ + "\" whose contents " +
                       inner_.toString();
    if (!problem_.empty()) text += " — " + problem_;
    return text;
  }

 private:
  std::string path_;
  Inner inner_;
  mutable std::string problem_;
};

/// Matches a FileSystem whose regular files under `prefix` are exactly
/// `expected` (absolute path -> contents); see the top of this file.
class TreeEqualsMatcher final : public detail::MatcherBase<FileSystem> {
 public:
  TreeEqualsMatcher(std::map<std::string, std::string> expected,
                    std::string prefix);
  bool match(const FileSystem& fs) const override;
  std::string describe() const override;

 private:
  std::map<std::string, std::string> expected_;  // keys normalized
  std::string prefix_;
  std::string invalid_;           // a key that did not normalize
  mutable std::string problem_;   // the diff, set by match()
};

/// The file `path` exists and is a regular file.
[[nodiscard]] inline HasFileMatcher HasFile(std::string path) {
  return HasFileMatcher(std::move(path));
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
///     REQUIRE_THAT(fs(), FileContents("/log", Catch::Matchers::StartsWith("#")));
template <typename Inner,
          typename = std::enable_if_t<std::is_base_of_v<
              detail::MatcherBase<std::string>, std::decay_t<Inner>>>>
[[nodiscard]] FileContentsThatMatcher<std::decay_t<Inner>> FileContents(
    std::string path, Inner&& inner) {
  return FileContentsThatMatcher<std::decay_t<Inner>>(
      std::move(path), std::forward<Inner>(inner));
}

/// The regular files under `prefix` (default: the whole tree) are exactly
/// `expected`, keyed by absolute path.
///
///     REQUIRE_THAT(fs(), TreeEquals({{"/out/a.txt", "1"}}, "/out"));
[[nodiscard]] inline TreeEqualsMatcher TreeEquals(
    std::map<std::string, std::string> expected, std::string prefix = "/") {
  return TreeEqualsMatcher(std::move(expected), std::move(prefix));
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
struct StringMaker<T, std::enable_if_t<std::is_base_of_v<memfs::FileSystem, T>>> {
  static std::string convert(const T& fs) {
    return memfs::catch2::detail::describe_file_system(fs);
  }
};
}  // namespace Catch
