// Runs a Catch2 fixture binary (fixtures/) as a subprocess in a scratch
// directory through the shared support/child_process.hpp, and reads the
// Catch2-specific parts of what it left behind.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "support/child_process.hpp"

namespace memfs::catch2_test {

using test_support::count;
using test_support::ScratchDir;

/// What one run of a fixture binary left behind, with the manifest sections
/// the Catch2 adapter's tests look at.
struct FixtureRun : test_support::ChildRun {
  /// The manifest's "failures" of snapshot `folder`.
  [[nodiscard]] std::vector<std::string> failures(
      const std::string& folder) const;
  /// A string member of the manifest's "test" section ("name", "command").
  [[nodiscard]] std::string test_field(const std::string& folder,
                                       const std::string& key) const;
};

/// test_support::run_child with `env` applied last (an empty value removes
/// the variable).
[[nodiscard]] FixtureRun run_fixture(
    const std::filesystem::path& dir, const std::string& binary,
    const std::vector<std::string>& args,
    const std::vector<std::pair<std::string, std::string>>& env = {});

/// The path of the fixture binary with every kind of test case.
[[nodiscard]] std::string fixture_binary();
/// The fixture binary with its own main().
[[nodiscard]] std::string fixture_main_binary();
/// The fixture binary whose main comes from CATCH_CONFIG_MAIN (v2).
[[nodiscard]] std::string fixture_config_binary();

}  // namespace memfs::catch2_test
