// Internal: path helpers that the public path.hpp does not offer.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "memfs/path.hpp"
#include "shared/path_join.hpp"

namespace memfs::detail {

// normalize_path into `out`, reusing its string's capacity (the funnel keeps
// a per-thread one, so a hot operation allocates nothing for its path).
// False on bad input (NUL byte, a climb above the root); `out` is then empty.
bool normalize_reusing(std::string_view path, NormalizedPath& out);

/// A NormalizedPath for `value`, which the caller knows is normalized
/// already (a path memfs built itself): no check, no trailing slash.
inline NormalizedPath trusted_path(std::string value) {
  NormalizedPath p;
  p.value = std::move(value);
  return p;
}

/// The NormalizedPath of `name` (a plain name) inside `dir`.
inline NormalizedPath child_of(const NormalizedPath& dir,
                               std::string_view name) {
  return trusted_path(child_path(dir.value, name));
}

}  // namespace memfs::detail
