// ConfigStore under Catch2: one TEST_CASE_METHOD fixture gives every run a
// filesystem on a ManualClock that jumps to each lock deadline, so the 30 s
// timeouts below cost nothing. Sections pick who holds the lock (a reader,
// a writer) and which step of the save fails (sync, rename, a full disk);
// each section is a run with a fresh filesystem, and each must leave the old
// configuration as it was.
#if __has_include(<catch2/catch_version_macros.hpp>)
#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
#else
#include <catch2/catch.hpp>
#endif

#include <chrono>
#include <memory>
#include <string>

#include "config_store.hpp"
#include <memfs/catch2.hpp>

using example::ConfigStore;
using memfs::catch2::FileContents;
using memfs::catch2::HasFile;
using namespace std::chrono_literals;

namespace {

// The clock comes first (a base is built before the Fixture base), so the
// Fixture can hand it to the filesystem.
struct AutoAdvancingClock {
  std::shared_ptr<memfs::ManualClock> clock =
      std::make_shared<memfs::ManualClock>();
  AutoAdvancingClock() { clock->set_auto_advance(true); }
  memfs::MemoryOptions options() const {
    memfs::MemoryOptions o;
    o.clock = clock;
    return o;
  }
};

// A store in /srv/app holding "level = info".
struct SavedConfig : AutoAdvancingClock, memfs::catch2::Fixture {
  ConfigStore store{fs(), {"/srv/app", 30s}};
  SavedConfig() : Fixture(options()) {
    REQUIRE_FALSE(store.save({{"level", "info"}}));
  }
  std::error_code save_new() {
    return store.save({{"level", "debug"}, {"output", "/var/log/x"}});
  }
};

}  // namespace

TEST_CASE_METHOD(SavedConfig, "a lock held by another owner times out",
                 "[config][lock]") {
  const auto mode =
      GENERATE(memfs::LockMode::shared, memfs::LockMode::exclusive);
  CAPTURE(mode == memfs::LockMode::shared ? "a reader holds it"
                                          : "a writer holds it");
  auto hold = faults().hold_lock(store.lock_path(), mode);
  const auto start = clock->steady_now();

  CHECK(store.update([](ConfigStore::Config& c) { c["level"] = "debug"; }) ==
        memfs::errc::lock_timeout);
  CHECK(clock->steady_now() - start >= 30s);
  CHECK_THAT(fs(), FileContents("/srv/app/config", "level = info\n"));
}

TEST_CASE_METHOD(SavedConfig,
                 "a save that fails halfway keeps the old configuration",
                 "[config][faults]") {
  SECTION("the temporary file's sync fails") {
    faults().add("sync /srv/app/config.tmp once fail=EIO");
    CHECK(save_new() == std::errc::io_error);
  }
  SECTION("the rename over the old file fails") {
    faults().add("rename /srv/app/config.tmp once fail=EACCES");
    CHECK(save_new() == std::errc::permission_denied);
  }
  SECTION("the disk is full") {
    faults().disk_full_after(0);
    CHECK(save_new() == memfs::errc::quota_exceeded);
  }
  CHECK_THAT(fs(), FileContents("/srv/app/config", "level = info\n") &&
                       !HasFile("/srv/app/config.tmp"));
  std::error_code ec;
  CHECK(store.load(ec) == ConfigStore::Config{{"level", "info"}});
}

TEST_CASE_METHOD(SavedConfig, "hand-edited files parse", "[config]") {
  fs().write_file("/srv/app/config",
                  "# comment\n\n  level =  warn \r\nempty=\n");
  std::error_code ec;
  CHECK(store.load(ec) ==
        ConfigStore::Config{{"empty", ""}, {"level", "warn"}});
  CHECK_FALSE(ec);
}
