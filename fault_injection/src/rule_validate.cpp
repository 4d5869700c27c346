// Rejecting rules that can never match or fire. Only decidable cases are
// checked: what the glob text, the op set, the trigger and the action say on
// their own, without looking at the filesystem.
#include <cmath>
#include <string>
#include <string_view>

#include "memfs/fault_rule.hpp"
#include "rule_text.hpp"

namespace memfs {
namespace {

// Ops that act on an open file or a file's contents; a directory-only glob
// can never see them.
// (sync is not among them: FileSystem::sync_directory syncs a directory.)
constexpr OpSet kFileOps = OpSet(Op::open) | Op::read | Op::write |
                           Op::truncate | Op::flush | Op::close | Op::lock;

// The first op of `ops` that is not in `allowed` (ops must not be a subset).
Op first_outside(OpSet ops, OpSet allowed) {
  for (unsigned i = 0; i < kOpCount; ++i) {
    auto op = static_cast<Op>(i);
    if (ops.contains(op) && !allowed.contains(op)) return op;
  }
  return Op::stat;
}

// "<what> applies to <allowed> only, not to '<op>'" when ops exceed allowed.
bool only_for(OpSet ops, OpSet allowed, std::string_view what,
              std::string_view allowed_text, std::string& why) {
  if (ops.subset_of(allowed)) return true;
  why = std::string(what) + " applies to " + std::string(allowed_text) +
        " only, not to '" + std::string(op_name(first_outside(ops, allowed))) +
        "'";
  return false;
}

bool check_glob(const FaultRule& rule, std::string& why) {
  auto glob = detail::normalize_glob(rule.path, why);
  if (!glob) return false;
  OpSet file_ops = rule.ops & kFileOps;
  if (glob->directory_only && !file_ops.empty()) {
    why = "'" + std::string(op_name(first_outside(file_ops, OpSet()))) +
          "' acts on files and can never match the directory-only glob '" +
          rule.path + "'";
    return false;
  }
  return true;
}

bool check_trigger(const FaultRule& rule, std::string& why) {
  const Trigger& t = rule.trigger;
  using K = Trigger::Kind;
  if ((t.kind == K::nth || t.kind == K::every) && t.count == 0) {
    why = to_string(t) + " can never fire (counts start at 1)";
    return false;
  }
  if (t.kind == K::probability && !(t.chance > 0 && t.chance <= 1)) {
    why = "probability must be in (0, 1], got " + to_string(t);
    return false;
  }
  if (t.kind == K::file_exceeds) {
    return only_for(rule.ops, Op::write | Op::truncate, "file_exceeds",
                    "write and truncate", why);
  }
  return true;
}

bool check_action(const FaultRule& rule, std::string& why) {
  const Action& a = rule.action;
  using K = Action::Kind;
  switch (a.kind) {
    case K::fail:
    case K::fail_then_recover:
      if (!a.code) {
        why = "fail needs an error code";
        return false;
      }
      if (a.kind == K::fail_then_recover && a.times == 0) {
        why = "recover_after=0 never fails";
        return false;
      }
      return true;
    case K::short_transfer:
      return only_for(rule.ops, Op::read | Op::write, "short", "read and write",
                      why);
    case K::corrupt:
      return only_for(rule.ops, Op::read, "corrupt", "read", why);
    case K::crash:
      // File's destructor closes: a close must never throw.
      return only_for(
          rule.ops,
          OpSet::from_bits(OpSet::all().bits() & ~OpSet(Op::close).bits()),
          "crash", "every operation but close", why);
    case K::delay:
      if (a.duration.count() < 0) {
        why = "delay must not be negative";
        return false;
      }
      return true;
  }
  return true;
}

}  // namespace

namespace detail {

std::optional<NormalizedGlob> normalize_glob(std::string_view glob,
                                             std::string& why) {
  auto reject = [&](std::string_view reason) {
    why = "the path glob '" + std::string(glob) + "' " + std::string(reason);
    return std::nullopt;
  };
  if (glob.empty()) return reject("is empty");
  if (glob.find('\0') != std::string_view::npos) return reject("contains NUL");
  if (glob.front() != '/' && glob.front() != '\\') {
    return reject("is not absolute (memfs paths start with '/')");
  }
  NormalizedGlob out;
  std::size_t i = 0;
  while (i < glob.size()) {
    std::size_t end = glob.find_first_of("/\\", i);
    if (end == std::string_view::npos) end = glob.size();
    std::string_view part = glob.substr(i, end - i);
    if (part == "..") {
      return reject("has a '..' component, which no normalized path has");
    }
    if (!part.empty() && part != ".") {
      out.pattern += '/';
      out.pattern += part;
    }
    i = end + 1;
  }
  const char last = glob.back();
  out.directory_only = out.pattern.empty() || last == '/' || last == '\\';
  if (out.pattern.empty()) out.pattern = "/";
  return out;
}

}  // namespace detail

std::error_code validate(const FaultRule& rule, std::string* message) {
  std::string why;
  bool ok = true;
  if (rule.ops.empty()) {
    why = "the rule names no operation";
    ok = false;
  }
  ok = ok && check_glob(rule, why);
  if (ok && rule.lock_mode) {
    ok = only_for(rule.ops, Op::open | Op::lock, "mode=", "open and lock", why);
  }
  ok = ok && check_trigger(rule, why) && check_action(rule, why);
  if (ok) return {};
  if (message) *message = "rule can never match: " + why;
  return std::make_error_code(std::errc::invalid_argument);
}

}  // namespace memfs
