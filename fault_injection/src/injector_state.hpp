// Internal: what a FaultInjector keeps, and the helpers its source files
// share. Not installed.
#pragma once

#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "memfs/clock.hpp"
#include "memfs/fault_injection.hpp"
#include "memfs/memory_file_system.hpp"

namespace memfs {
namespace detail {

/// One armed entry: a rule, or a disk_full_after quota shrink.
struct InjectorEntry {
  RuleId id{};
  /// Canonical text (to_string of the rule, or "disk_full_after=N").
  std::string text;
  /// The rule before() evaluates; nullopt for a MemoryFileSystem quota
  /// shrink.
  std::optional<FaultRule> rule;
  /// The normalized glob the rule matches with, and its literal start (up
  /// to the first glob metacharacter): a path without that prefix cannot
  /// match, which a memcmp decides faster than glob_match.
  std::string pattern;
  std::string literal_prefix;
  /// fnv1a(text): the rule's part of the probability key.
  std::uint64_t text_hash = 0;
  std::uint64_t matches = 0;
  std::uint64_t fired = 0;
  /// State::written when the rule was armed (written_exceeds).
  std::uint64_t written_base = 0;
  /// probability: matching calls per path so far.
  std::unordered_map<std::string, std::uint64_t> path_calls;
  /// disk_full_after: its byte budget; on a MemoryFileSystem also the quota
  /// it sets (used + budget when armed).
  bool disk_full = false;
  std::uint64_t disk_full_bytes = 0;
  std::uint64_t quota_target = 0;
};

}  // namespace detail

struct FaultInjector::State {
  std::shared_ptr<Clock> clock;
  /// The filesystem, when it is a MemoryFileSystem (quota shrinks).
  MemoryFileSystem* memory = nullptr;
  /// Bytes written through the filesystem while any rule was armed.
  std::atomic<std::uint64_t> written{0};
  /// The union of the armed rules' op sets (OpSet bits): before() returns
  /// at once, without the mutex, for an op no rule names.
  std::atomic<std::uint32_t> op_mask{0};

  mutable std::mutex mutex;  // guards every member below
  std::vector<detail::InjectorEntry> entries;
  std::uint64_t next_id = 1;
  std::uint64_t seed = 0;
  /// MemoryFileSystem quota before the first active shrink.
  std::optional<std::uint64_t> base_quota;
  std::vector<FaultLogEntry> log;
  std::uint64_t sequence = 0;
  std::uint64_t dropped = 0;
  /// Texts loaded by load_from_env, for the reproduce line.
  std::vector<std::string> env_rules;

  /// Recomputes op_mask from the entries (mutex held).
  void update_op_mask_locked() noexcept {
    std::uint32_t mask = 0;
    for (const auto& e : entries) {
      if (e.rule) mask |= e.rule->ops.bits();
    }
    op_mask.store(mask, std::memory_order_release);
  }
};

namespace detail {

/// a + b, or the largest value where that overflows.
inline std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
  return a > std::numeric_limits<std::uint64_t>::max() - b
             ? std::numeric_limits<std::uint64_t>::max()
             : a + b;
}

/// Entries kept in the log; later firings are only counted.
inline constexpr std::size_t kLogLimit = 100000;
/// Firings describe_log() prints; the rest are counted.
inline constexpr std::size_t kDescribeLimit = 100;

/// While one exists on a thread, every injector ignores that thread's calls
/// (hold_lock's own opens, locks and closes).
class BypassScope {
 public:
  BypassScope() noexcept;
  ~BypassScope();
  BypassScope(const BypassScope&) = delete;
  BypassScope& operator=(const BypassScope&) = delete;

  /// True on a thread inside a BypassScope.
  [[nodiscard]] static bool active() noexcept;
};

}  // namespace detail
}  // namespace memfs
