// The functions the wrappers stand in for, found with dlsym(RTLD_NEXT), and
// the per-thread recursion guard. Everything here is usable before main and
// from inside libc: no allocation on the fast path, constant-initialised
// state only.
#pragma once

#include <dlfcn.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <type_traits>

namespace memfs::idetail {

/// Depth of wrappers currently serving a memfs call on this thread. Calls made
/// while it is non-zero (memfs's own work, dlsym) go straight to libc.
/// initial-exec: no allocation and no call into the dynamic loader on access.
inline thread_local int t_depth __attribute__((tls_model("initial-exec"))) = 0;

/// Holds the recursion guard for a scope.
struct Guard {
  Guard() noexcept { ++t_depth; }
  ~Guard() { --t_depth; }
  Guard(const Guard&) = delete;
  Guard& operator=(const Guard&) = delete;
};

/// Resolves `name` with dlsym(RTLD_NEXT) into `slot` (next_fn's slow path,
/// out of line so that the wrappers' pass-through stays a load and a call).
/// dlsym may allocate or take locks, so a call that re-enters while
/// resolving gets nullptr rather than recursing (one flag per Fn, as each
/// name has its own).
template <class Fn>
[[gnu::noinline, gnu::cold]] void* resolve_next(
    const char* name, std::atomic<void*>& slot) noexcept {
  static thread_local bool resolving
      __attribute__((tls_model("initial-exec"))) = false;
  if (resolving) return nullptr;
  resolving = true;
  ++t_depth;
  void* p = dlsym(RTLD_NEXT, name);
  --t_depth;
  resolving = false;
  slot.store(p, std::memory_order_release);
  return p;
}

/// The next definition of `name` after the executable's (libc's, or a
/// sanitizer's interceptor, which calls libc). Resolved once and cached in
/// `slot`.
template <class Fn>
Fn next_fn(const char* name, std::atomic<void*>& slot) noexcept {
  void* p = slot.load(std::memory_order_acquire);
  if (__builtin_expect(p == nullptr, 0)) p = resolve_next<Fn>(name, slot);
  Fn fn;
  static_assert(sizeof fn == sizeof p);
  std::memcpy(&fn, &p, sizeof fn);
  return fn;
}

/// Calls `fn` with `args`; when it could not be resolved, fails with ENOSYS
/// and returns -1 (or nullptr for functions returning a pointer).
template <class Fn, class... A>
auto call_next(Fn fn, A... args) noexcept -> decltype(fn(args...)) {
  using R = decltype(fn(args...));
  if (__builtin_expect(fn == nullptr, 0)) {
    errno = ENOSYS;
    if constexpr (std::is_pointer_v<R>) {
      return nullptr;
    } else {
      return static_cast<R>(-1);
    }
  }
  return fn(args...);
}

}  // namespace memfs::idetail

/// The next definition of the libc function `name`, e.g. MEMFS_NEXT(open).
#define MEMFS_NEXT_T(type, name)                                        \
  (::memfs::idetail::next_fn<type>(#name, []() -> std::atomic<void*>& { \
    static std::atomic<void*> s{nullptr};                               \
    return s;                                                           \
  }()))
#define MEMFS_NEXT(name) MEMFS_NEXT_T(decltype(&::name), name)
/// Calls the next `name` with the arguments (ENOSYS if it is missing).
#define MEMFS_PASS(name, ...) \
  ::memfs::idetail::call_next(MEMFS_NEXT(name), __VA_ARGS__)
#define MEMFS_PASS_T(type, name, ...) \
  ::memfs::idetail::call_next(MEMFS_NEXT_T(type, name), __VA_ARGS__)
