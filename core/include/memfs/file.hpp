// memfs/file.hpp — open modes, file locks, and the File handle.
//
// A File is what FileSystem::open() returns: a move-only RAII handle with a
// cursor, like a POSIX file descriptor. It offers sequential read/write,
// positional pread/pwrite, seek/tell, size, truncate, flush, sync, close and
// whole-file advisory locks (shared or exclusive, with timeouts).
//
// ```cpp
// memfs::MemoryFileSystem fs;
// fs.create_directories("/db");
// memfs::File f = fs.open("/db/log", "a");
// std::size_t n = f.write("hello\n");  // always lands at end of file;
// EXPECT_EQ(n, 6u);                     // n < 6 only under a fault rule
// f.lock(memfs::LockMode::exclusive);   // waits up to the fs default (30 s)
// f.sync();
// f.close();                            // or let the destructor do it
// EXPECT_EQ(fs.read_file("/db/log"), "hello\n");
// ```
//
// Errors: every fallible member has a throwing form (memfs::filesystem_error
// and subclasses, see error.hpp) and a std::error_code& form that never throws.
// Using a closed or moved-from File gives std::errc::bad_file_descriptor;
// reading a write-only File or writing a read-only one gives
// std::errc::bad_file_descriptor too, as POSIX read(2)/write(2) do.
//
// Thread-safety: one File must be used by one thread at a time (its cursor is
// not synchronized). Different Files, on the same path or not, may be used
// concurrently; a single write is atomic with respect to reads through other
// handles (a reader never sees half of it).
//
// Lifetime: a File should be closed or destroyed before the FileSystem that
// opened it. One that outlives a MemoryFileSystem (kept in a static past its
// test) is orphaned: is_open() is false, every operation fails with
// std::errc::bad_file_descriptor, and closing or destroying it only frees what
// it held; it never touches the filesystem again.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "memfs/error.hpp"

namespace memfs {

class FileSystem;
class OpenFile;  // File's pimpl (impl_), defined for backends in backend.hpp

/// A lock timeout that never expires.
inline constexpr std::chrono::nanoseconds kWaitForever =
    std::chrono::nanoseconds::max();

/// How a file is opened. Built from a C fopen() mode string or from flags.
///
/// | string | read | write | create | truncate | append | must not exist |
/// |--------|------|-------|--------|----------|--------|----------------|
/// | "r"    | yes  |       |        |          |        |                |
/// | "r+"   | yes  | yes   |        |          |        |                |
/// | "w"    |      | yes   | yes    | yes      |        |                |
/// | "w+"   | yes  | yes   | yes    | yes      |        |                |
/// | "a"    |      | yes   | yes    |          | yes    |                |
/// | "a+"   | yes  | yes   | yes    |          | yes    |                |
///
/// "b" may appear after the first letter ("rb", "r+b", "rb+") and changes
/// nothing (memfs files are bytes). "x" may be added to a "w" or "a" mode
/// ("wx", "w+x", "wbx") and makes open fail with file_exists if the path
/// exists. Anything else is invalid: OpenMode records that, and open() then
/// fails with std::errc::invalid_argument (no exception from the constructor).
class OpenMode {
 public:
  enum Flags : unsigned {
    read = 1u << 0,
    write = 1u << 1,
    create = 1u << 2,
    truncate = 1u << 3,
    append = 1u << 4,
    exclusive = 1u << 5,
  };

  /// "r".
  OpenMode() noexcept : flags_(read) {}
  /// Parses an fopen() mode string; see the table above. Never throws.
  OpenMode(const char* mode) noexcept;  // NOLINT(google-explicit-constructor)
  /// As above, for any string.
  OpenMode(
      std::string_view mode) noexcept;  // NOLINT(google-explicit-constructor)
  /// From flags, e.g. OpenMode::from_flags(OpenMode::read | OpenMode::write).
  /// Invalid without read or write, or with truncate/append/exclusive but
  /// without write, or with exclusive but without create.
  [[nodiscard]] static OpenMode from_flags(unsigned flags) noexcept;

  [[nodiscard]] bool valid() const noexcept { return valid_; }
  [[nodiscard]] bool can_read() const noexcept { return has(read); }
  [[nodiscard]] bool can_write() const noexcept { return has(write); }
  [[nodiscard]] bool creates() const noexcept { return has(create); }
  [[nodiscard]] bool truncates() const noexcept { return has(truncate); }
  [[nodiscard]] bool appends() const noexcept { return has(append); }
  [[nodiscard]] bool is_exclusive() const noexcept { return has(exclusive); }
  [[nodiscard]] unsigned flags() const noexcept { return flags_; }

  /// The canonical fopen string ("r", "w+", "ax", ...), or the original text
  /// of an invalid mode, for messages.
  [[nodiscard]] std::string str() const;

  friend bool operator==(const OpenMode& a, const OpenMode& b) noexcept {
    return a.flags_ == b.flags_ && a.valid_ == b.valid_;
  }
  friend bool operator!=(const OpenMode& a, const OpenMode& b) noexcept {
    return !(a == b);
  }

 private:
  friend class File;  // copies a valid mode's flags alone
  [[nodiscard]] bool has(unsigned f) const noexcept {
    return (flags_ & f) != 0;
  }
  unsigned flags_;
  bool valid_ = true;
  std::string invalid_text_;
};

/// Shared (many holders, for readers) or exclusive (one holder, for writers).
enum class LockMode { shared, exclusive };

/// Reference point of File::seek, as SEEK_SET / SEEK_CUR / SEEK_END.
enum class Whence { set, cur, end };

/// Extra options of FileSystem::open().
struct OpenOptions {
  /// After opening, grow the file with zeros to at least this many bytes
  /// (charged to the quota; the cursor does not move). 0 = nothing.
  /// A read-only mode with preallocate > 0 is invalid_argument.
  std::uint64_t preallocate = 0;
  /// Lock timeout for this open when the filesystem locks on open
  /// (MemoryOptions::lock_on_open). nullopt = the filesystem's default;
  /// zero = try once; kWaitForever = no limit.
  std::optional<std::chrono::nanoseconds> lock_timeout;
};

/// A move-only RAII handle to an open file. See the top of this file.
class File {
 public:
  /// A closed File.
  File() noexcept;
  /// Used by FileSystem::open() (and backends' tests, see backend.hpp);
  /// `fs` may be null. path() is `impl`'s OpenFile::path() when the backend
  /// keeps one (then `path` may be empty), else `path`.
  File(FileSystem* fs, std::unique_ptr<OpenFile> impl, std::string path,
       const OpenMode& mode, std::uint64_t initial_offset = 0) noexcept;
  File(File&& other) noexcept;
  File& operator=(File&& other) noexcept;
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  /// Closes the file, ignoring errors (call close() to see them).
  ~File();

  /// False once closed, moved from, or orphaned (see Lifetime above).
  [[nodiscard]] bool is_open() const noexcept;
  /// The normalized path the file was opened with, the same after close()
  /// (it may live in the backend's handle, which a closed File keeps until
  /// it is destroyed or assigned). Empty for a default-constructed or
  /// moved-from File.
  [[nodiscard]] const std::string& path() const noexcept { return *path_; }
  /// The FileStatus::id of the file opened (its inode number, stable across
  /// renames), or 0 when the backend has no ids or the File is not open:
  /// ```cpp
  /// memfs::MemoryFileSystem fs;
  /// memfs::File f = fs.open("/a", "w");
  /// EXPECT_EQ(f.id(), fs.status("/a").id);
  /// f.close();
  /// EXPECT_EQ(f.id(), 0u);
  /// ```
  [[nodiscard]] std::uint64_t id() const noexcept;
  /// The mode the file was opened with.
  [[nodiscard]] OpenMode mode() const noexcept { return mode_; }

  /// The counts read(), write(), pread() and pwrite() return are
  /// [[nodiscard]]: a short transfer (end of file, a fault rule's short read
  /// or write) is reported only there.
  ///
  /// Reads up to n bytes at the cursor into buffer and advances the cursor.
  /// Returns the count: less than n only at end of file (or when a fault rule
  /// injects a short read); 0 at or past the end.
  /// Errors: bad_file_descriptor (closed, or not opened for reading).
  [[nodiscard]] std::size_t read(void* buffer, std::size_t n);
  [[nodiscard]] std::size_t read(void* buffer, std::size_t n,
                                 std::error_code& ec) noexcept;
  /// Reads up to n bytes at the cursor as a string.
  [[nodiscard]] std::string read(std::size_t n);
  [[nodiscard]] std::string read(std::size_t n, std::error_code& ec) noexcept;
  /// Reads from the cursor to the end of file.
  [[nodiscard]] std::string read_all();
  [[nodiscard]] std::string read_all(std::error_code& ec) noexcept;

  /// Writes n bytes at the cursor (at end of file in append modes) and moves
  /// the cursor past them. Returns n, or fewer when a fault rule injects a
  /// short write; on error nothing is written and the cursor does not move.
  /// Errors: bad_file_descriptor (closed, or read-only), quota_exceeded.
  [[nodiscard]] std::size_t write(const void* data, std::size_t n);
  [[nodiscard]] std::size_t write(const void* data, std::size_t n,
                                  std::error_code& ec) noexcept;
  [[nodiscard]] std::size_t write(std::string_view data);
  [[nodiscard]] std::size_t write(std::string_view data,
                                  std::error_code& ec) noexcept;

  /// Reads up to n bytes at `offset`; the cursor does not move.
  [[nodiscard]] std::size_t pread(std::uint64_t offset, void* buffer,
                                  std::size_t n);
  [[nodiscard]] std::size_t pread(std::uint64_t offset, void* buffer,
                                  std::size_t n, std::error_code& ec) noexcept;
  /// Writes n bytes at `offset` (zero-filling a gap); the cursor does not
  /// move. The data goes at `offset` in every writable mode, append included.
  [[nodiscard]] std::size_t pwrite(std::uint64_t offset, const void* data,
                                   std::size_t n);
  [[nodiscard]] std::size_t pwrite(std::uint64_t offset, const void* data,
                                   std::size_t n, std::error_code& ec) noexcept;
  [[nodiscard]] std::size_t pwrite(std::uint64_t offset, std::string_view data);
  [[nodiscard]] std::size_t pwrite(std::uint64_t offset, std::string_view data,
                                   std::error_code& ec) noexcept;

  /// Moves the cursor and returns the new position. Positions past the end are
  /// allowed (a later write zero-fills the gap). Errors: invalid_argument if
  /// the result would be negative or overflow; bad_file_descriptor.
  std::uint64_t seek(std::int64_t offset, Whence whence = Whence::set);
  std::uint64_t seek(std::int64_t offset, Whence whence,
                     std::error_code& ec) noexcept;
  /// The cursor position.
  [[nodiscard]] std::uint64_t tell() const;
  [[nodiscard]] std::uint64_t tell(std::error_code& ec) const noexcept;
  /// The current size of the file (seen through this handle's file, which
  /// may have been removed from the tree since it was opened).
  [[nodiscard]] std::uint64_t size();
  [[nodiscard]] std::uint64_t size(std::error_code& ec) noexcept;
  /// Grows (zero-filling) or shrinks the file; the cursor does not move.
  /// Errors: bad_file_descriptor (read-only), quota_exceeded.
  void truncate(std::uint64_t size);
  void truncate(std::uint64_t size, std::error_code& ec) noexcept;
  /// Pushes buffered data to the backend.
  void flush();
  void flush(std::error_code& ec) noexcept;
  /// A durability point (fsync on disk backends).
  void sync();
  void sync(std::error_code& ec) noexcept;
  /// Releases the lock (if any) and the handle. Idempotent: closing a closed
  /// File does nothing and reports no error. Closing an orphaned File (its
  /// filesystem is gone) frees what it held and reports bad_file_descriptor.
  void close();
  void close(std::error_code& ec) noexcept;

  /// Takes a whole-file advisory lock, shared or exclusive, waiting up to
  /// `timeout` (nullopt = the filesystem default, 30 s unless configured;
  /// zero = try once; kWaitForever = no limit). Locks belong to the handle,
  /// are not re-entrant (a second File on the same path in the same thread
  /// waits like anyone else) and are released by unlock() or close().
  /// Waiting holds nothing other operations need.
  /// Errors: lock_timeout (equivalent to resource_unavailable_try_again),
  /// resource_deadlock_would_occur if this File already holds a lock.
  void lock(LockMode mode,
            std::optional<std::chrono::nanoseconds> timeout = std::nullopt);
  void lock(LockMode mode, std::optional<std::chrono::nanoseconds> timeout,
            std::error_code& ec) noexcept;
  /// Tries once; returns false if the lock is held elsewhere.
  [[nodiscard]] bool try_lock(LockMode mode);
  [[nodiscard]] bool try_lock(LockMode mode, std::error_code& ec) noexcept;
  /// Releases this handle's lock. Errors: no_lock_available if none is held.
  void unlock();
  void unlock(std::error_code& ec) noexcept;

 private:
  struct Access;  // the operations' bodies, defined in file.cpp

  FileSystem* fs_ = nullptr;
  // The backend's handle; a closed File keeps it until destroyed or
  // assigned, as path_ may point into it.
  std::unique_ptr<OpenFile> impl_;
  const std::string* path_ = &own_path_;  // impl_->path(), or &own_path_
  std::string own_path_;  // for backends whose handles keep no path
  OpenMode mode_;
  std::uint64_t cursor_ = 0;
  bool open_ = false;  // impl_ not closed yet
};

}  // namespace memfs
