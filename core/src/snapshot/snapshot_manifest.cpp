// The pieces of a snapshot's manifest.json.
#include "snapshot/snapshot_manifest.hpp"

#include <charconv>
#include <ctime>
#include <iterator>
#include <string>
#include <utility>

#include "shared/utf8_sequence.hpp"
#include "snapshot/snapshot_names.hpp"

namespace memfs::detail {
namespace {

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_sequence_length(s.substr(i));
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// Appends `value` in decimal, zero-padded to `width` digits.
void append_padded(std::string& out, long long value, std::size_t width) {
  char buf[24];
  const auto result = std::to_chars(buf, buf + sizeof buf, value);
  const auto digits = static_cast<std::size_t>(result.ptr - buf);
  if (digits < width) out.append(width - digits, '0');
  out.append(buf, result.ptr);
}

const char* lock_name(LockMode m) {
  return m == LockMode::shared ? "shared" : "exclusive";
}

}  // namespace

timespec split_time(std::chrono::system_clock::time_point t) {
  using std::chrono::duration_cast;
  using std::chrono::nanoseconds;
  const std::int64_t ns =
      duration_cast<nanoseconds>(t.time_since_epoch()).count();
  std::int64_t secs = ns / 1'000'000'000;
  std::int64_t frac = ns % 1'000'000'000;
  if (frac < 0) {
    frac += 1'000'000'000;
    secs -= 1;
  }
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(secs);
  ts.tv_nsec = static_cast<long>(frac);
  return ts;
}

std::string format_utc(std::chrono::system_clock::time_point t) {
  const timespec ts = split_time(t);
  const std::time_t tt = ts.tv_sec;
  std::tm tm{};
  gmtime_r(&tt, &tm);
  // YYYY-MM-DDThh:mm:ss.nnnnnnnnnZ
  const std::pair<long long, std::size_t> fields[] = {
      {tm.tm_year + 1900LL, 4}, {tm.tm_mon + 1LL, 2}, {tm.tm_mday, 2},
      {tm.tm_hour, 2},          {tm.tm_min, 2},       {tm.tm_sec, 2},
      {ts.tv_nsec, 9}};
  static constexpr char kAfter[] = "--T::.Z";
  std::string out;
  for (std::size_t i = 0; i < std::size(fields); ++i) {
    append_padded(out, fields[i].first, fields[i].second);
    out += kAfter[i];
  }
  return out;
}

void set_path(JsonValue& object, const std::string& key,
              std::string_view path) {
  object.set(key, JsonValue(path));
  if (!valid_utf8(path)) object.set(key + "_bytes", percent_encode_all(path));
}

JsonValue entry_json(std::string_view path, const FileStatus& st) {
  JsonValue e = JsonValue::object();
  set_path(e, "path", path);
  e.set("type", st.is_directory() ? "directory" : "file");
  e.set("size", st.size);
  e.set("created", format_utc(st.created));
  e.set("modified", format_utc(st.modified));
  e.set("generation", st.generation);
  return e;
}

JsonValue stats_json(const Stats& s) {
  JsonValue j = JsonValue::object();
  j.set("used", s.used);
  j.set("quota", s.quota);
  j.set("free", s.free);
  j.set("file_count", s.file_count);
  j.set("directory_count", s.directory_count);
  j.set("node_limit", s.node_limit ? JsonValue(*s.node_limit) : JsonValue());
  j.set("open_handles", s.open_handles);
  return j;
}

JsonValue handles_json(const std::vector<HandleInfo>& handles) {
  JsonValue arr = JsonValue::array();
  for (const HandleInfo& h : handles) {
    JsonValue j = JsonValue::object();
    set_path(j, "path", h.path);
    j.set("mode", h.mode);
    j.set("lock", h.lock ? JsonValue(lock_name(*h.lock)) : JsonValue());
    j.set("owner", h.owner);
    j.set("removed", h.removed);
    arr.push_back(std::move(j));
  }
  return arr;
}

JsonValue lock_holders_json(const std::vector<HandleInfo>& handles) {
  JsonValue arr = JsonValue::array();
  for (const HandleInfo& h : handles) {
    if (!h.lock) continue;
    JsonValue j = JsonValue::object();
    set_path(j, "path", h.path);
    j.set("lock", lock_name(*h.lock));
    j.set("owner", h.owner);
    arr.push_back(std::move(j));
  }
  return arr;
}

JsonValue escaped_json(const EscapedName& e, std::string_view memfs_name) {
  JsonValue j = JsonValue::object();
  set_path(j, "path", e.path);
  j.set("host", e.host);
  j.set("name", percent_encode_all(memfs_name));
  return j;
}

JsonValue skipped_json(const SkippedPath& s) {
  JsonValue j = JsonValue::object();
  set_path(j, "path", s.path);
  j.set("error", s.error.message());
  j.set("code", error_text(s.error));
  return j;
}

std::string error_text(const std::error_code& ec) {
  return std::string(ec.category().name()) + ":" + std::to_string(ec.value());
}

}  // namespace memfs::detail
