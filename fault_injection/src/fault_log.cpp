// The fault log and its report: what fired, with which seed, and the
// command line that replays the run.
#include <algorithm>
#include <sstream>
#include <string>

#include "injector_state.hpp"
#include "shared/shell_quote.hpp"

namespace memfs {
namespace {

std::string thread_name(std::thread::id id) {
  std::ostringstream out;
  out << id;
  return out.str();
}

}  // namespace

std::string to_string(const FaultLogEntry& e) {
  std::string out = "#" + std::to_string(e.sequence) + " " +
                    std::string(op_name(e.op)) + " " + e.path;
  if (!e.path2.empty()) out += " -> " + e.path2;
  out += ": " + e.action + " (rule " +
         std::to_string(static_cast<std::uint64_t>(e.rule_id)) + " '" + e.rule +
         "', call " + std::to_string(e.call) + ", thread " +
         thread_name(e.thread) + ")";
  return out;
}

std::vector<FaultLogEntry> FaultInjector::log() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->log;
}

std::uint64_t FaultInjector::log_dropped() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->dropped;
}

void FaultInjector::clear_log() {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->log.clear();
  state_->dropped = 0;
}

std::string FaultInjector::describe_log() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  const State& s = *state_;
  const std::uint64_t firings = s.log.size() + s.dropped;
  std::string out = "memfs fault log: seed " + std::to_string(s.seed) + ", " +
                    std::to_string(firings) +
                    (firings == 1 ? " firing\n" : " firings\n");
  if (!s.entries.empty()) out += "armed rules:\n";
  for (const auto& e : s.entries) {
    out += "  " + std::to_string(static_cast<std::uint64_t>(e.id)) + ": " +
           e.text + " (" + std::to_string(e.matches) + " matching calls, " +
           std::to_string(e.fired) + " fired)\n";
  }
  const std::size_t shown = std::min(s.log.size(), detail::kDescribeLimit);
  if (firings != 0) out += "firings:\n";
  for (std::size_t i = 0; i < shown; ++i) {
    out += "  " + to_string(s.log[i]) + "\n";
  }
  if (firings > shown) {
    out += "  ... " + std::to_string(firings - shown) +
           " more firings (see FaultInjector::log())\n";
  }
  out += "reproduce with: MEMFS_FAULT_SEED=" + std::to_string(s.seed);
  if (!s.env_rules.empty()) {
    std::string rules;
    for (const auto& text : s.env_rules) {
      rules += (rules.empty() ? "" : "; ") + text;
    }
    out += " MEMFS_FAULTS=" + detail::shell_quote(rules);
  }
  out += " <test command>\n";
  return out;
}

}  // namespace memfs
