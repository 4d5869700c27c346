// MEMFS_SNAPSHOT_FORMAT seen from outside real GoogleTest and Catch2 test
// binaries: under tar.gz a failing test leaves one .tar.gz, which reads back
// (import_snapshot_archive) to the tree the folder form holds, odd names
// restored; under both, the folder and the archive; an unknown value is an
// error naming the variable that loses nothing.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "archive/archive_test_util.hpp"
#include "memfs/archive.hpp"
#include "memfs/json.hpp"
#include "memfs/memory_file_system.hpp"
#include "memfs/snapshot.hpp"
#include "support/child_process.hpp"
#include "support/odd_names_tree.hpp"

namespace memfs::test {
namespace {

namespace stdfs = std::filesystem;
using test_support::ChildOptions;
using test_support::ChildRun;
using test_support::folder_names;
using test_support::ScratchDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

// A framework's test binary and the arguments that run its failing test
// with odd names (fixtures/odd_names.cpp), and the pattern of its folder's
// name.
struct Framework {
  const char* name;
  const char* binary;
  std::vector<std::string> args;
  const char* folder;
  int failed_exit;  // the exit code of a run whose one test fails
};

void PrintTo(const Framework& f, std::ostream* os) { *os << f.name; }

const Framework kFrameworks[] = {
    {"googletest",
     MEMFS_GTEST_FIXTURE,
     {"--gtest_filter=OddNames.Fails"},
     "OddNames\\.Fails-[0-9a-f]{8}",
     1},
    {"catch2",
     MEMFS_CATCH2_FIXTURE,
     {"odd names fail"},
     "odd_names_fail-[0-9a-f]{8}-run1",
     MEMFS_CATCH2_MAJOR >= 3 ? 42 : 1},  // v2: the failed count; v3: 42
};

class SnapshotFormat : public ::testing::TestWithParam<Framework> {
 protected:
  // Runs the failing test in `dir` with MEMFS_SNAPSHOT_FORMAT=`format`
  // ("" leaves it unset).
  ChildRun run(const ScratchDir& dir, const std::string& format) const {
    ChildOptions options;
    options.env = {{"MEMFS_SNAPSHOT_FORMAT", format}};
    return test_support::run_child(dir.path(), GetParam().binary,
                                   GetParam().args, options);
  }

  // The tree the default form (a folder) holds, as import_from_disk() reads it.
  Tree folder_tree() const {
    ScratchDir dir;
    const ChildRun r = run(dir, "");
    EXPECT_EQ(r.exit_code, GetParam().failed_exit);
    const std::vector<std::string> names = r.snapshots();
    EXPECT_THAT(names,
                ElementsAre(MatchesRegex(std::string(GetParam().folder))));
    MemoryFileSystem back;
    if (!names.empty()) import_from_disk(back, r.snapshot_root / names[0]);
    return tree_of(back);
  }

  // What import_snapshot_archive() reads from `archive`.
  static Tree archive_tree(const stdfs::path& archive) {
    MemoryFileSystem back;
    EXPECT_TRUE(import_snapshot_archive(back, archive).from_snapshot);
    return tree_of(back);
  }
};

TEST_P(SnapshotFormat, TarGzLeavesOneArchiveWithTheFoldersTree) {
  ScratchDir dir;
  const ChildRun r = run(dir, "tar.gz");
  EXPECT_EQ(r.exit_code, GetParam().failed_exit);
  const std::vector<std::string> names = r.snapshots();
  ASSERT_THAT(names, ElementsAre(MatchesRegex(std::string(GetParam().folder) +
                                              "\\.tar\\.gz")));
  const stdfs::path archive = r.snapshot_root / names[0];
  EXPECT_THAT(r.err, HasSubstr(" written to " + archive.string() + "\n"));

  const Tree tree = archive_tree(archive);
  EXPECT_EQ(tree, folder_tree());
  MemoryFileSystem written;  // what the test wrote
  test_support::write_odd_names(written);
  EXPECT_EQ(tree, tree_of(written));
  EXPECT_EQ(tree.files.at("/data/a:b"), "colon");
  EXPECT_EQ(tree.files.at("/data/bad\xff\xfe"), std::string("\0\x01\xff", 3));
  EXPECT_THAT(tree.empty_directories, ElementsAre("/data/empty"));

  // The archive is the snapshot folder: its page and manifest too.
  MemoryFileSystem raw;
  import_archive(raw, archive, "/");
  const std::string folder = "/" + names[0].substr(0, names[0].size() - 7);
  EXPECT_TRUE(raw.exists(folder + "/index.html"));
  std::error_code ec;
  const JsonValue manifest =
      JsonValue::parse(raw.read_file(folder + "/manifest.json"), ec);
  ASSERT_FALSE(ec);
  EXPECT_EQ(manifest.find("sections")->find("test")->find("framework")->text(),
            GetParam().name);
}

TEST_P(SnapshotFormat, BothLeavesTheFolderAndItsArchive) {
  ScratchDir dir;
  const ChildRun r = run(dir, "both");
  EXPECT_EQ(r.exit_code, GetParam().failed_exit);
  const std::vector<std::string> names = r.snapshots();
  ASSERT_EQ(names.size(), 2u);
  EXPECT_THAT(names[0], MatchesRegex(GetParam().folder));
  EXPECT_EQ(names[1], names[0] + ".tar.gz");
  EXPECT_THAT(
      r.err, HasSubstr(" written to " + (r.snapshot_root / names[0]).string() +
                       " and " + (r.snapshot_root / names[1]).string() + "\n"));
  MemoryFileSystem from_folder;
  import_from_disk(from_folder, r.snapshot_root / names[0]);
  EXPECT_EQ(archive_tree(r.snapshot_root / names[1]), tree_of(from_folder));
  EXPECT_EQ(tree_of(from_folder), folder_tree());
}

TEST_P(SnapshotFormat, AnEarlierArchiveIsNeverOverwritten) {
  ScratchDir dir;
  const ChildRun first = run(dir, "tar.gz");
  ASSERT_THAT(first.snapshots(), ::testing::SizeIs(1));
  const std::string name = first.snapshots()[0];
  const std::string before =
      test_support::read_host_file(first.snapshot_root / name);
  const ChildRun second = run(dir, "tar.gz");
  const std::string stem = name.substr(0, name.size() - 7);
  EXPECT_THAT(second.snapshots(), ElementsAre(stem + "-2.tar.gz", name));
  EXPECT_EQ(test_support::read_host_file(first.snapshot_root / name), before);
}

TEST_P(SnapshotFormat, AnUnknownFormatIsAnErrorThatKeepsTheFolder) {
  ScratchDir dir;
  const ChildRun r = run(dir, "zip");
  EXPECT_EQ(r.exit_code, GetParam().failed_exit);
  EXPECT_THAT(r.out + r.err,
              HasSubstr("memfs: MEMFS_SNAPSHOT_FORMAT='zip' is not a snapshot "
                        "format (expected dir, tar.gz or both)"));
  ASSERT_THAT(r.snapshots(), ElementsAre(MatchesRegex(GetParam().folder)));
  MemoryFileSystem back;
  import_from_disk(back, r.snapshot_root / r.snapshots()[0]);
  EXPECT_EQ(back.read_file("/data/a:b"), "colon");
}

INSTANTIATE_TEST_SUITE_P(Frameworks, SnapshotFormat,
                         ::testing::ValuesIn(kFrameworks), [](const auto& p) {
                           return std::string(p.param.name);
                         });

// Catch2 reports an exception leaving the body only after the run's
// snapshot is written: the archive's manifest gets it too.
TEST(SnapshotFormatCatch2, AFailureReportedLateReachesTheArchive) {
  ScratchDir dir;
  ChildOptions options;
  options.env = {{"MEMFS_SNAPSHOT_FORMAT", "tar.gz"}};
  const ChildRun r = test_support::run_child(dir.path(), MEMFS_CATCH2_FIXTURE,
                                             {"throws"}, options);
  EXPECT_NE(r.exit_code, 0);
  const std::vector<std::string> names = r.snapshots();
  ASSERT_THAT(names,
              ElementsAre(MatchesRegex("throws-[0-9a-f]{8}-run1\\.tar\\.gz")));
  MemoryFileSystem raw;
  import_archive(raw, r.snapshot_root / names[0], "/");
  const std::string folder = "/" + names[0].substr(0, names[0].size() - 7);
  EXPECT_THAT(raw.read_file(folder + "/manifest.json"),
              HasSubstr("boom from the body"));
}

}  // namespace
}  // namespace memfs::test
