// Path normalization and the small helpers of memfs/path.hpp.
//
// normalize_path() runs on every public operation, so the common input — an
// already normal absolute path — is recognised in one scan and copied with a
// single allocation. Anything else goes through the general component walk,
// which also allocates once (the output never outgrows the input plus a `/`).
#include "memfs/path.hpp"

#include <cstdint>
#include <cstring>
#include <new>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define MEMFS_PATH_AVX2 1
#endif

#include "memfs/error.hpp"
#include "path/path_detail.hpp"
#include "shared/printable.hpp"

namespace memfs {
namespace {

enum class Failure { none, nul, above_root };

constexpr bool is_separator(char c) noexcept { return c == '/' || c == '\\'; }

constexpr bool is_dot_or_dotdot(std::string_view comp) noexcept {
  return comp == "." || comp == "..";
}

#if defined(__SSE2__)
// Of 16 bytes `v` and the bytes after each (`next`): the positions that
// may make a path not normal — `\\`, NUL, or a `/` followed by `/` or `.` —
// as 0xff bytes.
inline __m128i suspects_of(__m128i v, __m128i next) noexcept {
  const __m128i after_slash =
      _mm_or_si128(_mm_cmpeq_epi8(next, _mm_set1_epi8('/')),
                   _mm_cmpeq_epi8(next, _mm_set1_epi8('.')));
  return _mm_or_si128(
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\\')),
                   _mm_cmpeq_epi8(v, _mm_setzero_si128())),
      _mm_and_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('/')), after_slash));
}
// The same of the 16 bytes at `p`.
inline __m128i suspects16(const char* p) noexcept {
  return suspects_of(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)),
                     _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 1)));
}
#endif

#if defined(MEMFS_PATH_AVX2)
// suspects16's test, 32 bytes a step, for long paths on CPUs with AVX2
// (chosen at run time: the library is built for the baseline x86-64).
__attribute__((target("avx2"))) inline __m256i suspects32(
    const char* p) noexcept {
  const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  const __m256i next =
      _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 1));
  const __m256i after_slash =
      _mm256_or_si256(_mm256_cmpeq_epi8(next, _mm256_set1_epi8('/')),
                      _mm256_cmpeq_epi8(next, _mm256_set1_epi8('.')));
  return _mm256_or_si256(
      _mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\\')),
                      _mm256_cmpeq_epi8(v, _mm256_setzero_si256())),
      _mm256_and_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('/')),
                       after_slash));
}

// has_suspects for n >= 33.
__attribute__((target("avx2"))) bool has_suspects_avx2(const char* p,
                                                       std::size_t n) noexcept {
  __m256i found = _mm256_setzero_si256();
  std::size_t i = 0;
  for (; i + 33 <= n; i += 32)
    found = _mm256_or_si256(found, suspects32(p + i));
  if (i + 1 < n) found = _mm256_or_si256(found, suspects32(p + n - 33));
  return _mm256_movemask_epi8(found) != 0;
}

const bool kHasAvx2 = [] {
  __builtin_cpu_init();  // we may run before libgcc's own constructor
  return __builtin_cpu_supports("avx2") != 0;
}();
#endif

// False when no byte of p[0, n - 1) is `\\` or NUL or a `/` followed by `/`
// or `.` (the last byte is the caller's to check); true when one may be
// (then is_normal_exact decides). n >= 2.
bool has_suspects(const char* p, std::size_t n) noexcept {
#if defined(MEMFS_PATH_AVX2)
  if (n >= 33 && kHasAvx2) return has_suspects_avx2(p, n);
#endif
#if defined(__SSE2__)
  if (n >= 17) {
    __m128i found = _mm_setzero_si128();
    std::size_t i = 0;
    for (; i + 17 <= n; i += 16) found = _mm_or_si128(found, suspects16(p + i));
    if (i + 1 < n) {  // the rest, overlapping
      found = _mm_or_si128(found, suspects16(p + n - 17));
    }
    return _mm_movemask_epi8(found) != 0;
  }
  // A short path, as one vector built in registers from two overlapping
  // loads (bytes stored to the stack and read back as a vector stall the
  // load: store forwarding fails). The suspects test needs each byte's
  // successor: shifting the vector by one byte gives it, except at the
  // seam between the two loads, whose byte the second load holds again
  // with its true successor; the last byte is the caller's.
  if (n < 4) return true;  // is_normal_exact decides
  __m128i v;
  unsigned valid;
  if (n >= 8) {
    std::uint64_t lo;
    std::uint64_t hi;
    std::memcpy(&lo, p, 8);
    std::memcpy(&hi, p + n - 8, 8);
    v = _mm_set_epi64x(static_cast<long long>(hi), static_cast<long long>(lo));
    valid = n == 16 ? 0x7fffu : 0x7f7fu;
  } else {
    std::uint32_t lo;
    std::uint32_t hi;
    std::memcpy(&lo, p, 4);
    std::memcpy(&hi, p + n - 4, 4);
    v = _mm_cvtsi64_si128(
        static_cast<long long>(lo | static_cast<std::uint64_t>(hi) << 32));
    valid = 0x77u;
  }
  const auto mask = static_cast<unsigned>(
      _mm_movemask_epi8(suspects_of(v, _mm_srli_si128(v, 1))));
  return (mask & valid) != 0;
#else
  (void)p;
  (void)n;
  return true;
#endif
}

// is_normal's answer, a byte at a time: for the paths has_suspects flags
// (hidden names such as "/.git", and paths that are not normal).
bool is_normal_exact(const char* p, std::size_t n) noexcept {
  for (std::size_t i = 0; i + 1 < n; ++i) {
    const char c = p[i];
    if (c == '\\' || c == '\0') return false;
    if (c != '/') continue;
    if (p[i + 1] == '/') return false;
    if (p[i + 1] != '.') continue;
    // "/." starts "." or ".." or a name such as ".git".
    std::size_t after = i + 2;
    if (after < n && p[after] == '.') ++after;
    if (after == n || p[after] == '/') return false;
  }
  return true;
}

// True when `path` is absolute, uses only `/`, and has no empty, `.` or `..`
// component and no trailing `/` — i.e. normalize_path would return it as is.
// NUL bytes are not normal either (they are an error).
//
// This runs on every operation, on paths short (a name in a folder) and long
// (deep trees), so it looks at 16 bytes a step for anything that might not
// be normal, and looks closer only when it finds some.
inline bool is_normal(std::string_view path) noexcept {
  const std::size_t n = path.size();
  if (n == 0 || path[0] != '/') return false;
  if (n == 1) return true;
  const char* const p = path.data();
  if (p[n - 1] == '/' || p[n - 1] == '\\' || p[n - 1] == '\0') return false;
  return !has_suspects(p, n) || is_normal_exact(p, n);
}

// The general walk. Writes the normal form into `out`; returns the failure.
// `trailing` is set when the input syntactically names a directory: it ends
// in a separator, or in a `.` or `..` component (as in POSIX, "/file/." is
// not the file).
Failure normalize_slow(std::string_view path, std::string& out,
                       bool& trailing) {
  // The result never outgrows the input plus a leading `/`, so one buffer of
  // that size is written through a pointer and cut to length at the end.
  out.resize(path.size() + 1);
  char* const buf = out.data();
  std::size_t len = 0;
  std::size_t start = 0;
  std::string_view last;
  for (std::size_t i = 0; i <= path.size(); ++i) {
    if (i < path.size()) {
      if (path[i] == '\0') return Failure::nul;
      if (!is_separator(path[i])) continue;
    }
    last = path.substr(start, i - start);
    start = i + 1;
    if (last.empty() || last == ".") continue;
    if (last == "..") {
      if (len == 0) return Failure::above_root;
      while (buf[--len] != '/') {
      }
      continue;
    }
    buf[len++] = '/';
    last.copy(buf + len, last.size());
    len += last.size();
  }
  if (len == 0) buf[len++] = '/';
  out.resize(len);
  trailing =
      len > 1 && !path.empty() && (last.empty() || is_dot_or_dotdot(last));
  return Failure::none;
}

Failure normalize_into(std::string_view path, NormalizedPath& result) {
  // Fast path: a normal path, possibly with trailing slashes ("/dir/").
  std::size_t end = path.size();
  while (end > 1 && path[end - 1] == '/') --end;
  if (is_normal(std::string_view(path.data(), end))) {
    // clear + append: a plain copy into the reused capacity (assign goes
    // through the general replace).
    result.value.clear();
    result.value.append(path.data(), end);
    result.trailing_slash = end > 1 && end < path.size();
    return Failure::none;
  }
  const Failure f = normalize_slow(path, result.value, result.trailing_slash);
  if (f != Failure::none) result = NormalizedPath{};
  return f;
}

// s.rfind('/'), 8 bytes a step (a create splits its path twice, and the
// byte loop of rfind costs ~4 instructions a byte).
std::size_t last_slash(std::string_view s) noexcept {
  const char* const p = s.data();
  std::size_t n = s.size();
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  constexpr std::uint64_t kLow7 = 0x7f7f7f7f7f7f7f7fULL;
  constexpr std::uint64_t kSlashes = 0x2f2f2f2f2f2f2f2fULL;
  for (; n >= 8; n -= 8) {
    std::uint64_t word;
    std::memcpy(&word, p + n - 8, sizeof word);
    const std::uint64_t x = word ^ kSlashes;  // a '/' byte is now zero
    // Bit 7 of each zero byte (exact: no carry crosses bytes).
    const std::uint64_t zeros = ~(((x & kLow7) + kLow7) | x | kLow7);
    if (zeros != 0) {
      const auto top = static_cast<std::size_t>(63 - __builtin_clzll(zeros));
      return n - 8 + top / 8;
    }
  }
#endif
  while (n > 0) {
    if (p[--n] == '/') return n;
  }
  return std::string_view::npos;
}

const char* failure_text(Failure f) noexcept {
  return f == Failure::nul ? "path contains a NUL byte"
                           : "path climbs above the root";
}

// A plain name (not empty, no separator, not `.`/`..`, no NUL) that can be
// appended to a normal directory path as is.
bool is_plain_name(std::string_view name) noexcept {
  if (name.empty() || is_dot_or_dotdot(name)) return false;
  for (char c : name) {
    if (is_separator(c) || c == '\0') return false;
  }
  return true;
}

std::string raw_join(std::string_view base, std::string_view rel) {
  std::string s;
  s.reserve(base.size() + rel.size() + 1);
  s.append(base);
  if (s.empty() || s.back() != '/') s += '/';
  s.append(rel);
  return s;
}

// join_path's common case, a plain name under a normal directory, needs no
// normalization at all.
Failure join_into(std::string_view base, std::string_view rel,
                  std::string& out) {
  if (is_plain_name(rel) && is_normal(base)) {
    out = raw_join(base, rel);
    return Failure::none;
  }
  NormalizedPath result;
  const Failure f = normalize_into(raw_join(base, rel), result);
  out = std::move(result.value);
  return f;
}

}  // namespace

bool detail::normalize_reusing(std::string_view path, NormalizedPath& out) {
  return normalize_into(path, out) == Failure::none;
}

NormalizedPath normalize_path(std::string_view path,
                              std::error_code& ec) noexcept {
  try {
    NormalizedPath result;
    if (normalize_into(path, result) == Failure::none) {
      ec.clear();
    } else {
      ec = std::make_error_code(std::errc::invalid_argument);
    }
    return result;
  } catch (const std::bad_alloc&) {
    ec = std::make_error_code(std::errc::not_enough_memory);
    return {};
  }
}

NormalizedPath normalize_path(std::string_view path) {
  NormalizedPath result;
  const Failure f = normalize_into(path, result);
  if (f != Failure::none) {
    throw filesystem_error("normalize_path", failure_text(f),
                           detail::printable_name(path),
                           std::make_error_code(std::errc::invalid_argument));
  }
  return result;
}

std::string_view parent_path(std::string_view normalized) noexcept {
  const std::size_t pos = last_slash(normalized);
  if (pos == 0 || pos == std::string_view::npos) return "/";
  return normalized.substr(0, pos);
}

std::string_view filename(std::string_view normalized) noexcept {
  const std::size_t pos = last_slash(normalized);
  if (pos == std::string_view::npos) return normalized;
  return normalized.substr(pos + 1);
}

std::string join_path(std::string_view base, std::string_view rel,
                      std::error_code& ec) noexcept {
  try {
    std::string joined;
    if (join_into(base, rel, joined) == Failure::none) {
      ec.clear();
    } else {
      ec = std::make_error_code(std::errc::invalid_argument);
    }
    return joined;
  } catch (const std::bad_alloc&) {
    ec = std::make_error_code(std::errc::not_enough_memory);
    return {};
  }
}

std::string join_path(std::string_view base, std::string_view rel) {
  std::string joined;
  const Failure f = join_into(base, rel, joined);
  if (f != Failure::none) {
    throw filesystem_error("join_path", failure_text(f),
                           detail::printable_name(base),
                           detail::printable_name(rel),
                           std::make_error_code(std::errc::invalid_argument));
  }
  return joined;
}

std::vector<std::string_view> split_path(std::string_view normalized) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start < normalized.size()) {
    std::size_t end = normalized.find('/', start);
    if (end == std::string_view::npos) end = normalized.size();
    if (end > start) parts.push_back(normalized.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

bool is_within(std::string_view ancestor,
               std::string_view descendant) noexcept {
  if (ancestor == "/") return true;
  if (descendant.size() < ancestor.size() ||
      descendant.compare(0, ancestor.size(), ancestor) != 0) {
    return false;
  }
  return descendant.size() == ancestor.size() ||
         descendant[ancestor.size()] == '/';
}

bool has_glob_magic(std::string_view pattern) noexcept {
  return pattern.find_first_of("*?[") != std::string_view::npos;
}

}  // namespace memfs
