// Helpers of the adapter tests: run the fixture binaries (fixtures/) and
// pick apart what they left behind.
#pragma once

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "memfs/json.hpp"
#include "support/child_process.hpp"

namespace memfs::gtest_test {

using test_support::ChildOptions;
using test_support::ChildRun;
using test_support::ScratchDir;

/// Runs the fixture binary with every kind of test (gtest_main) in `dir`.
inline ChildRun run_fixture(const ScratchDir& dir,
                            std::vector<std::string> args,
                            ChildOptions options = {}) {
  return test_support::run_child(dir.path(), MEMFS_GTEST_FIXTURE, args,
                                 options);
}

/// Runs the fixture binary with its own main().
inline ChildRun run_fixture_main(const ScratchDir& dir,
                                 std::vector<std::string> args,
                                 ChildOptions options = {}) {
  return test_support::run_child(dir.path(), MEMFS_GTEST_FIXTURE_MAIN, args,
                                 options);
}

/// Runs a shell command line (a manifest's "command" or "reproduce") in
/// `dir`, as a user pasting it into a shell would.
inline ChildRun run_shell(const ScratchDir& dir,
                          const std::string& command_line) {
  return test_support::run_child(dir.path(), "/bin/sh", {"-c", command_line});
}

/// The snapshot folders whose name starts with `prefix`.
inline std::vector<std::string> snapshots_of(const ChildRun& run,
                                             const std::string& prefix) {
  std::vector<std::string> out;
  for (const auto& name : run.snapshots()) {
    if (name.rfind(prefix, 0) == 0) out.push_back(name);
  }
  return out;
}

/// manifest["sections"][name] (a null value if missing).
inline JsonValue section(const JsonValue& manifest, const char* name) {
  const JsonValue* sections = manifest.find("sections");
  const JsonValue* s = sections != nullptr ? sections->find(name) : nullptr;
  return s != nullptr ? *s : JsonValue();
}

/// The text of member `key` of `object` ("" if missing).
inline std::string text_of(const JsonValue& object, const char* key) {
  const JsonValue* v = object.find(key);
  return v != nullptr ? v->text() : std::string();
}

/// The string items of an array.
inline std::vector<std::string> strings_of(const JsonValue& array) {
  std::vector<std::string> out;
  for (const auto& item : array.items()) out.push_back(item.text());
  return out;
}

/// Matches a folder name: `base`, '-', 8 hex digits, then `suffix`.
inline ::testing::Matcher<const std::string&> FolderFor(
    const std::string& base, const std::string& suffix = "") {
  std::string escaped;
  for (char c : base) {
    if (c == '.') escaped += '\\';
    escaped += c;
  }
  return ::testing::MatchesRegex(escaped + "-[0-9a-f]{8}" + suffix);
}

}  // namespace memfs::gtest_test
