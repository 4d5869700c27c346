// TestSession's environment (MEMFS_SNAPSHOT, the snapshot root) and folder
// naming.
#include <atomic>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <system_error>

#include "memfs/test_session.hpp"

namespace memfs {
namespace {

// Folder names stay within this many bytes, as sanitize_snapshot_name()
// expects, so export_to_disk() keeps them as they are.
constexpr std::size_t kMaxFolderName = 80;
// A run suffix longer than this is cut (it is sanitized and hashed anyway).
constexpr std::size_t kMaxRunSuffix = 24;

// The variable's value, or nullptr when unset or empty.
const char* env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : nullptr;
}

bool safe_byte(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

// Bytes outside [A-Za-z0-9._-] and a leading '.' or '-' become '_'; the
// result is cut to `max` bytes.
std::string sanitize(std::string_view text, std::size_t max) {
  std::string out;
  for (char c : text.substr(0, max)) out += safe_byte(c) ? c : '_';
  if (!out.empty() && (out.front() == '.' || out.front() == '-')) out.front() = '_';
  return out;
}

// 32-bit FNV-1a.
std::uint32_t fnv1a(std::string_view text, std::uint32_t hash = 2166136261u) {
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 16777619u;
  }
  return hash;
}

std::filesystem::path absolute_or_as_is(const std::filesystem::path& p) {
  std::error_code ec;
  auto abs = std::filesystem::absolute(p, ec);
  return ec ? p : abs.lexically_normal();
}

}  // namespace

bool TestSession::parse_policy(std::string_view text,
                               SnapshotPolicy& policy) noexcept {
  if (text == "on_failure") {
    policy = SnapshotPolicy::on_failure;
  } else if (text == "always") {
    policy = SnapshotPolicy::always;
  } else if (text == "never") {
    policy = SnapshotPolicy::never;
  } else {
    return false;
  }
  return true;
}

SnapshotPolicy TestSession::policy_from_env() {
  SnapshotPolicy policy = SnapshotPolicy::on_failure;
  const char* text = env("MEMFS_SNAPSHOT");
  if (text != nullptr && !parse_policy(text, policy)) {
    static std::atomic<bool> warned{false};
    if (!warned.exchange(true)) {
      std::fprintf(stderr,
                   "memfs: ignoring MEMFS_SNAPSHOT='%s' (expected on_failure, "
                   "always or never); using on_failure\n",
                   text);
    }
  }
  return policy;
}

std::filesystem::path TestSession::snapshot_root() {
  for (const char* name : {"MEMFS_SNAPSHOT_DIR", "TEST_UNDECLARED_OUTPUTS_DIR"}) {
    if (const char* dir = env(name)) return absolute_or_as_is(dir);
  }
  return absolute_or_as_is("memfs-snapshots");
}

std::string TestSession::folder_name(const TestIdentity& id) {
  std::uint32_t hash = fnv1a(id.full_name);
  hash = fnv1a(std::string_view("\0", 1), hash);
  hash = fnv1a(id.parameter, hash);
  char hex[8];
  const auto printed = std::to_chars(hex, hex + sizeof hex, hash, 16);
  std::string tail = "-";
  tail.append(static_cast<std::size_t>(hex + sizeof hex - printed.ptr), '0');
  tail.append(hex, printed.ptr);
  if (!id.run_suffix.empty()) tail += "-" + sanitize(id.run_suffix, kMaxRunSuffix);
  std::string base = sanitize(id.full_name, kMaxFolderName - tail.size());
  if (base.empty()) base = "test";
  return base + tail;
}

}  // namespace memfs
