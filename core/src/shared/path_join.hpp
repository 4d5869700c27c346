// Internal (shared by every memfs module): joining names onto a normalized
// path ("/" or "/a/b": absolute, no trailing '/'), the one place that knows
// the root needs no separator added.
#pragma once

#include <string>
#include <string_view>

namespace memfs::detail {

/// `dir` + "/" + `name` for a normalized directory path and a plain name
/// ("/", "a" -> "/a"; "/d", "a" -> "/d/a").
inline std::string child_path(std::string_view dir, std::string_view name) {
  std::string out;
  out.reserve(dir.size() + 1 + name.size());
  out.append(dir);
  if (out.size() > 1) out += '/';
  out.append(name);
  return out;
}

/// What every path strictly below the normalized `dir` starts with: "/" for
/// the root, else `dir` + "/".
inline std::string descendant_prefix(std::string_view dir) {
  return child_path(dir, "");
}

}  // namespace memfs::detail
