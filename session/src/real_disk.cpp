// The real-disk report's wording, MEMFS_REAL_DISK, and the hook table that
// memfs::intercept fills when it is linked (see memfs/real_disk.hpp).
#include "memfs/real_disk.hpp"

#include <atomic>

#include "env_value.hpp"

namespace memfs {
namespace {

// Constant-initialised: intercept's static initialiser may run before any
// of this library's.
std::atomic<const detail::RealDiskHooks*> g_hooks{nullptr};

std::string thread_text(const RealDiskAccess& a) {
  std::string text = std::to_string(a.thread_id);
  if (!a.thread_name.empty()) text += " \"" + a.thread_name + "\"";
  return text;
}

}  // namespace

bool parse_real_disk_mode(std::string_view text, RealDiskMode& mode) noexcept {
  if (text == "allow") {
    mode = RealDiskMode::allow;
  } else if (text == "report") {
    mode = RealDiskMode::report;
  } else if (text == "fail") {
    mode = RealDiskMode::fail;
  } else {
    return false;
  }
  return true;
}

RealDiskMode real_disk_mode_from_env() {
  static std::atomic<bool> warned{false};
  return detail::env_choice("MEMFS_REAL_DISK", &parse_real_disk_mode,
                            RealDiskMode::report, "allow, report or fail",
                            "report", warned);
}

std::string describe_real_disk_accesses(
    const std::vector<RealDiskAccess>& accesses, std::string_view test_name,
    RealDiskMode mode) {
  if (accesses.empty()) return {};
  std::string text = "memfs: ";
  text += test_name;
  text += " touched the real disk outside its mounts (MEMFS_REAL_DISK=";
  text += mode == RealDiskMode::fail ? "fail" : "report";
  text += "; allow a folder with allow_real_disk()):";
  for (const RealDiskAccess& a : accesses) {
    text += "\n  " + a.call + " " + a.path + " (thread " + thread_text(a);
    if (a.count > 1) text += ", " + std::to_string(a.count) + " times";
    text += ")";
  }
  return text;
}

JsonValue real_disk_section(const std::vector<RealDiskAccess>& accesses) {
  JsonValue section = JsonValue::array();
  for (const RealDiskAccess& a : accesses) {
    JsonValue e = JsonValue::object();
    e.set("op", a.call);
    e.set("path", a.path);
    e.set("thread", thread_text(a));
    e.set("thread_id", a.thread_id);
    e.set("thread_name", a.thread_name);
    e.set("count", a.count);
    section.push_back(std::move(e));
  }
  return section;
}

void allow_real_disk_for_test(std::string_view dir) {
  if (const detail::RealDiskHooks* hooks = detail::real_disk_hooks())
    hooks->allow_for_recording(dir);
}

bool real_disk_recording_available() noexcept {
  return detail::real_disk_hooks() != nullptr;
}

namespace detail {

void set_real_disk_hooks(const RealDiskHooks* hooks) noexcept {
  g_hooks.store(hooks, std::memory_order_release);
}

const RealDiskHooks* real_disk_hooks() noexcept {
  return g_hooks.load(std::memory_order_acquire);
}

}  // namespace detail
}  // namespace memfs
