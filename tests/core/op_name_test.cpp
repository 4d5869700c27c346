// op_name() of memfs/hook.hpp: the names fault rules are written with.
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "memfs/hook.hpp"

namespace {

TEST(OpName, NamesEveryOpDistinctly) {
  std::set<std::string> names;
  for (unsigned i = 0; i < memfs::kOpCount; ++i) {
    const std::string_view name = memfs::op_name(static_cast<memfs::Op>(i));
    EXPECT_FALSE(name.empty());
    EXPECT_NE(name, "unknown");
    names.emplace(name);
  }
  EXPECT_EQ(names.size(), memfs::kOpCount);
}

TEST(OpName, MatchesTheEnumeratorSpelling) {
  EXPECT_EQ(memfs::op_name(memfs::Op::open), "open");
  EXPECT_EQ(memfs::op_name(memfs::Op::truncate), "truncate");
  EXPECT_EQ(memfs::op_name(memfs::Op::rename), "rename");
  EXPECT_EQ(memfs::op_name(memfs::Op::lock), "lock");
  EXPECT_EQ(memfs::op_name(static_cast<memfs::Op>(memfs::kOpCount)), "unknown");
}

}  // namespace
