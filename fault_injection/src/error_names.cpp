// The CODE vocabulary of the rule text form: memfs codes by their errc
// names, standard codes by errno name (std::errc names accepted too), any
// other code as "category:value".
#include <cctype>
#include <cerrno>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "rule_text.hpp"

namespace memfs {
namespace {

struct ErrnoName {
  std::errc code;
  std::string_view errno_name;
  std::string_view errc_name;
};

// One entry per distinct value (EWOULDBLOCK and EOPNOTSUPP alias others on
// Linux, so they are left out to keep printing unambiguous).
constexpr ErrnoName kErrnoNames[] = {
    {std::errc::io_error, "EIO", "io_error"},
    {std::errc::permission_denied, "EACCES", "permission_denied"},
    {std::errc::read_only_file_system, "EROFS", "read_only_file_system"},
    {std::errc::too_many_files_open, "EMFILE", "too_many_files_open"},
    {std::errc::file_too_large, "EFBIG", "file_too_large"},
    {std::errc::no_space_on_device, "ENOSPC", "no_space_on_device"},
    {std::errc::no_such_file_or_directory, "ENOENT",
     "no_such_file_or_directory"},
    {std::errc::file_exists, "EEXIST", "file_exists"},
    {std::errc::resource_unavailable_try_again, "EAGAIN",
     "resource_unavailable_try_again"},
    {std::errc::interrupted, "EINTR", "interrupted"},
    {std::errc::operation_not_permitted, "EPERM", "operation_not_permitted"},
    {std::errc::not_a_directory, "ENOTDIR", "not_a_directory"},
    {std::errc::is_a_directory, "EISDIR", "is_a_directory"},
    {std::errc::directory_not_empty, "ENOTEMPTY", "directory_not_empty"},
    {std::errc::invalid_argument, "EINVAL", "invalid_argument"},
    {std::errc::bad_file_descriptor, "EBADF", "bad_file_descriptor"},
    {std::errc::device_or_resource_busy, "EBUSY", "device_or_resource_busy"},
    {std::errc::not_enough_memory, "ENOMEM", "not_enough_memory"},
    {std::errc::timed_out, "ETIMEDOUT", "timed_out"},
    {std::errc::too_many_files_open_in_system, "ENFILE",
     "too_many_files_open_in_system"},
    {std::errc::cross_device_link, "EXDEV", "cross_device_link"},
    {std::errc::filename_too_long, "ENAMETOOLONG", "filename_too_long"},
    {std::errc::too_many_symbolic_link_levels, "ELOOP",
     "too_many_symbolic_link_levels"},
    {std::errc::no_lock_available, "ENOLCK", "no_lock_available"},
    {std::errc::resource_deadlock_would_occur, "EDEADLK",
     "resource_deadlock_would_occur"},
    {std::errc::function_not_supported, "ENOSYS", "function_not_supported"},
    {std::errc::not_supported, "ENOTSUP", "not_supported"},
    {std::errc::operation_canceled, "ECANCELED", "operation_canceled"},
    {std::errc::invalid_seek, "ESPIPE", "invalid_seek"},
    {std::errc::broken_pipe, "EPIPE", "broken_pipe"},
};

constexpr std::string_view kMemfsNames[] = {
    "quota_exceeded", "node_limit_exceeded", "lock_timeout", "injected_fault",
    "memory_guard"};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(a[i])) !=
        std::toupper(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

// "category:value" for the categories the parser can name.
std::optional<std::error_code> parse_category_code(std::string_view text) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view category = text.substr(0, colon);
  std::string_view digits = text.substr(colon + 1);
  bool negative = !digits.empty() && digits.front() == '-';
  if (negative) digits.remove_prefix(1);
  auto value = detail::parse_uint(digits);
  if (!value || *value > 0x7fffffff || *value == 0) return std::nullopt;
  int v = static_cast<int>(*value) * (negative ? -1 : 1);
  if (category == "generic") return std::error_code(v, std::generic_category());
  if (category == "system") return std::error_code(v, std::system_category());
  if (category == "memfs") return std::error_code(v, memfs_category());
  return std::nullopt;
}

}  // namespace

std::string error_code_name(std::error_code ec) {
  const int value = ec.value();
  if (ec.category() == memfs_category() && value >= 1 &&
      static_cast<std::size_t>(value) <= std::size(kMemfsNames)) {
    return std::string(kMemfsNames[value - 1]);
  }
  if (ec.category() == std::generic_category()) {
    for (const auto& e : kErrnoNames) {
      if (static_cast<int>(e.code) == value) return std::string(e.errno_name);
    }
#ifdef EDQUOT
    if (value == EDQUOT) return "EDQUOT";
#endif
  }
  return std::string(ec.category().name()) + ":" + std::to_string(value);
}

namespace detail {

std::optional<std::error_code> parse_error_code(std::string_view text) {
  for (std::size_t i = 0; i < std::size(kMemfsNames); ++i) {
    if (text == kMemfsNames[i]) {
      return make_error_code(static_cast<errc>(i + 1));
    }
  }
  for (const auto& e : kErrnoNames) {
    if (iequals(text, e.errno_name) || text == e.errc_name) {
      return std::make_error_code(e.code);
    }
  }
#ifdef EDQUOT
  if (iequals(text, "EDQUOT"))
    return std::error_code(EDQUOT, std::generic_category());
#endif
  return parse_category_code(text);
}

}  // namespace detail
}  // namespace memfs
