// Snapshot name rules: escaping memfs names for the host, un-escaping them,
// and the snapshot folder name.
#include "snapshot/snapshot_names.hpp"

#include <algorithm>
#include <array>

#include <boost/filesystem/path.hpp>

#include "memfs/snapshot.hpp"
#include "shared/fnv1a.hpp"
#include "shared/folder_name.hpp"
#include "shared/hex.hpp"
#include "shared/utf8_sequence.hpp"

namespace memfs::detail {
namespace {

// Windows device names, reserved with or without an extension, in any case.
bool is_device_name(std::string_view name) {
  std::string base(name.substr(0, name.find('.')));
  // Windows ignores trailing spaces of the base too ("CON .txt").
  while (!base.empty() && base.back() == ' ') base.pop_back();
  for (char& c : base)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  static constexpr std::array<std::string_view, 4> kFixed{"CON", "PRN", "AUX",
                                                          "NUL"};
  if (std::find(kFixed.begin(), kFixed.end(), base) != kFixed.end())
    return true;
  return base.size() == 4 &&
         (base.compare(0, 3, "COM") == 0 || base.compare(0, 3, "LPT") == 0) &&
         base[3] >= '0' && base[3] <= '9';
}

// Bytes that are invalid in a Windows name (besides control characters), '*'
// and '?' included, which Boost's windows_name() lets through, and '%', the
// escape marker.
bool is_reserved_char(unsigned char c) {
  return c < 0x20 || c == 0x7f || c == '"' || c == '*' || c == ':' ||
         c == '<' || c == '>' || c == '?' || c == '\\' || c == '|' || c == '%';
}

void append_escape(std::string& out, unsigned char c) {
  out += '%';
  append_hex_byte(out, c, /*upper=*/true);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Cuts an escaped name to at most `max` bytes without splitting a %XX escape
// or a UTF-8 sequence.
std::string_view cut(std::string_view s, std::size_t max) {
  std::size_t n = std::min(max, s.size());
  if (n < s.size()) {
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    if (n >= 1 && s[n - 1] == '%')
      n -= 1;
    else if (n >= 2 && s[n - 2] == '%')
      n -= 2;
  }
  return s.substr(0, n);
}

// 64-bit FNV-1a with the offset basis xor-ed with `salt` (salt 0: plain
// FNV-1a), so two names whose hashes clash can be told apart.
std::uint64_t salted_fnv1a(std::string_view bytes, unsigned salt) noexcept {
  return fnv1a(bytes, Fnv1aParams<std::uint64_t>::offset ^ salt);
}

// The escaped name `s` cut and suffixed with "%~" and the hash of `name`.
std::string hashed_name(std::string_view s, std::string_view name,
                        unsigned salt) {
  std::string out(cut(s, 200));
  out += "%~";
  append_hex(out, salted_fnv1a(name, salt), 16);
  return out;
}

}  // namespace

HostName escape_component(std::string_view name, unsigned salt) {
  HostName out;
  std::string& s = out.name;
  s.reserve(name.size());
  const bool device = is_device_name(name);
  for (std::size_t i = 0; i < name.size();) {
    const auto c = static_cast<unsigned char>(name[i]);
    const bool first = i == 0;
    const bool last = i + 1 == name.size();
    if (c >= 0x80) {
      const std::size_t n = utf8_sequence_length(name.substr(i));
      if (n == 0) {
        append_escape(s, c);  // not UTF-8: cannot be a name on every host
        ++i;
      } else {
        s.append(name.substr(i, n));
        i += n;
      }
      continue;
    }
    if (is_reserved_char(c) || (first && (device || c == ' ')) ||
        (last && (c == ' ' || c == '.'))) {
      append_escape(s, c);
    } else {
      s += static_cast<char>(c);
    }
    ++i;
  }
  out.escaped = s != name;
  if (s.size() > kMaxHostName) {
    s = hashed_name(s, name, salt);
    out.escaped = out.hashed = true;
  }
  // Belt and braces: whatever the rules above missed, Boost's check catches.
  if (!boost::filesystem::windows_name(s)) {
    std::string safe;
    for (char c : name) append_escape(safe, static_cast<unsigned char>(c));
    s = safe.size() <= kMaxHostName ? safe : hashed_name(safe, name, salt);
    out.escaped = true;
    out.hashed = safe.size() > kMaxHostName;
  }
  return out;
}

std::optional<std::string> unescape_component(std::string_view host) {
  std::string out;
  out.reserve(host.size());
  for (std::size_t i = 0; i < host.size(); ++i) {
    if (host[i] != '%') {
      out += host[i];
      continue;
    }
    if (i + 2 >= host.size()) return std::nullopt;
    const int hi = hex_value(host[i + 1]);
    const int lo = hex_value(host[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;  // "%~" (hashed) included
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

std::string percent_encode_all(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c >= 0x7f || c == '%') {
      append_escape(out, c);
    } else {
      out += ch;
    }
  }
  return out;
}

}  // namespace memfs::detail

namespace memfs {

std::string sanitize_snapshot_name(std::string_view name) {
  if (name.empty()) return "snapshot";
  std::string out = detail::sanitize_folder_bytes(name, 80);
  if (out != name) {
    out += '-';
    detail::append_hex(out, detail::fnv1a(name), 8);
  }
  return out;
}

}  // namespace memfs
