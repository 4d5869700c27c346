// memfs::catch2::fs(), faults(), set_options(), session() and Fixture: thin
// forwards to the RunRegistry's current session.
#include <exception>

#include "memfs/catch2.hpp"
#include "run_registry.hpp"

namespace memfs::catch2 {

TestSession& session() { return detail::RunRegistry::instance().session(); }

MemoryFileSystem& fs() { return session().fs(); }

FaultInjector& faults() { return session().faults(); }

std::string mount_path() { return session().mount_path(); }

void set_options(const MemoryOptions& options) {
  session().set_options(options);
}

void allow_real_disk(std::string_view dir) { allow_real_disk_for_test(dir); }
void use_golden(const GoldenTree& golden) { session().set_golden(golden); }

Fixture::Fixture() = default;

Fixture::Fixture(const GoldenTree& golden) {
  memfs::catch2::use_golden(golden);
}

Fixture::Fixture(const MemoryOptions& options) {
  memfs::catch2::set_options(options);
}

Fixture::~Fixture() {
  try {
    detail::RunRegistry::instance().fixture_ending(std::uncaught_exceptions() >
                                                   uncaught_at_start_);
  } catch (...) {
    // Out of memory while reporting: the run's end reports instead.
  }
}

MemoryFileSystem& Fixture::fs() const { return memfs::catch2::fs(); }

FaultInjector& Fixture::faults() const { return memfs::catch2::faults(); }

std::string Fixture::mount_path() const { return memfs::catch2::mount_path(); }

void Fixture::set_options(const MemoryOptions& options) {
  memfs::catch2::set_options(options);
}

}  // namespace memfs::catch2
