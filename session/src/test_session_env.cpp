// TestSession's environment (MEMFS_SNAPSHOT, MEMFS_SNAPSHOT_FORMAT, the
// snapshot root) and folder naming.
#include <array>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>

#include "env_value.hpp"
#include "memfs/test_session.hpp"
#include "shared/fnv1a.hpp"
#include "shared/folder_name.hpp"
#include "shared/hex.hpp"

namespace memfs {
namespace {

// Folder names stay within this many bytes, as sanitize_snapshot_name()
// expects, so export_to_disk() keeps them as they are.
constexpr std::size_t kMaxFolderName = 80;
// A run suffix longer than this is cut (it is sanitized and hashed anyway).
constexpr std::size_t kMaxRunSuffix = 24;

using detail::env_value;

std::filesystem::path absolute_or_as_is(const std::filesystem::path& p) {
  std::error_code ec;
  auto abs = std::filesystem::absolute(p, ec);
  return ec ? p : abs.lexically_normal();
}

// Sets `out` to the value named `text` in `names`; false when none is.
template <class E>
bool parse_named(std::string_view text,
                 const std::array<std::pair<std::string_view, E>, 3>& names,
                 E& out) noexcept {
  for (const auto& [name, value] : names) {
    if (text == name) {
      out = value;
      return true;
    }
  }
  return false;
}

}  // namespace

bool TestSession::parse_policy(std::string_view text,
                               SnapshotPolicy& policy) noexcept {
  return parse_named(text,
                     {{{"on_failure", SnapshotPolicy::on_failure},
                       {"always", SnapshotPolicy::always},
                       {"never", SnapshotPolicy::never}}},
                     policy);
}

SnapshotPolicy TestSession::policy_from_env() {
  static std::atomic<bool> warned{false};
  return detail::env_choice(
      "MEMFS_SNAPSHOT", &parse_policy, SnapshotPolicy::on_failure,
      "on_failure, always or never", "on_failure", warned);
}

bool TestSession::parse_format(std::string_view text,
                               SnapshotFormat& format) noexcept {
  return parse_named(text,
                     {{{"dir", SnapshotFormat::dir},
                       {"tar.gz", SnapshotFormat::tar_gz},
                       {"both", SnapshotFormat::both}}},
                     format);
}

SnapshotFormat TestSession::format_from_env() {
  SnapshotFormat format = SnapshotFormat::dir;
  const char* text = env_value("MEMFS_SNAPSHOT_FORMAT");
  if (text != nullptr && !parse_format(text, format)) {
    throw std::invalid_argument(
        std::string("memfs: MEMFS_SNAPSHOT_FORMAT='") + text +
        "' is not a snapshot format (expected dir, tar.gz or both)");
  }
  return format;
}

std::filesystem::path TestSession::snapshot_root() {
  for (const char* name :
       {"MEMFS_SNAPSHOT_DIR", "TEST_UNDECLARED_OUTPUTS_DIR"}) {
    if (const char* dir = env_value(name)) return absolute_or_as_is(dir);
  }
  return absolute_or_as_is("memfs-snapshots");
}

std::string TestSession::folder_name(const TestIdentity& id) {
  // 32 bits: 8 hex digits are enough to tell one test's folders apart.
  std::uint32_t hash = detail::fnv1a<std::uint32_t>(id.full_name);
  hash = detail::fnv1a(std::string_view("\0", 1), hash);
  hash = detail::fnv1a(id.parameter, hash);
  std::string tail = "-";
  detail::append_hex(tail, hash, 8);
  if (!id.run_suffix.empty())
    tail += "-" + detail::sanitize_folder_bytes(id.run_suffix, kMaxRunSuffix);
  std::string base =
      detail::sanitize_folder_bytes(id.full_name, kMaxFolderName - tail.size());
  if (base.empty()) base = "test";
  return base + tail;
}

}  // namespace memfs
