// The shared state of MemoryFileSystem: quota ledger, memory guard, node
// bookkeeping, and the advisory file lock.
#include "memory/memory_state.hpp"

#include <time.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <limits>
#include <string>
#include <tuple>

#include "shared/path_join.hpp"

namespace memfs::detail {

namespace {

// Shared by every filesystem of the process, as the kernel's are by its
// filesystems: whether a status() read times since the last fine-grained
// change time, and the latest fine-grained time handed out (nanoseconds
// since the epoch).
std::atomic<bool> g_times_read{false};
std::atomic<std::int64_t> g_fine_floor{0};

std::int64_t clock_ns(clockid_t id) noexcept {
  timespec ts{};
  ::clock_gettime(id, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// Raises the floor to `t`.
void raise_floor(std::int64_t t) noexcept {
  std::int64_t floor = g_fine_floor.load(std::memory_order_relaxed);
  while (floor < t && !compare_exchange_st(g_fine_floor, floor, t,
                                           std::memory_order_relaxed)) {
  }
}

}  // namespace

TimePoint MemoryState::system_change_time() noexcept {
  using std::memory_order_relaxed;
  std::int64_t t = 0;
  if (g_times_read.load(memory_order_relaxed)) {
    g_times_read.store(false, memory_order_relaxed);
    t = clock_ns(CLOCK_REALTIME);
    raise_floor(t);
  } else {
    // Past the floor: a change after a fine-grained one (which may have
    // been read) is always later.
    t = std::max(clock_ns(CLOCK_REALTIME_COARSE),
                 g_fine_floor.load(memory_order_relaxed) + 1);
  }
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(
      std::chrono::nanoseconds(t)));
}

void MemoryState::time_set(TimePoint time) const noexcept {
  // A time stored by hand (utimensat(NULL) on a mount, "touch") is usually
  // now, read precisely: the next coarse change must not come before it.
  // Capped at now, so that a time set in the future leaves the floor alone.
  if (!system_times) return;
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                      time.time_since_epoch())
                      .count();
  raise_floor(std::min<std::int64_t>(ns, clock_ns(CLOCK_REALTIME)));
}

void MemoryState::times_read() const noexcept {
  // A load first: status() calls on many threads keep the line shared.
  if (system_times && !g_times_read.load(std::memory_order_relaxed))
    g_times_read.store(true, std::memory_order_relaxed);
}

MemoryState::MemoryState(MemoryOptions opts,
                         std::shared_ptr<const FrozenLayer> shared)
    : options(std::move(opts)),
      index(arena.arena),
      layers(std::move(shared)),
      token(new_token()) {
  clock = options.clock
              ? options.clock
              : std::static_pointer_cast<Clock>(SystemClock::instance());
  system_times = dynamic_cast<const SystemClock*>(clock.get()) != nullptr;
  quota.store(options.max_quota);
  if (layers == nullptr) {
    auto root = make_node<DirNode>(arena.arena);
    root->created = root->modified = now();  // a change time, as any other
    root->owner = token;
    *index.try_emplace(IndexKey("/")).first = std::move(root);
  }
  if (options.track_durability)
    durability = std::make_unique<Durability>(find_locked("/")->id);
}

MemoryState::MemoryState(MemoryOptions opts)
    : MemoryState(std::move(opts), nullptr) {}

MemoryState::~MemoryState() {
  // One lock of the arena for every piece the tree gives back. Pieces of
  // other arenas (shared by the filesystem this one was cloned from) take
  // their own arena's lock meanwhile; a filesystem never holds pieces of its
  // clones', so two teardowns never wait for each other.
  NodeArena::Run run(arena.arena);
  index.clear();
  layers.reset();
}

bool MemoryState::reserve(std::uint64_t n, ErrorInfo& err) {
  if (n == 0) return true;
  std::uint64_t cur = used.load(std::memory_order_relaxed);
  for (;;) {
    const std::uint64_t q = quota.load(std::memory_order_relaxed);
    if (cur > q || n > q - cur) {
      err.set(errc::quota_exceeded);
      err.requested = n;
      err.available = cur > q ? 0 : q - cur;
      return false;
    }
    if (compare_exchange_st(used, cur, cur + n, std::memory_order_relaxed)) {
      break;
    }
  }
  if (options.memory_guard == MemoryGuardMode::per_write &&
      !guard_allows(n, err)) {
    release(n);
    return false;
  }
  return true;
}

bool MemoryState::guard_allows(std::uint64_t n, ErrorInfo& err) {
  std::optional<std::uint64_t> available;
  {
    std::lock_guard<std::mutex> lock(guard_mutex);
    const auto now = clock->steady_now();
    if (!guard_has_reading ||
        now - guard_checked >= options.memory_guard_interval) {
      guard_available = options.available_memory ? options.available_memory()
                                                 : host_available_memory();
      guard_checked = now;
      guard_has_reading = true;
    }
    available = guard_available;
  }
  if (!available || n <= *available) return true;
  if (options.memory_guard_action == MemoryGuardAction::warn) {
    warn("memfs: memory guard: allocating " + std::to_string(n) +
         " bytes but only " + std::to_string(*available) +
         " bytes of memory are available");
    return true;
  }
  err.set(errc::memory_guard);
  err.requested = n;
  err.available = *available;
  return false;
}

void MemoryState::warn(std::string_view message) const {
  if (options.on_warning) {
    options.on_warning(message);
  } else {
    std::cerr << message << '\n';
  }
}

namespace {

// The entry of `path` in a chain of layers: the node, a null node (removed),
// or nullptr (no layer has it).
const std::shared_ptr<Node>* layer_entry(const FrozenLayer* layer,
                                         const IndexKey& key) {
  for (; layer != nullptr; layer = layer->below.get()) {
    if (const std::shared_ptr<Node>* e = layer->entries.find(key)) return e;
  }
  return nullptr;
}

bool in_layers(const FrozenLayer* layer, const IndexKey& key) {
  const std::shared_ptr<Node>* e = layer_entry(layer, key);
  return e != nullptr && *e != nullptr;
}

}  // namespace

std::shared_ptr<Node> copy_node_locked(const Node& from, std::uint64_t owner,
                                       NodeArena* arena) {
  std::shared_ptr<Node> copy;
  if (from.is_dir) {
    auto dir = make_node<DirNode>(arena, from.id);
    dir->children = static_cast<const DirNode&>(from).children;
    copy = std::move(dir);
  } else {
    const auto& file = static_cast<const FileNode&>(from);
    auto f = make_node<FileNode>(arena, from.id);
    f->store = file.store;  // shares the chunks
    f->generation = file.generation;
    copy = std::move(f);
  }
  copy->created = from.created;
  copy->modified = from.modified;
  copy->owner = owner;
  return copy;
}

const std::shared_ptr<Node>* MemoryState::entry_locked(
    const IndexKey& key) const {
  const std::shared_ptr<Node>* e = index.find(key);
  if (e == nullptr) e = layer_entry(layers.get(), key);
  return e == nullptr || *e == nullptr ? nullptr : e;
}

std::shared_ptr<Node>* MemoryState::own_entry_locked(const IndexKey& key) {
  std::shared_ptr<Node>* own = index.find(key);
  if (own == nullptr) {
    const std::shared_ptr<Node>* shared = layer_entry(layers.get(), key);
    if (shared == nullptr || *shared == nullptr) return nullptr;
    own = index.try_emplace(key).first;
    *own = *shared;
  } else if (*own == nullptr) {
    return nullptr;
  }
  std::shared_ptr<Node>& node = *own;
  if (node->owner != token) {
    if (node->is_dir) {
      node = copy_node_locked(*node, token, arena.arena);
    } else {
      std::shared_lock<SharedSpinLock> data(
          static_cast<FileNode&>(*node).data_mutex);
      std::shared_ptr<Node> copy = copy_node_locked(*node, token, arena.arena);
      data.unlock();
      node = std::move(copy);
    }
  }
  return &node;
}

std::shared_ptr<Node> MemoryState::take_locked(const IndexKey& key) {
  std::shared_ptr<Node>* own = index.find(key);
  if (own == nullptr) {
    // Only in a layer: hide it there.
    const std::shared_ptr<Node>* shared = layer_entry(layers.get(), key);
    std::shared_ptr<Node> node = shared != nullptr ? *shared : nullptr;
    index.try_emplace(key);  // a null node
    return node;
  }
  std::shared_ptr<Node> node = std::move(*own);
  // A null node keeps hiding the layers' entry; else the path goes.
  if (!in_layers(layers.get(), key)) index.erase(key);
  return node;
}

void MemoryState::put_locked(std::string_view path,
                             std::shared_ptr<Node> node) {
  *index.try_emplace(IndexKey(path)).first = std::move(node);
}

std::errc MemoryState::missing_reason_locked(std::string_view path) const {
  std::string_view p = path;
  while (p.size() > 1) {
    p = parent_path(p);
    if (const Node* n = find_locked(p)) {
      return n->is_dir ? std::errc::no_such_file_or_directory
                       : std::errc::not_a_directory;
    }
  }
  return std::errc::no_such_file_or_directory;
}

const Node* MemoryState::find_to_remove_locked(std::string_view path,
                                               ErrorInfo& err) const {
  const Node* n = find_locked(path);
  if (n == nullptr) {
    const std::errc why = missing_reason_locked(path);
    if (why != std::errc::no_such_file_or_directory) err.set(why);
  }
  return n;
}

const std::shared_ptr<Node>* MemoryState::resolve_entry_locked(
    const NormalizedPath& path, ErrorInfo& err) const {
  const std::shared_ptr<Node>* e = entry_locked(path.value);
  if (e == nullptr) {
    err.set(missing_reason_locked(path.value));
    return nullptr;
  }
  if (path.trailing_slash && !(*e)->is_dir) {
    err.set(std::errc::not_a_directory);
    return nullptr;
  }
  return e;
}

const Node* MemoryState::resolve_locked(const NormalizedPath& path,
                                        ErrorInfo& err) const {
  const std::shared_ptr<Node>* entry = resolve_entry_locked(path, err);
  return entry == nullptr ? nullptr : entry->get();
}

DirNode* MemoryState::parent_for_create_locked(std::string_view path,
                                               ErrorInfo& err) {
  const IndexKey parent(parent_path(path));
  const std::shared_ptr<Node>* p = entry_locked(parent);
  if (p == nullptr) {
    err.set(missing_reason_locked(parent.path));
    return nullptr;
  }
  if (!(*p)->is_dir) {
    err.set(std::errc::not_a_directory);
    return nullptr;
  }
  // Own already (the common case): no second lookup.
  if (owns(**p)) return static_cast<DirNode*>(p->get());
  return static_cast<DirNode*>(own_locked(parent));
}

bool MemoryState::nodes_fit_locked(std::uint64_t extra, ErrorInfo& err) const {
  if (!options.max_nodes) return true;
  const std::uint64_t current = file_count + directory_count;
  if (extra == 0 || current + extra <= *options.max_nodes) return true;
  err.set(errc::node_limit_exceeded);
  err.requested = extra;
  err.current = current;
  err.limit = *options.max_nodes;
  return false;
}

void MemoryState::link_locked(DirNode& parent, const IndexKey& key,
                              std::shared_ptr<Node> node) {
  Node* raw = node.get();
  raw->owner = token;
  // May throw: before any change. The index keeps the path (over a null
  // node when it hides a layer's); the parent's entry names the node by the
  // path's last component.
  const auto [entry, inserted] = index.try_emplace(key);
  *entry = std::move(node);
  try {
    parent.children.insert(filename(key.path), ChildRef{raw->id, raw->is_dir});
  } catch (...) {
    if (inserted) {
      index.erase(key);
    } else {
      *entry = nullptr;
    }
    throw;
  }
  (raw->is_dir ? directory_count : file_count) += 1;
  // The new node's own time: creating it is what changed the parent, and it
  // saves a second clock read per create.
  parent.modified = raw->modified;
}

std::uint64_t MemoryState::unlink_locked(std::string_view path,
                                         bool release_bytes) {
  // A shared file is made this filesystem's own first, so that what
  // follows (linked, the durability record, freeing) changes only a copy.
  const IndexKey key(path);
  if (own_entry_locked(key) == nullptr) return 0;
  std::shared_ptr<Node> node = take_locked(key);
  if (DirNode* parent = own_dir_locked(parent_path(path))) {
    parent->children.erase(filename(path));
    parent->modified = now();
  }
  if (node->is_dir) {
    --directory_count;
    return 0;
  }
  --file_count;
  auto* file = static_cast<FileNode*>(node.get());
  // Before the data lock (the registry's locks come first). A close
  // meanwhile either left the registry or is counted; a counted one waits
  // for this unlink (tree_mutex) before it unparks.
  const bool open = handles.park(*file) != 0;
  std::unique_lock<SharedSpinLock> data(file->data_mutex);
  file->linked = false;
  const std::uint64_t freed = open ? 0 : file->store.size();
  if (durability)
    durability->unlinked(std::static_pointer_cast<FileNode>(node), open);
  if (open) {  // the last close frees it
    file->parked = std::static_pointer_cast<FileNode>(std::move(node));
    return 0;
  }
  if (release_bytes) release(freed);
  file->store.clear();
  return freed;
}

bool MemoryState::charge_replacing_locked(
    std::uint64_t total, const std::vector<std::string>& replaced,
    ErrorInfo& err) {
  // Bytes certainly freed by unlinking (files no handle holds). Handles can
  // only close meanwhile (opening needs tree_mutex), so more may be freed,
  // never less.
  std::uint64_t credit = 0;
  for (const std::string& p : replaced) {
    const auto* f = static_cast<const FileNode*>(find_locked(p));
    if (handles.has_handles(*f)) continue;
    std::shared_lock<SharedSpinLock> data(f->data_mutex);
    credit += f->store.size();
  }
  const std::uint64_t reserved = total > credit ? total - credit : 0;
  if (!reserve(reserved, err)) return false;
  std::uint64_t freed = 0;
  for (const std::string& p : replaced) freed += unlink_locked(p, false);
  // reserved + freed >= total always holds; give back the difference.
  release(reserved + freed - total);
  return true;
}

std::vector<std::string> MemoryState::subtree_locked(
    const std::string& dir) const {
  std::vector<std::string> out;
  std::vector<std::string> pending{dir};
  while (!pending.empty()) {
    const std::string cur = std::move(pending.back());
    pending.pop_back();
    const Node* n = find_locked(cur);
    if (n == nullptr || !n->is_dir) continue;
    const std::string base = descendant_prefix(cur);
    for (const auto& [name, child] : static_cast<const DirNode*>(n)->children) {
      out.push_back(base + name);
      if (child.is_dir) pending.push_back(out.back());
    }
  }
  // Parents before children: sort by depth, stable.
  std::stable_sort(out.begin(), out.end(),
                   [](const std::string& a, const std::string& b) {
                     return std::count(a.begin(), a.end(), '/') <
                            std::count(b.begin(), b.end(), '/');
                   });
  return out;
}

void MemoryState::touch_parent_locked(std::string_view path) {
  if (DirNode* p = own_dir_locked(parent_path(path))) p->modified = now();
}

namespace {
// The live threads counted in each reader slot. A new thread takes the least
// used slot and gives it back when it exits: test and benchmark runners make
// short-lived threads, and handing slots out in turn let two live threads
// share one (and its cache line) every kSlots threads made.
std::atomic<std::uint32_t> g_slot_users[TreeMutex::kSlots];
struct SlotUser {
  std::size_t slot = TreeMutex::kSlots;
  ~SlotUser() {
    if (slot != TreeMutex::kSlots)
      g_slot_users[slot].fetch_sub(1, std::memory_order_relaxed);
  }
};
}  // namespace

std::size_t TreeMutex::assign_slot() noexcept {
  static thread_local SlotUser user;
  for (;;) {
    std::size_t best = 0;
    std::uint32_t least = std::numeric_limits<std::uint32_t>::max();
    for (std::size_t i = 0; i < kSlots; ++i) {
      const std::uint32_t n = g_slot_users[i].load(std::memory_order_relaxed);
      if (n < least) {
        least = n;
        best = i;
      }
    }
    // Taken only if still the least used (a thread racing here took it).
    if (g_slot_users[best].compare_exchange_weak(least, least + 1,
                                                 std::memory_order_relaxed)) {
      user.slot = best;
      slot_ = best;
      return best;
    }
  }
}

FileLock::State& FileLock::state() {
  State* st = state_.load(std::memory_order_acquire);
  if (st != nullptr) return *st;
  auto fresh = std::make_unique<State>();
  if (state_.compare_exchange_strong(st, fresh.get(), std::memory_order_acq_rel,
                                     std::memory_order_acquire)) {
    return *fresh.release();
  }
  return *st;  // another thread's, made meanwhile
}

bool FileLock::acquire(LockMode mode, std::chrono::nanoseconds timeout,
                       Clock& clock) {
  State& st = state();
  std::unique_lock<std::mutex> lock(st.mutex);
  const bool exclusive = mode == LockMode::exclusive;
  auto blocked = [&] {
    return exclusive ? (st.writer || st.readers > 0)
                     : (st.writer || st.waiting_writers > 0);
  };
  if (!blocked()) {
    if (exclusive) {
      st.writer = true;
    } else {
      ++st.readers;
    }
    return true;
  }
  if (timeout <= std::chrono::nanoseconds::zero()) return false;
  const auto now = clock.steady_now();
  const auto deadline =
      timeout == kWaitForever || timeout > Clock::steady_point::max() - now
          ? Clock::steady_point::max()
          : now + timeout;
  if (exclusive) ++st.waiting_writers;
  while (blocked()) {
    if (clock.steady_now() >= deadline) {
      if (exclusive) {
        --st.waiting_writers;
        st.cv.notify_all();  // readers queued behind this writer may go
      }
      return false;
    }
    clock.wait_until(st.cv, lock, deadline);
  }
  if (exclusive) {
    --st.waiting_writers;
    st.writer = true;
  } else {
    ++st.readers;
  }
  return true;
}

void FileLock::release(LockMode mode) {
  State& st = state();
  {
    std::lock_guard<std::mutex> lock(st.mutex);
    if (mode == LockMode::exclusive) {
      st.writer = false;
    } else if (st.readers > 0) {
      --st.readers;
    }
  }
  st.cv.notify_all();
}

bool FileLock::held() const {
  State* st = state_.load(std::memory_order_acquire);
  if (st == nullptr) return false;  // never locked
  std::lock_guard<std::mutex> lock(st->mutex);
  return st->writer || st->readers > 0;
}

bool ChangeLocks::acquire(std::vector<std::string> paths, ErrorInfo& err) {
  release();
  files_.clear();
  // One order for every operation, so two of them never wait on each other
  // in opposite orders for longer than their timeouts.
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  {
    // Unique: a shared file is made this filesystem's own before its lock
    // is taken (a clone must never see it held).
    std::unique_lock<TreeMutex> tree(state_.tree_mutex);
    for (std::string& p : paths) {
      std::shared_ptr<FileNode> file;
      if (const Node* n = state_.find_locked(p); n != nullptr && !n->is_dir) {
        file = std::static_pointer_cast<FileNode>(*state_.own_entry_locked(p));
      }
      files_.emplace_back(std::move(p), std::move(file));
    }
  }
  Clock& clock = *state_.clock;
  const std::chrono::nanoseconds timeout = state_.options.default_lock_timeout;
  const Clock::steady_point start = clock.steady_now();
  for (; locked_ < files_.size(); ++locked_) {
    FileNode* file = files_[locked_].second.get();
    if (file == nullptr) continue;
    std::chrono::nanoseconds left = timeout;
    if (timeout != kWaitForever) {
      left = std::max(std::chrono::nanoseconds::zero(),
                      timeout - (clock.steady_now() - start));
    }
    if (!file->lock.acquire(LockMode::exclusive, left, clock)) {
      release();
      err.set(errc::lock_timeout);
      return false;
    }
  }
  return true;
}

bool ChangeLocks::current_locked() const {
  for (const auto& [path, file] : files_) {
    const Node* now = state_.find_locked(path);
    // A clone taken meanwhile made the locked file shared: lock it anew.
    if (file != nullptr ? now != file.get() || !state_.owns(*now)
                        : now != nullptr && !now->is_dir) {
      return false;
    }
  }
  return true;
}

void ChangeLocks::release() noexcept {
  for (std::size_t i = 0; i < locked_; ++i) {
    if (files_[i].second != nullptr) {
      files_[i].second->lock.release(LockMode::exclusive);
    }
  }
  locked_ = 0;
}

namespace {

std::optional<std::uint64_t> read_number(const char* path) {
  std::ifstream in(path);
  std::string text;
  if (!(in >> text) || text == "max") return std::nullopt;
  try {
    return std::stoull(text);
  } catch (...) {
    return std::nullopt;
  }
}

std::optional<std::uint64_t> meminfo(const std::string& key) {
  std::ifstream in("/proc/meminfo");
  std::string name;
  std::uint64_t kib = 0;
  std::string unit;
  while (in >> name >> kib) {
    std::getline(in, unit);
    if (name == key + ":") return kib * 1024;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::uint64_t> host_available_memory() {
  // cgroup v2
  if (auto max = read_number("/sys/fs/cgroup/memory.max")) {
    if (auto cur = read_number("/sys/fs/cgroup/memory.current")) {
      return *max > *cur ? *max - *cur : 0;
    }
  }
  // cgroup v1, only when its limit is below the host's memory
  if (auto limit = read_number("/sys/fs/cgroup/memory/memory.limit_in_bytes")) {
    auto total = meminfo("MemTotal");
    auto usage = read_number("/sys/fs/cgroup/memory/memory.usage_in_bytes");
    if (usage && (!total || *limit < *total)) {
      return *limit > *usage ? *limit - *usage : 0;
    }
  }
  if (auto avail = meminfo("MemAvailable")) return avail;
  return meminfo("MemFree");
}

}  // namespace memfs::detail
