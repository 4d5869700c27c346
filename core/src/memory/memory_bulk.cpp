// MemoryFileSystem's bulk operations. Each validates everything and checks
// quota and node cap under the tree lock before changing anything, so none
// needs a rollback: they are all or nothing by construction.
#include <algorithm>
#include <map>
#include <set>

#include "memfs/memory_file_system.hpp"
#include "memory/memory_open_file.hpp"
#include "memory/memory_state.hpp"
#include "path/path_detail.hpp"

namespace memfs {

using namespace memory_names;
using std::filesystem::copy_options;

namespace {

// A file to be created or replaced by a bulk operation, built before the
// tree lock is taken so that allocation failures change nothing.
struct PendingFile {
  std::string path;
  std::shared_ptr<FileNode> node;
};

std::shared_ptr<FileNode> new_file(MemoryState& s, ByteStore store,
                                   std::uint64_t generation,
                                   detail::TimePoint now) {
  auto node = detail::make_node<FileNode>(s.arena.arena);
  node->store = std::move(store);
  node->generation = generation;
  node->created = node->modified = now;
  return node;
}

void link_new_dir(MemoryState& s, const std::string& path) {
  auto dir = detail::make_node<DirNode>(s.arena.arena);
  dir->created = dir->modified = s.now();
  s.link_locked(*s.own_dir_locked(parent_path(path)), path, std::move(dir));
}

// Links pending files, each replacing (already unlinked) whatever was there.
// Siblings usually come together: their folder is looked up once.
void link_files(MemoryState& s, std::vector<PendingFile>& files) {
  std::string last_parent;
  DirNode* parent = nullptr;
  for (PendingFile& f : files) {
    const std::string_view dir = parent_path(f.path);
    if (parent == nullptr || dir != last_parent) {
      parent = s.own_dir_locked(dir);
      last_parent.assign(dir);
    }
    s.link_locked(*parent, std::move(f.path), std::move(f.node));
  }
}

bool has(copy_options set, copy_options flag) {
  return (set & flag) != copy_options::none;
}

// The one-path list of change_files (memory_state.hpp).
auto paths_of(const NormalizedPath& path) {
  return [&path] { return std::vector<std::string>{path.value}; };
}

// Replaces the bytes of `file` with `store`'s, charging the quota for growth
// and refunding it for shrinkage; `store` gets the old bytes, for the caller
// to free outside the locks. False (err set, nothing changed) when the
// quota is exceeded.
bool replace_contents_locked(MemoryState& s, FileNode& file, ByteStore& store,
                             ErrorInfo& err) {
  WriteLock data(file.data_mutex);
  const std::uint64_t old_size = file.store.size();
  const std::uint64_t size = store.size();
  if (size > old_size && !s.reserve(size - old_size, err)) return false;
  if (size < old_size) s.release(old_size - size);
  std::swap(file.store, store);
  ++file.generation;
  file.modified = s.now();
  return true;
}

// Up to this size a whole-file read copies under the tree lock, and so does
// write_file, after the new file is linked (see do_write_file); past it
// they copy with the tree lock released.
constexpr std::uint64_t kCopyUnderTreeLock = 64 * 1024;

bool fills_under_tree_lock(std::string_view data) {
  return data.size() <= kCopyUnderTreeLock;
}

// write_file with the tree lock held (see do_write_file).
void write_file_locked(MemoryState& s, const NormalizedPath& path,
                       const detail::IndexKey& key, std::string_view data,
                       ByteStore& store, TreeWrite& tree, ErrorInfo& err) {
  const bool fill = fills_under_tree_lock(data);
  const Node* found = s.find_locked(key);
  if (found == nullptr) {
    DirNode* parent = s.parent_for_create_locked(path.value, err);
    if (parent == nullptr) return;
    if (path.trailing_slash) {
      err.set(std::errc::is_a_directory);
      return;
    }
    if (!s.nodes_fit_locked(1, err) || !s.reserve(data.size(), err)) return;
    const detail::TimePoint now = s.now();
    // The node, its index entry and its directory entry under one hold of
    // the arena's lock, not three (each an atomic exchange). Nothing here
    // waits for another thread (see NodeArena::Run).
    const detail::NodeArena::Run run(s.arena.arena);
    std::shared_ptr<FileNode> node =
        new_file(s, std::move(store), data.empty() ? 0 : 1, now);
    ByteStore& bytes = node->store;
    s.link_locked(*parent, key, std::move(node));
    // Last: no locked instruction follows the copy until the next operation
    // (the tree lock's and the arena's unlocks are plain stores), so its
    // stores drain meanwhile. Under the tree lock, nobody sees the file
    // before its bytes.
    if (fill) bytes.fill(data.data());
    return;
  }
  if (found->is_dir) {
    err.set(std::errc::is_a_directory);
    return;
  }
  if (path.trailing_slash) {
    err.set(std::errc::not_a_directory);
    return;
  }
  if (fill) store.fill(data.data());
  if (replace_contents_locked(s, static_cast<FileNode&>(*s.own_locked(key)),
                              store, err)) {
    tree.unlock();
  }
}

}  // namespace

namespace {

// Calls read(file) for the file a whole-file read reads, with its data lock
// held (shared); err set for a missing path or a directory. A small file is
// read under the tree lock too, which keeps the node alive without a
// reference count changed per read; a large one is kept alive by a
// reference, so the tree lock is not held while it is copied.
template <class Read>
void read_whole_file(const MemoryState& s, const NormalizedPath& path,
                     ErrorInfo& err, Read&& read) {
  TreeRead tree(s.tree_mutex);
  const std::shared_ptr<Node>* entry = s.resolve_entry_locked(path, err);
  if (entry == nullptr) return;
  if ((*entry)->is_dir) return void(err.set(std::errc::is_a_directory));
  const auto& file = static_cast<const FileNode&>(**entry);
  ReadLock data(file.data_mutex);
  std::shared_ptr<const Node> keep;
  if (file.store.size() > kCopyUnderTreeLock) {
    keep = *entry;
    tree.unlock();
  }
  read(file);
}

}  // namespace

std::string MemoryFileSystem::do_read_file(const NormalizedPath& path,
                                           ErrorInfo& err) const {
  std::string out;
  read_whole_file(*state_, path, err,
                  [&](const FileNode& file) { out = file.store.to_string(); });
  return out;
}

void MemoryFileSystem::do_read_file_into(const NormalizedPath& path,
                                         std::string& out,
                                         ErrorInfo& err) const {
  read_whole_file(*state_, path, err, [&](const FileNode& file) {
    const auto size = static_cast<std::size_t>(file.store.size());
    out.resize(size);  // may throw (run_noexcept maps it): out is as it was
    file.store.read(0, out.data(), size);
  });
}

void MemoryFileSystem::do_write_file(const NormalizedPath& path,
                                     std::string_view data, ErrorInfo& err) {
  MemoryState& s = *state_;
  // Allocate before any lock. The copy of a small file waits for the tree
  // lock: made here, its stores would still be draining when the lock's
  // first locked instruction runs, which then waits for them (~12 % of
  // small_files, benchmarks/NOTES.md); made as the operation's last step,
  // they drain while the caller goes on. The path is hashed (once, for its
  // lookups) before the first locked instruction, which then finds more of
  // the last write's copy drained.
  const detail::IndexKey key(path.value);
  ByteStore store = ByteStore::of_size(data.size());
  if (!fills_under_tree_lock(data)) store.fill(data.data());
  detail::change_files<TreeWrite>(s, paths_of(path), err, [&](TreeWrite& tree) {
    write_file_locked(s, path, key, data, store, tree, err);
  });
  // `store` now holds the old bytes, if any, and is freed here, outside the
  // locks.
}

bool MemoryFileSystem::do_create_directories(const NormalizedPath& path,
                                             ErrorInfo& err) {
  MemoryState& s = *state_;
  TreeWrite tree(s.tree_mutex);
  // Find the deepest existing ancestor; everything below it is created.
  std::vector<std::string> missing;
  std::string cur = path.value;
  for (;;) {
    const Node* n = s.find_locked(cur);
    if (n != nullptr) {
      if (!n->is_dir) {
        err.set(cur == path.value ? std::errc::file_exists
                                  : std::errc::not_a_directory);
        return false;
      }
      break;
    }
    missing.push_back(cur);
    cur = std::string(parent_path(cur));
  }
  if (missing.empty()) return false;
  if (!s.nodes_fit_locked(missing.size(), err)) return false;
  std::vector<std::shared_ptr<DirNode>> dirs;
  for (std::size_t i = 0; i < missing.size(); ++i) {
    dirs.push_back(detail::make_node<DirNode>(s.arena.arena));
    dirs.back()->created = dirs.back()->modified = s.now();
  }
  for (std::size_t i = missing.size(); i-- > 0;)
    s.link_locked(*s.own_dir_locked(parent_path(missing[i])), missing[i],
                  dirs[i]);
  return true;
}

std::uint64_t MemoryFileSystem::do_remove_all(const NormalizedPath& path,
                                              ErrorInfo& err) {
  MemoryState& s = *state_;
  TreeWrite tree(s.tree_mutex);
  const Node* n = s.find_to_remove_locked(path.value, err);
  if (n == nullptr) return 0;
  if (path.trailing_slash && !n->is_dir) {
    err.set(std::errc::not_a_directory);
    return 0;
  }
  std::vector<std::string> doomed = s.subtree_locked(path.value);
  const std::uint64_t count = doomed.size() + 1;
  for (auto it = doomed.rbegin(); it != doomed.rend(); ++it)
    s.unlink_locked(*it);
  s.unlink_locked(path.value);
  return count;
}

namespace {

// The source of a copy_file: its node (found under a shared tree lock) and
// the generation its bytes were read at, to re-validate under the exclusive
// lock.
struct CopySource {
  std::shared_ptr<Node> node;
  std::uint64_t generation = 0;
};

CopySource snapshot_source(MemoryState& s, const NormalizedPath& from,
                           ErrorInfo& err) {
  TreeRead tree(s.tree_mutex);
  const std::shared_ptr<Node>* entry = s.resolve_entry_locked(from, err);
  if (entry == nullptr) return {};
  if ((*entry)->is_dir) {
    err.set(std::errc::is_a_directory);
    return {};
  }
  return {*entry, 0};  // the generation is read with the bytes
}

// copy_file with the tree lock held (see do_copy_file): links `copy` (the
// source's bytes, read outside the lock) at `to`. Sets `stale` (and changes
// nothing) when `from` is no longer the file `source` snapshotted.
bool copy_file_locked(MemoryState& s, const NormalizedPath& from,
                      const NormalizedPath& to, copy_options options,
                      const CopySource& source, std::shared_ptr<FileNode>& copy,
                      bool& stale, ErrorInfo& err) {
  const std::shared_ptr<Node>* src = s.resolve_entry_locked(from, err);
  if (src == nullptr) return false;
  if (*src != source.node) stale = true;  // replaced since it was read
  if (!stale) {
    const auto& file = static_cast<const FileNode&>(**src);
    ReadLock data(file.data_mutex);
    stale = file.generation != source.generation;  // rewritten since
  }
  if (stale) return false;  // read it again
  DirNode* parent = s.parent_for_create_locked(to.value, err);
  if (parent == nullptr) return false;
  const Node* dst = s.find_locked(to.value);
  if (dst != nullptr) {
    if (dst->is_dir) {
      err.set(std::errc::is_a_directory);
      return false;
    }
    if (to.trailing_slash) {  // "/file/" names a directory or nothing
      err.set(std::errc::not_a_directory);
      return false;
    }
    if (from.value == to.value) {
      err.set(std::errc::file_exists);
      return false;
    }
    if (has(options, copy_options::skip_existing)) return false;
    if (!has(options, copy_options::overwrite_existing)) {
      err.set(std::errc::file_exists);
      return false;
    }
  } else if (to.trailing_slash) {
    err.set(std::errc::is_a_directory);
    return false;
  }
  const std::uint64_t size = copy->store.size();
  if (dst == nullptr) {
    if (!s.nodes_fit_locked(1, err) || !s.reserve(size, err)) return false;
    s.link_locked(*parent, to.value, std::move(copy));
    return true;
  }
  // Overwrite in place, as copy_file(overwrite_existing) rewrites the file.
  // `copy` takes the old bytes away.
  return replace_contents_locked(
      s, static_cast<FileNode&>(*s.own_locked(to.value)), copy->store, err);
}

}  // namespace

bool MemoryFileSystem::do_copy_file(const NormalizedPath& from,
                                    const NormalizedPath& to,
                                    copy_options options, ErrorInfo& err) {
  MemoryState& s = *state_;
  // "Allocate before any lock": the bytes are read and the new node built
  // with no tree lock held (a large copy must not stall every other
  // operation); the exclusive lock only re-validates and links. A source
  // rewritten in between is read again.
  for (;;) {
    CopySource source = snapshot_source(s, from, err);
    if (err) return false;
    std::string bytes;
    {
      const auto& file = static_cast<const FileNode&>(*source.node);
      ReadLock data(file.data_mutex);
      source.generation = file.generation;
      bytes = file.store.to_string();
    }
    const std::uint64_t generation = bytes.empty() ? 0 : 1;
    std::shared_ptr<FileNode> copy =
        new_file(s, ByteStore{std::move(bytes)}, generation, s.now());
    bool stale = false;
    const bool copied =
        detail::change_files<TreeWrite>(s, paths_of(to), err, [&](TreeWrite&) {
          return copy_file_locked(s, from, to, options, source, copy, stale,
                                  err);
        });
    // `copy` (the new bytes, or an overwritten file's old ones) is freed
    // here, outside the locks.
    if (!stale) return copied;
  }
}

namespace {

// One source file of a copy_tree, read with no tree lock held.
struct SourceCopy {
  std::uint64_t id = 0;          // the source node's (never reused)
  std::uint64_t generation = 0;  // of the bytes below
  ByteStore bytes;
};
// Source path -> its copy.
using SourceCopies = std::map<std::string, SourceCopy, std::less<>>;

// The bytes of every file under `from`: the nodes are found under a shared
// tree lock, their bytes copied after it is released (each under its own
// data lock), so a large copy does not stall the other operations.
SourceCopies read_sources(MemoryState& s, const NormalizedPath& from,
                          ErrorInfo& err) {
  std::vector<std::pair<std::string, std::shared_ptr<Node>>> nodes;
  {
    TreeRead tree(s.tree_mutex);
    if (s.resolve_locked(from, err) == nullptr) return {};
    for (std::string& p : s.subtree_locked(from.value)) {
      const std::shared_ptr<Node>* entry =
          s.resolve_entry_locked(detail::trusted_path(p), err);
      if (entry == nullptr) return {};
      if (!(*entry)->is_dir) nodes.emplace_back(std::move(p), *entry);
    }
  }
  SourceCopies copies;
  for (auto& [path, node] : nodes) {
    const auto& file = static_cast<const FileNode&>(*node);
    SourceCopy& copy = copies[path];
    ReadLock data(file.data_mutex);
    copy.id = file.id;
    copy.generation = file.generation;
    copy.bytes = ByteStore(file.store.to_string());
  }
  return copies;
}

// copy (of a directory) with the tree lock held (see do_copy_tree), from
// `sources` (read_sources(), stamped `now`). Sets `stale` (and changes
// nothing) when a source file is not the one read.
void copy_tree_locked(MemoryState& s, const NormalizedPath& from,
                      const NormalizedPath& to, copy_options options,
                      SourceCopies& sources, detail::TimePoint now, bool& stale,
                      ErrorInfo& err) {
  const Node* src = s.resolve_locked(from, err);
  if (src == nullptr) return;
  // Plan: the destination root, then every source entry mapped below it.
  struct Step {
    std::string path;
    const Node* source;  // nullptr for the root when it already exists
    std::string source_path;
  };
  std::vector<Step> steps;
  if (const Node* root = s.find_locked(to.value)) {
    if (!root->is_dir) {
      err.set(std::errc::not_a_directory);
      return;
    }
  } else {
    if (s.parent_for_create_locked(to.value, err) == nullptr) return;
    steps.push_back({to.value, src, from.value});
  }
  // "/" + "/x" must give "/x", not "//x" (a copy merged into the root).
  const std::string base = to.is_root() ? std::string() : to.value;
  for (const std::string& p : s.subtree_locked(from.value)) {
    steps.push_back({base + p.substr(from.value.size()), s.find_locked(p), p});
  }
  // Validate and price every step before touching anything.
  std::uint64_t new_nodes = 0;
  std::uint64_t growth = 0;
  std::vector<PendingFile> files;
  std::vector<std::string> new_dirs;
  for (const Step& step : steps) {
    const Node* existing = s.find_locked(step.path);
    if (step.source->is_dir) {
      if (existing == nullptr) {
        new_dirs.push_back(step.path);
        ++new_nodes;
      } else if (!existing->is_dir) {
        err.set(std::errc::file_exists);
        return;
      }
      continue;
    }
    if (existing != nullptr) {
      if (existing->is_dir) {
        err.set(std::errc::is_a_directory);
        return;
      }
      if (has(options, copy_options::skip_existing)) continue;
      if (!has(options, copy_options::overwrite_existing)) {
        err.set(std::errc::file_exists);
        return;
      }
    }
    const auto* sf = static_cast<const FileNode*>(step.source);
    const auto read = sources.find(step.source_path);
    if (read == sources.end() || read->second.id != sf->id) {
      stale = true;  // created or replaced since it was read
      return;
    }
    {
      ReadLock data(sf->data_mutex);
      stale = sf->generation != read->second.generation;  // rewritten since
    }
    if (stale) return;
    ByteStore& bytes = read->second.bytes;
    // As write_file: a new file 1 (0 if empty), a replaced one old + 1.
    std::uint64_t generation = bytes.size() == 0 ? 0 : 1;
    if (existing == nullptr) {
      ++new_nodes;
    } else {
      const auto* old = static_cast<const FileNode*>(existing);
      ReadLock data(old->data_mutex);
      generation = old->generation + 1;
    }
    growth += bytes.size();
    files.push_back(
        {step.path, new_file(s, std::move(bytes), generation, now)});
  }
  if (!s.nodes_fit_locked(new_nodes, err)) return;
  std::vector<std::string> replaced;
  for (const PendingFile& f : files) {
    if (s.find_locked(f.path) != nullptr) replaced.push_back(f.path);
  }
  if (!s.charge_replacing_locked(growth, replaced, err)) return;
  // Apply: directories parents-first (steps are in that order), then files.
  for (const std::string& d : new_dirs) link_new_dir(s, d);
  link_files(s, files);
}

}  // namespace

void MemoryFileSystem::do_copy_tree(const NormalizedPath& from,
                                    const NormalizedPath& to,
                                    copy_options options, ErrorInfo& err) {
  MemoryState& s = *state_;
  // The files the copy may write: the source's files mapped below `to`.
  // (A file added to the source after this list is made is copied without
  // waiting for a lock on its destination.)
  auto destinations = [&] {
    std::vector<std::string> out;
    TreeRead tree(s.tree_mutex);
    const std::string base = to.is_root() ? std::string() : to.value;
    for (const std::string& p : s.subtree_locked(from.value)) {
      const Node* n = s.find_locked(p);
      if (n != nullptr && !n->is_dir) {
        out.push_back(base + p.substr(from.value.size()));
      }
    }
    return out;
  };
  // "Allocate before any lock", as do_copy_file: the sources are read with
  // no tree lock held, the exclusive lock only re-validates and links. A
  // source file rewritten, replaced or added in between is read again.
  for (;;) {
    SourceCopies sources = read_sources(s, from, err);
    if (err) return;
    const detail::TimePoint now = s.now();
    bool stale = false;
    detail::change_files<TreeWrite>(s, destinations, err, [&](TreeWrite&) {
      copy_tree_locked(s, from, to, options, sources, now, stale, err);
    });
    // `sources` (bytes not linked) is freed here, outside the locks.
    if (!stale) return;
  }
}

void MemoryFileSystem::do_resize_file(const NormalizedPath& path,
                                      std::uint64_t size, ErrorInfo& err) {
  // The tree lock stays held while the bytes change: a clone taken
  // meanwhile would otherwise share a file being resized.
  detail::change_files<TreeWrite>(
      *state_, paths_of(path), err, [&](TreeWrite&) {
        const Node* found = state_->resolve_locked(path, err);
        if (found == nullptr) return;
        if (found->is_dir) return void(err.set(std::errc::is_a_directory));
        auto& file = static_cast<FileNode&>(*state_->own_locked(path.value));
        WriteLock data(file.data_mutex);
        detail::resize_locked(*state_, file, size, err);
      });
}

namespace {

// import_tree with the tree lock held (see do_import_tree).
void import_locked(MemoryState& s, std::vector<PendingFile>& files,
                   std::uint64_t total, ErrorInfo& err) {
  std::set<std::string> new_dirs;
  std::uint64_t new_nodes = 0;
  std::vector<std::string> replaced;
  std::string_view checked;  // the last folder whose ancestors were checked
  for (const PendingFile& f : files) {
    if (const Node* n = s.find_locked(f.path)) {
      if (n->is_dir) {
        err.set(std::errc::is_a_directory);
        return;
      }
      replaced.push_back(f.path);
      continue;
    }
    ++new_nodes;
    if (parent_path(f.path) == checked) continue;  // a sibling's: done
    checked = parent_path(f.path);
    for (std::string p(parent_path(f.path)); p.size() > 1;
         p = std::string(parent_path(p))) {
      if (const Node* n = s.find_locked(p)) {
        if (!n->is_dir) {
          err.set(std::errc::not_a_directory);
          return;
        }
        break;
      }
      // A folder already planned had its ancestors planned with it.
      if (!new_dirs.insert(p).second) break;
      ++new_nodes;
    }
  }
  if (!s.nodes_fit_locked(new_nodes, err)) return;
  if (!s.charge_replacing_locked(total, replaced, err)) return;
  for (const std::string& d : new_dirs) link_new_dir(s, d);  // parents first
  link_files(s, files);
}

}  // namespace

void MemoryFileSystem::do_import_tree(
    const std::vector<std::pair<NormalizedPath, const std::string*>>& items,
    ErrorInfo& err) {
  MemoryState& s = *state_;
  // Build every file before taking the lock.
  std::vector<PendingFile> files;
  files.reserve(items.size());
  std::uint64_t total = 0;
  const detail::TimePoint now = s.now();  // one atomic import, one time
  {
    detail::NodeArena::Run run(s.arena.arena);  // one lock for every node
    for (const auto& [path, data] : items) {
      files.push_back({path.value, new_file(s, ByteStore(*data), 0, now)});
      total += data->size();
    }
  }
  auto targets = [&files] {
    std::vector<std::string> out;
    out.reserve(files.size());
    for (const PendingFile& f : files) out.push_back(f.path);
    return out;
  };
  detail::change_files<TreeWrite>(s, targets, err, [&](TreeWrite&) {
    import_locked(s, files, total, err);
  });
}

}  // namespace memfs
