// Internal: the pieces of the rule text form shared by printing, parsing,
// validation and the injector. Not installed.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "memfs/fault_rule.hpp"

namespace memfs::detail {

/// CODE of the text form -> error_code ("EIO", "io_error", "quota_exceeded",
/// "generic:5"); nullopt if unknown.
std::optional<std::error_code> parse_error_code(std::string_view text);

/// BYTES: "1MiB" when exact, else decimal; parse accepts KiB/MiB/GiB.
std::string format_bytes(std::uint64_t n);
std::optional<std::uint64_t> parse_bytes(std::string_view text);

/// DURATION: the largest of h/min/s/ms/us/ns that divides exactly.
std::string format_duration(std::chrono::nanoseconds d);
std::optional<std::chrono::nanoseconds> parse_duration(std::string_view text);

/// A plain unsigned decimal number, without overflow.
std::optional<std::uint64_t> parse_uint(std::string_view text);

/// The armed form of a rule glob: absolute, `\` read as `/`, no empty or `.`
/// components, no trailing slash (directory_only remembers it).
struct NormalizedGlob {
  std::string pattern;
  bool directory_only = false;
};
/// Normalizes a glob; nullopt with the reason in `why` if it can never match
/// a normalized path (empty, NUL, relative, a ".." component).
std::optional<NormalizedGlob> normalize_glob(std::string_view glob,
                                             std::string& why);

/// One rule of a multi-rule text: its 1-based number and its text.
struct RuleText {
  std::size_t number = 0;
  std::string_view text;
};
/// Splits at newlines and at ';' outside quotes, drops '#' comments, blank
/// parts and the blanks that start a part.
std::vector<RuleText> split_rules(std::string_view text);

/// Parses one rule without validating it; on failure returns false with
/// "column N: ..." in `message`.
bool parse_rule_text(std::string_view text, FaultRule& rule,
                     std::string& message);

/// The text of a disk_full_after directive, and its parser ("disk_full_after=
/// BYTES"); the parser returns nullopt for text that is not the directive.
inline constexpr std::string_view kDiskFullKey = "disk_full_after";
std::string format_disk_full(std::uint64_t bytes);
std::optional<std::uint64_t> parse_disk_full(std::string_view text,
                                             std::string& message);

}  // namespace memfs::detail
