// memfs/error.hpp — error codes and exceptions.
//
// memfs reports failures as std::error_code. Conditions the standard already
// names use std::errc (no_such_file_or_directory, file_exists, is_a_directory,
// not_a_directory, directory_not_empty, invalid_argument, bad_file_descriptor,
// read_only_file_system, permission_denied, ...). What the standard lacks gets a
// code in the memfs category below, and every memfs code is *equivalent* to the
// nearest standard condition, so callers can test either way:
//
// ```cpp
// memfs::MemoryOptions options;
// options.max_quota = 16;
// memfs::MemoryFileSystem fs(options);
// std::error_code ec;
// fs.write_file("/big.bin", std::string(100, 'x'), ec);
// EXPECT_TRUE(ec == memfs::errc::quota_exceeded);    // exact
// EXPECT_TRUE(ec == std::errc::no_space_on_device);  // also true
// ```
//
// The throwing forms of every operation throw memfs::filesystem_error (or one of
// its subclasses), which derives from std::filesystem::filesystem_error, so
// existing `catch (const std::filesystem::filesystem_error&)` handlers see them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

namespace memfs {

/// Error codes of the memfs category. Value 0 is never used (it means success).
enum class errc {
  /// The operation would take the filesystem past its byte quota.
  /// Equivalent to std::errc::no_space_on_device.
  quota_exceeded = 1,
  /// The operation would create more nodes (files + directories, root
  /// included) than MemoryOptions::max_nodes allows.
  /// Equivalent to std::errc::no_space_on_device.
  node_limit_exceeded,
  /// A file lock could not be acquired within its timeout.
  /// Equivalent to std::errc::resource_unavailable_try_again and
  /// std::errc::timed_out.
  lock_timeout,
  /// A fault-injection rule failed the operation without naming a more
  /// specific code. Equivalent to std::errc::io_error.
  injected_fault,
  /// The memory guard refused an allocation because the host is short of
  /// memory. Equivalent to std::errc::not_enough_memory.
  memory_guard,
};

/// The memfs error category (name "memfs"). A singleton: compare by address.
[[nodiscard]] const std::error_category& memfs_category() noexcept;

/// Makes an error_code of the memfs category; found by ADL, so
/// `std::error_code ec = memfs::errc::lock_timeout;` works.
[[nodiscard]] std::error_code make_error_code(errc e) noexcept;

/// Base of every memfs exception. what() is "filesystem error: ", the
/// operation, the detail if any, the error's message, and each path in
/// brackets (as std::filesystem prints it; an empty path is left out):
///
///     filesystem error: create_directory: parent does not exist: No such file or directory [/a/b]
///     filesystem error: rename: No such file or directory [/a] [/b]
///
/// operation() returns the operation name alone ("create_directory").
class filesystem_error : public std::filesystem::filesystem_error {
 public:
  /// `detail` may be empty; so may `path1` (then no path is printed).
  filesystem_error(std::string_view operation, std::string_view detail,
                   std::string_view path1, std::error_code ec);
  /// An empty `path2` makes this the one-path form above.
  filesystem_error(std::string_view operation, std::string_view detail,
                   std::string_view path1, std::string_view path2,
                   std::error_code ec);

  /// The operation that failed, e.g. "open", "rename", "write".
  [[nodiscard]] const std::string& operation() const noexcept {
    return operation_;
  }

 private:
  std::string operation_;
};

/// Thrown when an operation would pass the byte quota. Nothing was changed.
///
///     filesystem error: write_file: needs 300 bytes, 20 available: quota exceeded [/big.bin]
class quota_exceeded_error : public filesystem_error {
 public:
  quota_exceeded_error(std::string_view operation, std::string_view path1,
                       std::string_view path2, std::error_code ec,
                       std::uint64_t requested, std::uint64_t available);

  /// Bytes the operation needed (nodes, for node_limit_exceeded_error).
  [[nodiscard]] std::uint64_t requested() const noexcept { return requested_; }
  /// Bytes free when the operation was refused.
  [[nodiscard]] std::uint64_t available() const noexcept { return available_; }

 protected:
  /// For subclasses that word their own detail text (the public constructor
  /// writes "needs N bytes, M available").
  quota_exceeded_error(std::string_view operation, std::string_view detail,
                       std::string_view path1, std::string_view path2,
                       std::error_code ec, std::uint64_t requested,
                       std::uint64_t available);

 private:
  std::uint64_t requested_;
  std::uint64_t available_;
};

/// Thrown when an operation would pass the node cap. A quota error: catching
/// quota_exceeded_error catches this too.
///
///     filesystem error: create_directory: needs 1 more node(s), 2 of 2 in use: node limit exceeded [/d]
class node_limit_exceeded_error : public quota_exceeded_error {
 public:
  /// `requested` is the number of nodes the operation needed; available()
  /// is what was left under the cap (limit - current, or 0).
  node_limit_exceeded_error(std::string_view operation, std::string_view path1,
                            std::string_view path2, std::uint64_t current,
                            std::uint64_t limit, std::uint64_t requested = 1);

  /// Nodes in use when the operation was refused (root included).
  [[nodiscard]] std::uint64_t current() const noexcept { return current_; }
  /// The node cap.
  [[nodiscard]] std::uint64_t limit() const noexcept { return limit_; }

 private:
  std::uint64_t current_;
  std::uint64_t limit_;
};

/// Thrown when a file lock was not acquired within its timeout.
///
///     filesystem error: open: lock not acquired in time: lock timeout [/f]
class lock_timeout_error : public filesystem_error {
 public:
  using filesystem_error::filesystem_error;
};

}  // namespace memfs

namespace std {
template <>
struct is_error_code_enum<memfs::errc> : true_type {};
}  // namespace std
