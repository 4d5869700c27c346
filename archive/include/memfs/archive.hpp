// memfs/archive.hpp — tar and zip archives into and out of a FileSystem.
//
// memfs::archive (CMake target memfs::archive, its own library so the core
// stays free of dependencies) reads and writes archives through libarchive:
//
//     target_link_libraries(my_tests PRIVATE memfs::archive)
//
// ```cpp
// memfs::MemoryFileSystem seed;  // your testdata/site.tar.gz, made here
// seed.write_file("/index.html", "<h1>shop</h1>");
// memfs::export_archive(seed, "/", "site.tar.gz",
//                       memfs::ArchiveFormat::tar_gz);
// auto run_the_code_under_test = [](memfs::FileSystem& f) {
//   f.create_directories("/out");
//   f.write_file("/out/title.txt", f.read_file("/site/index.html"));
// };
//
// memfs::MemoryFileSystem fs;
// memfs::import_archive(fs, "site.tar.gz", "/site");
// run_the_code_under_test(fs);
// memfs::export_archive(fs, "/out", "out.zip", memfs::ArchiveFormat::zip);
// memfs::MemoryFileSystem out;
// memfs::import_archive(out, "out.zip");
// EXPECT_EQ(out.read_file("/title.txt"), "<h1>shop</h1>");
// ```
//
// Import reads tar (ustar, pax, GNU), tar compressed with gzip, bzip2 or xz,
// and zip; the format and compression are detected from the bytes, not from
// the file name. Regular files and directories come in (empty directories
// included); nothing else does.
//
// Hostile archives are refused, with a memfs::filesystem_error whose
// operation() is "import_archive", whose message says why, and whose two paths
// are the archive (or ArchiveImportOptions::name for a stream) and the entry:
//
//     filesystem error: import_archive: entry climbs out of the destination: Invalid argument [evil.tar] [../../etc/passwd]
//
//   entry path absolute or with a `..` component   invalid_argument
//   symbolic link, hard link, device, fifo, socket operation_not_supported
//   the same name twice (files or directories)     file_exists
//   a file entry where another entry needs a       not_a_directory
//     directory ("a" and "a/b")
//   a size in a header that the data does not      invalid_argument
//     match; a damaged or truncated archive
//   more bytes than the filesystem has free        memfs::errc::quota_exceeded
//     (a "zip bomb")                               (quota_exceeded_error)
//
// The quota is checked while the archive is decompressed, before each block
// is kept: an archive that expands past the free space is refused having held
// at most the free space plus one block (64 KiB) — never the whole expansion.
// A header that announces more than the free space is refused before its data
// is read.
//
// Escaped names (the `%XX` names of snapshot folders, see snapshot.hpp) are
// taken literally: an archive written by export_archive() holds memfs names
// unescaped, so it needs none. A snapshot packed whole (tree/ with its escaped
// host names, manifest.json, index.html) goes through
// export_snapshot_archive() and comes back, names restored, through
// import_snapshot_archive().
//
// Thread-safety: the functions may run while other threads use the
// FileSystem. An atomic import's changes appear as one import_tree(); a
// streaming import's appear file by file. Exports see the tree as
// FileSystem::export_tree() does.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <string_view>
#include <system_error>

#include "memfs/file_system.hpp"
#include "memfs/snapshot.hpp"

namespace memfs {

/// How import_archive() commits what it reads.
enum class ArchiveImportMode {
  /// Read the whole archive into memory (bounded by the free bytes of the
  /// filesystem, see the top of this file), check every entry, then commit
  /// through FileSystem::import_tree(): all or nothing. Existing files are
  /// replaced.
  atomic,
  /// For archives larger than memory: each file is written into the
  /// filesystem block by block as it is read, so only one block is held at a
  /// time. Existing files are never replaced (an entry naming one fails with
  /// file_exists). On any failure — a hostile entry, the quota, the node cap,
  /// a damaged archive — every file and directory this import created is
  /// removed again, so the filesystem is left as it was; other threads may
  /// have seen the partial tree in the meantime.
  streaming,
};

/// Options of import_archive().
struct ArchiveImportOptions {
  ArchiveImportMode mode = ArchiveImportMode::atomic;
  /// The archive's name in error messages, for the stream and FILE* forms
  /// (the path form names the file itself).
  std::string name = "<stream>";
};

/// What import_archive() did.
struct ArchiveImportReport {
  /// Regular files written.
  std::uint64_t files = 0;
  /// Directory entries of the archive (not the ones created only as parents
  /// of files, not `dest` itself).
  std::uint64_t directories = 0;
  /// Bytes of file contents written.
  std::uint64_t bytes = 0;
};

/// Unpacks the archive at the host path `archive` into `dest` (a directory
/// of `fs`, created with its parents if missing). See the top of this file
/// for the formats, the refused entries and the quota. Errors: the host's
/// (no_such_file_or_directory for a missing archive), those listed at the
/// top, and the filesystem's (node_limit_exceeded, not_a_directory or
/// is_a_directory when an entry collides with what `fs` holds). On error
/// nothing changed (see ArchiveImportMode for the streaming mode). Throws
/// memfs::filesystem_error, or quota_exceeded_error /
/// node_limit_exceeded_error, with operation "import_archive".
///
/// ```cpp
/// memfs::MemoryFileSystem made;  // your fixtures/tree.tar.gz, made here
/// made.write_file("/readme.txt", "hello");
/// memfs::export_archive(made, "/", "tree.tar.gz",
///                       memfs::ArchiveFormat::tar_gz);
///
/// memfs::MemoryFileSystem fs;
/// auto r = memfs::import_archive(fs, "tree.tar.gz", "/in");
/// EXPECT_EQ(r.files, 1u);
/// EXPECT_EQ(r.bytes, 5u);
/// EXPECT_EQ(fs.read_file("/in/readme.txt"), "hello");
/// ```
ArchiveImportReport import_archive(FileSystem& fs,
                                   const std::filesystem::path& archive,
                                   std::string_view dest = "/",
                                   const ArchiveImportOptions& options = {});
ArchiveImportReport import_archive(FileSystem& fs,
                                   const std::filesystem::path& archive,
                                   std::string_view dest,
                                   const ArchiveImportOptions& options,
                                   std::error_code& ec) noexcept;

/// As above, reading the archive from a stream (read to its end; nothing is
/// seeked, so a pipe or a socket works). A stream that fails while reading
/// gives io_error.
///
/// ```cpp
/// memfs::MemoryFileSystem made;  // your fixtures/tree.zip, made here
/// made.write_file("/readme.txt", "hello");
/// memfs::export_archive(made, "/", "tree.zip", memfs::ArchiveFormat::zip);
///
/// memfs::MemoryFileSystem fs;
/// std::ifstream in("tree.zip", std::ios::binary);
/// memfs::import_archive(fs, in, "/in", {memfs::ArchiveImportMode::atomic,
///                                       "tree.zip"});
/// EXPECT_EQ(fs.read_file("/in/readme.txt"), "hello");
/// ```
ArchiveImportReport import_archive(FileSystem& fs, std::istream& archive,
                                   std::string_view dest = "/",
                                   const ArchiveImportOptions& options = {});
ArchiveImportReport import_archive(FileSystem& fs, std::istream& archive,
                                   std::string_view dest,
                                   const ArchiveImportOptions& options,
                                   std::error_code& ec) noexcept;

/// As above, reading the archive from a C stream (from its current position
/// to its end; the FILE is not closed).
ArchiveImportReport import_archive(FileSystem& fs, std::FILE* archive,
                                   std::string_view dest = "/",
                                   const ArchiveImportOptions& options = {});
ArchiveImportReport import_archive(FileSystem& fs, std::FILE* archive,
                                   std::string_view dest,
                                   const ArchiveImportOptions& options,
                                   std::error_code& ec) noexcept;

/// The formats export_archive() writes.
enum class ArchiveFormat {
  tar,     ///< POSIX pax tar (long names, exact times), uncompressed
  ustar,   ///< plain ustar tar (names up to 255 bytes, whole seconds)
  tar_gz,  ///< pax tar compressed with gzip (no time stamp in the header)
  zip,     ///< zip, deflated
};

/// What export_archive() did.
struct ArchiveExportReport {
  /// Regular files written.
  std::uint64_t files = 0;
  /// Directories written (every directory below the prefix, empty ones
  /// included; not the prefix itself).
  std::uint64_t directories = 0;
  /// Bytes of file contents written (before compression).
  std::uint64_t bytes = 0;
};

/// Writes the tree under `prefix` (a directory, or a single file) of `fs`
/// into a new archive at the host path `host_file`, replacing it if it
/// exists. Entry names are relative to `prefix` ("a/b.txt"; directories end
/// in "/"), in bytewise sorted order, each directory before what it holds.
/// Every entry has owner and group 0 with no names, mode 0644 (files) or
/// 0755 (directories), and the entry's modified time in `fs`; nothing of the
/// host or the clock goes in, so the same tree gives the same bytes on every
/// run. (A zip entry also carries its time in the DOS format, which is local
/// time: zips are equal across hosts only under the same TZ.) The archive is
/// written to a temporary file beside `host_file` and renamed into place: on
/// error nothing is left behind. Errors: the host's, no_such_file_or_directory
/// for a missing prefix, filename_too_long for a name the format cannot hold
/// (ustar: longer than 255 bytes). Throws memfs::filesystem_error (operation
/// "export_archive").
///
/// ```cpp
/// memfs::MemoryFileSystem fs;
/// fs.import_tree({{"/out/a.txt", "1"}, {"/out/d/b.txt", "22"}});
/// auto r = memfs::export_archive(fs, "/out", "out.tar.gz",
///                                memfs::ArchiveFormat::tar_gz);
/// EXPECT_EQ(r.files, 2u);        // "a.txt", "d/b.txt"
/// EXPECT_EQ(r.directories, 1u);  // "d/"
/// ```
ArchiveExportReport export_archive(FileSystem& fs, std::string_view prefix,
                                   const std::filesystem::path& host_file,
                                   ArchiveFormat format);
ArchiveExportReport export_archive(FileSystem& fs, std::string_view prefix,
                                   const std::filesystem::path& host_file,
                                   ArchiveFormat format,
                                   std::error_code& ec) noexcept;

/// Packs the snapshot folder `snapshot_folder` (written by export_to_disk():
/// tree/, manifest.json, index.html) into one tar.gz at `host_file`, for CI
/// systems that upload single files. The archive holds one folder named like
/// the snapshot folder, with the same files: names stay escaped as on disk,
/// so extracting it with tar gives the snapshot folder back, index.html
/// included. Byte-identical for the same snapshot (export_archive()).
/// Errors: invalid_argument when the folder holds no manifest.json, the
/// host's, export_archive()'s. Throws memfs::filesystem_error (operation
/// "export_snapshot_archive").
///
/// ```cpp
/// memfs::MemoryFileSystem fs;
/// fs.write_file("/a.txt", "1");
/// auto r = memfs::export_to_disk(fs, "snapshots");
/// memfs::export_snapshot_archive(r.folder, r.folder.string() + ".tar.gz");
/// EXPECT_TRUE(std::filesystem::exists(r.folder.string() + ".tar.gz"));
/// ```
ArchiveExportReport export_snapshot_archive(
    const std::filesystem::path& snapshot_folder,
    const std::filesystem::path& host_file);
ArchiveExportReport export_snapshot_archive(
    const std::filesystem::path& snapshot_folder,
    const std::filesystem::path& host_file, std::error_code& ec) noexcept;

/// Reads a snapshot archive (export_snapshot_archive(), or any archive
/// holding exactly one snapshot folder) into `fs` under `dest`, as
/// import_from_disk() reads the folder: the tree with escaped names
/// restored, all or nothing. The archive is unpacked into `fs`-sized memory
/// (at most the free bytes of `fs`, so a bomb stops there) and a private
/// temporary host folder, removed afterwards. Errors: import_archive()'s
/// (hostile entries are refused), invalid_argument when the archive is not
/// one folder with a manifest.json, import_from_disk()'s. Throws
/// memfs::filesystem_error (operation "import_snapshot_archive").
///
/// ```cpp
/// memfs::MemoryFileSystem failed;  // the CI artifact S.C-1a2b3c4d.tar.gz
/// failed.write_file("/a.txt", "1");
/// auto snapshot = memfs::export_to_disk(failed, "snapshots");
/// const std::string artifact = snapshot.folder.string() + ".tar.gz";
/// memfs::export_snapshot_archive(snapshot.folder, artifact);
///
/// memfs::MemoryFileSystem fs;
/// memfs::import_snapshot_archive(fs, artifact);
/// EXPECT_EQ(fs.read_file("/a.txt"), "1");
/// ```
ImportReport import_snapshot_archive(FileSystem& fs,
                                     const std::filesystem::path& archive,
                                     std::string_view dest = "/");
ImportReport import_snapshot_archive(FileSystem& fs,
                                     const std::filesystem::path& archive,
                                     std::string_view dest,
                                     std::error_code& ec) noexcept;

}  // namespace memfs
