// The engine's path index (memory/node_index.hpp): find-or-insert, erase with
// backward shift (runs that wrap around the end of the slots included),
// growth, long keys, forced hash collisions, iteration, moves, and the hash
// itself (every byte counts). Run under ASan and TSan as well.
#include "memory/node_index.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "memory/memory_state.hpp"

namespace memfs::detail {
namespace {

std::shared_ptr<Node> file_node() { return std::make_shared<FileNode>(); }

using HashOf = std::uint64_t (*)(std::string_view);

// Every key of `expected` (hashed by `hash_of`) maps to its node in
// `index`, and nothing else is there.
void expect_holds(const NodeIndex& index,
                  const std::map<std::string, const Node*>& expected,
                  HashOf hash_of = path_hash) {
  EXPECT_EQ(index.size(), expected.size());
  for (const auto& [path, node] : expected) {
    const NodeIndex::Value* v = index.find(IndexKey(path, hash_of(path)));
    ASSERT_NE(v, nullptr) << path;
    EXPECT_EQ(v->get(), node) << path;
  }
  std::size_t seen = 0;
  index.for_each([&](const IndexKey& key, const NodeIndex::Value& v) {
    ++seen;
    const auto it = expected.find(std::string(key.path));
    ASSERT_NE(it, expected.end()) << key.path;
    EXPECT_EQ(v.get(), it->second);
  });
  EXPECT_EQ(seen, expected.size());
}

TEST(NodeIndex, FindOrInsertInsertsOnceAndFindsWhatItInserted) {
  NodeIndex index;
  EXPECT_EQ(index.find(IndexKey("/a")), nullptr);
  auto [v, inserted] = index.try_emplace(IndexKey("/a"));
  ASSERT_TRUE(inserted);
  EXPECT_EQ(*v, nullptr);  // inserted with a null value
  *v = file_node();
  auto [again, inserted_again] = index.try_emplace(IndexKey("/a"));
  EXPECT_FALSE(inserted_again);
  EXPECT_EQ(again, v);
  EXPECT_EQ(index.find(IndexKey("/a")), v);
  EXPECT_EQ(index.find(IndexKey("/b")), nullptr);
  EXPECT_EQ(index.find(IndexKey("/a/")), nullptr);
  EXPECT_EQ(index.size(), 1u);
  EXPECT_TRUE(index.erase(IndexKey("/a")));
  EXPECT_FALSE(index.erase(IndexKey("/a")));
  EXPECT_EQ(index.find(IndexKey("/a")), nullptr);
  EXPECT_TRUE(index.empty());
}

TEST(NodeIndex, GrowsKeepingEveryEntryAndItsAddress) {
  NodeArenaHold hold;
  NodeIndex index(hold.arena);
  std::map<std::string, const Node*> expected;
  std::vector<std::pair<std::string, NodeIndex::Value*>> addresses;
  for (int i = 0; i < 5000; ++i) {
    const std::string path = "/dir/file" + std::to_string(i);
    auto [v, inserted] = index.try_emplace(IndexKey(path));
    ASSERT_TRUE(inserted);
    *v = file_node();
    expected[path] = v->get();
    addresses.emplace_back(path, v);
  }
  expect_holds(index, expected);
  // Values live in entries that never move: pointers taken before the
  // table grew still point at them.
  for (const auto& [path, address] : addresses)
    EXPECT_EQ(index.find(IndexKey(path)), address) << path;
}

TEST(NodeIndex, CollidingHashesAreToldApartByTheirKeys) {
  NodeIndex index;
  std::map<std::string, const Node*> expected;
  for (const char* path : {"/x", "/y", "/z", "/xy", "/a/b/c"}) {
    auto [v, inserted] = index.try_emplace(IndexKey(path, 42));
    ASSERT_TRUE(inserted) << path;
    *v = file_node();
    expected[path] = v->get();
  }
  for (const auto& [path, node] : expected)
    EXPECT_EQ(index.find(IndexKey(path, 42))->get(), node);
  EXPECT_EQ(index.find(IndexKey("/w", 42)), nullptr);
  // Erasing from the middle of the run shifts the rest back into reach.
  ASSERT_TRUE(index.erase(IndexKey("/y", 42)));
  expected.erase("/y");
  for (const auto& [path, node] : expected) {
    const NodeIndex::Value* v = index.find(IndexKey(path, 42));
    ASSERT_NE(v, nullptr) << path;
    EXPECT_EQ(v->get(), node) << path;
  }
  EXPECT_EQ(index.find(IndexKey("/y", 42)), nullptr);
}

TEST(NodeIndex, EraseShiftsBackOnlyWhatItsHomeAllows) {
  // Eight slots (the minimum, under 3/4 full): hashes are homes. The run
  // 6, 7, 0, 1 wraps around the end.
  NodeIndex index;
  std::map<std::string, const Node*> expected;
  const std::vector<std::pair<std::string, std::uint64_t>> keys = {
      {"/a", 6}, {"/b", 7}, {"/c", 6}, {"/d", 0}};
  for (const auto& [path, hash] : keys) {
    *index.try_emplace(IndexKey(path, hash)).first = file_node();
    expected[path] = index.find(IndexKey(path, hash))->get();
  }
  // "/a" leaves slot 6: "/b" (home 7) must stay, "/c" (home 6, in slot 0)
  // moves into 6, and "/d" (home 0, in slot 1) into 0.
  ASSERT_TRUE(index.erase(IndexKey("/a", 6)));
  expected.erase("/a");
  for (const auto& [path, hash] : keys) {
    if (path == "/a") continue;
    const NodeIndex::Value* v = index.find(IndexKey(path, hash));
    ASSERT_NE(v, nullptr) << path;
    EXPECT_EQ(v->get(), expected[path]) << path;
  }
  // Then the rest, one by one, each time everything left stays reachable.
  for (const char* gone : {"/b", "/c", "/d"}) {
    const std::uint64_t hash = gone[1] == 'b' ? 7 : gone[1] == 'c' ? 6 : 0;
    ASSERT_TRUE(index.erase(IndexKey(gone, hash))) << gone;
    expected.erase(gone);
    for (const auto& [path, h] : keys) {
      if (expected.count(path) == 0) continue;
      ASSERT_NE(index.find(IndexKey(path, h)), nullptr) << path;
    }
  }
  EXPECT_TRUE(index.empty());
}

TEST(NodeIndex, ManyInsertsAndErasesAgreeWithAMap) {
  // Narrow hashes (16 homes) make long runs, so erases shift a lot.
  NodeArenaHold hold;
  NodeIndex index(hold.arena);
  std::map<std::string, const Node*> expected;
  const HashOf narrow = [](std::string_view p) { return path_hash(p) % 16; };
  std::uint64_t state = 12345;
  for (int step = 0; step < 20000; ++step) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const std::string path = "/k" + std::to_string((state >> 33) % 300);
    const IndexKey key(path, narrow(path));
    if ((state >> 20) % 3 == 0) {
      EXPECT_EQ(index.erase(key), expected.erase(path) == 1) << path;
    } else {
      auto [v, inserted] = index.try_emplace(key);
      EXPECT_EQ(inserted, expected.count(path) == 0) << path;
      if (inserted) *v = file_node();
      expected[path] = v->get();
    }
  }
  expect_holds(index, expected, narrow);
}

TEST(NodeIndex, LongKeysOfAnyLengthAreStoredWhole) {
  NodeArenaHold hold;
  NodeIndex index(hold.arena);
  std::map<std::string, const Node*> expected;
  for (std::size_t length : {1u, 7u, 15u, 16u, 17u, 33u, 350u, 500u, 4096u}) {
    std::string path(length, 'd');
    path[0] = '/';
    *index.try_emplace(IndexKey(path)).first = file_node();
    expected[path] = index.find(IndexKey(path))->get();
    // The same bytes but the last: another key.
    std::string other = path;
    other.back() = 'e';
    EXPECT_EQ(index.find(IndexKey(other)), nullptr) << length;
    EXPECT_EQ(index.find(IndexKey(other, IndexKey(path).hash)), nullptr);
  }
  expect_holds(index, expected);
  // Found through another string with the same bytes.
  const std::string copy(expected.rbegin()->first);
  EXPECT_NE(index.find(IndexKey(copy)), nullptr);
}

TEST(NodeIndex, IterationMayChangeValuesAndSeesEachEntryOnce) {
  NodeIndex index;
  for (int i = 0; i < 100; ++i)
    *index.try_emplace(IndexKey("/f" + std::to_string(i))).first = file_node();
  std::set<std::string> seen;
  index.for_each([&](const IndexKey& key, NodeIndex::Value& v) {
    EXPECT_TRUE(seen.insert(std::string(key.path)).second) << key.path;
    EXPECT_EQ(key.hash, path_hash(key.path));  // the slot's hash
    if (key.path == "/f7") v = nullptr;
  });
  EXPECT_EQ(seen.size(), 100u);
  EXPECT_EQ(*index.find(IndexKey("/f7")), nullptr);
  EXPECT_NE(*index.find(IndexKey("/f8")), nullptr);
}

TEST(NodeIndex, AMoveTakesTheEntriesAndLeavesAnEmptyUsableIndex) {
  NodeArenaHold hold;
  NodeIndex from(hold.arena);
  *from.try_emplace(IndexKey("/a")).first = file_node();
  NodeIndex to;
  *to.try_emplace(IndexKey("/old")).first = file_node();
  to = std::move(from);
  EXPECT_NE(to.find(IndexKey("/a")), nullptr);
  EXPECT_EQ(to.find(IndexKey("/old")), nullptr);
  EXPECT_TRUE(from.empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(from.find(IndexKey("/a")), nullptr);
  *from.try_emplace(IndexKey("/b")).first = file_node();
  EXPECT_NE(from.find(IndexKey("/b")), nullptr);
  NodeIndex built(std::move(to));
  EXPECT_NE(built.find(IndexKey("/a")), nullptr);
}

TEST(NodeIndex, EntriesKeepTheirArenaAliveAfterItsOwnerLetsGo) {
  auto hold = std::make_unique<NodeArenaHold>();
  NodeIndex index(hold->arena);
  for (int i = 0; i < 200; ++i)
    *index.try_emplace(IndexKey("/p" + std::to_string(i))).first = file_node();
  hold.reset();  // the arena lives on while the entries do
  EXPECT_TRUE(index.erase(IndexKey("/p3")));
  EXPECT_NE(index.find(IndexKey("/p4")), nullptr);
  index.clear();
  EXPECT_TRUE(index.empty());
}

TEST(PathHash, EveryByteAndTheLengthCount) {
  for (std::size_t length : {1u, 2u, 3u, 5u, 8u, 12u, 16u, 17u, 31u, 32u, 33u,
                             48u, 64u, 65u, 199u, 350u}) {
    std::string path(length, 'a');
    const std::uint64_t base = path_hash(path);
    EXPECT_EQ(path_hash(std::string(path)), base);
    for (std::size_t i = 0; i < length; ++i) {
      std::string changed = path;
      changed[i] = 'b';
      EXPECT_NE(path_hash(changed), base) << length << " byte " << i;
    }
    EXPECT_NE(path_hash(path + 'a'), base) << length;
    EXPECT_NE(path_hash(path + '\0'), base) << length;
  }
}

TEST(PathHash, NumberedPathsSpreadOverTheLowBits) {
  // The table picks a slot by the low bits: 16,384 numbered paths over 256
  // homes land 64 per home on average; none gets more than twice that.
  std::vector<int> per_home(256);
  std::set<std::uint64_t> hashes;
  for (int i = 0; i < 16384; ++i) {
    const std::uint64_t h = path_hash("/bench/f" + std::to_string(i) + ".bin");
    ++per_home[h % 256];
    hashes.insert(h);
  }
  EXPECT_EQ(hashes.size(), 16384u);  // no full collision
  for (int count : per_home) {
    EXPECT_GT(count, 16);
    EXPECT_LT(count, 128);
  }
}

}  // namespace
}  // namespace memfs::detail
