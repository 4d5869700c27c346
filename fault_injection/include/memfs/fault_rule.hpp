// memfs/fault_rule.hpp — a fault rule: which operations, which paths, when,
// what.
//
// A FaultRule is a plain value with four parts: an operation set, a path glob,
// a trigger (when a matching call fires) and an action (what firing does).
// FaultInjector (fault_injection.hpp) arms rules on a FileSystem.
//
// ```cpp
// // "the 3rd write to /db/*.log fails with quota exceeded"
// memfs::FaultRule rule{memfs::Op::write, "/db/*.log",
//                       memfs::Trigger::nth(3),
//                       memfs::Action::quota_exceeded()};
// EXPECT_EQ(memfs::to_string(rule),
//           "write /db/*.log nth=3 fail=quota_exceeded");
// EXPECT_EQ(memfs::parse_rule(memfs::to_string(rule)), rule);
// ```
//
// Text form, one rule per line; to_string() prints the canonical form and
// parse_rule() reads it back to an equal rule:
//
//     rule    := ops glob clause...
//     ops     := op[,op...]    op: open read write truncate sync flush close
//                              create remove rename copy stat list lock, or a
//                              group: reads writes metadata all
//     glob    := absolute glob (path.hpp glob_match), "double-quoted" when it
//                holds blanks, '"', ';' or '#' (\" and \\ escape inside quotes)
//     clause  := mode=shared|exclusive                      (open, lock only)
//              | trigger: always | once | nth=N | after=N | every=N
//                | probability=P [seed=N] | file_exceeds=BYTES
//                | written_exceeds=BYTES                  (at most one; default
//                                                          always)
//              | action:  fail=CODE [recover_after=K] | short=BYTES
//                | delay=DURATION | corrupt [seed=N] | crash (exactly one)
//     BYTES   := N, or N with KiB/MiB/GiB       DURATION := N with
//     ns/us/ms/s/min/h CODE    := quota_exceeded | node_limit_exceeded |
//     lock_timeout
//              | injected_fault | memory_guard | an errno name (EIO, EACCES,
//                EROFS, EMFILE, EFBIG, ENOSPC, ...; any case) or its std::errc
//                name (io_error, ...) | generic:N | system:N | memfs:N
//
// Clauses may come in any order, except that seed= and recover_after= modify
// the clause just before them. The canonical form prints ops (groups of
// several ops by name, then single ops), the glob, mode, trigger, action, and
// the largest exact unit for sizes and durations ("1MiB", "30s").
//
// Examples:
//
//     write /db/*.log nth=3 fail=quota_exceeded
//     lock /db/LOCK mode=exclusive nth=2 fail=lock_timeout
//     reads /data/** probability=0.1 seed=42 corrupt
//     writes /** written_exceeds=1MiB fail=quota_exceeded
//     read "/my dir/*.txt" every=2 short=1
//     sync /db/MANIFEST-* once delay=30s
//     open /etc/* always fail=EACCES recover_after=2
//     sync /db/*.log nth=3 crash
//
// Matching: a call matches when its Op is in `ops`, its path (for rename and
// copy: either path) matches `path`, and, with `lock_mode` set, its lock mode
// is that one (lock: the mode asked for; open: shared for read-only modes,
// exclusive otherwise). A glob ending in '/' is for directories: it allows
// only operations that act on directories (create remove rename copy stat
// list).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "memfs/error.hpp"
#include "memfs/file.hpp"
#include "memfs/hook.hpp"

namespace memfs {

/// A set of Op values. Converts from a single Op; combine with `|`:
///
/// ```cpp
/// memfs::OpSet ops = memfs::Op::write | memfs::Op::truncate;
/// EXPECT_TRUE(ops.contains(memfs::Op::write));
/// ```
class OpSet {
 public:
  constexpr OpSet() noexcept = default;
  constexpr OpSet(Op op) noexcept  // NOLINT(google-explicit-constructor)
      : bits_(1u << static_cast<unsigned>(op)) {}

  /// "reads": read.
  [[nodiscard]] static constexpr OpSet reads() noexcept { return Op::read; }
  /// "writes": write, truncate, sync, flush.
  [[nodiscard]] static constexpr OpSet writes() noexcept {
    return from_bits(bit(Op::write) | bit(Op::truncate) | bit(Op::sync) |
                     bit(Op::flush));
  }
  /// "metadata": create, remove, rename, copy, stat, list.
  [[nodiscard]] static constexpr OpSet metadata() noexcept {
    return from_bits(bit(Op::create) | bit(Op::remove) | bit(Op::rename) |
                     bit(Op::copy) | bit(Op::stat) | bit(Op::list));
  }
  /// "all": every Op.
  [[nodiscard]] static constexpr OpSet all() noexcept {
    return from_bits((1u << kOpCount) - 1);
  }
  /// The set whose members are the set bits (bit i = Op value i).
  [[nodiscard]] static constexpr OpSet from_bits(std::uint32_t bits) noexcept {
    OpSet s;
    s.bits_ = bits & ((1u << kOpCount) - 1);
    return s;
  }

  [[nodiscard]] constexpr bool contains(Op op) const noexcept {
    return (bits_ & bit(op)) != 0;
  }
  [[nodiscard]] constexpr bool empty() const noexcept { return bits_ == 0; }
  /// True when every member of *this is in `other`.
  [[nodiscard]] constexpr bool subset_of(OpSet other) const noexcept {
    return (bits_ & ~other.bits_) == 0;
  }
  [[nodiscard]] constexpr std::uint32_t bits() const noexcept { return bits_; }

  friend constexpr OpSet operator|(OpSet a, OpSet b) noexcept {
    return from_bits(a.bits_ | b.bits_);
  }
  friend constexpr OpSet operator&(OpSet a, OpSet b) noexcept {
    return from_bits(a.bits_ & b.bits_);
  }
  friend constexpr bool operator==(OpSet a, OpSet b) noexcept {
    return a.bits_ == b.bits_;
  }
  friend constexpr bool operator!=(OpSet a, OpSet b) noexcept {
    return a.bits_ != b.bits_;
  }

 private:
  static constexpr std::uint32_t bit(Op op) noexcept {
    return 1u << static_cast<unsigned>(op);
  }
  std::uint32_t bits_ = 0;
};

/// `Op::read | Op::write` builds an OpSet.
[[nodiscard]] constexpr OpSet operator|(Op a, Op b) noexcept {
  return OpSet(a) | OpSet(b);
}

/// When a matching call fires. Counts are per rule, 1-based, and count every
/// matching call (fired or not), from the moment the rule is armed.
struct Trigger {
  enum class Kind {
    always,           ///< every matching call
    once,             ///< the first matching call only
    nth,              ///< the count-th matching call only
    after,            ///< every matching call after the first `count`
    every,            ///< matching calls count, 2*count, 3*count, ...
    probability,      ///< each matching call with probability `chance`
    file_exceeds,     ///< a write/truncate that would leave the file larger
                      ///< than `count` bytes
    written_exceeds,  ///< once more than `count` bytes have been written to
                      ///< the filesystem since the rule was armed (a write
                      ///< counts its own bytes too)
  };

  Kind kind = Kind::always;
  /// N of nth/after/every; the byte threshold of file_/written_exceeds.
  std::uint64_t count = 0;
  /// The probability in (0, 1] of Kind::probability.
  double chance = 0;
  /// probability: the seed; nullopt = the injector's seed (FaultInjector::
  /// seed()). The decision for a call is a hash of (seed, the rule's text
  /// without seeds, path, the call's index among this rule's matching calls
  /// on that path), so it does not depend on what other threads do to other
  /// paths, nor on the order rules were added in.
  std::optional<std::uint64_t> seed;

  [[nodiscard]] static Trigger always() noexcept { return {}; }
  [[nodiscard]] static Trigger once() noexcept { return make(Kind::once, 0); }
  /// nth(3): the third matching call. nth(0) is rejected.
  [[nodiscard]] static Trigger nth(std::uint64_t n) noexcept {
    return make(Kind::nth, n);
  }
  /// after(2): the third matching call and every one after it.
  [[nodiscard]] static Trigger after(std::uint64_t n) noexcept {
    return make(Kind::after, n);
  }
  /// every(2): the 2nd, 4th, 6th... matching call. every(0) is rejected.
  [[nodiscard]] static Trigger every(std::uint64_t n) noexcept {
    return make(Kind::every, n);
  }
  /// probability(0.1, 42): each matching call with chance 0.1, seeded.
  [[nodiscard]] static Trigger probability(
      double p, std::optional<std::uint64_t> seed = std::nullopt) noexcept {
    Trigger t = make(Kind::probability, 0);
    t.chance = p;
    t.seed = seed;
    return t;
  }
  /// file_exceeds(1 << 20): a write or truncate taking the file past 1 MiB.
  [[nodiscard]] static Trigger file_exceeds(std::uint64_t bytes) noexcept {
    return make(Kind::file_exceeds, bytes);
  }
  /// written_exceeds(1 << 20): calls once 1 MiB more has been written.
  [[nodiscard]] static Trigger written_exceeds(std::uint64_t bytes) noexcept {
    return make(Kind::written_exceeds, bytes);
  }

  friend bool operator==(const Trigger& a, const Trigger& b) noexcept {
    return a.kind == b.kind && a.count == b.count && a.chance == b.chance &&
           a.seed == b.seed;
  }
  friend bool operator!=(const Trigger& a, const Trigger& b) noexcept {
    return !(a == b);
  }

 private:
  static Trigger make(Kind kind, std::uint64_t count) noexcept {
    Trigger t;
    t.kind = kind;
    t.count = count;
    return t;
  }
};

/// What a firing does. The injected failure is clean: the filesystem asks
/// before doing anything, so a failed call changes nothing, and a short
/// transfer moves exactly the bytes it reports.
struct Action {
  enum class Kind {
    fail,               ///< the call fails with `code`
    short_transfer,     ///< a read/write moves at most `bytes` bytes
    delay,              ///< the call waits `duration` (on the injector's
                        ///< Clock), then runs normally
    corrupt,            ///< a read returns its bytes with exactly one byte
                        ///< changed (position and value from `seed`, path
                        ///< and offset)
    fail_then_recover,  ///< the first `times` firings fail with `code`; later
                        ///< ones pass untouched (and are not logged)
    crash,              ///< a power cut before the call: throws CrashSignal
  };

  Kind kind = Kind::fail;
  std::error_code code;
  std::uint64_t bytes = 0;
  std::chrono::nanoseconds duration{0};
  /// corrupt: the seed; nullopt = the injector's seed.
  std::optional<std::uint64_t> seed;
  /// fail_then_recover: how many firings fail.
  std::uint64_t times = 0;

  /// Fails with any error_code (an empty one is rejected).
  [[nodiscard]] static Action fail(std::error_code ec) noexcept {
    Action a;
    a.code = ec;
    return a;
  }
  [[nodiscard]] static Action fail(std::errc e) noexcept {
    return fail(std::make_error_code(e));
  }
  [[nodiscard]] static Action fail(errc e) noexcept {
    return fail(make_error_code(e));
  }
  /// memfs::errc::quota_exceeded (also == std::errc::no_space_on_device).
  [[nodiscard]] static Action quota_exceeded() noexcept {
    return fail(errc::quota_exceeded);
  }
  [[nodiscard]] static Action node_limit_exceeded() noexcept {
    return fail(errc::node_limit_exceeded);
  }
  /// memfs::errc::lock_timeout, at once, without waiting.
  [[nodiscard]] static Action lock_timeout() noexcept {
    return fail(errc::lock_timeout);
  }
  /// EIO.
  [[nodiscard]] static Action io_error() noexcept {
    return fail(std::errc::io_error);
  }
  /// EACCES.
  [[nodiscard]] static Action permission_denied() noexcept {
    return fail(std::errc::permission_denied);
  }
  /// EROFS.
  [[nodiscard]] static Action read_only_file_system() noexcept {
    return fail(std::errc::read_only_file_system);
  }
  /// EMFILE.
  [[nodiscard]] static Action too_many_files_open() noexcept {
    return fail(std::errc::too_many_files_open);
  }
  /// EFBIG.
  [[nodiscard]] static Action file_too_large() noexcept {
    return fail(std::errc::file_too_large);
  }
  /// A short read or write of at most k bytes (reads and writes only).
  [[nodiscard]] static Action short_transfer(std::uint64_t k) noexcept {
    Action a;
    a.kind = Kind::short_transfer;
    a.bytes = k;
    return a;
  }
  /// delay(std::chrono::milliseconds(10)).
  [[nodiscard]] static Action delay(std::chrono::nanoseconds d) noexcept {
    Action a;
    a.kind = Kind::delay;
    a.duration = d;
    return a;
  }
  /// Corrupts what a read returns (reads only).
  [[nodiscard]] static Action corrupt(
      std::optional<std::uint64_t> seed = std::nullopt) noexcept {
    Action a;
    a.kind = Kind::corrupt;
    a.seed = seed;
    return a;
  }
  /// fail_then_recover(EIO, 2): the first two firings fail, then calls pass.
  [[nodiscard]] static Action fail_then_recover(std::error_code ec,
                                                std::uint64_t k) noexcept {
    Action a = fail(ec);
    a.kind = Kind::fail_then_recover;
    a.times = k;
    return a;
  }

  /// A power cut just before the matching call (crash.hpp): the call throws
  /// memfs::CrashSignal carrying the filesystem as the crash left it (the
  /// strictest CrashOptions), or a null one unless the injector's filesystem
  /// is a MemoryFileSystem with track_durability. The call and the workload
  /// stop there; check_crash_points() catches the signal. An operation's
  /// error_code form cannot throw it and reports io_error instead.
  ///
  /// ```cpp
  /// // "crash after the 2nd sync of a log": the 3rd sync never runs
  /// memfs::FaultRule rule = memfs::parse_rule("sync /db/*.log nth=3 crash");
  /// EXPECT_EQ(rule.action, memfs::Action::crash());
  /// EXPECT_EQ(memfs::to_string(rule), "sync /db/*.log nth=3 crash");
  /// ```
  /// (tests/crash/crash_action_test.cpp runs it on a workload.)
  [[nodiscard]] static Action crash() noexcept {
    Action a;
    a.kind = Kind::crash;
    return a;
  }

  friend bool operator==(const Action& a, const Action& b) noexcept {
    return a.kind == b.kind && a.code == b.code && a.bytes == b.bytes &&
           a.duration == b.duration && a.seed == b.seed && a.times == b.times;
  }
  friend bool operator!=(const Action& a, const Action& b) noexcept {
    return !(a == b);
  }
};

/// A fault rule. See the top of this file.
struct FaultRule {
  /// An empty rule (no ops: validate() rejects it until filled in).
  FaultRule() = default;
  /// `{Op::write, "/db/*.log", Trigger::nth(3), Action::quota_exceeded()}`.
  FaultRule(OpSet operations, std::string glob, Trigger when, Action what,
            std::optional<LockMode> mode = std::nullopt)
      : ops(operations),
        path(std::move(glob)),
        trigger(when),
        action(what),
        lock_mode(mode) {}

  OpSet ops;
  /// An absolute glob (glob_match in path.hpp), kept as written; it is
  /// normalized (`\` read as `/`, `//` and `.` collapsed) when armed.
  std::string path;
  Trigger trigger;
  Action action;
  /// open/lock only: match calls with this lock mode only.
  std::optional<LockMode> lock_mode;

  friend bool operator==(const FaultRule& a, const FaultRule& b) noexcept {
    return a.ops == b.ops && a.path == b.path && a.trigger == b.trigger &&
           a.action == b.action && a.lock_mode == b.lock_mode;
  }
  friend bool operator!=(const FaultRule& a, const FaultRule& b) noexcept {
    return !(a == b);
  }
};

/// Canonical text forms ("reads,writes", "nth=3", "fail=EIO", a whole rule).
[[nodiscard]] std::string to_string(OpSet ops);
[[nodiscard]] std::string to_string(const Trigger& trigger);
[[nodiscard]] std::string to_string(const Action& action);
[[nodiscard]] std::string to_string(const FaultRule& rule);
/// The CODE of the text form: "quota_exceeded", "EIO", "system:5".
[[nodiscard]] std::string error_code_name(std::error_code ec);

/// Thrown for text that does not parse and for rules that can never match.
/// code() is std::errc::invalid_argument; message() says where, what was
/// expected, and quotes the offending text as written; what() adds the
/// operation and the rule text. For parse_rule("write /db/*.log nht=3
/// fail=EIO"), message() is
///
///     column 17: expected a trigger or an action, got 'nht=3' (triggers:
///     always, once, nth=N, after=N, every=N, probability=P,
///     file_exceeds=BYTES, written_exceeds=BYTES; actions: fail=CODE,
///     short=BYTES, delay=DURATION, corrupt; or mode=shared|exclusive)
class fault_rule_error : public filesystem_error {
 public:
  fault_rule_error(std::string_view operation, std::string_view message,
                   std::string_view text);
  /// The explanation alone, without the operation and the rule text.
  [[nodiscard]] const std::string& message() const noexcept { return message_; }

 private:
  std::string message_;
};

/// Parses one rule (surrounding blanks allowed) and validates it.
/// Throws fault_rule_error.
///
/// ```cpp
/// auto rule = memfs::parse_rule("lock /db/LOCK nth=2 fail=lock_timeout");
/// EXPECT_EQ(rule.trigger, memfs::Trigger::nth(2));
/// ```
[[nodiscard]] FaultRule parse_rule(std::string_view text);
/// As above; on error sets `ec` (invalid_argument; not_enough_memory when
/// an allocation failed), stores the explanation in *message if given, and
/// returns a default FaultRule.
[[nodiscard]] FaultRule parse_rule(std::string_view text, std::error_code& ec,
                                   std::string* message = nullptr) noexcept;

/// Parses rules separated by newlines or ';' (blank parts and '#' comments
/// to the end of a line are skipped), as in MEMFS_FAULTS. Errors name the
/// rule's number: parse_rules("write /a once fail=EIO; write /b fial=EIO")
/// throws with a message() that starts "rule 2, column 10: expected a
/// trigger or an action, got 'fial=EIO'". Throws fault_rule_error.
///
/// ```cpp
/// auto rules = memfs::parse_rules("write /a once fail=EIO; read /b corrupt");
/// EXPECT_EQ(rules.size(), 2u);
/// ```
[[nodiscard]] std::vector<FaultRule> parse_rules(std::string_view text);

/// Checks that a rule can ever match and fire. Returns an empty error_code,
/// or std::errc::invalid_argument with the reason in *message, for:
///   - an empty op set;
///   - a path glob that is empty, holds NUL, is not absolute, or has a ".."
///     component (normalized paths never contain one);
///   - a directory-only glob (ending in '/', or "/" itself) with an op that
///     acts on files only (open read write truncate flush close lock; sync
///     acts on directories too, through FileSystem::sync_directory);
///   - lock_mode with ops other than open and lock;
///   - nth=0, every=0, a probability outside (0, 1];
///   - file_exceeds with ops other than write and truncate;
///   - fail with no error, recover_after=0, short with ops other than read
///     and write, corrupt with ops other than read, a negative delay.
[[nodiscard]] std::error_code validate(const FaultRule& rule,
                                       std::string* message = nullptr);

}  // namespace memfs
