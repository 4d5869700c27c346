// Archives that expand past the quota ("zip bombs") and past the node cap:
// refused with nothing changed, and the quota is checked while the data is
// decompressed, so no more than the free space plus one block is held.
#include <archive.h>
#include <archive_entry.h>

#include <fstream>
#include <string>
#include <vector>

#include "archive/archive_test_util.hpp"
#include "memfs/archive.hpp"
#include "memfs/memory_file_system.hpp"

namespace memfs::test {
namespace {

constexpr std::uint64_t kQuota = 1u << 20;    // 1 MiB
constexpr std::uint64_t kBomb = 64ull << 20;  // 64 MiB of zeros: 64x the quota
constexpr std::uint64_t kBlock = 64u << 10;   // ArchiveReader's block

// One entry of `size` zero bytes; `announce` puts the size in the header
// (tar always does; a zip entry without it has only a data descriptor, so
// a reader learns the size only by decompressing).
void write_bomb(const std::filesystem::path& out, int format, int filter,
                bool announce) {
  ::archive* a = ::archive_write_new();
  ASSERT_EQ(::archive_write_set_format(a, format), ARCHIVE_OK);
  ASSERT_EQ(::archive_write_add_filter(a, filter), ARCHIVE_OK);
  ASSERT_EQ(::archive_write_open_filename(a, out.c_str()), ARCHIVE_OK);
  ::archive_entry* e = ::archive_entry_new();
  ::archive_entry_set_pathname(e, "bomb.bin");
  ::archive_entry_set_filetype(e, AE_IFREG);
  ::archive_entry_set_perm(e, 0644);
  if (announce) ::archive_entry_set_size(e, static_cast<la_int64_t>(kBomb));
  ASSERT_EQ(::archive_write_header(a, e), ARCHIVE_OK);
  const std::string zeros(1u << 20, '\0');
  for (std::uint64_t done = 0; done < kBomb; done += zeros.size()) {
    ASSERT_EQ(::archive_write_data(a, zeros.data(), zeros.size()),
              static_cast<la_ssize_t>(zeros.size()));
  }
  ::archive_entry_free(e);
  ASSERT_EQ(::archive_write_close(a), ARCHIVE_OK);
  ::archive_write_free(a);
}

MemoryOptions quota(std::uint64_t bytes) {
  MemoryOptions o;
  o.max_quota = bytes;
  return o;
}

class ZipBomb : public ::testing::TestWithParam<ArchiveImportMode> {
 protected:
  // Compressing a bomb takes a while and ctest runs each test in a process
  // of its own: a test writes only the bomb it reads, once.
  static void SetUpTestSuite() { host_ = new HostDir; }
  static void TearDownTestSuite() {
    delete host_;
    host_ = nullptr;
  }
  static std::filesystem::path zip_bomb() {
    return bomb("bomb.zip", ARCHIVE_FORMAT_ZIP, ARCHIVE_FILTER_NONE, false);
  }
  static std::filesystem::path tar_bomb() {
    return bomb("bomb.tar.gz", ARCHIVE_FORMAT_TAR_PAX_RESTRICTED,
                ARCHIVE_FILTER_GZIP, true);
  }
  static std::filesystem::path bomb(const char* name, int format, int filter,
                                    bool announce) {
    const std::filesystem::path out = host_->path() / name;
    if (!std::filesystem::exists(out)) {
      write_bomb(out, format, filter, announce);
    }
    return out;
  }

  // Imports `archive` through an istream (nothing seeked: a zip's sizes come
  // from its local headers only) into a 1 MiB filesystem that holds 1000
  // bytes already.
  void expect_refused(const std::filesystem::path& archive,
                      std::uint64_t max_requested) {
    MemoryFileSystem fs(quota(kQuota));
    fs.write_file("/keep.bin", std::string(1000, 'k'));
    const Tree before = tree_of(fs);
    std::ifstream in(archive, std::ios::binary);
    try {
      import_archive(fs, in, "/in", {GetParam(), "bomb"});
      FAIL() << "no error";
    } catch (const quota_exceeded_error& e) {
      EXPECT_EQ(e.code(), errc::quota_exceeded) << e.what();
      EXPECT_EQ(e.operation(), "import_archive");
      EXPECT_EQ(e.path2(), "bomb.bin");
      // Refused before holding more than the free space plus a block (or,
      // with the size in the header, before reading any data at all).
      EXPECT_GT(e.requested(), e.available());
      EXPECT_LE(e.requested(), max_requested);
      EXPECT_LE(e.available(), kQuota - 1000);
    }
    EXPECT_EQ(tree_of(fs), before);
    EXPECT_EQ(fs.stats().used, 1000u);
  }
  static HostDir* host_;
};

HostDir* ZipBomb::host_ = nullptr;

TEST_P(ZipBomb, AZipWithoutSizesFailsAtTheQuotaWhileDecompressing) {
  ASSERT_LT(std::filesystem::file_size(zip_bomb()), kBomb / 500);
  expect_refused(zip_bomb(), kQuota - 1000 + kBlock);
}

TEST_P(ZipBomb, ATarGzAnnouncingItsSizeFailsBeforeReadingTheData) {
  ASSERT_LT(std::filesystem::file_size(tar_bomb()), kBomb / 500);
  expect_refused(tar_bomb(), kBomb);
}

INSTANTIATE_TEST_SUITE_P(BothModes, ZipBomb,
                         ::testing::Values(ArchiveImportMode::atomic,
                                           ArchiveImportMode::streaming));

// Many small files that together pass the quota: the running total counts.
TEST(ArchiveQuota, ManyFilesTogetherPastTheQuotaChangeNothing) {
  HostDir host;
  std::vector<ArcEntry> entries;
  for (int i = 0; i < 20; ++i) {
    entries.push_back({"f" + std::to_string(i), 'f', std::string(100, 'x')});
  }
  write_archive(host.path() / "a.tar", entries);
  for (const auto mode :
       {ArchiveImportMode::atomic, ArchiveImportMode::streaming}) {
    MemoryFileSystem fs(quota(1500));
    std::error_code ec;
    import_archive(fs, host.path() / "a.tar", "/in", {mode, ""}, ec);
    EXPECT_EQ(ec, errc::quota_exceeded);
    EXPECT_EQ(fs.stats().used, 0u);
    EXPECT_FALSE(fs.exists("/in"));
  }
}

TEST(ArchiveQuota, AnArchiveThatFitsExactlyIsImported) {
  HostDir host;
  write_archive(host.path() / "a.tar", {{"a", 'f', std::string(600, 'a')},
                                        {"b", 'f', std::string(400, 'b')}});
  MemoryFileSystem fs(quota(1000));
  import_archive(fs, host.path() / "a.tar");
  EXPECT_EQ(fs.stats().used, 1000u);
}

TEST(ArchiveQuota, PastTheNodeCapChangesNothing) {
  HostDir host;
  write_archive(host.path() / "a.tar", {{"d/", 'd'},
                                        {"e/", 'd'},
                                        {"d/1", 'f', "1"},
                                        {"d/2", 'f', "2"},
                                        {"d/3", 'f', "3"}});
  for (const auto mode :
       {ArchiveImportMode::atomic, ArchiveImportMode::streaming}) {
    MemoryOptions o;
    o.max_nodes = 5;  // root, /in, d, e, and one file
    MemoryFileSystem fs(o);
    try {
      import_archive(fs, host.path() / "a.tar", "/in", {mode, ""});
      FAIL() << "no error";
    } catch (const node_limit_exceeded_error& e) {
      EXPECT_EQ(e.limit(), 5u);
      EXPECT_EQ(e.operation(), "import_archive");
    }
    EXPECT_EQ(fs.stats().directory_count, 1u);
    EXPECT_EQ(fs.stats().file_count, 0u);
  }
}

}  // namespace
}  // namespace memfs::test
