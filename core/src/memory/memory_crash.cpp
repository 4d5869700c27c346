// MemoryFileSystem: the durability model's entry points (sync_directory,
// sync_all, crash_clone). The model itself is in durability.cpp.
#include <algorithm>
#include <string>

#include "memfs/crash.hpp"
#include "memfs/memory_file_system.hpp"
#include "memory/memory_state.hpp"

namespace memfs {

using namespace memory_names;

bool MemoryFileSystem::tracks_durability() const noexcept {
  return state_->durability != nullptr;
}

void MemoryFileSystem::do_sync_directory(const NormalizedPath& path,
                                         ErrorInfo& err) {
  MemoryState& s = *state_;
  TreeRead tree(s.tree_mutex);
  const Node* n = s.resolve_locked(path, err);
  if (n == nullptr) return;
  if (!n->is_dir) {
    err.set(std::errc::not_a_directory);
    return;
  }
  if (s.durability)
    s.durability->sync_directory(static_cast<const DirNode&>(*n));
}

void MemoryFileSystem::sync_all() {
  MemoryState& s = *state_;
  if (!s.durability) return;
  TreeWrite tree(s.tree_mutex);
  s.durability->sync_all(s);
}

std::unique_ptr<MemoryFileSystem> MemoryFileSystem::crash_clone(
    const CrashOptions& options) const {
  const MemoryState& s = *state_;
  if (!s.durability) {
    throw filesystem_error("crash_clone",
                           "the filesystem does not track durability "
                           "(MemoryOptions::track_durability)",
                           "/",
                           std::make_error_code(std::errc::invalid_argument));
  }
  std::vector<detail::CrashEntry> image;
  {
    TreeRead tree(s.tree_mutex);
    image = s.durability->crash_image(s, options);
  }
  MemoryOptions o = this->options();
  std::uint64_t bytes = 0;
  for (const detail::CrashEntry& e : image) bytes += e.data.size();
  o.max_quota = std::max(o.max_quota, bytes);
  if (o.max_nodes)
    o.max_nodes = std::max<std::uint64_t>(*o.max_nodes, image.size() + 1);
  o.track_durability = true;
  auto crashed = std::make_unique<MemoryFileSystem>(std::move(o));
  for (const detail::CrashEntry& e : image) {
    if (e.is_dir) {
      crashed->create_directory(e.path);
    } else {
      crashed->write_file(e.path, e.data);
    }
  }
  crashed->sync_all();
  return crashed;
}

CrashSignal::CrashSignal(std::shared_ptr<MemoryFileSystem> crashed,
                         std::string where)
    : crashed_(std::move(crashed)), what_("memfs: crash " + std::move(where)) {}

const char* CrashSignal::what() const noexcept { return what_.c_str(); }

}  // namespace memfs
