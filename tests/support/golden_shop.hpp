// The golden tree the adapters' fixture binaries start their golden tests
// from (tests/{gtest,catch2}_adapter/fixtures/golden.cpp); `builds` counts
// how often it was built (once per binary is the contract).
#pragma once

#include <atomic>

#include "memfs/golden_tree.hpp"

namespace memfs::test_support {

inline GoldenTree golden_shop(std::atomic<int>& builds) {
  return GoldenTree::from_function("shop", [&builds](MemoryFileSystem& fs) {
    ++builds;
    fs.create_directories("/db");
    fs.write_file("/db/items.csv", "1,apple\n");
    fs.write_file("/db/prices.csv", "1,3\n");
  });
}

}  // namespace memfs::test_support
