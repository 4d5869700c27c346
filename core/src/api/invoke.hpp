// Internal: the two calling conventions of every public operation.
//
// Each operation is written once as a function of ErrorInfo&; these adapters
// turn it into the throwing form (throw_error on failure) and the
// std::error_code form (never throws: allocation failures become
// not_enough_memory).
#pragma once

#include <new>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

#include "memfs/backend.hpp"
#include "memfs/error.hpp"
#include "shared/exception_code.hpp"

namespace memfs::detail {

// run_throwing's value case, a function of its own: a named result inside
// an `if constexpr` branch of a decltype(auto) function is moved out (GCC 12
// and clang 14 elide no copy there); here it is constructed in place.
template <class R, class F>
R run_throwing_value(std::string_view op, std::string_view path1,
                     std::string_view path2, F&& f) {
  ErrorInfo err;
  R result = std::forward<F>(f)(err);
  if (err) throw_error(op, path1, path2, err);
  return result;
}

template <class F>
decltype(auto) run_throwing(std::string_view op, std::string_view path1,
                            std::string_view path2, F&& f) {
  using R = std::invoke_result_t<F, ErrorInfo&>;
  if constexpr (std::is_void_v<R>) {
    ErrorInfo err;
    std::forward<F>(f)(err);
    if (err) throw_error(op, path1, path2, err);
  } else {
    return run_throwing_value<R>(op, path1, path2, std::forward<F>(f));
  }
}

// Sets `ec` to `err`'s code when it leaves scope: after the result is made,
// or while an exception leaves (the handler then overrides it).
struct CodeOnExit {
  std::error_code& ec;
  const ErrorInfo& err;
  ~CodeOnExit() { ec = err.code; }
};

// Every path returns a prvalue, so that the result (a File, a string) is
// made in the caller's place: a named result returned on one path and
// another object on the other is moved out (GCC 12 elides neither), a File
// moved and destroyed more per open.
template <class F>
auto run_noexcept(std::error_code& ec, F&& f) noexcept
    -> std::invoke_result_t<F, ErrorInfo&> {
  using R = std::invoke_result_t<F, ErrorInfo&>;
  ErrorInfo err;
  try {
    const CodeOnExit set{ec, err};
    return std::forward<F>(f)(err);
  } catch (...) {
    ec = current_exception_code();
  }
  if constexpr (!std::is_void_v<R>) return R{};
}

}  // namespace memfs::detail
