// record_tree_mismatch(): a TreeEquals mismatch as data for the snapshot page
// (the session's "tree_diffs" section), and the registry that finds the
// session owning a FileSystem.
#include <map>
#include <mutex>
#include <system_error>

#include "memfs/path.hpp"
#include "memfs/test_session.hpp"
#include "memfs/tree_diff.hpp"
#include "session_registry.hpp"

namespace memfs {
namespace detail {
namespace {

std::mutex& registry_mutex() {
  static std::mutex m;
  return m;
}
std::map<const FileSystem*, TestSession*>& registry() {
  static std::map<const FileSystem*, TestSession*> sessions;
  return sessions;
}

}  // namespace

void register_session(const FileSystem* fs, TestSession* session) {
  std::lock_guard<std::mutex> lock(registry_mutex());
  registry()[fs] = session;
}

void unregister_session(const FileSystem* fs) {
  std::lock_guard<std::mutex> lock(registry_mutex());
  registry().erase(fs);
}

void add_tree_diff_to_owner(const FileSystem& fs, JsonValue diff) {
  std::lock_guard<std::mutex> lock(registry_mutex());
  auto it = registry().find(&fs);
  if (it != registry().end()) it->second->add_tree_diff(std::move(diff));
}

const char* tree_difference_kind_name(TreeDifference::Kind kind) {
  switch (kind) {
    case TreeDifference::Kind::missing:
      return "missing";
    case TreeDifference::Kind::unexpected:
      return "unexpected";
    case TreeDifference::Kind::different:
      return "different";
    case TreeDifference::Kind::wrong_type:
      return "wrong_type";
  }
  return "different";
}

}  // namespace detail

namespace {

// `text` as a JSON string, cut to kMaxRecordedContents bytes.
void set_contents(JsonValue& object, const std::string& key,
                  const std::string& text) {
  object.set(key, text.substr(0, TestSession::kMaxRecordedContents));
  if (text.size() > TestSession::kMaxRecordedContents)
    object.set(key + "_cut", true);
}

}  // namespace

void record_tree_mismatch(const FileSystem& fs,
                          const std::map<std::string, std::string>& expected,
                          std::string_view prefix,
                          const std::vector<TreeDifference>& differences) {
  if (differences.empty()) return;
  std::map<std::string, const std::string*>
      wanted;  // normalized key -> contents
  for (const auto& [key, contents] : expected) {
    std::error_code ec;
    const NormalizedPath p = normalize_path(key, ec);
    if (!ec && !p.trailing_slash) wanted[p.value] = &contents;
  }
  JsonValue diffs = JsonValue::array();
  for (const TreeDifference& d : differences) {
    JsonValue j = JsonValue::object();
    j.set("kind", detail::tree_difference_kind_name(d.kind));
    j.set("path", d.path);
    j.set("directory", d.directory);
    j.set("actual_size", d.actual_size);
    j.set("expected_size", d.expected_size);
    j.set("detail", d.detail);
    // (for wrong_type, `directory` says a directory was expected)
    if (d.kind != TreeDifference::Kind::unexpected && !d.directory) {
      if (auto it = wanted.find(d.path); it != wanted.end())
        set_contents(j, "expected", *it->second);
    }
    std::string actual;
    if (d.kind != TreeDifference::Kind::missing &&
        peek_type(fs, d.path, &actual) == FileType::regular) {
      set_contents(j, "actual", actual);
    }
    diffs.push_back(std::move(j));
  }
  JsonValue record = JsonValue::object();
  record.set("prefix", std::string(prefix));
  record.set("differences", std::move(diffs));
  detail::add_tree_diff_to_owner(fs, std::move(record));
}

}  // namespace memfs
