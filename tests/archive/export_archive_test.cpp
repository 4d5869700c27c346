// export_archive: the same tree gives the same bytes, the order is sorted,
// owners and times are fixed, a round trip gives the tree back, and the real
// tar and unzip extract the same tree.
#include <archive.h>
#include <archive_entry.h>

#include <memory>
#include <string>
#include <vector>

#include "archive/archive_test_util.hpp"
#include "memfs/archive.hpp"
#include "memfs/clock.hpp"
#include "memfs/memory_file_system.hpp"
#include "memfs/snapshot.hpp"

namespace memfs::test {
namespace {

// A filesystem on a clock that moves only when told to, so two of them built
// the same way hold the same times.
std::unique_ptr<MemoryFileSystem> make_fs() {
  MemoryOptions o;
  o.clock = std::make_shared<ManualClock>();
  return std::make_unique<MemoryFileSystem>(o);
}

void fill_export_tree(FileSystem& fs) {
  fs.create_directories("/out/b/c");
  fs.create_directories("/out/empty/nested");
  fs.create_directories("/out/a-b");
  fs.write_file("/out/b/c/deep.txt", "deep");
  fs.write_file("/out/b/z.bin", std::string("\0\1\2\xff", 4));
  fs.write_file("/out/a.txt", std::string(70000, 'a'));
  fs.write_file("/out/zero", "");
  fs.write_file("/outside.txt", "not exported");
}

struct ExportFormatCase {
  const char* label;
  ArchiveFormat format;
  friend void PrintTo(const ExportFormatCase& c, std::ostream* os) {
    *os << c.label;
  }
};

const ExportFormatCase kExportFormats[] = {{"tar", ArchiveFormat::tar},
                                           {"ustar", ArchiveFormat::ustar},
                                           {"tar_gz", ArchiveFormat::tar_gz},
                                           {"zip", ArchiveFormat::zip}};

class ExportArchive : public ::testing::TestWithParam<ExportFormatCase> {
 protected:
  ExportArchive() : fs_(make_fs()) { fill_export_tree(*fs_); }
  std::filesystem::path exported(const std::string& name) {
    const auto p = host_.path() / name;
    export_archive(*fs_, "/out", p, GetParam().format);
    return p;
  }
  HostDir host_;
  std::unique_ptr<MemoryFileSystem> fs_;
};

TEST_P(ExportArchive, TheSameTreeGivesTheSameBytes) {
  const std::string first = read_host(exported("1"));
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(read_host(exported("2")), first);
  // Another filesystem, built the same way on its own clock.
  auto other = make_fs();
  fill_export_tree(*other);
  const auto p = host_.path() / "3";
  export_archive(*other, "/out", p, GetParam().format);
  EXPECT_EQ(read_host(p), first);
}

TEST_P(ExportArchive, ARoundTripGivesTheTreeBack) {
  const auto p = exported("a");
  MemoryFileSystem back;
  const ArchiveImportReport r = import_archive(back, p, "/out");
  EXPECT_EQ(tree_of(back), tree_of(*fs_, "/out"));
  EXPECT_EQ(r.files, 4u);
}

TEST_P(ExportArchive, EntriesAreSortedWithFixedOwnersModesAndTheFilesTimes) {
  const auto p = exported("a");
  ::archive* a = ::archive_read_new();
  ::archive_read_support_filter_all(a);
  ::archive_read_support_format_all(a);
  ASSERT_EQ(::archive_read_open_filename(a, p.c_str(), 10240), ARCHIVE_OK);
  std::vector<std::string> names;
  ::archive_entry* e = nullptr;
  while (::archive_read_next_header(a, &e) == ARCHIVE_OK) {
    const std::string name = ::archive_entry_pathname(e);
    names.push_back(name);
    const bool dir = ::archive_entry_filetype(e) == AE_IFDIR;
    EXPECT_EQ(::archive_entry_uid(e), 0) << name;
    EXPECT_EQ(::archive_entry_gid(e), 0) << name;
    EXPECT_EQ(::archive_entry_perm(e), dir ? 0755 : 0644) << name;
    const auto modified = fs_->status("/out/" + name).modified;
    EXPECT_EQ(::archive_entry_mtime(e),
              std::chrono::system_clock::to_time_t(modified))
        << name;
  }
  ::archive_read_free(a);
  EXPECT_EQ(names, (std::vector<std::string>{
                       "a-b/", "a.txt", "b/", "b/c/", "b/c/deep.txt", "b/z.bin",
                       "empty/", "empty/nested/", "zero"}));
}

// What the real tools extract is the tree that was exported.
TEST_P(ExportArchive, TheRealToolExtractsTheSameTree) {
  const auto p = exported("a");
  HostDir out;
  shell(GetParam().format == ArchiveFormat::zip
            ? "unzip -q " + quoted(p) + " -d " + quoted(out.path())
            : "tar -xf " + quoted(p) + " -C " + quoted(out.path()));
  MemoryFileSystem real;
  import_from_disk(real, out.path(), "/out");
  EXPECT_EQ(tree_of(real), tree_of(*fs_, "/out"));
}

INSTANTIATE_TEST_SUITE_P(
    AllFormats, ExportArchive, ::testing::ValuesIn(kExportFormats),
    [](const ::testing::TestParamInfo<ExportFormatCase>& i) {
      return i.param.label;
    });

TEST(ExportArchiveErrors, AMissingPrefixWritesNothing) {
  HostDir host;
  MemoryFileSystem fs;
  std::error_code ec;
  export_archive(fs, "/nope", host.path() / "a.tar", ArchiveFormat::tar, ec);
  EXPECT_EQ(ec, std::errc::no_such_file_or_directory);
  EXPECT_TRUE(list_host(host.path()).empty());
}

TEST(ExportArchiveErrors, ANameUstarCannotHoldLeavesNoFileBehind) {
  HostDir host;
  MemoryFileSystem fs;
  fs.write_file("/" + std::string(300, 'n'), "x");
  try {
    export_archive(fs, "/", host.path() / "a.tar", ArchiveFormat::ustar);
    FAIL() << "no error";
  } catch (const filesystem_error& e) {
    EXPECT_EQ(e.code(), std::errc::filename_too_long) << e.what();
    EXPECT_EQ(e.operation(), "export_archive");
    EXPECT_EQ(e.path2(), "/" + std::string(300, 'n'));
  }
  EXPECT_TRUE(list_host(host.path()).empty());
  // pax holds it.
  export_archive(fs, "/", host.path() / "a.tar", ArchiveFormat::tar);
  MemoryFileSystem back;
  import_archive(back, host.path() / "a.tar");
  EXPECT_EQ(tree_of(back), tree_of(fs));
}

TEST(ExportArchiveErrors, ASingleFilePrefixGivesOneEntry) {
  HostDir host;
  MemoryFileSystem fs;
  fs.create_directory("/d");
  fs.write_file("/d/one.txt", "1");
  const auto r = export_archive(fs, "/d/one.txt", host.path() / "a.zip",
                                ArchiveFormat::zip);
  EXPECT_EQ(r.files, 1u);
  MemoryFileSystem back;
  import_archive(back, host.path() / "a.zip");
  EXPECT_EQ(back.read_file("/one.txt"), "1");
}

}  // namespace
}  // namespace memfs::test
