// The path index's hash and table (node_index.hpp).
#include "memory/node_index.hpp"

#include <cstring>
#include <new>

namespace memfs::detail {

namespace {

// wyhash's constants: odd, with bits spread over every byte.
constexpr std::uint64_t kSeed = 0xa0761d6478bd642fULL;
constexpr std::uint64_t kMix1 = 0xe7037ed1a0b428dbULL;
constexpr std::uint64_t kMix2 = 0x8ebc6af09c88c6e3ULL;
constexpr std::uint64_t kMix3 = 0x589965cc75374cc3ULL;

// The two halves of a * b, folded: every input bit reaches most output
// bits, in one multiply.
inline std::uint64_t mix(std::uint64_t a, std::uint64_t b) noexcept {
  __extension__ using Wide = unsigned __int128;
  const Wide r = static_cast<Wide>(a) * b;
  return static_cast<std::uint64_t>(r) ^ static_cast<std::uint64_t>(r >> 64);
}

inline std::uint64_t load8(const char* p) noexcept {
  std::uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline std::uint64_t load4(const char* p) noexcept {
  std::uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// a[0, n) == b[0, n), for keys whose hashes matched (so almost always
// equal): short keys compared inline (a call to memcmp costs more than the
// comparison), long ones by memcmp (wider steps).
inline bool same_bytes(const char* a, const char* b, std::size_t n) noexcept {
  if (n > 32) return std::memcmp(a, b, n) == 0;
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 < n; i += 8) {
      if (load8(a + i) != load8(b + i)) return false;
    }
    return load8(a + n - 8) == load8(b + n - 8);
  }
  if (n >= 4)
    return load4(a) == load4(b) && load4(a + n - 4) == load4(b + n - 4);
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

}  // namespace

std::uint64_t path_hash(std::string_view path) noexcept {
  const char* p = path.data();
  const std::size_t n = path.size();
  std::uint64_t h = kSeed ^ n;
  std::uint64_t a = 0;
  std::uint64_t b = 0;
  if (n <= 16) {
    // Two overlapping reads cover every byte (the length tells them apart).
    if (n >= 8) {
      a = load8(p);
      b = load8(p + n - 8);
    } else if (n >= 4) {
      a = load4(p);
      b = load4(p + n - 4);
    } else if (n > 0) {
      a = static_cast<std::uint64_t>(static_cast<unsigned char>(p[0])) << 16 |
          static_cast<std::uint64_t>(static_cast<unsigned char>(p[n / 2]))
              << 8 |
          static_cast<unsigned char>(p[n - 1]);
    }
  } else {
    // Long paths: two independent lanes of 16 bytes, then the rest, then
    // the last 16 bytes (overlapping what came before).
    const char* const end = p + n;
    std::uint64_t h2 = h;
    for (; end - p > 32; p += 32) {
      h = mix(load8(p) ^ kMix1, load8(p + 8) ^ h);
      h2 = mix(load8(p + 16) ^ kMix2, load8(p + 24) ^ h2);
    }
    h ^= h2;
    if (end - p > 16) h = mix(load8(p) ^ kMix1, load8(p + 8) ^ h);
    a = load8(end - 16);
    b = load8(end - 8);
  }
  return mix(mix(a ^ kMix1, b ^ h) ^ kMix3, n ^ kMix2);
}

bool NodeIndex::Entry::holds(std::string_view path) const noexcept {
  return length == path.size() && same_bytes(bytes(), path.data(), length);
}

NodeIndex::NodeIndex(NodeIndex&& other) noexcept
    : slots_(std::move(other.slots_)),
      size_(other.size_),
      arena_(other.arena_) {
  other.slots_.clear();
  other.size_ = 0;
}

NodeIndex& NodeIndex::operator=(NodeIndex&& other) noexcept {
  if (this != &other) {
    clear();
    slots_ = std::move(other.slots_);
    size_ = other.size_;
    arena_ = other.arena_;
    other.slots_.clear();
    other.size_ = 0;
  }
  return *this;
}

std::size_t NodeIndex::slot_of(const IndexKey& key) const noexcept {
  if (size_ == 0) return kNone;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = home(key.hash);; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.entry == nullptr) return kNone;
    if (s.hash == key.hash && s.entry->holds(key.path)) return i;
  }
}

std::pair<NodeIndex::Value*, bool> NodeIndex::try_emplace(const IndexKey& key) {
  if (slots_.empty()) grow_for(1);
  std::size_t mask = slots_.size() - 1;
  std::size_t i = home(key.hash);
  for (;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.entry == nullptr) break;
    if (s.hash == key.hash && s.entry->holds(key.path)) {
      return {&s.entry->value, false};
    }
  }
  Entry* e = new_entry(key.path);  // may throw: nothing changed yet
  if ((size_ + 1) * 4 > slots_.size() * 3) {
    try {
      grow_for(size_ + 1);
    } catch (...) {
      delete_entry(e);
      throw;
    }
    mask = slots_.size() - 1;
    for (i = home(key.hash); slots_[i].entry != nullptr; i = (i + 1) & mask) {
    }
  }
  slots_[i] = Slot{key.hash, e};
  ++size_;
  return {&e->value, true};
}

bool NodeIndex::erase(const IndexKey& key) noexcept {
  std::size_t hole = slot_of(key);
  if (hole == kNone) return false;
  delete_entry(slots_[hole].entry);
  --size_;
  // Backward shift: each following slot of the run moves into the hole
  // when the hole lies on its probe path (between its home and itself).
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t j = (hole + 1) & mask; slots_[j].entry != nullptr;
       j = (j + 1) & mask) {
    const std::size_t from_home = (j - home(slots_[j].hash)) & mask;
    if (from_home < ((j - hole) & mask)) continue;  // the hole is before home
    slots_[hole] = slots_[j];
    hole = j;
  }
  slots_[hole] = Slot{0, nullptr};
  return true;
}

void NodeIndex::clear() noexcept {
  if (size_ == 0) return;
  for (Slot& s : slots_) {
    if (s.entry != nullptr) delete_entry(s.entry);
    s = Slot{0, nullptr};
  }
  size_ = 0;
}

void NodeIndex::grow_for(std::size_t count) {
  std::size_t n = slots_.empty() ? kMinSlots : slots_.size();
  while (count * 4 > n * 3) n *= 2;
  if (n == slots_.size()) return;
  std::vector<Slot> fresh(n, Slot{0, nullptr});
  const std::size_t mask = n - 1;
  for (const Slot& s : slots_) {
    if (s.entry == nullptr) continue;
    std::size_t i = static_cast<std::size_t>(s.hash) & mask;
    while (fresh[i].entry != nullptr) i = (i + 1) & mask;
    fresh[i] = s;
  }
  slots_.swap(fresh);
}

NodeIndex::Entry* NodeIndex::new_entry(std::string_view key) {
  const std::size_t bytes = sizeof(Entry) + key.size();
  void* p = arena_ != nullptr && NodeArena::pooled(bytes, alignof(Entry))
                ? arena_->allocate(bytes)
                : ::operator new(bytes);
  auto* e = new (p) Entry{Value(), key.size()};
  key.copy(e->bytes(), key.size());
  return e;
}

void NodeIndex::delete_entry(Entry* e) noexcept {
  const std::size_t bytes = sizeof(Entry) + e->length;
  e->~Entry();
  if (arena_ != nullptr && NodeArena::pooled(bytes, alignof(Entry))) {
    arena_->deallocate(e, bytes);
  } else {
    ::operator delete(e);
  }
}

}  // namespace memfs::detail
