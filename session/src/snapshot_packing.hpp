// Snapshots as single files for TestSession (MEMFS_SNAPSHOT_FORMAT tar.gz
// and both): the one place the session reaches memfs::archive, which is
// optional (built only with libarchive).
#pragma once

#include <filesystem>

namespace memfs::detail {

// Packs the snapshot folder `folder` into `<folder>.tar.gz` beside it, or
// `<folder>-2.tar.gz`, `-3`, ... when an earlier run left that name (an
// archive is never overwritten); returns the archive's path. Throws
// std::runtime_error saying why (memfs built without memfs::archive, the
// host's error).
std::filesystem::path pack_snapshot(const std::filesystem::path& folder);

// Packs `folder` again over `archive` (after its manifest changed). Best
// effort: on failure the archive stays as it was.
void repack_snapshot(const std::filesystem::path& folder,
                     const std::filesystem::path& archive) noexcept;

}  // namespace memfs::detail
