// The durability model: what each sync makes durable, and the tree a crash
// leaves (see crash.hpp for the rules, durability.hpp for the records).
#include "memory/durability.hpp"

#include <algorithm>
#include <cstring>
#include <set>
#include <utility>

#include "memory/memory_state.hpp"
#include "shared/fnv1a.hpp"
#include "shared/path_join.hpp"

namespace memfs::detail {
namespace {

// A ByteStore by value: a copy shares its chunks (copy-on-write), so a sync
// costs O(chunks), not a copy of the bytes.
ByteStore copy_of(const ByteStore& store) { return store; }

// splitmix64: tiny, and the same sequence on every platform and library.
class Draws {
 public:
  explicit Draws(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() noexcept {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  bool chance(double p) noexcept {
    return static_cast<double>(next() >> 11) * 0x1.0p-53 < p;
  }

 private:
  std::uint64_t state_;
};

// Bytes [off, off + n) of `s`, zeros past its end.
std::string piece(const std::string& s, std::size_t off, std::size_t n) {
  std::string out(n, '\0');
  if (off < s.size()) s.copy(out.data(), std::min(n, s.size() - off), off);
  return out;
}

std::string keep_per_block(const std::string& synced,
                           const std::string& current, const CrashOptions& o,
                           Draws& draws) {
  const std::size_t size =
      synced.size() == current.size() || draws.chance(o.keep_probability)
          ? current.size()
          : synced.size();
  std::string out;
  out.reserve(size);
  const std::size_t b = std::max<std::size_t>(o.block_size, 1);
  for (std::size_t off = 0; off < size; off += b) {
    const std::size_t n = std::min(b, size - off);
    std::string old_bytes = piece(synced, off, n);
    std::string new_bytes = piece(current, off, n);
    const bool same = old_bytes == new_bytes;
    out += same || !draws.chance(o.keep_probability) ? old_bytes : new_bytes;
  }
  return out;
}

// Tears the last block (of torn_block_size) in which current differs from
// synced: a drawn prefix of it holds the new bytes, the rest torn_tail.
void tear(const std::string& synced, const std::string& current,
          const CrashOptions& o, Draws& draws, std::string& out) {
  const std::size_t t = o.torn_block_size;
  const std::size_t len = std::max(synced.size(), current.size());
  std::size_t unit = (len + t - 1) / t;
  while (unit > 0 && piece(synced, (unit - 1) * t, t) ==
                         piece(current, (unit - 1) * t, t)) {
    --unit;
  }
  if (unit == 0) return;
  const std::size_t start = (unit - 1) * t;
  const std::size_t end = std::min(current.size(), start + t);
  if (end <= start) return;  // only a truncation differs: nothing written
  const std::size_t cut =
      start + 1 + static_cast<std::size_t>(draws.next() % (t - 1));
  if (out.size() < end) out.resize(end, '\0');
  for (std::size_t i = start; i < end; ++i) {
    if (i < cut) {
      out[i] = current[i];
    } else {
      out[i] = o.torn_tail == TornTail::zeroed
                   ? '\0'
                   : static_cast<char>(draws.next());
    }
  }
}

// What a crash leaves of one file: its synced and current bytes, by the
// options; the draws are seeded by the options' seed and the file's path.
std::string crashed_bytes(const std::string& synced, const std::string& current,
                          const CrashOptions& o, std::string_view path) {
  Draws draws(o.seed ^ fnv1a(path));
  std::string out;
  switch (o.unsynced_data) {
    case UnsyncedData::drop:
      out = synced;
      break;
    case UnsyncedData::keep:
      out = current;
      break;
    case UnsyncedData::keep_per_block:
      out = keep_per_block(synced, current, o, draws);
      break;
  }
  if (o.torn_block_size > 1 && synced != current) {
    tear(synced, current, o, draws, out);
  }
  return out;
}

}  // namespace

void Durability::sync_file(const FileNode& file) {
  ByteStore copy = copy_of(file.store);
  std::lock_guard<std::mutex> lock(mutex_);
  files_[file.id].synced = std::move(copy);
}

void Durability::sync_directory(const DirNode& dir) {
  Entries entries;
  for (const auto& [name, child] : dir.children) {
    entries.emplace_hint(entries.end(), name,
                         SyncedEntry{child.id, child.is_dir});
  }
  std::lock_guard<std::mutex> lock(mutex_);
  dirs_[dir.id] = std::move(entries);
}

void Durability::unlinked(const std::shared_ptr<FileNode>& file, bool open) {
  std::lock_guard<std::mutex> lock(mutex_);
  FileRecord& r = files_[file->id];
  r.unlinked = true;
  if (!open) {
    r.last = std::move(file->store);
  } else {
    r.orphan = file;
    r.watched = true;
  }
}

void Durability::sync_all(const MemoryState& state) {
  std::unordered_map<std::uint64_t, FileRecord> files;
  std::unordered_map<std::uint64_t, Entries> dirs;
  state.for_each_entry_locked(
      [&](std::string_view, const std::shared_ptr<Node>& node) {
        if (node->is_dir) {
          Entries& entries = dirs[node->id];
          for (const auto& [name, child] :
               static_cast<const DirNode&>(*node).children) {
            entries.emplace_hint(entries.end(), name,
                                 SyncedEntry{child.id, child.is_dir});
          }
        } else {
          const auto& file = static_cast<const FileNode&>(*node);
          std::shared_lock<SharedSpinLock> data(file.data_mutex);
          files[file.id].synced = copy_of(file.store);
        }
      });
  std::lock_guard<std::mutex> lock(mutex_);
  files_ = std::move(files);
  dirs_ = std::move(dirs);
}

// Walks the directories' synced (or current) entries from the root.
class Durability::ImageBuilder {
 public:
  ImageBuilder(const Durability& d, const MemoryState& s, const CrashOptions& o)
      : d_(d), o_(o) {
    s.for_each_entry_locked(
        [&](std::string_view, const std::shared_ptr<Node>& node) {
          live_.emplace(node->id, node.get());
        });
  }

  std::vector<CrashEntry> build() {
    walk(d_.root_id_, "/");
    return std::move(out_);
  }

 private:
  const Node* live(std::uint64_t id) const {
    auto it = live_.find(id);
    return it == live_.end() ? nullptr : it->second;
  }

  Entries entries_of(std::uint64_t id) const {
    const Node* node = live(id);
    if (o_.keep_unsynced_entries && node != nullptr) {
      Entries now;
      for (const auto& [name, child] :
           static_cast<const DirNode*>(node)->children) {
        now.emplace_hint(now.end(), name, SyncedEntry{child.id, child.is_dir});
      }
      return now;
    }
    std::lock_guard<std::mutex> lock(d_.mutex_);
    auto it = d_.dirs_.find(id);
    return it == d_.dirs_.end() ? Entries{} : it->second;
  }

  void walk(std::uint64_t id, const std::string& path) {
    if (!dirs_seen_.insert(id).second) return;  // a second name, or a cycle
    for (const auto& [name, entry] : entries_of(id)) {
      std::string child = descendant_prefix(path) + name;
      if (entry.is_dir) {
        if (dirs_seen_.count(entry.id) != 0) continue;
        out_.push_back({child, true, {}});
        walk(entry.id, child);
      } else {
        std::string data = file_data(entry.id, child);
        out_.push_back({std::move(child), false, std::move(data)});
      }
    }
  }

  std::string file_data(std::uint64_t id, std::string_view path) const {
    std::string current;
    std::shared_ptr<FileNode> orphan;
    const auto* node = static_cast<const FileNode*>(live(id));
    if (node != nullptr) {
      std::shared_lock<SharedSpinLock> data(node->data_mutex);
      current = node->store.to_string();
    }
    std::string synced;
    {
      std::lock_guard<std::mutex> lock(d_.mutex_);
      auto it = d_.files_.find(id);
      if (it != d_.files_.end()) {
        const FileRecord& r = it->second;
        synced = r.synced.to_string();
        if (node == nullptr) {
          orphan = r.orphan.lock();
          current = r.unlinked && !r.watched ? r.last.to_string() : synced;
        }
      }
    }
    if (orphan != nullptr) {
      std::shared_lock<SharedSpinLock> data(orphan->data_mutex);
      current = orphan->store.to_string();
    }
    return crashed_bytes(synced, current, o_, path);
  }

  const Durability& d_;
  const CrashOptions& o_;
  std::unordered_map<std::uint64_t, const Node*> live_;
  std::set<std::uint64_t> dirs_seen_;
  std::vector<CrashEntry> out_;
};

std::vector<CrashEntry> Durability::crash_image(
    const MemoryState& state, const CrashOptions& options) const {
  return ImageBuilder(*this, state, options).build();
}

}  // namespace memfs::detail
