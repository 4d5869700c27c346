// The settings file under Catch2: the same production code, unchanged, on
// the run's filesystem mounted by mount_path() (this binary links
// memfs::intercept); each SECTION is a run with a fresh filesystem and a
// fresh mount, so each fault starts from the same old settings.
#include <system_error>

#include "settings_file.hpp"
#include <memfs/catch2.hpp>

using example::load_settings;
using example::save_settings;
using example::Settings;

namespace {

// Every run of the fixture is mounted.
struct MountedSettings : memfs::catch2::Fixture {
  MountedSettings() : file(mount_path() + "/app.conf") {}
  const std::string file;
};

// save_settings(new settings) must fail with `code`.
void require_save_fails(const std::string& file, std::errc code) {
  try {
    save_settings(file, {{"theme", "dark"}, {"font", "mono"}});
    FAIL("save_settings did not throw");
  } catch (const std::system_error& e) {
    INFO(e.what());
    REQUIRE(e.code() == std::make_error_code(code));
  }
}

}  // namespace

TEST_CASE_METHOD(MountedSettings,
                 "settings are saved and loaded through the mount",
                 "[settings]") {
  save_settings(file, {{"theme", "dark"}, {"font", "mono"}});
  REQUIRE_THAT(fs(), memfs::catch2::FileContents("/app.conf",
                                                 "font=mono\ntheme=dark\n"));
  REQUIRE(load_settings(file) == Settings{{"font", "mono"}, {"theme", "dark"}});
  REQUIRE_FALSE(fs().exists("/app.conf.tmp"));
  REQUIRE(load_settings(file + ".missing").empty());
}

TEST_CASE_METHOD(MountedSettings, "a failed save keeps the old settings",
                 "[settings][faults]") {
  save_settings(file, {{"theme", "light"}});

  SECTION("the disk is full: std::ofstream gets badbit") {
    faults().disk_full_after(4);
    require_save_fails(file, std::errc::no_space_on_device);
  }
  SECTION("fsync fails with EIO") {
    faults().add("sync /app.conf.tmp once fail=EIO");
    require_save_fails(file, std::errc::io_error);
  }
  SECTION("the rename fails") {
    faults().add("rename /app.conf.tmp once fail=EIO");
    require_save_fails(file, std::errc::io_error);
  }

  REQUIRE_THAT(fs(),
               memfs::catch2::TreeEquals({{"/app.conf", "theme=light\n"}}));
  REQUIRE(load_settings(file) == Settings{{"theme", "light"}});
}

TEST_CASE_METHOD(MountedSettings,
                 "a failing directory fsync is reported after the rename",
                 "[settings][faults]") {
  save_settings(file, {{"theme", "light"}});
  faults().add("sync / once fail=EIO");  // fsync(2) of the directory
  require_save_fails(file, std::errc::io_error);
  // Step 4 comes after the rename: the new settings are in place.
  REQUIRE_THAT(fs(), memfs::catch2::TreeEquals(
                         {{"/app.conf", "font=mono\ntheme=dark\n"}}));
}
