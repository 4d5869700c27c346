// Internal: reading the MEMFS_* variables the session understands.
#pragma once

#include <atomic>
#include <cstdio>
#include <cstdlib>

namespace memfs::detail {

/// The variable's value, or nullptr when unset or empty.
inline const char* env_value(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : nullptr;
}

/// Reads the choice variable `name` with `parse` (bool(const char*, T&))
/// into a copy of `fallback`; a value it rejects gives `fallback` and, once
/// per `warned` flag, "memfs: ignoring NAME='value' (expected EXPECTED);
/// using FALLBACK_NAME" on stderr.
template <class T, class Parse>
T env_choice(const char* name, Parse parse, T fallback, const char* expected,
             const char* fallback_name, std::atomic<bool>& warned) {
  T value = fallback;
  const char* text = env_value(name);
  if (text != nullptr && !parse(text, value) && !warned.exchange(true)) {
    std::fprintf(stderr, "memfs: ignoring %s='%s' (expected %s); using %s\n",
                 name, text, expected, fallback_name);
  }
  return value;
}

}  // namespace memfs::detail
