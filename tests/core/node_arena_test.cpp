// The engine's node arena: pieces are reused by size, the arena outlives
// its owner while a piece is live, and pieces may come and go on several
// threads (run under ASan and TSan as well).
#include "memory/node_arena.hpp"

#include <atomic>
#include <cstring>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace memfs::detail {
namespace {

TEST(NodeArena, AFreedPieceIsReusedByTheNextOfItsSize) {
  NodeArenaHold hold;
  void* a = hold.arena->allocate(100);
  void* b = hold.arena->allocate(40);
  EXPECT_NE(a, b);
  hold.arena->deallocate(a, 100);
  void* again = hold.arena->allocate(40 + 60);  // the same size class
  EXPECT_EQ(again, a);
  void* fresh = hold.arena->allocate(100);
  EXPECT_NE(fresh, a);
  hold.arena->deallocate(again, 100);
  hold.arena->deallocate(fresh, 100);
  hold.arena->deallocate(b, 40);
}

TEST(NodeArena, PiecesAreAlignedAndDisjointAcrossSlabs) {
  NodeArenaHold hold;
  std::vector<char*> pieces;
  for (int i = 0; i < 2000; ++i) {  // several slabs
    auto* p = static_cast<char*>(hold.arena->allocate(48));
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % NodeArena::kAlign, 0u);
    std::memset(p, i & 0x7f, 48);
    pieces.push_back(p);
  }
  for (int i = 0; i < 2000; ++i) {
    EXPECT_EQ(pieces[static_cast<std::size_t>(i)][47],
              static_cast<char>(i & 0x7f));
  }
  for (char* p : pieces) hold.arena->deallocate(p, 48);
}

TEST(NodeArena, OutlivesItsOwnerWhileAPieceIsLive) {
  using Map = std::map<std::string, int, std::less<>,
                       ArenaAllocator<std::pair<const std::string, int>>>;
  auto hold = std::make_unique<NodeArenaHold>();
  auto map = std::make_unique<Map>(Map::allocator_type(hold->arena));
  for (int i = 0; i < 100; ++i) map->emplace("entry" + std::to_string(i), i);
  hold.reset();  // the owner goes; the map's nodes stay valid
  int sum = 0;
  for (const auto& [name, value] : *map) sum += value;
  EXPECT_EQ(sum, 99 * 100 / 2);
  map->emplace("late", 1);  // and it may still allocate
  map.reset();  // the last piece back: the arena goes (ASan: no leak)
}

TEST(NodeArena, ACopyAllocatesFromItsOwnArenaAndAMoveTakesItsAlong) {
  using Map = std::map<int, int, std::less<>,
                       ArenaAllocator<std::pair<const int, int>>>;
  NodeArenaHold first;
  NodeArenaHold second;
  Map a{Map::allocator_type(first.arena)};
  a.emplace(1, 1);
  Map b{Map::allocator_type(second.arena)};
  b = a;
  EXPECT_EQ(b.get_allocator().arena(), second.arena);
  Map c = std::move(a);
  EXPECT_EQ(c.get_allocator().arena(), first.arena);
  EXPECT_EQ(b, c);
}

TEST(NodeArena, PiecesComeAndGoOnSeveralThreads) {
  auto hold = std::make_unique<NodeArenaHold>();
  NodeArena* arena = hold->arena;
  std::vector<std::thread> threads;
  std::vector<std::vector<void*>> kept(4);
  for (std::size_t t = 0; t < 4; ++t) {
    threads.emplace_back([arena, t, &kept] {
      for (int round = 0; round < 2000; ++round) {
        void* p = arena->allocate(16 * (t + 1));
        std::memset(p, static_cast<int>(t), 16 * (t + 1));
        if (round % 2 == 0) {
          arena->deallocate(p, 16 * (t + 1));
        } else {
          kept[t].push_back(p);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  hold.reset();
  // Released on other threads than they were taken on, after the owner.
  threads.clear();
  for (std::size_t t = 0; t < 4; ++t) {
    threads.emplace_back([arena, t, &kept] {
      for (void* p : kept[(t + 1) % 4])
        arena->deallocate(p, 16 * ((t + 1) % 4 + 1));
    });
  }
  for (auto& th : threads) th.join();
}

TEST(NodeArena, ARunServesItsThreadAndOtherThreadsAfterIt) {
  NodeArenaHold hold;
  NodeArena* arena = hold.arena;
  std::vector<void*> mine;
  std::atomic<bool> started{false};
  std::thread other;
  void* theirs = nullptr;
  {
    NodeArena::Run run(arena);
    NodeArena::Run nested(arena);  // a run in a run: nothing more
    for (int i = 0; i < 300; ++i) mine.push_back(arena->allocate(304));
    arena->deallocate(mine.back(), 304);
    mine.pop_back();
    other = std::thread([&] {
      started = true;
      theirs = arena->allocate(304);  // waits for the run to end
    });
    while (!started) std::this_thread::yield();
    for (int i = 0; i < 100; ++i) mine.push_back(arena->allocate(64));
  }
  other.join();
  for (void* p : mine) EXPECT_NE(p, theirs);
  arena->deallocate(theirs, 304);
  for (std::size_t i = 0; i < mine.size(); ++i)
    arena->deallocate(mine[i], i < 299 ? 304 : 64);
}

}  // namespace
}  // namespace memfs::detail
