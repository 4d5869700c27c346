// One fresh filesystem per run of a Catch2 test case, and one snapshot per
// failing run, named after its section path and run number. Each test runs
// a test case of the fixture binary (fixtures/) in a subprocess.
#include <map>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "catch2_adapter/fixture_process.hpp"

namespace memfs::catch2_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::SizeIs;

class CatchRuns : public ::testing::Test {
 protected:
  FixtureRun run(
      const std::string& test_case,
      const std::vector<std::pair<std::string, std::string>>& env = {}) {
    return run_fixture(dir_.path(), fixture_binary(), {test_case}, env);
  }

  static std::string test_name(const FixtureRun& r, const std::string& folder) {
    return r.test_field(folder, "name");
  }

  ScratchDir dir_;
};

TEST_F(CatchRuns, APassingTestExitsZeroAndLeavesNoSnapshot) {
  FixtureRun r = run("passes");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.snapshots(), IsEmpty());
  EXPECT_THAT(r.err, Not(HasSubstr("memfs:")));
}

TEST_F(CatchRuns, AFailingTestExportsItsTreeAndNamesItOnStderr) {
  FixtureRun r = run("fails");
  EXPECT_NE(r.exit_code, 0);
  ASSERT_THAT(r.snapshots(),
              ElementsAre(MatchesRegex("fails-[0-9a-f]{8}-run1")));
  const std::string folder = r.snapshots()[0];
  EXPECT_EQ(r.tree(folder),
            (std::map<std::string, std::string>{{"/data/out.txt", "partial"}}));
  EXPECT_THAT(r.err, HasSubstr("memfs: snapshot of fails written to " +
                               (r.snapshot_root / folder).string()));
  EXPECT_THAT(r.err, HasSubstr("└── data/\n    └── out.txt  (7 B)"));
  EXPECT_THAT(r.out, Not(HasSubstr("memfs:")));
}

TEST_F(CatchRuns, TheManifestDescribesTheRunAndItsFailure) {
  FixtureRun r = run("fails");
  ASSERT_THAT(r.snapshots(), SizeIs(1));
  JsonValue m = r.manifest(r.snapshots()[0]);
  const JsonValue& test = *m.find("sections")->find("test");
  EXPECT_EQ(test.find("name")->text(), "fails");
  EXPECT_EQ(test.find("framework")->text(), "catch2");
  EXPECT_EQ(test.find("run")->text(), "run1");
  EXPECT_THAT(test.find("file")->text(), HasSubstr("fixtures/runs.cpp"));
  EXPECT_THAT(test.find("command")->text(),
              HasSubstr("memfs_catch2_fixture' 'fails'"));
  const JsonValue& failures = *m.find("sections")->find("failures");
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_THAT(
      failures.items()[0].text(),
      MatchesRegex(
          ".*runs\\.cpp:[0-9]+: REQUIRE\\( "
          "fs\\(\\)\\.read_file\\(\"/data/out\\.txt\"\\) == "
          "\"complete\" \\) with expansion: \"partial\" == \"complete\""));
}

TEST_F(CatchRuns, OnlyTheFailingSectionRunIsExportedWithItsSectionPath) {
  FixtureRun r = run("sections");
  EXPECT_NE(r.exit_code, 0);
  ASSERT_THAT(r.snapshots(),
              ElementsAre(MatchesRegex("sections___B-[0-9a-f]{8}-run2")));
  EXPECT_EQ(test_name(r, r.snapshots()[0]), "sections / B");
  // Section B ran on a fresh tree: A's file is not there (its CHECK_FALSE
  // passed: the only failure is the FAIL).
  EXPECT_EQ(r.tree(r.snapshots()[0]),
            (std::map<std::string, std::string>{{"/shared/b.txt", "from B"}}));
  const std::vector<std::string> failures = r.failures(r.snapshots()[0]);
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_THAT(failures[0], HasSubstr("FAIL: B fails on purpose"));
}

TEST_F(CatchRuns, NestedSectionsNameTheWholePath) {
  FixtureRun r = run("nested sections");
  ASSERT_THAT(r.snapshots(),
              ElementsAre(MatchesRegex(
                  "nested_sections___outer___inner_1-[0-9a-f]{8}-run1")));
  EXPECT_EQ(test_name(r, r.snapshots()[0]),
            "nested sections / outer / inner 1");
  EXPECT_EQ(r.tree(r.snapshots()[0]),
            (std::map<std::string, std::string>{{"/inner1.txt", "1"},
                                                {"/top.txt", "top"}}));
}

TEST_F(CatchRuns, EachGeneratorValueIsARunOfItsOwn) {
  FixtureRun r = run("generated");
  EXPECT_NE(r.exit_code, 0);
  // Values 1, 2, 3; only 2 fails, and each run started empty (REQUIRE_FALSE
  // on /n.txt passed every time).
  ASSERT_THAT(r.snapshots(),
              ElementsAre(MatchesRegex("generated-[0-9a-f]{8}-run2")));
  EXPECT_EQ(r.tree(r.snapshots()[0]),
            (std::map<std::string, std::string>{{"/n.txt", "2"}}));
}

TEST_F(CatchRuns, AnExceptionFromTheBodyIsAFailureWithItsMessage) {
  FixtureRun r = run("throws");
  ASSERT_THAT(r.snapshots(), SizeIs(1));
  const std::vector<std::string> failures = r.failures(r.snapshots()[0]);
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_THAT(failures[0],
              HasSubstr("unexpected exception: boom from the body"));
}

TEST_F(CatchRuns, ARunThatNeverUsedItsFilesystemIsNotExported) {
  FixtureRun r = run("fails without touching memfs");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.snapshots(), IsEmpty());
  EXPECT_THAT(r.err, Not(HasSubstr("memfs:")));
}

TEST_F(CatchRuns, TheAccessorsWorkFromSeveralThreads) {
  FixtureRun r = run("threads");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST_F(CatchRuns, OptionsSetBeforeFirstUseApply) {
  FixtureRun r = run("options");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST_F(CatchRuns, TheFaultLogIsInTheReportAndTheManifest) {
  FixtureRun r = run("fault");
  ASSERT_THAT(r.snapshots(), SizeIs(1));
  EXPECT_THAT(r.err, HasSubstr("#1 write /db/b.log: fail=EIO"));
  const JsonValue manifest = r.manifest(r.snapshots()[0]);
  const JsonValue& faults = *manifest.find("sections")->find("faults");
  ASSERT_EQ(faults.find("log")->size(), 1u);
  EXPECT_THAT(faults.find("reproduce")->text(), HasSubstr("'fault'"));
}

TEST_F(CatchRuns, TheManifestCommandRerunsExactlyThatSection) {
  FixtureRun r = run("nested sections");
  ASSERT_THAT(r.snapshots(), SizeIs(1));
  const std::string command = r.test_field(r.snapshots()[0], "command");
  EXPECT_THAT(command, HasSubstr("'nested sections' -c 'outer' -c 'inner 1'"));
  ScratchDir again;
  FixtureRun rerun = run_fixture(again.path(), "/bin/sh", {"-c", command});
  EXPECT_NE(rerun.exit_code, 0);
  // Only the failing leaf ran: one snapshot, the same name.
  ASSERT_THAT(rerun.snapshots(), SizeIs(1));
  EXPECT_EQ(test_name(rerun, rerun.snapshots()[0]),
            "nested sections / outer / inner 1");
}

TEST_F(CatchRuns, TheCommandSelectsANameFullOfSpecialCharacters) {
  FixtureRun r = run("odd\\, name \\[x] 'quoted' \\\\ end");
  ASSERT_THAT(r.snapshots(), SizeIs(1)) << r.out << r.err;
  const std::string command = r.test_field(r.snapshots()[0], "command");
  ScratchDir again;
  FixtureRun rerun = run_fixture(again.path(), "/bin/sh", {"-c", command});
  ASSERT_THAT(rerun.snapshots(), SizeIs(1)) << command << "\n" << rerun.out;
  EXPECT_EQ(test_name(rerun, rerun.snapshots()[0]),
            "odd, name [x] 'quoted' \\ end");
}

TEST_F(CatchRuns, AUserMainKeepsTheListener) {
  FixtureRun r = run_fixture(dir_.path(), fixture_main_binary(), {});
  EXPECT_NE(r.exit_code, 0);
  ASSERT_THAT(r.snapshots(),
              ElementsAre(MatchesRegex("own_main_fails-[0-9a-f]{8}-run1")));
  EXPECT_EQ(r.tree(r.snapshots()[0]),
            (std::map<std::string, std::string>{{"/own-main.txt", "m"}}));
}

TEST_F(CatchRuns, CatchConfigMainKeepsTheListener) {
  FixtureRun r = run_fixture(dir_.path(), fixture_config_binary(), {});
  EXPECT_NE(r.exit_code, 0);
  ASSERT_THAT(r.snapshots(),
              ElementsAre(MatchesRegex("config_main_fails-[0-9a-f]{8}-run1")));
}

}  // namespace
}  // namespace memfs::catch2_test
