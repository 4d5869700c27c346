// Internal: how memfs names become host names in a snapshot, and back.
// The rules are documented in memfs/snapshot.hpp ("Escaped names").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace memfs::detail {

/// The longest component written to the host (bytes).
inline constexpr std::size_t kMaxHostName = 255;

/// A memfs component name as written to the host.
struct HostName {
  std::string name;
  /// Differs from the memfs name.
  bool escaped = false;
  /// Too long even escaped: cut and suffixed with "%~" + hash; only the
  /// manifest maps it back.
  bool hashed = false;
};

/// Escapes one component (never empty, never "." or ".."). `salt` > 0 gives
/// a different hash suffix (to separate two long names whose hashes clash).
HostName escape_component(std::string_view name, unsigned salt = 0);

/// Reverses escape_component for a name that is not hashed: decodes every
/// %XX. nullopt for a hashed name or a malformed escape.
std::optional<std::string> unescape_component(std::string_view host);

/// Every byte outside printable ASCII, and '%', as %XX: an exact, ASCII-only
/// spelling of arbitrary bytes (used in the manifest next to names that are
/// not valid UTF-8 or were escaped).
std::string percent_encode_all(std::string_view bytes);

}  // namespace memfs::detail
