// glob_match() of memfs/path.hpp.
//
// Both levels — components within a path, characters within a component — use
// the same iterative wildcard algorithm: walk forward, remember only the most
// recent star (`**` among components, `*` among characters), and on a mismatch
// let that star swallow one more element. Remembering only the last star is
// enough because a star matches any sequence, so whatever an earlier star took
// can never need to change. The cost is O(pattern × subject) per level with no
// recursion, so patterns such as "/**/**/**/a*a*a*b" cannot blow up.
//
// Nothing is allocated unless the pattern contains `\` (it is then copied once
// with `/` in its place). Empty components are skipped on both sides, which is
// also what makes a relative pattern absolute.
#include <string>

#include "memfs/path.hpp"

namespace memfs {
namespace {

constexpr std::size_t kNone = std::string_view::npos;

// Walks the non-empty `/`-separated components of a string.
class Components {
 public:
  explicit Components(std::string_view s) noexcept : s_(s) { skip(); }

  [[nodiscard]] bool at_end() const noexcept { return pos_ == s_.size(); }
  [[nodiscard]] std::size_t pos() const noexcept { return pos_; }
  [[nodiscard]] std::string_view current() const noexcept {
    return s_.substr(pos_, end_ - pos_);
  }
  /// True when no component follows the current one.
  [[nodiscard]] bool is_last() const noexcept {
    return s_.find_first_not_of('/', end_) == kNone;
  }
  void next() noexcept {
    pos_ = end_;
    skip();
  }
  void seek(std::size_t pos) noexcept {
    pos_ = pos;
    skip();
  }

 private:
  void skip() noexcept {
    pos_ = s_.find_first_not_of('/', pos_);
    if (pos_ == kNone) pos_ = s_.size();
    end_ = s_.find('/', pos_);
    if (end_ == kNone) end_ = s_.size();
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
};

// Matches the bracket expression starting at pat[i] == '[' against `c`.
// Returns the index just past the closing `]`, or kNone when the bracket is
// unterminated (the `[` is then an ordinary character, as in fnmatch).
std::size_t match_bracket(std::string_view pat, std::size_t i, char c,
                          bool& matched) noexcept {
  std::size_t j = i + 1;
  const bool negate = j < pat.size() && pat[j] == '!';
  if (negate) ++j;
  const std::size_t first = j;
  bool hit = false;
  for (; j < pat.size(); ++j) {
    if (pat[j] == ']' && j != first) {
      matched = hit != negate;
      return j + 1;
    }
    const bool range =
        j + 2 < pat.size() && pat[j + 1] == '-' && pat[j + 2] != ']';
    if (range) {
      const auto uc = static_cast<unsigned char>(c);
      hit = hit || (static_cast<unsigned char>(pat[j]) <= uc &&
                    uc <= static_cast<unsigned char>(pat[j + 2]));
      j += 2;
    } else {
      hit = hit || pat[j] == c;
    }
  }
  return kNone;
}

// fnmatch of one component: `*`, `?`, `[seq]`, `[!seq]`; no escapes.
bool match_name(std::string_view pat, std::string_view name) noexcept {
  std::size_t p = 0;
  std::size_t s = 0;
  std::size_t star_p = kNone;  // pattern index just after the last `*`
  std::size_t star_s = 0;      // name index that star currently ends at
  while (s < name.size()) {
    if (p < pat.size()) {
      const char pc = pat[p];
      if (pc == '*') {
        while (p < pat.size() && pat[p] == '*') ++p;
        star_p = p;
        star_s = s;
        continue;
      }
      if (pc == '?') {
        ++p;
        ++s;
        continue;
      }
      bool matched = false;
      const std::size_t after =
          pc == '[' ? match_bracket(pat, p, name[s], matched) : kNone;
      if (after != kNone) {
        if (matched) {
          p = after;
          ++s;
          continue;
        }
      } else if (pc == name[s]) {
        ++p;
        ++s;
        continue;
      }
    }
    if (star_p == kNone) return false;
    p = star_p;
    s = ++star_s;
  }
  while (p < pat.size() && pat[p] == '*') ++p;
  return p == pat.size();
}

bool match_path(std::string_view pattern, std::string_view path) noexcept {
  Components p(pattern);
  Components s(path);
  std::size_t star_p = kNone;  // pattern position just after the last `**`
  std::size_t star_s = 0;      // path position that `**` currently ends at
  for (;;) {
    if (p.at_end()) {
      if (s.at_end()) return true;
    } else if (p.current() == "**") {
      // A trailing `**` is "everything below": one or more components.
      if (p.is_last()) {
        if (!s.at_end()) return true;
      } else {
        p.next();
        star_p = p.pos();
        star_s = s.pos();
        continue;
      }
    } else if (!s.at_end() && match_name(p.current(), s.current())) {
      p.next();
      s.next();
      continue;
    }
    // Mismatch: let the last `**` take one more component.
    if (star_p == kNone) return false;
    s.seek(star_s);
    if (s.at_end()) return false;
    s.next();
    star_s = s.pos();
    p.seek(star_p);
  }
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view normalized_path) {
  if (pattern.find('\\') == std::string_view::npos) {
    return match_path(pattern, normalized_path);
  }
  std::string slashed(pattern);
  for (char& c : slashed) {
    if (c == '\\') c = '/';
  }
  return match_path(slashed, normalized_path);
}

}  // namespace memfs
