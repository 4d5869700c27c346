// Internal (shared by every memfs module): the one way memfs spells bytes a
// reader cannot see in human-readable output (tree pictures, tree diffs,
// content excerpts in messages): "\x" and two lowercase hex digits. On-disk
// file names use %XX instead (snapshot/snapshot_names.hpp), and JSON its own
// \u00xx.
#pragma once

#include <string>
#include <string_view>

#include "shared/hex.hpp"
#include "shared/utf8_sequence.hpp"

namespace memfs::detail {

/// Appends `c` as "\x" and two lowercase hex digits ("\x0a").
inline void append_hex_escape(std::string& out, unsigned char c) {
  out += "\\x";
  append_hex_byte(out, c);
}

/// A name or path as it can be printed on one terminal line: well-formed
/// UTF-8 as is, every control byte (DEL included) and every byte that is not
/// part of well-formed UTF-8 as append_hex_escape spells it.
inline std::string printable_name(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (std::size_t i = 0; i < name.size();) {
    const auto c = static_cast<unsigned char>(name[i]);
    const std::size_t n = utf8_sequence_length(name.substr(i));
    if (c >= 0x20 && c != 0x7f && n > 0) {
      out.append(name.substr(i, n));
      i += n;
      continue;
    }
    append_hex_escape(out, c);
    ++i;
  }
  return out;
}

}  // namespace memfs::detail
