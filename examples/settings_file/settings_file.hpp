// A crash-safe settings file, written the way most production code is: with
// std::ofstream, std::filesystem and POSIX calls, and no memfs anywhere. Its
// tests (settings_file_gtest_test.cpp, settings_file_catch2_test.cpp) run it
// unchanged on the test's in-memory filesystem through memfs::intercept and
// mount_path(), with a full disk and failing fsync and rename.
//
// save() replaces the file the classic durable way:
//   1. write every line to "<file>.tmp" with std::ofstream, and check it;
//   2. fsync the temporary file (its data reaches the disk);
//   3. rename it over <file> (atomic: readers see the old or the new file);
//   4. fsync the directory (the rename itself reaches the disk).
// A failure in steps 1-3 removes the temporary and leaves the old file as it
// was; a failure in step 4 leaves the new file in place (it may not survive
// a power cut) and is reported all the same. The tests fail each step; on
// a memfs mount the directory's fsync is FileSystem::sync_directory, which
// a fault rule on `sync /` reaches.
#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace example {

/// Settings: key -> value, one "key=value" line each in the file.
using Settings = std::map<std::string, std::string>;

/// Replaces `file` with `values` (see the steps above). Keys must not hold
/// '=' or a newline, values no newline (std::invalid_argument otherwise,
/// before anything is written). Throws std::system_error naming the failed
/// step and path, with the error code the system gave (ENOSPC for a full
/// disk, EIO, ...).
void save_settings(const std::filesystem::path& file, const Settings& values);

/// Reads `file`; a missing file gives empty settings. Lines without '=' are
/// ignored. Throws std::system_error when the file exists but cannot be
/// read.
[[nodiscard]] Settings load_settings(const std::filesystem::path& file);

}  // namespace example
