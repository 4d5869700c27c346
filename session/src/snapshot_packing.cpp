// MEMFS_SNAPSHOT_FORMAT's packing, through memfs::archive when memfs was
// built with it (MEMFS_SESSION_WITH_ARCHIVE, set by session/CMakeLists.txt).
#include "snapshot_packing.hpp"

#include <stdexcept>
#include <string>
#include <system_error>

#if defined(MEMFS_SESSION_WITH_ARCHIVE)
#include "memfs/archive.hpp"
#endif

namespace memfs::detail {

namespace stdfs = std::filesystem;

#if defined(MEMFS_SESSION_WITH_ARCHIVE)
namespace {

// `<folder>.tar.gz`, else the first `<folder>-N.tar.gz` that is free.
stdfs::path free_archive_name(const stdfs::path& folder) {
  stdfs::path candidate = folder.string() + ".tar.gz";
  for (int n = 2; stdfs::exists(candidate); ++n)
    candidate = folder.string() + "-" + std::to_string(n) + ".tar.gz";
  return candidate;
}

}  // namespace

stdfs::path pack_snapshot(const stdfs::path& folder) {
  const stdfs::path archive = free_archive_name(folder);
  std::error_code ec;
  (void)export_snapshot_archive(folder, archive, ec);
  if (ec) {
    throw std::runtime_error("could not write " + archive.string() + ": " +
                             ec.message());
  }
  return archive;
}

void repack_snapshot(const stdfs::path& folder,
                     const stdfs::path& archive) noexcept {
  try {
    std::error_code ec;
    (void)export_snapshot_archive(folder, archive, ec);
  } catch (...) {  // best effort (allocation)
  }
}

#else

stdfs::path pack_snapshot(const stdfs::path&) {
  throw std::runtime_error(
      "MEMFS_SNAPSHOT_FORMAT=tar.gz/both needs memfs::archive, and this memfs "
      "was built without it (libarchive; -DMEMFS_WITH_ARCHIVE=ON)");
}

void repack_snapshot(const stdfs::path&, const stdfs::path&) noexcept {}

#endif

}  // namespace memfs::detail
