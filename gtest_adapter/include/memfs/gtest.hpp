// memfs/gtest.hpp — an isolated in-memory filesystem for every GoogleTest
// test, exported to disk when the test fails.
//
// Link memfs::gtest (with GTest::gtest_main or your own main) and include
// this header; nothing else to set up:
//
// ```cpp file
// #include <memfs/gtest.hpp>
//
// // The code under test takes a FileSystem&: a cache of the newest entries.
// struct Cache {
//   Cache(memfs::FileSystem& fs, std::string dir, std::size_t capacity)
//       : fs_(fs), dir_(std::move(dir)), capacity_(capacity) {
//     fs_.create_directories(dir_);
//   }
//   void put(const std::string& key, const std::string& value) {
//     fs_.write_file(dir_ + "/" + key, value);
//     keys_.push_back(key);
//     if (keys_.size() > capacity_) {
//       fs_.remove(dir_ + "/" + keys_.front());
//       keys_.erase(keys_.begin());
//     }
//   }
//   memfs::FileSystem& fs_;
//   std::string dir_;
//   std::size_t capacity_;
//   std::vector<std::string> keys_;
// };
//
// class CacheTest : public memfs::gtest::Test {};  // fs() and faults()
//
// TEST_F(CacheTest, EvictsOldest) {
//   Cache cache(fs(), "/cache", 2);
//   cache.put("a", "1"); cache.put("b", "2"); cache.put("c", "3");
//   EXPECT_THAT(fs(), memfs::gtest::TreeEquals({{"/cache/b", "2"},
//                                               {"/cache/c", "3"}}));
// }
//
// TEST(Plain, DiskFull) {  // plain TEST: accessors
//   memfs::gtest::faults().disk_full_after(10);
//   std::error_code ec;
//   memfs::gtest::fs().write_file("/big", std::string(11, 'x'), ec);
//   EXPECT_EQ(ec, memfs::errc::quota_exceeded);
// }
// ```
//
// Lifetime. A listener, registered automatically (see "Registration"), owns
// one TestSession (memfs/test_session.hpp) per test: it begins at
// OnTestStart, the MemoryFileSystem and its FaultInjector are created on the
// first fs()/faults() call, and at OnTestEnd — after TearDown() and the
// fixture's destructor, when the verdict is final — the tree is exported if
// needed and everything is destroyed. So each test, each TEST_P instance,
// each typed test and each --gtest_repeat repetition starts from an empty
// filesystem; shuffling changes nothing. Files, LockHolds and ScopedRules
// must not outlive the test: a File still open at OnTestEnd (kept in a
// static, say) fails the test with its path, mode, lock and the test that
// opened it ("memfs: 1 file still open at the end of Suite.Test ..."), and
// is orphaned when the filesystem goes: later uses fail with
// bad_file_descriptor, and closing or destroying it is harmless.
//
// Export. MEMFS_SNAPSHOT=on_failure (default) | always | never decides when;
// snapshots go to $MEMFS_SNAPSHOT_DIR, else $TEST_UNDECLARED_OUTPUTS_DIR
// (Bazel), else ./memfs-snapshots, one never-overwritten folder per test run
// named from the gtest full name ("Inst/P.Works/0" -> "Inst_P.Works_0-<hash>",
// plus "-repeat<N>" under --gtest_repeat and "-shard<I>of<N>" when sharded).
// The folder holds tree/ and manifest.json (test name, parameter,
// file:line, failure messages, fault log and seed). On failure the listener
// prints the folder and a tree picture on stderr, before gtest's
// "[  FAILED  ]" line, and records the folder as the test property
// "memfs_snapshot" (it appears in --gtest_output=xml/json). A failed export
// is reported as an extra failure of the test (and as the property
// "memfs_snapshot_error"); the test's own failures stay as they were.
// A test that never calls fs()/faults() is never exported.
//
// Real-disk accesses. When memfs::intercept is linked into the test binary,
// each test's file calls that reach the real disk outside its mounts and
// an allow-list (system folders, the binary's folder, the snapshot folder,
// allow_real_disk(); see memfs/intercept.hpp) are recorded from OnTestStart
// to OnTestEnd. MEMFS_REAL_DISK says what happens then (memfs/real_disk.hpp):
// `report` (the default) prints them on stderr after the test and adds them
// to its snapshot's manifest ("real_disk_accesses"); `fail` fails the test
// with the list ("memfs: Suite.Test touched the real disk outside its
// mounts ..."); `allow` records nothing. Without memfs::intercept nothing
// is recorded.
//
// Registration. Including this header links the listener in (a header
// anchor: a static library's listener would otherwise be dropped by the
// linker) and appends it to gtest's listeners during static initialization,
// printing nothing. With a custom main you may instead define
// MEMFS_GTEST_NO_AUTO_REGISTER before every include of this header and call
// memfs::gtest::install() in main, before RUN_ALL_TESTS().
//
// Death tests. A "fast" (fork) death test child sees the parent's
// filesystem. A "threadsafe" child re-runs the test without any listener
// events; there the accessors create a filesystem for the current test on
// first use, so code under EXPECT_DEATH works the same in both styles.
//
// Unmodified code: mount_path(). Code that writes files with std::ofstream,
// std::filesystem, stdio or POSIX (not through memfs::FileSystem) runs on the
// test's filesystem when the test executable links memfs::intercept, one
// line in CMake:
//
//     target_link_libraries(tests PRIVATE memfs::intercept)
//
// ```cpp file
// // Your code, as is: it saves through the C++ library.
// void save_settings(const std::string& path, const std::string& text) {
//   std::ofstream(path + ".tmp") << text;
//   std::filesystem::rename(path + ".tmp", path);
// }
//
// TEST(Settings, SavesAtomically) {
//   // "/tmp/memfs-mount-<pid>-<n>", mounted until the test ends
//   const std::string dir = memfs::gtest::mount_path();
//   save_settings(dir + "/app.conf", "theme=dark");
//   EXPECT_EQ(memfs::gtest::fs().read_file("/app.conf"), "theme=dark");
// }
// ```
//
// mount_path() mounts the test's filesystem (memfs::Mount, see
// memfs/intercept.hpp) at a host directory unique to the test run (nothing
// is created there on the real disk) and keeps it mounted until the test
// ends; fault rules armed with faults() fire on the intercepted calls, and a
// failing test's snapshot holds what was written through the mount (its
// manifest's "mount_path" says where it was). While mounted, TMPDIR and
// TEST_TMPDIR name the mount directory (std::filesystem::temp_directory_path(),
// ::testing::TempDir() and mkstemp under $TMPDIR land in memory); both are
// restored when the test ends. Opt in per test (call mount_path()), per
// fixture (call mount_path() in the fixture's constructor or SetUp()), or
// for the whole binary with MEMFS_MOUNT=1, which mounts every test when it
// starts. Without memfs::intercept linked, mount_path() throws
// std::logic_error saying to link it (and MEMFS_MOUNT=1 fails each test with
// that message). See memfs/test_session.hpp ("Mounting").
//
// Thread-safety: fs(), faults() and the fixture's accessors may be called
// from any thread while a test runs; the objects they return are
// thread-safe. Calling them outside a running test throws std::logic_error.
#pragma once

#include <string_view>

#include <gtest/gtest.h>

#include "memfs/crash.hpp"
#include "memfs/fault_injection.hpp"
#include "memfs/golden_tree.hpp"
#include "memfs/gtest_matchers.hpp"
#include "memfs/memory_file_system.hpp"

namespace memfs::gtest {

namespace detail {
struct FixtureAccess;  // src/registry.cpp
}  // namespace detail

/// The running test's filesystem (created on first use). Throws
/// std::logic_error outside a running test, and what TestSession::fs()
/// throws (bad MEMFS_FAULTS / MEMFS_FAULT_SEED, bad options).
///
/// ```cpp
/// memfs::gtest::fs().write_file("/in.txt", "data");
/// EXPECT_EQ(memfs::gtest::fs().read_file("/in.txt"), "data");
/// ```
[[nodiscard]] MemoryFileSystem& fs();

/// The fault injector attached to fs() (created with it).
///
/// ```cpp
/// auto guard = memfs::gtest::faults().scoped("sync /** once fail=EIO");
/// memfs::File f = memfs::gtest::fs().open("/a.txt", "w");
/// std::error_code ec;
/// f.sync(ec);
/// EXPECT_EQ(ec, std::errc::io_error);
/// ```
[[nodiscard]] FaultInjector& faults();

/// Mounts the running test's filesystem for unmodified code and returns the
/// host directory (see "Unmodified code" above); later calls in the same
/// test return the same directory. Throws std::logic_error outside a running
/// test or when the executable does not link memfs::intercept.
///
/// ```cpp
/// std::ofstream(memfs::gtest::mount_path() + "/log.txt") << "hi";
/// EXPECT_TRUE(memfs::gtest::fs().exists("/log.txt"));
/// ```
[[nodiscard]] std::string mount_path();

/// Options for the running test's filesystem; only before its first use
/// (else std::logic_error). In a memfs::gtest::Test fixture prefer
/// memory_options() / set_memory_options().
///
/// ```cpp
/// memfs::MemoryOptions opts;
/// opts.max_quota = 4096;
/// memfs::gtest::set_memory_options(opts);
/// EXPECT_EQ(memfs::gtest::fs().stats().quota, 4096u);
/// ```
void set_memory_options(const MemoryOptions& options);

/// Lets the running test touch `dir` and what lies below it on the real
/// disk without it being recorded (see "Real-disk accesses" above); until
/// the test ends. A relative `dir` is taken against the current directory.
/// For every test of the binary use memfs::allow_real_disk()
/// (memfs/intercept.hpp) or MEMFS_REAL_DISK_ALLOW. Does nothing without
/// memfs::intercept.
///
/// ```cpp
/// memfs::gtest::allow_real_disk("/srv/test-data");
/// ```
void allow_real_disk(std::string_view dir);

/// Starts the running test's filesystem from a clone of `golden` (loaded on
/// its first use in the binary) instead of an empty one; only before the
/// filesystem's first use (else std::logic_error). The clone has the golden
/// tree's options. A failing test's snapshot names the golden tree and its
/// manifest lists the paths that differ from it (memfs/golden_tree.hpp).
/// In a memfs::gtest::Test fixture prefer overriding golden_tree().
///
/// ```cpp file
/// const auto kSeed =
///     memfs::GoldenTree::from_disk("seed", MEMFS_TEST_DATA_DIR "/golden");
/// TEST(Import, ReadsSeed) {
///   memfs::gtest::use_golden(kSeed);
///   EXPECT_TRUE(memfs::gtest::fs().exists("/items.csv"));
/// }
/// ```
void use_golden(const GoldenTree& golden);

/// Appends the memfs listener to gtest's listeners, once per process
/// (further calls do nothing). For custom mains built with
/// MEMFS_GTEST_NO_AUTO_REGISTER; call it before RUN_ALL_TESTS().
///
/// ```cpp
/// // In main(), between ::testing::InitGoogleTest(&argc, argv) and
/// // return RUN_ALL_TESTS():
/// memfs::gtest::install();
/// memfs::gtest::install();  // does nothing more
/// memfs::gtest::fs().write_file("/a.txt", "1");  // one listener, one fs
/// EXPECT_EQ(memfs::gtest::fs().stats().file_count, 1u);
/// ```
void install();

/// install(), returning true; what the header anchor calls.
bool ensure_registered();

/// Fixture base giving each test its filesystem and fault injector.
///
/// ```cpp file
/// class StoreTest : public memfs::gtest::Test {
///  protected:
///   memfs::MemoryOptions memory_options() const override {
///     memfs::MemoryOptions o;
///     o.max_quota = 1 << 20;  // every test of StoreTest
///     return o;
///   }
/// };
/// TEST_F(StoreTest, SmallQuota) {
///   memfs::MemoryOptions o = memory_options();
///   o.max_nodes = 8;         // this test only
///   set_memory_options(o);   // before fs()
///   fs().create_directories("/a/b");
///   EXPECT_EQ(fs().stats().quota, 1u << 20);
///   EXPECT_EQ(fs().stats().node_limit, 8u);
/// }
/// ```
///
/// The filesystem belongs to the listener, not to the fixture, so it is
/// still there for TearDown() and the destructor, and is exported after
/// them.
class Test : public ::testing::Test {
 public:
  Test();
  ~Test() override;

 protected:
  /// The test's filesystem; the first call creates it with the options.
  [[nodiscard]] MemoryFileSystem& fs();
  /// The fault injector attached to fs().
  [[nodiscard]] FaultInjector& faults();
  /// memfs::gtest::mount_path(): mounts fs() for unmodified code. Call it in
  /// the constructor or SetUp() to mount every test of the fixture.
  [[nodiscard]] std::string mount_path();

  /// Applies the fixture's memory_options() now, when MEMFS_MOUNT=1 mounted
  /// the test's filesystem before the fixture existed (it is made anew,
  /// still empty, with them). A SetUp() of your own should call this one
  /// first, as gtest advises for every base fixture.
  void SetUp() override;

  /// Options for every test of the fixture; override it. Called once, at
  /// the first fs()/faults() (it must not call them itself). Default: a
  /// default MemoryOptions.
  [[nodiscard]] virtual MemoryOptions memory_options() const;

  /// Options for this test, overriding memory_options(); only before the
  /// first fs()/faults() (else std::logic_error).
  void set_memory_options(const MemoryOptions& options);

  /// The golden tree every test of the fixture starts from (a clone of it,
  /// made at the first fs()/faults()); override it. nullptr (the default):
  /// an empty filesystem. The tree must outlive the test (declare it at
  /// namespace scope); the clone has its options, not memory_options().
  ///
  /// ```cpp file
  /// void build_shop(memfs::MemoryFileSystem& fs) {
  ///   fs.write_file("/items.csv", "id,name\n");
  /// }
  /// const auto kShop = memfs::GoldenTree::from_function("shop", build_shop);
  /// class ShopTest : public memfs::gtest::Test {
  ///   const memfs::GoldenTree* golden_tree() const override {
  ///     return &kShop;
  ///   }
  /// };
  /// TEST_F(ShopTest, StartsFromTheShop) {
  ///   EXPECT_EQ(fs().read_file("/items.csv"), "id,name\n");
  /// }
  /// ```
  [[nodiscard]] virtual const GoldenTree* golden_tree() const;

  /// As memfs::gtest::use_golden(), for this test only.
  void use_golden(const GoldenTree& golden);

 private:
  friend struct detail::FixtureAccess;
};

/// Checks `check` at every crash point of `workload` (check_crash_points,
/// crash.hpp) on a fresh MemoryFileSystem built with `memory` and
/// track_durability. Each failing crash state is a failure of the running
/// test naming its point, state and seed; the first one carries the whole
/// report with the operation log up to the crash. When one failed, the
/// test's fs() is replaced by the first failing crashed tree, so the
/// snapshot exports it. Returns the report.
///
/// ```cpp file
/// void save_settings(memfs::FileSystem& fs, const std::string& text) {
///   memfs::File f = fs.open("/settings.tmp", "w");
///   EXPECT_EQ(f.write(text), text.size());
///   f.sync();  // without it a crash may leave an empty /settings
///   f.close();
///   fs.rename("/settings.tmp", "/settings");
///   fs.sync_directory("/");
/// }
///
/// TEST(Settings, SurviveEveryCrash) {
///   memfs::gtest::for_each_crash_point(
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

/// Base for value-parameterized fixtures (TEST_P), like
/// ::testing::TestWithParam.
///
/// ```cpp file
/// class SizeTest : public memfs::gtest::TestWithParam<std::size_t> {};
/// TEST_P(SizeTest, Writes) {
///   fs().write_file("/f", std::string(GetParam(), 'x'));
///   EXPECT_EQ(fs().status("/f").size, GetParam());
/// }
/// INSTANTIATE_TEST_SUITE_P(Sizes, SizeTest,
///                          ::testing::Values<std::size_t>(0, 1, 4096));
/// ```
template <class T>
class TestWithParam : public Test, public ::testing::WithParamInterface<T> {};

}  // namespace memfs::gtest

#ifndef MEMFS_GTEST_NO_AUTO_REGISTER
namespace {
// The header anchor: every test file that includes this header refers to the
// listener's translation unit, so the linker keeps it, and registers it.
[[maybe_unused]] const bool memfs_gtest_anchor =
    ::memfs::gtest::ensure_registered();
}  // namespace
#endif
