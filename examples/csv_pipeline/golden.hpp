// Golden data of the CSV pipeline's suites (GoogleTest and Catch2), kept on
// disk in golden/ (CSV_GOLDEN_DIR, a compile definition set by
// CMakeLists.txt):
//
//     golden/raw/       three raw files, one with invalid rows
//     golden/expected/  what /data must hold after a run
#pragma once

#include <map>
#include <string>

#include "memfs/file_system.hpp"
#include "memfs/memory_file_system.hpp"
#include "memfs/snapshot.hpp"

namespace example::golden {

/// Copies golden/raw/ into /data/raw of `fs` (all or nothing).
inline void seed_raw(memfs::FileSystem& fs) {
  memfs::import_from_disk(fs, CSV_GOLDEN_DIR "/raw", "/data/raw");
}

/// The tree /data must hold after a complete run, for TreeEquals("/data",
/// ...): golden/expected/ read into a scratch filesystem, plus the emptied
/// raw/ directory (git keeps no empty directories).
inline std::map<std::string, std::string> expected_tree() {
  memfs::MemoryFileSystem scratch;
  memfs::import_from_disk(scratch, CSV_GOLDEN_DIR "/expected", "/data");
  std::map<std::string, std::string> tree = scratch.export_tree("/data").files;
  tree["/data/raw/"] = "";
  return tree;
}

}  // namespace example::golden
