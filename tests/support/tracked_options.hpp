// Test support: MemoryOptions with the durability model on, as the crash
// tests build their filesystems.
#pragma once

#include "memfs/memory_file_system.hpp"

namespace memfs::test_support {

/// Default options with track_durability set.
inline memfs::MemoryOptions tracked() {
  memfs::MemoryOptions o;
  o.track_durability = true;
  return o;
}

}  // namespace memfs::test_support
