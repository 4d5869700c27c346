// Internal (shared by every memfs module): the running binary's path, for the
// "run this test alone" command lines.
#pragma once

#include <filesystem>
#include <string>
#include <system_error>

namespace memfs::detail {

/// The running binary's absolute path (Linux: /proc/self/exe), or
/// "<test binary>" when it cannot be read.
inline std::string self_exe() {
  std::error_code ec;
  const std::filesystem::path exe =
      std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("<test binary>") : exe.string();
}

}  // namespace memfs::detail
