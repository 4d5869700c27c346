// The shared body of FileSystem's public operations: normalize, ask the hook,
// call the primitive. See funnel.hpp.
#include "api/funnel.hpp"

#include <algorithm>
#include <limits>
#include <set>
#include <string_view>
#include <utility>

#include "path/path_detail.hpp"

namespace memfs::detail {

bool Funnel::normalize(std::string_view in, NormalizedPath& out,
                       ErrorInfo& err) {
  if (normalize_reusing(in, out)) return true;
  err.set(std::errc::invalid_argument);
  return false;
}

namespace {

// For an operation that creates `path`, "not found" can only mean its
// parent: say so in the message (error.hpp documents this wording).
void explain_missing_parent(ErrorInfo& err) {
  if (err.code == std::errc::no_such_file_or_directory) {
    err.detail = "parent does not exist";
  }
}

// write_file and import_tree are all or nothing: a short transfer the hook
// asks for cannot be honoured, so the write fails and writes nothing (the
// hook is told of no transfer). True when it refused.
bool refuse_short_write(const OpContext& ctx, const Injection& inj,
                        ErrorInfo& err) {
  if (allowed(inj, ctx.length) == ctx.length) return false;
  err.set(errc::injected_fault);
  err.detail = "short write refused (all or nothing)";
  return true;
}

// A NormalizedPath for an operation that does not keep its path: the
// thread's reusable one, so hot calls (read_file, write_file, status)
// allocate nothing for the path. A hook that calls the file system from
// inside an operation finds it taken and gets a fresh one.
class ScratchPath {
 public:
  ScratchPath() : path_(busy_ ? &own_ : &slot_) { busy_ = true; }
  ~ScratchPath() {
    if (path_ == &slot_) busy_ = false;
  }
  ScratchPath(const ScratchPath&) = delete;
  ScratchPath& operator=(const ScratchPath&) = delete;
  NormalizedPath& operator*() noexcept { return *path_; }

 private:
  static thread_local NormalizedPath slot_;
  static thread_local bool busy_;
  NormalizedPath own_;
  NormalizedPath* path_;
};

thread_local NormalizedPath ScratchPath::slot_;
thread_local bool ScratchPath::busy_ = false;

}  // namespace

OpContext op_context(Op op, std::string_view path, std::string_view path2,
                     Transfer transfer) noexcept {
  OpContext ctx;
  ctx.op = op;
  ctx.path = path;
  ctx.path2 = path2;
  ctx.offset = transfer.offset;
  ctx.length = transfer.length;
  ctx.file_size = transfer.file_size;
  return ctx;
}

bool consult(FileSystemHook* hook, const OpContext& ctx, ErrorInfo& err,
             Injection* inj) {
  if (hook == nullptr) return true;
  Injection asked = hook->before(ctx);
  if (asked.error) {
    err.set(asked.error);
    return false;
  }
  if (inj != nullptr) *inj = std::move(asked);
  return true;
}

void refused(FileSystemHook* hook, const OpContext& ctx, const ErrorInfo& err) {
  if (err && hook != nullptr) hook->after_error(ctx, err);
}

File Funnel::open(FileSystem& fs, std::string_view path, const OpenMode& mode,
                  const OpenOptions& options, ErrorInfo& err) {
  NormalizedPath np;
  if (!mode.valid() || (options.preallocate > 0 && !mode.can_write())) {
    err.set(std::errc::invalid_argument);
    return File();
  }
  if (!normalize(path, np, err)) return File();
  FileSystemHook* hook = fs.active_hook();
  std::string mode_text;
  OpContext ctx = op_context(Op::open, np.value);
  if (hook != nullptr) {
    mode_text = mode.str();
    ctx.mode = mode_text;
    ctx.lock_mode = mode.can_write() ? LockMode::exclusive : LockMode::shared;
    if (!consult(hook, ctx, err)) return File();
  }
  std::unique_ptr<OpenFile> impl = fs.do_open(np, mode, options, err);
  if (err || impl == nullptr) {
    if (!err) err.set(std::errc::io_error);
    refused(hook, ctx, err);
    return File();
  }
  return File(&fs, std::move(impl), std::move(np.value), mode);
}

std::string Funnel::read_file(FileSystem& fs, std::string_view path,
                              ErrorInfo& err) {
  ScratchPath scratch;
  NormalizedPath& np = *scratch;
  if (!normalize(path, np, err)) return {};
  FileSystemHook* hook = fs.active_hook();
  if (hook == nullptr) return fs.do_read_file(np, err);
  OpContext ctx = op_context(Op::read, np.value, {},
                             {0, std::numeric_limits<std::uint64_t>::max(), 0});
  Injection inj;
  if (!consult(hook, ctx, err, &inj)) return {};
  std::string data = fs.do_read_file(np, err);
  if (err) return {};
  data.resize(allowed(inj, data.size()));
  ctx.file_size = data.size();
  hook->after_transfer(ctx, inj, data.data(), data.size());
  return data;
}

void Funnel::write_file(FileSystem& fs, std::string_view path,
                        std::string_view data, ErrorInfo& err) {
  ScratchPath scratch;
  NormalizedPath& np = *scratch;
  if (!normalize(path, np, err)) return;
  FileSystemHook* hook = fs.active_hook();
  if (hook == nullptr) {
    fs.do_write_file(np, data, err);
    return explain_missing_parent(err);
  }
  const OpContext ctx =
      op_context(Op::write, np.value, {}, {0, data.size(), 0});
  Injection inj;
  if (!consult(hook, ctx, err, &inj) || refuse_short_write(ctx, inj, err)) {
    return;
  }
  fs.do_write_file(np, data, err);
  explain_missing_parent(err);
  if (err) {
    refused(hook, ctx, err);
  } else {
    hook->after_transfer(ctx, inj, nullptr, data.size());
  }
}

FileStatus Funnel::status(FileSystem& fs, std::string_view path,
                          ErrorInfo& err) {
  ScratchPath scratch;
  NormalizedPath& np = *scratch;
  if (!normalize(path, np, err)) return {};
  if (!consult(fs.active_hook(), op_context(Op::stat, np.value), err))
    return {};
  FileStatus st = fs.do_status(np, err);
  if (err) st = FileStatus{};
  return st;
}

bool Funnel::is_type(FileSystem& fs, std::string_view path, FileType want,
                     ErrorInfo& err) {
  const FileStatus st = status(fs, path, err);
  // As std::filesystem::exists: "not there" and "a file in the way" are
  // answers, not errors.
  if (err.code == std::errc::no_such_file_or_directory ||
      err.code == std::errc::not_a_directory) {
    err.clear();
    return false;
  }
  if (err) return false;
  return want == FileType::not_found ? st.exists() : st.type == want;
}

std::uint64_t Funnel::file_size(FileSystem& fs, std::string_view path,
                                ErrorInfo& err) {
  const FileStatus st = status(fs, path, err);
  if (err) return 0;
  if (st.is_directory()) {
    err.set(std::errc::is_a_directory);
    return 0;
  }
  return st.size;
}

std::vector<DirEntry> Funnel::list(FileSystem& fs, std::string_view dir,
                                   ErrorInfo& err) {
  ScratchPath scratch;
  NormalizedPath& np = *scratch;
  if (!normalize(dir, np, err)) return {};
  if (!consult(fs.active_hook(), op_context(Op::list, np.value), err))
    return {};
  std::vector<DirEntry> entries = fs.do_list(np, err);
  if (err) entries.clear();
  return entries;
}

template <class Visit>
void Funnel::walk_tree(FileSystem& fs, const NormalizedPath& root,
                       ErrorInfo& err, Visit&& visit) {
  // Iterative, so depth is bounded by memory rather than the call stack.
  std::vector<std::string> stack{root.value};
  bool first = true;
  while (!stack.empty()) {
    NormalizedPath dir;
    dir.value = std::move(stack.back());
    stack.pop_back();
    ErrorInfo list_err;
    std::vector<DirEntry> entries = fs.do_list(dir, list_err);
    if (list_err) {
      if (first) {
        err = list_err;
        return;
      }
      continue;  // removed (or replaced) while walking
    }
    first = false;
    WalkEntry entry;
    entry.path = dir.value;
    for (DirEntry& e : entries) {
      (e.type == FileType::directory ? entry.directories : entry.files)
          .push_back(std::move(e.name));
    }
    for (auto it = entry.directories.rbegin(); it != entry.directories.rend();
         ++it) {
      stack.push_back(dir.is_root() ? "/" + *it : dir.value + "/" + *it);
    }
    visit(std::move(entry));
  }
}

std::vector<WalkEntry> Funnel::walk(FileSystem& fs, std::string_view dir,
                                    ErrorInfo& err) {
  NormalizedPath np;
  if (!normalize(dir, np, err)) return {};
  if (!consult(fs.active_hook(), op_context(Op::list, np.value), err))
    return {};
  std::vector<WalkEntry> out;
  walk_tree(fs, np, err, [&](WalkEntry&& e) { out.push_back(std::move(e)); });
  if (err) out.clear();
  return out;
}

std::vector<std::string> Funnel::glob(FileSystem& fs, std::string_view pattern,
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

bool Funnel::create_directory(FileSystem& fs, std::string_view path,
                              bool parents, ErrorInfo& err) {
  NormalizedPath np;
  if (!normalize(path, np, err)) return false;
  if (np.is_root()) return false;
  if (!consult(fs.active_hook(), op_context(Op::create, np.value), err))
    return false;
  if (parents) return fs.do_create_directories(np, err);
  const bool created = fs.do_create_directory(np, err);
  explain_missing_parent(err);
  return created;
}

namespace {
bool refuse_root(const NormalizedPath& p, ErrorInfo& err) {
  if (!p.is_root()) return false;
  err.set(std::errc::invalid_argument);
  return true;
}
}  // namespace

bool Funnel::remove(FileSystem& fs, std::string_view path, ErrorInfo& err) {
  ScratchPath scratch;
  NormalizedPath& np = *scratch;
  if (!normalize(path, np, err) || refuse_root(np, err)) return false;
  if (!consult(fs.active_hook(), op_context(Op::remove, np.value), err))
    return false;
  return fs.do_remove(np, err);
}

std::uint64_t Funnel::remove_all(FileSystem& fs, std::string_view path,
                                 ErrorInfo& err) {
  NormalizedPath np;
  if (!normalize(path, np, err) || refuse_root(np, err)) return 0;
  if (!consult(fs.active_hook(), op_context(Op::remove, np.value), err))
    return 0;
  return fs.do_remove_all(np, err);
}

void Funnel::rename(FileSystem& fs, std::string_view from, std::string_view to,
                    ErrorInfo& err) {
  NormalizedPath a, b;
  if (!normalize(from, a, err) || !normalize(to, b, err)) return;
  if (refuse_root(a, err) || refuse_root(b, err)) return;
  if (!consult(fs.active_hook(), op_context(Op::rename, a.value, b.value), err))
    return;
  fs.do_rename(a, b, err);
}

bool Funnel::copy(FileSystem& fs, std::string_view from, std::string_view to,
                  std::filesystem::copy_options options, bool tree,
                  ErrorInfo& err) {
  NormalizedPath a, b;
  if (!normalize(from, a, err) || !normalize(to, b, err)) return false;
  if (!consult(fs.active_hook(), op_context(Op::copy, a.value, b.value), err))
    return false;
  bool copied = false;
  const FileStatus st = tree ? fs.do_status(a, err) : FileStatus{};
  if (err) return false;
  if (st.is_directory()) {
    if (is_within(a.value, b.value)) {
      err.set(std::errc::invalid_argument);
      return false;
    }
    fs.do_copy_tree(a, b, options, err);
    copied = !err;
  } else {
    copied = fs.do_copy_file(a, b, options, err);
  }
  refused(fs.active_hook(), op_context(Op::copy, a.value, b.value), err);
  return copied;
}

void Funnel::resize_file(FileSystem& fs, std::string_view path,
                         std::uint64_t size, ErrorInfo& err) {
  ScratchPath scratch;
  NormalizedPath& np = *scratch;
  if (!normalize(path, np, err)) return;
  FileSystemHook* hook = fs.active_hook();
  const OpContext ctx = op_context(Op::truncate, np.value, {}, {0, size, 0});
  if (!consult(hook, ctx, err)) return;
  fs.do_resize_file(np, size, err);
  refused(hook, ctx, err);
}

void Funnel::import_tree(FileSystem& fs,
                         const std::map<std::string, std::string>& files,
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
  if (!std::is_sorted(keys.begin(), keys.end())) std::sort(keys.begin(), keys.end());
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
    hook->after_transfer(write_of(i), injections[i], nullptr, items[i].second->size());
  }
}

ExportedTree Funnel::export_tree(FileSystem& fs, std::string_view prefix,
                                 bool only_dirty, ErrorInfo& err) {
  ExportedTree out;
  NormalizedPath np;
  if (!normalize(prefix, np, err)) return out;
  ErrorInfo missing;
  const FileStatus st = fs.do_status(np, missing);
  if (missing) return out;  // nothing there: nothing to export
  auto add_file = [&](const std::string& path, const FileStatus& fst) {
    if (only_dirty && fst.generation == 0) return;
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

Stats Funnel::stats(const FileSystem& fs) {
  Stats s = fs.do_stats();
  if (FileSystemHook* hook = fs.active_hook()) hook->adjust_stats(s);
  return s;
}

std::vector<HandleInfo> Funnel::open_handles(const FileSystem& fs) {
  std::vector<HandleInfo> handles = fs.do_open_handles();
  std::stable_sort(handles.begin(), handles.end(),
                   [](const HandleInfo& a, const HandleInfo& b) {
                     return a.path < b.path;
                   });
  return handles;
}

}  // namespace memfs::detail
