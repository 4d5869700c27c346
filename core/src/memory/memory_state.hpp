// Internal: the state shared by MemoryFileSystem and its open files.
//
// Locking (acquire in this order, never the reverse):
//   1. State::tree_mutex    — the namespace: index, children, counts, and
//                             directory times; and FileNode::linked.
//   2. FileNode::data_mutex — one file's bytes, size, times, generation,
//                             open_count (shared for reads, unique for changes).
//   3. FileLock::mutex      — one file's advisory lock state (its own cv).
// The quota counter is atomic and needs no lock. Waiting for a FileLock never
// holds tree_mutex or any data_mutex, so one stuck lock stalls nothing else.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "memfs/memory_file_system.hpp"
#include "memory/byte_store.hpp"
#include "memory/durability.hpp"

namespace memfs::detail {

using TimePoint = std::chrono::system_clock::time_point;

// Advisory whole-file lock: many shared holders or one exclusive holder.
// Writer-preferring: once an exclusive request waits, new shared requests
// queue behind it, so a stream of readers cannot starve a writer.
class FileLock {
 public:
  // Waits up to `timeout` (zero: try once; kWaitForever: no limit).
  // Returns false on timeout.
  bool acquire(LockMode mode, std::chrono::nanoseconds timeout, Clock& clock);
  void release(LockMode mode);
  // True if anyone holds it (for lock_on_open checks in bulk operations).
  [[nodiscard]] bool held() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  int readers_ = 0;          // guarded by mutex_
  bool writer_ = false;      // guarded by mutex_
  int waiting_writers_ = 0;  // guarded by mutex_
};

struct Node {
  explicit Node(bool dir) : is_dir(dir), id(next_id()) {}
  virtual ~Node() = default;
  const bool is_dir;
  /// FileStatus::id: unique in the process, never reused.
  const std::uint64_t id;
  TimePoint created{};
  TimePoint modified{};  // files: guarded by data_mutex; dirs: tree_mutex

 private:
  static std::uint64_t next_id() noexcept {
    static std::atomic<std::uint64_t> next{1};
    return next.fetch_add(1, std::memory_order_relaxed);
  }
};

struct DirNode final : Node {
  DirNode() : Node(true) {}
  // Children by name, in bytewise order; the index owns the nodes.
  std::map<std::string, Node*, std::less<>> children;  // guarded by tree_mutex
};

struct FileNode final : Node {
  FileNode() : Node(false) {}
  mutable std::shared_mutex data_mutex;
  ByteStore store;               // guarded by data_mutex
  std::uint64_t generation = 0;  // guarded by data_mutex
  std::uint64_t open_count = 0;  // guarded by data_mutex
  bool linked = true;  // guarded by data_mutex (written under tree_mutex too)
  FileLock lock;
};

class MemoryOpenFile;

// Reads available host memory: cgroup v2, then cgroup v1, then /proc/meminfo.
std::optional<std::uint64_t> host_available_memory();

struct MemoryState {
  explicit MemoryState(MemoryOptions opts);

  MemoryOptions options;
  std::shared_ptr<Clock> clock;

  mutable std::shared_mutex tree_mutex;
  // Every live path -> its node; "/" included.   guarded by tree_mutex
  std::unordered_map<std::string, std::shared_ptr<detail::Node>> index;
  std::uint64_t file_count = 0;       // guarded by tree_mutex
  std::uint64_t directory_count = 1;  // guarded by tree_mutex (root)

  std::atomic<std::uint64_t> used{0};
  std::atomic<std::uint64_t> quota{0};

  mutable std::mutex handles_mutex;
  // The open handles, as an intrusive list through MemoryOpenFile, so an
  // open allocates nothing for it (see memory_open_file.hpp).
  detail::MemoryOpenFile* handles_head = nullptr;  // guarded by handles_mutex
  std::uint64_t handle_count = 0;                  // guarded by handles_mutex

  // The durability model (crash.hpp); null unless options.track_durability.
  // Its own lock inside (see durability.hpp).
  std::unique_ptr<Durability> durability;

  // Memory guard cache.                         guarded by guard_mutex
  mutable std::mutex guard_mutex;
  std::optional<std::uint64_t> guard_available;
  std::chrono::steady_clock::time_point guard_checked{};
  bool guard_has_reading = false;

  // --- quota ---------------------------------------------------------------
  // Reserves n bytes or fails with quota_exceeded (nothing reserved).
  bool reserve(std::uint64_t n, ErrorInfo& err);
  void release(std::uint64_t n) noexcept {
    used.fetch_sub(n, std::memory_order_relaxed);
  }
  // The memory guard before an allocation of n bytes (per_write mode).
  bool guard_allows(std::uint64_t n, ErrorInfo& err);
  void warn(std::string_view message) const;

  // --- nodes (tree_mutex held) ----------------------------------------------
  // Looks a normalized path up; nullptr if missing.
  detail::Node* find_locked(const std::string& path) const;
  // Why `path` is missing: not_a_directory if an ancestor is a file, else
  // no_such_file_or_directory.
  std::errc missing_reason_locked(const std::string& path) const;
  // Looks up the target of a remove: nullptr when missing, with err set only
  // when the path cannot name anything (an ancestor is a file): removing
  // what is merely absent is not an error.
  const detail::Node* find_to_remove_locked(const std::string& path,
                                            ErrorInfo& err) const;
  // Resolves a path for an operation that needs it to exist, applying the
  // trailing-slash rule; nullptr with err set otherwise.
  detail::Node* resolve_locked(const NormalizedPath& path,
                               ErrorInfo& err) const;
  // The same, as the index's owning pointer (to keep the node alive after
  // the tree lock is released); nullptr with err set otherwise.
  const std::shared_ptr<detail::Node>* resolve_entry_locked(
      const NormalizedPath& path, ErrorInfo& err) const;
  // The parent directory of `path` for creating an entry there; nullptr with
  // err set (no_such_file_or_directory / not_a_directory) otherwise.
  detail::DirNode* parent_for_create_locked(const std::string& path,
                                            ErrorInfo& err) const;
  // Fails with node_limit_exceeded unless `extra` more nodes fit.
  bool nodes_fit_locked(std::uint64_t extra, ErrorInfo& err) const;
  // Links a new node at `path` under `parent`; the parent's modified time
  // becomes the node's (so set the node's times first).
  void link_locked(detail::DirNode& parent, std::string path,
                   std::shared_ptr<detail::Node> node);
  // Unlinks the node at `path` (and, for a directory, nothing else: callers
  // unlink children first). A file's bytes are freed unless a handle holds
  // it; with `release`, the ledger is credited too. Returns the bytes freed.
  std::uint64_t unlink_locked(const std::string& path, bool release = true);
  // For bulk operations that replace files: charges `total` new bytes and
  // unlinks `replaced`, in an order that never lets used pass the quota.
  // Fails (nothing changed) with quota_exceeded.
  bool charge_replacing_locked(std::uint64_t total,
                               const std::vector<std::string>& replaced,
                               ErrorInfo& err);
  // Every path under `dir` (excluded), parents before children.
  std::vector<std::string> subtree_locked(const std::string& dir) const;
  void touch_parent_locked(const std::string& path);

  [[nodiscard]] TimePoint now() const { return clock->now(); }
  [[nodiscard]] std::chrono::nanoseconds effective_timeout(
      std::optional<std::chrono::nanoseconds> t) const {
    return t ? *t : options.default_lock_timeout;
  }
};

// lock_on_open for the operations that change files without a handle
// (write_file, resize_file, copy_file, copy, import_tree): each takes the
// exclusive lock of every file it will change, as open("w") would, waiting
// up to the default lock timeout with no tree or data lock held; then,
// under the tree lock, it checks that the paths still name the files it
// locked, and starts over if one was replaced meanwhile.
class ChangeLocks {
 public:
  explicit ChangeLocks(MemoryState& state) : state_(state) {}
  ~ChangeLocks() { release(); }
  ChangeLocks(const ChangeLocks&) = delete;
  ChangeLocks& operator=(const ChangeLocks&) = delete;

  // Locks the files now at `paths` (missing paths and directories are
  // remembered as such). False with lock_timeout (nothing held) when one
  // is not free within the default lock timeout.
  bool acquire(std::vector<std::string> paths, ErrorInfo& err);
  // tree_mutex held: every path still names what acquire() found there.
  [[nodiscard]] bool current_locked() const;
  void release() noexcept;

 private:
  MemoryState& state_;
  // Each path and the file that was there (null: none).
  std::vector<std::pair<std::string, std::shared_ptr<FileNode>>> files_;
  std::size_t locked_ = 0;  // files_[0, locked_) with a file are held
};

// Runs body(tree) under a TreeLock (ReadLock or WriteLock) on tree_mutex;
// under lock_on_open also holding the ChangeLocks of paths_of() (a
// std::vector<std::string>, called with no lock held). Returns body's
// result, or a value-initialized one with err = lock_timeout.
template <class TreeLock, class PathsOf, class Body>
auto change_files(MemoryState& s, PathsOf&& paths_of, ErrorInfo& err,
                  Body&& body) -> decltype(body(std::declval<TreeLock&>())) {
  using Result = decltype(body(std::declval<TreeLock&>()));
  if (!s.options.lock_on_open) {
    TreeLock tree(s.tree_mutex);
    return body(tree);
  }
  const std::vector<std::string> paths = paths_of();
  ChangeLocks locks(s);
  for (;;) {
    if (!locks.acquire(paths, err)) return Result();
    TreeLock tree(s.tree_mutex);
    if (locks.current_locked()) return body(tree);
    tree.unlock();
    locks.release();  // a path was replaced meanwhile: lock the new file
  }
}

}  // namespace memfs::detail

namespace memfs::memory_names {

// The names the engine's sources (memory_*.cpp, which define
// MemoryFileSystem's members in namespace memfs) use unqualified: each says
// `using namespace memory_names;`.
using detail::ByteStore;
using detail::DirNode;
using detail::FileNode;
using detail::MemoryState;
using detail::Node;
using ReadLock = std::shared_lock<std::shared_mutex>;
using WriteLock = std::unique_lock<std::shared_mutex>;

}  // namespace memfs::memory_names
