// The listener seen from outside: real gtest binaries run as subprocesses,
// and their exit codes, output, XML/JSON reports and snapshot folders are
// checked.
#include <filesystem>
#include <sstream>
#include <string>

#include "fixture_runs.hpp"

namespace memfs::gtest_test {
namespace {

using test_support::count;
using test_support::read_host_file;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;
namespace fs = std::filesystem;

TEST(Listener, AFailingTestLeavesASnapshotOfItsTree) {
  ScratchDir dir;
  const auto run = run_fixture(dir, {"--gtest_filter=Basic.FailsWithTree"});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  ASSERT_THAT(run.snapshots(), ElementsAre(FolderFor("Basic.FailsWithTree")));
  const std::string folder = run.snapshots()[0];
  EXPECT_THAT(run.tree(folder),
              ElementsAre(std::pair<const std::string, std::string>(
                  "/data/a.txt", "hello")));
  EXPECT_TRUE(fs::is_directory(run.snapshot_root / folder / "tree/data/empty"));
}

TEST(Listener, TheManifestNamesTheTestAndItsFailures) {
  ScratchDir dir;
  const auto run = run_fixture(dir, {"--gtest_filter=Basic.FailsWithTree"});
  ASSERT_THAT(run.snapshots(), SizeIs(1));
  const JsonValue manifest = run.manifest(run.snapshots()[0]);
  const JsonValue test = section(manifest, "test");
  EXPECT_EQ(text_of(test, "name"), "Basic.FailsWithTree");
  EXPECT_EQ(text_of(test, "framework"), "googletest");
  EXPECT_EQ(text_of(test, "parameter"), "");
  EXPECT_THAT(text_of(test, "file"), EndsWith("fixtures/basic.cpp"));
  EXPECT_EQ(test.find("line")->as_uint64(), 18u);
  EXPECT_THAT(text_of(test, "location"), EndsWith("fixtures/basic.cpp:18"));
  // The binary's path is quoted when the checkout's folder needs it: run
  // the command rather than spell it out.
  const std::string command = text_of(test, "command");
  EXPECT_THAT(command, AllOf(HasSubstr("memfs_gtest_fixture"),
                             EndsWith(" --gtest_filter=Basic.FailsWithTree")));
  ScratchDir again;
  EXPECT_THAT(run_shell(again, command).snapshots(),
              ElementsAre(FolderFor("Basic.FailsWithTree")))
      << command;
  EXPECT_THAT(strings_of(section(manifest, "failures")),
              ElementsAre(AllOf(HasSubstr("basic.cpp:21: "),
                                HasSubstr("deliberate failure one")),
                          AllOf(HasSubstr("basic.cpp:22: "),
                                HasSubstr("deliberate failure two"))));
}

TEST(Listener, PrintsTheFolderAndTreeOnStderrOnly) {
  ScratchDir dir;
  const auto run = run_fixture(dir, {"--gtest_filter=Basic.FailsWithTree"});
  ASSERT_THAT(run.snapshots(), SizeIs(1));
  const std::string folder = (run.snapshot_root / run.snapshots()[0]).string();
  EXPECT_EQ(run.err, "memfs: snapshot of Basic.FailsWithTree written to " +
                         folder +
                         "\n"
                         "/\n"
                         "└── data/\n"
                         "    ├── a.txt  (5 B)\n"
                         "    └── empty/\n");
  EXPECT_THAT(run.out, Not(HasSubstr("memfs")));
}

TEST(Listener, TheReportComesBeforeGtestsFailedLine) {
  ScratchDir dir;
  ChildOptions merged;
  merged.merge_output = true;
  const auto run =
      run_fixture(dir, {"--gtest_filter=Basic.FailsWithTree"}, merged);
  const auto started = run.out.find("[ RUN      ] Basic.FailsWithTree");
  const auto failure = run.out.find("deliberate failure two");
  const auto report = run.out.find("memfs: snapshot of Basic.FailsWithTree");
  const auto tree = run.out.find("    └── empty/");
  const auto failed = run.out.find("[  FAILED  ] Basic.FailsWithTree (");
  ASSERT_NE(failed, std::string::npos) << run.out;
  EXPECT_LT(started, failure);
  EXPECT_LT(failure, report);
  EXPECT_LT(report, tree);
  EXPECT_LT(tree, failed);
}

TEST(Listener, PassingTestsLeaveNothingBehind) {
  ScratchDir dir;
  const auto run = run_fixture(
      dir, {"--gtest_filter=Basic.Passes:Plain.PassesWithAccessor:Small.*:"
            "Plain.OptionsForAPlainTest:Plain.ThreadsShareOneFilesystem"});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("[  PASSED  ] 7 tests."));
  EXPECT_FALSE(fs::exists(run.snapshot_root));
  EXPECT_EQ(run.err, "");
}

TEST(Listener, AFailingTestThatNeverUsedMemfsLeavesNothing) {
  ScratchDir dir;
  const auto run =
      run_fixture(dir, {"--gtest_filter=Plain.FailsWithoutFilesystem"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_FALSE(fs::exists(run.snapshot_root));
  EXPECT_EQ(run.err, "");
}

TEST(Listener, TheFilesystemOutlivesTearDownAndTheFixture) {
  ScratchDir dir;
  const auto run = run_fixture(dir, {"--gtest_filter=Lifecycle.*"});
  ASSERT_THAT(run.snapshots(), SizeIs(1));
  EXPECT_THAT(run.tree(run.snapshots()[0]),
              ElementsAre(std::pair<const std::string, std::string>(
                              "/from_body.txt", "body"),
                          std::pair<const std::string, std::string>(
                              "/from_destructor.txt", "dtor"),
                          std::pair<const std::string, std::string>(
                              "/from_teardown.txt", "teardown")));
}

TEST(Listener, PlainTestsUseTheAccessor) {
  ScratchDir dir;
  const auto run = run_fixture(dir, {"--gtest_filter=Plain.FailsWithAccessor"});
  ASSERT_THAT(run.snapshots(),
              ElementsAre(FolderFor("Plain.FailsWithAccessor")));
  EXPECT_THAT(run.tree(run.snapshots()[0]),
              ElementsAre(std::pair<const std::string, std::string>(
                  "/plain.txt", "plain")));
}

TEST(Listener, TheFaultLogAndSeedReachManifestAndOutput) {
  ScratchDir dir;
  ChildOptions options;
  options.env = {{"MEMFS_FAULT_SEED", "99"}};
  const auto run =
      run_fixture(dir, {"--gtest_filter=Plain.FailsAfterFault"}, options);
  ASSERT_THAT(run.snapshots(), SizeIs(1));
  const JsonValue faults = section(run.manifest(run.snapshots()[0]), "faults");
  EXPECT_EQ(faults.find("seed")->as_uint64(), 99u);
  EXPECT_THAT(strings_of(*faults.find("rules")),
              ElementsAre("write /log/* nth=2 fail=quota_exceeded"));
  EXPECT_THAT(strings_of(*faults.find("log")),
              ElementsAre(HasSubstr("#1 write /log/b: fail=quota_exceeded")));
  const std::string reproduce = text_of(faults, "reproduce");
  EXPECT_THAT(reproduce,
              AllOf(StartsWith("MEMFS_FAULT_SEED=99 "),
                    HasSubstr("memfs_gtest_fixture"),
                    EndsWith(" --gtest_filter=Plain.FailsAfterFault")));
  ScratchDir again;
  const auto rerun = run_shell(again, reproduce);
  ASSERT_THAT(rerun.snapshots(), SizeIs(1)) << reproduce;
  EXPECT_EQ(section(rerun.manifest(rerun.snapshots()[0]), "faults")
                .find("seed")
                ->as_uint64(),
            99u);
  EXPECT_THAT(run.err, HasSubstr("memfs fault log: seed 99, 1 firing"));
  EXPECT_THAT(run.err, HasSubstr("reproduce with: MEMFS_FAULT_SEED=99 "));
}

TEST(Listener, RulesFromTheEnvironmentApplyAndAreReplayable) {
  ScratchDir dir;
  ChildOptions options;
  options.env = {{"MEMFS_FAULTS", "write /plain.txt once fail=EIO"}};
  const auto run =
      run_fixture(dir, {"--gtest_filter=Plain.PassesWithAccessor"}, options);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.out, HasSubstr("Input/output error"));
  ASSERT_THAT(run.snapshots(), SizeIs(1));
  const JsonValue faults = section(run.manifest(run.snapshots()[0]), "faults");
  EXPECT_THAT(
      text_of(faults, "reproduce"),
      StartsWith("MEMFS_FAULT_SEED=0 MEMFS_FAULTS='write /plain.txt once "
                 "fail=EIO' "));
}

TEST(Listener, ALargeTreeIsTruncatedInTheOutputButNotOnDisk) {
  ScratchDir dir;
  const auto run =
      run_fixture(dir, {"--gtest_filter=Plain.FailsWithLargeTree"});
  EXPECT_THAT(run.err, HasSubstr("more entries\n"));
  EXPECT_LT(count(run.err, "\n"), 70u);
  ASSERT_THAT(run.snapshots(), SizeIs(1));
  EXPECT_THAT(run.tree(run.snapshots()[0]), SizeIs(300));
}

TEST(Listener, TheXmlReportHoldsTheSnapshotProperty) {
  ScratchDir dir;
  const fs::path xml = dir.path() / "report.xml";
  const auto run =
      run_fixture(dir, {"--gtest_filter=Basic.FailsWithTree:Basic.Passes",
                        "--gtest_output=xml:" + xml.string()});
  ASSERT_THAT(run.snapshots(), SizeIs(1));
  const std::string report = read_host_file(xml);
  const std::string property =
      "<property name=\"memfs_snapshot\" value=\"" +
      (run.snapshot_root / run.snapshots()[0]).string() + "\"/>";
  EXPECT_EQ(count(report, "memfs_snapshot"), 1u) << report;
  const auto testcase = report.find("<testcase name=\"FailsWithTree\"");
  const auto at = report.find(property);
  ASSERT_NE(at, std::string::npos) << report;
  EXPECT_LT(testcase, at);
  EXPECT_LT(at, report.find("</testcase>", testcase));
}

TEST(Listener, TheJsonReportHoldsTheSnapshotProperty) {
  ScratchDir dir;
  const fs::path json = dir.path() / "report.json";
  const auto run = run_fixture(dir, {"--gtest_filter=Basic.FailsWithTree",
                                     "--gtest_output=json:" + json.string()});
  ASSERT_THAT(run.snapshots(), SizeIs(1));
  // gtest's JSON writer escapes '/' as "\/".
  std::string folder;
  for (char c : (run.snapshot_root / run.snapshots()[0]).string()) {
    folder += c == '/' ? std::string("\\/") : std::string(1, c);
  }
  EXPECT_THAT(read_host_file(json),
              HasSubstr("\"memfs_snapshot\": \"" + folder + "\""));
}

// A File kept in a static past its test: that test fails, naming the file,
// its mode and the test; later tests see a harmless handle; the process
// exits normally (it used to crash at exit in ~File once another test ran).
TEST(Listener, AFileLeftOpenFailsItsTestAndStaysHarmless) {
  ScratchDir dir;
  const auto run = run_fixture(dir, {"--gtest_filter=KeptFile.*"});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("[  FAILED  ] KeptFile.OpensAndKeepsIt"));
  EXPECT_THAT(
      run.out,
      HasSubstr(
          "memfs: 1 file still open at the end of KeptFile.OpensAndKeepsIt"));
  EXPECT_THAT(run.out,
              HasSubstr("/data/kept.txt (mode \"w\", exclusive lock held, "
                        "opened during KeptFile.OpensAndKeepsIt by thread "));
  for (const char* ok : {"AnotherTestRunsMeanwhile", "ItFailsCleanlyLater",
                         "ClosingItLaterIsHarmless"}) {
    EXPECT_THAT(run.out, HasSubstr(std::string("[       OK ] KeptFile.") + ok));
  }
  ASSERT_THAT(run.snapshots(),
              ElementsAre(FolderFor("KeptFile.OpensAndKeepsIt")));
  EXPECT_THAT(strings_of(section(run.manifest(run.snapshots()[0]), "failures")),
              ElementsAre(HasSubstr("1 file still open at the end of "
                                    "KeptFile.OpensAndKeepsIt")));
}

TEST(Listener, AFileLeftOpenIsDestroyedSafelyAtExit) {
  ScratchDir dir;
  const auto run = run_fixture(dir, {"--gtest_filter=KeptFile.OpensAndKeepsIt:"
                                     "KeptFile.AnotherTestRunsMeanwhile"});
  EXPECT_EQ(run.exit_code, 1)
      << run.out << run.err;  // 1: a failed test, no signal
  EXPECT_THAT(run.out,
              HasSubstr("[       OK ] KeptFile.AnotherTestRunsMeanwhile"));
  // Under AddressSanitizer a bad access at exit also exits with 1.
  EXPECT_THAT(run.err, Not(HasSubstr("AddressSanitizer")));
}

TEST(Listener, StaticInitializationPrintsNothing) {
  ScratchDir dir;
  const auto run = run_fixture(dir, {"--gtest_list_tests"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.err, "");
  std::istringstream lines(run.out);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "Running main() from ./googletest/src/gtest_main.cc");
  int entries = 0;
  while (std::getline(lines, line)) {
    EXPECT_THAT(line, ::testing::MatchesRegex("[A-Za-z0-9_/]+\\.(  # Type.*)?|"
                                              "  [A-Za-z0-9_/]+(  # .*)?"))
        << "stray line";
    ++entries;
  }
  EXPECT_GT(entries, 30);
}

}  // namespace
}  // namespace memfs::gtest_test
