// MemoryFileSystem::clone: a node-by-node copy of the namespace whose files
// share their bytes with the original (ByteStore chunks are copied on write),
// so the cost follows the number of nodes, never the bytes held.
#include <memory>
#include <string>
#include <vector>

#include "memfs/memory_file_system.hpp"
#include "memory/memory_state.hpp"
#include "shared/path_join.hpp"

namespace memfs {

using namespace memory_names;

namespace {

std::shared_ptr<Node> copy_node(const Node& from) {
  if (from.is_dir) {
    auto dir = std::make_shared<DirNode>();
    dir->created = from.created;
    dir->modified = from.modified;
    return dir;
  }
  const auto& file = static_cast<const FileNode&>(from);
  auto copy = std::make_shared<FileNode>();
  ReadLock data(file.data_mutex);
  copy->store = file.store;  // shares the chunks
  copy->generation = file.generation;
  copy->created = file.created;
  copy->modified = file.modified;
  return copy;
}

// Copies the tree under src's root into dst (which holds only its root).
void copy_tree_locked(const MemoryState& src, MemoryState& dst) {
  const auto& src_root = static_cast<const DirNode&>(*src.index.at("/"));
  auto& dst_root = static_cast<DirNode&>(*dst.index.at("/"));
  dst_root.created = src_root.created;
  dst_root.modified = src_root.modified;
  dst.index.reserve(src.index.size());
  struct Pending {
    const DirNode* from;
    DirNode* to;
    const std::string* path;  // a key of dst.index: stable
  };
  const std::string* root_path = &dst.index.find("/")->first;
  std::vector<Pending> pending{{&src_root, &dst_root, root_path}};
  std::uint64_t used = 0;
  while (!pending.empty()) {
    const Pending dir = pending.back();
    pending.pop_back();
    for (const auto& [name, child] : dir.from->children) {
      std::shared_ptr<Node> node = copy_node(*child);
      Node* raw = node.get();
      const auto entry =
          dst.index
              .emplace(detail::child_path(*dir.path, name), std::move(node))
              .first;
      dir.to->children.emplace_hint(dir.to->children.end(), name, raw);
      if (raw->is_dir) {
        ++dst.directory_count;
        pending.push_back({static_cast<const DirNode*>(child),
                           static_cast<DirNode*>(raw), &entry->first});
      } else {
        ++dst.file_count;
        used += static_cast<const FileNode*>(raw)->store.size();
      }
    }
  }
  dst.used.store(used);
}

}  // namespace

MemoryFileSystem::MemoryFileSystem(std::shared_ptr<detail::MemoryState> state)
    : state_(std::move(state)) {}

std::unique_ptr<MemoryFileSystem> MemoryFileSystem::clone() const {
  auto state = std::make_shared<MemoryState>(options());
  {
    ReadLock tree(state_->tree_mutex);
    copy_tree_locked(*state_, *state);
  }
  return std::unique_ptr<MemoryFileSystem>(
      new MemoryFileSystem(std::move(state)));
}

}  // namespace memfs
