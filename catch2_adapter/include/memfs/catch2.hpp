// memfs/catch2.hpp — an isolated MemoryFileSystem for every run of a Catch2
// test case, exported to disk when the run fails.
//
// Link memfs::catch2 and include this header; nothing else to set up:
//
// ```cpp file
// #include <memfs/catch2.hpp>
//
// // The code under test takes a FileSystem&: a cache of the newest entries,
// // whose put() says whether it stored the entry.
// struct Cache {
//   Cache(memfs::FileSystem& fs, std::string dir, std::size_t capacity)
//       : fs_(fs), dir_(std::move(dir)), capacity_(capacity) {
//     fs_.create_directories(dir_);
//   }
//   bool put(const std::string& key, const std::string& value) {
//     std::error_code ec;
//     fs_.write_file(dir_ + "/" + key, value, ec);
//     if (ec) return false;
//     keys_.push_back(key);
//     if (keys_.size() > capacity_) {
//       fs_.remove(dir_ + "/" + keys_.front());
//       keys_.erase(keys_.begin());
//     }
//     return true;
//   }
//   memfs::FileSystem& fs_;
//   std::string dir_;
//   std::size_t capacity_;
//   std::vector<std::string> keys_;
// };
//
// TEST_CASE("the cache evicts the oldest entry") {
//   auto& fs = memfs::catch2::fs();  // fresh and empty
//   Cache cache(fs, "/cache", /*capacity=*/2);
//   REQUIRE(cache.put("a", "1"));
//   REQUIRE(cache.put("b", "2"));
//   REQUIRE(cache.put("c", "3"));
//   REQUIRE_THAT(fs, !memfs::catch2::HasFile("/cache/a"));
//
//   SECTION("a full disk is reported, not ignored") {
//     memfs::catch2::faults().disk_full_after(0);
//     REQUIRE_FALSE(cache.put("d", "4"));
//   }
// }
// ```
//
// Runs. Catch2 runs a test case's body once per leaf section and per
// generator value; each of those runs gets its own filesystem and fault
// injector (like a TEST_CASE_METHOD fixture, which Catch2 also builds anew
// per run). Code before a SECTION therefore writes into a fresh tree every
// time, and what section A wrote is gone in section B. A File still open when
// the run's body (and Fixture) is done, kept in a static say, fails the run
// with a failed assertion naming its path, mode, lock and the run ("memfs: 1
// file still open at the end of <test case> ..."); when the run's filesystem
// goes the File is orphaned: later uses fail with bad_file_descriptor, and
// closing or destroying it is harmless.
//
// Unmodified code: mount_path(). Code that writes files with std::ofstream,
// std::filesystem, stdio or POSIX runs on the run's filesystem when the
// test executable links memfs::intercept (one line in CMake:
// target_link_libraries(tests PRIVATE memfs::intercept)):
//
// ```cpp file
// // Your code, as is: it saves through the C++ library.
// void save_settings(const std::string& path, const std::string& text) {
//   std::ofstream(path + ".tmp") << text;
//   std::filesystem::rename(path + ".tmp", path);
// }
//
// TEST_CASE("settings are saved atomically") {
//   // "/tmp/memfs-mount-<pid>-<n>", mounted until the run ends
//   const std::string dir = memfs::catch2::mount_path();
//   save_settings(dir + "/app.conf", "theme=dark");
//   REQUIRE(memfs::catch2::fs().read_file("/app.conf") == "theme=dark");
// }
// ```
//
// The filesystem stays mounted at that host directory (nothing is created
// there on the real disk) until the run ends; faults() rules fire on the
// intercepted calls; a failing run's snapshot holds what was written through
// the mount and its manifest's "mount_path" says where it was. While
// mounted, TMPDIR and TEST_TMPDIR name the mount directory, restored when
// the run ends. Opt in per run (call mount_path()), per fixture (call it in
// the Fixture-derived constructor), or for the whole binary with
// MEMFS_MOUNT=1 (every run is mounted when it starts). Without
// memfs::intercept linked, mount_path() throws std::logic_error saying to
// link it (and MEMFS_MOUNT=1 fails each run with that message). See
// memfs/test_session.hpp ("Mounting").
//
// Which Catch2. One code base serves Catch2 v3 (selected when
// <catch2/catch_version_macros.hpp> exists) and v2.13 (<catch2/catch.hpp>,
// the version Debian ships). Use it with Catch2::Catch2WithMain, with
// CATCH_CONFIG_MAIN (v2), or with your own main calling Catch::Session.
// A listener, registered with CATCH_REGISTER_LISTENER in the library, drives
// everything; including this header keeps it linked in (the anchor at the
// bottom), even from a static library. In v2 the listener is compiled
// without Catch's layout-changing options: if your main TU defines
// CATCH_CONFIG_ENABLE_BENCHMARKING, compile memfs_catch2 with it too.
//
// Snapshots. When a run fails, its tree is exported with the same rules as
// the GoogleTest adapter (memfs/test_session.hpp): MEMFS_SNAPSHOT=on_failure
// (default) | always | never; the folder goes under $MEMFS_SNAPSHOT_DIR,
// else $TEST_UNDECLARED_OUTPUTS_DIR, else ./memfs-snapshots; it is named
// after "<test case> / <section> / <leaf section>" plus a hash and the run
// number ("sections___B-1a2b3c4d-run2"); manifest.json holds the test id,
// every failure message, the fault log and seed. A run that never touched its
// filesystem is not exported. The folder path and a picture of the tree are
// printed on stderr; an export that fails (an unwritable folder) is reported
// there too, and leaves the run's verdict as Catch2 decided it. The
// manifest's "command" runs that test case, and that section path, alone (`bin
// 'name' -c 'A' -c 'B'`); it cannot pick one generator value.
//
// Where the report goes, and why (checked against Catch2 2.13.10 and 3.7.1):
//   - never to stdout after a run: a reporter writing to stdout (`-r junit`)
//     would get memfs text in the middle of its XML. Reports written when a
//     run ends go to the process's stderr (C stderr, which Catch's default
//     redirection does not capture);
//   - Catch2 captures std::cout/std::cerr for the JUnit and XML reporters
//     only while the test body runs, and the listener learns that a run is
//     over only after that window has closed. WARN is dropped by the JUnit
//     reporter, and INFO/UNSCOPED_INFO attach to later assertions, so no
//     message can be added to the run once its verdict is known;
//   - the Fixture below closes the gap: its destructor runs inside the
//     window, after the body. If the run has already failed (a failed
//     assertion, or an exception leaving the body, which Catch2 fails the
//     run for only after the fixture is gone; or MEMFS_SNAPSHOT=always), it
//     exports there and writes the report to stderr and, when Catch is
//     capturing std::cout, also to std::cout with a
//     `[[ATTACHMENT|<folder>]]` line, so the JUnit/XML report's
//     <system-out> names the snapshot. The exception's message, known only
//     later, is then added to the exported manifest's failures. Plain
//     TEST_CASEs report on stderr only.
//
// [!mayfail] / [!shouldfail]. Their failing assertions do not fail the test
// case, but the run did go wrong, and the state is worth a look: such a run
// is exported like a failing one (policy on_failure), and the report and the
// manifest's failure messages say that the failure was expected. A
// [!shouldfail] test case that unexpectedly passes is failed by Catch2 only
// after its last run has ended; none of its runs failed, so nothing is
// exported.
//
// Real-disk accesses. When memfs::intercept is linked into the test binary,
// each run's file calls that reach the real disk outside its mounts and an
// allow-list (system folders, the binary's folder, the snapshot folder,
// allow_real_disk(); see memfs/intercept.hpp) are recorded from the run's
// start until its body (and Fixture) is done. MEMFS_REAL_DISK says what
// happens then (memfs/real_disk.hpp): `report` (the default) prints them on
// stderr when the run ends and adds them to its snapshot's manifest
// ("real_disk_accesses"); `fail` fails the run with the list, as a failed
// assertion ("memfs: <test case> touched the real disk outside its mounts
// ..."); `allow` records nothing. Without memfs::intercept nothing is
// recorded.
//
// Not exported either: runs ended by a fatal signal (writing files inside a
// signal handler is not safe; a line on stderr says so), and runs Catch2
// aborts after `-a`/`-x` never start.
#pragma once

#include <exception>
#include <string_view>

#include "memfs/catch2_matchers.hpp"
#include "memfs/fault_injection.hpp"
#include "memfs/golden_tree.hpp"
#include "memfs/memory_file_system.hpp"
#include "memfs/test_session.hpp"

// Catch2's test macros (TEST_CASE, TEST_CASE_METHOD, SECTION, REQUIRE,
// CHECK_THAT, ...) come with this header under both versions, so a test file
// needs no other include: v2's single header has them (through
// catch2_matchers.hpp); v3 keeps them in a header of their own. Generators,
// benchmarks and v3's other matchers need Catch2's own headers.
#if CATCH_VERSION_MAJOR >= 3
#include <catch2/catch_test_macros.hpp>
#endif

namespace memfs::catch2 {

/// The filesystem of the running test-case run, created on first use with
/// the options given to set_options() (or the defaults). Outside a run (a
/// static initializer, a custom main before Catch::Session::run) it is one
/// process-wide filesystem that is never exported. May be called from any
/// thread; the reference stays valid until the run ends.
///
/// ```cpp
/// memfs::catch2::fs().write_file("/config.ini", "[core]\n");
/// REQUIRE(memfs::catch2::fs().read_file("/config.ini") == "[core]\n");
/// ```
[[nodiscard]] MemoryFileSystem& fs();

/// The fault injector attached to fs(); rules armed on it end with the run.
///
/// ```cpp
/// memfs::catch2::faults().add("write /db/*.log nth=2 fail=EIO");
/// auto& fs = memfs::catch2::fs();
/// fs.create_directories("/db");
/// fs.write_file("/db/a.log", "1");  // the first write
/// std::error_code ec;
/// fs.write_file("/db/a.log", "2", ec);  // the second fails
/// REQUIRE(ec == std::errc::io_error);
/// ```
[[nodiscard]] FaultInjector& faults();

/// Options (quota, node cap, lock timeout, clock, ...) for this run's
/// filesystem. Call before the first fs() or faults() of the run; throws
/// std::logic_error afterwards.
///
/// ```cpp
/// memfs::MemoryOptions opts;
/// opts.max_quota = 4096;
/// memfs::catch2::set_options(opts);
/// REQUIRE(memfs::catch2::fs().stats().quota == 4096);
/// ```
void set_options(const MemoryOptions& options);

/// Mounts this run's filesystem for unmodified code and returns the host
/// directory (see "Unmodified code" above); the same one for the whole run.
/// Throws std::logic_error when the executable does not link
/// memfs::intercept.
///
/// ```cpp
/// std::ofstream(memfs::catch2::mount_path() + "/log.txt") << "hi";
/// REQUIRE(memfs::catch2::fs().exists("/log.txt"));
/// ```
[[nodiscard]] std::string mount_path();

/// Lets the running test-case run touch `dir` and what lies below it on the
/// real disk without it being recorded (see "Real-disk accesses" above);
/// until the run ends. A relative `dir` is taken against the current
/// directory. For every test case use memfs::allow_real_disk()
/// (memfs/intercept.hpp) or MEMFS_REAL_DISK_ALLOW. Does nothing without
/// memfs::intercept.
///
/// ```cpp
/// memfs::catch2::allow_real_disk("/srv/test-data");
/// ```
void allow_real_disk(std::string_view dir);

/// Starts this run's filesystem from a clone of `golden` (loaded on its
/// first use in the binary) instead of an empty one; before the first fs()
/// or faults() of the run (else std::logic_error). The clone has the golden
/// tree's options. A failing run's snapshot names the golden tree and its
/// manifest lists the paths that differ from it (memfs/golden_tree.hpp).
///
/// ```cpp file
/// const auto kSeed =
///     memfs::GoldenTree::from_disk("seed", MEMFS_TEST_DATA_DIR "/golden");
/// TEST_CASE("reads the seed") {
///   memfs::catch2::use_golden(kSeed);
///   REQUIRE(memfs::catch2::fs().exists("/items.csv"));
/// }
/// ```
void use_golden(const GoldenTree& golden);

/// The TestSession behind fs() and faults() (see memfs/test_session.hpp):
/// for add_failure() from helpers, or to read the identity.
[[nodiscard]] TestSession& session();

/// A base for TEST_CASE_METHOD fixtures. Catch2 builds the fixture anew for
/// every run; fs() and faults() are that run's, the same objects as the free
/// functions return. Pass options to the constructor (or call
/// set_options() in the derived constructor before using fs()).
///
/// ```cpp file
/// memfs::MemoryOptions small_quota() {
///   memfs::MemoryOptions o;
///   o.max_quota = 4096;
///   return o;
/// }
/// struct Store : memfs::catch2::Fixture {
///   Store() : Fixture(small_quota()) { fs().create_directories("/db"); }
/// };
/// TEST_CASE_METHOD(Store, "writes go to /db") {
///   REQUIRE_THAT(fs(), memfs::catch2::HasDirectory("/db"));
///   REQUIRE(fs().stats().quota == 4096);
/// }
/// ```
///
/// Its destructor reports inside Catch's output capture (see the top of this
/// file). Not copyable.
class Fixture {
 public:
  Fixture();
  explicit Fixture(const MemoryOptions& options);
  /// Each run starts from a clone of `golden` (see use_golden()).
  ///
  /// ```cpp file
  /// void build_shop(memfs::MemoryFileSystem& fs) {
  ///   fs.write_file("/items.csv", "id,name\n");
  /// }
  /// const auto kShop = memfs::GoldenTree::from_function("shop", build_shop);
  /// struct Shop : memfs::catch2::Fixture {
  ///   Shop() : Fixture(kShop) {}
  /// };
  /// TEST_CASE_METHOD(Shop, "starts from the shop") {
  ///   REQUIRE(fs().read_file("/items.csv") == "id,name\n");
  /// }
  /// ```
  explicit Fixture(const GoldenTree& golden);
  Fixture(const Fixture&) = delete;
  Fixture& operator=(const Fixture&) = delete;
  virtual ~Fixture();

  /// This run's filesystem (as memfs::catch2::fs()).
  [[nodiscard]] MemoryFileSystem& fs() const;
  /// This run's fault injector (as memfs::catch2::faults()).
  [[nodiscard]] FaultInjector& faults() const;
  /// As memfs::catch2::mount_path(); call it in the derived constructor to
  /// mount every run of the fixture.
  [[nodiscard]] std::string mount_path() const;

 protected:
  /// As memfs::catch2::set_options(): before the first fs()/faults().
  void set_options(const MemoryOptions& options);

 private:
  // Exceptions in flight when the fixture was built: more at destruction
  // means the body threw, and Catch2 has not reported that yet.
  int uncaught_at_start_ = std::uncaught_exceptions();
};

/// Checks `check` at every crash point of `workload` (check_crash_points,
/// crash.hpp) on a fresh MemoryFileSystem built with `memory` and
/// track_durability. Each failing crash state fails the running test case
/// (FAIL_CHECK) naming its point, state and seed; the first one carries the
/// whole report with the operation log up to the crash. When one failed,
/// fs() is replaced by the first failing crashed tree, so the snapshot
/// exports it. Returns the report.
///
/// ```cpp file
/// void save_settings(memfs::FileSystem& fs, const std::string& text) {
///   memfs::File f = fs.open("/settings.tmp", "w");
///   REQUIRE(f.write(text) == text.size());
///   f.sync();  // without it a crash may leave an empty /settings
///   f.close();
///   fs.rename("/settings.tmp", "/settings");
///   fs.sync_directory("/");
/// }
///
/// TEST_CASE("settings survive every crash") {
///   memfs::catch2::for_each_crash_point(
///       [](memfs::FileSystem& fs) { save_settings(fs, "new"); },
///       [](memfs::MemoryFileSystem& crashed) -> std::string {
///         if (!crashed.exists("/settings")) return "";  // not saved yet
///         return crashed.read_file("/settings") == "new" ? "" : "torn";
///       });
/// }
/// ```
CrashPointReport for_each_crash_point(
    const std::function<void(FileSystem&)>& workload,
    const RecoveryCheck& check, const CrashPointOptions& options = {},
    MemoryOptions memory = {});

namespace detail {
/// Defined next to the listener; referencing it from every TU that includes
/// this header keeps the listener's object file (and its registration) in
/// the link. Returns true.
bool ensure_registered() noexcept;
}  // namespace detail

}  // namespace memfs::catch2

namespace {
// The anchor (see detail::ensure_registered). One per TU, costs one call.
[[maybe_unused]] const bool memfs_catch2_listener_anchor =
    memfs::catch2::detail::ensure_registered();
}  // namespace
