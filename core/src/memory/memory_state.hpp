// Internal: the state shared by MemoryFileSystem and its open files.
//
// Locking (acquire in this order, never the reverse):
//   1. State::tree_mutex    — the namespace: index, layers, token, children,
//                             counts, and directory times; and
//                             FileNode::linked.
//   2. a HandleRegistry shard's lock (handle_registry.hpp).
//   3. FileNode::data_mutex — one file's bytes, size, times, generation
//                             (shared for reads, unique for changes).
//   4. FileLock::State::mutex — one file's advisory lock state (its cv).
// The quota counter is atomic and needs no lock. Waiting for a FileLock never
// holds tree_mutex or any data_mutex, so one stuck lock stalls nothing else.
//
// Clones share the namespace (memory_clone.cpp): a filesystem's index is its
// own `index` over a chain of frozen layers (`layers`) that clones share and
// nobody changes. A node is the filesystem's own when its `owner` is the
// filesystem's `token`; any other node it reaches (through `layers`, or moved
// into `index` by a rename) is shared and never written: a change first
// replaces it with an own copy (own_entry_locked; the copy keeps the id).
// Handles and file locks are only ever taken on own nodes, and clone() keeps
// the nodes with open handles out of what it shares.
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
#include <type_traits>
#include <utility>
#include <vector>

#include "memfs/memory_file_system.hpp"
#include "memory/byte_store.hpp"
#include "memory/dir_entries.hpp"
#include "memory/durability.hpp"
#include "memory/handle_registry.hpp"
#include "memory/node_arena.hpp"
#include "memory/node_index.hpp"
#include "memory/shared_spin_lock.hpp"
#include "memory/tree_mutex.hpp"
#include "shared/single_threaded.hpp"

namespace memfs::detail {

using TimePoint = std::chrono::system_clock::time_point;

// Advisory whole-file lock: many shared holders or one exclusive holder.
// Writer-preferring: once an exclusive request waits, new shared requests
// queue behind it, so a stream of readers cannot starve a writer.
// Its state (a mutex, a condition variable, the counts) is made on first
// use: most files are never locked, and every file's lock would otherwise
// be built and torn down with it (pthread_cond_destroy, ~2 % of small_files).
class FileLock {
 public:
  FileLock() = default;
  ~FileLock() { delete state_.load(std::memory_order_acquire); }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

  // Waits up to `timeout` (zero: try once; kWaitForever: no limit).
  // Returns false on timeout.
  bool acquire(LockMode mode, std::chrono::nanoseconds timeout, Clock& clock);
  // Only after a successful acquire(mode).
  void release(LockMode mode);
  // True if anyone holds it (for lock_on_open checks in bulk operations).
  [[nodiscard]] bool held() const;

 private:
  struct State {
    std::mutex mutex;
    std::condition_variable cv;
    int readers = 0;          // guarded by mutex
    bool writer = false;      // guarded by mutex
    int waiting_writers = 0;  // guarded by mutex
  };
  // The state, made by the first acquire (the first of racing ones wins).
  State& state();

  std::atomic<State*> state_{nullptr};
};

struct Node {
  explicit Node(bool dir) : is_dir(dir), id(next_id()) {}
  // A copy of a shared node (see the top): the same id.
  Node(bool dir, std::uint64_t same_id) : is_dir(dir), id(same_id) {}
  virtual ~Node() = default;
  const bool is_dir;
  /// FileStatus::id: unique in the filesystem, never reused; a node and its
  /// copy-on-write copies (in clones) share it.
  const std::uint64_t id;
  // The token of the filesystem that may change it (MemoryState::token);
  // set before the node is reachable, then under the owner's tree_mutex.
  std::uint64_t owner = 0;
  TimePoint created{};
  TimePoint modified{};  // files: guarded by data_mutex; dirs: tree_mutex

 private:
  static std::uint64_t next_id() noexcept {
    static std::atomic<std::uint64_t> next{1};
    return next.fetch_add(1, std::memory_order_relaxed);
  }
};

struct DirNode final : Node {
  // (make_node passes every DirNode its arena; the entries, in runs of
  // several, come from the heap.)
  explicit DirNode(NodeArena* /*arena*/ = nullptr) : Node(true) {}
  DirNode(NodeArena* /*arena*/, std::uint64_t same_id) : Node(true, same_id) {}
  // Children by name, in bytewise order (dir_entries.hpp); the index owns
  // the nodes. Guarded by tree_mutex.
  DirEntries children;
};

struct FileNode final : Node {
  FileNode() : Node(false) {}
  explicit FileNode(std::uint64_t same_id) : Node(false, same_id) {}
  mutable SharedSpinLock data_mutex;
  ByteStore store;               // guarded by data_mutex
  std::uint64_t generation = 0;  // guarded by data_mutex
  // Handles are not counted per file (a count would cost every open and
  // close two locked instructions): an unlink finds them in the handle
  // registry. `opened` tells it whether to look: set by an open (under
  // tree_mutex), cleared by an unlink or replace that finds no handle
  // (under it uniquely).
  std::atomic<bool> opened{false};
  // The handles an unlink found open, set under every registry shard's
  // lock (HandleRegistry::park); each of them lowers it as it closes, and
  // the one that lowers it to 0 unparks the node.
  std::atomic<std::uint32_t> parked_handles{0};
  // In the tree. Written under tree_mutex and data_mutex; atomic for
  // open_handles(), which holds no data lock.
  std::atomic<bool> linked{true};
  // The node itself while it is unlinked with handles open (handles point
  // to their node without counting). Set under tree_mutex held uniquely,
  // cleared by the last close under tree_mutex held shared.
  std::shared_ptr<FileNode> parked;
  FileLock lock;
};

class MemoryOpenFile;

// Reads available host memory: cgroup v2, then cgroup v1, then /proc/meminfo.
std::optional<std::uint64_t> host_available_memory();

// Path -> node (node_index.hpp); a null node marks a path removed (over a
// layer below).
using NodeMap = NodeIndex;

// A new node of type N (FileNode or DirNode) allocated from `arena`; a
// DirNode's entries come from it too.
template <class N, class... Args>
std::shared_ptr<N> make_node(NodeArena* arena, Args&&... args) {
  if constexpr (std::is_same_v<N, DirNode>) {
    return std::allocate_shared<N>(ArenaAllocator<N>(arena), arena,
                                   std::forward<Args>(args)...);
  } else {
    return std::allocate_shared<N>(ArenaAllocator<N>(arena),
                                   std::forward<Args>(args)...);
  }
}

// A frozen part of the index, shared by clones and never changed: its
// entries hide those of the layers below.
struct FrozenLayer {
  NodeMap entries;
  std::shared_ptr<const FrozenLayer> below;
  std::size_t depth = 1;  // layers in this chain
};

// A copy of `from` owned by `owner` (the same id, times, generation and
// bytes; no handle, no lock), allocated from `arena`. A file's data_mutex
// must be held (shared).
std::shared_ptr<Node> copy_node_locked(const Node& from, std::uint64_t owner,
                                       NodeArena* arena);

struct MemoryState {
  // A new filesystem: an empty root.
  explicit MemoryState(MemoryOptions opts);
  // A clone: the index is `shared` (frozen), nothing its own yet.
  MemoryState(MemoryOptions opts, std::shared_ptr<const FrozenLayer> shared);
  // Tears the tree down in one run of the arena.
  ~MemoryState();
  MemoryState(const MemoryState&) = delete;
  MemoryState& operator=(const MemoryState&) = delete;

  MemoryOptions options;
  std::shared_ptr<Clock> clock;
  // clock is a SystemClock: change times as Linux (6.13 and later) takes
  // them, cheaply. The coarse clock (the last tick, CLOCK_REALTIME_COARSE:
  // a few ms behind system_clock, and one read costs a fourth of a precise
  // one) unless a status() read times since the last fine-grained change,
  // then the precise clock; always after any fine-grained time handed out
  // earlier, so times never go backwards and a change after a status() is
  // always seen. Tests check both sides of it against /dev/shm.
  bool system_times = false;
  static TimePoint system_change_time() noexcept;
  // Where this filesystem's nodes and index and directory entries live
  // (node_arena.hpp); it outlives the state while any of them does.
  NodeArenaHold arena;

  mutable TreeMutex tree_mutex;
  // Every live path -> its node, "/" included: `index` over `layers` (see the
  // top). Only `index` changes.                      guarded by tree_mutex
  NodeMap index;
  std::shared_ptr<const FrozenLayer> layers;  // guarded by tree_mutex
  std::uint64_t token;                        // guarded by tree_mutex
  std::uint64_t file_count = 0;               // guarded by tree_mutex
  std::uint64_t directory_count = 1;          // guarded by tree_mutex (root)

  std::atomic<std::uint64_t> used{0};
  std::atomic<std::uint64_t> quota{0};

  // The open handles (handle_registry.hpp; its own locks inside).
  HandleRegistry handles;

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
    fetch_sub_st(used, n, std::memory_order_relaxed);
  }
  // The memory guard before an allocation of n bytes (per_write mode).
  bool guard_allows(std::uint64_t n, ErrorInfo& err);
  void warn(std::string_view message) const;

  // --- nodes (tree_mutex held) ----------------------------------------------
  // Each lookup takes the path as a string_view, or as an IndexKey (the
  // path with its hash) when an operation looks one path up more than once.
  //
  // The index entry of a normalized path (never a null node); nullptr if
  // missing. The node may be shared: read it, never change it.
  const std::shared_ptr<Node>* entry_locked(const IndexKey& key) const;
  const std::shared_ptr<Node>* entry_locked(std::string_view path) const {
    return entry_locked(IndexKey(path));
  }
  // Looks a normalized path up; nullptr if missing (read only, as above).
  const detail::Node* find_locked(const IndexKey& key) const {
    const std::shared_ptr<Node>* e = entry_locked(key);
    return e == nullptr ? nullptr : e->get();
  }
  const detail::Node* find_locked(std::string_view path) const {
    return find_locked(IndexKey(path));
  }
  [[nodiscard]] bool owns(const Node& node) const {
    return node.owner == token;
  }
  // tree_mutex held uniquely: the entry of `path` made the filesystem's own
  // (a shared node is replaced by a copy); nullptr if missing.
  std::shared_ptr<Node>* own_entry_locked(const IndexKey& key);
  std::shared_ptr<Node>* own_entry_locked(std::string_view path) {
    return own_entry_locked(IndexKey(path));
  }
  detail::Node* own_locked(const IndexKey& key) {
    std::shared_ptr<Node>* e = own_entry_locked(key);
    return e == nullptr ? nullptr : e->get();
  }
  detail::Node* own_locked(std::string_view path) {
    return own_locked(IndexKey(path));
  }
  // The same for a path known to name a directory.
  detail::DirNode* own_dir_locked(std::string_view path) {
    return static_cast<DirNode*>(own_locked(path));
  }
  // tree_mutex held uniquely: removes `path` from the index (which must hold
  // it) and returns its node.
  std::shared_ptr<Node> take_locked(const IndexKey& key);
  std::shared_ptr<Node> take_locked(std::string_view path) {
    return take_locked(IndexKey(path));
  }
  // tree_mutex held uniquely: `path` (absent) names `node`.
  void put_locked(std::string_view path, std::shared_ptr<Node> node);
  // Calls f(std::string_view path, node) for every live entry (any order).
  template <class F>
  void for_each_entry_locked(F&& f) const;
  // tree_mutex held uniquely: freezes `index` into a new layer over `layers`
  // and returns the chain a clone shares; this filesystem gets a new token,
  // so everything it had becomes shared. Files with handles open stay its
  // own (the layer gets a copy of each). `clone_used` gets the bytes the
  // clone holds: used, less files removed while open.
  std::shared_ptr<const FrozenLayer> freeze_locked(std::uint64_t& clone_used);
  // Why `path` is missing: not_a_directory if an ancestor is a file, else
  // no_such_file_or_directory.
  std::errc missing_reason_locked(std::string_view path) const;
  // Looks up the target of a remove: nullptr when missing, with err set only
  // when the path cannot name anything (an ancestor is a file): removing
  // what is merely absent is not an error.
  const detail::Node* find_to_remove_locked(std::string_view path,
                                            ErrorInfo& err) const;
  // Resolves a path for an operation that needs it to exist, applying the
  // trailing-slash rule; nullptr with err set otherwise.
  const detail::Node* resolve_locked(const NormalizedPath& path,
                                     ErrorInfo& err) const;
  // The same, as the index's owning pointer (to keep the node alive after
  // the tree lock is released); nullptr with err set otherwise.
  const std::shared_ptr<detail::Node>* resolve_entry_locked(
      const NormalizedPath& path, ErrorInfo& err) const;
  // The parent directory of `path` for creating an entry there; nullptr with
  // err set (no_such_file_or_directory / not_a_directory) otherwise.
  // Made the filesystem's own (tree_mutex held uniquely).
  detail::DirNode* parent_for_create_locked(std::string_view path,
                                            ErrorInfo& err);
  // Fails with node_limit_exceeded unless `extra` more nodes fit.
  bool nodes_fit_locked(std::uint64_t extra, ErrorInfo& err) const;
  // Links a new node at `path` under `parent`; the parent's modified time
  // becomes the node's (so set the node's times first).
  void link_locked(detail::DirNode& parent, const IndexKey& key,
                   std::shared_ptr<detail::Node> node);
  void link_locked(detail::DirNode& parent, std::string_view path,
                   std::shared_ptr<detail::Node> node) {
    link_locked(parent, IndexKey(path), std::move(node));
  }
  // Unlinks the node at `path` (and, for a directory, nothing else: callers
  // unlink children first). A file's bytes are freed unless a handle holds
  // it; with `release`, the ledger is credited too. Returns the bytes freed.
  std::uint64_t unlink_locked(std::string_view path, bool release = true);
  // For bulk operations that replace files: charges `total` new bytes and
  // unlinks `replaced`, in an order that never lets used pass the quota.
  // Fails (nothing changed) with quota_exceeded.
  bool charge_replacing_locked(std::uint64_t total,
                               const std::vector<std::string>& replaced,
                               ErrorInfo& err);
  // Every path under `dir` (excluded), parents before children.
  std::vector<std::string> subtree_locked(const std::string& dir) const;
  void touch_parent_locked(std::string_view path);

  // The time of a change (a file's or directory's created and modified
  // times). With a SystemClock, as Linux takes it (system_times below);
  // with any other clock, clock->now().
  [[nodiscard]] TimePoint now() const {
    return system_times ? system_change_time() : clock->now();
  }
  // A status() read a node's times: the next change takes a fine-grained
  // time, so that it differs from what was read.
  void times_read() const noexcept;
  // set_modified() stored `time`: later changes come after it, unless it
  // is in the future (then after now).
  void time_set(TimePoint time) const noexcept;
  // A token no filesystem had before.
  static std::uint64_t new_token() noexcept {
    static std::atomic<std::uint64_t> next{1};
    return next.fetch_add(1, std::memory_order_relaxed);
  }
  [[nodiscard]] std::chrono::nanoseconds effective_timeout(
      std::optional<std::chrono::nanoseconds> t) const {
    return t ? *t : options.default_lock_timeout;
  }
};

// Calls f(const IndexKey&, node) for every live entry of `top` (may be
// null) over `chain`: an entry hides those of the same path below it.
template <class F>
void for_each_layered(const NodeMap* top, const FrozenLayer* chain, F&& f) {
  using Value = std::shared_ptr<Node>;
  if (top != nullptr) {
    top->for_each([&](const IndexKey& key, const Value& node) {
      if (node != nullptr) f(key, node);
    });
  }
  for (const FrozenLayer* layer = chain; layer != nullptr;
       layer = layer->below.get()) {
    layer->entries.for_each([&](const IndexKey& key, const Value& node) {
      bool hidden = node == nullptr || (top != nullptr && top->contains(key));
      for (const FrozenLayer* above = chain; above != layer && !hidden;
           above = above->below.get()) {
        hidden = above->entries.contains(key);
      }
      if (!hidden) f(key, node);
    });
  }
}

template <class F>
void MemoryState::for_each_entry_locked(F&& f) const {
  for_each_layered(&index, layers.get(),
                   [&](const IndexKey& key, const std::shared_ptr<Node>& node) {
                     f(key.path, node);
                   });
}

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

// Runs body(tree) under a TreeLock (TreeRead or TreeWrite) on tree_mutex;
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
using ReadLock = std::shared_lock<detail::SharedSpinLock>;
using WriteLock = std::unique_lock<detail::SharedSpinLock>;
using TreeRead = std::shared_lock<detail::TreeMutex>;
using TreeWrite = std::unique_lock<detail::TreeMutex>;

}  // namespace memfs::memory_names
