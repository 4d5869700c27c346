// Default implementations of Backend's overridable conveniences, built on
// the primitives. They are as atomic as a backend without transactions allows:
// each undoes what it did when a later step fails (best effort on a disk).
#include <algorithm>
#include <optional>
#include <utility>

#include "memfs/backend.hpp"
#include "path/path_detail.hpp"

namespace memfs {

using detail::child_of;
using detail::trusted_path;

void Backend::do_read_file_into(const NormalizedPath& path, std::string& out,
                                ErrorInfo& err) const {
  std::string data = do_read_file(path, err);
  if (!err) out = std::move(data);
}

std::string Backend::do_read_file(const NormalizedPath& path,
                                  ErrorInfo& err) const {
  // Opening for reading changes nothing a user can see, and no Backend is a
  // const object (it is non-copyable, made by its owner, synchronized
  // inside): do_open is not const only because it also creates files.
  std::unique_ptr<OpenFile> f =
      const_cast<Backend*>(this)->do_open(path, OpenMode("r"), {}, err);
  if (err) return {};
  std::string data;
  const std::uint64_t size = f->size(err);
  if (!err) {
    data.resize(static_cast<std::size_t>(size));
    data.resize(f->pread(0, data.data(), data.size(), err));
  }
  ErrorInfo close_err;
  f->close(close_err);
  if (!err && close_err) err = close_err;
  if (err) data.clear();
  return data;
}

namespace {

// Open "w", write, close: the steps of a whole-file replace. False when the
// open itself failed (nothing was created or truncated).
bool replace_contents(Backend& fs, const NormalizedPath& path,
                      std::string_view data, ErrorInfo& err) {
  std::unique_ptr<OpenFile> f = fs.do_open(path, OpenMode("w"), {}, err);
  if (err) return false;
  if (!data.empty() &&
      f->pwrite(0, data.data(), data.size(), err) != data.size() && !err) {
    err.set(std::errc::io_error);  // a backend's pwrite is all or nothing
  }
  ErrorInfo close_err;
  f->close(close_err);
  if (!err && close_err) err = close_err;
  return true;
}

}  // namespace

void Backend::do_write_file(const NormalizedPath& path, std::string_view data,
                            ErrorInfo& err) {
  // All or nothing (write_file's contract): a write that fails after the
  // truncating open (quota) puts the old contents back, or removes the file
  // it created. The old bytes fit again, as the truncation freed them.
  ErrorInfo missing;
  const FileStatus before = do_status(path, missing);
  std::optional<std::string> old;
  if (!missing && before.is_regular_file()) {
    old = do_read_file(path, err);
    if (err) return;
  }
  const bool opened = replace_contents(*this, path, data, err);
  if (!err || !opened) return;
  ErrorInfo ignored;
  if (old) {
    replace_contents(*this, path, *old, ignored);
  } else if (missing.code == std::errc::no_such_file_or_directory) {
    do_remove(path, ignored);  // the file the open created
  }
}

bool Backend::do_create_directories(const NormalizedPath& path,
                                    ErrorInfo& err) {
  std::vector<NormalizedPath> created;
  NormalizedPath prefix;
  for (std::string_view comp : split_path(path.value)) {
    prefix = child_of(prefix, comp);
    if (do_create_directory(prefix, err)) created.push_back(prefix);
    if (err) {
      // A file in the way of a parent is "not a directory" (as in
      // MemoryFileSystem and POSIX); file_exists is for the path itself.
      if (err.code == std::errc::file_exists && prefix.value != path.value) {
        err.set(std::errc::not_a_directory);
      }
      break;
    }
  }
  if (!err) return !created.empty();
  for (auto it = created.rbegin(); it != created.rend(); ++it) {
    ErrorInfo ignored;
    do_remove(*it, ignored);
  }
  return false;
}

std::uint64_t Backend::do_remove_all(const NormalizedPath& path,
                                     ErrorInfo& err) {
  ErrorInfo missing;
  const FileStatus st = do_status(path, missing);
  if (missing) {
    if (missing.code == std::errc::no_such_file_or_directory) return 0;
    err = missing;
    return 0;
  }
  if (!st.is_directory()) return do_remove(path, err) ? 1 : 0;
  // Post-order without recursion: list every directory first, then remove
  // files and directories deepest first.
  std::vector<NormalizedPath> dirs{path};
  std::vector<NormalizedPath> files;
  for (std::size_t i = 0; i < dirs.size(); ++i) {
    const std::vector<DirEntry> entries = do_list(dirs[i], err);
    if (err) return 0;
    for (const DirEntry& e : entries) {
      (e.type == FileType::directory ? dirs : files)
          .push_back(child_of(dirs[i], e.name));
    }
  }
  std::uint64_t count = 0;
  for (const NormalizedPath& f : files) {
    if (do_remove(f, err)) ++count;
    if (err) return count;
  }
  for (auto it = dirs.rbegin(); it != dirs.rend(); ++it) {
    if (do_remove(*it, err)) ++count;
    if (err) return count;
  }
  return count;
}

bool Backend::do_copy_file(const NormalizedPath& from, const NormalizedPath& to,
                           std::filesystem::copy_options options,
                           ErrorInfo& err) {
  using std::filesystem::copy_options;
  const FileStatus src = do_status(from, err);
  if (err) return false;
  if (src.is_directory()) {
    err.set(std::errc::is_a_directory);
    return false;
  }
  ErrorInfo missing;
  const FileStatus dst = do_status(to, missing);
  if (!missing) {
    if (dst.is_directory()) {
      err.set(std::errc::is_a_directory);
      return false;
    }
    if (from.value == to.value) {
      err.set(std::errc::file_exists);
      return false;
    }
    if ((options & copy_options::skip_existing) != copy_options::none) {
      return false;
    }
    if ((options & copy_options::overwrite_existing) == copy_options::none) {
      err.set(std::errc::file_exists);
      return false;
    }
  }
  const std::string data = do_read_file(from, err);
  if (err) return false;
  do_write_file(to, data, err);
  return !err;
}

void Backend::do_copy_tree(const NormalizedPath& from, const NormalizedPath& to,
                           std::filesystem::copy_options options,
                           ErrorInfo& err) {
  // Read the whole source shape first, then create; undo on failure.
  std::vector<std::string> dirs{""};
  std::vector<std::string> files;
  for (std::size_t i = 0; i < dirs.size(); ++i) {
    const NormalizedPath dir =
        dirs[i].empty() ? from : trusted_path(from.value + dirs[i]);
    const std::vector<DirEntry> entries = do_list(dir, err);
    if (err) return;
    for (const DirEntry& e : entries) {
      (e.type == FileType::directory ? dirs : files)
          .push_back(dirs[i] + "/" + e.name);
    }
  }
  // "/" + "/x" must give "/x", not "//x" (a copy merged into the root).
  const std::string to_base = to.is_root() ? std::string() : to.value;
  std::vector<NormalizedPath> created;
  for (const std::string& rel : dirs) {
    const NormalizedPath d = rel.empty() ? to : trusted_path(to_base + rel);
    if (do_create_directory(d, err)) created.push_back(d);
    if (err) break;
  }
  if (!err) {
    for (const std::string& rel : files) {
      const NormalizedPath dst = trusted_path(to_base + rel);
      ErrorInfo missing;
      do_status(dst, missing);
      const bool existed = !missing;
      if (do_copy_file(trusted_path(from.value + rel), dst, options, err) &&
          !existed) {
        created.push_back(dst);
      }
      if (err) break;
    }
  }
  if (!err) return;
  for (auto it = created.rbegin(); it != created.rend(); ++it) {
    ErrorInfo ignored;
    do_remove(*it, ignored);
  }
}

void Backend::do_sync_directory(const NormalizedPath& path, ErrorInfo& err) {
  const FileStatus st = do_status(path, err);
  if (!err && !st.is_directory()) err.set(std::errc::not_a_directory);
}

void Backend::do_resize_file(const NormalizedPath& path, std::uint64_t size,
                             ErrorInfo& err) {
  std::unique_ptr<OpenFile> f = do_open(path, OpenMode("r+"), {}, err);
  if (err) return;
  f->truncate(size, err);
  ErrorInfo close_err;
  f->close(close_err);
  if (!err && close_err) err = close_err;
}

void Backend::do_exchange(const NormalizedPath& a, const NormalizedPath& b,
                          ErrorInfo& err) {
  do_status(a, err);
  if (!err) do_status(b, err);
  if (!err) err.set(std::errc::operation_not_supported);
}

void Backend::do_set_modified(const NormalizedPath& path,
                              std::chrono::system_clock::time_point /*time*/,
                              ErrorInfo& err) {
  do_status(path, err);
  if (!err) err.set(std::errc::operation_not_supported);
}

void Backend::do_import_tree(
    const std::vector<std::pair<NormalizedPath, const std::string*>>& files,
    ErrorInfo& err) {
  struct Undo {
    NormalizedPath path;
    std::optional<std::string> old;  // nullopt: the file was new
  };
  std::vector<Undo> undo;
  std::vector<NormalizedPath> created_dirs;
  for (const auto& [path, data] : files) {
    ErrorInfo missing;
    const FileStatus st = do_status(path, missing);
    if (!missing && st.is_directory()) {
      err.set(std::errc::is_a_directory);
      break;
    }
    // Create the missing parents one by one, remembering them.
    NormalizedPath prefix;
    const std::vector<std::string_view> comps =
        split_path(parent_path(path.value));
    for (std::string_view comp : comps) {
      prefix = child_of(prefix, comp);
      if (do_create_directory(prefix, err)) created_dirs.push_back(prefix);
      if (err.code == std::errc::file_exists) {
        err.set(std::errc::not_a_directory);  // a file in the way of a parent
      }
      if (err) break;
    }
    if (err) break;
    Undo u{path, std::nullopt};
    if (!missing) {
      u.old = do_read_file(path, err);
      if (err) break;
    }
    do_write_file(path, *data, err);
    if (err) break;
    undo.push_back(std::move(u));
  }
  if (!err) return;
  for (auto it = undo.rbegin(); it != undo.rend(); ++it) {
    ErrorInfo ignored;
    if (it->old) {
      do_write_file(it->path, *it->old, ignored);
    } else {
      do_remove(it->path, ignored);
    }
  }
  for (auto it = created_dirs.rbegin(); it != created_dirs.rend(); ++it) {
    ErrorInfo ignored;
    do_remove(*it, ignored);
  }
}

}  // namespace memfs
