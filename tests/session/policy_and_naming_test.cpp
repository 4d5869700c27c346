// TestSession's environment: MEMFS_SNAPSHOT, the snapshot root, and the
// snapshot folder's name.
#include <filesystem>
#include <set>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "memfs/snapshot.hpp"
#include "memfs/test_session.hpp"
#include "support/scoped_env.hpp"

namespace {

using memfs::SnapshotPolicy;
using memfs::TestIdentity;
using memfs::TestSession;
using memfs::test_support::ScopedEnv;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
namespace fs = std::filesystem;

TestIdentity named(std::string name, std::string parameter = "",
                   std::string run = "") {
  TestIdentity id;
  id.full_name = std::move(name);
  id.parameter = std::move(parameter);
  id.run_suffix = std::move(run);
  return id;
}

TEST(SnapshotPolicy, ParsesTheThreeNames) {
  SnapshotPolicy p = SnapshotPolicy::never;
  EXPECT_TRUE(TestSession::parse_policy("on_failure", p));
  EXPECT_EQ(p, SnapshotPolicy::on_failure);
  EXPECT_TRUE(TestSession::parse_policy("always", p));
  EXPECT_EQ(p, SnapshotPolicy::always);
  EXPECT_TRUE(TestSession::parse_policy("never", p));
  EXPECT_EQ(p, SnapshotPolicy::never);
}

TEST(SnapshotPolicy, RejectsOtherNamesAndLeavesThePolicyAlone) {
  SnapshotPolicy p = SnapshotPolicy::always;
  for (const char* text : {"", "Always", "on-failure", "yes", "never "}) {
    EXPECT_FALSE(TestSession::parse_policy(text, p)) << text;
    EXPECT_EQ(p, SnapshotPolicy::always);
  }
}

TEST(SnapshotPolicy, DefaultsToOnFailureWhenUnsetOrEmpty) {
  {
    ScopedEnv unset("MEMFS_SNAPSHOT", nullptr);
    EXPECT_EQ(TestSession::policy_from_env(), SnapshotPolicy::on_failure);
  }
  ScopedEnv empty("MEMFS_SNAPSHOT", "");
  EXPECT_EQ(TestSession::policy_from_env(), SnapshotPolicy::on_failure);
}

TEST(SnapshotPolicy, ReadsTheVariable) {
  {
    ScopedEnv env("MEMFS_SNAPSHOT", "always");
    EXPECT_EQ(TestSession::policy_from_env(), SnapshotPolicy::always);
  }
  ScopedEnv env("MEMFS_SNAPSHOT", "never");
  EXPECT_EQ(TestSession::policy_from_env(), SnapshotPolicy::never);
}

TEST(SnapshotPolicy, AnInvalidValueGivesOnFailureAndOneWarning) {
  ScopedEnv env("MEMFS_SNAPSHOT", "sometimes");
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(TestSession::policy_from_env(), SnapshotPolicy::on_failure);
  EXPECT_EQ(TestSession::policy_from_env(), SnapshotPolicy::on_failure);
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(err, HasSubstr("memfs: ignoring MEMFS_SNAPSHOT='sometimes'"));
  EXPECT_EQ(err.find("ignoring", err.find("ignoring") + 1), std::string::npos)
      << "warned twice: " << err;
}

TEST(SnapshotRoot, PrefersMemfsSnapshotDir) {
  ScopedEnv dir("MEMFS_SNAPSHOT_DIR", "/tmp/memfs-a");
  ScopedEnv bazel("TEST_UNDECLARED_OUTPUTS_DIR", "/tmp/memfs-b");
  EXPECT_EQ(TestSession::snapshot_root(), fs::path("/tmp/memfs-a"));
}

TEST(SnapshotRoot, ThenBazelsUndeclaredOutputsDir) {
  ScopedEnv dir("MEMFS_SNAPSHOT_DIR", "");  // empty counts as unset
  ScopedEnv bazel("TEST_UNDECLARED_OUTPUTS_DIR", "/tmp/memfs-b");
  EXPECT_EQ(TestSession::snapshot_root(), fs::path("/tmp/memfs-b"));
}

TEST(SnapshotRoot, ElseMemfsSnapshotsInTheCurrentDirectory) {
  ScopedEnv dir("MEMFS_SNAPSHOT_DIR", nullptr);
  ScopedEnv bazel("TEST_UNDECLARED_OUTPUTS_DIR", nullptr);
  EXPECT_EQ(TestSession::snapshot_root(),
            fs::current_path() / "memfs-snapshots");
}

TEST(SnapshotRoot, IsAlwaysAbsolute) {
  ScopedEnv dir("MEMFS_SNAPSHOT_DIR", "out/snaps");
  const fs::path root = TestSession::snapshot_root();
  EXPECT_TRUE(root.is_absolute()) << root;
  EXPECT_EQ(root, fs::current_path() / "out" / "snaps");
}

TEST(FolderName, KeepsASafeNameAndAddsAStableHash) {
  // FNV-1a 32 of "Suite.Case\0": pinned so names stay stable across versions.
  EXPECT_EQ(TestSession::folder_name(named("Suite.Case")),
            "Suite.Case-3369f40d");
}

TEST(FolderName, SanitizesSlashesQuotesSpacesAndBrackets) {
  const std::string name =
      TestSession::folder_name(named("Inst/P.Works/0 \"q\" [x] <y>:z"));
  EXPECT_THAT(name, MatchesRegex("Inst_P\\.Works_0__q___x___y__z-[0-9a-f]{8}"));
}

TEST(FolderName, UsesOnlyPortableCharacters) {
  const std::string name = TestSession::folder_name(
      named("é/\\*?|\x01\x7f.tail", "p", "repeat 2/x"));
  EXPECT_THAT(name, MatchesRegex("[A-Za-z0-9._-]+"));
  EXPECT_NE(name.front(), '.');
  EXPECT_NE(name.front(), '-');
}

TEST(FolderName, TheHashTellsApartNamesThatSanitizeAlike) {
  const std::string a = TestSession::folder_name(named("A/B.c"));
  const std::string b = TestSession::folder_name(named("A_B.c"));
  EXPECT_NE(a, b);
  EXPECT_EQ(a.substr(0, 6), "A_B.c-");
  EXPECT_EQ(b.substr(0, 6), "A_B.c-");
}

TEST(FolderName, TheParameterIsPartOfTheHash) {
  EXPECT_NE(TestSession::folder_name(named("Typed/0.Works", "int")),
            TestSession::folder_name(named("Typed/0.Works", "long")));
}

TEST(FolderName, EndsWithTheRunSuffix) {
  EXPECT_THAT(TestSession::folder_name(named("S.T", "", "repeat2-shard1of3")),
              MatchesRegex("S\\.T-[0-9a-f]{8}-repeat2-shard1of3"));
}

TEST(FolderName, ALeadingDotOrDashBecomesAnUnderscore) {
  EXPECT_THAT(TestSession::folder_name(named(".hidden")),
              MatchesRegex("_hidden-.*"));
  EXPECT_THAT(TestSession::folder_name(named("-dash")),
              MatchesRegex("_dash-.*"));
}

TEST(FolderName, ATrailingDotBecomesAnUnderscoreAsInSnapshotNames) {
  // Windows drops a trailing dot; sanitize_snapshot_name() replaces it, so a
  // folder name ending in one would not be kept as it is by export_to_disk().
  const std::string name = TestSession::folder_name(named("S.T", "", "run."));
  EXPECT_THAT(name, MatchesRegex("S\\.T-[0-9a-f]{8}-run_"));
  EXPECT_EQ(memfs::sanitize_snapshot_name(name), name);
}

TEST(FolderName, AnEmptyNameBecomesTest) {
  EXPECT_THAT(TestSession::folder_name(named("")),
              MatchesRegex("test-[0-9a-f]{8}"));
}

TEST(FolderName, LongNamesAreCutTo80BytesAndStayDistinct) {
  const std::string base(200, 'n');
  std::set<std::string> names;
  for (const char* tail : {"1", "2", "3"}) {
    const std::string name =
        TestSession::folder_name(named(base + tail, "", "repeat12"));
    EXPECT_LE(name.size(), 80u) << name;
    EXPECT_THAT(name, MatchesRegex("n+-[0-9a-f]{8}-repeat12"));
    names.insert(name);
  }
  EXPECT_EQ(names.size(), 3u);
}

}  // namespace
