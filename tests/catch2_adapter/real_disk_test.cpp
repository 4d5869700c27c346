// MEMFS_REAL_DISK seen from outside a real Catch2 binary that links
// memfs::intercept (fixtures/real_disk.cpp).
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "catch2_adapter/fixture_process.hpp"

namespace memfs::catch2_test {
namespace {

using ::testing::ContainsRegex;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

class CatchRealDisk : public ::testing::Test {
 protected:
  FixtureRun run(
      const std::string& test_case,
      const std::vector<std::pair<std::string, std::string>>& env = {}) {
    return run_fixture(dir_.path(), MEMFS_CATCH2_FIXTURE_REAL_DISK, {test_case},
                       env);
  }
  // The report's lines for "writes to the working directory".
  std::string written_lines() const {
    const std::string d = dir_.path().string();
    return "\n  fopen(64)? " + d +
           "/touched.txt \\(thread [0-9]+ \"[^\"]+\"\\)" + "\n  mkdir " + d +
           "/made \\(thread [0-9]+ \"[^\"]+\"\\)";
  }

  ScratchDir dir_;
};

TEST_F(CatchRealDisk, ReportModePrintsTheAccessesWhenTheRunEnds) {
  const FixtureRun r = run("writes to the working directory");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.err, ContainsRegex(
                         "memfs: writes to the working directory / and makes a "
                         "folder touched the real disk outside its mounts "
                         "\\(MEMFS_REAL_DISK=report; allow a folder with "
                         "allow_real_disk\\(\\)\\):" +
                         written_lines()));
}

// `text` with each run of whitespace made one space (Catch2 wraps and
// indents the messages it prints).
std::string flat(const std::string& text) {
  std::string out;
  for (char c : text) {
    const bool space = c == ' ' || c == '\n';
    if (!space) {
      out += c;
    } else if (out.empty() || out.back() != ' ') {
      out += ' ';
    }
  }
  return out;
}

TEST_F(CatchRealDisk, FailModeFailsTheRunWithTheList) {
  const FixtureRun r =
      run("writes to the working directory", {{"MEMFS_REAL_DISK", "fail"}});
  EXPECT_EQ(r.exit_code, MEMFS_CATCH2_MAJOR >= 3 ? 42 : 1) << r.out << r.err;
  EXPECT_THAT(flat(r.out),
              ContainsRegex("memfs: writes to the working directory / and "
                            "makes a folder touched the real disk outside its "
                            "mounts \\(MEMFS_REAL_DISK=fail; allow a folder "
                            "with allow_real_disk\\(\\)\\):" +
                            flat(written_lines())));
}

TEST_F(CatchRealDisk, AllowModeRecordsNothing) {
  const FixtureRun r =
      run("writes to the working directory", {{"MEMFS_REAL_DISK", "allow"}});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.err, Not(HasSubstr("memfs:")));
}

TEST_F(CatchRealDisk, AllowedFoldersMountsAndSystemFoldersPass) {
  for (const char* name :
       {"allows its folder", "uses a mount and system folders"}) {
    const FixtureRun r = run(name, {{"MEMFS_REAL_DISK", "fail"}});
    EXPECT_EQ(r.exit_code, 0) << name << "\n" << r.out << r.err;
  }
}

TEST_F(CatchRealDisk, TheFailingRunsSnapshotListsTheAccesses) {
  const FixtureRun r = run("fails after touching");
  EXPECT_EQ(r.exit_code, MEMFS_CATCH2_MAJOR >= 3 ? 42 : 1);
  ASSERT_EQ(r.snapshots().size(), 1u) << r.err;
  const JsonValue m = r.manifest(r.snapshots()[0]);
  const JsonValue* accesses = m.find("sections")->find("real_disk_accesses");
  ASSERT_NE(accesses, nullptr);
  ASSERT_EQ(accesses->size(), 1u) << accesses->dump();
  EXPECT_EQ(accesses->items()[0].find("op")->text(), "stat");
  EXPECT_EQ(accesses->items()[0].find("path")->text(),
            (dir_.path() / "touched-before-failing.txt").string());
}

}  // namespace
}  // namespace memfs::catch2_test
