// check_crash_points: a hook records the workload's durability-relevant
// operations and, before each one runs (that is, right after the previous one),
// takes the crash states of that point; the recovery check runs afterwards,
// outside the workload, in point order.
#include <string>
#include <utility>
#include <vector>

#include "memfs/crash.hpp"
#include "memfs/hook.hpp"
#include "memfs/memory_file_system.hpp"

namespace memfs {
namespace {

bool creates(std::string_view mode) {
  return mode.find_first_of("wax") != std::string_view::npos;
}

bool relevant(const OpContext& ctx) {
  switch (ctx.op) {
    case Op::write:
    case Op::truncate:
    case Op::sync:
    case Op::create:
    case Op::remove:
    case Op::rename:
    case Op::copy:
      return true;
    case Op::open:
      return creates(ctx.mode);
    default:
      return false;
  }
}

std::string describe(const OpContext& ctx) {
  std::string line(op_name(ctx.op));
  line += ' ';
  line += ctx.path;
  switch (ctx.op) {
    case Op::write:
      line +=
          " @" + std::to_string(ctx.offset) + "+" + std::to_string(ctx.length);
      break;
    case Op::truncate:
      line += " to " + std::to_string(ctx.length);
      break;
    case Op::rename:
    case Op::copy:
      line += " -> ";
      line += ctx.path2;
      break;
    case Op::open:
      line += " (";
      line += ctx.mode;
      line += ')';
      break;
    default:
      break;
  }
  return line;
}

// What current_crash_point() answers on this thread.
thread_local const std::vector<std::string>* t_log =
    nullptr;                              // in the workload
thread_local std::size_t t_checking = 0;  // in a check

// Sets a thread-local for a scope.
template <class T>
class ThreadScope {
 public:
  ThreadScope(T& slot, T value) : slot_(slot), old_(slot) { slot = value; }
  ~ThreadScope() { slot_ = old_; }
  ThreadScope(const ThreadScope&) = delete;
  ThreadScope& operator=(const ThreadScope&) = delete;

 private:
  T& slot_;
  T old_;
};

struct State {
  std::size_t point = 0;
  std::size_t index = 0;
  std::uint64_t seed = 0;
  std::shared_ptr<MemoryFileSystem> fs;
};

// Takes the crash states before each relevant operation, then hands the
// operation on to the hook that was attached before it.
class PointRecorder final : public FileSystemHook {
 public:
  PointRecorder(MemoryFileSystem& fs, FileSystemHook* next,
                const CrashPointOptions& options)
      : fs_(fs), next_(next), options_(options) {}

  Injection before(const OpContext& ctx) override {
    if (relevant(ctx)) {
      take_point();
      log_.push_back(describe(ctx));
      last_was_sync_ = ctx.op == Op::sync;
    }
    return next_ != nullptr && next_->active() ? next_->before(ctx)
                                               : Injection{};
  }
  void after_transfer(const OpContext& ctx, const Injection& injection,
                      char* data, std::size_t n) override {
    if (next_ != nullptr) next_->after_transfer(ctx, injection, data, n);
  }
  void after_error(const OpContext& ctx, const ErrorInfo& error) override {
    if (next_ != nullptr) next_->after_error(ctx, error);
  }
  void adjust_stats(Stats& stats) override {
    if (next_ != nullptr) next_->adjust_stats(stats);
  }

  // The point after the last operation (unless it was taken already).
  void take_point() {
    const std::size_t point = log_.size();
    if (point == taken_ || points_ >= options_.max_points) return;
    if (options_.only_syncs && point != 0 && !last_was_sync_) return;
    taken_ = point;
    ++points_;
    for (std::size_t i = 0; i < options_.states.size(); ++i) {
      CrashOptions o = options_.states[i];
      o.seed += point;
      states_.push_back(
          {point, i, o.seed,
           std::shared_ptr<MemoryFileSystem>(fs_.crash_clone(o))});
    }
  }

  std::vector<std::string>& log() { return log_; }
  std::vector<State>& states() { return states_; }
  [[nodiscard]] std::size_t points() const { return points_; }

 private:
  MemoryFileSystem& fs_;
  FileSystemHook* next_;
  const CrashPointOptions& options_;
  std::vector<std::string> log_;
  std::vector<State> states_;
  std::size_t taken_ = static_cast<std::size_t>(-1);
  std::size_t points_ = 0;
  bool last_was_sync_ = false;
};

// Puts the previous hook back however the workload ends.
class HookSwap {
 public:
  HookSwap(FileSystem& fs, FileSystemHook* hook) : fs_(fs), old_(fs.hook()) {
    fs.set_hook(hook);
  }
  ~HookSwap() { fs_.set_hook(old_); }
  HookSwap(const HookSwap&) = delete;
  HookSwap& operator=(const HookSwap&) = delete;

 private:
  FileSystem& fs_;
  FileSystemHook* old_;
};

// An exact copy of a crashed (fully durable) filesystem.
std::shared_ptr<MemoryFileSystem> copy_of(const MemoryFileSystem& fs) {
  CrashOptions exact;
  exact.unsynced_data = UnsyncedData::keep;
  exact.keep_unsynced_entries = true;
  return fs.crash_clone(exact);
}

std::string run_check(const RecoveryCheck& check, MemoryFileSystem& fs) {
  try {
    return check(fs);
  } catch (const std::exception& e) {
    return std::string("threw: ") + e.what();
  }
}

}  // namespace

CrashPointReport check_crash_points(
    MemoryFileSystem& fs, const std::function<void(FileSystem&)>& workload,
    const RecoveryCheck& check, const CrashPointOptions& options) {
  if (!fs.tracks_durability()) {
    throw filesystem_error("check_crash_points",
                           "the filesystem does not track durability "
                           "(MemoryOptions::track_durability)",
                           "/",
                           std::make_error_code(std::errc::invalid_argument));
  }
  CrashPointReport report;
  PointRecorder recorder(fs, fs.hook(), options);
  {
    HookSwap swap(fs, &recorder);
    ThreadScope<const std::vector<std::string>*> in_workload(t_log,
                                                             &recorder.log());
    try {
      workload(fs);
      recorder.take_point();
    } catch (const CrashSignal& crash) {
      report.crashed_by = crash.what();
    }
  }
  report.log = std::move(recorder.log());
  report.points_checked = recorder.points();
  for (State& state : recorder.states()) {
    ++report.states_checked;
    auto copy = report.failures.empty() ? copy_of(*state.fs) : nullptr;
    ThreadScope<std::size_t> in_check(t_checking, state.point);
    std::string message = run_check(check, *state.fs);
    if (message.empty()) continue;
    if (report.failures.empty()) report.first_failure_tree = std::move(copy);
    report.failures.push_back(
        {state.point, state.index, state.seed, std::move(message)});
  }
  return report;
}

std::size_t current_crash_point() noexcept {
  return t_log != nullptr ? t_log->size() : t_checking;
}

CrashPointReport check_crash_points(
    const std::function<void(FileSystem&)>& workload,
    const RecoveryCheck& check, const CrashPointOptions& options,
    MemoryOptions memory) {
  memory.track_durability = true;
  MemoryFileSystem fs(std::move(memory));
  return check_crash_points(fs, workload, check, options);
}

CrashPointReport report_crash_points(
    const std::function<void(FileSystem&)>& workload,
    const RecoveryCheck& check, const CrashPointOptions& options,
    MemoryOptions memory, const std::function<void(const std::string&)>& fail,
    const std::function<FileSystem&()>& snapshot) {
  CrashPointReport report =
      check_crash_points(workload, check, options, std::move(memory));
  for (std::size_t i = 0; i < report.failures.size(); ++i)
    fail(report.failure_message(i));
  if (!report.passed()) report.export_first_failure(snapshot());
  return report;
}

std::string CrashPointReport::failure_message(std::size_t i) const {
  const CrashPointFailure& f = failures.at(i);
  if (i == 0) return describe();
  return "crash point " + std::to_string(f.point) + " (state " +
         std::to_string(f.state) + ", seed " + std::to_string(f.seed) +
         ") failed: " + f.message;
}

void CrashPointReport::export_first_failure(FileSystem& into) const {
  if (first_failure_tree == nullptr) return;
  for (const std::string& name : into.list("/")) into.remove_all("/" + name);
  into.import_tree(first_failure_tree->export_tree());
}

std::string CrashPointReport::describe() const {
  const std::size_t total = states_checked;
  if (failures.empty()) {
    return "all " + std::to_string(total) + " crash states of " +
           std::to_string(points_checked) + " crash points passed (" +
           std::to_string(log.size()) + " operations)\n";
  }
  const CrashPointFailure& f = failures.front();
  std::string out = "crash point " + std::to_string(f.point) + " of " +
                    std::to_string(log.size()) + " (state " +
                    std::to_string(f.state) + ", seed " +
                    std::to_string(f.seed) + ") failed: " + f.message + "\n";
  out += "operations up to the crash:\n";
  for (std::size_t i = 0; i < f.point && i < log.size(); ++i) {
    out += "  " + std::to_string(i + 1) + " " + log[i] + "\n";
  }
  out += "--- crash ---\n";
  if (!crashed_by.empty()) out += crashed_by + "\n";
  out += std::to_string(failures.size()) + " of " + std::to_string(total) +
         " crash states failed\n";
  return out;
}

}  // namespace memfs
