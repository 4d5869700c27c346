// The backends the conformance suite runs against, and its fixture.
//
// Every conformance_*_test.cpp declares TEST_P cases on a fixture derived from
// BackendTest and instantiates them once per registered backend:
//
//     class RenameTest : public memfs::test::BackendTest {};
//     MEMFS_INSTANTIATE_CONFORMANCE(RenameTest);
//     TEST_P(RenameTest, FileReplacesFile) { fs().write_file("/a", "x"); ... }
//
// Adding a backend is one line in the file that defines its factory:
//
//     MEMFS_REGISTER_BACKEND(disk_backend);   // Backend disk_backend() {...}
//
// and the whole conformance suite then runs against it too, in this binary.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "memfs/clock.hpp"
#include "memfs/file_system.hpp"
#include "memfs/memory_file_system.hpp"

namespace memfs::test {

/// One FileSystem implementation under test, with what it can do.
struct Backend {
  /// Test-name suffix: letters, digits and '_' only ("memory", "disk").
  std::string name;
  /// A fresh, empty filesystem (only "/"). Called once per test; whatever the
  /// backend needs to clean up (a temporary directory) is released when the
  /// returned object is destroyed.
  std::function<std::unique_ptr<FileSystem>()> make;
  /// The byte quota make() enforces, if it enforces one. Tests that fill the
  /// quota skip without it.
  std::optional<std::uint64_t> quota;
  /// The node cap (files + directories, root included) make() enforces, if
  /// any. Tests that fill the node cap skip without it.
  std::optional<std::uint64_t> node_limit;
  /// FileStatus::generation follows the rules documented on it (and so
  /// export_tree's only_dirty works); false where it is always 0.
  bool has_generation = false;
  /// stats().used is exactly the bytes the files hold (open-but-removed files
  /// included), and file_count/directory_count count the tree.
  bool exact_stats = false;
  /// set_modified stores the time it is given (else it answers
  /// operation_not_supported for what exists).
  bool sets_times = false;
  /// exchange swaps atomically (else operation_not_supported).
  bool exchanges = false;
  /// A fresh filesystem like make()'s, with lock_on_open on and `clock` and
  /// `lock_timeout` as its lock clock and default lock timeout.
  std::function<std::unique_ptr<FileSystem>(
      std::shared_ptr<Clock> clock, std::chrono::nanoseconds lock_timeout)>
      make_lock_on_open;
};

/// Every registered backend, sorted by name.
const std::vector<Backend>& all_backends();

/// The registered backends that have a capability. Capability-gated suites
/// are instantiated only for these, so no backend reports a skipped test;
/// each gated suite says in a comment what the other backends lack.
std::vector<Backend> backends_where(bool (*has)(const Backend&));
inline bool enforces_quota(const Backend& b) { return b.quota.has_value(); }
inline bool enforces_node_limit(const Backend& b) {
  return b.node_limit.has_value();
}
inline bool keeps_generation(const Backend& b) { return b.has_generation; }
inline bool counts_exactly(const Backend& b) { return b.exact_stats; }
inline bool swaps_atomically(const Backend& b) { return b.exchanges; }

/// Limits of the memory backends: small enough for a test to reach.
inline constexpr std::uint64_t kMemoryQuota = 1u << 20;
inline constexpr std::uint64_t kMemoryNodes = 256;

/// A backend whose filesystems are `FS` constructed from MemoryOptions
/// (MemoryFileSystem, or a test backend built on one) with the limits above;
/// exact stats, and generations when `has_generation`.
template <class FS>
Backend memory_options_backend(std::string name, bool has_generation) {
  const auto limited = [] {
    MemoryOptions options;
    options.max_quota = kMemoryQuota;
    options.max_nodes = kMemoryNodes;
    return options;
  };
  Backend b;
  b.name = std::move(name);
  b.make = [limited] { return std::make_unique<FS>(limited()); };
  b.make_lock_on_open = [limited](std::shared_ptr<Clock> clock,
                                  std::chrono::nanoseconds lock_timeout) {
    MemoryOptions options = limited();
    options.lock_on_open = true;
    options.clock = std::move(clock);
    options.default_lock_timeout = lock_timeout;
    return std::make_unique<FS>(options);
  };
  b.quota = kMemoryQuota;
  b.node_limit = kMemoryNodes;
  b.exact_stats = true;
  b.has_generation = has_generation;
  return b;
}

/// Adds a backend to all_backends(); used through MEMFS_REGISTER_BACKEND at
/// namespace scope (static initialization, before main runs the tests).
struct BackendRegistration {
  explicit BackendRegistration(Backend (*factory)());
};

/// Fixture of the conformance suite: a fresh filesystem from the backend under
/// test, destroyed after the test.
class BackendTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  /// The filesystem under test.
  FileSystem& fs() { return *fs_; }
  /// The backend under test.
  const Backend& backend() const { return GetParam(); }

 private:
  std::unique_ptr<FileSystem> fs_;
};

/// Prints a backend as its name (gtest shows parameters in its output).
void PrintTo(const Backend& backend, std::ostream* os);

/// gtest name of a backend parameter.
std::string backend_test_name(const ::testing::TestParamInfo<Backend>& info);

}  // namespace memfs::test

/// Registers `factory` (a function returning a Backend) with all_backends().
#define MEMFS_REGISTER_BACKEND(factory)           \
  static const ::memfs::test::BackendRegistration \
      memfs_backend_registration_##factory {      \
    &factory                                      \
  }

/// Runs every TEST_P of `fixture` once per registered backend, named
/// `<fixture>.<test>/<backend>`.
#define MEMFS_INSTANTIATE_CONFORMANCE_WHERE(fixture, capability)      \
  INSTANTIATE_TEST_SUITE_P(                                           \
      , fixture,                                                      \
      ::testing::ValuesIn(::memfs::test::backends_where(capability)), \
      ::memfs::test::backend_test_name)

#define MEMFS_INSTANTIATE_CONFORMANCE(fixture)                                 \
  INSTANTIATE_TEST_SUITE_P(, fixture,                                          \
                           ::testing::ValuesIn(::memfs::test::all_backends()), \
                           ::memfs::test::backend_test_name)
