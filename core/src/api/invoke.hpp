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

template <class F>
auto run_noexcept(std::error_code& ec, F&& f) noexcept
    -> std::invoke_result_t<F, ErrorInfo&> {
  using R = std::invoke_result_t<F, ErrorInfo&>;
  ErrorInfo err;
  try {
    if constexpr (std::is_void_v<R>) {
      std::forward<F>(f)(err);
      ec = err.code;
      return;
    } else {
      R result = std::forward<F>(f)(err);
      ec = err.code;
      return result;
    }
  } catch (...) {
    ec = current_exception_code();
  }
  if constexpr (!std::is_void_v<R>) return R{};
}

}  // namespace memfs::detail
