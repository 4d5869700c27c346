// The settings file under GoogleTest: the production code (std::ofstream,
// std::filesystem, POSIX fsync) runs unchanged on the test's filesystem,
// mounted by mount_path() (this binary links memfs::intercept). A full disk,
// a failing fsync and a failing rename must each leave the old settings
// intact and no temporary behind.
#include <cerrno>
#include <system_error>

#include "settings_file.hpp"
#include <memfs/gtest.hpp>

namespace {

using example::load_settings;
using example::save_settings;
using example::Settings;
using memfs::gtest::FileContents;
using memfs::gtest::TreeEquals;

// Every test of the fixture runs with its filesystem mounted.
class SettingsFileTest : public memfs::gtest::Test {
 protected:
  SettingsFileTest() : file_(mount_path() + "/app.conf") {}

  // The settings every failing save must leave behind.
  void save_old() { save_settings(file_, {{"theme", "light"}}); }
  void expect_old_kept() {
    EXPECT_THAT(fs(), TreeEquals({{"/app.conf", "theme=light\n"}}));
    EXPECT_EQ(load_settings(file_), (Settings{{"theme", "light"}}));
  }
  // save_settings(new settings), expected to fail with `code`.
  void expect_save_fails(std::errc code) {
    try {
      save_settings(file_, {{"theme", "dark"}, {"font", "mono"}});
      ADD_FAILURE() << "save_settings did not throw";
    } catch (const std::system_error& e) {
      EXPECT_EQ(e.code(), std::make_error_code(code)) << e.what();
    }
  }

  const std::string file_;
};

TEST_F(SettingsFileTest, SavesAndLoadsThroughTheMount) {
  save_settings(file_, {{"theme", "dark"}, {"font", "mono"}});
  EXPECT_THAT(fs(), FileContents("/app.conf", "font=mono\ntheme=dark\n"));
  EXPECT_EQ(load_settings(file_),
            (Settings{{"font", "mono"}, {"theme", "dark"}}));
  EXPECT_FALSE(fs().exists("/app.conf.tmp"));
}

TEST_F(SettingsFileTest, AMissingFileGivesNoSettings) {
  EXPECT_TRUE(load_settings(file_).empty());
}

TEST_F(SettingsFileTest, AFullDiskKeepsTheOldSettings) {
  save_old();
  faults().disk_full_after(4);  // std::ofstream gets badbit
  expect_save_fails(std::errc::no_space_on_device);
  expect_old_kept();
}

TEST_F(SettingsFileTest, AFailingFsyncKeepsTheOldSettings) {
  save_old();
  faults().add("sync /app.conf.tmp once fail=EIO");  // fsync(2) fails with EIO
  expect_save_fails(std::errc::io_error);
  expect_old_kept();
}

TEST_F(SettingsFileTest, AFailingRenameKeepsTheOldSettings) {
  save_old();
  faults().add("rename /app.conf.tmp once fail=EIO");
  expect_save_fails(std::errc::io_error);
  expect_old_kept();
}

TEST_F(SettingsFileTest, AFailingDirectoryFsyncIsReportedAfterTheRename) {
  save_old();
  faults().add("sync / once fail=EIO");  // fsync(2) of the directory
  expect_save_fails(std::errc::io_error);
  // Step 4 comes after the rename: the new settings are in place.
  EXPECT_THAT(fs(), TreeEquals({{"/app.conf", "font=mono\ntheme=dark\n"}}));
}

}  // namespace
