// Internal (shared by every memfs module): the one sanitizer behind snapshot
// folder names (sanitize_snapshot_name in snapshot.hpp, TestSession's
// folder_name), so a name the session makes is one export_to_disk() keeps.
#pragma once

#include <string>
#include <string_view>

namespace memfs::detail {

/// `text` cut to `max` bytes, each byte outside [A-Za-z0-9._-] replaced by
/// '_', then a leading '.' or '-' (a hidden folder, an option to a command)
/// and a trailing '.' (Windows drops it) replaced by '_'.
inline std::string sanitize_folder_bytes(std::string_view text,
                                         std::size_t max) {
  std::string out;
  for (char c : text.substr(0, max)) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                      (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                      c == '-';
    out += keep ? c : '_';
  }
  if (out.empty()) return out;
  if (out.front() == '.' || out.front() == '-') out.front() = '_';
  if (out.back() == '.') out.back() = '_';
  return out;
}

}  // namespace memfs::detail
