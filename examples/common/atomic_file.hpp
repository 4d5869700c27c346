// examples/common/atomic_file.hpp — replacing a file all or nothing.
//
// The classic pattern for files that must never be seen half-written
// (configuration, manifests, compacted logs, reports):
//
//     write <path>.tmp  ->  sync it  ->  rename it over <path>  ->  sync the
//     directory
//
// rename() is atomic, so a reader (or the next start after a crash) finds
// either the old file or the complete new one. Works on any
// memfs::FileSystem: DiskFileSystem in production, MemoryFileSystem in tests,
// where faults can be injected at each step.
#pragma once

#include <string_view>
#include <system_error>

#include "memfs/file_system.hpp"

namespace example {

/// Replaces (or creates) `path` with `data` through "<path><temp_suffix>".
/// On success returns an empty error_code. On any error — opening the
/// temporary, writing it (a short write counts as std::errc::io_error),
/// syncing, closing, renaming — it removes the temporary and returns that
/// first error; `path` then still holds what it held before. If only the
/// final directory sync fails, `path` holds the new contents, which a crash
/// may still undo.
///
///     if (auto ec = example::replace_file_atomically(fs, "/etc/app.conf",
///     text))
///       report(ec);
[[nodiscard]] std::error_code replace_file_atomically(
    memfs::FileSystem& fs, std::string_view path, std::string_view data,
    std::string_view temp_suffix = ".tmp");

}  // namespace example
