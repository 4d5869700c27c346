// Internal (shared by every memfs module): hex digits, written one way
// (std::to_chars: no locale, no format string): a zero-padded number (the
// hashes in snapshot folder names) and one byte's two digits (the "\x0a" of
// printable.hpp, JSON's "\u000a", a file name's "%0A").
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>

namespace memfs::detail {

/// Appends the low `digits` hex digits of `value` (1 to 16), lowercase,
/// zero-padded on the left: append_hex(out, 0x2a, 4) appends "002a".
inline void append_hex(std::string& out, std::uint64_t value, int digits) {
  if (digits < 16) value &= (std::uint64_t{1} << (4 * digits)) - 1;
  char buf[16];
  const auto printed = std::to_chars(buf, buf + sizeof buf, value, 16);
  const auto length = static_cast<int>(printed.ptr - buf);
  if (digits > length) {
    out.append(static_cast<std::size_t>(digits - length), '0');
  }
  out.append(buf, printed.ptr);
}

/// Appends the byte `c` as two hex digits, lowercase ("0a"), or uppercase
/// ("0A") with `upper`.
inline void append_hex_byte(std::string& out, unsigned char c,
                            bool upper = false) {
  const std::size_t at = out.size();
  append_hex(out, c, 2);
  for (std::size_t i = at; upper && i < out.size(); ++i) {
    if (out[i] >= 'a') out[i] = static_cast<char>(out[i] - 'a' + 'A');
  }
}

}  // namespace memfs::detail
