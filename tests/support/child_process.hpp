// Test support: run a test binary as a child process in a scratch folder,
// with a controlled environment, and read what it left behind (exit code,
// output, snapshot folders). Used by the adapter tests, which must observe
// real test binaries from the outside.
//
//     memfs::test_support::ScratchDir dir;
//     auto run = memfs::test_support::run_child(dir.path(), MEMFS_FIXTURE,
//                                               {"--gtest_filter=Basic.*"});
//     EXPECT_EQ(run.exit_code, 1);
//     EXPECT_THAT(run.snapshots(), SizeIs(1));
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "memfs/json.hpp"

namespace memfs::test_support {

/// What one run of a child left behind.
struct ChildRun {
  /// The exit status, or 128 + the signal number.
  int exit_code = -1;
  /// Its stdout and stderr; with merge_output, both are in `out`. Every
  /// occurrence of this checkout's build and source folders is replaced by
  /// "{build}" and "{source}" (see without_checkout_paths()).
  std::string out;
  std::string err;
  /// The snapshot root it was given (MEMFS_SNAPSHOT_DIR).
  std::filesystem::path snapshot_root;

  /// Folder names under snapshot_root, sorted (none if it does not exist).
  [[nodiscard]] std::vector<std::string> snapshots() const;
  /// manifest.json of snapshot `folder`, parsed (throws if it does not).
  [[nodiscard]] JsonValue manifest(const std::string& folder) const;
  /// The regular files under `folder`/tree as memfs paths -> contents.
  [[nodiscard]] std::map<std::string, std::string> tree(
      const std::string& folder) const;
};

/// A fresh folder under the system temp dir, removed with its contents.
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

/// How run_child() sets up the child.
struct ChildOptions {
  /// Variables to set ("" removes one), applied last.
  std::vector<std::pair<std::string, std::string>> env;
  /// Send stderr into the same file as stdout (ChildRun::out), to check the
  /// order in which the two were written.
  bool merge_output = false;
};

/// Runs `binary args...` in `dir` with stdout and stderr captured. The
/// environment is ours minus every variable memfs and gtest sharding read
/// (MEMFS_*, TEST_UNDECLARED_OUTPUTS_DIR, GTEST_*), plus
/// MEMFS_SNAPSHOT_DIR=<dir>/snapshots, then `options.env`.
[[nodiscard]] ChildRun run_child(const std::filesystem::path& dir,
                                 const std::string& binary,
                                 const std::vector<std::string>& args,
                                 const ChildOptions& options = {});

/// Runs this test binary again (/proc/self/exe) with `args`, as run_child
/// does, in a scratch folder removed before it returns: for a test that must
/// start in a fresh process (one that has never had a second thread, say).
/// The run's snapshot_root is gone by then; its output is kept. The child
/// finds started_by_run_self() true.
[[nodiscard]] ChildRun run_self(const std::vector<std::string>& args,
                                const ChildOptions& options = {});

/// True in a process run_self() started.
[[nodiscard]] bool started_by_run_self();

/// `text` with every occurrence of this checkout's build folder replaced by
/// "{build}", then of its source folder by "{source}". GoogleTest and Catch2
/// print source paths (failure locations) and binary paths, which hold the
/// checkout's folder name ("memfs" after a plain `git clone`), so a test
/// that looks for what memfs printed ("memfs:") must not see them. The
/// placeholders need no escaping in XML or JSON (the text may be a report).
[[nodiscard]] std::string without_checkout_paths(std::string text);

/// The names in a host folder, sorted (none if it does not exist).
[[nodiscard]] std::vector<std::string> folder_names(
    const std::filesystem::path& folder);

/// Non-overlapping occurrences of `needle` in `text`.
[[nodiscard]] std::size_t count(const std::string& text,
                                const std::string& needle);

/// The rest of each line of `text` that starts with `prefix`, in order
/// (what a child printed as "mount_path=<dir>", say).
[[nodiscard]] std::vector<std::string> lines_after(const std::string& text,
                                                   const std::string& prefix);

/// True when a stat() of `path` fails with ENOENT. In a test binary that
/// does not link memfs::intercept this is the real disk's answer.
[[nodiscard]] bool missing_on_disk(const std::string& path);

/// The whole contents of a host file ("" if it cannot be read).
[[nodiscard]] std::string read_host_file(const std::filesystem::path& path);

}  // namespace memfs::test_support
