// FileSystem's queries: status, exists / is_directory / is_regular_file,
// file_size, list, walk, glob, stats, space, open_handles. Each operation's
// body and its two public forms (api/invoke.hpp) sit side by side.
#include <algorithm>
#include <limits>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/funnel.hpp"
#include "api/invoke.hpp"
#include "memfs/backend.hpp"
#include "memfs/file_system.hpp"
#include "path/path_detail.hpp"

namespace memfs {
namespace {
using namespace detail;  // NOLINT(google-build-using-namespace)
}  // namespace

namespace {
namespace body {
FileStatus status(Backend& fs, std::string_view path, ErrorInfo& err) {
  ScratchPath scratch;
  NormalizedPath& np = *scratch;
  if (!normalize(path, np, err)) return {};
  if (!consult(fs.active_hook(), op_context(Op::stat, np.value), err))
    return {};
  FileStatus st = fs.do_status(np, err);
  if (err) st = FileStatus{};
  return st;
}

// "Not there" and "a file in the way": for std::filesystem::status and
// exists these are answers (type not_found), not failures.
bool names_nothing(const ErrorInfo& err) noexcept {
  return err.code == std::errc::no_such_file_or_directory ||
         err.code == std::errc::not_a_directory;
}
}  // namespace body
}  // namespace

FileStatus FileSystem::status(std::string_view path) {
  return run_throwing("status", path, {}, [&](ErrorInfo& e) {
    const FileStatus st = body::status(backend_of(*this), path, e);
    if (body::names_nothing(e)) e.clear();  // an answer, as std::filesystem
    return st;
  });
}
FileStatus FileSystem::status(std::string_view path,
                              std::error_code& ec) noexcept {
  return run_noexcept(ec, [&](ErrorInfo& e) {
    return body::status(backend_of(*this), path, e);
  });
}

namespace {
namespace body {
bool is_type(Backend& fs, std::string_view path, FileType want,
             ErrorInfo& err) {
  const FileStatus st = status(fs, path, err);
  if (names_nothing(err)) {
    err.clear();
    return false;
  }
  if (err) return false;
  return want == FileType::not_found ? st.exists() : st.type == want;
}
}  // namespace body
}  // namespace

bool FileSystem::exists(std::string_view path) {
  return run_throwing("exists", path, {}, [&](ErrorInfo& e) {
    return body::is_type(backend_of(*this), path, FileType::not_found, e);
  });
}
bool FileSystem::exists(std::string_view path, std::error_code& ec) noexcept {
  return run_noexcept(ec, [&](ErrorInfo& e) {
    return body::is_type(backend_of(*this), path, FileType::not_found, e);
  });
}
bool FileSystem::is_directory(std::string_view path) {
  return run_throwing("is_directory", path, {}, [&](ErrorInfo& e) {
    return body::is_type(backend_of(*this), path, FileType::directory, e);
  });
}
bool FileSystem::is_directory(std::string_view path,
                              std::error_code& ec) noexcept {
  return run_noexcept(ec, [&](ErrorInfo& e) {
    return body::is_type(backend_of(*this), path, FileType::directory, e);
  });
}
bool FileSystem::is_regular_file(std::string_view path) {
  return run_throwing("is_regular_file", path, {}, [&](ErrorInfo& e) {
    return body::is_type(backend_of(*this), path, FileType::regular, e);
  });
}
bool FileSystem::is_regular_file(std::string_view path,
                                 std::error_code& ec) noexcept {
  return run_noexcept(ec, [&](ErrorInfo& e) {
    return body::is_type(backend_of(*this), path, FileType::regular, e);
  });
}

namespace {
namespace body {
std::uint64_t file_size(Backend& fs, std::string_view path, ErrorInfo& err) {
  const FileStatus st = status(fs, path, err);
  if (err) return 0;
  if (st.is_directory()) {
    err.set(std::errc::is_a_directory);
    return 0;
  }
  return st.size;
}
}  // namespace body
}  // namespace

std::uint64_t FileSystem::file_size(std::string_view path) {
  return run_throwing("file_size", path, {}, [&](ErrorInfo& e) {
    return body::file_size(backend_of(*this), path, e);
  });
}
std::uint64_t FileSystem::file_size(std::string_view path,
                                    std::error_code& ec) noexcept {
  return run_noexcept(ec, [&](ErrorInfo& e) {
    return body::file_size(backend_of(*this), path, e);
  });
}

namespace {
namespace body {
std::vector<DirEntry> list(Backend& fs, std::string_view dir, ErrorInfo& err) {
  ScratchPath scratch;
  NormalizedPath& np = *scratch;
  if (!normalize(dir, np, err)) return {};
  if (!consult(fs.active_hook(), op_context(Op::list, np.value), err))
    return {};
  std::vector<DirEntry> entries = fs.do_list(np, err);
  if (err) entries.clear();
  return entries;
}
}  // namespace body
}  // namespace

namespace {
std::vector<std::string> names_of(std::vector<DirEntry>&& entries) {
  std::vector<std::string> names;
  names.reserve(entries.size());
  for (DirEntry& e : entries) names.push_back(std::move(e.name));
  return names;
}
}  // namespace

std::vector<std::string> FileSystem::list(std::string_view dir) {
  return run_throwing("list", dir, {}, [&](ErrorInfo& e) {
    return names_of(body::list(backend_of(*this), dir, e));
  });
}
std::vector<std::string> FileSystem::list(std::string_view dir,
                                          std::error_code& ec) noexcept {
  return run_noexcept(ec, [&](ErrorInfo& e) {
    return names_of(body::list(backend_of(*this), dir, e));
  });
}
std::vector<DirEntry> FileSystem::list_entries(std::string_view dir) {
  return run_throwing("list", dir, {}, [&](ErrorInfo& e) {
    return body::list(backend_of(*this), dir, e);
  });
}
std::vector<DirEntry> FileSystem::list_entries(std::string_view dir,
                                               std::error_code& ec) noexcept {
  return run_noexcept(
      ec, [&](ErrorInfo& e) { return body::list(backend_of(*this), dir, e); });
}

namespace {
namespace body {
std::vector<WalkEntry> walk(Backend& fs, std::string_view dir, ErrorInfo& err) {
  NormalizedPath np;
  if (!normalize(dir, np, err)) return {};
  if (!consult(fs.active_hook(), op_context(Op::list, np.value), err))
    return {};
  std::vector<WalkEntry> out;
  walk_tree(fs, np, err, [&](WalkEntry&& e) { out.push_back(std::move(e)); });
  if (err) out.clear();
  return out;
}
}  // namespace body
}  // namespace

std::vector<WalkEntry> FileSystem::walk(std::string_view dir) {
  return run_throwing("walk", dir, {}, [&](ErrorInfo& e) {
    return body::walk(backend_of(*this), dir, e);
  });
}
std::vector<WalkEntry> FileSystem::walk(std::string_view dir,
                                        std::error_code& ec) noexcept {
  return run_noexcept(
      ec, [&](ErrorInfo& e) { return body::walk(backend_of(*this), dir, e); });
}

namespace {
namespace body {
std::vector<std::string> glob(Backend& fs, std::string_view pattern,
                              ErrorInfo& err) {
  std::string pat(pattern);
  std::replace(pat.begin(), pat.end(), '\\', '/');
  if (pat.empty() || pat[0] != '/') pat.insert(pat.begin(), '/');
  if (pat.find('\0') != std::string::npos) {
    err.set(std::errc::invalid_argument);
    return {};
  }
  // The literal directory prefix is where matching can start.
  std::string base = "/";
  for (std::string_view comp : split_path(pat)) {
    if (comp.empty()) continue;
    if (has_glob_magic(comp) || comp == "." || comp == "..") break;
    base += (base.size() > 1 ? "/" : "");
    base += comp;
  }
  if (!consult(fs.active_hook(), op_context(Op::list, base), err)) return {};
  // As glob(3) and the "/file/" rule: a trailing slash names directories.
  const bool dirs_only = pat.back() == '/';
  std::set<std::string> found;
  NormalizedPath root;
  root.value = base;
  ErrorInfo ignored;  // a missing base simply matches nothing
  const FileStatus st = fs.do_status(root, ignored);
  if (ignored) return {};
  if (glob_match(pat, base) && (st.is_directory() || !dirs_only)) {
    found.insert(base);
  }
  if (st.is_directory()) {
    walk_tree(fs, root, ignored, [&](WalkEntry&& e) {
      const std::string prefix = e.path == "/" ? "/" : e.path + "/";
      for (const auto* names : {&e.directories, &e.files}) {
        if (dirs_only && names == &e.files) continue;
        for (const std::string& name : *names) {
          std::string full = prefix + name;
          if (glob_match(pat, full)) found.insert(std::move(full));
        }
      }
    });
  }
  return {found.begin(), found.end()};
}
}  // namespace body
}  // namespace

std::vector<std::string> FileSystem::glob(std::string_view pattern) {
  return run_throwing("glob", pattern, {}, [&](ErrorInfo& e) {
    return body::glob(backend_of(*this), pattern, e);
  });
}
std::vector<std::string> FileSystem::glob(std::string_view pattern,
                                          std::error_code& ec) noexcept {
  return run_noexcept(ec, [&](ErrorInfo& e) {
    return body::glob(backend_of(*this), pattern, e);
  });
}

namespace {
namespace body {
Stats stats(const Backend& fs) {
  Stats s = fs.do_stats();
  if (FileSystemHook* hook = fs.active_hook()) hook->adjust_stats(s);
  return s;
}
}  // namespace body
}  // namespace

Stats FileSystem::stats() const { return body::stats(backend_of(*this)); }
std::filesystem::space_info FileSystem::space() const {
  const Stats s = stats();
  return {s.quota, s.free, s.free};
}

namespace {
namespace body {
std::vector<HandleInfo> open_handles(const Backend& fs) {
  std::vector<HandleInfo> handles = fs.do_open_handles();
  std::stable_sort(
      handles.begin(), handles.end(),
      [](const HandleInfo& a, const HandleInfo& b) { return a.path < b.path; });
  return handles;
}
}  // namespace body
}  // namespace

std::vector<HandleInfo> FileSystem::open_handles() const {
  return body::open_handles(backend_of(*this));
}

}  // namespace memfs
