// memfs/test_session.hpp — one test run's filesystem, fault injector and
// export-on-failure, shared by the GoogleTest and Catch2 adapters.
//
// A test-framework adapter creates one TestSession when a test (or, in
// Catch2, one run of a test case) starts, forwards each failure message to
// it, and calls finish() with the verdict when the run is over:
//
// ```cpp
// memfs::TestIdentity id;
// id.full_name = "CacheTest.EvictsOldest";
// id.framework = "googletest";
// memfs::TestSession session(std::move(id));
// session.fs().create_directories("/cache");  // created on first use
// session.fs().write_file("/cache/a", "1");
// session.add_failure("expected 3 entries, got 4");
// auto outcome = session.finish(/*failed=*/true);
// if (!outcome.report.empty()) std::cerr << outcome.report;
// EXPECT_TRUE(outcome.exported);  // MEMFS_SNAPSHOT=on_failure, the default
// ```
//
// The filesystem and its FaultInjector are created together, lazily, on the
// first fs() or faults() call, so a test that never touches memfs costs
// nothing and leaves nothing behind. The injector takes its seed from
// MEMFS_FAULT_SEED and arms the rules in MEMFS_FAULTS (fault_injection.hpp).
//
// finish() applies the snapshot policy (MEMFS_SNAPSHOT, see policy_from_env)
// and, when it says so, exports the tree with export_to_disk() (snapshot.hpp)
// under snapshot_root(), in a folder named by folder_name(), or as one
// `<folder>.tar.gz` file (MEMFS_SNAPSHOT_FORMAT, see format_from_env), for CI
// systems that upload single files. Besides the
// tree, the manifest's "sections" hold:
//
//     "test":     {"name", "framework", "parameter", "file", "line",
//                  "location" ("file:line"), "run", "command"}
//     "failures": ["message", ...]
//     "faults":   {"seed", "rules": [...], "log": [...], "dropped",
//                  "summary" (FaultInjector::describe_log()), "reproduce",
//                  "timeline": [{"sequence", "op", "path", "path2",
//                  "rule_id", "rule", "action", "call"}]}
//     "tree_diffs": the TreeEquals mismatches of the run, when there were
//                  any (record_tree_mismatch in tree_diff.hpp)
//     "real_disk_accesses": what the run touched on the real disk, when
//                  it was recorded and there was anything (real_disk.hpp)
//
//     "mount_path": the host directory the filesystem was mounted at, when
//                  mount_path() mounted it (see "Mounting" below)
//
//     "golden":   when the run started from a golden tree (set_golden):
//                  {"name", "source", "differences_total", "differences":
//                  [{"kind", "path", "directory"}, ...] (at most
//                  kMaxGoldenDifferences)}: the paths that differ from it
//                  ("missing": removed since, "unexpected": added since)
//
// A test that never used its filesystem is not exported (there is nothing
// to show). An export that fails (unwritable root, disk full, ...) is
// described in Outcome::error; finish() never throws.
//
// Mounting (unmodified code). mount_path() mounts the filesystem at a host
// directory with memfs::Mount (memfs/intercept.hpp), so code that calls
// std::fstream, std::filesystem, stdio or POSIX on paths under it reads and
// writes the session's filesystem: the same tree, quotas, fault rules and
// fault log, and the same snapshot. It needs the test executable to link
// memfs::intercept (one line in CMake):
//
//     target_link_libraries(tests PRIVATE memfs::intercept)
//
// Without it, mount_path() throws std::logic_error saying so; everything
// else works as before (memfs::session does not depend on memfs::intercept:
// see detail::mount_for_test in memfs/intercept.hpp). While mounted, the
// environment variables TMPDIR and TEST_TMPDIR name the mount directory, so
// std::filesystem::temp_directory_path(), ::testing::TempDir() and mkstemp
// under $TMPDIR land in memory too (tmpfile() and tmpnam() use "/tmp", not
// $TMPDIR, and stay on the real disk). finish() (or the
// destructor) unmounts and restores both variables as they were (unset ones
// are unset again). The adapters mount a test when it calls mount_path(),
// and every test at its start when MEMFS_MOUNT=1 (mount_from_env()).
//
// Thread-safety: fs(), faults(), add_failure() and used() may be called
// concurrently (assertions may fail on several threads at once). set_options()
// and finish() belong to the thread that drives the test. The references
// fs() and faults() return stay valid until finish() or destruction.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "memfs/fault_injection.hpp"
#include "memfs/golden_tree.hpp"
#include "memfs/json.hpp"
#include "memfs/memory_file_system.hpp"
#include "memfs/real_disk.hpp"

namespace memfs {

/// When finish() exports the tree (MEMFS_SNAPSHOT).
enum class SnapshotPolicy {
  on_failure,  ///< only when the test failed (the default)
  always,      ///< after every test that used its filesystem
  never,       ///< never
};

/// What form finish() gives an exported snapshot (MEMFS_SNAPSHOT_FORMAT).
enum class SnapshotFormat {
  dir,     ///< a folder (tree/, manifest.json, index.html): the default
  tar_gz,  ///< one `<folder>.tar.gz` holding that folder, and no folder
  both,    ///< the folder and the `.tar.gz` beside it
};

/// What the test framework says about the running test.
struct TestIdentity {
  /// The framework's exact name: "Inst/P.Works/0", "Typed/1.Works",
  /// "Case name / Section / Leaf".
  std::string full_name;
  /// "googletest" or "catch2".
  std::string framework;
  /// Value or type parameter, generator info; may be empty.
  std::string parameter;
  /// Where the test is defined.
  std::string file;
  int line = 0;
  /// What makes this run of the test distinct from the others of the same
  /// name in one process or CI job ("repeat2", "shard1of3", "run3"); empty
  /// when nothing does. Part of the folder name.
  std::string run_suffix;
  /// A command that runs this test alone ("/abs/bin --gtest_filter=S.N");
  /// used in the fault log's "reproduce with:" line. May be empty.
  std::string command;
};

/// One test run's filesystem + fault injector + export-on-failure. See the
/// top of this file. Not copyable or movable (fs() references must stay put).
class TestSession {
 public:
  /// What finish() did.
  struct Outcome {
    /// True when a snapshot folder was written.
    bool exported = false;
    /// Absolute path of the snapshot folder (empty unless exported as a
    /// folder: MEMFS_SNAPSHOT_FORMAT dir or both).
    std::filesystem::path folder;
    /// Absolute path of the snapshot archive, `<folder>.tar.gz` (empty
    /// unless exported as one: MEMFS_SNAPSHOT_FORMAT tar.gz or both). It
    /// holds the folder (tree/ with its escaped names, manifest.json,
    /// index.html); import_snapshot_archive() (archive.hpp) reads it back
    /// with the names restored, `tar -xzf` extracts the folder.
    std::filesystem::path archive;
    /// What a person should open: the folder, else the archive.
    [[nodiscard]] const std::filesystem::path& artifact() const noexcept {
      return folder.empty() ? archive : folder;
    }
    /// Text for a person, ready to print (ends in a newline), or empty when
    /// there is nothing to say (a passing test, or an unused filesystem):
    /// the folder, the tree picture (at most 60 lines), skipped files, and
    /// the fault log when rules were armed or fired.
    std::string report;
    /// Why the export failed ("memfs: could not export snapshot to ...:
    /// Permission denied"); empty on success or when nothing was exported.
    std::string error;
  };

  explicit TestSession(TestIdentity id);
  /// Destroys the injector, then the filesystem. Every File and LockHold
  /// taken from them must be gone.
  ~TestSession();
  TestSession(const TestSession&) = delete;
  TestSession& operator=(const TestSession&) = delete;

  /// The identity given at construction (or by set_identity()).
  [[nodiscard]] const TestIdentity& identity() const noexcept { return id_; }
  /// Replaces the identity before finish(): Catch2 learns a run's section
  /// path only while the run goes. Call from the thread that drives the
  /// test, never concurrently with identity().
  void set_identity(TestIdentity id);

  /// Options for the filesystem, before it is first used (quota, node cap,
  /// lock timeout, ...). Throws std::logic_error once fs() or faults() has
  /// been called: the filesystem already exists with other options. A
  /// filesystem that only mount_path() created, and that is still empty
  /// (nothing written through the mount, nothing open, no fault fired), is
  /// made anew with the options and mounted at the same directory, so a
  /// fixture's options apply under MEMFS_MOUNT=1 too; one that is no longer
  /// empty throws std::logic_error.
  void set_options(const MemoryOptions& options);

  /// Starts the filesystem from a clone of `golden` instead of an empty one,
  /// before it is first used (else std::logic_error, as set_options). The
  /// clone has the golden tree's options: set_options() is then not used.
  /// The snapshot's manifest names the tree and lists the paths that differ
  /// from it (section "golden"), and a failing run's report says so.
  void set_golden(const GoldenTree& golden);
  /// The golden tree of set_golden(), or nullptr.
  [[nodiscard]] const GoldenTree* golden() const;
  /// Differences from the golden tree a manifest lists.
  static constexpr std::size_t kMaxGoldenDifferences = 1000;

  /// The test's filesystem, created with the options on first use. Throws
  /// what MemoryFileSystem's constructor throws, and fault_rule_error when
  /// MEMFS_FAULT_SEED or MEMFS_FAULTS does not parse.
  [[nodiscard]] MemoryFileSystem& fs();
  /// The fault injector attached to fs() (created with it).
  [[nodiscard]] FaultInjector& faults();
  /// True once fs() or faults() has been called (mount_path() alone does
  /// not count: the adapters still apply a fixture's options then).
  [[nodiscard]] bool used() const;

  /// Mounts the filesystem (created with the options on first use, as by
  /// fs()) at a host directory unique to this run, on the first call, and
  /// returns that directory; later calls return the same one. The directory
  /// is "/tmp/memfs-mount-<pid>-<n>" (n counts the process's mounts); nothing
  /// is created there on the real disk. From this call until finish(),
  /// TMPDIR and TEST_TMPDIR name it (see "Mounting" above).
  /// Throws std::logic_error when the test executable does not link
  /// memfs::intercept (the message gives the CMake line), after finish(),
  /// and what fs() throws. Thread-safe, but the first call changes the
  /// environment (setenv): make it before starting threads that read it.
  ///
  /// ```cpp
  /// memfs::TestIdentity id;
  /// id.full_name = "Report.Writes";
  /// memfs::TestSession session(std::move(id));
  /// std::string dir = session.mount_path();      // "/tmp/memfs-mount-..."
  /// std::ofstream(dir + "/out.txt") << "hello";  // lands in session.fs()
  /// EXPECT_EQ(session.fs().read_file("/out.txt"), "hello");
  /// (void)session.finish(/*failed=*/false);      // unmounts
  /// ```
  [[nodiscard]] std::string mount_path();
  /// The directory mount_path() mounted at ("" if it was never called). It
  /// stays known after finish() has unmounted it.
  [[nodiscard]] std::string mounted_at() const;
  /// MEMFS_MOUNT: true for "1", "on", "true" or "yes"; false when unset,
  /// empty, "0", "off", "false" or "no". Any other value gives false and,
  /// once per process, a warning on stderr. Adapters mount every test at
  /// its start when it is true.
  [[nodiscard]] static bool mount_from_env();
  /// What adapters call when a test starts: mount_path() if
  /// mount_from_env() says so. Returns "" when it mounted or was not asked
  /// to, else why it could not ("MEMFS_MOUNT=1: memfs: mount_path() needs
  /// memfs::intercept, ..."), for the adapter to fail the test with. Never
  /// throws.
  [[nodiscard]] std::string mount_if_requested() noexcept;

  /// Records a failure message for the manifest's "failures" section.
  /// After a finish() that exported, the message is also appended to the
  /// exported manifest.json (frameworks that report a failure only after
  /// the verdict, as Catch2 does for an exception leaving a fixture's body);
  /// a manifest that cannot be rewritten is left as it is.
  void add_failure(std::string message);
  /// The messages recorded so far.
  [[nodiscard]] std::vector<std::string> failures() const;

  /// The files still open in fs() after the test's code has finished, as a
  /// failure message naming each one's path, mode, lock, opening thread and
  /// the test that opened it; "" when there are none or fs() was never used.
  /// Adapters fail the test with it (and add it to failures()): a File kept
  /// past its test (in a static) is a bug, and it becomes orphaned when the
  /// session's filesystem goes (file.hpp: every later use fails with
  /// bad_file_descriptor, closing it is harmless). For example:
  ///
  ///     memfs: 1 file still open at the end of Suite.Test (a File that
  ///     outlives its test, e.g. in a static; from now on it fails with
  ///     bad_file_descriptor):
  ///       /data/a.txt (mode "w", opened during Suite.Test by thread 1402)
  [[nodiscard]] std::string open_handles_failure() const;
  /// Records one failed tree comparison for the manifest's "tree_diffs"
  /// section (record_tree_mismatch() builds it); a record equal to the
  /// previous one is dropped (gMock evaluates a matcher twice to explain it).
  /// At most kMaxTreeDiffs are kept.
  void add_tree_diff(JsonValue diff);
  /// Bytes of each file's contents a tree_diffs record keeps, and records kept.
  static constexpr std::size_t kMaxRecordedContents = 16 * 1024;
  static constexpr std::size_t kMaxTreeDiffs = 20;

  /// Starts recording the run's real-disk accesses (real_disk.hpp) as
  /// MEMFS_REAL_DISK says, with the snapshot root allowed: nothing happens
  /// for `allow`, or when memfs::intercept is not linked. Adapters call it
  /// when the run starts; the recording is process-wide (one run at a time).
  void start_real_disk_recording();
  /// Stops the recording started above and keeps what it found for finish()
  /// (the manifest's "real_disk_accesses", and the report in `report`
  /// mode). Returns the failure to fail the test with in `fail` mode when
  /// there was any access (describe_real_disk_accesses()), else "". Adapters
  /// call it once the test's code is done (with open_handles_failure());
  /// finish() and the destructor stop a recording still running.
  [[nodiscard]] std::string stop_real_disk_recording();
  /// The accesses stop_real_disk_recording() kept.
  [[nodiscard]] std::vector<RealDiskAccess> real_disk_accesses() const;

  /// Ends the run: exports per policy_from_env() and `failed`, and describes
  /// what happened (first the real-disk accesses in `report` mode, even
  /// when the filesystem was never used). Call once, after the test's code
  /// (fixture teardown included) has finished with the filesystem. Never
  /// throws.
  [[nodiscard]] Outcome finish(bool failed) noexcept;

  /// MEMFS_SNAPSHOT: "on_failure" (also when unset or empty), "always" or
  /// "never". Any other value gives on_failure and, once per process, a
  /// warning on stderr.
  [[nodiscard]] static SnapshotPolicy policy_from_env();
  /// Parses a policy name; false (and `policy` untouched) when unknown.
  [[nodiscard]] static bool parse_policy(std::string_view text,
                                         SnapshotPolicy& policy) noexcept;

  /// MEMFS_SNAPSHOT_FORMAT: "dir" (also when unset or empty), "tar.gz" or
  /// "both". Under tar.gz the snapshot folder is written, packed into
  /// `<folder>.tar.gz` beside it (export_snapshot_archive(), archive.hpp) and
  /// removed when the session ends (a failure reported after finish() is
  /// added to the archive's manifest too); an archive left by an earlier
  /// run is never overwritten (the new one gets a "-2", "-3", ... suffix).
  /// tar.gz and both need memfs built with memfs::archive (libarchive).
  /// Any other value throws std::invalid_argument naming the variable:
  ///
  ///     memfs: MEMFS_SNAPSHOT_FORMAT='zip' is not a snapshot format
  ///     (expected dir, tar.gz or both)
  ///
  /// finish() then still writes the folder (nothing is lost) and reports
  /// that message in Outcome::error, which fails the test.
  [[nodiscard]] static SnapshotFormat format_from_env();
  /// Parses a format name; false (and `format` untouched) when unknown.
  [[nodiscard]] static bool parse_format(std::string_view text,
                                         SnapshotFormat& format) noexcept;

  /// Where snapshots go: $MEMFS_SNAPSHOT_DIR, else Bazel's
  /// $TEST_UNDECLARED_OUTPUTS_DIR, else ./memfs-snapshots; always absolute
  /// (relative values are taken from the current directory). Empty variables
  /// count as unset.
  [[nodiscard]] static std::filesystem::path snapshot_root();

  /// The snapshot folder's name for `id`: the full name with every byte
  /// outside [A-Za-z0-9._-] (and a leading '.' or '-', a trailing '.')
  /// turned into '_' (as sanitize_snapshot_name() does), cut
  /// so the whole stays within 80 bytes; then '-' and 8 hex digits of a
  /// FNV-1a hash of the exact full name and parameter, so "A/B.c" and
  /// "A_B.c" get different folders; then '-' and the run suffix (sanitized
  /// the same way) if there is one. export_to_disk() adds a random suffix
  /// if the folder exists already, so nothing is ever overwritten.
  ///
  /// ```cpp
  /// memfs::TestIdentity id;
  /// id.full_name = "Inst/P.Works/0";
  /// EXPECT_EQ(memfs::TestSession::folder_name(id), "Inst_P.Works_0-02f6c0cf");
  /// id.run_suffix = "repeat2";
  /// EXPECT_EQ(memfs::TestSession::folder_name(id),
  ///           "Inst_P.Works_0-02f6c0cf-repeat2");
  /// ```
  [[nodiscard]] static std::string folder_name(const TestIdentity& id);

  /// Lines of the tree picture in reports.
  static constexpr std::size_t kReportTreeLines = 60;

 private:
  // Creates fs_ and faults_ if missing (mutex_ held).
  void create_locked();
  // Mounts fs_ at mount_path_ (mutex_ held; test_session_mount.cpp).
  void mount_locked();
  // Unmounts and restores TMPDIR/TEST_TMPDIR; idempotent (mutex_ held).
  void end_mount_locked() noexcept;
  // True when only mount_path() used fs_ and it is still empty (mutex_ held).
  [[nodiscard]] bool pristine_mount_locked() const;
  // Replaces fs_ and faults_ by new ones built with options_ (mutex_ held).
  void rebuild_locked();

  // An environment variable as it was before the mount changed it.
  struct SavedVariable {
    std::string name;
    bool was_set = false;
    std::string value;
  };
  // Stops the recording this session started, if any (mutex_ held).
  void stop_real_disk_locked();

  TestIdentity id_;           // replaced only by set_identity()
  mutable std::mutex mutex_;  // guards everything below
  MemoryOptions options_;
  std::optional<GoldenTree> golden_;
  std::unique_ptr<MemoryFileSystem> fs_;
  std::unique_ptr<FaultInjector> faults_;
  std::vector<std::string> failures_;
  bool finished_ = false;
  bool handed_out_ = false;               // fs() or faults() was called
  std::shared_ptr<void> mount_;           // the memfs::Mount, while mounted
  std::string mount_path_;                // where it is (or was) mounted
  std::vector<SavedVariable> saved_env_;  // restored by end_mount_locked()
  std::filesystem::path exported_;        // the folder finish() exported to
  std::filesystem::path archive_;  // its .tar.gz, repacked by add_failure()
  bool remove_folder_ = false;     // tar.gz only: exported_ goes at the end
  // Taken alone, or after mutex_ (finish) or the session registry's mutex
  // (record_tree_mismatch), never before either.
  mutable std::mutex diffs_mutex_;
  JsonValue tree_diffs_ = JsonValue::array();  // guarded by diffs_mutex_
  // The recording this session started (under mutex_).
  bool recording_ = false;
  RealDiskMode real_disk_mode_ = RealDiskMode::allow;
  std::vector<RealDiskAccess> real_disk_;
};

}  // namespace memfs
