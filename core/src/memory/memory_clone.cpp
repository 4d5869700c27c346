// MemoryFileSystem::clone: O(1) in the nodes and bytes held. The original's
// own part of the index is frozen into a layer that both sides then share
// (memory_state.hpp); whichever side first changes a shared node works on a
// copy with the same id, whose bytes share their chunks (ByteStore copies on
// write). A clone pays only for the nodes it touches.
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <unordered_set>
#include <vector>

#include "memfs/memory_file_system.hpp"
#include "memory/memory_open_file.hpp"
#include "memory/memory_state.hpp"

namespace memfs {

using namespace memory_names;

namespace detail {

namespace {

// Past this many layers a clone's chain is merged into one, so that a
// lookup of a missing path stays a few hash lookups (merging is O(entries),
// once every kMaxLayers clones of a changing filesystem).
constexpr std::size_t kMaxLayers = 4;

std::shared_ptr<const FrozenLayer> merged(const FrozenLayer& chain) {
  auto one = std::make_shared<FrozenLayer>();
  for_each_layered(nullptr, &chain,
                   [&](const IndexKey& key, const std::shared_ptr<Node>& node) {
                     *one->entries.try_emplace(key).first = node;
                   });
  return one;
}

}  // namespace

std::shared_ptr<const FrozenLayer> MemoryState::freeze_locked(
    std::uint64_t& clone_used) {
  // Files with handles open stay this filesystem's own: their data locks
  // are held (shared) so that their bytes and `used` are read at one time.
  const std::vector<FileNode*> open = MemoryOpenFile::open_nodes_locked(*this);
  std::vector<std::shared_lock<SharedSpinLock>> held;
  held.reserve(open.size());
  std::unordered_set<const Node*> linked_open;
  std::uint64_t removed_bytes = 0;  // charged here until their last close
  for (FileNode* file : open) {
    held.emplace_back(file->data_mutex);
    if (file->linked) {
      linked_open.insert(file);
    } else {
      removed_bytes += file->store.size();
    }
  }
  clone_used = used.load() - removed_bytes;
  const std::uint64_t fresh = new_token();
  if (!index.empty()) {
    auto layer = std::make_shared<FrozenLayer>();
    layer->entries = std::move(index);
    index.clear();
    layer->below = layers;
    layer->depth = layers == nullptr ? 1 : layers->depth + 1;
    if (!linked_open.empty()) {
      layer->entries.for_each(
          [&](const IndexKey& key, std::shared_ptr<Node>& node) {
            if (node == nullptr || linked_open.count(node.get()) == 0) return;
            *index.try_emplace(key).first = node;
            node->owner = fresh;
            // The clone's: nobody's own.
            node = copy_node_locked(*node, 0, arena.arena);
          });
    }
    layers = layer->depth > kMaxLayers ? merged(*layer) : std::move(layer);
  }
  token = fresh;
  return layers;
}

}  // namespace detail

MemoryFileSystem::MemoryFileSystem(std::shared_ptr<detail::MemoryState> state)
    : state_(std::move(state)) {}

std::unique_ptr<MemoryFileSystem> MemoryFileSystem::clone() const {
  std::shared_ptr<MemoryState> state;
  {
    // Unique: freezing changes this filesystem's index (not what it holds).
    TreeWrite tree(state_->tree_mutex);
    std::uint64_t used = 0;
    std::shared_ptr<const detail::FrozenLayer> shared =
        state_->freeze_locked(used);
    state = std::make_shared<MemoryState>(options(), std::move(shared));
    state->file_count = state_->file_count;
    state->directory_count = state_->directory_count;
    state->used.store(used);
  }
  return std::unique_ptr<MemoryFileSystem>(
      new MemoryFileSystem(std::move(state)));
}

}  // namespace memfs
