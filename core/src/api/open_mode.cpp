// Parsing of fopen-style mode strings into OpenMode flags.
#include <string>
#include <string_view>

#include "api/mode_letter.hpp"
#include "memfs/file.hpp"

namespace memfs {
namespace {

// Returns the flags for `text`, or 0 when it is not a valid fopen mode.
unsigned parse_mode(std::string_view text) noexcept {
  if (text.empty()) return 0;
  unsigned flags = detail::mode_letter_flags(text[0]);
  if (flags == 0) return 0;
  bool plus = false, binary = false, excl = false;
  for (char c : text.substr(1)) {
    bool* seen = c == '+'   ? &plus
                 : c == 'b' ? &binary
                 : c == 'x' ? &excl
                            : nullptr;
    if (seen == nullptr || *seen) return 0;  // unknown or repeated letter
    *seen = true;
  }
  if (plus) flags |= OpenMode::read | OpenMode::write;
  if (excl) {
    if (text[0] == 'r') return 0;  // "x" needs a creating mode
    flags |= OpenMode::exclusive;
  }
  return flags;
}

}  // namespace

OpenMode::OpenMode(const char* mode) noexcept {
  // "r", "w" and "a" (most opens) without measuring the string first.
  if (mode != nullptr && mode[0] != '\0' && mode[1] == '\0') {
    flags_ = detail::mode_letter_flags(mode[0]);
    if (flags_ != 0) return;
  }
  *this = OpenMode(std::string_view(mode == nullptr ? "" : mode));
}

OpenMode::OpenMode(std::string_view mode) noexcept : flags_(parse_mode(mode)) {
  if (flags_ == 0) {
    valid_ = false;
    try {
      invalid_text_.assign(mode);
    } catch (...) {  // keeping the text is only for messages
    }
  }
}

OpenMode OpenMode::from_flags(unsigned flags) noexcept {
  OpenMode m;
  m.flags_ = flags;
  const unsigned known = read | write | create | truncate | append | exclusive;
  const bool needs_write = (flags & (truncate | append | exclusive)) != 0;
  m.valid_ = (flags & ~known) == 0 && (flags & (read | write)) != 0 &&
             (!needs_write || (flags & write) != 0) &&
             ((flags & exclusive) == 0 || (flags & create) != 0) &&
             !((flags & truncate) != 0 && (flags & append) != 0);
  return m;
}

std::string OpenMode::str() const {
  if (!valid_) return invalid_text_;
  std::string s;
  if (has(append)) {
    s = "a";
  } else if (has(truncate) || has(create)) {
    s = "w";
  } else {
    s = "r";
  }
  const bool plus = s == "r" ? has(write) : has(read);
  if (plus) s += '+';
  if (has(exclusive)) s += 'x';
  return s;
}

}  // namespace memfs
