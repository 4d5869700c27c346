// Internal: reading an archive entry by entry through libarchive, the checks
// every entry passes, and how a failure becomes an exception or error_code.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <system_error>

#include "memfs/archive.hpp"
#include "shared/exception_code.hpp"

struct archive;
struct archive_entry;

namespace memfs::detail {

/// Everything an archive operation knows about why it failed; becomes the
/// exception of the throwing forms (raise) or the error_code of the others.
struct ArchiveFailure {
  std::error_code code;
  /// Why, in words ("entry climbs out of the destination").
  std::string why;
  /// The entry (as written in the archive), or empty.
  std::string entry;
  /// quota_exceeded: bytes needed and free. node_limit_exceeded: nodes
  /// needed, in use, and the cap.
  std::uint64_t requested = 0;
  std::uint64_t available = 0;
  std::uint64_t current = 0;
  std::uint64_t limit = 0;

  [[nodiscard]] bool failed() const noexcept { return bool(code); }
  ArchiveFailure& set(std::error_code ec, std::string reason,
                      std::string_view name = {}) {
    code = ec;
    why = std::move(reason);
    entry = std::string(name);
    return *this;
  }
  ArchiveFailure& set(std::errc e, std::string reason,
                      std::string_view name = {}) {
    return set(std::make_error_code(e), std::move(reason), name);
  }
};

/// Throws the memfs exception for `f` (quota_exceeded_error,
/// node_limit_exceeded_error or filesystem_error), naming `op`, `archive` and
/// the entry.
[[noreturn]] void raise(std::string_view op, std::string_view archive,
                        const ArchiveFailure& f);

/// The error_code for libarchive's last error on `a`: host errors as they
/// are, libarchive's own (bad format, damaged data) as invalid_argument.
[[nodiscard]] std::error_code libarchive_code(::archive* a);
/// libarchive's last error message on `a`.
[[nodiscard]] std::string libarchive_message(::archive* a);

/// Runs `body(ArchiveFailure&)` and reports its failure the throwing way.
template <class F>
auto run_archive_throwing(std::string_view op, std::string_view archive,
                          F&& body) {
  ArchiveFailure f;
  auto result = body(f);
  if (f.failed()) raise(op, archive, f);
  return result;
}

/// Runs `body` and reports its failure through `ec` (never throws).
template <class F>
auto run_archive_noexcept(std::error_code& ec, F&& body) noexcept
    -> decltype(body(std::declval<ArchiveFailure&>())) {
  ArchiveFailure f;
  try {
    auto result = body(f);
    ec = f.code;
    return result;
  } catch (...) {
    ec = current_exception_code();
  }
  return {};
}

/// One entry of the archive, checked (see check_entry).
struct CheckedEntry {
  /// The name as the archive spells it (for messages).
  std::string name;
  /// Absolute memfs path under the destination.
  std::string path;
  bool is_directory = false;
  /// The size the header announces, when it announces one.
  std::optional<std::uint64_t> size;
};

/// A libarchive reader over a host file, an istream or a FILE*, with every
/// read format and filter enabled. Not copyable.
class ArchiveReader {
 public:
  /// Bytes read from libarchive at a time (the block the quota is checked
  /// against).
  static constexpr std::size_t kBlock = 64 * 1024;

  ArchiveReader();
  ~ArchiveReader();
  ArchiveReader(const ArchiveReader&) = delete;
  ArchiveReader& operator=(const ArchiveReader&) = delete;

  bool open(const std::filesystem::path& file, ArchiveFailure& f);
  bool open(std::istream& in, ArchiveFailure& f);
  bool open(std::FILE* in, ArchiveFailure& f);

  /// Moves to the next entry and checks it (see the top of archive.hpp) and
  /// against the entries seen so far; `dest` is the normalized destination.
  /// Returns false at the end or on failure (then `f` is set).
  bool next(const std::string& dest, CheckedEntry& out, ArchiveFailure& f);

  /// Reads up to kBlock bytes of the current entry's data into `buf`; 0 at
  /// its end. On failure sets `f` and returns 0.
  std::size_t read_block(char* buf, std::string_view entry, ArchiveFailure& f);

 private:
  bool finish_open(int rc, ArchiveFailure& f);
  void fail_from_libarchive(ArchiveFailure& f, std::string_view entry);

  ::archive* a_;
  // Every explicit entry, the files among them, and every directory the
  // entries lie in: a second entry of one name, an entry below a file, or a
  // file where a directory is needed, is refused.
  std::set<std::string> seen_;
  std::set<std::string> files_;
  std::set<std::string> parents_;
  // For the istream / FILE* callbacks.
  std::istream* in_ = nullptr;
  std::FILE* file_ = nullptr;
  char buffer_[kBlock];
};

/// Checks that the header and the data agree: `read` bytes came out of an
/// entry that announced `entry.size`.
bool check_size(const CheckedEntry& entry, std::uint64_t read,
                ArchiveFailure& f);

}  // namespace memfs::detail
