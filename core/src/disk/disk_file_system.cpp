// DiskFileSystem: construction and the namespace primitives (status, list,
// create, remove, rename, open). File handles live in disk_open_file.cpp,
// whole-file reads and the usage queries in disk_queries.cpp, the host
// helpers in disk_host.cpp.
//
// Each primitive first decides the memfs outcome from lstat() facts (in the
// order MemoryFileSystem checks them), and only then asks the host to act, so
// error codes match the memory backend even where POSIX would report a
// different errno for the same situation.
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>

#include <boost/filesystem.hpp>

#include "disk/disk_state.hpp"
#include "memfs/path.hpp"

namespace memfs {

namespace bfs = boost::filesystem;
using detail::disk_error;
using detail::disk_error_from;
using detail::HostKind;
using detail::HostStat;

namespace {

// The error for a host path that is not a directory where one is needed.
std::errc not_dir_error(HostKind kind) {
  return kind == HostKind::foreign ? std::errc::permission_denied
                                   : std::errc::not_a_directory;
}

// Checks the ancestors, then stats the path itself. False (err set) when an
// ancestor is in the way or the stat failed for another reason than absence.
// With `missing_ok`, a missing ancestor is no error: st.kind is `missing`
// (remove and remove_all report "nothing there" that way).
bool stat_path(const detail::DiskState& state, const NormalizedPath& path,
               HostStat& st, ErrorInfo& err, bool missing_ok = false) {
  if (!state.check_ancestors(path, err)) {
    if (!missing_ok || err.code != std::errc::no_such_file_or_directory) {
      return false;
    }
    err.clear();
    st = HostStat{};
    return true;
  }
  st = detail::host_stat(state.host(path.value));
  if (st.error != 0 && st.error != ENOENT) {
    err.set(disk_error(st.error));
    return false;
  }
  return true;
}

// stat_path for a path that must exist and be a file or directory (not
// found, or permission_denied for anything else the host has there).
bool stat_existing(const detail::DiskState& state, const NormalizedPath& path,
                   HostStat& st, ErrorInfo& err) {
  if (!stat_path(state, path, st, err)) return false;
  if (st.kind == HostKind::missing) {
    err.set(std::errc::no_such_file_or_directory);
    return false;
  }
  if (st.kind == HostKind::foreign) {
    err.set(std::errc::permission_denied);
    return false;
  }
  return true;
}

}  // namespace

DiskFileSystem::DiskFileSystem(const std::filesystem::path& root,
                               DiskOptions options) {
  boost::system::error_code bec;
  const bfs::path canonical = bfs::canonical(bfs::path(root.string()), bec);
  if (bec) {
    throw filesystem_error("DiskFileSystem",
                           "root must be an existing directory", root.string(),
                           disk_error_from(bec));
  }
  if (!bfs::is_directory(canonical, bec)) {
    throw filesystem_error("DiskFileSystem", "root is not a directory",
                           root.string(),
                           std::make_error_code(std::errc::not_a_directory));
  }
  state_ = std::make_shared<detail::DiskState>(
      std::filesystem::path(canonical.string()), std::move(options));
}

DiskFileSystem::~DiskFileSystem() {
  if (state_ && state_->remove_root) {
    boost::system::error_code ignored;
    bfs::remove_all(state_->root, ignored);
  }
}

std::unique_ptr<DiskFileSystem> DiskFileSystem::create_temporary(
    const std::filesystem::path& parent, DiskOptions options) {
  bfs::path base(parent.string());
  boost::system::error_code bec;
  if (base.empty()) {
    base = "/dev/shm";
    if (!bfs::is_directory(base, bec) || ::access("/dev/shm", W_OK) != 0) {
      base = bfs::temp_directory_path(bec);
    }
  }
  // unique_path is only random; create_directory is the atomic claim.
  for (int attempt = 0; attempt < 100; ++attempt) {
    const bfs::path dir =
        base / bfs::unique_path("memfs-disk-%%%%-%%%%-%%%%", bec);
    if (!bec && bfs::create_directory(dir, bec)) {
      auto fs = std::make_unique<DiskFileSystem>(
          std::filesystem::path(dir.string()), std::move(options));
      fs->state_->remove_root = true;
      return fs;
    }
    if (bec && bec.value() != EEXIST) break;
  }
  throw filesystem_error("DiskFileSystem", "cannot create a temporary root",
                         base.string(),
                         bec ? disk_error_from(bec)
                             : std::make_error_code(std::errc::file_exists));
}

const std::filesystem::path& DiskFileSystem::root() const noexcept {
  return state_->root_path;
}

std::filesystem::path DiskFileSystem::host_path(std::string_view path) const {
  return state_->host(normalize_path(path).value);
}

FileStatus DiskFileSystem::do_status(const NormalizedPath& path,
                                     ErrorInfo& err) const {
  HostStat st;
  if (!stat_path(*state_, path, st, err)) return {};
  switch (st.kind) {
    case HostKind::missing:
      err.set(std::errc::no_such_file_or_directory);
      return {};
    case HostKind::foreign:
      err.set(std::errc::permission_denied);
      return {};
    case HostKind::regular:
      if (path.trailing_slash) {
        err.set(std::errc::not_a_directory);
        return {};
      }
      break;
    case HostKind::directory:
      break;
  }
  FileStatus out;
  out.type =
      st.kind == HostKind::directory ? FileType::directory : FileType::regular;
  out.size = st.kind == HostKind::regular ? st.size : 0;
  out.created = st.created;
  out.modified = st.modified;
  out.generation = 0;  // a disk keeps no generation counter
  return out;
}

std::vector<DirEntry> DiskFileSystem::do_list(const NormalizedPath& dir,
                                              ErrorInfo& err) const {
  HostStat st;
  if (!stat_path(*state_, dir, st, err)) return {};
  if (st.kind == HostKind::missing) {
    err.set(std::errc::no_such_file_or_directory);
    return {};
  }
  if (st.kind != HostKind::directory) {
    err.set(not_dir_error(st.kind));
    return {};
  }
  std::vector<DirEntry> out;
  boost::system::error_code bec;
  for (bfs::directory_iterator it(state_->host(dir.value), bec), end;
       !bec && it != end; it.increment(bec)) {
    const bfs::file_status s = it->symlink_status(bec);
    if (bec) {
      if (bec.value() == ENOENT) {  // removed while listing
        bec.clear();
        continue;
      }
      break;
    }
    if (s.type() == bfs::regular_file) {
      out.push_back({it->path().filename().string(), FileType::regular});
    } else if (s.type() == bfs::directory_file) {
      out.push_back({it->path().filename().string(), FileType::directory});
    }  // symlinks and special files are not memfs nodes: left out
  }
  if (bec) {
    err.set(disk_error_from(bec));
    return {};
  }
  std::sort(out.begin(), out.end(), [](const DirEntry& a, const DirEntry& b) {
    return a.name < b.name;
  });
  return out;
}

bool DiskFileSystem::do_create_directory(const NormalizedPath& path,
                                         ErrorInfo& err) {
  if (path.is_root()) return false;
  if (!state_->check_ancestors(path, err)) return false;
  const std::string host = state_->host(path.value);
  if (::mkdir(host.c_str(), 0777) == 0) return true;
  const int e = errno;
  if (e == EEXIST) {
    const HostStat st = detail::host_stat(host);
    if (st.kind == HostKind::directory) return false;
    err.set(std::errc::file_exists);
    return false;
  }
  err.set(disk_error(e));
  return false;
}

bool DiskFileSystem::do_remove(const NormalizedPath& path, ErrorInfo& err) {
  HostStat st;
  if (!stat_path(*state_, path, st, err, true)) return false;
  if (st.kind == HostKind::missing) return false;
  if (path.trailing_slash && st.kind != HostKind::directory) {
    err.set(not_dir_error(st.kind));
    return false;
  }
  boost::system::error_code bec;
  bfs::remove(state_->host(path.value),
              bec);  // a link itself, never its target
  if (!bec) return true;
  if (bec.value() == ENOENT) return false;  // removed meanwhile
  // rmdir(2) may say EEXIST or ENOTEMPTY for a non-empty directory.
  err.set(bec.value() == EEXIST
              ? std::make_error_code(std::errc::directory_not_empty)
              : disk_error_from(bec));
  return false;
}

std::uint64_t DiskFileSystem::do_remove_all(const NormalizedPath& path,
                                            ErrorInfo& err) {
  HostStat st;
  if (!stat_path(*state_, path, st, err, true)) return 0;
  if (st.kind == HostKind::missing) return 0;
  if (path.trailing_slash && st.kind != HostKind::directory) {
    err.set(not_dir_error(st.kind));
    return 0;
  }
  boost::system::error_code bec;
  // Boost's remove_all never follows symlinks: links are removed as entries.
  const std::uintmax_t n = bfs::remove_all(state_->host(path.value), bec);
  if (bec) {
    err.set(disk_error_from(bec));
    return 0;
  }
  return static_cast<std::uint64_t>(n);
}

void DiskFileSystem::do_rename(const NormalizedPath& from,
                               const NormalizedPath& to, ErrorInfo& err) {
  HostStat src;
  if (!stat_existing(*state_, from, src, err)) return;
  const bool src_dir = src.kind == HostKind::directory;
  if (!src_dir && (from.trailing_slash || to.trailing_slash)) {
    err.set(std::errc::not_a_directory);
    return;
  }
  if (from.value == to.value) return;
  if (src_dir && is_within(from.value, to.value)) {
    err.set(std::errc::invalid_argument);  // into its own subtree
    return;
  }
  HostStat dst;
  if (!stat_path(*state_, to, dst, err)) return;
  if (dst.kind != HostKind::missing && dst.device == src.device &&
      dst.inode == src.inode) {
    return;  // hard links to one file (only a host makes them): POSIX no-op
  }
  switch (dst.kind) {
    case HostKind::missing:
      break;
    case HostKind::foreign:
      err.set(std::errc::permission_denied);
      return;
    case HostKind::regular:
      if (src_dir) {
        err.set(std::errc::not_a_directory);
        return;
      }
      break;
    case HostKind::directory:
      if (!src_dir) {
        err.set(std::errc::is_a_directory);
        return;
      }
      break;
  }
  boost::system::error_code bec;
  bfs::rename(state_->host(from.value), state_->host(to.value), bec);
  if (!bec) return;
  // rename(2) says EEXIST or ENOTEMPTY for a non-empty target directory.
  err.set(bec.value() == EEXIST
              ? std::make_error_code(std::errc::directory_not_empty)
              : disk_error_from(bec));
}

void DiskFileSystem::do_exchange(const NormalizedPath& a,
                                 const NormalizedPath& b, ErrorInfo& err) {
  for (const NormalizedPath* p : {&a, &b}) {
    HostStat st;
    if (!stat_existing(*state_, *p, st, err)) return;
  }
  if (a.value == b.value) return;
  if (is_within(a.value, b.value) || is_within(b.value, a.value)) {
    err.set(std::errc::invalid_argument);
    return;
  }
  if (::renameat2(AT_FDCWD, state_->host(a.value).c_str(), AT_FDCWD,
                  state_->host(b.value).c_str(), RENAME_EXCHANGE) != 0)
    err.set(disk_error(errno));
}

void DiskFileSystem::do_set_modified(const NormalizedPath& path,
                                     std::chrono::system_clock::time_point time,
                                     ErrorInfo& err) {
  HostStat st;
  if (!stat_existing(*state_, path, st, err)) return;
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                      time.time_since_epoch())
                      .count();
  struct timespec times[2];
  times[0].tv_sec = 0;
  times[0].tv_nsec = UTIME_OMIT;  // memfs keeps no access time
  times[1].tv_sec = static_cast<time_t>(ns / 1000000000);
  times[1].tv_nsec = static_cast<long>(ns % 1000000000);
  if (times[1].tv_nsec < 0) {  // before 1970: timespec's nsec is positive
    times[1].tv_nsec += 1000000000;
    times[1].tv_sec -= 1;
  }
  if (::utimensat(AT_FDCWD, state_->host(path.value).c_str(), times,
                  AT_SYMLINK_NOFOLLOW) != 0)
    err.set(disk_error(errno));
}

std::unique_ptr<OpenFile> DiskFileSystem::do_open(const NormalizedPath& path,
                                                  const OpenMode& mode,
                                                  const OpenOptions& options,
                                                  ErrorInfo& err) {
  bool created = false;
  const int fd = detail::open_host_file(
      *state_, path, mode, state_->options.lock_on_open, created, err);
  if (fd < 0) return nullptr;
  return detail::make_disk_open_file(state_, path, mode, options, fd, created,
                                     err);
}

}  // namespace memfs
