// Internal: the pieces of a snapshot's manifest.json (see memfs/snapshot.hpp
// for its layout).
#pragma once

#include <chrono>
#include <ctime>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "memfs/file_system.hpp"
#include "memfs/json.hpp"
#include "memfs/snapshot.hpp"

namespace memfs::detail {

/// A time as seconds since the epoch and nanoseconds in [0, 1e9), floored,
/// so times before 1970 split correctly too (as a timespec holds them).
timespec split_time(std::chrono::system_clock::time_point t);

/// ISO-8601 UTC with nanoseconds: "2024-05-01T12:00:00.123456789Z".
std::string format_utc(std::chrono::system_clock::time_point t);

/// Sets `key` to `path`, and `key` + "_bytes" to its exact percent-encoded
/// bytes when the path is not valid UTF-8 (JSON would show it lossily).
void set_path(JsonValue& object, const std::string& key, std::string_view path);

/// {"path", "type", "size", "created", "modified", "generation"}.
JsonValue entry_json(std::string_view path, const FileStatus& st);

/// The "stats" object.
JsonValue stats_json(const Stats& s);

/// The "open_handles" array.
JsonValue handles_json(const std::vector<HandleInfo>& handles);

/// The "lock_holders" array: the handles that hold a lock.
JsonValue lock_holders_json(const std::vector<HandleInfo>& handles);

/// {"path", "host", "name"}: "name" is the memfs name percent-encoded
/// (exact), the mapping import_from_disk() reads back.
JsonValue escaped_json(const EscapedName& e, std::string_view memfs_name);

/// {"path", "error", "code"}.
JsonValue skipped_json(const SkippedPath& s);

/// "generic:2 (No such file or directory)"-style text of an error.
std::string error_text(const std::error_code& ec);

}  // namespace memfs::detail
