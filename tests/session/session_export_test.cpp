// TestSession: the lazily created filesystem, options, and what finish()
// exports under each policy.
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "memfs/test_session.hpp"
#include "support/child_process.hpp"
#include "support/scoped_env.hpp"
#include "support/test_identity.hpp"

namespace {

using memfs::JsonValue;
using memfs::TestIdentity;
using memfs::TestSession;
using memfs::test_support::ScopedEnv;
using memfs::test_support::ScratchDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
namespace fs = std::filesystem;

TestIdentity identity() {
  return memfs::test_support::gtest_identity(
      "Suite/Inst.Case/1", "\"b\"", "/src/suite_test.cpp", 42,
      "/bin/suite --gtest_filter=Suite/Inst.Case/1", "repeat2");
}

// Each test gets its own snapshot root and a clean environment.
class SessionExport : public ::testing::Test {
 protected:
  fs::path root() const { return scratch_.path() / "snapshots"; }
  std::vector<fs::path> folders() const {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(root(), ec))
      out.push_back(e.path());
    return out;
  }
  JsonValue manifest(const fs::path& folder) const {
    std::error_code ec;
    JsonValue v = JsonValue::parse(
        memfs::test_support::read_host_file(folder / "manifest.json"), ec);
    EXPECT_FALSE(ec) << folder;
    return v;
  }
  const JsonValue& section(const JsonValue& m, const char* name) const {
    const JsonValue* sections = m.find("sections");
    EXPECT_NE(sections, nullptr);
    const JsonValue* s = sections != nullptr ? sections->find(name) : nullptr;
    EXPECT_NE(s, nullptr) << name;
    static const JsonValue kNull;
    return s != nullptr ? *s : kNull;
  }

  ScratchDir scratch_;
  ScopedEnv dir_{"MEMFS_SNAPSHOT_DIR", root().string()};
  ScopedEnv policy_{"MEMFS_SNAPSHOT", nullptr};
  ScopedEnv faults_{"MEMFS_FAULTS", nullptr};
  ScopedEnv seed_{"MEMFS_FAULT_SEED", nullptr};
};

TEST_F(SessionExport, CreatesTheFilesystemOnFirstUse) {
  TestSession session(identity());
  EXPECT_FALSE(session.used());
  memfs::MemoryFileSystem& a = session.fs();
  EXPECT_TRUE(session.used());
  EXPECT_EQ(&a, &session.fs());
  EXPECT_EQ(&session.faults().file_system(), &a);
  EXPECT_EQ(a.hook(), &session.faults());
}

TEST_F(SessionExport, OptionsApplyBeforeFirstUseOnly) {
  TestSession session(identity());
  memfs::MemoryOptions o;
  o.max_quota = 10;
  session.set_options(o);
  EXPECT_EQ(session.fs().stats().quota, 10u);
  try {
    session.set_options(o);
    FAIL() << "set_options after first use did not throw";
  } catch (const std::logic_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("already in use"));
    EXPECT_THAT(e.what(), HasSubstr("Suite/Inst.Case/1"));
  }
}

TEST_F(SessionExport, ArmsTheRulesAndSeedFromTheEnvironment) {
  ScopedEnv rules("MEMFS_FAULTS", "write /a once fail=EIO");
  ScopedEnv seed("MEMFS_FAULT_SEED", "77");
  TestSession session(identity());
  EXPECT_EQ(session.faults().seed(), 77u);
  std::error_code ec;
  session.fs().write_file("/a", "x", ec);
  EXPECT_EQ(ec, std::errc::io_error);
}

TEST_F(SessionExport, AFullDiskFromTheEnvironmentReportsItsRefusals) {
  ScopedEnv rules("MEMFS_FAULTS", "disk_full_after=5");
  TestSession session(identity());
  std::error_code ec;
  session.fs().write_file("/a", "0123456789", ec);
  EXPECT_EQ(ec, memfs::errc::quota_exceeded);
  const auto out = session.finish(true);
  EXPECT_THAT(out.report, HasSubstr("memfs fault log: seed 0, 1 firing\n"));
  EXPECT_THAT(out.report, HasSubstr("#1 write /a: fail=quota_exceeded (rule 1 "
                                    "'disk_full_after=5', call 1"));
}

TEST_F(SessionExport, BadRulesInTheEnvironmentThrowFromFirstUse) {
  ScopedEnv rules("MEMFS_FAULTS", "write /a nht=3 fail=EIO");
  TestSession session(identity());
  try {
    (void)session.fs();
    ADD_FAILURE() << "no fault_rule_error";
  } catch (const memfs::fault_rule_error& e) {
    // The variable and the clause as written, so the reader knows where to
    // look.
    EXPECT_THAT(e.what(), HasSubstr("MEMFS_FAULTS: rule 1, column 10"));
    EXPECT_THAT(e.what(), HasSubstr("got 'nht=3'"));
  }
  EXPECT_FALSE(session.used());
}

TEST_F(SessionExport, AFailedTestIsExportedWithItsManifestSections) {
  TestSession session(identity());
  session.fs().create_directories("/data/empty");
  session.fs().write_file("/data/a.txt", "hello");
  session.add_failure("first failure");
  session.add_failure("second failure");
  const auto out = session.finish(true);

  ASSERT_TRUE(out.exported) << out.error;
  EXPECT_THAT(out.error, IsEmpty());
  EXPECT_THAT(folders(), ElementsAre(out.folder));
  EXPECT_EQ(out.folder.parent_path(), root());
  EXPECT_EQ(out.folder.filename(), TestSession::folder_name(identity()));
  EXPECT_EQ(memfs::test_support::read_host_file(out.folder / "tree/data/a.txt"),
            "hello");
  EXPECT_TRUE(fs::is_directory(out.folder / "tree/data/empty"));

  const JsonValue m = manifest(out.folder);
  const JsonValue& test = section(m, "test");
  EXPECT_EQ(test.find("name")->text(), "Suite/Inst.Case/1");
  EXPECT_EQ(test.find("framework")->text(), "googletest");
  EXPECT_EQ(test.find("parameter")->text(), "\"b\"");
  EXPECT_EQ(test.find("file")->text(), "/src/suite_test.cpp");
  EXPECT_EQ(test.find("line")->as_uint64(), 42u);
  EXPECT_EQ(test.find("location")->text(), "/src/suite_test.cpp:42");
  EXPECT_EQ(test.find("run")->text(), "repeat2");
  const JsonValue& failures = section(m, "failures");
  ASSERT_EQ(failures.size(), 2u);
  EXPECT_EQ(failures.items()[0].text(), "first failure");
  EXPECT_EQ(failures.items()[1].text(), "second failure");
  EXPECT_EQ(section(m, "faults").find("seed")->as_uint64(), 0u);

  EXPECT_THAT(out.report,
              HasSubstr("memfs: snapshot of Suite/Inst.Case/1 written to " +
                        out.folder.string() + "\n"));
  EXPECT_THAT(out.report, HasSubstr("a.txt  (5 B)"));
  EXPECT_THAT(out.report, HasSubstr("empty/"));
}

TEST_F(SessionExport, TheFaultSectionHoldsSeedRulesLogAndAReproduceLine) {
  ScopedEnv seed("MEMFS_FAULT_SEED", "1234");
  TestSession session(identity());
  session.faults().add("write /log/* nth=2 fail=quota_exceeded");
  session.fs().create_directory("/log");
  session.fs().write_file("/log/a", "1");
  std::error_code ec;
  session.fs().write_file("/log/b", "2", ec);
  ASSERT_EQ(ec, memfs::errc::quota_exceeded);
  const auto out = session.finish(true);
  ASSERT_TRUE(out.exported) << out.error;

  const JsonValue m = manifest(out.folder);
  const JsonValue& faults = section(m, "faults");
  EXPECT_EQ(faults.find("seed")->as_uint64(), 1234u);
  ASSERT_EQ(faults.find("rules")->size(), 1u);
  EXPECT_EQ(faults.find("rules")->items()[0].text(),
            "write /log/* nth=2 fail=quota_exceeded");
  ASSERT_EQ(faults.find("log")->size(), 1u);
  EXPECT_THAT(faults.find("log")->items()[0].text(), HasSubstr("write /log/b"));
  EXPECT_EQ(
      faults.find("reproduce")->text(),
      "MEMFS_FAULT_SEED=1234 /bin/suite --gtest_filter=Suite/Inst.Case/1");
  EXPECT_THAT(out.report, HasSubstr("memfs fault log: seed 1234, 1 firing"));
  EXPECT_THAT(out.report,
              HasSubstr("reproduce with: MEMFS_FAULT_SEED=1234 /bin/suite"));
}

TEST_F(SessionExport, APassingTestLeavesNothingByDefault) {
  TestSession session(identity());
  session.fs().write_file("/a", "x");
  const auto out = session.finish(false);
  EXPECT_FALSE(out.exported);
  EXPECT_THAT(out.report, IsEmpty());
  EXPECT_FALSE(fs::exists(root()));
}

TEST_F(SessionExport, AnUnusedFilesystemIsNeverExported) {
  ScopedEnv policy("MEMFS_SNAPSHOT", "always");
  TestSession session(identity());
  session.add_failure("failed without memfs");
  const auto out = session.finish(true);
  EXPECT_FALSE(out.exported);
  EXPECT_THAT(out.report, IsEmpty());
  EXPECT_FALSE(fs::exists(root()));
}

TEST_F(SessionExport, AlwaysExportsAPassingTestWithAOneLineReport) {
  ScopedEnv policy("MEMFS_SNAPSHOT", "always");
  TestSession session(identity());
  session.fs().write_file("/a", "x");
  const auto out = session.finish(false);
  ASSERT_TRUE(out.exported) << out.error;
  EXPECT_EQ(out.report, "memfs: snapshot of Suite/Inst.Case/1 written to " +
                            out.folder.string() + "\n");
  const JsonValue m = manifest(out.folder);
  EXPECT_THAT(section(m, "failures").items(), IsEmpty());
}

TEST_F(SessionExport, NeverExportsButStillDescribesAFailure) {
  ScopedEnv policy("MEMFS_SNAPSHOT", "never");
  TestSession session(identity());
  session.fs().write_file("/kept.txt", "x");
  const auto out = session.finish(true);
  EXPECT_FALSE(out.exported);
  EXPECT_FALSE(fs::exists(root()));
  EXPECT_THAT(out.report, HasSubstr("not exported: MEMFS_SNAPSHOT=never"));
  EXPECT_THAT(out.report, HasSubstr("kept.txt"));
}

TEST_F(SessionExport, AnExportFailureIsReportedNotThrown) {
  const fs::path blocker = scratch_.path() / "a-file";
  std::ofstream(blocker) << "x";
  ScopedEnv dir("MEMFS_SNAPSHOT_DIR", (blocker / "snapshots").string());
  TestSession session(identity());
  session.fs().write_file("/a", "x");
  const auto out = session.finish(true);
  EXPECT_FALSE(out.exported);
  EXPECT_THAT(out.error, HasSubstr("memfs: could not export the snapshot of "
                                   "Suite/Inst.Case/1 to " +
                                   (blocker / "snapshots").string()));
  EXPECT_THAT(out.report, HasSubstr(out.error));
  EXPECT_THAT(out.report, HasSubstr("a  (1 B)")) << "the tree is still shown";
}

TEST_F(SessionExport, TheSameTestTwiceGetsTwoFolders) {
  std::vector<fs::path> written;
  for (int i = 0; i < 2; ++i) {
    TestSession session(identity());
    session.fs().write_file("/run", std::to_string(i));
    const auto out = session.finish(true);
    ASSERT_TRUE(out.exported) << out.error;
    written.push_back(out.folder);
  }
  EXPECT_NE(written[0], written[1]);
  EXPECT_EQ(folders().size(), 2u);
  EXPECT_EQ(memfs::test_support::read_host_file(written[1] / "tree/run"), "1");
}

TEST_F(SessionExport, FinishIsOnceOnly) {
  TestSession session(identity());
  session.fs().write_file("/a", "x");
  EXPECT_TRUE(session.finish(true).exported);
  const auto again = session.finish(true);
  EXPECT_FALSE(again.exported);
  EXPECT_THAT(again.report, IsEmpty());
  EXPECT_EQ(folders().size(), 1u);
}

TEST_F(SessionExport, LargeTreesAreTruncatedInTheReport) {
  TestSession session(identity());
  for (int i = 0; i < 300; ++i)
    session.fs().write_file("/f" + std::to_string(i), "x");
  const auto out = session.finish(true);
  EXPECT_THAT(out.report, HasSubstr("more entries"));
  EXPECT_LT(memfs::test_support::count(out.report, "\n"), 110u);
}

}  // namespace
