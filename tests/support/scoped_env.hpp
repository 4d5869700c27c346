// Test support: set or unset an environment variable for a scope, restoring
// what was there before. Tests that use it must not run threads that read
// the environment meanwhile.
//
//     memfs::test_support::ScopedEnv policy("MEMFS_SNAPSHOT", "always");
//     memfs::test_support::ScopedEnv no_dir("MEMFS_SNAPSHOT_DIR", nullptr);
#pragma once

#include <cstdlib>
#include <optional>
#include <string>

namespace memfs::test_support {

class ScopedEnv {
 public:
  /// Sets `name` to `value`, or unsets it when `value` is null.
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value != nullptr) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ScopedEnv(const char* name, const std::string& value)
      : ScopedEnv(name, value.c_str()) {}
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_.c_str(), old_->c_str(), 1);
    } else {
      ::unsetenv(name_.c_str());
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

}  // namespace memfs::test_support
