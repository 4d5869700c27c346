// Permission bits of mounted paths (memfs keeps none: the mount records
// what chmod and creating calls set) and the process's umask.
#include <sys/stat.h>

#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "real.hpp"
#include "state.hpp"

namespace memfs::idetail {

unsigned mode_of(MountState& m, std::string_view path, bool dir) {
  if (!m.any_modes.load(std::memory_order_acquire))
    return dir ? kDefaultDirMode : kDefaultFileMode;
  std::lock_guard<std::mutex> lock(m.modes_mutex);
  auto it = m.modes.find(std::string(path));
  return it != m.modes.end() ? it->second
                             : (dir ? kDefaultDirMode : kDefaultFileMode);
}

bool has_mode(MountState& m, std::string_view path) {
  if (!m.any_modes.load(std::memory_order_acquire)) return false;
  std::lock_guard<std::mutex> lock(m.modes_mutex);
  return !m.modes.empty() && m.modes.count(std::string(path)) != 0;
}

void set_mode(MountState& m, std::string_view path, unsigned perm) {
  std::lock_guard<std::mutex> lock(m.modes_mutex);
  m.modes[std::string(path)] = perm & 07777u;
  m.any_modes.store(true, std::memory_order_release);
}

namespace {
// No call reads the umask without setting it: the first creation reads it
// (umask twice, under g_umask_mutex so no reader sees the other's 0), and
// the umask wrapper below keeps the copy current. -1: not read yet.
std::mutex g_umask_mutex;
std::atomic<int> g_umask{-1};
}  // namespace

unsigned creation_mode(unsigned requested) noexcept {
  int mask = g_umask.load(std::memory_order_relaxed);
  if (mask < 0) {
    std::lock_guard<std::mutex> lock(g_umask_mutex);
    const mode_t old = MEMFS_PASS(umask, mode_t{0});
    MEMFS_PASS(umask, old);
    mask = static_cast<int>(old & 0777);
    g_umask.store(mask, std::memory_order_relaxed);
  }
  return requested & ~static_cast<unsigned>(mask) & 07777u;
}

void forget_mode(MountState& m, const std::string& path) {
  std::lock_guard<std::mutex> lock(m.modes_mutex);
  m.modes.erase(path);
}

void move_modes(MountState& m, const std::string& from, const std::string& to) {
  std::lock_guard<std::mutex> lock(m.modes_mutex);
  std::vector<std::pair<std::string, unsigned>> moved;
  for (auto it = m.modes.begin(); it != m.modes.end();) {
    if (is_within(to, it->first)) {  // replaced destination (and below)
      it = m.modes.erase(it);
    } else {
      ++it;
    }
  }
  for (auto it = m.modes.begin(); it != m.modes.end();) {
    if (is_within(from, it->first)) {
      moved.emplace_back(to + it->first.substr(from.size()), it->second);
      it = m.modes.erase(it);
    } else {
      ++it;
    }
  }
  for (auto& [path, perm] : moved) m.modes[path] = perm;
}

void swap_modes(MountState& m, const std::string& a, const std::string& b) {
  std::lock_guard<std::mutex> lock(m.modes_mutex);
  std::vector<std::pair<std::string, unsigned>> moved;
  for (auto it = m.modes.begin(); it != m.modes.end();) {
    const std::string* from = is_within(a, it->first)   ? &a
                              : is_within(b, it->first) ? &b
                                                        : nullptr;
    if (from == nullptr) {
      ++it;
      continue;
    }
    const std::string& to = from == &a ? b : a;
    moved.emplace_back(to + it->first.substr(from->size()), it->second);
    it = m.modes.erase(it);
  }
  for (auto& [path, perm] : moved) m.modes[path] = perm;
}

}  // namespace memfs::idetail

extern "C" mode_t umask(mode_t mask) {
  std::lock_guard<std::mutex> lock(memfs::idetail::g_umask_mutex);
  const mode_t old = MEMFS_PASS(umask, mask);
  memfs::idetail::g_umask.store(static_cast<int>(mask & 0777),
                                std::memory_order_relaxed);
  return old;
}
