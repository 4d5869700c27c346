// export_to_disk(): writes tree/ and manifest.json into a hidden temporary
// folder next to the destination, then renames it onto a freshly claimed
// (empty) folder name.
//
// Containment: every host file and directory is created relative to an open
// directory descriptor of the temporary folder, with O_NOFOLLOW | O_EXCL
// (files) and mkdirat (directories), under names escape_component() made
// safe, so no name and no symlink planted meanwhile can lead outside it. It
// also means no path length limit applies, however deep the tree.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <set>
#include <utility>

#include <boost/filesystem.hpp>

#include "api/invoke.hpp"
#include "api/raw_access.hpp"
#include "memfs/clock.hpp"
#include "memfs/snapshot.hpp"
#include "snapshot/host_fd.hpp"
#include "snapshot/snapshot_manifest.hpp"
#include "snapshot/snapshot_names.hpp"
#include "snapshot/snapshot_page.hpp"

namespace memfs {
namespace {

namespace bfs = boost::filesystem;
using detail::RawAccess;

std::error_code host_error(int errnum) {
  return {errnum, std::generic_category()};
}

using detail::Fd;

bool write_all(int fd, std::string_view data, ErrorInfo& err) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      err.set(host_error(errno));
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Creates a new directory `parent/<name>` for the first free name that
// `next_name(attempt)` proposes. create_directory is the atomic claim, so
// parallel processes never get the same folder.
template <class NextName>
bfs::path claim_directory(const bfs::path& parent, NextName&& next_name,
                          ErrorInfo& err) {
  for (int attempt = 0; attempt < 64; ++attempt) {
    boost::system::error_code bec;
    const bfs::path candidate = parent / next_name(attempt);
    if (bfs::create_directory(candidate, bec)) return candidate;
    if (bec && bec.value() != EEXIST) {
      err.set(host_error(bec.value()));
      return {};
    }
  }
  err.set(std::errc::file_exists);
  return {};
}

// Walks the memfs tree and writes it below an open host directory.
class TreeWriter {
 public:
  TreeWriter(const FileSystem& fs, const ExportOptions& options,
             ExportReport& report)
      : fs_(fs),
        options_(options),
        report_(report),
        page_(options.page_file_bytes, options.page_total_bytes) {}

  // Writes the children of memfs directory `dir` into `dirfd`, whose path
  // relative to the snapshot folder is `host_rel`. A host error stops the
  // walk (see error()).
  void write_dir(const std::string& dir, int dirfd,
                 const std::string& host_rel) {
    ErrorInfo list_err;
    const std::vector<DirEntry> children = RawAccess::list(fs_, dir, list_err);
    if (list_err) return skip(dir, list_err.code);
    std::set<std::string> used;  // host names taken in this directory
    for (const DirEntry& child : children) {
      if (error_) return;
      const std::string path = detail::child_path(dir, child.name);
      ErrorInfo stat_err;
      const FileStatus st = RawAccess::status(fs_, path, stat_err);
      if (stat_err) {
        skip(path, stat_err.code);
        continue;
      }
      detail::HostName host = detail::escape_component(child.name);
      for (unsigned salt = 1; !used.insert(host.name).second && host.hashed;
           ++salt) {
        host = detail::escape_component(child.name, salt);  // hash clash
      }
      const std::string child_rel = host_rel + "/" + host.name;
      if (host.escaped) {
        report_.escaped.push_back({path, child_rel});
        escaped_.push_back(
            detail::escaped_json(report_.escaped.back(), child.name));
      }
      entries_.push_back(detail::entry_json(path, st));
      if (st.is_directory()) {
        write_subdir(path, st, dirfd, host.name, child_rel);
      } else {
        write_file(path, st, dirfd, host.name);
      }
    }
  }

  // Replays `st`'s modified time on an exported file or directory.
  void set_times(int fd, const FileStatus& st) const {
    if (!options_.preserve_times) return;
    const timespec ts[2] = {detail::split_time(st.modified),
                            detail::split_time(st.modified)};
    ::futimens(fd, ts);  // best effort: a snapshot without times is still one
  }

  void add_entry(const std::string& path, const FileStatus& st) {
    entries_.push_back(detail::entry_json(path, st));
  }
  [[nodiscard]] const ErrorInfo& error() const { return error_; }
  JsonValue take_entries() { return std::move(entries_); }
  JsonValue take_escaped() { return std::move(escaped_); }
  JsonValue take_skipped() { return std::move(skipped_); }
  [[nodiscard]] const detail::PageContents& page() const { return page_; }

 private:
  void skip(const std::string& path, std::error_code ec) {
    report_.skipped.push_back({path, ec});
    skipped_.push_back(detail::skipped_json(report_.skipped.back()));
  }

  void write_subdir(const std::string& path, const FileStatus& st, int dirfd,
                    const std::string& name, const std::string& rel) {
    if (::mkdirat(dirfd, name.c_str(), 0777) != 0) {
      error_.set(host_error(errno));
      return;
    }
    ++report_.directories;
    const Fd sub(::openat(dirfd, name.c_str(),
                          O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!sub) return skip(path, host_error(errno));  // e.g. EMFILE, very deep
    write_dir(path, sub.get(), rel);
    set_times(sub.get(), st);
  }

  void write_file(const std::string& path, const FileStatus& st, int dirfd,
                  const std::string& name) {
    ErrorInfo read_err;
    const std::string data = RawAccess::read_file(fs_, path, read_err);
    if (read_err) return skip(path, read_err.code);
    const Fd out(::openat(dirfd, name.c_str(),
                          O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                          0666));
    if (!out) {
      error_.set(host_error(errno));
      return;
    }
    if (!write_all(out.get(), data, error_)) return;
    ++report_.files;
    report_.bytes += data.size();
    if (options_.page) page_.add(entries_.size() - 1, data);
    set_times(out.get(), st);
  }

  const FileSystem& fs_;
  const ExportOptions& options_;
  ExportReport& report_;
  ErrorInfo error_;
  JsonValue entries_ = JsonValue::array();
  JsonValue escaped_ = JsonValue::array();
  JsonValue skipped_ = JsonValue::array();
  detail::PageContents page_;  // what index.html embeds
};

bool write_new_file(int dirfd, const char* name, std::string_view text,
                    ErrorInfo& err) {
  const Fd out(::openat(
      dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666));
  if (!out) return err.set(host_error(errno)), false;
  return write_all(out.get(), text, err);
}

JsonValue build_manifest(const FileSystem& fs, const ExportOptions& options,
                         const std::string& name, const std::string& prefix,
                         TreeWriter& writer) {
  JsonValue m = JsonValue::object();
  m.set("format", "memfs-snapshot");
  m.set("version", 1);
  m.set("name", name);
  m.set("exported_at", detail::format_utc(SystemClock::instance()->now()));
  detail::set_path(m, "prefix", prefix);
  JsonValue sections = JsonValue::object();
  for (const auto& [key, value] : options.sections) sections.set(key, value);
  m.set("sections", std::move(sections));
  m.set("stats", detail::stats_json(fs.stats()));
  const std::vector<HandleInfo> handles = fs.open_handles();
  m.set("open_handles", detail::handles_json(handles));
  m.set("lock_holders", detail::lock_holders_json(handles));
  m.set("entries", writer.take_entries());
  m.set("escaped_names", writer.take_escaped());
  m.set("skipped", writer.take_skipped());
  return m;
}

// Removes a folder on scope exit unless released (path cleared): all of it,
// or (recursive false) only if it is still empty.
struct RemoveOnExit {
  bfs::path path;
  bool recursive;
  ~RemoveOnExit() {
    if (path.empty()) return;
    if (!recursive) {
      ::rmdir(path.c_str());
      return;
    }
    boost::system::error_code ignored;
    bfs::remove_all(path, ignored);
  }
};

ExportReport export_impl(const FileSystem& fs,
                         const std::filesystem::path& host_dir,
                         const ExportOptions& options, ErrorInfo& err) {
  ExportReport report;
  std::error_code ec;
  const NormalizedPath prefix = normalize_path(options.prefix, ec);
  if (ec) return err.set(ec), report;
  const FileStatus root = RawAccess::status(fs, prefix.value, err);
  if (err) return report;
  if (!root.is_directory()) return err.set(std::errc::not_a_directory), report;

  boost::system::error_code bec;
  const bfs::path parent = bfs::absolute(bfs::path(host_dir.string()), bec);
  if (!bec) bfs::create_directories(parent, bec);
  if (bec) return err.set(host_error(bec.value())), report;
  const std::string base = sanitize_snapshot_name(options.name);
  RemoveOnExit claimed{
      claim_directory(
          parent,
          [&](int attempt) {
            if (attempt == 0) return base;
            return base + "-" +
                   bfs::unique_path(attempt < 32 ? "%%%%" : "%%%%%%%%")
                       .string();
          },
          err),
      false};
  if (err) return report;
  RemoveOnExit temp{
      claim_directory(
          parent,
          [](int) {
            return bfs::unique_path(".memfs-export-%%%%-%%%%-%%%%").string();
          },
          err),
      true};
  if (err) return report;

  const Fd top(::open(temp.path.c_str(),
                      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!top || ::mkdirat(top.get(), "tree", 0777) != 0) {
    return err.set(host_error(errno)), report;
  }
  const Fd tree(::openat(top.get(), "tree",
                         O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!tree) return err.set(host_error(errno)), report;
  TreeWriter writer(fs, options, report);
  writer.add_entry(prefix.value, root);
  report.directories = 1;
  writer.write_dir(prefix.value, tree.get(), "tree");
  if (writer.error()) return err = writer.error(), report;
  writer.set_times(tree.get(), root);

  const std::string name = claimed.path.filename().string();
  const JsonValue manifest =
      build_manifest(fs, options, name, prefix.value, writer);
  if (!write_new_file(top.get(), "manifest.json", manifest.dump() + "\n", err))
    return report;
  if (options.page &&
      !write_new_file(top.get(), "index.html",
                      detail::render_page(manifest, writer.page()), err)) {
    return report;
  }

  // rename(2) replaces the empty folder we claimed, atomically; it fails
  // (and we give up) if something was put into it meanwhile.
  if (::rename(temp.path.c_str(), claimed.path.c_str()) != 0) {
    return err.set(host_error(errno)), report;
  }
  temp.path.clear();
  report.folder = claimed.path.string();
  claimed.path.clear();
  return report;
}

}  // namespace

ExportReport export_to_disk(const FileSystem& fs,
                            const std::filesystem::path& host_dir,
                            const ExportOptions& options) {
  return detail::run_throwing(
      "export_to_disk", host_dir.string(), {},
      [&](ErrorInfo& e) { return export_impl(fs, host_dir, options, e); });
}

ExportReport export_to_disk(const FileSystem& fs,
                            const std::filesystem::path& host_dir,
                            const ExportOptions& options,
                            std::error_code& ec) noexcept {
  return detail::run_noexcept(
      ec, [&](ErrorInfo& e) { return export_impl(fs, host_dir, options, e); });
}

}  // namespace memfs
