// The accessors: memfs::gtest::fs()/faults() and the fixture's, all served
// by the registry's current session.
#include "registry.hpp"

namespace memfs::gtest {

MemoryFileSystem& fs() { return detail::Registry::instance().fs(); }

FaultInjector& faults() { return detail::Registry::instance().faults(); }

std::string mount_path() { return detail::Registry::instance().mount_path(); }

void set_memory_options(const MemoryOptions& options) {
  detail::Registry::instance().set_options(options);
}

void allow_real_disk(std::string_view dir) { allow_real_disk_for_test(dir); }
void use_golden(const GoldenTree& golden) {
  detail::Registry::instance().set_golden(golden);
}

Test::Test() { detail::Registry::instance().attach(this); }

Test::~Test() { detail::Registry::instance().detach(this); }

MemoryFileSystem& Test::fs() { return gtest::fs(); }

FaultInjector& Test::faults() { return gtest::faults(); }

std::string Test::mount_path() { return gtest::mount_path(); }

void Test::SetUp() { detail::Registry::instance().settle_options(); }

MemoryOptions Test::memory_options() const { return {}; }

void Test::set_memory_options(const MemoryOptions& options) {
  gtest::set_memory_options(options);
}

const GoldenTree* Test::golden_tree() const { return nullptr; }

void Test::use_golden(const GoldenTree& golden) { gtest::use_golden(golden); }

}  // namespace memfs::gtest
