// What an attached FaultInjector costs on the small-file workload (DESIGN.md
// §9): 300 files x 4 KiB, each written and read back through File handles on
// a MemoryFileSystem (kept across iterations: files are overwritten). Variants:
//   no_hook          nothing attached: the funnel's one pointer test;
//   empty_hook       a hook whose before() returns nothing: what the
//                    funnel itself does once any hook is attached;
//   no_rules         an injector attached, nothing armed: one atomic load;
//   nonmatching_rule an injector with one armed rule that never matches
//                    these paths: the mutex and one glob test per call.
//   paired           no_hook and no_rules on two filesystems, alternating
//                    inside every iteration; the counter no_rules_ratio is
//                    no_rules time / no_hook time from the same moments, so
//                    machine load drifts out of it.
// The target is no_rules / no_hook < 1.02.
//
//   memfs_benchmarks --benchmark_filter=fault_overhead
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "memfs/fault_injection.hpp"

namespace memfs_bench {
namespace {

constexpr std::size_t kFiles = 300;
constexpr std::size_t kFileSize = 4 * kKiB;

enum class Variant { no_hook, empty_hook, no_rules, nonmatching_rule };

// The cheapest possible hook, to separate the funnel's cost from the
// injector's.
class EmptyHook final : public memfs::FileSystemHook {
 public:
  memfs::Injection before(const memfs::OpContext&) override { return {}; }
};

// One filesystem set up for a variant, and the workload on it.
class Subject {
 public:
  explicit Subject(Variant variant)
      : paths_(numbered_paths("/bench/f", kFiles, 5)) {
    if (variant == Variant::empty_hook) fs_.set_hook(&empty_);
    if (variant == Variant::no_rules || variant == Variant::nonmatching_rule) {
      faults_ = std::make_unique<memfs::FaultInjector>(fs_);
    }
    if (variant == Variant::nonmatching_rule) {
      faults_->add("writes,read /elsewhere/** always fail=EIO");
    }
    fs_.create_directories("/bench");
  }
  ~Subject() {
    faults_.reset();
    fs_.set_hook(nullptr);
  }
  Subject(const Subject&) = delete;
  Subject& operator=(const Subject&) = delete;

  void run() {
    const std::string& data = payload(kFileSize);
    for (const std::string& path : paths_) {
      memfs::File out = fs_.open(path, "w");
      if (out.write(data) != data.size())
        throw std::runtime_error("short write");
      out.close();
      memfs::File in = fs_.open(path, "r");
      benchmark::DoNotOptimize(in.read(buffer_.data(), buffer_.size()));
      in.close();
    }
    benchmark::ClobberMemory();
  }

 private:
  memfs::MemoryFileSystem fs_;
  EmptyHook empty_;
  std::unique_ptr<memfs::FaultInjector> faults_;
  std::vector<std::string> paths_;
  std::string buffer_ = std::string(kFileSize, '\0');
};

void small_files(benchmark::State& state, Variant variant) {
  Subject subject(variant);
  for (auto _ : state) subject.run();
  set_rates(state, kFiles, 2 * kFiles * kFileSize);
}

void paired(benchmark::State& state) {
  using Clock = std::chrono::steady_clock;
  Subject bare(Variant::no_hook);
  Subject injected(Variant::no_rules);
  Clock::duration bare_time{}, injected_time{};
  bool bare_first = true;
  for (auto _ : state) {
    // Alternate the order so neither side always runs on a warm cache.
    Subject& first = bare_first ? bare : injected;
    Subject& second = bare_first ? injected : bare;
    const auto t0 = Clock::now();
    first.run();
    const auto t1 = Clock::now();
    second.run();
    const auto t2 = Clock::now();
    bare_time += bare_first ? t1 - t0 : t2 - t1;
    injected_time += bare_first ? t2 - t1 : t1 - t0;
    bare_first = !bare_first;
  }
  state.counters["no_rules_ratio"] =
      static_cast<double>(injected_time.count()) /
      static_cast<double>(bare_time.count());
  set_rates(state, 2 * kFiles, 4 * kFiles * kFileSize);
}

const bool kRegistered = [] {
  add("fault_overhead", "no_hook",
      [](benchmark::State& s) { small_files(s, Variant::no_hook); });
  add("fault_overhead", "empty_hook",
      [](benchmark::State& s) { small_files(s, Variant::empty_hook); });
  add("fault_overhead", "no_rules",
      [](benchmark::State& s) { small_files(s, Variant::no_rules); });
  add("fault_overhead", "nonmatching_rule",
      [](benchmark::State& s) { small_files(s, Variant::nonmatching_rule); });
  add("fault_overhead", "paired", paired);
  return true;
}();

}  // namespace
}  // namespace memfs_bench
