// The real-disk recorder's side of the wrappers: path_call (common.hpp)
// reports every path call it forwards to libc while a recording runs.
#pragma once

#include <atomic>

namespace memfs::idetail {

/// True while start_real_disk_recording() .. stop runs; it also holds one
/// count of g_active, so the wrappers classify every call meanwhile.
extern std::atomic<bool> g_recording;
inline bool recording() noexcept {
  return g_recording.load(std::memory_order_relaxed);
}

/// Records that `call` forwarded `path` (as given to an *at call on
/// `dirfd`) to the real filesystem, unless it is on the allow-list. Holds
/// the recursion guard, so nothing it does is recorded or served by memfs.
/// Never throws; an access it cannot store is counted as dropped.
void record_real(const char* call, int dirfd, const char* path) noexcept;

}  // namespace memfs::idetail
