// Internal: path helpers that the public path.hpp does not offer.
#pragma once

#include <string_view>

#include "memfs/path.hpp"

namespace memfs::detail {

// normalize_path into `out`, reusing its string's capacity (the funnel keeps
// a per-thread one, so a hot operation allocates nothing for its path).
// False on bad input (NUL byte, a climb above the root); `out` is then empty.
bool normalize_reusing(std::string_view path, NormalizedPath& out);

}  // namespace memfs::detail
