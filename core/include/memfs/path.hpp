// memfs/path.hpp — path normalization, splitting and glob matching.
//
// memfs paths are plain strings, absolute and POSIX-style ("/data/a.bin").
// Every public operation normalizes its path arguments with normalize_path()
// first, so these rules hold everywhere:
//
//   - `\` is read as `/`              "\\a\\b"     -> "/a/b"
//   - repeated `/` collapse           "/a//b"      -> "/a/b"
//   - `.` components vanish           "/a/./b"     -> "/a/b"
//   - `..` removes the previous one   "/a/b/../c"  -> "/a/c"
//   - relative paths start at `/`     "a/b/c"      -> "/a/b/c",  "" -> "/"
//   - climbing above `/` is rejected  "../x", "/a/../../x"  -> invalid_argument
//   - NUL anywhere is rejected        -> invalid_argument
//   - a trailing `/` is dropped from the text but remembered
//     (NormalizedPath::trailing_slash): "/file/" names a directory or nothing.
//   - names are case-sensitive bytes; nothing else is interpreted.
//
// The functions below that take an already normalized path (parent_path,
// filename, split_path, join_path's base) do not re-validate it.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>

namespace memfs {

/// The result of normalize_path(): the canonical text plus whether the input
/// ended in a separator. `value` is always absolute, never ends in `/` (unless
/// it is the root "/"), and has no `.`/`..`/empty components.
struct NormalizedPath {
  std::string value = "/";
  bool trailing_slash = false;

  /// True for the root directory "/".
  [[nodiscard]] bool is_root() const noexcept { return value.size() == 1; }
  friend bool operator==(const NormalizedPath& a, const NormalizedPath& b) {
    return a.value == b.value && a.trailing_slash == b.trailing_slash;
  }
  friend bool operator!=(const NormalizedPath& a, const NormalizedPath& b) {
    return !(a == b);
  }
};

/// Normalizes `path` by the rules at the top of this file.
/// Errors: std::errc::invalid_argument for a NUL byte or a path that climbs
/// above the root. On error the returned value is the root and must not be used.
///
/// ```cpp
/// std::error_code ec;
/// auto p = memfs::normalize_path("data//x/../y.txt", ec);
/// EXPECT_EQ(p.value, "/data/y.txt");
/// ```
[[nodiscard]] NormalizedPath normalize_path(std::string_view path,
                                            std::error_code& ec) noexcept;

/// Throwing form: throws memfs::filesystem_error (operation "normalize_path").
[[nodiscard]] NormalizedPath normalize_path(std::string_view path);

/// The parent of a normalized path: "/a/b" -> "/a", "/a" -> "/", "/" -> "/".
[[nodiscard]] std::string_view parent_path(
    std::string_view normalized) noexcept;

/// The last component of a normalized path: "/a/b.txt" -> "b.txt", "/" -> "".
[[nodiscard]] std::string_view filename(std::string_view normalized) noexcept;

/// Joins a normalized directory and a relative name or path, then normalizes:
/// join_path("/a", "b/c") -> "/a/b/c", join_path("/", "x") -> "/x".
/// A `rel` that starts with `/` is still taken relative to `base`.
/// Errors as normalize_path (e.g. `rel` climbing above the root).
[[nodiscard]] std::string join_path(std::string_view base, std::string_view rel,
                                    std::error_code& ec) noexcept;
/// Throwing form of join_path.
[[nodiscard]] std::string join_path(std::string_view base,
                                    std::string_view rel);

/// The components of a normalized path: "/a/b" -> {"a", "b"}, "/" -> {}.
/// The views point into `normalized`.
[[nodiscard]] std::vector<std::string_view> split_path(
    std::string_view normalized);

/// True when `descendant` is `ancestor` or lies below it (both normalized):
/// is_within("/a", "/a/b") and is_within("/a", "/a") are true,
/// is_within("/a", "/ab") is false. Everything is within "/".
[[nodiscard]] bool is_within(std::string_view ancestor,
                             std::string_view descendant) noexcept;

/// Glob matching of a whole normalized path against a pattern, component by
/// component:
///   `*`       any run of characters inside one component (never `/`)
///   `?`       one character (never `/`)
///   `[seq]`   one character from seq (ranges `a-z` allowed); `[!seq]` negates
///   `**`      as a whole component: zero or more directories
///             (inside a component it behaves like `*`)
/// A leading `*` matches names that start with a dot too (no hidden files).
/// The pattern is read with `\` as `/` and made absolute, but `.`/`..` in it
/// are literal. Matching is case-sensitive.
///
/// ```cpp
/// EXPECT_TRUE(memfs::glob_match("/logs/**/*.log", "/logs/2024/01/a.log"));
/// EXPECT_FALSE(memfs::glob_match("/logs/*.log", "/logs/2024/a.log"));
/// ```
[[nodiscard]] bool glob_match(std::string_view pattern,
                              std::string_view normalized_path);

/// True when `pattern` contains a glob metacharacter (`*`, `?` or `[`).
[[nodiscard]] bool has_glob_magic(std::string_view pattern) noexcept;

namespace detail {

/// Enables an overload for std::filesystem::path arguments only, as
/// libstdc++'s file streams do, so that string literals, const char*,
/// std::string and std::string_view keep choosing the std::string_view
/// overload without ambiguity (each converts to both).
template <class Path>
using if_std_path =
    std::enable_if_t<std::is_same_v<Path, std::filesystem::path>, int>;

}  // namespace detail

}  // namespace memfs
