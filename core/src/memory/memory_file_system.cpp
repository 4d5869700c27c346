// MemoryFileSystem: the namespace primitives. Bulk operations are in
// memory_bulk.cpp, open files in memory_open_file.cpp.
#include "memfs/memory_file_system.hpp"

#include <algorithm>
#include <string>

#include "memory/memory_open_file.hpp"
#include "memory/memory_state.hpp"

namespace memfs {

using detail::MemoryOpenFile;
using namespace memory_names;

MemoryFileSystem::MemoryFileSystem(MemoryOptions options) {
  if (options.max_nodes && *options.max_nodes == 0) {
    throw filesystem_error("MemoryFileSystem", "max_nodes must be at least 1",
                           "/",
                           std::make_error_code(std::errc::invalid_argument));
  }
  state_ = std::make_shared<MemoryState>(std::move(options));
  if (state_->options.memory_guard != MemoryGuardMode::none) {
    ErrorInfo err;
    const std::uint64_t quota = state_->options.max_quota;
    if (!state_->guard_allows(quota, err)) {
      throw filesystem_error("MemoryFileSystem",
                             "max_quota (" + std::to_string(quota) +
                                 " bytes) exceeds available memory (" +
                                 std::to_string(err.available) + " bytes)",
                             "/", err.code);
    }
  }
}

MemoryFileSystem::~MemoryFileSystem() {
  // Handles still open share state_ and outlive this object: they must stop
  // reaching for it (File checks OpenFile::orphaned()).
  if (state_) state_->handles.orphan_all(state_);
}

MemoryOptions MemoryFileSystem::options() const {
  MemoryOptions o = state_->options;
  o.max_quota = state_->quota.load();
  return o;
}

void MemoryFileSystem::set_quota(std::uint64_t max_quota) noexcept {
  state_->quota.store(max_quota);
}

std::optional<std::uint64_t> MemoryFileSystem::available_memory() const {
  return state_->options.available_memory ? state_->options.available_memory()
                                          : detail::host_available_memory();
}

namespace {

// The existing file `path` names, for open(): nullptr without error when it
// is missing and `mode` creates; errors for directories, a trailing slash on
// a file, "x" modes on an existing file, and missing files otherwise. The
// file may be shared (see memory_state.hpp): own_file_locked makes it own.
FileNode* find_file_locked(const MemoryState& s, const NormalizedPath& path,
                           const OpenMode& mode, ErrorInfo& err) {
  const std::shared_ptr<Node>* entry = s.entry_locked(path.value);
  if (entry == nullptr) {
    if (!mode.creates()) err.set(s.missing_reason_locked(path.value));
    return nullptr;
  }
  if ((*entry)->is_dir) {
    // As open(2): O_CREAT | O_EXCL on anything that exists is EEXIST.
    err.set(mode.is_exclusive() ? std::errc::file_exists
                                : std::errc::is_a_directory);
  } else if (path.trailing_slash) {
    err.set(std::errc::not_a_directory);
  } else if (mode.is_exclusive()) {
    err.set(std::errc::file_exists);
  } else {
    return static_cast<FileNode*>(entry->get());
  }
  return nullptr;
}

// find_file_locked, the file made this filesystem's own (tree_mutex held
// uniquely).
FileNode* own_file_locked(MemoryState& s, const NormalizedPath& path,
                          const OpenMode& mode, ErrorInfo& err) {
  FileNode* node = find_file_locked(s, path, mode, err);
  if (node == nullptr || s.owns(*node)) return node;
  return static_cast<FileNode*>(s.own_entry_locked(path.value)->get());
}

// A new file at `path` (missing, its parent checked by the caller), linked
// under `parent` with its times set, preallocated and locked as `options`
// and `lock` ask; nullptr with err set.
FileNode* create_file_locked(MemoryState& s, DirNode& parent,
                             const NormalizedPath& path,
                             const OpenOptions& options,
                             std::optional<LockMode> lock, ErrorInfo& err) {
  if (!s.nodes_fit_locked(1, err)) return nullptr;
  std::shared_ptr<FileNode> node = detail::make_node<FileNode>(s.arena.arena);
  node->created = node->modified = s.now();
  // Preallocate and lock before the node is reachable: nobody can race.
  if (options.preallocate > 0 &&
      !detail::resize_locked(s, *node, options.preallocate, err)) {
    return nullptr;
  }
  if (lock) node->lock.acquire(*lock, {}, *s.clock);
  FileNode* file = node.get();
  s.link_locked(parent, path.value, std::move(node));
  return file;
}

// Truncates and preallocates an existing file as an open through `handle`
// asks (the file's data lock not held); false with err set, the file
// unchanged.
bool prepare_existing(MemoryState& s, MemoryOpenFile& handle, FileNode& file,
                      const OpenMode& mode, const OpenOptions& options,
                      ErrorInfo& err) {
  WriteLock data(file.data_mutex);
  const std::uint64_t old_size = file.store.size();
  const std::uint64_t base = mode.truncates() ? 0 : old_size;
  const std::uint64_t target = std::max(base, options.preallocate);
  // Charge the net change before touching the bytes, so a refused
  // preallocate leaves the file exactly as it was (not truncated).
  if (target > old_size && !s.reserve(target - old_size, err)) return false;
  try {
    if (mode.truncates() && target == 0) {
      if (file.store.empty_for_rewrite()) handle.release_spare_on_close();
    } else if (mode.truncates()) {
      detail::ByteStore fresh;
      fresh.resize(target);  // zeros
      std::swap(file.store, fresh);
    } else {
      file.store.resize(target);
    }
  } catch (const std::bad_alloc&) {
    if (target > old_size) s.release(target - old_size);
    err.set(std::errc::not_enough_memory);
    return false;
  }
  if (old_size > target) s.release(old_size - target);
  // A truncating open counts as a change even on an empty file; a
  // preallocate that grew counts once more (D-MemFS).
  if (mode.truncates()) {
    ++file.generation;
    file.modified = s.now();
  }
  if (target > base) ++file.generation;
  return true;
}

}  // namespace

std::unique_ptr<OpenFile> MemoryFileSystem::do_open(const NormalizedPath& path,
                                                    const OpenMode& mode,
                                                    const OpenOptions& options,
                                                    ErrorInfo& err) {
  MemoryState& s = *state_;
  const bool lock_on_open = s.options.lock_on_open;
  const LockMode lock_mode =
      mode.can_write() ? LockMode::exclusive : LockMode::shared;
  std::unique_ptr<MemoryOpenFile> handle =
      MemoryOpenFile::make(s, path.value, mode);
  FileNode* file = nullptr;
  bool opened = false;
  if (!mode.creates()) {
    // Opening an existing file changes no namespace: a shared lock will do,
    // unless the file is shared with a clone (handles only reach own files).
    TreeRead tree(s.tree_mutex);
    file = find_file_locked(s, path, mode, err);
    if (err) return nullptr;
    if (s.owns(*file)) {
      handle->open_locked(*file, std::nullopt);
      opened = true;
    }
  }
  if (!opened) {
    // A creating mode takes the unique lock at once: a shared lookup first
    // would mostly miss and then look again.
    TreeWrite tree(s.tree_mutex);
    file = own_file_locked(s, path, mode, err);
    if (err) return nullptr;
    if (file == nullptr) {
      DirNode* parent = s.parent_for_create_locked(path.value, err);
      if (parent == nullptr) return nullptr;
      if (path.trailing_slash) {  // open("new/", O_CREAT) is EISDIR on Linux
        err.set(std::errc::is_a_directory);
        return nullptr;
      }
      const std::optional<LockMode> held =
          lock_on_open ? std::optional<LockMode>(lock_mode) : std::nullopt;
      file = create_file_locked(s, *parent, path, options, held, err);
      if (file == nullptr) return nullptr;
      handle->open_locked(*file, held);
      return handle;
    }
    handle->open_locked(*file, std::nullopt);
  }
  // An existing file: take the lock (outside the tree lock), then truncate
  // and preallocate under the data lock.
  if (lock_on_open) {
    ErrorInfo lock_err;
    handle->lock(lock_mode, options.lock_timeout, lock_err);  // not held yet
    if (lock_err) {
      err = lock_err;
      return nullptr;  // the handle's destructor undoes the registration
    }
  }
  if ((mode.truncates() || options.preallocate > 0) &&
      !prepare_existing(s, *handle, *file, mode, options, err)) {
    return nullptr;
  }
  return handle;
}

FileStatus MemoryFileSystem::do_status(const NormalizedPath& path,
                                       ErrorInfo& err) const {
  TreeRead tree(state_->tree_mutex);
  const Node* n = state_->resolve_locked(path, err);
  if (n == nullptr) return {};
  state_->times_read();
  FileStatus st;
  st.id = n->id;
  if (n->is_dir) {
    st.type = FileType::directory;
    st.created = n->created;
    st.modified = n->modified;
    return st;
  }
  const auto* f = static_cast<const FileNode*>(n);
  ReadLock data(f->data_mutex);
  st.type = FileType::regular;
  st.size = f->store.size();
  st.created = f->created;
  st.modified = f->modified;
  st.generation = f->generation;
  return st;
}

void MemoryFileSystem::do_set_modified(
    const NormalizedPath& path, std::chrono::system_clock::time_point time,
    ErrorInfo& err) {
  // A directory's times are guarded by the tree lock, a file's by its data
  // lock (taken after the tree lock, as everywhere).
  TreeWrite tree(state_->tree_mutex);
  if (state_->resolve_locked(path, err) == nullptr) return;
  state_->time_set(time);
  Node* n = state_->own_locked(path.value);
  if (n->is_dir) {
    n->modified = time;
    return;
  }
  auto* f = static_cast<FileNode*>(n);
  WriteLock data(f->data_mutex);
  f->modified = time;
}

std::vector<DirEntry> MemoryFileSystem::do_list(const NormalizedPath& dir,
                                                ErrorInfo& err) const {
  TreeRead tree(state_->tree_mutex);
  const Node* n = state_->resolve_locked(dir, err);
  if (n == nullptr) return {};
  if (!n->is_dir) {
    err.set(std::errc::not_a_directory);
    return {};
  }
  const auto& children = static_cast<const DirNode*>(n)->children;
  std::vector<DirEntry> out;
  out.reserve(children.size());
  for (const auto& [name, child] : children) {
    out.push_back(
        {name, child.is_dir ? FileType::directory : FileType::regular});
  }
  return out;
}

bool MemoryFileSystem::do_create_directory(const NormalizedPath& path,
                                           ErrorInfo& err) {
  MemoryState& s = *state_;
  TreeWrite tree(s.tree_mutex);
  if (const Node* n = s.find_locked(path.value)) {
    if (n->is_dir) return false;
    err.set(std::errc::file_exists);
    return false;
  }
  DirNode* parent = s.parent_for_create_locked(path.value, err);
  if (parent == nullptr || !s.nodes_fit_locked(1, err)) return false;
  auto dir = detail::make_node<DirNode>(s.arena.arena);
  dir->created = dir->modified = s.now();
  s.link_locked(*parent, path.value, std::move(dir));
  return true;
}

bool MemoryFileSystem::do_remove(const NormalizedPath& path, ErrorInfo& err) {
  MemoryState& s = *state_;
  TreeWrite tree(s.tree_mutex);
  const Node* n = s.find_to_remove_locked(path.value, err);
  if (n == nullptr) return false;
  if (path.trailing_slash && !n->is_dir) {
    err.set(std::errc::not_a_directory);
    return false;
  }
  if (n->is_dir && !static_cast<const DirNode*>(n)->children.empty()) {
    err.set(std::errc::directory_not_empty);
    return false;
  }
  s.unlink_locked(path.value);
  return true;
}

void MemoryFileSystem::do_rename(const NormalizedPath& from,
                                 const NormalizedPath& to, ErrorInfo& err) {
  MemoryState& s = *state_;
  TreeWrite tree(s.tree_mutex);
  const Node* src = s.resolve_locked(from, err);
  if (src == nullptr) return;
  if (to.trailing_slash && !src->is_dir) {
    err.set(std::errc::not_a_directory);
    return;
  }
  if (from.value == to.value) return;
  if (src->is_dir && is_within(from.value, to.value)) {
    err.set(std::errc::invalid_argument);
    return;
  }
  DirNode* parent = s.parent_for_create_locked(to.value, err);
  if (parent == nullptr) return;
  if (const Node* dst = s.find_locked(to.value)) {
    if (!src->is_dir && dst->is_dir) {
      err.set(std::errc::is_a_directory);
      return;
    }
    if (src->is_dir && !dst->is_dir) {
      err.set(std::errc::not_a_directory);
      return;
    }
    if (dst->is_dir && !static_cast<const DirNode*>(dst)->children.empty()) {
      err.set(std::errc::directory_not_empty);
      return;
    }
  }
  // Collect the moving paths before changing anything (this may throw).
  std::vector<std::string> moving{from.value};
  if (src->is_dir) {
    std::vector<std::string> below = s.subtree_locked(from.value);
    moving.insert(moving.end(), below.begin(), below.end());
  }
  std::vector<std::pair<std::string, std::shared_ptr<Node>>> entries;
  entries.reserve(moving.size());
  for (const std::string& p : moving) {
    entries.emplace_back(to.value + p.substr(from.value.size()), nullptr);
  }
  const std::string_view new_name = filename(to.value);
  if (s.find_locked(to.value) != nullptr) s.unlink_locked(to.value);
  // The moved nodes keep their owner: shared ones stay shared.
  for (std::size_t i = 0; i < moving.size(); ++i)
    entries[i].second = s.take_locked(moving[i]);
  DirNode* old_parent = s.own_dir_locked(parent_path(from.value));
  old_parent->children.erase(filename(from.value));
  old_parent->modified = s.now();
  const Node& moved = *entries[0].second;
  parent->children.insert(new_name, detail::ChildRef{moved.id, moved.is_dir});
  parent->modified = s.now();
  for (auto& [p, node] : entries) s.put_locked(std::move(p), std::move(node));
}

void MemoryFileSystem::do_exchange(const NormalizedPath& a,
                                   const NormalizedPath& b, ErrorInfo& err) {
  MemoryState& s = *state_;
  TreeWrite tree(s.tree_mutex);
  const Node* na = s.resolve_locked(a, err);
  if (na == nullptr) return;
  const Node* nb = s.resolve_locked(b, err);
  if (nb == nullptr) return;
  if (a.value == b.value) return;
  if (is_within(a.value, b.value) || is_within(b.value, a.value)) {
    err.set(std::errc::invalid_argument);
    return;
  }
  // Every index entry of both subtrees under its new name, computed before
  // anything changes (this may throw).
  std::vector<std::string> old_paths;
  std::vector<std::pair<std::string, std::shared_ptr<Node>>> entries;
  for (const auto* side : {&a, &b}) {
    const NormalizedPath& from = *side;
    const std::string& to = side == &a ? b.value : a.value;
    std::vector<std::string> moving{from.value};
    if ((side == &a ? na : nb)->is_dir) {
      std::vector<std::string> below = s.subtree_locked(from.value);
      moving.insert(moving.end(), below.begin(), below.end());
    }
    for (std::string& p : moving) {
      entries.emplace_back(to + p.substr(from.value.size()), nullptr);
      old_paths.push_back(std::move(p));
    }
  }
  const detail::ChildRef ref_a{na->id, na->is_dir};
  const detail::ChildRef ref_b{nb->id, nb->is_dir};
  for (std::size_t i = 0; i < old_paths.size(); ++i)
    entries[i].second = s.take_locked(old_paths[i]);
  DirNode* parent_a = s.own_dir_locked(parent_path(a.value));
  DirNode* parent_b = s.own_dir_locked(parent_path(b.value));
  *parent_a->children.find(filename(a.value)) = ref_b;
  *parent_b->children.find(filename(b.value)) = ref_a;
  parent_a->modified = s.now();
  parent_b->modified = s.now();
  for (auto& [p, node] : entries) s.put_locked(std::move(p), std::move(node));
}

Stats MemoryFileSystem::do_stats() const {
  const MemoryState& s = *state_;
  Stats st;
  {
    TreeRead tree(s.tree_mutex);
    st.file_count = s.file_count;
    st.directory_count = s.directory_count;
  }
  st.used = s.used.load();
  st.quota = s.quota.load();
  st.free = st.used < st.quota ? st.quota - st.used : 0;
  st.node_limit = s.options.max_nodes;
  st.open_handles = s.handles.count();
  return st;
}

std::vector<HandleInfo> MemoryFileSystem::do_open_handles() const {
  return MemoryOpenFile::list(*state_);
}

}  // namespace memfs
