// Every std::error_code& overload of archive.hpp is noexcept, as
// std::filesystem's are: checked at compile time.
#include <cstdio>
#include <istream>
#include <string_view>
#include <system_error>
#include <utility>

#include <gtest/gtest.h>

#include "memfs/archive.hpp"
#include "memfs/memory_file_system.hpp"

namespace memfs {
namespace {

namespace stdfs = std::filesystem;
// Arguments by std::declval: only the calls themselves are checked.

static_assert(noexcept(import_archive(
    std::declval<FileSystem&>(), std::declval<const stdfs::path&>(), "/",
    std::declval<const ArchiveImportOptions&>(),
    std::declval<std::error_code&>())));
static_assert(noexcept(
    import_archive(std::declval<FileSystem&>(), std::declval<std::istream&>(),
                   "/", std::declval<const ArchiveImportOptions&>(),
                   std::declval<std::error_code&>())));
static_assert(noexcept(import_archive(
    std::declval<FileSystem&>(), static_cast<std::FILE*>(nullptr), "/",
    std::declval<const ArchiveImportOptions&>(),
    std::declval<std::error_code&>())));
static_assert(noexcept(export_archive(std::declval<FileSystem&>(), "/",
                                      std::declval<const stdfs::path&>(),
                                      ArchiveFormat::tar,
                                      std::declval<std::error_code&>())));
static_assert(noexcept(export_snapshot_archive(
    std::declval<const stdfs::path&>(), std::declval<const stdfs::path&>(),
    std::declval<std::error_code&>())));
static_assert(noexcept(import_snapshot_archive(
    std::declval<FileSystem&>(), std::declval<const stdfs::path&>(), "/",
    std::declval<std::error_code&>())));

TEST(ArchiveErrorCodeForms, AMissingSnapshotFolderIsReportedThroughTheCode) {
  std::error_code ec;
  (void)export_snapshot_archive("/nonexistent/memfs-snapshot",
                                "/nonexistent/out.tar.gz", ec);
  EXPECT_EQ(ec, std::errc::invalid_argument);
}

}  // namespace
}  // namespace memfs
