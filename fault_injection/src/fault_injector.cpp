// FaultInjector: attaching, arming and disarming rules, the seed, and the
// disk_full_after quota shrink. The per-call decision is in fault_decision.cpp.
#include <algorithm>
#include <cstdlib>
#include <limits>
#include <string>
#include <utility>

#include "fault_hash.hpp"
#include "injector_state.hpp"
#include "rule_text.hpp"
#include "shared/exception_code.hpp"

namespace memfs {
namespace {

using detail::InjectorEntry;

std::uint64_t seed_from_env() {
  const char* text = std::getenv("MEMFS_FAULT_SEED");
  if (text == nullptr || *text == '\0') return 0;
  char* end = nullptr;
  errno = 0;
  unsigned long long value = std::strtoull(text, &end, 0);
  if (errno != 0 || end == text || *end != '\0' || *text == '-') {
    throw fault_rule_error("FaultInjector",
                           "MEMFS_FAULT_SEED is not a number (decimal or "
                           "0x-hex)",
                           text);
  }
  return value;
}

// Validates a rule and builds its entry; false with the reason in `why`.
bool prepare(const FaultRule& rule, InjectorEntry& entry, std::string& why) {
  if (validate(rule, &why)) return false;
  auto glob = detail::normalize_glob(rule.path, why);
  if (!glob) return false;  // not reached: validate() checked it
  entry.rule = rule;
  entry.pattern = std::move(glob->pattern);
  entry.literal_prefix =
      entry.pattern.substr(0, entry.pattern.find_first_of("*?["));
  entry.text = to_string(rule);
  // The rule's part of every hash key is its text without seeds, so that
  // "seed=S" and an injector seed of S give the same faults.
  FaultRule unseeded = rule;
  unseeded.trigger.seed.reset();
  unseeded.action.seed.reset();
  entry.text_hash = detail::fnv1a(to_string(unseeded));
  return true;
}

InjectorEntry prepare_or_throw(const FaultRule& rule, std::string_view op) {
  InjectorEntry entry;
  std::string why;
  if (!prepare(rule, entry, why))
    throw fault_rule_error(op, why, to_string(rule));
  return entry;
}

}  // namespace

FaultInjector::FaultInjector(FileSystem& fs, std::shared_ptr<Clock> clock)
    : fs_(fs), state_(std::make_unique<State>()) {
  state_->memory = dynamic_cast<MemoryFileSystem*>(&fs);
  if (!clock && state_->memory) clock = state_->memory->options().clock;
  state_->clock = clock ? std::move(clock) : SystemClock::instance();
  state_->seed = seed_from_env();
  set_active(false);  // nothing armed yet: the funnel skips us entirely
  if (fs.hook() != nullptr) {
    throw filesystem_error(
        "FaultInjector", "the filesystem already has a hook attached", "",
        std::make_error_code(std::errc::device_or_resource_busy));
  }
  fs.set_hook(this);
}

FaultInjector::~FaultInjector() {
  if (fs_.hook() == this) fs_.set_hook(nullptr);
  clear();
}

std::vector<RuleId> FaultInjector::arm(std::vector<InjectorEntry> entries,
                                       bool from_env) {
  std::vector<RuleId> ids;
  std::lock_guard<std::mutex> lock(state_->mutex);
  const std::uint64_t written = state_->written.load(std::memory_order_relaxed);
  bool quota_changed = false;
  for (auto& entry : entries) {
    entry.id = RuleId{state_->next_id++};
    entry.written_base = written;
    ids.push_back(entry.id);
    if (from_env) state_->env_rules.push_back(entry.text);
    if (entry.rule) {
      armed_.fetch_add(1, std::memory_order_release);
    } else {
      quota_changed = true;
      if (!state_->base_quota) {
        state_->base_quota = state_->memory->options().max_quota;
      }
    }
    state_->entries.push_back(std::move(entry));
  }
  if (quota_changed) update_quota_locked();
  state_->update_op_mask_locked();
  // A quota shrink alone keeps the hook active too: after_error() logs its
  // refusals.
  set_active(!state_->entries.empty());
  return ids;
}

void FaultInjector::update_quota_locked() {
  if (!state_->memory || !state_->base_quota) return;
  std::uint64_t quota = *state_->base_quota;
  bool any = false;
  for (const auto& e : state_->entries) {
    if (e.disk_full && !e.rule) {
      quota = std::min(quota, e.quota_target);
      any = true;
    }
  }
  state_->memory->set_quota(quota);
  if (!any) state_->base_quota.reset();
}

RuleId FaultInjector::add(const FaultRule& rule) {
  std::vector<InjectorEntry> one;
  one.push_back(prepare_or_throw(rule, "FaultInjector::add"));
  return arm(std::move(one), false).front();
}

RuleId FaultInjector::add(const FaultRule& rule, std::error_code& ec) noexcept {
  ec.clear();
  try {
    std::vector<InjectorEntry> one(1);
    std::string why;
    if (!prepare(rule, one.front(), why)) {
      ec = std::make_error_code(std::errc::invalid_argument);
      return RuleId{};
    }
    return arm(std::move(one), false).front();
  } catch (...) {
    ec = detail::current_exception_code();
  }
  return RuleId{};
}

RuleId FaultInjector::add(std::string_view text) {
  return add(parse_rule(text));
}

ScopedRule FaultInjector::scoped(const FaultRule& rule) {
  return ScopedRule(*this, add(rule));
}

ScopedRule FaultInjector::scoped(std::string_view text) {
  return ScopedRule(*this, add(text));
}

std::vector<RuleId> FaultInjector::load(std::string_view text) {
  return load_text(text, nullptr);
}

std::vector<RuleId> FaultInjector::load_from_env(const char* variable) {
  const char* text = std::getenv(variable);
  if (text == nullptr || *text == '\0') return {};
  return load_text(text, variable);
}

std::vector<RuleId> FaultInjector::load_text(std::string_view text,
                                             const char* variable) {
  std::vector<InjectorEntry> entries;
  for (const auto& part : detail::split_rules(text)) {
    std::string why;
    auto fail = [&] {
      // Rules from the environment say which variable holds the bad one:
      // the test's own code is not where to look.
      std::string message =
          variable != nullptr ? std::string(variable) + ": " : "";
      message += "rule " + std::to_string(part.number) + ", " + why;
      throw fault_rule_error(variable != nullptr
                                 ? "FaultInjector::load_from_env"
                                 : "FaultInjector::load",
                             message, part.text);
    };
    if (auto bytes = detail::parse_disk_full(part.text, why)) {
      entries.push_back(disk_full_entry(*bytes));
      continue;
    }
    if (!why.empty()) fail();
    FaultRule rule;
    if (!detail::parse_rule_text(part.text, rule, why)) fail();
    entries.emplace_back();
    if (!prepare(rule, entries.back(), why)) fail();
  }
  return arm(std::move(entries), variable != nullptr);
}

InjectorEntry FaultInjector::disk_full_entry(std::uint64_t bytes) {
  InjectorEntry entry;
  if (state_->memory) {
    // stats() consults adjust_stats(), so no lock of ours may be held here.
    entry.quota_target =
        detail::saturating_add(state_->memory->stats().used, bytes);
  } else {
    entry = prepare_or_throw(
        FaultRule{Op::write, "/**", Trigger::written_exceeds(bytes),
                  Action::quota_exceeded()},
        "FaultInjector::disk_full_after");
  }
  entry.disk_full = true;
  entry.disk_full_bytes = bytes;
  entry.text = detail::format_disk_full(bytes);
  return entry;
}

RuleId FaultInjector::disk_full_after(std::uint64_t bytes) {
  std::vector<InjectorEntry> one;
  one.push_back(disk_full_entry(bytes));
  return arm(std::move(one), false).front();
}

bool FaultInjector::remove(RuleId id) noexcept {
  std::lock_guard<std::mutex> lock(state_->mutex);
  auto& entries = state_->entries;
  auto it = std::find_if(entries.begin(), entries.end(),
                         [id](const InjectorEntry& e) { return e.id == id; });
  if (it == entries.end()) return false;
  const bool was_rule = it->rule.has_value();
  entries.erase(it);
  if (was_rule) {
    armed_.fetch_sub(1, std::memory_order_release);
    state_->update_op_mask_locked();
  } else {
    update_quota_locked();
  }
  set_active(!entries.empty());
  return true;
}

void FaultInjector::clear() noexcept {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->entries.clear();
  armed_.store(0, std::memory_order_release);
  state_->update_op_mask_locked();
  set_active(false);
  update_quota_locked();
}

std::vector<RuleInfo> FaultInjector::rules() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  std::vector<RuleInfo> out;
  for (const auto& e : state_->entries) {
    out.push_back(RuleInfo{e.id, e.text, e.rule, e.matches, e.fired});
  }
  return out;
}

std::uint64_t FaultInjector::seed() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->seed;
}

void FaultInjector::set_seed(std::uint64_t seed) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->seed = seed;
}

}  // namespace memfs
