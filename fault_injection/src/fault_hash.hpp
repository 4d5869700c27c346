// Internal: the deterministic hashing behind probability and corruption.
// Fixed algorithms (FNV-1a, SplitMix64), never std::hash, so a seed gives the
// same faults on every platform and standard library.
#pragma once

#include <cstdint>
#include <string_view>

#include "shared/fnv1a.hpp"  // fnv1a(), the hash of a text

namespace memfs::detail {

/// SplitMix64's finalizer: a bijective, well-mixed 64-bit hash.
constexpr std::uint64_t mix(std::uint64_t x) noexcept {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

/// Combines hashes in order.
constexpr std::uint64_t combine(std::uint64_t a, std::uint64_t b) noexcept {
  return mix(a ^ mix(b));
}

/// A hash mapped to [0, 1) with 53 bits of precision.
constexpr double unit_interval(std::uint64_t h) noexcept {
  return static_cast<double>(h >> 11) * (1.0 / 9007199254740992.0);
}

}  // namespace memfs::detail
