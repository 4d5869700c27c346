// DiskFileSystem's host-side helpers: path mapping, lstat/statx
// classification, errno mapping, the handle registry, and the checked open.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <sstream>
#include <thread>
#include <utility>

#include "disk/disk_state.hpp"

namespace memfs::detail {
namespace {

std::chrono::system_clock::time_point to_time_point(std::int64_t sec,
                                                    std::int64_t nsec) {
  using std::chrono::duration_cast;
  using std::chrono::nanoseconds;
  using std::chrono::seconds;
  using std::chrono::system_clock;
  return system_clock::time_point(
      duration_cast<system_clock::duration>(seconds(sec) + nanoseconds(nsec)));
}

HostKind kind_of(mode_t mode) {
  if (S_ISREG(mode)) return HostKind::regular;
  if (S_ISDIR(mode)) return HostKind::directory;
  return HostKind::foreign;
}

}  // namespace

HostStat host_stat(const std::string& host) {
  HostStat out;
#if defined(STATX_BTIME)
  struct statx sx {};
  if (::statx(AT_FDCWD, host.c_str(), AT_SYMLINK_NOFOLLOW,
              STATX_BASIC_STATS | STATX_BTIME, &sx) == 0) {
    out.kind = kind_of(sx.stx_mode);
    out.size = sx.stx_size;
    out.modified = to_time_point(sx.stx_mtime.tv_sec, sx.stx_mtime.tv_nsec);
    out.created = (sx.stx_mask & STATX_BTIME) != 0
                      ? to_time_point(sx.stx_btime.tv_sec, sx.stx_btime.tv_nsec)
                      : out.modified;
    out.device = makedev(sx.stx_dev_major, sx.stx_dev_minor);
    out.inode = static_cast<ino_t>(sx.stx_ino);
    return out;
  }
  if (errno != ENOSYS) {
    out.error = errno;
    return out;
  }
#endif
  struct stat st {};
  if (::lstat(host.c_str(), &st) != 0) {
    out.error = errno;
    return out;
  }
  out.kind = kind_of(st.st_mode);
  out.size = static_cast<std::uint64_t>(st.st_size);
  out.modified = to_time_point(st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  out.created = out.modified;
  out.device = st.st_dev;
  out.inode = st.st_ino;
  return out;
}

std::error_code disk_error(int errnum) {
  // O_NOFOLLOW reports a symlink as ELOOP; the backend's policy for symlinks
  // is permission_denied (see disk_file_system.hpp).
  if (errnum == ELOOP) errnum = EACCES;
  return {errnum, std::generic_category()};
}

std::string current_thread_owner() {
  std::ostringstream out;
  out << "thread " << std::this_thread::get_id();
  return out.str();
}

int open_host_file(const DiskState& state, const NormalizedPath& path,
                   const OpenMode& mode, bool defer_truncate, bool& created,
                   ErrorInfo& err) {
  created = false;
  if (!state.check_ancestors(path, err)) return -1;
  const std::string host = state.host(path.value);
  // Decide the memfs outcome first, in MemoryFileSystem's order; open(2)
  // would say EEXIST for "wx" on a directory, or succeed on "dir/".
  const HostStat st = host_stat(host);
  if (st.error != 0 && st.error != ENOENT) {
    err.set(disk_error(st.error));
    return -1;
  }
  switch (st.kind) {
    case HostKind::directory:
      // As open(2): O_CREAT | O_EXCL on anything that exists is EEXIST.
      err.set(mode.is_exclusive() ? std::errc::file_exists
                                  : std::errc::is_a_directory);
      return -1;
    case HostKind::foreign:
      err.set(std::errc::permission_denied);
      return -1;
    case HostKind::regular:
      if (path.trailing_slash) {
        err.set(std::errc::not_a_directory);
        return -1;
      }
      if (mode.is_exclusive()) {
        err.set(std::errc::file_exists);
        return -1;
      }
      break;
    case HostKind::missing:
      if (!mode.creates()) {
        err.set(std::errc::no_such_file_or_directory);
        return -1;
      }
      if (path.trailing_slash) {  // open("new/", O_CREAT) is EISDIR
        err.set(std::errc::is_a_directory);
        return -1;
      }
      break;
  }
  // O_NONBLOCK keeps a planted FIFO from blocking the open; it is cleared
  // below once the fd is known to be a regular file.
  int flags = O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY;
  flags |= mode.can_read() && mode.can_write() ? O_RDWR
           : mode.can_write()                  ? O_WRONLY
                                               : O_RDONLY;
  if (mode.truncates() && !defer_truncate) flags |= O_TRUNC;
  int fd = -1;
  if (mode.creates()) {
    // Try an exclusive create first, to know whether this open created it.
    fd = ::open(host.c_str(), flags | O_CREAT | O_EXCL, 0666);
    created = fd >= 0;
    if (fd < 0 && errno == EEXIST && !mode.is_exclusive()) {
      fd = ::open(host.c_str(), flags | O_CREAT, 0666);
    }
  } else {
    fd = ::open(host.c_str(), flags);
  }
  if (fd < 0) {
    const int e = errno;
    // ENXIO: a FIFO without a reader; a planted special file either way.
    err.set(e == ENXIO ? std::make_error_code(std::errc::permission_denied)
                       : disk_error(e));
    return -1;
  }
  // Something else may have taken the name since the stat above.
  struct stat opened {};
  if (::fstat(fd, &opened) != 0 || !S_ISREG(opened.st_mode)) {
    const int e = errno;
    err.set(S_ISDIR(opened.st_mode)
                ? std::make_error_code(std::errc::is_a_directory)
            : opened.st_mode != 0
                ? std::make_error_code(std::errc::permission_denied)
                : disk_error(e));
    ::close(fd);
    return -1;
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

DiskState::DiskState(std::filesystem::path canonical_root, DiskOptions opts)
    : root_path(std::move(canonical_root)),
      root(root_path.string()),
      options(std::move(opts)),
      clock(options.clock ? options.clock : SystemClock::instance()) {
  while (!root.empty() && root.back() == '/') root.pop_back();
}

std::string DiskState::host(std::string_view normalized) const {
  if (normalized.size() <= 1) return root.empty() ? "/" : root;
  std::string out;
  out.reserve(root.size() + normalized.size());
  out += root;
  out += normalized;
  return out;
}

bool DiskState::check_ancestors(const NormalizedPath& path,
                                ErrorInfo& err) const {
  const std::string full = host(path.value);
  // Each '/' after the root's own text ends an ancestor (the last component
  // is the path itself and is not checked here).
  for (std::size_t pos = full.find('/', root.size() + 1);
       pos != std::string::npos; pos = full.find('/', pos + 1)) {
    const HostStat st = host_stat(full.substr(0, pos));
    switch (st.kind) {
      case HostKind::directory:
        continue;
      case HostKind::missing:
        err.set(st.error == ENOENT || st.error == 0
                    ? std::make_error_code(std::errc::no_such_file_or_directory)
                    : disk_error(st.error));
        return false;
      case HostKind::regular:
        err.set(std::errc::not_a_directory);
        return false;
      case HostKind::foreign:
        err.set(std::errc::permission_denied);
        return false;
    }
  }
  return true;
}

std::uint64_t DiskState::add_handle(DiskHandleRecord record) {
  std::lock_guard<std::mutex> lock(mutex);
  const std::uint64_t id = next_id++;
  handles.emplace(id, std::move(record));
  return id;
}

void DiskState::set_handle_lock(std::uint64_t id,
                                std::optional<LockMode> lock_mode) {
  std::lock_guard<std::mutex> lock(mutex);
  if (auto it = handles.find(id); it != handles.end())
    it->second.lock = lock_mode;
}

void DiskState::remove_handle(std::uint64_t id) {
  std::lock_guard<std::mutex> lock(mutex);
  handles.erase(id);
}

}  // namespace memfs::detail
