// The memfs error category and the exception classes of memfs/error.hpp.
#include "memfs/error.hpp"

#include <string>

#include "memfs/backend.hpp"

namespace memfs {
namespace {

class MemfsCategory final : public std::error_category {
 public:
  [[nodiscard]] const char* name() const noexcept override { return "memfs"; }

  [[nodiscard]] std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::quota_exceeded:
        return "quota exceeded";
      case errc::node_limit_exceeded:
        return "node limit exceeded";
      case errc::lock_timeout:
        return "lock timeout";
      case errc::injected_fault:
        return "injected fault";
      case errc::memory_guard:
        return "not enough host memory (memory guard)";
    }
    return "unknown memfs error " + std::to_string(ev);
  }

  // The nearest standard condition; std::error_category::equivalent() uses it,
  // which is what makes `ec == std::errc::no_space_on_device` true.
  [[nodiscard]] std::error_condition default_error_condition(
      int ev) const noexcept override {
    switch (static_cast<errc>(ev)) {
      case errc::quota_exceeded:
      case errc::node_limit_exceeded:
        return std::errc::no_space_on_device;
      case errc::lock_timeout:
        return std::errc::resource_unavailable_try_again;
      case errc::injected_fault:
        return std::errc::io_error;
      case errc::memory_guard:
        return std::errc::not_enough_memory;
    }
    return {ev, *this};
  }

  // A lock timeout is both "try again" (its default condition) and "timed out".
  [[nodiscard]] bool equivalent(
      int ev, const std::error_condition& cond) const noexcept override {
    if (static_cast<errc>(ev) == errc::lock_timeout &&
        cond == std::errc::timed_out) {
      return true;
    }
    return std::error_category::equivalent(ev, cond);
  }
};

// "operation" or "operation: detail" — the what_arg of the std base, which
// appends the error message and the bracketed paths itself.
std::string what_arg(std::string_view operation, std::string_view detail) {
  std::string s(operation);
  if (!detail.empty()) {
    s += ": ";
    s += detail;
  }
  return s;
}

std::filesystem::path to_path(std::string_view p) {
  return std::filesystem::path(std::string(p));
}

std::string quota_detail(std::uint64_t requested, std::uint64_t available) {
  return "needs " + std::to_string(requested) + " bytes, " +
         std::to_string(available) + " available";
}

std::string node_limit_detail(std::uint64_t current, std::uint64_t limit,
                              std::uint64_t requested) {
  return "needs " + std::to_string(requested) + " more node(s), " +
         std::to_string(current) + " of " + std::to_string(limit) + " in use";
}

// The std base with as many paths as are given: its two-path form prints
// an empty second path as "[]".
std::filesystem::filesystem_error make_base(std::string_view operation,
                                            std::string_view detail,
                                            std::string_view path1,
                                            std::string_view path2,
                                            std::error_code ec) {
  const std::string what = what_arg(operation, detail);
  if (!path2.empty()) {
    return std::filesystem::filesystem_error(what, to_path(path1),
                                             to_path(path2), ec);
  }
  if (!path1.empty()) {
    return std::filesystem::filesystem_error(what, to_path(path1), ec);
  }
  return std::filesystem::filesystem_error(what, ec);
}

}  // namespace

const std::error_category& memfs_category() noexcept {
  static const MemfsCategory category;
  return category;
}

std::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), memfs_category()};
}

filesystem_error::filesystem_error(std::string_view operation,
                                   std::string_view detail,
                                   std::string_view path1, std::error_code ec)
    : filesystem_error(operation, detail, path1, {}, ec) {}

filesystem_error::filesystem_error(std::string_view operation,
                                   std::string_view detail,
                                   std::string_view path1,
                                   std::string_view path2, std::error_code ec)
    : std::filesystem::filesystem_error(
          make_base(operation, detail, path1, path2, ec)),
      operation_(operation) {}

quota_exceeded_error::quota_exceeded_error(
    std::string_view operation, std::string_view path1, std::string_view path2,
    std::error_code ec, std::uint64_t requested, std::uint64_t available)
    : quota_exceeded_error(operation, quota_detail(requested, available), path1,
                           path2, ec, requested, available) {}

quota_exceeded_error::quota_exceeded_error(
    std::string_view operation, std::string_view detail, std::string_view path1,
    std::string_view path2, std::error_code ec, std::uint64_t requested,
    std::uint64_t available)
    : filesystem_error(operation, detail, path1, path2, ec),
      requested_(requested),
      available_(available) {}

node_limit_exceeded_error::node_limit_exceeded_error(
    std::string_view operation, std::string_view path1, std::string_view path2,
    std::uint64_t current, std::uint64_t limit, std::uint64_t requested)
    : quota_exceeded_error(operation,
                           node_limit_detail(current, limit, requested), path1,
                           path2, make_error_code(errc::node_limit_exceeded),
                           requested, current < limit ? limit - current : 0),
      current_(current),
      limit_(limit) {}

void throw_error(std::string_view operation, std::string_view path1,
                 std::string_view path2, const ErrorInfo& info) {
  // Exact comparisons: an injected std::errc::no_space_on_device is a plain
  // filesystem_error, not a quota error with made-up numbers.
  const std::error_code& ec = info.code;
  if (ec == make_error_code(errc::node_limit_exceeded)) {
    throw node_limit_exceeded_error(operation, path1, path2, info.current,
                                    info.limit,
                                    info.requested != 0 ? info.requested : 1);
  }
  if (ec == make_error_code(errc::quota_exceeded)) {
    throw quota_exceeded_error(operation, path1, path2, ec, info.requested,
                               info.available);
  }
  if (ec == make_error_code(errc::lock_timeout)) {
    throw lock_timeout_error(operation, "lock not acquired in time", path1,
                             path2, ec);
  }
  throw filesystem_error(operation, info.detail, path1, path2, ec);
}

}  // namespace memfs
