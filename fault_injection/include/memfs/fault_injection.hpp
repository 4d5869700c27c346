// memfs/fault_injection.hpp — provoke the failures your code must survive.
//
// A FaultInjector attaches to any FileSystem (memory, disk, yours) through
// its hook (hook.hpp) and arms FaultRules (fault_rule.hpp) on it. Each rule
// says which operations on which paths fail, and when: deterministically,
// from an explicit seed, with a log of every firing.
//
// ```cpp
// memfs::MemoryFileSystem fs;
// memfs::FaultInjector faults(fs);
// fs.create_directories("/db");
//
// // the disk is full after 1 MiB more
// faults.disk_full_after(1 << 20);
// // the 3rd write to /db/*.log fails with quota exceeded
// faults.add("write /db/*.log nth=3 fail=quota_exceeded");
// // the 2nd exclusive lock on /db/LOCK times out, without waiting
// faults.add("lock /db/LOCK mode=exclusive nth=2 fail=lock_timeout");
// // real contention: another owner holds /db/LOCK for this scope
// auto hold = faults.hold_lock("/db/LOCK", memfs::LockMode::exclusive);
// EXPECT_EQ(fs.space().available, 1u << 20);
// EXPECT_EQ(faults.rules().size(), 3u);
// EXPECT_TRUE(hold.held());
// ```
//
// Fault model. The filesystem asks the injector before doing any work, so an
// injected failure leaves the filesystem exactly as if the real system had
// refused the call; a short transfer moves exactly the bytes it reports; a
// corrupted read changes the caller's buffer, never the stored file; a delay
// waits on the injector's Clock (a ManualClock with auto-advance makes it
// instant). Rules are evaluated in the order they were added; every matching
// rule counts the call; of those that fire, delays add up, the first failure
// wins (and then nothing else applies), otherwise the smallest short transfer
// and any corruption apply. Close still releases the handle when it "fails".
//
// Determinism: counts are per rule; probability and corruption are hashed
// from (seed, rule text, path, per-path index), so other threads working on
// other paths cannot change a path's fault sequence. The seed is
// MEMFS_FAULT_SEED when set (decimal or 0x-hex), else 0; describe_log()
// prints it with a command line that replays the run.
//
// Cost: with no injector attached the filesystem pays one pointer test; with
// one attached but no rule armed, the injector marks itself inactive
// (FileSystemHook::active) and the filesystem skips it: one more atomic load
// per operation (benchmarks/fault_overhead_bench.cpp measures it).
//
// Thread-safety: every member may be called from any thread. One mutex
// guards the rules, their counters and the log; delays sleep outside it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include "memfs/clock.hpp"
#include "memfs/fault_rule.hpp"
#include "memfs/file.hpp"
#include "memfs/file_system.hpp"
#include "memfs/hook.hpp"

namespace memfs {
namespace detail {
struct InjectorEntry;  // fault_injection/src/injector_state.hpp
}  // namespace detail

/// Identifies an armed rule within its injector (1, 2, 3...; never reused).
enum class RuleId : std::uint64_t {};

/// One armed rule, as listed by FaultInjector::rules().
struct RuleInfo {
  RuleId id{};
  /// The canonical text ("write /db/*.log nth=3 fail=quota_exceeded"), or
  /// "disk_full_after=N" for FaultInjector::disk_full_after.
  std::string text;
  /// The rule; nullopt for a disk_full_after on a MemoryFileSystem (a quota
  /// shrink, not a rule).
  std::optional<FaultRule> rule;
  /// Matching calls seen so far, and how many of them fired.
  std::uint64_t matches = 0;
  std::uint64_t fired = 0;
};

/// One firing, as recorded in FaultInjector::log().
struct FaultLogEntry {
  /// 1, 2, 3... in firing order, across all rules of the injector.
  std::uint64_t sequence = 0;
  Op op = Op::stat;
  std::string path;
  /// rename/copy: the destination.
  std::string path2;
  RuleId rule_id{};
  /// The rule's text and the action's ("fail=quota_exceeded").
  std::string rule;
  std::string action;
  /// Which matching call of the rule this was (1-based).
  std::uint64_t call = 0;
  std::thread::id thread;
};

/// "#3 write /db/a.log: fail=quota_exceeded (rule 1 'write /db/*.log nth=3
/// fail=quota_exceeded', call 3, thread 140...)".
[[nodiscard]] std::string to_string(const FaultLogEntry& entry);

class FaultInjector;

/// Removes its rule when destroyed (FaultInjector::scoped). Move-only.
/// Must not outlive the injector.
class ScopedRule {
 public:
  ScopedRule() noexcept = default;
  ScopedRule(FaultInjector& injector, RuleId id) noexcept
      : injector_(&injector), id_(id) {}
  ScopedRule(ScopedRule&& other) noexcept;
  ScopedRule& operator=(ScopedRule&& other) noexcept;
  ScopedRule(const ScopedRule&) = delete;
  ScopedRule& operator=(const ScopedRule&) = delete;
  ~ScopedRule() { reset(); }

  [[nodiscard]] RuleId id() const noexcept { return id_; }
  /// Removes the rule now (idempotent).
  void reset() noexcept;

 private:
  FaultInjector* injector_ = nullptr;
  RuleId id_{};
};

/// A lock held on a path by another owner (FaultInjector::hold_lock), until
/// release() or destruction. Move-only; must not outlive the filesystem.
class LockHold {
 public:
  LockHold() noexcept = default;
  LockHold(LockHold&&) noexcept = default;
  LockHold& operator=(LockHold&& other) noexcept;
  LockHold(const LockHold&) = delete;
  LockHold& operator=(const LockHold&) = delete;
  ~LockHold() { release(); }

  [[nodiscard]] bool held() const noexcept { return file_.is_open(); }
  [[nodiscard]] const std::string& path() const noexcept {
    return file_.path();
  }
  [[nodiscard]] LockMode mode() const noexcept { return mode_; }
  /// Releases the lock and closes the handle (idempotent).
  void release() noexcept;

 private:
  friend class FaultInjector;
  LockHold(File file, LockMode mode) noexcept
      : file_(std::move(file)), mode_(mode) {}
  File file_;
  LockMode mode_ = LockMode::shared;
};

/// The fault injector. See the top of this file.
class FaultInjector final : public FileSystemHook {
 public:
  /// Attaches to `fs`, which must have no hook attached (else throws
  /// filesystem_error, device_or_resource_busy) and must outlive the
  /// injector. Delays use `clock`; null = the MemoryFileSystem's
  /// MemoryOptions::clock, else SystemClock. Reads MEMFS_FAULT_SEED
  /// (fault_rule_error if it is not a number).
  explicit FaultInjector(FileSystem& fs, std::shared_ptr<Clock> clock = {});
  /// Detaches, and restores quotas shrunk by disk_full_after. No operation
  /// may be running on the filesystem.
  ~FaultInjector() override;

  /// Arms a rule; returns its id. Throws fault_rule_error if it can never
  /// match (see validate()).
  ///
  /// ```cpp
  /// memfs::MemoryFileSystem fs;
  /// memfs::FaultInjector faults(fs);
  /// faults.add({memfs::Op::write, "/db/*.log", memfs::Trigger::nth(3),
  ///             memfs::Action::quota_exceeded()});
  /// EXPECT_EQ(faults.rules().size(), 1u);
  /// ```
  RuleId add(const FaultRule& rule);
  /// As above, never throws: on error sets ec and returns RuleId{}.
  RuleId add(const FaultRule& rule, std::error_code& ec) noexcept;
  /// Parses one rule (parse_rule) and arms it.
  ///
  /// ```cpp
  /// memfs::MemoryFileSystem fs;
  /// memfs::FaultInjector faults(fs);
  /// faults.add("reads /data/** probability=0.1 seed=42 corrupt");
  /// ```
  RuleId add(std::string_view text);
  /// Arms a rule for the scope of the returned guard.
  ///
  /// ```cpp
  /// memfs::MemoryFileSystem fs;
  /// memfs::FaultInjector faults(fs);
  /// {
  ///   auto guard = faults.scoped("sync /** always fail=EIO");
  ///   memfs::File f = fs.open("/x", "w");
  ///   EXPECT_THROW(f.sync(), memfs::filesystem_error);  // every sync fails
  /// }                                                   // rule gone
  /// EXPECT_TRUE(faults.rules().empty());
  /// ```
  [[nodiscard]] ScopedRule scoped(const FaultRule& rule);
  [[nodiscard]] ScopedRule scoped(std::string_view text);

  /// Arms every rule in `text` (parse_rules; a "disk_full_after=N" line calls
  /// disk_full_after), all or nothing. Throws fault_rule_error.
  std::vector<RuleId> load(std::string_view text);
  /// load() of the environment variable (nothing if unset or empty). These
  /// rules are the ones describe_log() puts in its MEMFS_FAULTS. A bad rule
  /// throws fault_rule_error (operation "FaultInjector::load_from_env") whose
  /// message() starts with the variable's name: for MEMFS_FAULTS='write /a
  /// once fail=EIO; write /b nht=3 fail=EIO', "MEMFS_FAULTS: rule 2, column
  /// 10: expected a trigger or an action, got 'nht=3' (triggers: ...)".
  ///
  /// ```cpp
  /// memfs::MemoryFileSystem fs;
  /// memfs::FaultInjector faults(fs);
  /// ::setenv("MEMFS_FAULTS",
  ///          "write /db/*.log nth=3 fail=quota_exceeded; "
  ///          "sync /** once fail=EIO",
  ///          1);
  /// EXPECT_EQ(faults.load_from_env().size(), 2u);
  /// ::unsetenv("MEMFS_FAULTS");
  /// ```
  std::vector<RuleId> load_from_env(const char* variable = "MEMFS_FAULTS");

  /// "The disk is full after `bytes` more": on a MemoryFileSystem, shrinks
  /// the quota to used + bytes (restored when the rule is removed), so
  /// writes past it fail with quota_exceeded as a real full disk would, with
  /// the quota numbers; elsewhere, arms "write /** written_exceeds=bytes
  /// fail=quota_exceeded". Either way stats() and space() show the smaller
  /// free space, and every refusal it causes is in log() as a firing of it
  /// (rule "disk_full_after=N", action "fail=quota_exceeded") and counted
  /// in its RuleInfo (a quota shrink counts only its refusals as matches). A
  /// request the unshrunk quota would refuse as well is not its firing.
  ///
  /// ```cpp
  /// memfs::MemoryFileSystem fs;
  /// memfs::FaultInjector faults(fs);
  /// faults.disk_full_after(1 << 20);
  /// EXPECT_EQ(fs.space().available, 1u << 20);  // 1 MiB
  /// ```
  RuleId disk_full_after(std::uint64_t bytes);

  /// Opens `path` as another owner and takes a `mode` lock on it, waiting up
  /// to `timeout` (nullopt = the filesystem default); the code under test
  /// then meets real contention and times out through its own logic. Creates
  /// the file (empty) if missing. The hold's own calls bypass every rule and
  /// the log. Throws as File::lock (lock_timeout_error) and open.
  ///
  /// ```cpp
  /// auto clock = std::make_shared<memfs::ManualClock>();
  /// clock->set_auto_advance(true);
  /// memfs::MemoryOptions options;
  /// options.clock = clock;
  /// memfs::MemoryFileSystem fs(options);
  /// memfs::FaultInjector faults(fs);
  /// auto hold = faults.hold_lock("/LOCK", memfs::LockMode::exclusive);
  /// auto f = fs.open("/LOCK", "r+");
  /// // with a ManualClock on auto-advance, at once
  /// EXPECT_THROW(f.lock(memfs::LockMode::shared, std::chrono::seconds(30)),
  ///              memfs::lock_timeout_error);
  /// ```
  [[nodiscard]] LockHold hold_lock(
      std::string_view path, LockMode mode,
      std::optional<std::chrono::nanoseconds> timeout = std::nullopt);

  /// Disarms a rule; false if no rule has that id.
  bool remove(RuleId id) noexcept;
  /// Disarms every rule (the log and the seed stay).
  void clear() noexcept;
  /// The armed rules, in the order they were added.
  [[nodiscard]] std::vector<RuleInfo> rules() const;

  /// Every firing so far, in sequence order. Keeps the first 100000 entries
  /// and counts the rest in log_dropped().
  [[nodiscard]] std::vector<FaultLogEntry> log() const;
  [[nodiscard]] std::uint64_t log_dropped() const;
  void clear_log();
  /// The seed, the armed rules, the first 100 firings, and a line to replay
  /// the run:
  ///
  ///     memfs fault log: seed 42, 1 firing
  ///     armed rules:
  ///       1: write /db/*.log nth=1 fail=quota_exceeded (1 matching calls,
  ///          1 fired)
  ///     firings:
  ///       #1 write /db/a.log: fail=quota_exceeded (rule 1 ...)
  ///     reproduce with: MEMFS_FAULT_SEED=42 MEMFS_FAULTS='...' <test command>
  ///
  /// MEMFS_FAULTS appears when rules came from load_from_env(), and lists
  /// those (rules the test adds in code are added again by the test itself).
  [[nodiscard]] std::string describe_log() const;

  /// The seed of rules that name none (probability, corrupt).
  [[nodiscard]] std::uint64_t seed() const;
  void set_seed(std::uint64_t seed);

  /// The filesystem this injector is attached to.
  [[nodiscard]] FileSystem& file_system() const noexcept { return fs_; }

  // FileSystemHook.
  [[nodiscard]] Injection before(const OpContext& ctx) override;
  void after_transfer(const OpContext& ctx, const Injection& injection,
                      char* data, std::size_t n) override;
  void after_error(const OpContext& ctx, const ErrorInfo& error) override;
  void adjust_stats(Stats& stats) override;

 private:
  struct State;  // fault_injection/src/injector_state.hpp
  // load() of `text`; `variable` names where it came from (nullptr: code).
  std::vector<RuleId> load_text(std::string_view text, const char* variable);
  // A disk_full_after entry (a quota shrink, or the emulating rule).
  detail::InjectorEntry disk_full_entry(std::uint64_t bytes);
  // Arms prepared entries together; returns their ids.
  std::vector<RuleId> arm(std::vector<detail::InjectorEntry> entries,
                          bool from_env);
  // Appends a firing to the log (state mutex held).
  void record_locked(const OpContext& ctx, const detail::InjectorEntry& entry,
                     std::uint64_t call);
  // Sets a MemoryFileSystem's quota from the active disk_full_after entries.
  void update_quota_locked();

  FileSystem& fs_;
  std::unique_ptr<State> state_;
  // Rules that before() must evaluate; read first, without the mutex.
  std::atomic<std::size_t> armed_{0};
};

}  // namespace memfs
