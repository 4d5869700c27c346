// Where the Catch2 adapter reports: stderr always, the JUnit <system-out>
// from a Fixture, never stdout outside the reporter's XML; and the snapshot
// policy and root variables, shared with the GoogleTest adapter.
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "catch2_adapter/fixture_process.hpp"

namespace memfs::catch2_test {
namespace {

using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::IsSupersetOf;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::SizeIs;
namespace pt = boost::property_tree;

// Parses a JUnit report; fails the test if it is not well-formed XML.
pt::ptree parse_xml(const std::string& text) {
  std::istringstream in(text);
  pt::ptree tree;
  EXPECT_NO_THROW(pt::read_xml(in, tree)) << text;
  return tree;
}

// The texts of every <system-out> element of the report's test cases.
std::vector<std::string> testcase_outputs(const pt::ptree& report) {
  std::vector<std::string> outputs;
  for (const auto& [tag, suite] : report.get_child("testsuites")) {
    if (tag != "testsuite") continue;
    for (const auto& [kind, testcase] : suite) {
      if (kind != "testcase") continue;
      if (auto out = testcase.get_optional<std::string>("system-out")) {
        outputs.push_back(*out);
      }
    }
  }
  return outputs;
}

// `xml` without its <system-out> elements.
std::string without_system_out(std::string xml) {
  for (auto at = xml.find("<system-out>"); at != std::string::npos;
       at = xml.find("<system-out>", at)) {
    auto end = xml.find("</system-out>", at);
    if (end == std::string::npos) break;
    xml.erase(at, end + 13 - at);
  }
  return xml;
}

class CatchReporting : public ::testing::Test {
 protected:
  FixtureRun run(
      std::vector<std::string> args,
      const std::vector<std::pair<std::string, std::string>>& env = {}) {
    return run_fixture(dir_.path(), fixture_binary(), args, env);
  }
  ScratchDir dir_;
};

TEST_F(CatchReporting, JUnitOnStdoutStaysCleanWhenAPlainTestCaseFails) {
  FixtureRun r = run({"sections", "-r", "junit"});
  EXPECT_NE(r.exit_code, 0);
  ASSERT_THAT(r.snapshots(), SizeIs(1));
  EXPECT_EQ(r.out.rfind("<?xml", 0), 0u) << r.out;
  parse_xml(r.out);
  EXPECT_THAT(r.out, Not(HasSubstr("memfs:")));
  EXPECT_THAT(r.err, HasSubstr("memfs: snapshot of sections / B written to"));
}

TEST_F(CatchReporting, AFixtureReportsInsideTheRunSoJUnitCarriesThePath) {
  FixtureRun r = run({"fixture fails", "-r", "junit"});
  EXPECT_NE(r.exit_code, 0);
  ASSERT_THAT(r.snapshots(), SizeIs(1));
  const std::string folder = (r.snapshot_root / r.snapshots()[0]).string();
  std::vector<std::string> outputs = testcase_outputs(parse_xml(r.out));
  ASSERT_THAT(outputs, SizeIs(1)) << r.out;
  EXPECT_THAT(
      outputs[0],
      HasSubstr("memfs: snapshot of fixture fails written to " + folder));
  EXPECT_THAT(outputs[0], HasSubstr("data.bin  (10 B)"));
  EXPECT_THAT(outputs[0], HasSubstr("[[ATTACHMENT|" + folder + "]]"));
  EXPECT_THAT(without_system_out(r.out), Not(HasSubstr("memfs:")));
  // And the terminal sees it too, once.
  EXPECT_EQ(count(r.err, "memfs: snapshot of fixture fails"), 1u) << r.err;
}

TEST_F(CatchReporting, WithTheConsoleReporterAFixtureReportsOnStderrOnly) {
  FixtureRun r = run({"fixture fails"});
  ASSERT_THAT(r.snapshots(), SizeIs(1));
  EXPECT_EQ(count(r.err, "memfs: snapshot of fixture fails"), 1u) << r.err;
  EXPECT_THAT(r.out, Not(HasSubstr("memfs:")));
}

// A fixture body that throws fails its run as a failed REQUIRE does, and is
// reported the same way: inside the run, so JUnit's <system-out> names the
// snapshot; the exception's message (which Catch2 reports only after the
// fixture is gone) still reaches the manifest.
void expect_reported_inside_the_run(const FixtureRun& r,
                                    const std::string& name) {
  EXPECT_NE(r.exit_code, 0);
  ASSERT_THAT(r.snapshots(), SizeIs(1));
  const std::string folder = (r.snapshot_root / r.snapshots()[0]).string();
  std::vector<std::string> outputs = testcase_outputs(parse_xml(r.out));
  ASSERT_THAT(outputs, SizeIs(1)) << r.out;
  EXPECT_THAT(outputs[0], HasSubstr("memfs: snapshot of " + name +
                                    " written to " + folder));
  EXPECT_THAT(outputs[0], HasSubstr("[[ATTACHMENT|" + folder + "]]"));
  EXPECT_THAT(without_system_out(r.out), Not(HasSubstr("memfs: snapshot")));
  EXPECT_EQ(count(r.err, "memfs: snapshot of " + name), 1u) << r.err;
}

TEST_F(CatchReporting,
       AFixtureRunThatThrowsIsReportedInsideTheRunLikeARequire) {
  FixtureRun r = run({"fixture throws", "-r", "junit"});
  expect_reported_inside_the_run(r, "fixture throws");
  ASSERT_THAT(r.snapshots(), SizeIs(1));
  EXPECT_EQ(r.tree(r.snapshots()[0]),
            (std::map<std::string, std::string>{{"/db/LOCK", ""},
                                                {"/db/partial", "p"}}));
  const std::vector<std::string> failures = r.failures(r.snapshots()[0]);
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_THAT(failures[0],
              HasSubstr("unexpected exception: boom from a fixture test"));
}

TEST_F(CatchReporting, AFixtureRunThatThrowsReachesJUnitWithAlwaysToo) {
  FixtureRun r =
      run({"fixture throws", "-r", "junit"}, {{"MEMFS_SNAPSHOT", "always"}});
  expect_reported_inside_the_run(r, "fixture throws");
}

// A File kept in a static past its run fails that run (a failed assertion
// Catch2 counts and reports), names the file, and is harmless afterwards:
// the process exits normally.
TEST_F(CatchReporting, AFileLeftOpenFailsItsRunAndStaysHarmless) {
  FixtureRun r = run({"[kept]", "-r", "junit"});
  // One failed test case, no signal: Catch2 v2 exits with the count of
  // failed test cases, v3 with 42.
  EXPECT_EQ(r.exit_code, MEMFS_CATCH2_MAJOR >= 3 ? 42 : 1) << r.out << r.err;
  const pt::ptree report = parse_xml(r.out);
  std::map<std::string, std::string> failures;  // test case -> failure text
  for (const auto& [tag, testcase] : report.get_child("testsuites.testsuite")) {
    if (tag != "testcase") continue;
    auto failure = testcase.get_child_optional("failure");
    failures[testcase.get<std::string>("<xmlattr>.name")] =
        failure ? failure->get_value<std::string>() : "";
  }
  EXPECT_THAT(
      failures["kept file opens"],
      HasSubstr("memfs: 1 file still open at the end of kept file opens"));
  EXPECT_THAT(
      failures["kept file opens"],
      HasSubstr(
          "/data/kept.txt (mode \"w\", opened during kept file opens by "));
  // Under AddressSanitizer a bad access at exit also exits with 1.
  EXPECT_THAT(r.err, Not(HasSubstr("AddressSanitizer")));
  EXPECT_EQ(failures["kept file meanwhile"], "");
  EXPECT_EQ(failures["kept file later"], "");
  ASSERT_THAT(r.snapshots(), SizeIs(1));
  EXPECT_THAT(r.failures(r.snapshots()[0]),
              ElementsAre(HasSubstr(
                  "1 file still open at the end of kept file opens")));
}

TEST_F(CatchReporting, AFileLeftOpenByAFixtureRunReachesJUnitsOutput) {
  FixtureRun r = run({"kept file in a fixture", "-r", "junit"});
  expect_reported_inside_the_run(r, "kept file in a fixture");
  EXPECT_THAT(
      r.out,
      HasSubstr("/db/LOCK (mode \"r\", opened during kept file in a fixture"));
}

TEST_F(CatchReporting, FixtureSectionsGetAFreshFixtureAndFilesystemPerRun) {
  FixtureRun r = run({"fixture sections"});
  ASSERT_THAT(
      r.snapshots(),
      ElementsAre(MatchesRegex("fixture_sections___second-[0-9a-f]{8}-run2")));
  EXPECT_EQ(r.tree(r.snapshots()[0]),
            (std::map<std::string, std::string>{{"/db/LOCK", ""}}));
  const std::vector<std::string> failures = r.failures(r.snapshots()[0]);
  EXPECT_EQ(failures.size(), 1u);  // only the CHECK(false)
}

TEST_F(CatchReporting, AlwaysExportsEveryRunThatUsedItsFilesystem) {
  FixtureRun r = run({"sections"}, {{"MEMFS_SNAPSHOT", "always"}});
  // A and B, and (Catch2 2.13) a third run that enters no section: after a
  // section ends by an exception (FAIL), Catch2 runs the body once more to
  // look for sections it has not seen. That run used its filesystem too.
  EXPECT_THAT(r.snapshots(),
              IsSupersetOf({MatchesRegex("sections___A-[0-9a-f]{8}-run1"),
                            MatchesRegex("sections___B-[0-9a-f]{8}-run2")}));
  EXPECT_THAT(r.snapshots(),
              Each(MatchesRegex("sections(___A|___B)?-[0-9a-f]{8}-run[0-9]")));
  EXPECT_THAT(r.err, HasSubstr("memfs: snapshot of sections / A written to"));
}

TEST_F(CatchReporting, AlwaysFromAPassingFixtureReachesJUnitToo) {
  FixtureRun r =
      run({"fixture passes", "-r", "junit"}, {{"MEMFS_SNAPSHOT", "always"}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ASSERT_THAT(r.snapshots(), SizeIs(1));
  std::vector<std::string> outputs = testcase_outputs(parse_xml(r.out));
  ASSERT_THAT(outputs, SizeIs(1)) << r.out;
  EXPECT_THAT(outputs[0],
              HasSubstr("memfs: snapshot of fixture passes written to"));
}

TEST_F(CatchReporting, NeverExportsNothingButStillShowsTheTree) {
  FixtureRun r = run({"fails"}, {{"MEMFS_SNAPSHOT", "never"}});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.snapshots(), IsEmpty());
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "memfs-snapshots"));
  EXPECT_THAT(r.err, HasSubstr("not exported: MEMFS_SNAPSHOT=never"));
  EXPECT_THAT(r.err, HasSubstr("out.txt  (7 B)"));
}

TEST_F(CatchReporting, MayfailRunsAreExportedAndMarkedExpected) {
  FixtureRun r = run({"may fail"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  ASSERT_THAT(r.snapshots(),
              ElementsAre(MatchesRegex("may_fail-[0-9a-f]{8}-run1")));
  EXPECT_THAT(r.err,
              HasSubstr("may fail is marked [!mayfail]: this run's failure was "
                        "expected and does not fail the test case"));
  const std::vector<std::string> failures = r.failures(r.snapshots()[0]);
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].rfind("(expected, [!mayfail]) ", 0), 0u);
}

TEST_F(CatchReporting, ShouldfailRunsAreExportedAndMarkedExpected) {
  FixtureRun r = run({"should fail"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  ASSERT_THAT(r.snapshots(), SizeIs(1));
  EXPECT_THAT(r.err, HasSubstr("should fail is marked [!shouldfail]"));
}

TEST_F(CatchReporting, MatcherFailuresShowTheDiff) {
  FixtureRun r = run({"tree mismatch"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("missing file /out/b.txt (expected 3 B)"));
  EXPECT_THAT(r.out, HasSubstr("unexpected file /out/tmp~ (12 B)"));
  EXPECT_THAT(r.out, HasSubstr("first difference at byte 4"));
  EXPECT_THAT(r.out, HasSubstr("actual:   \"hellx world\""));
}

TEST_F(CatchReporting, PassingMatchersPass) {
  FixtureRun r = run({"matchers pass"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
}

TEST_F(CatchReporting, ListingTestsPrintsNothingElse) {
  // Test discovery (catch_discover_tests) parses this output.
#if MEMFS_CATCH2_MAJOR >= 3
  FixtureRun r = run({"--list-tests", "--verbosity", "quiet"});
#else
  FixtureRun r = run({"--list-test-names-only"});
#endif
  EXPECT_LT(r.exit_code, 128);  // v2 exits with the number of tests listed
  EXPECT_THAT(r.out, HasSubstr("sections\n"));
  EXPECT_THAT(r.out + r.err, Not(HasSubstr("memfs:")));
  EXPECT_THAT(r.snapshots(), IsEmpty());
}

TEST_F(CatchReporting, AnExportThatFailsIsReportedAndTheRunStillEnds) {
  const auto blocker = dir_.path() / "a-file";
  { std::ofstream(blocker) << "not a directory"; }
  FixtureRun r = run(
      {"fails"}, {{"MEMFS_SNAPSHOT_DIR", (blocker / "snapshots").string()}});
  EXPECT_NE(r.exit_code, 0);  // the test's own failure, not a crash
  EXPECT_LT(r.exit_code, 128) << r.err;
  EXPECT_THAT(r.err,
              HasSubstr("memfs: could not export the snapshot of fails to"));
  EXPECT_THAT(r.err, HasSubstr("out.txt  (7 B)"));  // the tree is still shown
}

TEST_F(CatchReporting, BazelsOutputDirIsUsedWithoutMemfsSnapshotDir) {
  const auto bazel = dir_.path() / "bazel-outputs";
  FixtureRun r =
      run({"fails"}, {{"MEMFS_SNAPSHOT_DIR", ""},
                      {"TEST_UNDECLARED_OUTPUTS_DIR", bazel.string()}});
  ASSERT_TRUE(std::filesystem::is_directory(bazel));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(bazel),
                          std::filesystem::directory_iterator()),
            1);
}

TEST_F(CatchReporting, TheWorkingDirectoryIsTheLastResort) {
  FixtureRun r = run({"fails"}, {{"MEMFS_SNAPSHOT_DIR", ""}});
  const auto local = dir_.path() / "memfs-snapshots";
  ASSERT_TRUE(std::filesystem::is_directory(local));
  EXPECT_THAT(r.err, HasSubstr("written to " + local.string() + "/fails-"));
}

}  // namespace
}  // namespace memfs::catch2_test
