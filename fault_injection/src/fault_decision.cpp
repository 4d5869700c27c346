// The one decision point: FaultInjector::before() asks every armed rule about
// a call, and after_transfer() / adjust_stats() finish what it started.
#include <algorithm>
#include <chrono>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "fault_hash.hpp"
#include "injector_state.hpp"
#include "memfs/backend.hpp"
#include "memfs/crash.hpp"
#include "memfs/path.hpp"

namespace memfs {
namespace {

using detail::InjectorEntry;

// The action a quota shrink's refusals are logged with.
const char* const kDiskFullAction = "fail=quota_exceeded";

bool matches(const InjectorEntry& e, const OpContext& ctx) {
  const FaultRule& rule = *e.rule;
  if (!rule.ops.contains(ctx.op)) return false;
  if (rule.lock_mode && *rule.lock_mode != ctx.lock_mode) return false;
  auto path_matches = [&e](std::string_view path) {
    return path.substr(0, e.literal_prefix.size()) == e.literal_prefix &&
           glob_match(e.pattern, path);
  };
  return path_matches(ctx.path) ||
         (!ctx.path2.empty() && path_matches(ctx.path2));
}

// Whether the trigger fires for this call; e.matches already counts it.
bool triggered(InjectorEntry& e, const OpContext& ctx, std::uint64_t seed,
               std::uint64_t written) {
  const Trigger& t = e.rule->trigger;
  using K = Trigger::Kind;
  switch (t.kind) {
    case K::always:
      return true;
    case K::once:
      return e.matches == 1;
    case K::nth:
      return e.matches == t.count;
    case K::after:
      return e.matches > t.count;
    case K::every:
      return e.matches % t.count == 0;
    case K::probability: {
      // Keyed per path, so other paths' calls cannot shift this path's draws.
      std::uint64_t index = ++e.path_calls[std::string(ctx.path)];
      std::uint64_t h =
          detail::combine(detail::combine(t.seed.value_or(seed), e.text_hash),
                          detail::combine(detail::fnv1a(ctx.path), index));
      return detail::unit_interval(h) < t.chance;
    }
    case K::file_exceeds: {
      std::uint64_t size = ctx.length;  // truncate: the new size
      if (ctx.op == Op::write) {
        size = std::max(ctx.file_size,
                        detail::saturating_add(ctx.offset, ctx.length));
      }
      return size > t.count;
    }
    case K::written_exceeds: {
      std::uint64_t total = written - e.written_base;
      if (ctx.op == Op::write)
        total = detail::saturating_add(total, ctx.length);
      return total > t.count;
    }
  }
  return false;
}

// A rule that fired for the current call, before the effects are combined.
struct Firing {
  InjectorEntry* entry;
  std::uint64_t call;
};

// "sync /db/a.log (rule 1: sync /db/*.log nth=3 crash, call 3)".
std::string describe_call(const OpContext& ctx, const Firing& f) {
  std::string out(op_name(ctx.op));
  out += ' ';
  out += ctx.path;
  out += " (rule " + std::to_string(static_cast<std::uint64_t>(f.entry->id)) +
         ": " + f.entry->text + ", call " + std::to_string(f.call) + ")";
  return out;
}

}  // namespace

Injection FaultInjector::before(const OpContext& ctx) {
  if (armed_.load(std::memory_order_acquire) == 0) return {};
  if (!OpSet::from_bits(state_->op_mask.load(std::memory_order_acquire))
           .contains(ctx.op)) {
    return {};
  }
  if (detail::BypassScope::active()) return {};

  Injection result;
  std::chrono::nanoseconds delay{0};
  std::string crash;  // set when a crash rule fired: where
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    const std::uint64_t written =
        state_->written.load(std::memory_order_relaxed);
    std::vector<Firing> firings;
    const Firing* failure = nullptr;
    for (auto& e : state_->entries) {
      if (!e.rule || !matches(e, ctx)) continue;
      ++e.matches;
      if (!triggered(e, ctx, state_->seed, written)) continue;
      const Action& a = e.rule->action;
      if (a.kind == Action::Kind::fail_then_recover && e.fired >= a.times) {
        continue;  // recovered
      }
      firings.push_back({&e, e.matches});
    }
    // Delays always happen; the first failure wins over shorts and
    // corruption, which then do not happen (and are not logged).
    for (const auto& f : firings) {
      auto kind = f.entry->rule->action.kind;
      if (!failure && (kind == Action::Kind::fail ||
                       kind == Action::Kind::fail_then_recover)) {
        failure = &f;
      }
    }
    for (const auto& f : firings) {
      const Action& a = f.entry->rule->action;
      switch (a.kind) {
        case Action::Kind::fail:
        case Action::Kind::fail_then_recover:
          if (&f != failure) continue;
          result.error = a.code;
          break;
        case Action::Kind::delay:
          delay += a.duration;
          break;
        case Action::Kind::short_transfer:
          if (failure) continue;
          result.limit = std::min(result.limit.value_or(a.bytes), a.bytes);
          break;
        case Action::Kind::crash:
          if (crash.empty()) crash = "at " + describe_call(ctx, f);
          break;
        case Action::Kind::corrupt:
          if (failure) continue;
          result.corrupt = true;
          result.cookie = detail::combine(a.seed.value_or(state_->seed),
                                          f.entry->text_hash);
          break;
      }
      ++f.entry->fired;
      record_locked(ctx, *f.entry, f.call);
    }
  }
  if (delay.count() > 0) state_->clock->sleep_for(delay);
  if (!crash.empty()) {
    std::shared_ptr<MemoryFileSystem> crashed;
    if (state_->memory != nullptr && state_->memory->tracks_durability()) {
      crashed = state_->memory->crash_clone();
    }
    throw CrashSignal(std::move(crashed), std::move(crash));
  }
  return result;
}

void FaultInjector::record_locked(const OpContext& ctx,
                                  const InjectorEntry& entry,
                                  std::uint64_t call) {
  ++state_->sequence;
  if (state_->log.size() >= detail::kLogLimit) {
    ++state_->dropped;
    return;
  }
  FaultLogEntry e;
  e.sequence = state_->sequence;
  e.op = ctx.op;
  e.path = std::string(ctx.path);
  e.path2 = std::string(ctx.path2);
  e.rule_id = entry.id;
  e.rule = entry.text;
  e.action = entry.rule ? to_string(entry.rule->action) : kDiskFullAction;
  e.call = call;
  e.thread = std::this_thread::get_id();
  state_->log.push_back(std::move(e));
}

void FaultInjector::after_transfer(const OpContext& ctx,
                                   const Injection& injection, char* data,
                                   std::size_t n) {
  if (injection.corrupt && data != nullptr && n > 0) {
    // One byte changes; which one and how depend only on the seed, the rule,
    // the path and the offset, so a re-read corrupts the same way.
    std::uint64_t h = detail::combine(
        injection.cookie, detail::combine(detail::fnv1a(ctx.path), ctx.offset));
    std::size_t at = static_cast<std::size_t>(h % n);
    auto mask = static_cast<unsigned char>(1 + (h >> 32) % 255);
    data[at] = static_cast<char>(static_cast<unsigned char>(data[at]) ^ mask);
  }
  if (ctx.op == Op::write && armed_.load(std::memory_order_acquire) != 0) {
    state_->written.fetch_add(n, std::memory_order_relaxed);
  }
}

void FaultInjector::after_error(const OpContext& ctx, const ErrorInfo& error) {
  // Only a quota shrink (disk_full_after on a MemoryFileSystem) needs this:
  // the filesystem refuses for it, and the refusal is logged as its firing.
  if (error.code != errc::quota_exceeded || detail::BypassScope::active()) {
    return;
  }
  std::lock_guard<std::mutex> lock(state_->mutex);
  if (!state_->memory || !state_->base_quota) return;
  InjectorEntry* shrink = nullptr;  // the one in force: the smallest quota
  for (auto& e : state_->entries) {
    if (e.disk_full && !e.rule &&
        (shrink == nullptr || e.quota_target < shrink->quota_target)) {
      shrink = &e;
    }
  }
  if (shrink == nullptr) return;
  // A request the unshrunk quota would refuse too is not the rule's doing.
  const std::uint64_t taken =
      *state_->base_quota - std::min(*state_->base_quota, shrink->quota_target);
  if (error.requested > detail::saturating_add(error.available, taken)) return;
  ++shrink->matches;
  ++shrink->fired;
  record_locked(ctx, *shrink, shrink->fired);
}

void FaultInjector::adjust_stats(Stats& stats) {
  if (armed_.load(std::memory_order_acquire) == 0) return;
  std::lock_guard<std::mutex> lock(state_->mutex);
  const std::uint64_t written = state_->written.load(std::memory_order_relaxed);
  for (const auto& e : state_->entries) {
    if (!e.disk_full || !e.rule) continue;  // MemoryFileSystem: real quota
    std::uint64_t used = written - e.written_base;
    std::uint64_t left =
        used >= e.disk_full_bytes ? 0 : e.disk_full_bytes - used;
    if (left < stats.free) {
      stats.free = left;
      stats.quota = detail::saturating_add(stats.used, left);
    }
  }
}

}  // namespace memfs
