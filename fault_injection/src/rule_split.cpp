// Splitting a multi-rule text (MEMFS_FAULTS, FaultInjector::load) into one
// text per rule: at newlines and at ';' outside quoted globs, with '#'
// comments running to the end of the line.
#include <algorithm>
#include <string_view>
#include <vector>

#include "rule_text.hpp"

namespace memfs::detail {

std::vector<RuleText> split_rules(std::string_view text) {
  std::vector<RuleText> out;
  std::size_t start = 0;
  std::size_t comment = std::string_view::npos;  // where a '#' comment began
  bool quoted = false;
  auto flush = [&](std::size_t end) {
    std::string_view part = text.substr(start, std::min(end, comment) - start);
    const std::size_t first = part.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos) {
      // Columns in error messages count from the rule's first character,
      // not from the blank after a ';'.
      out.push_back({out.size() + 1, part.substr(first)});
    }
    comment = std::string_view::npos;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') {
      flush(i);
      quoted = false;
      start = i + 1;
    } else if (comment != std::string_view::npos) {
      continue;  // inside a comment, only a newline matters
    } else if (quoted) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        quoted = false;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == '#') {
      comment = i;
    } else if (c == ';') {
      flush(i);
      start = i + 1;
    }
  }
  flush(text.size());
  return out;
}

}  // namespace memfs::detail
