// Snapshots as single tar.gz files (export_snapshot_archive) and back
// (import_snapshot_archive): the same tree, manifest and page; names the host
// cannot hold come back exactly; the real tar extracts the snapshot folder.
#include <gtest/gtest.h>

#include "archive/archive_test_util.hpp"
#include "memfs/archive.hpp"
#include "memfs/memory_file_system.hpp"
#include "memfs/snapshot.hpp"

namespace memfs::test {
namespace {

namespace stdfs = std::filesystem;

// A tree with names that must be escaped on the host.
void fill_escaped_names(FileSystem& fs) {
  fs.create_directories("/data/empty");
  fs.write_file("/data/a:b", "colon");
  fs.write_file("/data/bad\xff\xfe", std::string("\0\x01\xff", 3));
  fs.write_file("/data/CON", "device");
  fs.write_file("/100%.txt", "percent");
  fs.write_file("/<script>", "</script>");
}

// fill_escaped_names()'s tree in a MemoryFileSystem, exported under host/snapshots.
struct Exported {
  MemoryFileSystem fs;
  HostDir host;
  ExportReport snap = export_filled(fs, host);

  static ExportReport export_filled(FileSystem& fs, const HostDir& host) {
    fill_escaped_names(fs);
    return export_to_disk(fs, host.path() / "snapshots");
  }
};

TEST(SnapshotArchive, RoundTripRestoresEscapedNames) {
  Exported exported;
  auto& [fs, host, snap] = exported;
  ASSERT_FALSE(snap.escaped.empty());
  const stdfs::path tgz = snap.folder.string() + ".tar.gz";
  const ArchiveExportReport written = export_snapshot_archive(snap.folder, tgz);
  EXPECT_EQ(written.files, snap.files + 2);  // + manifest.json, index.html

  MemoryFileSystem back;
  const ImportReport read = import_snapshot_archive(back, tgz, "/");
  EXPECT_TRUE(read.from_snapshot);
  EXPECT_EQ(tree_of(back), tree_of(fs));
}

TEST(SnapshotArchive, TarExtractsTheSnapshotFolderWithItsPage) {
  Exported exported;
  auto& [fs, host, snap] = exported;
  const stdfs::path tgz = host.path() / "one.tar.gz";
  export_snapshot_archive(snap.folder, tgz);
  const stdfs::path out = host.path() / "out";
  stdfs::create_directories(out);
  shell("tar -xzf " + quoted(tgz) + " -C " + quoted(out));
  const stdfs::path folder = out / snap.folder.filename();
  EXPECT_EQ(read_host(folder / "index.html"),
            read_host(snap.folder / "index.html"));
  EXPECT_EQ(read_host(folder / "manifest.json"),
            read_host(snap.folder / "manifest.json"));
  EXPECT_EQ(read_host(folder / "tree" / "data" / "a%3Ab"), "colon");
  EXPECT_TRUE(stdfs::is_directory(folder / "tree" / "data" / "empty"));
  // And the extracted folder is a snapshot import_from_disk() reads.
  MemoryFileSystem back;
  import_from_disk(back, folder, "/");
  EXPECT_EQ(tree_of(back), tree_of(fs));
}

TEST(SnapshotArchive, SameSnapshotSameBytes) {
  Exported exported;
  auto& [fs, host, snap] = exported;
  export_snapshot_archive(snap.folder, host.path() / "1.tar.gz");
  export_snapshot_archive(snap.folder, host.path() / "2.tar.gz");
  EXPECT_TRUE(read_host(host.path() / "1.tar.gz") ==
              read_host(host.path() / "2.tar.gz"));
}

TEST(SnapshotArchive, RefusesWhatIsNotASnapshot) {
  HostDir host;
  stdfs::create_directories(host.path() / "plain" / "tree");
  std::error_code ec;
  (void)export_snapshot_archive(host.path() / "plain", host.path() / "x.tar.gz",
                                ec);
  EXPECT_EQ(ec, std::errc::invalid_argument);
  EXPECT_FALSE(stdfs::exists(host.path() / "x.tar.gz"));

  // An archive of two folders, or of files without a manifest, is no snapshot.
  const stdfs::path two = host.path() / "two.tar.gz";
  write_archive(two, {{"a/manifest.json", 'f', "{}"}, {"b/x", 'f', "y"}},
                {ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FILTER_GZIP});
  MemoryFileSystem fs;
  (void)import_snapshot_archive(fs, two, "/", ec);
  EXPECT_EQ(ec, std::errc::invalid_argument);
  EXPECT_TRUE(fs.list_entries("/").empty());
}

TEST(SnapshotArchive, HostileEntriesAreRefused) {
  HostDir host;
  const stdfs::path evil = host.path() / "evil.tar.gz";
  write_archive(
      evil, {{"s/manifest.json", 'f', "{}"}, {"s/tree/../../../x", 'f', "y"}},
      {ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FILTER_GZIP});
  MemoryFileSystem fs;
  EXPECT_THROW((void)import_snapshot_archive(fs, evil, "/"), filesystem_error);
  EXPECT_TRUE(fs.list_entries("/").empty());
}

}  // namespace
}  // namespace memfs::test
