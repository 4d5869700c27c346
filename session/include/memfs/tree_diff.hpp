// memfs/tree_diff.hpp — compare a filesystem with what a test expected, and
// say how they differ in words a person reads at a glance.
//
// The test-framework matchers (memfs/gtest.hpp's TreeEquals, FileContents,
// HasFile; memfs/catch2.hpp's counterparts) are thin wrappers around these
// functions, so both frameworks explain a mismatch the same way:
//
// ```cpp
// memfs::MemoryFileSystem fs;
// fs.create_directories("/logs");
// fs.write_file("/config.ini", "port=8080\n");
// fs.write_file("/logs/app.log.1", std::string(4096, 'x'));
// auto diffs = memfs::diff_tree(fs, {{"/config.ini", "port=9090\n"},
//                                    {"/logs/app.log", "started\n"},
//                                    {"/cache/", ""}});   // a directory
// if (!diffs.empty()) std::cerr << memfs::describe_tree_diff(diffs);
// EXPECT_EQ(memfs::describe_tree_diff(diffs),
//           "4 differences:\n"
//           "  missing directory /cache/\n"
//           "  different contents of /config.ini (10 B, expected 10 B):\n"
//           "    first difference at byte 5\n"
//           "    actual:   \"port=8080\\n\"\n"
//           "    expected: \"port=9090\\n\"\n"
//           "  missing file /logs/app.log (expected 8 B)\n"
//           "  unexpected file /logs/app.log.1 (4.0 KiB)");
// ```
//
// Every function here reads through FileSystem::export_tree(), so it never
// waits on file locks and is invisible to fault injection (an assertion must
// neither trip a rule nor appear in the fault log).
//
// Thread-safety: as export_tree(): safe to call while other threads use the
// filesystem; the result is then a weakly consistent view.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "memfs/file_system.hpp"

namespace memfs {

/// One way a tree differs from the expected one.
struct TreeDifference {
  enum class Kind {
    missing,     ///< expected, but nothing is there
    unexpected,  ///< there, but not expected
    different,   ///< a file with other contents
    wrong_type,  ///< a file where a directory was expected, or back
  };
  Kind kind = Kind::missing;
  /// Normalized absolute path (no trailing slash).
  std::string path;
  /// missing/unexpected: the entry is a directory. wrong_type: a directory
  /// was expected.
  bool directory = false;
  /// Sizes in bytes (files only).
  std::uint64_t actual_size = 0;
  std::uint64_t expected_size = 0;
  /// different: describe_content_difference() of the two contents.
  std::string detail;

  friend bool operator==(const TreeDifference& a, const TreeDifference& b) {
    return a.kind == b.kind && a.path == b.path && a.directory == b.directory &&
           a.actual_size == b.actual_size &&
           a.expected_size == b.expected_size && a.detail == b.detail;
  }
};

/// Compares the tree under `prefix` with `expected`, a map from path to
/// contents. A key ending in '/' names a directory (its value is ignored);
/// other keys name files. Keys are normalized like any memfs path, so
/// "logs//a.log" means "/logs/a.log". Parent directories of expected entries
/// are implied. An empty directory in the tree that is neither expected nor
/// the parent of an expected entry is unexpected; so is every file not in
/// `expected`. Differences come sorted by path. An invalid key is reported
/// as missing, under its text as given.
///
/// ```cpp
/// memfs::MemoryFileSystem fs;
/// fs.write_file("/a.txt", "x");
/// EXPECT_TRUE(memfs::diff_tree(fs, {{"/a.txt", "x"}}).empty());
/// ```
[[nodiscard]] std::vector<TreeDifference> diff_tree(
    const FileSystem& fs, const std::map<std::string, std::string>& expected,
    std::string_view prefix = "/");

/// The differences as an indented, multi-line text (see the top of this
/// file), path names spelled as render_tree() spells them (control bytes and
/// bytes outside well-formed UTF-8 as \x0a), at most `max_items` of them
/// followed by "... and N more"; "no differences" when the vector is empty.
/// Ends without a newline.
[[nodiscard]] std::string describe_tree_diff(
    const std::vector<TreeDifference>& differences, std::size_t max_items = 50);

/// Where two contents first differ, with a short escaped excerpt of each
/// around that byte ("..." marks cut text), on three lines:
///
/// ```cpp
/// EXPECT_EQ(memfs::describe_content_difference("port=8080\n", "port=9090\n"),
///           "first difference at byte 5\n"
///           "actual:   \"port=8080\\n\"\n"
///           "expected: \"port=9090\\n\"");
/// ```
///
/// When one is a prefix of the other the first line says which one ends
/// there. Empty when they are equal.
[[nodiscard]] std::string describe_content_difference(
    std::string_view actual, std::string_view expected);

/// `text` with `prefix` put before each of its lines ("a\nb", "  " ->
/// "  a\n  b"); for nesting these texts in a matcher's explanation.
[[nodiscard]] std::string indent_lines(std::string_view text,
                                       std::string_view prefix);

/// `text` as a quoted C-style literal, cut after `max_bytes` bytes with
/// "..." (printable ASCII as is; \n \t \r \" \\ escaped; other bytes as
/// \x and two lowercase hex digits, the spelling of render_tree() and of the
/// path names in describe_tree_diff()).
[[nodiscard]] std::string quote_excerpt(std::string_view text,
                                        std::size_t max_bytes = 64);

/// Records a failed comparison for the snapshot page: when a live
/// TestSession owns `fs` (its fs()), the differences, with the expected and
/// actual contents of the files concerned (each cut to
/// TestSession::kMaxRecordedContents bytes), go into its manifest section
/// "tree_diffs" as {"prefix", "differences": [{"kind", "path", "directory",
/// "actual_size", "expected_size", "detail", "expected", "actual"}]}, and the
/// page shows them side by side. Does nothing for an empty `differences` or a
/// filesystem no session owns. The TreeEquals matchers of both frameworks
/// call it; a custom comparison can too.
void record_tree_mismatch(const FileSystem& fs,
                          const std::map<std::string, std::string>& expected,
                          std::string_view prefix,
                          const std::vector<TreeDifference>& differences);

/// What `path` names, read without the hook and without waiting on locks
/// (for assertions); FileType::not_found for a missing or invalid path.
/// `contents`, when given and `path` is a file, receives its bytes.
[[nodiscard]] FileType peek_type(const FileSystem& fs, std::string_view path,
                                 std::string* contents = nullptr);

}  // namespace memfs
