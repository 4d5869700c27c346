// import_from_disk(): reads a host folder (golden data, or a snapshot's
// tree/ with its escaped names restored) and seeds a FileSystem, all or
// nothing.
#include <fcntl.h>
#include <unistd.h>

#include <boost/filesystem.hpp>
#include <cerrno>
#include <map>
#include <set>
#include <utility>

#include "invoke.hpp"
#include "memfs/snapshot.hpp"
#include "snapshot_names.hpp"

namespace memfs {
namespace {

namespace bfs = boost::filesystem;

std::error_code host_error(const boost::system::error_code& bec) {
  return {bec.value(), std::generic_category()};
}

// Reads a whole host file; returns 0 or an errno value.
int read_host_file(const bfs::path& p, std::string& out) {
  const int fd = ::open(p.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
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
  if (const int e = read_host_file(manifest, text); e != 0) {
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
      std::optional<std::string> decoded = detail::unescape_component(name->text());
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

bool scan(const bfs::path& top, const std::string& dest, bool snapshot,
          const NameMap& names, HostTree& out, ErrorInfo& err) {
  // Directory seen so far: host path relative to the snapshot folder ->
  // memfs path.
  std::map<std::string, std::string> memfs_of{{"tree", dest}};
  const std::size_t top_len = top.string().size();
  boost::system::error_code bec;
  for (bfs::recursive_directory_iterator it(top, bec), end; !bec && it != end;
       it.increment(bec)) {
    // Relative to the snapshot folder, as the manifest spells host paths.
    const std::string rel_text = "tree" + it->path().string().substr(top_len);
    const std::string parent_rel = rel_text.substr(0, rel_text.rfind('/'));
    const std::string host_name = it->path().filename().string();
    std::string name = host_name;
    if (const auto m = names.find(rel_text); m != names.end()) {
      name = m->second;
    } else if (snapshot && host_name.find('%') != std::string::npos) {
      std::optional<std::string> decoded = detail::unescape_component(host_name);
      if (!decoded) return err.set(std::errc::invalid_argument), false;
      name = std::move(*decoded);
    }
    if (!valid_component(name)) return err.set(std::errc::invalid_argument), false;
    const std::string& parent = memfs_of.at(parent_rel);
    const std::string path = parent == "/" ? "/" + name : parent + "/" + name;
    out.non_empty.insert(parent);
    const bfs::file_status st = it->symlink_status(bec);
    if (bec) break;
    if (st.type() == bfs::directory_file) {
      memfs_of[rel_text] = path;
      out.dirs.insert(path);
    } else if (st.type() == bfs::regular_file) {
      std::string data;
      if (const int e = read_host_file(it->path(), data); e != 0) {
        return err.set(std::error_code(e, std::generic_category())), false;
      }
      out.files[path] = std::move(data);
    } else {
      return err.set(std::errc::operation_not_supported), false;
    }
  }
  if (bec) return err.set(host_error(bec)), false;
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
  if (type == bfs::file_not_found) return err.set(std::errc::no_such_file_or_directory), report;
  if (type != bfs::directory_file) return err.set(std::errc::not_a_directory), report;
  NameMap names;
  report.from_snapshot = bfs::is_regular_file(host / "manifest.json", bec) &&
                         bfs::is_directory(host / "tree", bec);
  if (report.from_snapshot && !load_name_map(host / "manifest.json", names, err)) {
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

ImportReport import_from_disk(FileSystem& fs, const std::filesystem::path& host_dir,
                              std::string_view dest) {
  return detail::run_throwing("import_from_disk", host_dir.string(), dest,
                              [&](ErrorInfo& e) { return import_impl(fs, host_dir, dest, e); });
}

ImportReport import_from_disk(FileSystem& fs, const std::filesystem::path& host_dir,
                              std::string_view dest, std::error_code& ec) {
  return detail::run_noexcept(
      ec, [&](ErrorInfo& e) { return import_impl(fs, host_dir, dest, e); });
}

}  // namespace memfs
