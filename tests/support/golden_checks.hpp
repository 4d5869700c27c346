// What both adapters' golden tests check in a snapshot left by the fixture
// binaries' failing shop test (tests/support/golden_shop.hpp): the manifest's
// "golden" section and the report on stderr.
#pragma once

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "memfs/json.hpp"

namespace memfs::test_support {

/// The text of member `key` of `object` ("" if missing).
inline std::string golden_text(const JsonValue& object, const char* key) {
  const JsonValue* v = object.find(key);
  return v != nullptr ? v->text() : std::string();
}

/// The differences of a "golden" section as "kind path".
inline std::vector<std::string> golden_differences_of(const JsonValue& golden) {
  std::vector<std::string> out;
  if (const JsonValue* list = golden.find("differences")) {
    for (const auto& d : list->items()) {
      out.push_back(golden_text(d, "kind") + " " + golden_text(d, "path"));
    }
  }
  return out;
}

/// The shop test changed one file, removed one and added one; its report
/// names the tree.
inline void expect_shop_changes(const JsonValue& golden,
                                const std::string& err) {
  EXPECT_EQ(golden_text(golden, "name"), "shop");
  EXPECT_EQ(golden_text(golden, "source"), "function");
  EXPECT_THAT(
      golden_differences_of(golden),
      ::testing::ElementsAre("unexpected /added.txt", "different /db/items.csv",
                             "missing /db/prices.csv"));
  EXPECT_THAT(err, ::testing::HasSubstr(
                       "memfs: started from golden tree 'shop' (function); 3 "
                       "paths differ from it:\n"));
}

}  // namespace memfs::test_support
