// Real lock contention (FaultInjector::hold_lock), and the RAII guards.
// The hold's own filesystem calls run inside a BypassScope, so no rule counts
// or fails them and they stay out of the log.
#include <utility>

#include "injector_state.hpp"
#include "memfs/backend.hpp"

namespace memfs {
namespace detail {
namespace {
thread_local int t_bypass_depth = 0;
}  // namespace

BypassScope::BypassScope() noexcept { ++t_bypass_depth; }
BypassScope::~BypassScope() { --t_bypass_depth; }
bool BypassScope::active() noexcept { return t_bypass_depth != 0; }

}  // namespace detail

LockHold FaultInjector::hold_lock(
    std::string_view path, LockMode mode,
    std::optional<std::chrono::nanoseconds> timeout) {
  detail::BypassScope bypass;
  // A lock file is usually created by whoever locks it first; create it
  // without truncating if it is missing.
  if (!fs_.exists(path)) fs_.open(path, "a").close();
  // With lock_on_open (either backend) the open itself takes the lock, and
  // lock() then reports resource_deadlock_would_occur: the lock is held.
  OpenOptions options;
  options.lock_timeout = timeout;
  File file = fs_.open(path, mode == LockMode::exclusive ? "r+" : "r", options);
  std::error_code ec;
  file.lock(mode, timeout, ec);
  if (ec && ec != std::errc::resource_deadlock_would_occur) {
    throw_error("lock", file.path(), {}, ErrorInfo().set(ec));
  }
  return LockHold(std::move(file), mode);
}

void LockHold::release() noexcept {
  if (!file_.is_open()) return;
  detail::BypassScope bypass;
  std::error_code ignored;
  file_.close(ignored);
}

LockHold& LockHold::operator=(LockHold&& other) noexcept {
  if (this != &other) {
    release();
    file_ = std::move(other.file_);
    mode_ = other.mode_;
  }
  return *this;
}

ScopedRule::ScopedRule(ScopedRule&& other) noexcept
    : injector_(std::exchange(other.injector_, nullptr)), id_(other.id_) {}

ScopedRule& ScopedRule::operator=(ScopedRule&& other) noexcept {
  if (this != &other) {
    reset();
    injector_ = std::exchange(other.injector_, nullptr);
    id_ = other.id_;
  }
  return *this;
}

void ScopedRule::reset() noexcept {
  if (injector_ != nullptr) std::exchange(injector_, nullptr)->remove(id_);
}

}  // namespace memfs
