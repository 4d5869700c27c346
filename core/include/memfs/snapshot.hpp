// memfs/snapshot.hpp — export a FileSystem to a host folder, import one back,
// and draw a tree picture.
//
// When a test fails, the adapters call export_to_disk() so a person can open
// the state the test left behind:
//
// ```cpp
// memfs::MemoryFileSystem fs;
// fs.create_directories("/cache");
// fs.write_file("/cache/a", "1");
// memfs::ExportOptions opts;
// opts.name = "CacheTest.EvictsOldest";
// opts.sections.emplace_back("test", "CacheTest.EvictsOldest");
// opts.sections.emplace_back("seed", std::uint64_t{1234});
// const auto dir = std::filesystem::temp_directory_path() / "memfs-snapshots";
// memfs::ExportReport r = memfs::export_to_disk(fs, dir, opts);
// std::cerr << "snapshot: " << r.folder << "\n" << memfs::render_tree(fs);
// EXPECT_TRUE(std::filesystem::exists(r.folder / "tree" / "cache" / "a"));
// std::filesystem::remove_all(r.folder);
// ```
//
// A snapshot is one folder, `<host_dir>/<name>`:
//
//     tree/            every file and every directory (empty ones included)
//     manifest.json    what the tree cannot say (see below)
//     index.html       the same for a person: open it in any browser (below)
//
// manifest.json is an object with, in this order: "format"
// ("memfs-snapshot"), "version" (1), "name", "exported_at", "prefix", the
// caller's "sections", "stats", "open_handles", "lock_holders", "entries"
// (every path: type, size, created, modified, generation), "escaped_names"
// (path, host: where it went, name: the exact memfs name percent-encoded)
// and "skipped" (path, error, code). Times are ISO-8601 UTC with nanoseconds
// ("2024-05-01T12:00:00.123456789Z"). A path that is not valid UTF-8 is
// written lossily (see json.hpp) and followed by an exact "<key>_bytes"
// percent-encoded copy. The sections are JsonValues rather than pre-rendered
// text, so a caller cannot make the manifest invalid JSON.
//
// The page. index.html is self-contained: its style and script are inline,
// and its Content-Security-Policy forbids every network access, so it works
// from a downloaded CI artifact (file://) with no connection. It embeds the
// manifest and the file contents (up to ExportOptions::page_file_bytes per
// file and page_total_bytes in all; the page says what it cut), and shows
// the test (the "test" section: name, parameter, file:line, the re-run
// command with a copy button), the "failures", the tree (folders rendered
// when opened, sizes, names as the test saw them: bytes that are not UTF-8
// or control characters as \xNN, escaped names with the host name they got),
// a file's contents when clicked (text with line numbers, hex for binary,
// png/jpg/gif/svg inline), the "tree_diffs" (TreeEquals mismatches, expected
// and actual side by side), the "faults" (seed, rules, the log as a
// timeline: "timeline" entries, else the "log" strings) and the
// "real_disk_accesses" section (an array of {"op", "path", "result",
// "thread", "count"}, each optional but "path"; the test adapters write it
// from memfs::intercept's recording, see memfs/real_disk.hpp). Sections are
// read by these names from ExportOptions::sections; missing ones are shown as
// empty. index.html#file=/a/b.txt opens a file, index.html#open=all every
// folder.
//
// Guarantees of export_to_disk():
//   - never overwrites: the folder gets the sanitized name, or the name plus
//     a random "-xxxx" suffix when that exists (boost::filesystem::unique_path
//     + create_directory, so parallel processes, shards and repeats never
//     collide);
//   - atomic: everything is written into a hidden temporary folder next to
//     the destination and renamed into place; on failure it is removed and
//     nothing is left behind;
//   - contained: nothing is written outside that folder, whatever the names in
//     the tree. Files are created relative to directory descriptors with
//     O_NOFOLLOW | O_EXCL, so neither names nor symlinks can lead elsewhere;
//   - portable: a name that cannot exist on every common host (see "Escaped
//     names" below) is escaped reversibly and listed in "escaped_names";
//   - non-blocking: it reads through the backend's lock-free read path (file
//     locks are advisory and never waited on) and bypasses the fault hook (a
//     snapshot shows the real state, and its reads do not appear in the fault
//     log). A file that cannot be read is listed in "skipped" and in
//     ExportReport::skipped, and the export goes on;
//   - modified times are replayed on the exported files and directories
//     (nanosecond precision, utimensat).
//
// Escaped names. A component is escaped when Boost.Filesystem's
// windows_name() rejects it (control characters, `"` `:` `<` `>` `\` `|`, a
// leading space, a trailing space or dot), when it contains `*`, `?`, DEL or
// bytes that are not valid UTF-8, when it is a Windows device name (CON, PRN,
// AUX, NUL, COM0-9, LPT0-9, with or without an extension, any case), or when
// it contains `%` (the escape marker itself, so decoding is unambiguous).
// Escaping writes each offending byte as `%XX` (uppercase hex); a device name
// gets its first byte escaped ("CON" -> "%43ON"). A component that would
// still be longer than 255 bytes becomes its first bytes plus "%~" and a hash
// of the full name, and only the manifest can map it back. Names like "a..b"
// are valid everywhere and are kept ("..." loses its trailing dot on Windows,
// so it becomes "..%2E"). import_from_disk() reverses all of this.
// Not handled: names that differ only in case (two files on a case-insensitive
// host) and Unicode normalization (macOS).
//
// Thread-safety: the functions may run while other threads use the
// FileSystem; each file is read atomically, the tree as a whole is weakly
// consistent (as FileSystem::walk()).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "memfs/file_system.hpp"
#include "memfs/json.hpp"

namespace memfs {

/// Options of export_to_disk().
struct ExportOptions {
  /// Base of the snapshot folder's name, usually the test id. Sanitized with
  /// sanitize_snapshot_name().
  std::string name = "snapshot";
  /// The subtree to export ("/" = everything). Must name a directory.
  std::string prefix = "/";
  /// Free-form manifest sections, written in this order under "sections":
  /// the adapters put the test id, failure messages, fault log and seed here.
  /// A repeated key keeps its last value.
  std::vector<std::pair<std::string, JsonValue>> sections;
  /// Replay each entry's modified time on the exported copy.
  bool preserve_times = true;
  /// Write index.html (see "The page" above).
  bool page = true;
  /// Bytes of one file's contents the page embeds; the rest is cut (the
  /// page says so; tree/ has the whole file).
  std::uint64_t page_file_bytes = 256 * 1024;
  /// Bytes of contents the page embeds in all; files past it are left out
  /// of the page (not of tree/), which says so.
  std::uint64_t page_total_bytes = 8 * 1024 * 1024;
};

/// A component name that export_to_disk() had to escape.
struct EscapedName {
  /// The memfs path (absolute) whose last component was escaped.
  std::string path;
  /// Where it went, relative to the snapshot folder ("tree/a%3Ab").
  std::string host;
};

/// Something export_to_disk() could not copy, and why.
struct SkippedPath {
  std::string path;
  std::error_code error;
};

/// What export_to_disk() did.
struct ExportReport {
  /// Absolute host path of the snapshot folder.
  std::filesystem::path folder;
  /// Regular files written.
  std::uint64_t files = 0;
  /// Directories written, the exported prefix included.
  std::uint64_t directories = 0;
  /// Bytes of file content written.
  std::uint64_t bytes = 0;
  /// Names that were escaped (also in the manifest).
  std::vector<EscapedName> escaped;
  /// Paths that could not be read (also in the manifest).
  std::vector<SkippedPath> skipped;
};

/// Writes a snapshot of `fs` (the subtree options.prefix) into a new folder
/// under `host_dir`, which is created if missing. See the top of this file.
/// Errors: those of the host (host_dir not creatable, disk full, ...) and
/// no_such_file_or_directory / not_a_directory for a prefix that is not a
/// directory; on error no snapshot folder exists. Throws
/// memfs::filesystem_error (operation "export_to_disk").
///
/// `fs` is const because export changes nothing; it reads through the
/// backend's primitives, which are not const-qualified, so the implementation
/// casts constness away (a FileSystem is never a const object: it is
/// non-copyable and its state lives behind its own synchronization).
ExportReport export_to_disk(const FileSystem& fs,
                            const std::filesystem::path& host_dir,
                            const ExportOptions& options = {});
ExportReport export_to_disk(const FileSystem& fs,
                            const std::filesystem::path& host_dir,
                            const ExportOptions& options,
                            std::error_code& ec) noexcept;

/// What import_from_disk() did.
struct ImportReport {
  /// Regular files imported.
  std::uint64_t files = 0;
  /// Bytes imported.
  std::uint64_t bytes = 0;
  /// Directories imported, the empty ones included (not `dest` itself).
  std::uint64_t directories = 0;
  /// True when `host_dir` was read as a snapshot folder (manifest.json +
  /// tree/) and names were un-escaped.
  bool from_snapshot = false;
};

/// Seeds `fs` under `dest` (a directory path, created if missing) from the
/// host folder `host_dir`: every file with its contents and every directory,
/// empty ones included. If `host_dir` is a snapshot folder (it holds
/// manifest.json and tree/), tree/ is imported and escaped names are
/// restored; otherwise names are taken literally (golden test data).
///
/// All or nothing: files go in through FileSystem::import_tree (atomic,
/// within the quota and node cap), empty directories are created first and
/// removed again if the import fails. Files that already exist are replaced.
/// Folders are read through directory descriptors, so trees deeper than
/// PATH_MAX (which export_to_disk() can write) come back too.
/// Errors: the host's (host_dir missing, unreadable); invalid_argument for a
/// host name memfs cannot hold (one containing `\`) or a manifest that is not
/// valid JSON; operation_not_supported for a symlink or special file in the
/// host folder; the filesystem's (quota, node limit, a file in the way).
/// Throws memfs::filesystem_error (operation "import_from_disk").
///
/// ```cpp
/// memfs::MemoryFileSystem fs;
/// memfs::import_from_disk(fs, MEMFS_TEST_DATA_DIR "/golden", "/in");
/// EXPECT_EQ(fs.read_file("/in/config/app.ini"), "port=8080\n");
/// ```
ImportReport import_from_disk(FileSystem& fs,
                              const std::filesystem::path& host_dir,
                              std::string_view dest = "/");
ImportReport import_from_disk(FileSystem& fs,
                              const std::filesystem::path& host_dir,
                              std::string_view dest,
                              std::error_code& ec) noexcept;

/// Options of render_tree().
///
/// ```cpp
/// memfs::MemoryFileSystem fs;
/// for (int i = 1000; i < 1202; ++i) fs.write_file("/f" + std::to_string(i), "");
/// const std::string picture = memfs::render_tree(fs);  // max_lines 200
/// EXPECT_NE(picture.find("\n... and 2 more entries\n"), std::string::npos);
/// ```
struct RenderOptions {
  /// Lines after which the picture stops with "... and N more entries"
  /// (0 = no limit). The first line (the prefix) is not counted.
  std::size_t max_lines = 200;
  /// Show file sizes ("(4.0 KiB)").
  bool sizes = true;
};

/// A `tree`-like picture of `prefix` for failure output: one entry per line,
/// directories (with a trailing `/`) and files sorted bytewise, files with
/// human-readable sizes. Control characters and invalid UTF-8 in names are
/// shown as \x and two lowercase hex digits ("new\x0aline"). Never throws
/// on a missing or unreadable path: the picture then says so. Bypasses the
/// fault hook, like export_to_disk().
///
/// ```cpp
/// memfs::MemoryFileSystem fs;
/// fs.create_directories("/data/empty");
/// fs.write_file("/data/a.bin", std::string(4096, 'a'));
/// fs.write_file("/readme.txt", "hello world\n");
/// EXPECT_EQ(memfs::render_tree(fs), "/\n"
///                                   "├── data/\n"
///                                   "│   ├── a.bin  (4.0 KiB)\n"
///                                   "│   └── empty/\n"
///                                   "└── readme.txt  (12 B)\n");
/// ```
[[nodiscard]] std::string render_tree(const FileSystem& fs,
                                      std::string_view prefix = "/",
                                      const RenderOptions& options = {});

/// A byte count as people read it: "0 B", "512 B", "4.0 KiB", "1.5 MiB",
/// "2.0 GiB" (binary units, one decimal from KiB on).
[[nodiscard]] std::string human_size(std::uint64_t bytes);

/// The folder-name form of `name` (e.g. a test id): bytes outside
/// [A-Za-z0-9._-] become '_', the result is cut to 80 bytes, its leading '.'
/// or '-' and its trailing '.' become '_', and if anything changed a '-' and
/// 8 hex digits of a hash of the original are appended, so distinct ids stay
/// distinct. An empty name gives "snapshot".
///
/// ```cpp
/// EXPECT_EQ(memfs::sanitize_snapshot_name("Suite.Case"), "Suite.Case");
/// EXPECT_EQ(memfs::sanitize_snapshot_name("Suite/Param.Case/0"),
///           "Suite_Param.Case_0-067041a6");
/// EXPECT_EQ(memfs::sanitize_snapshot_name("Case."), "Case_-751dde2d");
/// ```
[[nodiscard]] std::string sanitize_snapshot_name(std::string_view name);

}  // namespace memfs
