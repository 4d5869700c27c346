// Internal (shared by every memfs module): FNV-1a, the one fixed hash memfs
// uses wherever a name must hash the same on every platform and standard
// library (fault probabilities, snapshot and session folder names).
#pragma once

#include <cstdint>
#include <string_view>

namespace memfs::detail {

/// The FNV-1a parameters of one width.
template <typename Hash>
struct Fnv1aParams;
template <>
struct Fnv1aParams<std::uint32_t> {
  static constexpr std::uint32_t offset = 2166136261u;
  static constexpr std::uint32_t prime = 16777619u;
};
template <>
struct Fnv1aParams<std::uint64_t> {
  static constexpr std::uint64_t offset = 0xcbf29ce484222325ull;
  static constexpr std::uint64_t prime = 0x100000001b3ull;
};

/// FNV-1a of `bytes`, continuing from `hash` (the offset basis by default,
/// so fnv1a(b, fnv1a(a)) == fnv1a(a + b)). Hash is std::uint32_t or
/// std::uint64_t.
template <typename Hash = std::uint64_t>
constexpr Hash fnv1a(std::string_view bytes,
                     Hash hash = Fnv1aParams<Hash>::offset) noexcept {
  for (char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= Fnv1aParams<Hash>::prime;
  }
  return hash;
}

}  // namespace memfs::detail
