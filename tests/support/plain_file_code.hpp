// Test support: "unmodified" file code for the mount fixtures of both
// adapters (tests/*_adapter/fixtures/mount.cpp): plain libc and standard
// library calls, no memfs, whatever the test framework.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

namespace memfs::test_support {

/// The value of an environment variable, or "(unset)".
inline std::string env_text(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "(unset)";
}

/// Makes a temp file with mkstemp in $TMPDIR holding "tmp", then writes
/// "written through the mount" to `dir`/report.txt with std::ofstream.
/// Returns "" on success, else what failed.
inline std::string write_with_plain_calls(const std::string& dir) {
  std::string templ = env_text("TMPDIR") + "/scratch.XXXXXX";
  const int fd = ::mkstemp(templ.data());
  if (fd < 0) return "mkstemp " + templ + " failed";
  const bool wrote = ::write(fd, "tmp", 3) == 3;
  ::close(fd);
  if (!wrote) return "write to " + templ + " failed";
  std::ofstream out(dir + "/report.txt");
  out << "written through the mount";
  out.close();
  return out ? "" : "std::ofstream to " + dir + "/report.txt failed";
}

}  // namespace memfs::test_support
