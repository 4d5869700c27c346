// GoldenTree: a tree loaded once (under a mutex, so concurrent first uses
// load it once) and cloned per test; the expected map of golden_differences
// is built once too, only when a snapshot asks for it.
#include "memfs/golden_tree.hpp"

#include <map>
#include <mutex>
#include <utility>

#include "memfs/snapshot.hpp"

namespace memfs {

struct GoldenTree::State {
  std::string name;
  std::string source;
  MemoryOptions options;
  Builder build;

  mutable std::mutex mutex;  // guards the members below
  std::unique_ptr<MemoryFileSystem> tree;
  std::unique_ptr<std::map<std::string, std::string>> expected;  // lazily

  const MemoryFileSystem& load() {
    std::lock_guard<std::mutex> lock(mutex);
    if (!tree) {
      auto fresh = std::make_unique<MemoryFileSystem>(options);
      build(*fresh);  // may throw: the next use tries again
      tree = std::move(fresh);
    }
    return *tree;
  }

  const std::map<std::string, std::string>& expected_map() {
    const MemoryFileSystem& golden = load();
    std::lock_guard<std::mutex> lock(mutex);
    if (!expected) {
      ExportedTree exported = golden.export_tree();
      auto map = std::make_unique<std::map<std::string, std::string>>(
          std::move(exported.files));
      for (const std::string& dir : exported.empty_directories)
        map->emplace(dir + "/", "");
      expected = std::move(map);
    }
    return *expected;
  }
};

GoldenTree::GoldenTree(std::shared_ptr<State> state)
    : state_(std::move(state)) {}

GoldenTree GoldenTree::from_disk(std::string name, std::filesystem::path folder,
                                 MemoryOptions options) {
  folder = std::filesystem::absolute(folder);
  auto state = std::make_shared<State>();
  state->name = std::move(name);
  state->source = "disk folder " + folder.string();
  state->options = std::move(options);
  state->build = [folder](MemoryFileSystem& fs) {
    import_from_disk(fs, folder, "/");
  };
  return GoldenTree(std::move(state));
}

GoldenTree GoldenTree::from_function(std::string name, Builder build,
                                     MemoryOptions options) {
  auto state = std::make_shared<State>();
  state->name = std::move(name);
  state->source = "function";
  state->options = std::move(options);
  state->build = std::move(build);
  return GoldenTree(std::move(state));
}

const std::string& GoldenTree::name() const noexcept { return state_->name; }

const std::string& GoldenTree::source() const noexcept {
  return state_->source;
}

bool GoldenTree::loaded() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->tree != nullptr;
}

const MemoryFileSystem& GoldenTree::tree() const { return state_->load(); }

std::unique_ptr<MemoryFileSystem> GoldenTree::clone() const {
  return state_->load().clone();
}

std::vector<TreeDifference> golden_differences(const GoldenTree& golden,
                                               const FileSystem& fs) {
  return diff_tree(fs, golden.state_->expected_map());
}

}  // namespace memfs
