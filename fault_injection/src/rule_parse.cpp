// Parsing the rule text form (grammar in fault_rule.hpp). Errors say where
// (1-based column) and what was expected, so a rule typed into MEMFS_FAULTS
// is easy to fix.
#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "memfs/fault_rule.hpp"
#include "rule_text.hpp"
#include "shared/exception_code.hpp"

namespace memfs {
namespace {

struct Token {
  std::string text;
  std::size_t column = 0;  // 1-based
};

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Splits at blanks; a token starting with '"' runs to the closing quote,
// with \" and \\ as escapes.
bool tokenize(std::string_view text, std::vector<Token>& out,
              std::string& message) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (is_blank(text[i])) {
      ++i;
      continue;
    }
    Token token;
    token.column = i + 1;
    if (text[i] == '"') {
      ++i;
      bool closed = false;
      while (i < text.size() && !closed) {
        char c = text[i++];
        if (c == '\\' && i < text.size()) {
          token.text += text[i++];
        } else if (c == '"') {
          closed = true;
        } else {
          token.text += c;
        }
      }
      if (!closed) {
        message = "column " + std::to_string(token.column) +
                  ": unterminated quoted path (expected a closing '\"')";
        return false;
      }
    } else {
      while (i < text.size() && !is_blank(text[i])) token.text += text[i++];
    }
    out.push_back(std::move(token));
  }
  return true;
}

constexpr std::string_view kExpectedOps =
    "an operation (open, read, write, truncate, sync, flush, close, create, "
    "remove, rename, copy, stat, list, lock) or a group (reads, writes, "
    "metadata, all)";
constexpr std::string_view kExpectedClause = "a trigger or an action";
constexpr std::string_view kClauseList =
    "triggers: always, once, nth=N, after=N, every=N, probability=P, "
    "file_exceeds=BYTES, written_exceeds=BYTES; actions: fail=CODE, "
    "short=BYTES, delay=DURATION, corrupt, crash; or mode=shared|exclusive";
constexpr std::string_view kExpectedAction =
    "an action (fail=CODE, short=BYTES, delay=DURATION, corrupt)";

std::optional<OpSet> parse_op(std::string_view name) {
  if (name == "reads") return OpSet::reads();
  if (name == "writes") return OpSet::writes();
  if (name == "metadata") return OpSet::metadata();
  if (name == "all") return OpSet::all();
  for (unsigned i = 0; i < kOpCount; ++i) {
    if (op_name(static_cast<Op>(i)) == name) return OpSet(static_cast<Op>(i));
  }
  return std::nullopt;
}

std::optional<double> parse_probability(std::string_view text) {
  double p = 0;
  auto result = std::from_chars(text.data(), text.data() + text.size(), p);
  if (result.ec != std::errc() || result.ptr != text.data() + text.size()) {
    return std::nullopt;
  }
  return p;
}

// Reads the clauses after the glob. `last` remembers which clause a seed= or
// recover_after= modifier belongs to.
class ClauseParser {
 public:
  explicit ClauseParser(FaultRule& rule) : rule_(rule) {}

  bool parse(const Token& token, std::string& message) {
    const std::string& t = token.text;
    token_ = t;
    auto eq = t.find('=');
    key_ = std::string_view(t).substr(0, eq);
    has_value_ = eq != std::string::npos;
    value_ =
        has_value_ ? std::string_view(t).substr(eq + 1) : std::string_view();
    column_ = token.column;
    error_.clear();
    bool ok = clause();
    if (!ok) message = "column " + std::to_string(column_) + ": " + error_;
    return ok;
  }

  [[nodiscard]] bool has_action() const { return action_set_; }

 private:
  enum class Last { none, probability, corrupt, fail, other };

  bool fail(std::string why) {
    error_ = std::move(why);
    return false;
  }
  bool expect_value(std::string_view what) {
    if (has_value_ && !value_.empty()) return true;
    return fail("expected " + std::string(what) + " after '" +
                std::string(key_) + "='");
  }
  bool bad_value(std::string_view what) {
    return fail("expected " + std::string(what) + " after '" +
                std::string(key_) + "=', got '" + std::string(value_) + "'");
  }
  bool no_value() {
    if (!has_value_) return true;
    return fail("'" + std::string(key_) + "' takes no value");
  }

  bool set_trigger(Trigger t, Last last) {
    return set_once("trigger", trigger_set_, rule_.trigger, t, last);
  }
  bool set_action(Action a, Last last) {
    return set_once("action", action_set_, rule_.action, a, last);
  }
  // Sets the rule's one trigger or action (`what`), refusing a second.
  template <class Part>
  bool set_once(const char* what, bool& set, Part& part, const Part& value,
                Last last) {
    if (set) {
      return fail("a second " + std::string(what) + " '" + std::string(key_) +
                  "' (the rule already has '" + to_string(part) + "')");
    }
    set = true;
    part = value;
    last_ = last;
    return true;
  }

  bool counted_trigger(Trigger (*make)(std::uint64_t), bool bytes) {
    if (!expect_value(bytes ? "a byte count" : "a number")) return false;
    auto n = bytes ? detail::parse_bytes(value_) : detail::parse_uint(value_);
    if (!n)
      return bad_value(bytes ? "a byte count (N, NKiB, NMiB, NGiB)"
                             : "a whole number");
    return set_trigger(make(*n), Last::other);
  }

  bool clause() {
    if (key_ == "always" || key_ == "once") {
      if (!no_value()) return false;
      return set_trigger(key_ == "once" ? Trigger::once() : Trigger::always(),
                         Last::other);
    }
    if (key_ == "nth") return counted_trigger(&Trigger::nth, false);
    if (key_ == "after") return counted_trigger(&Trigger::after, false);
    if (key_ == "every") return counted_trigger(&Trigger::every, false);
    if (key_ == "file_exceeds")
      return counted_trigger(&Trigger::file_exceeds, true);
    if (key_ == "written_exceeds") {
      return counted_trigger(&Trigger::written_exceeds, true);
    }
    if (key_ == "probability") {
      if (!expect_value("a probability")) return false;
      auto p = parse_probability(value_);
      if (!p) return bad_value("a probability between 0 and 1");
      return set_trigger(Trigger::probability(*p), Last::probability);
    }
    if (key_ == "fail") {
      if (!expect_value("an error code")) return false;
      auto ec = detail::parse_error_code(value_);
      if (!ec) {
        return bad_value(
            "an error code (quota_exceeded, node_limit_exceeded, "
            "lock_timeout, injected_fault, an errno name such as "
            "EIO, or generic:N / system:N / memfs:N)");
      }
      return set_action(Action::fail(*ec), Last::fail);
    }
    if (key_ == "short") {
      if (!expect_value("a byte count")) return false;
      auto n = detail::parse_bytes(value_);
      if (!n) return bad_value("a byte count (N, NKiB, NMiB, NGiB)");
      return set_action(Action::short_transfer(*n), Last::other);
    }
    if (key_ == "delay") {
      if (!expect_value("a duration")) return false;
      auto d = detail::parse_duration(value_);
      if (!d)
        return bad_value("a duration with a unit (ns, us, ms, s, min, h)");
      return set_action(Action::delay(*d), Last::other);
    }
    if (key_ == "corrupt") {
      if (!no_value()) return false;
      return set_action(Action::corrupt(), Last::corrupt);
    }
    if (key_ == "crash") {
      if (!no_value()) return false;
      return set_action(Action::crash(), Last::other);
    }
    if (key_ == "mode") return mode();
    if (key_ == "seed") return seed();
    if (key_ == "recover_after") return recover_after();
    // Quotes the whole clause as written ("nht=3"), value included.
    return fail("expected " + std::string(kExpectedClause) + ", got '" +
                std::string(token_) + "' (" + std::string(kClauseList) + ")");
  }

  bool mode() {
    if (rule_.lock_mode) return fail("a second 'mode='");
    if (value_ == "shared") {
      rule_.lock_mode = LockMode::shared;
    } else if (value_ == "exclusive") {
      rule_.lock_mode = LockMode::exclusive;
    } else {
      return bad_value("'shared' or 'exclusive'");
    }
    last_ = Last::other;
    return true;
  }

  bool seed() {
    if (!expect_value("a number")) return false;
    auto n = detail::parse_uint(value_);
    if (!n) return bad_value("a whole number");
    if (last_ == Last::probability) {
      rule_.trigger.seed = *n;
    } else if (last_ == Last::corrupt) {
      rule_.action.seed = *n;
    } else {
      return fail("'seed=' must follow 'probability=P' or 'corrupt'");
    }
    last_ = Last::other;
    return true;
  }

  bool recover_after() {
    if (last_ != Last::fail)
      return fail("'recover_after=' must follow 'fail=CODE'");
    if (!expect_value("a number")) return false;
    auto n = detail::parse_uint(value_);
    if (!n) return bad_value("a whole number");
    rule_.action = Action::fail_then_recover(rule_.action.code, *n);
    last_ = Last::other;
    return true;
  }

  FaultRule& rule_;
  std::string_view token_, key_, value_;
  bool has_value_ = false;
  std::size_t column_ = 0;
  std::string error_;
  bool trigger_set_ = false, action_set_ = false;
  Last last_ = Last::none;
};

}  // namespace

namespace detail {

bool parse_rule_text(std::string_view text, FaultRule& rule,
                     std::string& message) {
  rule = FaultRule{};
  std::vector<Token> tokens;
  if (!tokenize(text, tokens, message)) return false;
  auto where = [](std::size_t column) {
    return "column " + std::to_string(column) + ": ";
  };
  if (tokens.empty()) {
    message = where(1) + "expected " + std::string(kExpectedOps);
    return false;
  }
  std::string_view ops = tokens[0].text;
  std::size_t offset = 0;
  while (offset <= ops.size()) {
    auto comma = ops.find(',', offset);
    std::string_view name = ops.substr(offset, comma - offset);
    auto op = parse_op(name);
    if (!op) {
      message = where(tokens[0].column + offset) + "expected " +
                std::string(kExpectedOps) + ", got '" + std::string(name) + "'";
      return false;
    }
    rule.ops = rule.ops | *op;
    if (comma == std::string_view::npos) break;
    offset = comma + 1;
  }
  if (tokens.size() < 2) {
    message = where(text.size() + 1) + "expected a path glob after '" +
              tokens[0].text + "'";
    return false;
  }
  rule.path = tokens[1].text;
  ClauseParser clauses(rule);
  for (std::size_t i = 2; i < tokens.size(); ++i) {
    if (!clauses.parse(tokens[i], message)) return false;
  }
  if (!clauses.has_action()) {
    message =
        where(text.size() + 1) + "expected " + std::string(kExpectedAction);
    return false;
  }
  return true;
}

}  // namespace detail

fault_rule_error::fault_rule_error(std::string_view operation,
                                   std::string_view message,
                                   std::string_view text)
    : filesystem_error(operation, message, text,
                       std::make_error_code(std::errc::invalid_argument)),
      message_(message) {}

FaultRule parse_rule(std::string_view text, std::error_code& ec,
                     std::string* message) noexcept {
  ec.clear();
  try {
    FaultRule rule;
    std::string why;
    if (detail::parse_rule_text(text, rule, why)) {
      ec = validate(rule, &why);
      if (!ec) return rule;
    } else {
      ec = std::make_error_code(std::errc::invalid_argument);
    }
    if (message) *message = std::move(why);
  } catch (...) {
    ec = detail::current_exception_code();
  }
  return FaultRule{};
}

FaultRule parse_rule(std::string_view text) {
  std::error_code ec;
  std::string why;
  FaultRule rule = parse_rule(text, ec, &why);
  if (ec) throw fault_rule_error("parse_rule", why, text);
  return rule;
}

std::vector<FaultRule> parse_rules(std::string_view text) {
  std::vector<FaultRule> rules;
  for (const auto& part : detail::split_rules(text)) {
    std::error_code ec;
    std::string why;
    rules.push_back(parse_rule(part.text, ec, &why));
    if (ec) {
      throw fault_rule_error("parse_rules",
                             "rule " + std::to_string(part.number) + ", " + why,
                             part.text);
    }
  }
  return rules;
}

}  // namespace memfs
