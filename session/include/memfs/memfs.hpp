// memfs/memfs.hpp — everything a test or a program using memfs needs, in one
// include (link memfs::session, which brings memfs::fault and memfs::core).
//
// ```cpp file
// #include <memfs/memfs.hpp>
//
// TEST(UmbrellaHeaderExample, OneInclude) {
//   memfs::MemoryFileSystem fs;
//   memfs::FaultInjector faults(fs);  // attaches itself to fs
//   faults.disk_full_after(0);
//   std::error_code ec;
//   fs.write_file("/a.txt", "x", ec);
//   EXPECT_EQ(ec, memfs::errc::quota_exceeded);
// }
// ```
//
// It includes the core headers (filesystems, files, paths, errors, hooks,
// streams, stdio, snapshots, JSON, the clock), fault injection, and the
// session layer (TestSession, diff_tree). Not included:
//   - <memfs/backend.hpp>: the interface for writing a backend;
//   - <memfs/gtest.hpp>, <memfs/gtest_matchers.hpp>, <memfs/catch2.hpp>,
//     <memfs/catch2_matchers.hpp>: the adapters need their test framework's
//     headers and libraries (link memfs::gtest or memfs::catch2);
//   - <memfs/archive.hpp> (libarchive; memfs::archive) and
//     <memfs/intercept.hpp> (memfs::intercept), separate modules for the
//     same reason.
#pragma once

#include "memfs/clock.hpp"
#include "memfs/disk_file_system.hpp"
#include "memfs/error.hpp"
#include "memfs/fault_injection.hpp"
#include "memfs/fault_rule.hpp"
#include "memfs/file.hpp"
#include "memfs/file_system.hpp"
#include "memfs/golden_tree.hpp"
#include "memfs/hook.hpp"
#include "memfs/json.hpp"
#include "memfs/memory_file_system.hpp"
#include "memfs/path.hpp"
#include "memfs/snapshot.hpp"
#include "memfs/stdio.hpp"
#include "memfs/stream.hpp"
#include "memfs/streambuf.hpp"
#include "memfs/test_session.hpp"
#include "memfs/tree_diff.hpp"
