// Internal: the durability model of MemoryFileSystem (crash.hpp), kept apart
// from the nodes: MemoryState::durability is null unless track_durability,
// and the engine calls in at the few points that matter (a file's sync, a
// directory's sync, an unlink), each behind one test of that pointer.
//
// Records are keyed by Node::id (never reused), not by node, because a crash
// may bring back what the live tree no longer holds: a file whose unlink was
// not made durable, a directory moved away before its old parent was synced.
//
// Locking: mutex_ is a leaf, taken after tree_mutex and any data_mutex.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "memfs/crash.hpp"
#include "memory/byte_store.hpp"

namespace memfs::detail {

struct Node;
struct DirNode;
struct FileNode;
struct MemoryState;

/// One entry of a crashed tree: directories before what they hold.
struct CrashEntry {
  std::string path;
  bool is_dir = false;
  std::string data;
};

class Durability {
 public:
  explicit Durability(std::uint64_t root_id) : root_id_(root_id) {}

  // file's data_mutex held (shared at least): its bytes become durable.
  void sync_file(const FileNode& file);
  // tree_mutex held: dir's current entries become durable.
  void sync_directory(const DirNode& dir);
  // tree_mutex and file's data_mutex held uniquely, as the file leaves the
  // namespace: keeps what a crash could bring back. With no handle `open`
  // (as the handle registry found), the bytes are taken from
  // file.store (which the caller then frees); otherwise the handles may
  // still write, and the node is watched.
  void unlinked(const std::shared_ptr<FileNode>& file, bool open);
  // tree_mutex held uniquely: everything in `state` becomes durable, and
  // what only a crash could bring back is forgotten.
  void sync_all(const MemoryState& state);

  // tree_mutex held (shared at least): the tree a crash now would leave.
  [[nodiscard]] std::vector<CrashEntry> crash_image(
      const MemoryState& state, const CrashOptions& options) const;

 private:
  struct SyncedEntry {
    std::uint64_t id = 0;
    bool is_dir = false;
  };
  using Entries = std::map<std::string, SyncedEntry, std::less<>>;
  struct FileRecord {
    ByteStore synced;                // as at the last sync (empty if never)
    bool unlinked = false;           // left the namespace: see `last`/`orphan`
    ByteStore last;                  // its bytes when unlinked with no handle
    std::weak_ptr<FileNode> orphan;  // unlinked while open: still writable
    bool watched = false;            // orphan was set
  };
  class ImageBuilder;

  std::uint64_t root_id_;
  mutable std::mutex mutex_;
  std::unordered_map<std::uint64_t, FileRecord> files_;  // guarded by mutex_
  std::unordered_map<std::uint64_t, Entries> dirs_;      // guarded by mutex_
};

}  // namespace memfs::detail
