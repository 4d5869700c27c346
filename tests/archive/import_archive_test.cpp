// import_archive: every format and compression, every input form, both
// modes, and archives made by the real tar and zip compared with what the
// real tar and unzip extract.
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <streambuf>
#include <string>
#include <vector>

#include <gmock/gmock.h>

#include "archive/archive_test_util.hpp"
#include "memfs/archive.hpp"
#include "memfs/memory_file_system.hpp"
#include "memfs/snapshot.hpp"

namespace memfs::test {
namespace {

const std::string kBinary("bin\0ary\xff\x01", 9);

std::vector<ArcEntry> sample_entries() {
  return {{"d/", 'd'},
          {"d/a.txt", 'f', "hello\n"},
          {"d/e/f/g.txt", 'f', "deep"},
          {"empty/", 'd'},
          {"empty/inner/", 'd'},
          {"top.bin", 'f', kBinary},
          {"zero.txt", 'f', ""}};
}

Tree sample_tree(const std::string& dest) {
  Tree t;
  t.files[dest + "/d/a.txt"] = "hello\n";
  t.files[dest + "/d/e/f/g.txt"] = "deep";
  t.files[dest + "/top.bin"] = kBinary;
  t.files[dest + "/zero.txt"] = "";
  t.empty_directories.insert(dest + "/empty/inner");
  return t;
}

struct FormatCase {
  const char* label;
  ArcKind kind;
  friend void PrintTo(const FormatCase& c, std::ostream* os) { *os << c.label; }
};

const FormatCase kFormats[] = {
    {"ustar", {ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_NONE}},
    {"pax", {ARCHIVE_FORMAT_TAR_PAX_INTERCHANGE, ARCHIVE_FILTER_NONE}},
    {"gnutar", {ARCHIVE_FORMAT_TAR_GNUTAR, ARCHIVE_FILTER_NONE}},
    {"tar_gz", {ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FILTER_GZIP}},
    {"tar_bz2", {ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FILTER_BZIP2}},
    {"tar_xz", {ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FILTER_XZ}},
    {"zip", {ARCHIVE_FORMAT_ZIP, ARCHIVE_FILTER_NONE}},
};

class ImportArchiveFormats : public ::testing::TestWithParam<FormatCase> {
 protected:
  void SetUp() override {
    archive_ = host_.path() / "sample.arc";
    write_archive(archive_, sample_entries(), GetParam().kind);
  }
  HostDir host_;
  std::filesystem::path archive_;
  MemoryFileSystem fs_;
};

TEST_P(ImportArchiveFormats, BringsInFilesAndDirectoriesEmptyOnesIncluded) {
  const ArchiveImportReport r = import_archive(fs_, archive_, "/in");
  EXPECT_EQ(tree_of(fs_), sample_tree("/in"));
  EXPECT_EQ(r.files, 4u);
  EXPECT_EQ(r.directories, 3u);
  EXPECT_EQ(r.bytes, 6u + 4u + kBinary.size());
  EXPECT_EQ(fs_.stats().used, r.bytes);
}

TEST_P(ImportArchiveFormats, StreamingModeGivesTheSameTree) {
  import_archive(fs_, archive_, "/in", {ArchiveImportMode::streaming, ""});
  EXPECT_EQ(tree_of(fs_), sample_tree("/in"));
}

TEST_P(ImportArchiveFormats, ReadsFromAnIstream) {
  std::ifstream in(archive_, std::ios::binary);
  import_archive(fs_, in, "/");
  EXPECT_EQ(tree_of(fs_), sample_tree(""));
}

TEST_P(ImportArchiveFormats, ReadsFromAFilePointer) {
  std::FILE* in = std::fopen(archive_.c_str(), "rb");
  ASSERT_NE(in, nullptr);
  import_archive(fs_, in, "/x/y", {ArchiveImportMode::streaming, "sample"});
  std::fclose(in);
  EXPECT_EQ(tree_of(fs_), sample_tree("/x/y"));
}

// The same archive, extracted by the real tar (bsdtar-compatible GNU tar
// reads every format here but zip, which unzip extracts), gives the same
// tree as import_archive.
TEST_P(ImportArchiveFormats, MatchesWhatTheRealToolExtracts) {
  HostDir out;
  const bool zip = GetParam().kind.format == ARCHIVE_FORMAT_ZIP;
  shell(zip ? "unzip -q " + quoted(archive_) + " -d " + quoted(out.path())
            : "tar -xf " + quoted(archive_) + " -C " + quoted(out.path()));
  MemoryFileSystem real;
  import_from_disk(real, out.path(), "/in");
  import_archive(fs_, archive_, "/in");
  EXPECT_EQ(tree_of(fs_), tree_of(real));
}

INSTANTIATE_TEST_SUITE_P(AllFormats, ImportArchiveFormats,
                         ::testing::ValuesIn(kFormats),
                         [](const ::testing::TestParamInfo<FormatCase>& i) {
                           return i.param.label;
                         });

// A host folder with files, an empty folder and a nested one.
void make_host_tree(const std::filesystem::path& root) {
  std::filesystem::create_directories(root / "src" / "lib");
  std::filesystem::create_directories(root / "empty");
  std::ofstream(root / "src" / "main.cpp") << "int main() {}\n";
  std::ofstream(root / "src" / "lib" / "util.hpp") << "#pragma once\n";
  std::ofstream(root / "README") << std::string(100000, 'r');
}

TEST(ImportArchive, ArchivesMadeByTheRealTarAndZipMatchTheirFolder) {
  HostDir host;
  make_host_tree(host.path() / "tree");
  MemoryFileSystem expected;
  import_from_disk(expected, host.path() / "tree", "/");
  const std::string tree = quoted(host.path() / "tree");
  const std::string out = quoted(host.path());
  shell("tar -C " + tree + " -cf " + out + "/a.tar .");
  shell("tar -C " + tree + " --format=pax -czf " + out + "/a.tgz .");
  shell("tar -C " + tree + " --format=gnu -cjf " + out + "/a.tbz .");
  shell("tar -C " + tree + " --format=ustar -cJf " + out + "/a.txz .");
  shell("cd " + tree + " && zip -qr " + out + "/a.zip .");
  for (const char* name : {"a.tar", "a.tgz", "a.tbz", "a.txz", "a.zip"}) {
    SCOPED_TRACE(name);
    MemoryFileSystem fs;
    import_archive(fs, host.path() / name, "/");
    EXPECT_EQ(tree_of(fs), tree_of(expected));
  }
}

TEST(ImportArchive, AtomicModeReplacesExistingFiles) {
  HostDir host;
  write_archive(host.path() / "a.tar", {{"f.txt", 'f', "new"}});
  MemoryFileSystem fs;
  fs.write_file("/f.txt", "old contents");
  fs.write_file("/other.txt", "stays");
  import_archive(fs, host.path() / "a.tar");
  EXPECT_EQ(fs.read_file("/f.txt"), "new");
  EXPECT_EQ(fs.read_file("/other.txt"), "stays");
}

TEST(ImportArchive, StreamingModeNeverReplacesAndTakesBackWhatItWrote) {
  HostDir host;
  write_archive(
      host.path() / "a.tar",
      {{"new/", 'd'}, {"new/x.txt", 'f', "x"}, {"f.txt", 'f', "new"}});
  MemoryFileSystem fs;
  fs.write_file("/f.txt", "old");
  const Tree before = tree_of(fs);
  std::error_code ec;
  import_archive(fs, host.path() / "a.tar", "/",
                 {ArchiveImportMode::streaming, ""}, ec);
  EXPECT_EQ(ec, std::errc::file_exists);
  EXPECT_EQ(tree_of(fs), before);
}

TEST(ImportArchive, AMissingArchiveIsTheHostsError) {
  MemoryFileSystem fs;
  std::error_code ec;
  import_archive(fs, "/nonexistent/a.tar", "/in", {}, ec);
  EXPECT_EQ(ec, std::errc::no_such_file_or_directory);
  EXPECT_FALSE(fs.exists("/in"));
}

TEST(ImportArchive, BytesThatAreNoArchiveAreRefused) {
  MemoryFileSystem fs;
  std::istringstream in(std::string(4096, 'x'));
  try {
    import_archive(fs, in, "/in", {ArchiveImportMode::atomic, "junk.bin"});
    FAIL() << "no error";
  } catch (const filesystem_error& e) {
    EXPECT_EQ(e.code(), std::errc::invalid_argument);
    EXPECT_THAT(e.what(), ::testing::HasSubstr("import_archive"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("[junk.bin]"));
  }
  EXPECT_FALSE(fs.exists("/in"));
}

// A stream whose source breaks (a pipe whose writer died, a disk gone).
struct BrokenBuf : std::streambuf {
  int_type underflow() override { throw std::runtime_error("source gone"); }
};

TEST(ImportArchive, AStreamThatFailsIsAnIoError) {
  BrokenBuf buf;
  std::istream in(&buf);
  MemoryFileSystem fs;
  std::error_code ec;
  import_archive(fs, in, "/in", {}, ec);
  EXPECT_EQ(ec, std::errc::io_error);
  EXPECT_FALSE(fs.exists("/in"));
}

TEST(ImportArchive, ANullFileIsInvalid) {
  MemoryFileSystem fs;
  std::error_code ec;
  import_archive(fs, static_cast<std::FILE*>(nullptr), "/in", {}, ec);
  EXPECT_EQ(ec, std::errc::invalid_argument);
}

TEST(ImportArchive, AnEmptyArchiveCreatesOnlyTheDestination) {
  HostDir host;
  write_archive(host.path() / "a.tar", {});
  MemoryFileSystem fs;
  const ArchiveImportReport r =
      import_archive(fs, host.path() / "a.tar", "/in");
  EXPECT_EQ(r.files, 0u);
  EXPECT_TRUE(fs.is_directory("/in"));
}

}  // namespace
}  // namespace memfs::test
