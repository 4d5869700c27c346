// import_from_disk(): golden folders, snapshot round trips, all or nothing.
#include <gtest/gtest.h>

#include "disk_test_util.hpp"
#include "memfs/disk_file_system.hpp"
#include "memfs/memory_file_system.hpp"
#include "memfs/snapshot.hpp"

namespace memfs::test {
namespace {

namespace stdfs = std::filesystem;

const stdfs::path kGolden = stdfs::path(MEMFS_TEST_DATA_DIR) / "disk/golden";

TEST(SnapshotImport, AGoldenFolderIsImportedWithItsNamesTakenLiterally) {
  MemoryFileSystem fs;
  const ImportReport r = import_from_disk(fs, kGolden, "/in");
  EXPECT_FALSE(r.from_snapshot);
  EXPECT_EQ(r.files, 3u);
  EXPECT_EQ(r.directories, 2u);
  EXPECT_EQ(fs.read_file("/in/config/app.ini"),
            read_host(kGolden / "config/app.ini"));
  EXPECT_EQ(fs.read_file("/in/data/records.csv"), "id,name\n1,alpha\n2,beta\n");
  EXPECT_TRUE(
      fs.exists("/in/100%.txt"));  // no percent-decoding outside snapshots
  EXPECT_EQ(fs.status("/in/config/app.ini").generation, 0u);
}

TEST(SnapshotImport, EmptyDirectoriesComeAlong) {
  HostDir host;
  stdfs::create_directories(host.path() / "a/empty");
  stdfs::create_directories(host.path() / "b");
  std::ofstream(host.path() / "a/f") << "data";
  MemoryFileSystem fs;
  const ImportReport r =
      import_from_disk(fs, host.path() / "");  // trailing '/'
  EXPECT_EQ(r.directories, 3u);
  EXPECT_TRUE(fs.is_directory("/a/empty"));
  EXPECT_TRUE(fs.is_directory("/b"));
  EXPECT_EQ(fs.read_file("/a/f"), "data");
}

TEST(SnapshotImport,
     ASnapshotRoundTripsContentsEmptyDirectoriesAndEscapedNames) {
  MemoryFileSystem source;
  source.create_directories("/cfg/empty dir");
  source.write_file("/cfg/a:b", "colon");
  source.write_file("/cfg/100%", "percent");
  source.write_file("/CON", "device name");
  source.write_file("/bin", std::string("\0\x01\xff", 3));
  HostDir host;
  const ExportReport exported = export_to_disk(source, host.path());
  EXPECT_EQ(exported.escaped.size(), 3u);  // a:b, 100%, CON
  MemoryFileSystem copy;
  const ImportReport r = import_from_disk(copy, exported.folder);
  EXPECT_TRUE(r.from_snapshot);
  const ExportedTree a = source.export_tree();
  const ExportedTree b = copy.export_tree();
  EXPECT_EQ(a.files, b.files);
  EXPECT_EQ(a.empty_directories, b.empty_directories);
}

TEST(SnapshotImport, ATreeDeeperThanPathMaxRoundTrips) {
  // 120 folders of 40-character names: about 4,900 bytes of host path below
  // the snapshot folder, past PATH_MAX (4096), which no single open() can take.
  MemoryFileSystem source;
  std::string deep;
  for (int i = 0; i < 120; ++i)
    deep += "/" + std::string(38, 'd') + std::to_string(i % 10) + ":";
  source.create_directories(deep + "/empty");
  source.write_file(deep + "/leaf", "bottom");
  source.write_file("/top", "top");
  HostDir host;
  const ExportReport exported = export_to_disk(source, host.path());
  ASSERT_TRUE(exported.skipped.empty());
  MemoryFileSystem copy;
  const ImportReport r = import_from_disk(copy, exported.folder);
  EXPECT_TRUE(r.from_snapshot);
  EXPECT_EQ(r.files, 2u);
  EXPECT_EQ(r.directories, 121u);
  EXPECT_EQ(copy.read_file(deep + "/leaf"), "bottom");
  EXPECT_EQ(source.export_tree().files, copy.export_tree().files);
  EXPECT_EQ(source.export_tree().empty_directories,
            copy.export_tree().empty_directories);
}

TEST(SnapshotImport, ItIsAllOrNothingWithinTheQuota) {
  HostDir host;
  stdfs::create_directories(host.path() / "deep/empty");
  stdfs::create_directories(host.path() / "other/empty");
  std::ofstream(host.path() / "other/big") << std::string(2000, 'x');
  MemoryOptions opts;
  opts.max_quota = 1000;
  MemoryFileSystem fs(opts);
  fs.write_file("/keep", "k");
  std::error_code ec;
  (void)import_from_disk(fs, host.path(), "/dest", ec);
  EXPECT_EQ(ec, errc::quota_exceeded);
  EXPECT_EQ(fs.list("/"), (std::vector<std::string>{"keep"}));
  EXPECT_THROW((void)import_from_disk(fs, host.path(), "/dest"),
               quota_exceeded_error);
}

TEST(SnapshotImport, ItWorksIntoADiskFileSystemToo) {
  auto fs = DiskFileSystem::create_temporary();
  (void)import_from_disk(*fs, kGolden, "/");
  EXPECT_EQ(fs->read_file("/data/records.csv"), "id,name\n1,alpha\n2,beta\n");
}

TEST(SnapshotImport, WhatMemfsCannotHoldIsRefused) {
  MemoryFileSystem fs;
  std::error_code ec;
  {
    HostDir host;
    std::ofstream(host.path() / "back\\slash") << "x";
    (void)import_from_disk(fs, host.path(), "/", ec);
    EXPECT_EQ(ec, std::errc::invalid_argument);
  }
  {
    HostDir host;
    stdfs::create_symlink("/etc/hostname", host.path() / "link");
    (void)import_from_disk(fs, host.path(), "/", ec);
    EXPECT_EQ(ec, std::errc::operation_not_supported);
  }
  (void)import_from_disk(fs, "/nonexistent/memfs/golden", "/", ec);
  EXPECT_EQ(ec, std::errc::no_such_file_or_directory);
  EXPECT_TRUE(fs.list("/").empty());
}

TEST(SnapshotImport, AManifestThatIsNotJsonIsInvalid) {
  HostDir host;
  stdfs::create_directories(host.path() / "tree");
  std::ofstream(host.path() / "manifest.json") << "{ not json";
  MemoryFileSystem fs;
  std::error_code ec;
  (void)import_from_disk(fs, host.path(), "/", ec);
  EXPECT_EQ(ec, std::errc::invalid_argument);
}

}  // namespace
}  // namespace memfs::test
