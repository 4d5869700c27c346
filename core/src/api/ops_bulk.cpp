// FileSystem's bulk operations: import_tree and export_tree. Each
// operation's body and its two public forms (api/invoke.hpp) sit side by
// side.
#include <algorithm>
#include <limits>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/funnel.hpp"
#include "api/invoke.hpp"
#include "api/raw_access.hpp"
#include "memfs/backend.hpp"
#include "memfs/file_system.hpp"
#include "path/path_detail.hpp"

namespace memfs {
namespace {
using namespace detail;  // NOLINT(google-build-using-namespace)
}  // namespace

namespace {
namespace body {
void import_tree(Backend& fs, const std::map<std::string, std::string>& files,
                 ErrorInfo& err) {
  // Validate every key before anything changes.
  std::vector<std::pair<NormalizedPath, const std::string*>> items;
  items.reserve(files.size());
  for (const auto& [key, data] : files) {
    NormalizedPath np;
    if (!normalize(key, np, err)) return;
    if (refuse_root(np, err)) return;
    if (np.trailing_slash) {  // "/a/" names a directory, not a file to import
      err.set(std::errc::invalid_argument);
      return;
    }
    items.emplace_back(std::move(np), &data);
  }
  // Sorted views into `items`, which no longer moves: the checks below
  // copy no path and allocate once (import is on every fixture's path).
  std::vector<std::string_view> keys;
  keys.reserve(items.size());
  for (const auto& item : items) keys.emplace_back(item.first.value);
  // Keys that were normal already come sorted (`files` is a map).
  if (!std::is_sorted(keys.begin(), keys.end()))
    std::sort(keys.begin(), keys.end());
  if (std::adjacent_find(keys.begin(), keys.end()) != keys.end()) {
    err.set(std::errc::invalid_argument);  // two keys, one path
    return;
  }
  std::string_view checked;  // the last folder whose ancestors were checked
  for (const auto& [np, data] : items) {
    const std::string_view parent = parent_path(np.value);
    if (parent == checked) continue;  // a sibling of the previous key
    checked = parent;
    for (std::string_view p = parent; p.size() > 1; p = parent_path(p)) {
      if (std::binary_search(keys.begin(), keys.end(), p)) {  // "/a" and "/a/b"
        err.set(std::errc::invalid_argument);
        return;
      }
    }
  }
  FileSystemHook* hook = fs.active_hook();
  if (hook == nullptr) return fs.do_import_tree(items, err);
  // The hook sees one write per file before anything is imported; a short
  // write fails the import, as it fails write_file.
  auto write_of = [&items](std::size_t i) {
    return op_context(Op::write, items[i].first.value, {},
                      {0, items[i].second->size(), 0});
  };
  std::vector<Injection> injections(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const OpContext ctx = write_of(i);
    if (!consult(hook, ctx, err, &injections[i]) ||
        refuse_short_write(ctx, injections[i], err)) {
      return;
    }
  }
  fs.do_import_tree(items, err);
  if (err) {
    if (!items.empty()) refused(hook, write_of(0), err);
    return;
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    hook->after_transfer(write_of(i), injections[i], nullptr,
                         items[i].second->size());
  }
}
}  // namespace body
}  // namespace

void FileSystem::import_tree(const std::map<std::string, std::string>& files) {
  run_throwing(
      "import_tree", files.empty() ? "" : files.begin()->first, {},
      [&](ErrorInfo& e) { body::import_tree(backend_of(*this), files, e); });
}
void FileSystem::import_tree(const std::map<std::string, std::string>& files,
                             std::error_code& ec) noexcept {
  run_noexcept(ec, [&](ErrorInfo& e) {
    body::import_tree(backend_of(*this), files, e);
  });
}

namespace {
namespace body {
// Creates `dir` and its missing parents one by one, appending what it
// created to `created` (so a failure later can take them back).
void create_tracked(Backend& fs, const NormalizedPath& dir,
                    std::vector<NormalizedPath>& created, ErrorInfo& err) {
  NormalizedPath prefix;
  for (std::string_view comp : split_path(dir.value)) {
    prefix.value = detail::child_path(prefix.value, comp);
    if (fs.do_create_directory(prefix, err)) created.push_back(prefix);
    if (err) {
      // A file in the way of a parent is "not a directory" (as POSIX).
      if (err.code == std::errc::file_exists && prefix.value != dir.value) {
        err.set(std::errc::not_a_directory);
      }
      return;
    }
  }
}

void import_tree(Backend& fs, const ExportedTree& tree, ErrorInfo& err) {
  std::vector<NormalizedPath> dirs;
  dirs.reserve(tree.empty_directories.size());
  for (const std::string& key : tree.empty_directories) {
    NormalizedPath np;
    if (!normalize(key, np, err) || refuse_root(np, err)) return;
    // An "empty" directory with a file at or below it is a contradiction.
    for (const auto& file : tree.files) {
      NormalizedPath fp;
      if (normalize(file.first, fp, err) && is_within(np.value, fp.value)) {
        err.set(std::errc::invalid_argument);
      }
      if (err) return;
    }
    dirs.push_back(std::move(np));
  }
  FileSystemHook* hook = fs.active_hook();
  for (const NormalizedPath& d : dirs) {
    if (!consult(hook, op_context(Op::create, d.value), err)) return;
  }
  std::vector<NormalizedPath> created;
  for (const NormalizedPath& d : dirs) {
    create_tracked(fs, d, created, err);
    if (err) break;
  }
  if (!err) import_tree(fs, tree.files, err);
  if (!err) return;
  for (auto it = created.rbegin(); it != created.rend(); ++it) {
    ErrorInfo ignored;
    fs.do_remove(*it, ignored);
  }
}
}  // namespace body
}  // namespace

namespace {
std::string_view first_key(const ExportedTree& tree) {
  if (!tree.files.empty()) return tree.files.begin()->first;
  if (!tree.empty_directories.empty()) return *tree.empty_directories.begin();
  return {};
}
}  // namespace

void FileSystem::import_exported(const ExportedTree& tree) {
  run_throwing("import_tree", first_key(tree), {}, [&](ErrorInfo& e) {
    body::import_tree(backend_of(*this), tree, e);
  });
}
void FileSystem::import_exported(const ExportedTree& tree,
                                 std::error_code& ec) noexcept {
  run_noexcept(
      ec, [&](ErrorInfo& e) { body::import_tree(backend_of(*this), tree, e); });
}

namespace {
namespace body {
ExportedTree export_tree(const Backend& fs, std::string_view prefix,
                         const ExportTreeOptions& options, ErrorInfo& err) {
  ExportedTree out;
  NormalizedPath np;
  if (!normalize(prefix, np, err)) return out;
  ErrorInfo missing;
  const FileStatus st = fs.do_status(np, missing);
  if (missing) return out;  // nothing there: nothing to export
  auto add_file = [&](const std::string& path, const FileStatus& fst) {
    if (options.only_dirty && fst.generation == 0) return;
    NormalizedPath fp;
    fp.value = path;
    ErrorInfo read_err;
    std::string data = fs.do_read_file(fp, read_err);
    if (!read_err) out.files.emplace(path, std::move(data));
  };
  if (st.is_regular_file()) {
    add_file(np.value, st);
    return out;
  }
  walk_tree(fs, np, err, [&](WalkEntry&& e) {
    if (e.files.empty() && e.directories.empty() && e.path != "/") {
      out.empty_directories.insert(e.path);
    }
    const std::string base = e.path == "/" ? "/" : e.path + "/";
    for (const std::string& name : e.files) {
      NormalizedPath fp;
      fp.value = base + name;
      ErrorInfo stat_err;
      const FileStatus fst = fs.do_status(fp, stat_err);
      if (!stat_err && fst.is_regular_file()) add_file(fp.value, fst);
    }
  });
  return out;
}
}  // namespace body
}  // namespace

ExportedTree FileSystem::export_tree(std::string_view prefix,
                                     const ExportTreeOptions& options) const {
  return run_throwing("export_tree", prefix, {}, [&](ErrorInfo& e) {
    return body::export_tree(backend_of(*this), prefix, options, e);
  });
}
ExportedTree FileSystem::export_tree(std::string_view prefix,
                                     const ExportTreeOptions& options,
                                     std::error_code& ec) const noexcept {
  return run_noexcept(ec, [&](ErrorInfo& e) {
    return body::export_tree(backend_of(*this), prefix, options, e);
  });
}

}  // namespace memfs
