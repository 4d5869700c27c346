// import_from_disk(): reads a host folder (golden data, or a snapshot's
// tree/ with its escaped names restored) and seeds a FileSystem, all or
// nothing.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <memory>
#include <set>
#include <utility>

#include <boost/filesystem.hpp>

#include "api/invoke.hpp"
#include "memfs/snapshot.hpp"
#include "shared/path_join.hpp"
#include "snapshot/host_fd.hpp"
#include "snapshot/snapshot_names.hpp"

namespace memfs {
namespace {

namespace bfs = boost::filesystem;

std::error_code host_error(const boost::system::error_code& bec) {
  return {bec.value(), std::generic_category()};
}

// Reads a whole host file (`name` relative to the folder `dir_fd`, or a
// whole path with AT_FDCWD); returns 0 or an errno value.
int read_host_file(int dir_fd, const char* name, std::string& out) {
  const int fd = ::openat(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return errno;
  out.clear();
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int e = n < 0 ? errno : 0;
      ::close(fd);
      return e;
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
}

// host path relative to the snapshot folder ("tree/a%3Ab") -> memfs name.
using NameMap = std::map<std::string, std::string>;

bool load_name_map(const bfs::path& manifest, NameMap& names, ErrorInfo& err) {
  std::string text;
  if (const int e = read_host_file(AT_FDCWD, manifest.c_str(), text); e != 0) {
    err.set(std::error_code(e, std::generic_category()));
    return false;
  }
  std::error_code ec;
  const JsonValue m = JsonValue::parse(text, ec);
  if (ec || !m.is_object()) {
    err.set(std::errc::invalid_argument);
    return false;
  }
  if (const JsonValue* escaped = m.find("escaped_names")) {
    for (const JsonValue& e : escaped->items()) {
      const JsonValue* host = e.find("host");
      const JsonValue* name = e.find("name");
      if (host == nullptr || name == nullptr) continue;
      std::optional<std::string> decoded =
          detail::unescape_component(name->text());
      if (!decoded) {
        err.set(std::errc::invalid_argument);
        return false;
      }
      names[host->text()] = std::move(*decoded);
    }
  }
  return true;
}

// A name memfs can hold as one component.
bool valid_component(const std::string& name) {
  return !name.empty() && name != "." && name != ".." &&
         name.find_first_of(std::string("/\\\0", 3)) == std::string::npos;
}

struct HostTree {
  std::map<std::string, std::string> files;  // memfs path -> contents
  std::set<std::string> dirs;                // memfs paths
  std::set<std::string> non_empty;           // dirs with children
};

// Opens the folder `components` below `top_fd`, one openat per component,
// never following a symlink; -1 with errno set on failure. Walking from the
// top for each folder keeps one descriptor open at a time and reaches
// folders whose host path is longer than PATH_MAX.
int open_below(int top_fd, const std::vector<std::string>& components) {
  int cur = ::fcntl(top_fd, F_DUPFD_CLOEXEC, 0);
  for (auto c = components.begin(); cur >= 0 && c != components.end(); ++c) {
    const int next = ::openat(cur, c->c_str(),
                              O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    const int saved = errno;
    ::close(cur);
    errno = saved;
    cur = next;
  }
  return cur;
}

using DirStream = std::unique_ptr<DIR, int (*)(DIR*)>;

// The folder `components` below `top_fd` as a directory stream, and its
// names, sorted so the scan is deterministic. 0 or an errno value.
int list_below(int top_fd, const std::vector<std::string>& components,
               DirStream& dir, std::vector<std::string>& names) {
  const int fd = open_below(top_fd, components);
  if (fd < 0) return errno;
  dir.reset(::fdopendir(fd));
  if (!dir) {
    const int e = errno;
    ::close(fd);
    return e;
  }
  names.clear();
  for (;;) {
    errno = 0;
    const dirent* e = ::readdir(dir.get());
    if (e == nullptr) break;
    const std::string_view n = e->d_name;
    if (n != "." && n != "..") names.emplace_back(n);
  }
  if (errno != 0) return errno;
  std::sort(names.begin(), names.end());
  return 0;
}

bool scan(const bfs::path& top, const std::string& dest, bool snapshot,
          const NameMap& names, HostTree& out, ErrorInfo& err) {
  const detail::Fd top_dir(
      ::open(top.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  const int top_fd = top_dir.get();
  if (top_fd < 0)
    return err.set(std::error_code(errno, std::generic_category())), false;
  // A folder still to read: its components below `top`, its host path
  // relative to the snapshot folder (as the manifest spells host paths:
  // "tree/a%3Ab"), and its memfs path.
  struct Pending {
    std::vector<std::string> components;
    std::string rel;
    std::string path;
  };
  std::vector<Pending> stack{{{}, "tree", dest}};
  std::vector<std::string> entries;
  while (!stack.empty()) {
    const Pending dir = std::move(stack.back());
    stack.pop_back();
    DirStream stream(nullptr, ::closedir);
    if (const int e = list_below(top_fd, dir.components, stream, entries);
        e != 0) {
      return err.set(std::error_code(e, std::generic_category())), false;
    }
    const int fd = ::dirfd(stream.get());
    if (!entries.empty()) out.non_empty.insert(dir.path);
    for (const std::string& host_name : entries) {
      const std::string rel = dir.rel + "/" + host_name;
      std::string name = host_name;
      if (const auto m = names.find(rel); m != names.end()) {
        name = m->second;
      } else if (snapshot && host_name.find('%') != std::string::npos) {
        std::optional<std::string> decoded =
            detail::unescape_component(host_name);
        if (!decoded) return err.set(std::errc::invalid_argument), false;
        name = std::move(*decoded);
      }
      if (!valid_component(name))
        return err.set(std::errc::invalid_argument), false;
      std::string path = detail::child_path(dir.path, name);
      struct stat st {};
      if (::fstatat(fd, host_name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        return err.set(std::error_code(errno, std::generic_category())), false;
      }
      if (S_ISDIR(st.st_mode)) {
        out.dirs.insert(path);
        std::vector<std::string> below = dir.components;
        below.push_back(host_name);
        stack.push_back({std::move(below), rel, std::move(path)});
      } else if (S_ISREG(st.st_mode)) {
        std::string data;
        if (const int re = read_host_file(fd, host_name.c_str(), data);
            re != 0) {
          return err.set(std::error_code(re, std::generic_category())), false;
        }
        out.files[path] = std::move(data);
      } else {
        return err.set(std::errc::operation_not_supported), false;
      }
    }
  }
  return true;
}

ImportReport import_impl(FileSystem& fs, const std::filesystem::path& host_dir,
                         std::string_view dest, ErrorInfo& err) {
  ImportReport report;
  std::error_code ec;
  const NormalizedPath root = normalize_path(dest, ec);
  if (ec) return err.set(ec), report;
  std::string host_text = host_dir.string();
  while (host_text.size() > 1 && host_text.back() == '/') host_text.pop_back();
  const bfs::path host(host_text);
  boost::system::error_code bec;
  const bfs::file_type type = bfs::status(host, bec).type();
  if (bec) return err.set(host_error(bec)), report;
  if (type == bfs::file_not_found)
    return err.set(std::errc::no_such_file_or_directory), report;
  if (type != bfs::directory_file)
    return err.set(std::errc::not_a_directory), report;
  NameMap names;
  report.from_snapshot = bfs::is_regular_file(host / "manifest.json", bec) &&
                         bfs::is_directory(host / "tree", bec);
  if (report.from_snapshot &&
      !load_name_map(host / "manifest.json", names, err)) {
    return report;
  }
  HostTree tree;
  if (!scan(report.from_snapshot ? host / "tree" : host, root.value,
            report.from_snapshot, names, tree, err)) {
    return report;
  }
  // Directories first, each missing one remembered so a failure (here or in
  // import_tree) can take them away again: all or nothing.
  std::vector<std::string> created;
  auto undo = [&] {
    for (auto it = created.rbegin(); it != created.rend(); ++it) {
      std::error_code ignored;
      fs.remove(*it, ignored);
    }
  };
  std::vector<std::string> wanted{root.value};
  for (const std::string& d : tree.dirs) {
    if (tree.non_empty.count(d) == 0) wanted.push_back(d);  // parents come with
  }
  for (const std::string& d : wanted) {
    std::string prefix;
    for (std::string_view comp : split_path(d)) {
      prefix += "/";
      prefix += comp;
      if (fs.create_directory(prefix, ec)) created.push_back(prefix);
      if (ec) return undo(), err.set(ec), report;
    }
  }
  fs.import_tree(tree.files, ec);
  if (ec) return undo(), err.set(ec), report;
  report.directories = tree.dirs.size();
  report.files = tree.files.size();
  for (const auto& [path, data] : tree.files) report.bytes += data.size();
  return report;
}

}  // namespace

ImportReport import_from_disk(FileSystem& fs,
                              const std::filesystem::path& host_dir,
                              std::string_view dest) {
  return detail::run_throwing(
      "import_from_disk", host_dir.string(), dest,
      [&](ErrorInfo& e) { return import_impl(fs, host_dir, dest, e); });
}

ImportReport import_from_disk(FileSystem& fs,
                              const std::filesystem::path& host_dir,
                              std::string_view dest,
                              std::error_code& ec) noexcept {
  return detail::run_noexcept(
      ec, [&](ErrorInfo& e) { return import_impl(fs, host_dir, dest, e); });
}

}  // namespace memfs
