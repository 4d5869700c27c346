// Numbers of the rule text form: plain counts, byte sizes with binary
// suffixes, and durations with units. Printing picks the largest unit that
// is exact, so parsing the printed text gives the same value back.
#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "rule_text.hpp"

namespace memfs::detail {
namespace {

struct Unit {
  std::string_view suffix;
  std::uint64_t factor;
};

constexpr Unit kByteUnits[] = {
    {"GiB", 1ull << 30}, {"MiB", 1ull << 20}, {"KiB", 1ull << 10}};

// Nanoseconds per unit, largest first.
constexpr Unit kDurationUnits[] = {{"h", 3'600'000'000'000ull},
                                   {"min", 60'000'000'000ull},
                                   {"s", 1'000'000'000ull},
                                   {"ms", 1'000'000ull},
                                   {"us", 1'000ull},
                                   {"ns", 1ull}};

// Splits "123abc" into its leading digits and the rest.
std::pair<std::string_view, std::string_view> split_number(
    std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  return {text.substr(0, i), text.substr(i)};
}

std::optional<std::uint64_t> scaled(std::string_view digits,
                                    std::uint64_t factor) {
  auto n = parse_uint(digits);
  if (!n || *n > std::numeric_limits<std::uint64_t>::max() / factor) {
    return std::nullopt;
  }
  return *n * factor;
}

}  // namespace

std::optional<std::uint64_t> parse_uint(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) {
      return std::nullopt;
    }
    value = value * 10 + digit;
  }
  return value;
}

std::string format_bytes(std::uint64_t n) {
  for (const auto& unit : kByteUnits) {
    if (n != 0 && n % unit.factor == 0) {
      return std::to_string(n / unit.factor) + std::string(unit.suffix);
    }
  }
  return std::to_string(n);
}

std::optional<std::uint64_t> parse_bytes(std::string_view text) {
  auto [digits, suffix] = split_number(text);
  if (suffix.empty()) return parse_uint(digits);
  for (const auto& unit : kByteUnits) {
    if (suffix == unit.suffix) return scaled(digits, unit.factor);
  }
  return std::nullopt;
}

std::string format_duration(std::chrono::nanoseconds d) {
  const bool negative = d.count() < 0;
  // The magnitude, computed without overflowing on the most negative value.
  const std::uint64_t ns = negative ? 0 - static_cast<std::uint64_t>(d.count())
                                    : static_cast<std::uint64_t>(d.count());
  for (const auto& unit : kDurationUnits) {
    if (ns % unit.factor == 0 && (ns != 0 || unit.suffix == "s")) {
      return (negative ? "-" : "") + std::to_string(ns / unit.factor) +
             std::string(unit.suffix);
    }
  }
  return std::to_string(d.count()) + "ns";  // not reached: ns divides all
}

std::optional<std::chrono::nanoseconds> parse_duration(std::string_view text) {
  auto [digits, suffix] = split_number(text);
  for (const auto& unit : kDurationUnits) {
    if (suffix != unit.suffix) continue;
    auto ns = scaled(digits, unit.factor);
    if (!ns || *ns > static_cast<std::uint64_t>(
                         std::numeric_limits<std::int64_t>::max())) {
      return std::nullopt;
    }
    return std::chrono::nanoseconds(static_cast<std::int64_t>(*ns));
  }
  return std::nullopt;
}

std::string format_disk_full(std::uint64_t bytes) {
  return std::string(kDiskFullKey) + "=" + format_bytes(bytes);
}

std::optional<std::uint64_t> parse_disk_full(std::string_view text,
                                             std::string& message) {
  message.clear();
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  if (text.substr(0, kDiskFullKey.size()) != kDiskFullKey) return std::nullopt;
  std::string_view rest = text.substr(kDiskFullKey.size());
  if (rest.empty() || rest.front() != '=') {
    if (!rest.empty() && rest.front() != ' ') return std::nullopt;
    message = "expected '=BYTES' after disk_full_after";
    return std::nullopt;
  }
  auto bytes = parse_bytes(rest.substr(1));
  if (!bytes) {
    message =
        "expected a byte count (N, NKiB, NMiB, NGiB) after "
        "'disk_full_after=', got '" +
        std::string(rest.substr(1)) + "'";
  }
  return bytes;
}

}  // namespace memfs::detail
