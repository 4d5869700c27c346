// A directory's entries (memory/dir_entries.hpp): sorted runs that must list
// in bytewise order, find and erase what they hold, and stay correct through
// splits and emptied runs; and the same through the public API.
#include "memory/dir_entries.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "memfs/memory_file_system.hpp"

namespace memfs::detail {
namespace {

using Model = std::map<std::string, std::uint64_t>;

void expect_same(const DirEntries& d, const Model& model) {
  ASSERT_EQ(d.size(), model.size());
  EXPECT_EQ(d.empty(), model.empty());
  auto m = model.begin();
  for (const auto& [name, ref] : d) {
    ASSERT_NE(m, model.end());
    EXPECT_EQ(name, m->first);
    EXPECT_EQ(ref.id, m->second);
    ++m;
  }
  EXPECT_EQ(m, model.end());
}

std::string name_of(std::uint32_t n) {
  // Bytes above 0x7f too: the order is bytewise (unsigned), as std::string's.
  std::string s = "f" + std::to_string(n % 5000);
  if (n % 7 == 0) s += '\xe9';
  return s;
}

TEST(DirEntries, RandomInsertsErasesAndLookupsMatchAnOrderedMap) {
  std::mt19937 rng(42);
  DirEntries d;
  Model model;
  for (std::uint64_t step = 1; step <= 40000; ++step) {
    const std::string name = name_of(static_cast<std::uint32_t>(rng()));
    const bool present = model.count(name) != 0;
    if (!present && rng() % 3 != 0) {
      d.insert(name, ChildRef{step, false});
      model.emplace(name, step);
    } else {
      EXPECT_EQ(d.erase(name), present) << name;
      model.erase(name);
    }
    const ChildRef* found = d.find(name);
    ASSERT_EQ(found != nullptr, model.count(name) != 0) << name;
    if (found != nullptr) {
      EXPECT_EQ(found->id, model.at(name));
    }
    if (step % 5000 == 0) expect_same(d, model);
  }
  expect_same(d, model);
  const DirEntries copy = d;  // a clone's copy of a directory
  for (const auto& [name, id] : model) d.erase(name);
  expect_same(d, {});
  expect_same(copy, model);
}

TEST(DirEntries, InOrderAndReverseOrderInsertsList) {
  DirEntries up;
  DirEntries down;
  Model model;
  for (std::uint64_t i = 0; i < 1000; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "n%04u", static_cast<unsigned>(i));
    up.insert(name, ChildRef{i, false});
    model.emplace(name, i);
  }
  for (auto it = model.rbegin(); it != model.rend(); ++it)
    down.insert(it->first, ChildRef{it->second, false});
  expect_same(up, model);
  expect_same(down, model);
}

// Through MemoryFileSystem: creates in random order, removes and renames,
// and the listing is the set of names left, in bytewise order.
TEST(DirEntries, ListingAfterManyCreatesRemovesAndRenamesIsBytewise) {
  std::mt19937 rng(7);
  MemoryFileSystem fs;
  fs.create_directories("/d");
  std::set<std::string> names;
  for (int i = 0; i < 3000; ++i) {
    const std::string name = name_of(static_cast<std::uint32_t>(rng()) % 900);
    const std::string path = "/d/" + name;
    if (names.count(name) == 0) {
      fs.write_file(path, "x");
      names.insert(name);
    } else if (rng() % 2 == 0) {
      fs.remove(path);
      names.erase(name);
    } else {
      const std::string to = "r" + name;
      if (names.count(to) == 0) {
        fs.rename(path, "/d/" + to);
        names.erase(name);
        names.insert(to);
      }
    }
  }
  const std::vector<std::string> listed = fs.list("/d");
  const std::vector<std::string> want(names.begin(), names.end());
  ASSERT_EQ(listed.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i)
    EXPECT_EQ(listed[i], want[i]) << i;
}

}  // namespace
}  // namespace memfs::detail
