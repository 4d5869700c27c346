// Test support: two real-disk accesses as a recorder reports them, one
// repeated and one with markup in its path, for the tests of the report's
// wording, its manifest section and the snapshot page.
#pragma once

#include <vector>

#include "memfs/real_disk.hpp"

namespace memfs::test_support {

inline std::vector<RealDiskAccess> sample_real_disk_accesses() {
  RealDiskAccess open;
  open.call = "open";
  open.path = "/tmp/<b>cache</b>/a.txt";
  open.thread_id = 4121;
  open.thread_name = "worker";
  RealDiskAccess stat;
  stat.call = "stat";
  stat.path = "/home/me/.config/app";
  stat.thread_id = 4120;
  stat.thread_name = "suite_test";
  stat.count = 3;
  return {open, stat};
}

}  // namespace memfs::test_support
