// Internal (shared by every memfs module): quoting for the "run this again"
// command lines memfs prints (fault log, session manifest).
#pragma once

#include <string>
#include <string_view>

namespace memfs::detail {

/// `text` single-quoted for a POSIX shell ("it's" -> 'it'\''s').
inline std::string shell_quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

/// `text` as is when a POSIX shell reads it as one word unchanged (only
/// [A-Za-z0-9._-/=+:,] and not empty), else shell_quote(text).
inline std::string shell_word(std::string_view text) {
  constexpr std::string_view kPlain =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-/=+:,";
  if (!text.empty() &&
      text.find_first_not_of(kPlain) == std::string_view::npos) {
    return std::string(text);
  }
  return shell_quote(text);
}

}  // namespace memfs::detail
