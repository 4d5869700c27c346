// memfs/hook.hpp — the single interception point of every FileSystem.
//
// Every public operation of FileSystem and File passes through one funnel. When
// a FileSystemHook is attached (FileSystem::set_hook), the funnel asks it,
// before doing any work, what to inject: an error, a shorter transfer, or
// nothing. With no hook attached the funnel costs one pointer test.
//
// The fault-injection module (memfs/fault_injection.hpp) is the hook users
// normally attach; write your own for tracing or custom policies.
//
// The order inside the funnel is fixed: validate arguments and normalize paths
// (bad input is reported as such, never as an injected fault), then call
// before(), then perform the operation (unless before() returned an error),
// then call after_transfer() for reads and writes that moved bytes, or
// after_error() when the filesystem refused an operation that takes storage.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <system_error>

#include "memfs/file.hpp"

namespace memfs {

struct Stats;
struct ErrorInfo;  // what a backend reports (backend.hpp)

/// The operations a hook sees. One public call is one Op (a bulk call such as
/// import_tree is reported once per file it writes, before any is written).
enum class Op : unsigned {
  open,      ///< FileSystem::open (path = the file)
  read,      ///< File::read / pread, FileSystem::read_file
  write,     ///< File::write / pwrite, FileSystem::write_file, import_tree
  truncate,  ///< File::truncate, FileSystem::resize_file
  sync,      ///< File::sync
  flush,     ///< File::flush
  close,     ///< File::close (an injected error is reported, but the handle
             ///< is released anyway, as close(2) does)
  create,    ///< create_directory / create_directories
  remove,    ///< remove / remove_all
  rename,    ///< rename (path2 = destination)
  copy,      ///< copy_file / copy (path2 = destination)
  stat,      ///< status, exists, is_directory, is_regular_file, file_size
  list,      ///< list, walk, glob
  lock,      ///< File::lock / try_lock (lock_mode says which)
};

/// Number of Op values, for tables indexed by Op.
inline constexpr unsigned kOpCount = static_cast<unsigned>(Op::lock) + 1;

/// The name of an Op as written in fault rules ("open", "read", ...).
[[nodiscard]] std::string_view op_name(Op op) noexcept;

/// What the hook is told about an operation about to run. The views are valid
/// only during the call.
struct OpContext {
  Op op = Op::stat;
  /// The normalized path (for File operations, the path the file was opened
  /// with).
  std::string_view path;
  /// The second path of rename/copy; empty otherwise.
  std::string_view path2;
  /// read/write: the file offset of the transfer; truncate: 0.
  std::uint64_t offset = 0;
  /// read/write: the bytes requested; truncate: the new size.
  std::uint64_t length = 0;
  /// read/write/truncate through a File: the file's size before the
  /// operation (0 where unknown).
  std::uint64_t file_size = 0;
  /// lock: the mode asked for. open: shared for read-only modes, else
  /// exclusive.
  LockMode lock_mode = LockMode::shared;
  /// open: the mode string; empty otherwise.
  std::string_view mode;
};

/// What a hook asks the funnel to do.
struct Injection {
  /// Fail the operation with this error (nothing is changed).
  std::error_code error;
  /// read/write: transfer at most this many bytes (a short read or write).
  /// File::read/write and read_file honour it; the all-or-nothing writes
  /// (write_file, import_tree) cannot, and fail with errc::injected_fault,
  /// writing nothing, when it is below the length.
  std::optional<std::uint64_t> limit;
  /// read: let after_transfer() corrupt the bytes read.
  bool corrupt = false;
  /// Opaque value handed back to after_transfer() (e.g. a rule id or seed).
  std::uint64_t cookie = 0;

  [[nodiscard]] bool empty() const noexcept {
    return !error && !limit && !corrupt;
  }
};

/// Interception interface. Implementations must be thread-safe: the funnel
/// calls them from whichever thread runs the operation, without holding any
/// filesystem lock (so a hook may sleep, or call back into the filesystem).
class FileSystemHook {
 public:
  FileSystemHook() = default;
  FileSystemHook(const FileSystemHook&) = delete;
  FileSystemHook& operator=(const FileSystemHook&) = delete;
  virtual ~FileSystemHook() = default;

  /// Decides what to inject into the operation described by `ctx`.
  [[nodiscard]] virtual Injection before(const OpContext& ctx) = 0;

  /// Called after a read or write moved `n` bytes (n may be 0). For reads,
  /// `data` points at the bytes read and may be modified (corruption); for
  /// writes it is null. `injection` is what before() returned.
  virtual void after_transfer(const OpContext& ctx, const Injection& injection,
                              char* data, std::size_t n) {
    (void)ctx;
    (void)injection;
    (void)data;
    (void)n;
  }

  /// Called when an operation that takes storage (open, write, truncate,
  /// copy; import_tree once, with its first file) was let through by
  /// before() and then refused by the filesystem itself: `error` is what
  /// the caller gets, quota numbers included. Lets a hook see the refusals
  /// of a full disk it simulated by shrinking the quota. Not called for
  /// errors before() injected, nor for bad arguments.
  virtual void after_error(const OpContext& ctx, const ErrorInfo& error) {
    (void)ctx;
    (void)error;
  }
  /// Lets the hook change what stats() and space() report, e.g. a smaller
  /// quota when it simulates a disk that fills up. Called with no lock held.
  virtual void adjust_stats(Stats& stats) { (void)stats; }

  /// Whether the funnel consults this hook at all. While it is false the
  /// filesystem behaves exactly as with no hook attached (no context is
  /// built, no member above is called), so an attached hook with nothing to
  /// do costs one more atomic load. True unless the hook clears it.
  [[nodiscard]] bool active() const noexcept {
    return active_.load(std::memory_order_acquire);
  }

 protected:
  /// For implementations: e.g. a fault injector with no rule armed.
  void set_active(bool on) noexcept {
    active_.store(on, std::memory_order_release);
  }

 private:
  std::atomic<bool> active_{true};
};

}  // namespace memfs
