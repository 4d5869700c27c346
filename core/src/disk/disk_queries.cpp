// DiskFileSystem: whole-file reads and the usage queries (stats, open
// handles).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <limits>
#include <set>
#include <utility>

#include <boost/filesystem.hpp>

#include "disk/disk_state.hpp"

namespace memfs {

namespace bfs = boost::filesystem;
using detail::disk_error;

std::string DiskFileSystem::do_read_file(const NormalizedPath& path,
                                         ErrorInfo& err) const {
  // Never takes a lock, lock_on_open or not: whole-file reads do not wait.
  bool created = false;
  const int fd =
      detail::open_host_file(*state_, path, OpenMode("r"), false, created, err);
  if (fd < 0) return {};
  std::string data;
  struct stat st {};
  if (::fstat(fd, &st) == 0) {
    data.resize(static_cast<std::size_t>(st.st_size));
    std::size_t got = 0;
    while (got < data.size()) {
      const ssize_t n = ::pread(fd, data.data() + got, data.size() - got,
                                static_cast<off_t>(got));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        err.set(disk_error(errno));
        break;
      }
      if (n == 0) break;  // shrunk meanwhile
      got += static_cast<std::size_t>(n);
    }
    data.resize(got);
  } else {
    err.set(disk_error(errno));
  }
  ::close(fd);
  if (err) data.clear();
  return data;
}

void DiskFileSystem::do_sync_directory(const NormalizedPath& path,
                                       ErrorInfo& err) {
  if (!state_->check_ancestors(path, err)) return;
  // O_DIRECTORY refuses anything else with ENOTDIR, as memfs does.
  const int fd = ::open(state_->host(path.value).c_str(),
                        O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    err.set(disk_error(errno));
    return;
  }
  if (::fsync(fd) != 0) err.set(disk_error(errno));
  ::close(fd);
}

Stats DiskFileSystem::do_stats() const {
  Stats s;
  s.quota = std::numeric_limits<std::uint64_t>::max();
  s.free = s.quota;       // unlimited: both the maximum (see Stats)
  s.directory_count = 1;  // the root
  boost::system::error_code bec;
  for (bfs::recursive_directory_iterator it(state_->root, bec), end;
       !bec && it != end; it.increment(bec)) {
    const bfs::file_status fs = it->symlink_status(bec);
    if (bec) {
      bec.clear();  // vanished while walking: weakly consistent
      continue;
    }
    if (fs.type() == bfs::directory_file) {
      ++s.directory_count;
    } else if (fs.type() == bfs::regular_file) {
      ++s.file_count;
      s.used += detail::host_stat(it->path().string()).size;
    }
  }
  // Open files that were removed still hold their bytes, as in memory.
  std::set<std::pair<dev_t, ino_t>> counted;
  std::lock_guard<std::mutex> lock(state_->mutex);
  for (const auto& [id, h] : state_->handles) {
    struct stat st {};
    if (::fstat(h.fd, &st) == 0 && st.st_nlink == 0 &&
        counted.emplace(st.st_dev, st.st_ino).second) {
      s.used += static_cast<std::uint64_t>(st.st_size);
    }
  }
  s.open_handles = state_->handles.size();
  return s;
}

std::vector<HandleInfo> DiskFileSystem::do_open_handles() const {
  std::vector<HandleInfo> out;
  std::lock_guard<std::mutex> lock(state_->mutex);
  for (const auto& [id, h] : state_->handles) {
    HandleInfo info;
    info.path = h.path;
    info.mode = h.mode;
    info.lock = h.lock;
    info.owner = h.owner;
    struct stat st {};
    info.removed = ::fstat(h.fd, &st) == 0 && st.st_nlink == 0;
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace memfs
