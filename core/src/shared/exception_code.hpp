// Internal (shared by every memfs module): the error_code an error_code
// overload reports for the exception in flight, so every noexcept wrapper
// maps exceptions the same way.
#pragma once

#include <new>
#include <system_error>

namespace memfs::detail {

// Call only inside a catch block.
inline std::error_code current_exception_code() noexcept {
  try {
    throw;
  } catch (const std::bad_alloc&) {
    return std::make_error_code(std::errc::not_enough_memory);
  } catch (const std::system_error& e) {
    return e.code();
  } catch (...) {
    return std::make_error_code(std::errc::io_error);
  }
}

}  // namespace memfs::detail
