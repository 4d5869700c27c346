// memfs/file_system.hpp — the abstract filesystem every backend implements.
//
// memfs::FileSystem is one interface with several implementations:
// MemoryFileSystem (in memory, with quota, node cap and lock timeouts),
// DiskFileSystem (a real directory, rooted so no path escapes it), and whatever
// you write. Production code takes a FileSystem&; tests hand it a
// MemoryFileSystem.
//
// ```cpp file
// void save_report(memfs::FileSystem& fs, const std::string& text) {
//   fs.create_directories("/reports");
//   fs.write_file("/reports/latest.txt", text);
// }
//
// TEST(FileSystemExample, SaveReportInMemory) {
//   memfs::MemoryFileSystem fs;
//   save_report(fs, "all green");
//   EXPECT_EQ(fs.read_file("/reports/latest.txt"), "all green");
// }
// ```
//
// Shape (the non-virtual-interface pattern): the public operations below are
// non-virtual. Each one normalizes its paths (see path.hpp), asks the attached
// hook (hook.hpp) whether to inject a fault, and then calls one of a few
// virtual primitives of the backend. Conveniences (exists, read_file,
// write_file, create_directories, remove_all, copy, walk, glob,
// import/export) are built on the primitives once; a backend may override
// the bulk ones (remove_all, copy, import_tree) to make them atomic. Writing
// a backend: see backend.hpp (every FileSystem is a memfs::Backend).
//
// Errors: every fallible operation comes in two forms, as in std::filesystem:
// one that throws memfs::filesystem_error (see error.hpp; the message names the
// operation and path) and one that takes std::error_code& and never throws.
// Standard conditions use std::errc:
//   no_such_file_or_directory  the path (or a parent) does not exist
//   file_exists                exclusive create of something that exists
//   not_a_directory            a parent component is a file, or a trailing
//                              slash was given for a file ("/file/")
//   is_a_directory             a file operation on a directory
//   directory_not_empty        remove / rename onto a non-empty directory
//   invalid_argument           bad path, bad mode, root where not allowed,
//                              moving a directory into itself
//   bad_file_descriptor        using a closed handle
// plus memfs::errc::{quota_exceeded, node_limit_exceeded, lock_timeout,
// injected_fault, memory_guard}. A failed operation changes nothing.
//
// Thread-safety: all operations may be called concurrently from any thread.
// Listing order is deterministic: names sorted bytewise (std::string order).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>

#include "memfs/error.hpp"
#include "memfs/file.hpp"
#include "memfs/hook.hpp"
#include "memfs/path.hpp"

namespace memfs {

class Backend;  // what a backend implements (backend.hpp)

/// What a path names.
enum class FileType { not_found, regular, directory };

/// Metadata of one path, as returned by FileSystem::status().
struct FileStatus {
  FileType type = FileType::not_found;
  /// Bytes, for regular files; 0 for directories.
  std::uint64_t size = 0;
  std::chrono::system_clock::time_point created{};
  std::chrono::system_clock::time_point modified{};
  /// Content-change counter (files; always 0 for directories). A new file
  /// starts at 0; +1 per write that moved bytes, per size-changing truncate,
  /// per truncating open of an existing file, per preallocate that grew it.
  /// write_file, copy_file and copy give each file they write a new file's 1
  /// (0 if empty), or an existing file's generation + 1 (so a changed file
  /// never reads as unchanged). Rename keeps it; import_tree gives 0 (the
  /// baseline "what changed since import" is measured from). D-MemFS gives
  /// a copied tree 0; memfs counts a copy as a change, like a write.
  std::uint64_t generation = 0;
  /// The node's identity, for inode numbers: MemoryFileSystem gives every
  /// file and directory a number when it is created, unique in the process
  /// and never reused, kept by rename and by writes (a file replaced by
  /// write_file, copy or import is a new node with a new number). A clone
  /// (MemoryFileSystem::clone) keeps its original's numbers, as a second
  /// device would: a number names one node within one filesystem. 0 where a
  /// backend has no stable identity (DiskFileSystem).
  std::uint64_t id = 0;

  [[nodiscard]] bool exists() const noexcept {
    return type != FileType::not_found;
  }
  [[nodiscard]] bool is_regular_file() const noexcept {
    return type == FileType::regular;
  }
  [[nodiscard]] bool is_directory() const noexcept {
    return type == FileType::directory;
  }
};

/// One entry of a directory listing.
struct DirEntry {
  std::string name;
  FileType type = FileType::regular;
  friend bool operator==(const DirEntry& a, const DirEntry& b) {
    return a.name == b.name && a.type == b.type;
  }
};

/// One directory visited by walk(): its path and its children split by kind,
/// each sorted bytewise.
struct WalkEntry {
  std::string path;
  std::vector<std::string> directories;
  std::vector<std::string> files;
};

/// The result of export_tree(): file contents by absolute path, plus the
/// directories that hold nothing (so a round trip keeps them).
struct ExportedTree {
  std::map<std::string, std::string> files;
  std::set<std::string> empty_directories;
};

namespace detail {
template <class Tree>
using if_exported_tree =
    std::enable_if_t<std::is_same_v<Tree, ExportedTree>, int>;
}  // namespace detail

/// Options of FileSystem::export_tree().
struct ExportTreeOptions {
  /// Only files whose generation is above 0 (written since they were
  /// imported or created empty); empty directories are exported either way.
  bool only_dirty = false;
};

/// Usage and limits. For backends without limits, quota and free are
/// std::numeric_limits<std::uint64_t>::max() unless a hook narrows them.
struct Stats {
  /// Bytes of file storage held (sum of sizes of all files, open-but-removed
  /// files included).
  std::uint64_t used = 0;
  /// The byte quota.
  std::uint64_t quota = 0;
  /// quota - used (0 if a shrunk quota is below used).
  std::uint64_t free = 0;
  /// Regular files in the tree.
  std::uint64_t file_count = 0;
  /// Directories in the tree, root included.
  std::uint64_t directory_count = 0;
  /// The node cap (files + directories, root included), if any.
  std::optional<std::uint64_t> node_limit;
  /// Files currently open through this filesystem.
  std::uint64_t open_handles = 0;
};

/// An open handle, as listed by open_handles() (for snapshots and reports).
struct HandleInfo {
  std::string path;
  /// The fopen-style mode string.
  std::string mode;
  /// The lock the handle holds, if any.
  std::optional<LockMode> lock;
  /// An identifier of the thread that opened the handle.
  std::string owner;
  /// True when the file has been removed from the tree since it was opened.
  bool removed = false;
};

/// The abstract filesystem. See the top of this file.
class FileSystem {
 public:
  FileSystem(const FileSystem&) = delete;
  FileSystem& operator=(const FileSystem&) = delete;
  virtual ~FileSystem() = default;

  // --- files -----------------------------------------------------------------

  /// Opens `path` with an fopen-style mode (see OpenMode). Creating modes need
  /// the parent directory to exist. Errors: no_such_file_or_directory,
  /// file_exists ("x" modes), is_a_directory, not_a_directory,
  /// invalid_argument (bad mode), lock_timeout (lock_on_open), quota errors.
  ///
  /// ```cpp
  /// memfs::MemoryFileSystem fs;
  /// fs.create_directories("/data");
  /// memfs::File f = fs.open("/data/a.bin", "w+");
  /// EXPECT_TRUE(fs.exists("/data/a.bin"));
  /// ```
  [[nodiscard]] File open(std::string_view path, OpenMode mode = "r",
                          const OpenOptions& options = {});
  [[nodiscard]] File open(std::string_view path, OpenMode mode,
                          const OpenOptions& options,
                          std::error_code& ec) noexcept;
  [[nodiscard]] File open(std::string_view path, OpenMode mode,
                          std::error_code& ec) noexcept;

  /// The whole contents of a file. Errors as open("r").
  [[nodiscard]] std::string read_file(std::string_view path);
  [[nodiscard]] std::string read_file(std::string_view path,
                                      std::error_code& ec) noexcept;
  /// The whole contents of a file into `out`, replacing what it held and
  /// reusing its capacity (no allocation when it is large enough, as when a
  /// loop reads many small files into one buffer); returns the size. Errors
  /// as read_file(); on error `out` is unchanged.
  ///
  /// ```cpp
  /// memfs::MemoryFileSystem fs;
  /// fs.import_tree({{"/a", "1"}, {"/b", "22"}});
  /// std::string buffer;
  /// for (const char* p : {"/a", "/b"}) {
  ///   const std::size_t n = fs.read_file(p, buffer);
  ///   EXPECT_EQ(n, buffer.size());
  ///   EXPECT_EQ(buffer, fs.read_file(p));
  /// }
  /// ```
  std::size_t read_file(std::string_view path, std::string& out);
  std::size_t read_file(std::string_view path, std::string& out,
                        std::error_code& ec) noexcept;

  /// Creates or replaces a file with `data` (like open "w" + write + close),
  /// all or nothing: on any error an existing file keeps its old contents
  /// and a new one is not created. A short write injected by the hook
  /// (Injection::limit below data.size()) cannot be honoured by an
  /// all-or-nothing call: it fails with errc::injected_fault and writes
  /// nothing. Errors: no_such_file_or_directory (the parent is missing; the
  /// message says "parent does not exist"), not_a_directory, is_a_directory,
  /// lock_timeout (lock_on_open, see open()), quota errors.
  void write_file(std::string_view path, std::string_view data);
  void write_file(std::string_view path, std::string_view data,
                  std::error_code& ec) noexcept;

  // --- queries ---------------------------------------------------------------

  /// Metadata of `path`. As std::filesystem::status: a path that names
  /// nothing (missing, or a file in the way: "/f/x", "/f/") gives a status
  /// whose type is FileType::not_found; the throwing form does not throw for
  /// it, the error_code form reports why (no_such_file_or_directory,
  /// not_a_directory). Other errors (bad path, injected faults) throw.
  ///
  /// ```cpp
  /// memfs::MemoryFileSystem fs;
  /// if (!fs.status("/maybe").exists()) fs.write_file("/maybe", "");
  /// EXPECT_EQ(fs.status("/maybe").type, memfs::FileType::regular);
  /// ```
  [[nodiscard]] FileStatus status(std::string_view path);
  [[nodiscard]] FileStatus status(std::string_view path,
                                  std::error_code& ec) noexcept;

  /// True if `path` names anything. Only bad input is an error.
  [[nodiscard]] bool exists(std::string_view path);
  [[nodiscard]] bool exists(std::string_view path,
                            std::error_code& ec) noexcept;
  /// True if `path` names a directory.
  [[nodiscard]] bool is_directory(std::string_view path);
  [[nodiscard]] bool is_directory(std::string_view path,
                                  std::error_code& ec) noexcept;
  /// True if `path` names a regular file ("/file/" is not one).
  [[nodiscard]] bool is_regular_file(std::string_view path);
  [[nodiscard]] bool is_regular_file(std::string_view path,
                                     std::error_code& ec) noexcept;
  /// Size of a regular file. Errors: no_such_file_or_directory,
  /// is_a_directory.
  [[nodiscard]] std::uint64_t file_size(std::string_view path);
  [[nodiscard]] std::uint64_t file_size(std::string_view path,
                                        std::error_code& ec) noexcept;

  /// Names in a directory, sorted bytewise. Errors: no_such_file_or_directory,
  /// not_a_directory.
  [[nodiscard]] std::vector<std::string> list(std::string_view dir);
  [[nodiscard]] std::vector<std::string> list(std::string_view dir,
                                              std::error_code& ec) noexcept;
  /// Names and types in a directory, sorted bytewise by name.
  [[nodiscard]] std::vector<DirEntry> list_entries(std::string_view dir);
  [[nodiscard]] std::vector<DirEntry> list_entries(
      std::string_view dir, std::error_code& ec) noexcept;

  /// Every directory under `dir` (itself first), top-down, depth-first, in
  /// bytewise order. Weakly consistent under concurrent changes: entries
  /// removed while walking are skipped. Errors as list().
  [[nodiscard]] std::vector<WalkEntry> walk(std::string_view dir = "/");
  [[nodiscard]] std::vector<WalkEntry> walk(std::string_view dir,
                                            std::error_code& ec) noexcept;

  /// Absolute paths (files and directories) matching `pattern` (see
  /// glob_match in path.hpp), sorted bytewise, without duplicates. A pattern
  /// that ends with "/" matches directories only, as in POSIX glob(3) (the
  /// paths returned carry no trailing slash). A pattern that matches nothing
  /// gives an empty vector, not an error.
  ///
  /// ```cpp
  /// memfs::MemoryFileSystem fs;
  /// fs.import_tree({{"/logs/a.log", ""}, {"/logs/old/b.log", ""}});
  /// using Paths = std::vector<std::string>;
  /// // files and folders ending in .log
  /// EXPECT_EQ(fs.glob("/logs/**/*.log"),
  ///           (Paths{"/logs/a.log", "/logs/old/b.log"}));
  /// // the folders in /logs
  /// EXPECT_EQ(fs.glob("/logs/*/"), Paths{"/logs/old"});
  /// ```
  [[nodiscard]] std::vector<std::string> glob(std::string_view pattern);
  [[nodiscard]] std::vector<std::string> glob(std::string_view pattern,
                                              std::error_code& ec) noexcept;

  /// Usage and limits (see Stats), as adjusted by the hook, if any.
  [[nodiscard]] Stats stats() const;
  /// std::filesystem::space() vocabulary: capacity = quota,
  /// free = available = quota - used.
  [[nodiscard]] std::filesystem::space_info space() const;
  /// Handles open right now, sorted by path.
  [[nodiscard]] std::vector<HandleInfo> open_handles() const;

  // --- namespace changes -------------------------------------------------------

  /// Creates one directory; its parent must exist. Returns false (no error) if
  /// it already exists as a directory. Errors: no_such_file_or_directory
  /// (parent missing), not_a_directory (parent is a file), file_exists (a file
  /// is there), node_limit_exceeded.
  bool create_directory(std::string_view path);
  bool create_directory(std::string_view path, std::error_code& ec) noexcept;
  /// Creates a directory and any missing parents, all or nothing (on a node
  /// limit error no parent is left behind). Returns false if it already
  /// existed. Errors: not_a_directory / file_exists (a file in the way),
  /// node_limit_exceeded.
  bool create_directories(std::string_view path);
  bool create_directories(std::string_view path, std::error_code& ec) noexcept;

  /// Removes a file or an empty directory. Returns false (no error) if nothing
  /// was there. Removing an open file is allowed: its handles keep working
  /// and its storage is released when the last one closes.
  /// Errors: directory_not_empty, invalid_argument (the root).
  bool remove(std::string_view path);
  bool remove(std::string_view path, std::error_code& ec) noexcept;
  /// Removes `path` and everything below it; returns how many nodes went
  /// (0 if nothing was there). Errors: invalid_argument (the root).
  std::uint64_t remove_all(std::string_view path);
  std::uint64_t remove_all(std::string_view path, std::error_code& ec) noexcept;

  /// Renames atomically, POSIX rename(2) style: a file replaces a file, a
  /// directory replaces an empty directory, renaming onto itself does nothing.
  /// Errors: no_such_file_or_directory (source or destination parent),
  /// is_a_directory (file onto directory), not_a_directory (directory onto
  /// file), directory_not_empty, invalid_argument (root, or a directory into
  /// its own subtree).
  void rename(std::string_view from, std::string_view to);
  void rename(std::string_view from, std::string_view to,
              std::error_code& ec) noexcept;

  /// Swaps two existing entries atomically, as renameat2(RENAME_EXCHANGE):
  /// what was at `a` is then at `b` and the other way round, files or
  /// directories of either kind, each with its contents, id and open
  /// handles; no one sees one moved without the other. Exchanging a path
  /// with itself does nothing. The hook sees a rename from `a` to `b`.
  /// Errors: no_such_file_or_directory (either missing), invalid_argument
  /// (the root, or one inside the other), operation_not_supported (a
  /// backend that cannot). Example:
  ///   fs.write_file("/new", "v2");
  ///   fs.exchange("/new", "/current");  // readers see v1 or v2, whole
  void exchange(std::string_view a, std::string_view b);
  void exchange(std::string_view a, std::string_view b,
                std::error_code& ec) noexcept;

  /// Copies one regular file. With copy_options::none an existing
  /// destination is file_exists; skip_existing returns false;
  /// overwrite_existing replaces its contents (as write_file: open handles
  /// see the new contents, its created time stays). All or nothing. A new
  /// copy gets new times and generation 1 (0 if empty); an overwritten file
  /// its generation + 1.
  bool copy_file(std::string_view from, std::string_view to,
                 std::filesystem::copy_options options =
                     std::filesystem::copy_options::none);
  bool copy_file(std::string_view from, std::string_view to,
                 std::filesystem::copy_options options,
                 std::error_code& ec) noexcept;
  /// Copies a file (as copy_file) or a directory tree (recursively, always),
  /// all or nothing. A directory is copied into `to`, which is created if
  /// missing (its parent must exist) or merged into if it is a directory;
  /// clashing files follow `options` as in copy_file, except that a
  /// replaced file is a new file (open handles keep the old one). Generations
  /// as copy_file. Copying a directory into its own subtree is
  /// invalid_argument.
  void copy(std::string_view from, std::string_view to,
            std::filesystem::copy_options options =
                std::filesystem::copy_options::none);
  void copy(std::string_view from, std::string_view to,
            std::filesystem::copy_options options,
            std::error_code& ec) noexcept;

  /// Makes the entries of directory `path` durable: the files and
  /// directories created in it, renamed into or out of it, or removed from
  /// it since its last sync survive a crash as they are now (fsync(2) of the
  /// directory; see crash.hpp for the model). It says nothing of the files'
  /// bytes (File::sync does). The hook sees it as Op::sync on the
  /// directory's path. Errors: not found, not_a_directory.
  ///
  /// ```cpp
  /// memfs::MemoryOptions opts;
  /// opts.track_durability = true;
  /// memfs::MemoryFileSystem fs(opts);
  /// fs.write_file("/new.txt", "x");
  /// fs.sync_directory("/");  // "/new.txt" now survives a crash
  /// EXPECT_TRUE(fs.crash_clone()->exists("/new.txt"));
  /// ```
  void sync_directory(std::string_view path);
  void sync_directory(std::string_view path, std::error_code& ec) noexcept;

  /// Sets the size of a file (grow zero-fills). Errors: not found,
  /// is_a_directory, quota_exceeded.
  void resize_file(std::string_view path, std::uint64_t size);
  void resize_file(std::string_view path, std::uint64_t size,
                   std::error_code& ec) noexcept;

  /// Sets the modified time (FileStatus::modified) of a file or directory,
  /// as std::filesystem::last_write_time(p, t) and utimensat(2) do: nothing
  /// else changes (contents, generation, created). A later write sets it
  /// again. The hook sees a write of 0 bytes at offset 0. Errors: not found,
  /// not_a_directory (a file in the path), operation_not_supported (a
  /// backend that cannot store times). Example:
  ///   fs.set_modified("/a.txt", std::chrono::system_clock::now() - 24h);
  ///   // fs.status("/a.txt").modified is now a day ago
  void set_modified(std::string_view path,
                    std::chrono::system_clock::time_point time);
  void set_modified(std::string_view path,
                    std::chrono::system_clock::time_point time,
                    std::error_code& ec) noexcept;

  // --- bulk --------------------------------------------------------------------

  /// Creates or replaces files from a map of path -> contents, creating
  /// missing parents. All or nothing: on any error (quota, node cap, open
  /// target under lock_on_open, ...) nothing changes, auto-created parents
  /// included. Imported files get generation 0. A short write injected by
  /// the hook for any file fails the import (errc::injected_fault), as it
  /// fails write_file. Errors: invalid_argument for a
  /// bad path, the root, a key ending in "/", keys that overlap ("/a" and
  /// "/a/b") or that normalize to the same path; is_a_directory for a key
  /// naming an existing directory; not_a_directory when a file is in the way
  /// of a parent; errors of the writes themselves.
  void import_tree(const std::map<std::string, std::string>& files);
  void import_tree(const std::map<std::string, std::string>& files,
                   std::error_code& ec) noexcept;
  /// As above for tree.files, and also creates tree.empty_directories (with
  /// their missing parents; an existing directory is fine), all or nothing:
  /// so import_tree(export_tree()) gives back the same shape, empty
  /// directories included. The hook sees one create per empty directory and
  /// one write per file, before anything changes. Errors as above, plus
  /// invalid_argument for an empty directory that is the root or has a file
  /// key at or below it (it would not be empty); file_exists or
  /// not_a_directory when a file is where a directory goes.
  ///
  /// ```cpp
  /// memfs::MemoryFileSystem fs;
  /// fs.create_directories("/empty");
  /// fs.write_file("/a.txt", "1");
  /// memfs::MemoryFileSystem copy;
  /// copy.import_tree(fs.export_tree());
  /// EXPECT_TRUE(copy.status("/empty").is_directory());
  /// EXPECT_EQ(copy.read_file("/a.txt"), "1");
  /// ```
  /// (A template only so that a braced list, import_tree({{"/a", "x"}}),
  /// keeps choosing the map form.)
  template <class Tree, detail::if_exported_tree<Tree> = 0>
  void import_tree(const Tree& tree) {
    import_exported(tree);
  }
  template <class Tree, detail::if_exported_tree<Tree> = 0>
  void import_tree(const Tree& tree, std::error_code& ec) noexcept {
    import_exported(tree, ec);
  }

  /// Copies out the files under `prefix` (a directory, or a single file), and
  /// the empty directories. With options.only_dirty, only files whose
  /// generation is above 0. A missing prefix gives an empty result. Never
  /// waits on file locks, and is not subject to the hook (a snapshot of a
  /// test that injects faults must still see the real state).
  ///
  /// ```cpp
  /// memfs::MemoryFileSystem fs;
  /// fs.import_tree({{"/seed.txt", "s"}});  // generation 0: not dirty
  /// fs.write_file("/a.txt", "1");
  /// memfs::ExportTreeOptions changed;
  /// changed.only_dirty = true;
  /// for (const auto& [path, data] : fs.export_tree("/", changed).files) {
  ///   EXPECT_EQ(path + "=" + data, "/a.txt=1");
  /// }
  /// ```
  [[nodiscard]] ExportedTree export_tree(
      std::string_view prefix = "/",
      const ExportTreeOptions& options = {}) const;
  [[nodiscard]] ExportedTree export_tree(std::string_view prefix,
                                         const ExportTreeOptions& options,
                                         std::error_code& ec) const noexcept;

  // --- the hook ------------------------------------------------------------------

  /// Attaches a hook (nullptr detaches). The hook must outlive its attachment.
  /// Attach before the filesystem is shared between threads, or accept that
  /// operations already running may not see the change.
  void set_hook(FileSystemHook* hook) noexcept {
    hook_.store(hook, std::memory_order_release);
  }
  /// The attached hook, or nullptr.
  [[nodiscard]] FileSystemHook* hook() const noexcept {
    return hook_.load(std::memory_order_acquire);
  }
  /// The attached hook if it is active (FileSystemHook::active), else
  /// nullptr: the hook the funnel consults.
  [[nodiscard]] FileSystemHook* active_hook() const noexcept {
    FileSystemHook* h = hook_.load(std::memory_order_acquire);
    return h != nullptr && h->active() ? h : nullptr;
  }

 private:
  void import_exported(const ExportedTree& tree);
  void import_exported(const ExportedTree& tree, std::error_code& ec) noexcept;

  // Only a Backend (backend.hpp) is a FileSystem: the funnel reaches the
  // primitives of any FileSystem through Backend.
  friend class Backend;
  FileSystem() = default;

  std::atomic<FileSystemHook*> hook_{nullptr};
};

}  // namespace memfs
