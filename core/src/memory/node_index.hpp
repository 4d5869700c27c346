// Internal: the path index of the in-memory engine (memory_state.hpp), a
// hash table from a normalized path to its node.
//
// Every operation looks a path up here at least once, so the table is built
// for that: open addressing with linear probing over one array of slots,
// each holding the path's full hash and a pointer to its entry. A probe
// compares hashes first and reads a key only when they match, so a miss
// costs no string comparison. An entry is one piece of the filesystem's
// node arena (node_arena.hpp) holding the node and the path's bytes after
// it: a path of any length costs one arena allocation and no std::string.
// Entries never move (the slots do), so a pointer to a node in the table
// stays valid until that path is erased. Removal shifts the following
// slots back (no tombstones), so probe lengths stay those of the live
// entries.
//
// Lookups take an IndexKey: the path with its hash computed once, which an
// operation then uses for every table it consults (its own index and each
// frozen layer below it, which all hash alike).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "memory/node_arena.hpp"

namespace memfs::detail {

struct Node;

/// The index's hash of a path: 64 bits, 16 bytes per step through a
/// 64x64->128-bit multiply (the mix of wyhash), the length mixed in.
[[nodiscard]] std::uint64_t path_hash(std::string_view path) noexcept;

/// A path and its hash. The path's bytes must outlive the key.
struct IndexKey {
  explicit IndexKey(std::string_view p) noexcept
      : path(p), hash(path_hash(p)) {}
  /// A given hash (tests force collisions with it).
  IndexKey(std::string_view p, std::uint64_t h) noexcept : path(p), hash(h) {}
  std::string_view path;
  std::uint64_t hash;
};

/// Path -> shared_ptr<Node>. Not thread-safe (the tree lock guards it).
class NodeIndex {
 public:
  using Value = std::shared_ptr<Node>;

  /// Entries come from `arena` (null: the heap), which they keep alive.
  explicit NodeIndex(NodeArena* arena = nullptr) noexcept : arena_(arena) {}
  ~NodeIndex() { clear(); }
  /// Takes `other`'s entries (and arena); `other` is left empty, over the
  /// same arena.
  NodeIndex(NodeIndex&& other) noexcept;
  NodeIndex& operator=(NodeIndex&& other) noexcept;
  NodeIndex(const NodeIndex&) = delete;
  NodeIndex& operator=(const NodeIndex&) = delete;

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }

  /// The value of `key`'s path; nullptr if absent.
  [[nodiscard]] Value* find(const IndexKey& key) noexcept {
    const std::size_t at = slot_of(key);
    return at == kNone ? nullptr : &slots_[at].entry->value;
  }
  [[nodiscard]] const Value* find(const IndexKey& key) const noexcept {
    const std::size_t at = slot_of(key);
    return at == kNone ? nullptr : &slots_[at].entry->value;
  }
  [[nodiscard]] bool contains(const IndexKey& key) const noexcept {
    return slot_of(key) != kNone;
  }
  /// Find-or-insert in one probe: the value of `key`'s path, and true when
  /// it was absent (then inserted with a null value). Throws bad_alloc with
  /// nothing changed.
  std::pair<Value*, bool> try_emplace(const IndexKey& key);
  /// Removes `key`'s path; false if absent.
  bool erase(const IndexKey& key) noexcept;
  /// Removes every entry (the slots are kept).
  void clear() noexcept;

  /// Calls f(const IndexKey&, Value&) for every entry, in no order. f may
  /// change the value, not the table.
  template <class F>
  void for_each(F&& f) {
    for (Slot& s : slots_) {
      if (s.entry != nullptr)
        f(IndexKey(s.entry->key(), s.hash), s.entry->value);
    }
  }
  template <class F>
  void for_each(F&& f) const {
    for (const Slot& s : slots_) {
      if (s.entry != nullptr) {
        f(IndexKey(s.entry->key(), s.hash),
          static_cast<const Value&>(s.entry->value));
      }
    }
  }

 private:
  // The node, the path's length, then its bytes.
  struct Entry {
    Value value;
    std::size_t length;
    [[nodiscard]] char* bytes() noexcept {
      return reinterpret_cast<char*>(this + 1);
    }
    [[nodiscard]] const char* bytes() const noexcept {
      return reinterpret_cast<const char*>(this + 1);
    }
    [[nodiscard]] std::string_view key() const noexcept {
      return {bytes(), length};
    }
    [[nodiscard]] bool holds(std::string_view path) const noexcept;
  };
  struct Slot {
    std::uint64_t hash;
    Entry* entry;  // null: empty
  };
  static constexpr std::size_t kNone = ~std::size_t{0};
  static constexpr std::size_t kMinSlots = 8;

  [[nodiscard]] std::size_t home(std::uint64_t hash) const noexcept {
    return static_cast<std::size_t>(hash) & (slots_.size() - 1);
  }
  // The slot holding `key`, or kNone.
  [[nodiscard]] std::size_t slot_of(const IndexKey& key) const noexcept;
  // Slots for `count` entries within the maximum load (3/4).
  void grow_for(std::size_t count);
  Entry* new_entry(std::string_view key);
  void delete_entry(Entry* e) noexcept;

  std::vector<Slot> slots_;  // empty, or a power of two
  std::size_t size_ = 0;
  NodeArena* arena_;
};

}  // namespace memfs::detail
