// memfs/backend.hpp — the interface for people who write a backend.
//
// Users of memfs hold a FileSystem& (file_system.hpp) and never need this
// header. A backend — MemoryFileSystem, DiskFileSystem, or yours — derives
// from memfs::Backend and implements a few primitives; FileSystem's public
// operations normalize paths, consult the hook (hook.hpp) and then call them,
// so a backend never sees a relative path, ".." or an injected fault. A
// backend is a `final` class deriving from memfs::Backend that implements the
// eight pure primitives below (do_open ... do_open_handles), its overrides
// private; tests/core/primitives_backend.cpp is a complete one.
//
// The conveniences (do_read_file ... do_import_tree) have defaults built on
// the primitives; override them to make a bulk operation atomic or fast.
// tests/core/primitives_backend.cpp runs the conformance suite on a backend
// that implements only the primitives, so the defaults are held to the same
// contract as the two real backends.
//
// The primitives are public so that one backend can forward to another (a
// wrapper, LevelDB's EnvWrapper). Calling them directly bypasses path
// normalization and the hook: they are for backends, not for users.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "memfs/error.hpp"
#include "memfs/file.hpp"
#include "memfs/file_system.hpp"
#include "memfs/path.hpp"

namespace memfs {

/// Everything a backend knows about a failure: the code, plus the numbers the
/// quota and node-limit exceptions carry. Backends fill it; the public funnel
/// in FileSystem turns it into an error_code (error_code forms) or an exception
/// (throwing forms).
struct ErrorInfo {
  std::error_code code;
  /// quota_exceeded: bytes the operation needed. node_limit_exceeded: nodes.
  std::uint64_t requested = 0;
  /// quota_exceeded: bytes that were free when the operation was refused.
  std::uint64_t available = 0;
  /// node_limit_exceeded: nodes in use when the operation was refused.
  std::uint64_t current = 0;
  /// node_limit_exceeded: the node cap.
  std::uint64_t limit = 0;
  /// Why, in words the code alone does not give ("parent does not exist"),
  /// or empty. Static text: the view must outlive the ErrorInfo. throw_error
  /// puts it into the message; the error_code forms drop it.
  std::string_view detail;

  /// Sets a plain error (no quota numbers, no detail) and returns *this for
  /// chaining.
  ErrorInfo& set(std::error_code ec) noexcept {
    code = ec;
    detail = {};
    return *this;
  }
  ErrorInfo& set(std::errc e) noexcept { return set(std::make_error_code(e)); }
  ErrorInfo& set(errc e) noexcept { return set(make_error_code(e)); }
  /// Clears the error (success).
  void clear() noexcept { *this = ErrorInfo{}; }
  /// True when an error is recorded.
  [[nodiscard]] bool failed() const noexcept { return static_cast<bool>(code); }
  explicit operator bool() const noexcept { return failed(); }
};

/// Throws the exception that matches `info.code`: node_limit_exceeded_error,
/// quota_exceeded_error, lock_timeout_error, or filesystem_error (with
/// `info.detail` as its detail). `path2` may be empty. Used by the throwing
/// forms of every operation; here so that backends and wrappers report errors
/// the same way.
[[noreturn]] void throw_error(std::string_view operation,
                              std::string_view path1, std::string_view path2,
                              const ErrorInfo& info);

/// The backend side of an open file: what a backend's do_open() returns and
/// a File wraps. Users hold a File instead. Every member reports failure
/// through the ErrorInfo and leaves the file unchanged when it fails. Called
/// by one thread at a time per OpenFile.
class OpenFile {
 public:
  OpenFile() = default;
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
  virtual ~OpenFile() = default;

  /// Reads up to n bytes at offset; returns the count (0 at or past the end).
  [[nodiscard]] virtual std::size_t pread(std::uint64_t offset, void* buffer,
                                          std::size_t n, ErrorInfo& err) = 0;
  /// Writes n bytes at offset, zero-filling any gap past the end. All or
  /// nothing: returns n, or 0 with err set.
  [[nodiscard]] virtual std::size_t pwrite(std::uint64_t offset,
                                           const void* data, std::size_t n,
                                           ErrorInfo& err) = 0;
  /// Writes n bytes at the end of file, atomically with respect to other
  /// appenders; returns the offset the data landed at.
  [[nodiscard]] virtual std::uint64_t append(const void* data, std::size_t n,
                                             ErrorInfo& err) = 0;
  /// The current size in bytes.
  virtual std::uint64_t size(ErrorInfo& err) = 0;
  /// Grows (zero-filling) or shrinks the file to exactly `size` bytes.
  virtual void truncate(std::uint64_t size, ErrorInfo& err) = 0;
  /// Pushes buffered data to the backend (a no-op where nothing is buffered).
  virtual void flush(ErrorInfo& err) = 0;
  /// A durability point (fsync on disk).
  virtual void sync(ErrorInfo& err) = 0;
  /// Releases locks and resources. Called once.
  virtual void close(ErrorInfo& err) = 0;
  /// Acquires a whole-file lock, waiting up to `timeout` (nullopt = the
  /// backend's default, zero = try once, kWaitForever = no limit).
  /// Fails with errc::lock_timeout, or resource_deadlock_would_occur when
  /// this handle already holds a lock.
  virtual void lock(LockMode mode,
                    std::optional<std::chrono::nanoseconds> timeout,
                    ErrorInfo& err) = 0;
  /// Releases the lock this handle holds (no_lock_available if none).
  virtual void unlock(ErrorInfo& err) = 0;
  /// True once the filesystem that opened it is gone: the File must then
  /// not use that filesystem (or its hook) any more. Thread-safe.
  [[nodiscard]] virtual bool orphaned() const noexcept { return false; }
  /// FileStatus::id of the file this handle opened (0 when the backend has
  /// no ids): the same number status() reports for it while it keeps its
  /// name. Thread-safe.
  [[nodiscard]] virtual std::uint64_t id() const noexcept { return 0; }
  /// The normalized path the handle was opened with, when the backend keeps
  /// it (valid while the OpenFile lives, closed or not): File::path() then
  /// refers to it and an open copies no path into the File. nullptr (the
  /// default): the File keeps its own copy.
  [[nodiscard]] virtual const std::string* path() const noexcept {
    return nullptr;
  }
};

/// What a backend implements. Derive from it (every FileSystem is a
/// Backend: FileSystem's constructor is reserved to this class) and implement
/// the primitives. Paths arrive normalized (path.hpp) and the hook has
/// already been asked. Each primitive reports failure through `err` and then
/// must have changed nothing. The read primitives are const: they change
/// nothing a user can see. Thread-safety: the primitives are called
/// concurrently from any thread; the backend synchronizes itself.
class Backend : public FileSystem {
 public:
  Backend() = default;
  ~Backend() override = default;

  // --- the primitives
  // ---------------------------------------------------------

  /// Opens (and per the mode creates/truncates) a file; the File built on it
  /// starts with its cursor at 0 (append modes write at the end regardless).
  virtual std::unique_ptr<OpenFile> do_open(const NormalizedPath& path,
                                            const OpenMode& mode,
                                            const OpenOptions& options,
                                            ErrorInfo& err) = 0;
  /// Metadata; a missing path is an error.
  virtual FileStatus do_status(const NormalizedPath& path,
                               ErrorInfo& err) const = 0;
  /// Directory listing, sorted bytewise.
  virtual std::vector<DirEntry> do_list(const NormalizedPath& dir,
                                        ErrorInfo& err) const = 0;
  /// create_directory; returns false if the directory already exists.
  virtual bool do_create_directory(const NormalizedPath& path,
                                   ErrorInfo& err) = 0;
  /// remove (a file or an empty directory); false if nothing was there.
  virtual bool do_remove(const NormalizedPath& path, ErrorInfo& err) = 0;
  /// rename, as documented on rename().
  virtual void do_rename(const NormalizedPath& from, const NormalizedPath& to,
                         ErrorInfo& err) = 0;
  /// Usage and limits (before the hook adjusts them).
  virtual Stats do_stats() const = 0;
  /// The open handles.
  virtual std::vector<HandleInfo> do_open_handles() const = 0;

  // Overridable conveniences. The defaults are built on the primitives and are
  // atomic only as far as the primitives allow (a disk cannot roll back).

  /// sync_directory: makes the directory's entries durable; default: checks
  /// that `path` is a directory (memory without a durability model has
  /// nothing to sync).
  virtual void do_sync_directory(const NormalizedPath& path, ErrorInfo& err);
  /// Whole-file read that never waits on file locks; default: open "r" and
  /// read (a backend whose do_open may wait on a lock overrides it).
  virtual std::string do_read_file(const NormalizedPath& path,
                                   ErrorInfo& err) const;
  /// The same into `out` (unchanged on error), for read_file(path, out);
  /// default: do_read_file, then assigned.
  virtual void do_read_file_into(const NormalizedPath& path, std::string& out,
                                 ErrorInfo& err) const;
  /// Whole-file replace; default: open "w" and write in place.
  virtual void do_write_file(const NormalizedPath& path, std::string_view data,
                             ErrorInfo& err);
  /// create_directories; default: create_directory per missing component,
  /// removing what it created on failure.
  virtual bool do_create_directories(const NormalizedPath& path,
                                     ErrorInfo& err);
  /// remove_all; default: depth-first removes.
  virtual std::uint64_t do_remove_all(const NormalizedPath& path,
                                      ErrorInfo& err);
  /// copy_file; default: read_file + write_file.
  virtual bool do_copy_file(const NormalizedPath& from,
                            const NormalizedPath& to,
                            std::filesystem::copy_options options,
                            ErrorInfo& err);
  /// Recursive copy of a directory; default: walk + create + copy_file,
  /// removing what it created on failure.
  virtual void do_copy_tree(const NormalizedPath& from,
                            const NormalizedPath& to,
                            std::filesystem::copy_options options,
                            ErrorInfo& err);
  /// resize_file; default: open "r+" and truncate.
  virtual void do_resize_file(const NormalizedPath& path, std::uint64_t size,
                              ErrorInfo& err);
  /// exchange (both exist, neither is the root nor inside the other is the
  /// backend's to check); default: not found as do_status says, else
  /// operation_not_supported (no atomic swap can be built from the
  /// primitives).
  virtual void do_exchange(const NormalizedPath& a, const NormalizedPath& b,
                           ErrorInfo& err);
  /// set_modified; default (a backend without settable times): not found
  /// as do_status says, else operation_not_supported.
  virtual void do_set_modified(const NormalizedPath& path,
                               std::chrono::system_clock::time_point time,
                               ErrorInfo& err);
  /// import_tree with validated, normalized keys; default: write_file each,
  /// restoring replaced files and removing created ones on failure.
  virtual void do_import_tree(
      const std::vector<std::pair<NormalizedPath, const std::string*>>& files,
      ErrorInfo& err);
};

/// The backend of `fs` (every FileSystem is one). For backends that forward
/// to another, and for the library's own hook-free reads.
inline Backend& backend_of(FileSystem& fs) noexcept {
  return static_cast<Backend&>(fs);
}
inline const Backend& backend_of(const FileSystem& fs) noexcept {
  return static_cast<const Backend&>(fs);
}

}  // namespace memfs
