// Helpers of the stream tests: a scripted hook that injects faults into any
// backend (so quota, lock and I/O failures can be tested on disk too), and
// deterministic test data.
//
// The suites run on every backend of the conformance suite
// (tests/core/backend.hpp, linked into this binary by tests/CMakeLists.txt):
//
//     class MyStreamTest : public memfs::test::BackendTest {};
//     MEMFS_INSTANTIATE_CONFORMANCE(MyStreamTest);
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <system_error>
#include <utility>

#include <gtest/gtest.h>

#include "core/backend.hpp"
#include "memfs/file_system.hpp"
#include "memfs/hook.hpp"

namespace memfs::test {

/// A hook that asks a function what to inject, attached for its lifetime.
///
///     ScopedHook hook(fs(), fail_writes_past(100,
///     memfs::errc::quota_exceeded));
class ScopedHook final : public FileSystemHook {
 public:
  using Rule = std::function<Injection(const OpContext&)>;

  ScopedHook(FileSystem& fs, Rule rule) : fs_(fs), rule_(std::move(rule)) {
    fs_.set_hook(this);
  }
  ~ScopedHook() override { fs_.set_hook(nullptr); }

  Injection before(const OpContext& ctx) override { return rule_(ctx); }

 private:
  FileSystem& fs_;
  Rule rule_;
};

/// Fails every `op` with `ec` while `*armed` is true.
inline ScopedHook::Rule fail_while(Op op, const bool* armed,
                                   std::error_code ec) {
  return [op, armed, ec](const OpContext& ctx) {
    Injection injection;
    if (ctx.op == op && *armed) injection.error = ec;
    return injection;
  };
}

/// Fails every `op` with `ec`.
inline ScopedHook::Rule fail_always(Op op, std::error_code ec) {
  return [op, ec](const OpContext& ctx) {
    Injection injection;
    if (ctx.op == op) injection.error = ec;
    return injection;
  };
}

/// A disk that fills up: a write that would take its file past `limit` bytes
/// fails whole with `ec` (quota_exceeded by default).
inline ScopedHook::Rule fail_writes_past(
    std::uint64_t limit,
    std::error_code ec = make_error_code(errc::quota_exceeded)) {
  return [limit, ec](const OpContext& ctx) {
    Injection injection;
    if (ctx.op == Op::write && ctx.offset + ctx.length > limit) {
      injection.error = ec;
    }
    return injection;
  };
}

/// Every write moves at most `k` bytes (a short write).
inline ScopedHook::Rule short_writes(std::uint64_t k) {
  return [k](const OpContext& ctx) {
    Injection injection;
    if (ctx.op == Op::write) injection.limit = k;
    return injection;
  };
}

/// `n` bytes of deterministic, non-repeating-looking data (all 256 values,
/// newlines and NULs included).
inline std::string pattern(std::size_t n, std::uint32_t seed = 1) {
  std::string s(n, '\0');
  std::uint32_t x = seed * 2654435761u + 12345u;
  for (auto& c : s) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x & 0xffu);
  }
  return s;
}

/// The calls of a differential test (a real FILE* or std stream on /dev/shm
/// and memfs's doing the same thing), for its report.
///
///     CallLog log;
///     std::string d = log.record("ftell", "50016", "50010");
///     // d: "ftell: real gave [50016], memfs gave [50010]" + the last calls
class CallLog {
 public:
  /// Records `what` with each side's outcome. Returns "" when they are equal,
  /// else the divergence followed by the recent calls.
  std::string record(const std::string& what, const std::string& real,
                     const std::string& mem) {
    history_.push_back(what + " -> " + real);
    if (history_.size() > 30) history_.pop_front();
    if (real == mem) return {};
    std::string d =
        report(what + ": real gave [" + real + "], memfs gave [" + mem + "]");
    if (first_.empty()) first_ = d;
    return d;
  }

  /// `divergence` followed by the recent calls (with the real outcomes).
  [[nodiscard]] std::string report(const std::string& divergence) const {
    std::string s = divergence + "\nlast calls (real outcome):\n";
    for (const std::string& line : history_) s += "  " + line + "\n";
    return s;
  }

  /// The first divergence recorded ("" if none).
  [[nodiscard]] const std::string& first_divergence() const { return first_; }

 private:
  std::deque<std::string> history_;
  std::string first_;
};

/// Success when `divergence` is empty, else a failure that prints it:
/// EXPECT_TRUE(same(twin.call(...))).
inline ::testing::AssertionResult same(const std::string& divergence) {
  if (divergence.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << divergence;
}

}  // namespace memfs::test
