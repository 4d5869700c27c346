// A settings file saved two ways. Both write "<path>.tmp" and rename it over
// <path>, so a reader never sees half a file; only one survives a power cut:
//
//   - save_settings_naive: no fsync at all. On ext4/xfs the rename can reach
//     the disk before the data does (the journal commits the rename, the
//     data is still in the page cache): after the crash <path> is empty;
//   - save_settings: fsync the temporary file, rename, fsync the directory
//     (replace_file_atomically in examples/common). After a crash at any
//     point <path> holds the old settings or the new ones.
//
// settings_*_test.cpp check both at every crash point (memfs/crash.hpp).
#pragma once

#include <string>
#include <string_view>
#include <system_error>

#include "memfs/file_system.hpp"

namespace example {

/// Saves `text` as `path` through "<path>.tmp" and a rename, without any
/// fsync: a power cut may leave `path` empty. The bug the tests catch.
[[nodiscard]] std::error_code save_settings_naive(memfs::FileSystem& fs,
                                                  std::string_view path,
                                                  std::string_view text);

/// Saves `text` as `path`: write "<path>.tmp", fsync it, rename it over
/// `path`, fsync the directory. After a power cut `path` holds the old or the
/// new settings.
[[nodiscard]] std::error_code save_settings(memfs::FileSystem& fs,
                                            std::string_view path,
                                            std::string_view text);

}  // namespace example
