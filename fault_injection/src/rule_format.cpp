// Printing rules in their canonical text form (grammar in fault_rule.hpp).
// Everything printed here must parse back to an equal value: rule_parse.cpp
// is the inverse, and tests check the round trip.
#include <charconv>
#include <string>
#include <string_view>

#include "memfs/fault_rule.hpp"
#include "rule_text.hpp"

namespace memfs {
namespace {

struct Group {
  std::string_view name;
  OpSet ops;
};

// The groups worth printing ("reads" is just "read").
constexpr Group kGroups[] = {{"writes", OpSet::writes()},
                             {"metadata", OpSet::metadata()}};

// A glob needs quotes when it would not survive whitespace tokenizing,
// rule splitting at ';' or comment stripping at '#'.
bool needs_quotes(std::string_view glob) {
  if (glob.empty() || glob.front() == '"') return true;
  for (char c : glob) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ';' ||
        c == '#') {
      return true;
    }
  }
  return false;
}

std::string quote_glob(std::string_view glob) {
  if (!needs_quotes(glob)) return std::string(glob);
  std::string out = "\"";
  for (char c : glob) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

std::string with_seed(std::string text,
                      const std::optional<std::uint64_t>& seed) {
  if (seed) text += " seed=" + std::to_string(*seed);
  return text;
}

std::string format_probability(double p) {
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, p);
  return std::string(buffer, result.ptr);
}

}  // namespace

std::string to_string(OpSet ops) {
  if (ops == OpSet::all()) return "all";
  std::string out;
  auto append = [&out](std::string_view name) {
    if (!out.empty()) out += ',';
    out += name;
  };
  OpSet rest = ops;
  for (const auto& group : kGroups) {
    if (group.ops.subset_of(rest)) {
      append(group.name);
      rest = OpSet::from_bits(rest.bits() & ~group.ops.bits());
    }
  }
  for (unsigned i = 0; i < kOpCount; ++i) {
    if (rest.contains(static_cast<Op>(i))) append(op_name(static_cast<Op>(i)));
  }
  return out;
}

std::string to_string(const Trigger& t) {
  using K = Trigger::Kind;
  switch (t.kind) {
    case K::always:
      return "always";
    case K::once:
      return "once";
    case K::nth:
      return "nth=" + std::to_string(t.count);
    case K::after:
      return "after=" + std::to_string(t.count);
    case K::every:
      return "every=" + std::to_string(t.count);
    case K::probability:
      return with_seed("probability=" + format_probability(t.chance), t.seed);
    case K::file_exceeds:
      return "file_exceeds=" + detail::format_bytes(t.count);
    case K::written_exceeds:
      return "written_exceeds=" + detail::format_bytes(t.count);
  }
  return "always";
}

std::string to_string(const Action& a) {
  using K = Action::Kind;
  switch (a.kind) {
    case K::fail:
      return "fail=" + error_code_name(a.code);
    case K::fail_then_recover:
      return "fail=" + error_code_name(a.code) +
             " recover_after=" + std::to_string(a.times);
    case K::short_transfer:
      return "short=" + detail::format_bytes(a.bytes);
    case K::delay:
      return "delay=" + detail::format_duration(a.duration);
    case K::corrupt:
      return with_seed("corrupt", a.seed);
    case K::crash:
      return "crash";
  }
  return "fail=" + error_code_name(a.code);
}

std::string to_string(const FaultRule& rule) {
  std::string out = to_string(rule.ops);
  out += ' ';
  out += quote_glob(rule.path);
  if (rule.lock_mode) {
    out += *rule.lock_mode == LockMode::shared ? " mode=shared"
                                               : " mode=exclusive";
  }
  out += ' ';
  out += to_string(rule.trigger);
  out += ' ';
  out += to_string(rule.action);
  return out;
}

}  // namespace memfs
