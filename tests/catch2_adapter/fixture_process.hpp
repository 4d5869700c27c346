// Runs a Catch2 fixture binary (fixtures/) as a subprocess in a scratch
// directory, with a controlled environment, and collects what it did: exit
// code, stdout, stderr and the snapshot folders it wrote.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "memfs/json.hpp"

namespace memfs::catch2_test {

/// What one run of a fixture binary left behind.
struct FixtureRun {
  int exit_code = -1;
  std::string out;
  std::string err;
  /// The snapshot root it was given (MEMFS_SNAPSHOT_DIR).
  std::filesystem::path snapshot_root;
  /// The folder names under snapshot_root, sorted.
  [[nodiscard]] std::vector<std::string> snapshots() const;
  /// manifest.json of snapshot `folder`, parsed.
  [[nodiscard]] JsonValue manifest(const std::string& folder) const;
  /// The manifest's "failures" of snapshot `folder`.
  [[nodiscard]] std::vector<std::string> failures(const std::string& folder) const;
  /// A string member of the manifest's "test" section ("name", "command").
  [[nodiscard]] std::string test_field(const std::string& folder,
                                       const std::string& key) const;
  /// The regular files under `folder`/tree, as memfs paths -> contents.
  [[nodiscard]] std::map<std::string, std::string> tree(
      const std::string& folder) const;
};

/// A fresh directory under the system temp dir, removed with its contents.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// Runs `binary args...` with the working directory `dir`, stdout and stderr
/// captured, MEMFS_SNAPSHOT_DIR=<dir>/snapshots, the other MEMFS_* and
/// TEST_UNDECLARED_OUTPUTS_DIR variables removed, then `env` applied (an
/// empty value removes the variable).
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

/// Number of non-overlapping occurrences of `needle` in `text`.
[[nodiscard]] std::size_t count(const std::string& text,
                                const std::string& needle);

}  // namespace memfs::catch2_test
