// DiskFileSystem's bulk operations: import_tree and the recursive copy.
//
// Both plan and validate everything first (in MemoryFileSystem's order, so the
// same error comes out), then apply the plan in three undoable phases:
//   1. create the missing directories, parents first;
//   2. write every new content into a hidden temporary sibling of its target;
//   3. swap each temporary into place with rename(2), keeping a hard link to a
//      replaced file until the end so the swap can be rolled back.
// As in memory, a replaced file is a new file: handles open on the old one
// keep seeing the old contents (and report it removed once the backup link is
// dropped). A failure in any phase undoes the earlier steps; only a crash or
// a concurrent writer can observe the intermediate states.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <set>
#include <utility>

#include <boost/filesystem.hpp>

#include "api/raw_access.hpp"
#include "disk/disk_state.hpp"

namespace memfs {

namespace bfs = boost::filesystem;
using detail::disk_error;
using detail::HostKind;

namespace {

struct PlannedFile {
  std::string path;  // memfs path of the target
  std::string data;
};

// A sibling name of `host` for temporaries: ".memfs-<tag>-<random>".
std::string sibling(const std::string& host, const char* tag) {
  const std::string dir = host.substr(0, host.rfind('/'));
  return dir + "/.memfs-" + tag + "-" +
         bfs::unique_path("%%%%%%%%%%%%").string();
}

// Writes `data` to a new file at `host` (O_EXCL); 0 or an errno value.
int write_new_file(const std::string& host, const std::string& data) {
  const int fd = ::open(
      host.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (fd < 0) return errno;
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int e = errno;
      ::close(fd);
      ::unlink(host.c_str());
      return e;
    }
    done += static_cast<std::size_t>(n);
  }
  return ::close(fd) == 0 ? 0 : errno;
}

// The three phases described at the top of this file.
void apply_plan(const detail::DiskState& state,
                const std::set<std::string>& new_dirs,
                const std::vector<PlannedFile>& files, ErrorInfo& err) {
  std::vector<std::string> made_dirs;
  std::vector<std::string> temps(files.size());
  struct Swap {
    std::string target;
    std::string backup;  // empty: the target was new
  };
  std::vector<Swap> swaps;
  auto fail = [&](int errnum) {
    for (auto it = swaps.rbegin(); it != swaps.rend(); ++it) {
      if (it->backup.empty()) {
        ::unlink(it->target.c_str());
      } else {
        ::rename(it->backup.c_str(), it->target.c_str());
      }
    }
    for (const std::string& t : temps) {
      if (!t.empty()) ::unlink(t.c_str());
    }
    for (auto it = made_dirs.rbegin(); it != made_dirs.rend(); ++it)
      ::rmdir(it->c_str());
    err.set(disk_error(errnum));
  };
  for (const std::string& d : new_dirs) {  // std::set order: parents first
    const std::string host = state.host(d);
    if (::mkdir(host.c_str(), 0777) != 0) return fail(errno);
    made_dirs.push_back(host);
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    const std::string target = state.host(files[i].path);
    std::string temp = sibling(target, "tmp");
    if (const int e = write_new_file(temp, files[i].data); e != 0)
      return fail(e);
    temps[i] = std::move(temp);
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    Swap swap{state.host(files[i].path), {}};
    if (detail::host_stat(swap.target).kind == HostKind::regular) {
      swap.backup = sibling(swap.target, "bak");
      if (::link(swap.target.c_str(), swap.backup.c_str()) != 0)
        return fail(errno);
    }
    if (::rename(temps[i].c_str(), swap.target.c_str()) != 0) {
      const int e = errno;
      if (!swap.backup.empty()) ::unlink(swap.backup.c_str());
      return fail(e);
    }
    temps[i].clear();
    swaps.push_back(std::move(swap));
  }
  for (const Swap& s : swaps) {
    if (!s.backup.empty()) ::unlink(s.backup.c_str());
  }
}

// Under lock_on_open, a bulk operation locks every file it replaces as
// open("w") would (exclusively, waiting up to the default lock timeout, in
// path order, as memory does) and holds the locks until it is done.
class ReplaceLocks {
 public:
  ReplaceLocks() = default;
  ReplaceLocks(const ReplaceLocks&) = delete;
  ReplaceLocks& operator=(const ReplaceLocks&) = delete;
  ~ReplaceLocks() {
    for (const int fd : fds_) ::close(fd);
  }

  // Nothing to do without lock_on_open. False with err set (lock_timeout).
  bool lock_all(const detail::DiskState& state, std::vector<std::string> hosts,
                ErrorInfo& err) {
    if (!state.options.lock_on_open) return true;
    std::sort(hosts.begin(), hosts.end());
    Clock& clock = *state.clock;
    const std::chrono::nanoseconds timeout = state.options.default_lock_timeout;
    const Clock::steady_point start = clock.steady_now();
    for (const std::string& host : hosts) {
      const int fd =
          ::open(host.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
      if (fd < 0) continue;  // gone: nothing to wait for
      fds_.push_back(fd);
      std::chrono::nanoseconds left = timeout;
      if (timeout != kWaitForever) {
        left = std::max(std::chrono::nanoseconds::zero(),
                        timeout - (clock.steady_now() - start));
      }
      if (!detail::flock_within(state, fd, LockMode::exclusive, left, err))
        return false;
    }
    return true;
  }

 private:
  std::vector<int> fds_;
};

}  // namespace

void DiskFileSystem::do_import_tree(
    const std::vector<std::pair<NormalizedPath, const std::string*>>& items,
    ErrorInfo& err) {
  std::set<std::string> new_dirs;
  std::vector<PlannedFile> files;
  std::vector<std::string> replaced;  // host paths
  for (const auto& [path, data] : items) {
    const detail::HostStat st = detail::host_stat(state_->host(path.value));
    if (st.kind == HostKind::directory)
      return void(err.set(std::errc::is_a_directory));
    if (st.kind == HostKind::foreign)
      return void(err.set(std::errc::permission_denied));
    if (st.kind == HostKind::regular) {
      replaced.push_back(state_->host(path.value));
    } else {
      // The nearest existing ancestor must be a directory; the rest is made.
      for (std::string p(parent_path(path.value)); p.size() > 1;
           p = std::string(parent_path(p))) {
        const detail::HostStat a = detail::host_stat(state_->host(p));
        if (a.kind == HostKind::directory) break;
        if (a.kind != HostKind::missing) {
          return void(err.set(a.kind == HostKind::foreign
                                  ? std::errc::permission_denied
                                  : std::errc::not_a_directory));
        }
        new_dirs.insert(p);
      }
    }
    files.push_back({path.value, *data});
  }
  ReplaceLocks locks;
  if (!locks.lock_all(*state_, std::move(replaced), err)) return;
  apply_plan(*state_, new_dirs, files, err);
}

void DiskFileSystem::do_copy_tree(const NormalizedPath& from,
                                  const NormalizedPath& to,
                                  std::filesystem::copy_options options,
                                  ErrorInfo& err) {
  using std::filesystem::copy_options;
  std::set<std::string> new_dirs;
  const detail::HostStat root = detail::host_stat(state_->host(to.value));
  if (root.kind == HostKind::missing) {
    if (!state_->check_ancestors(to, err)) return;
    new_dirs.insert(to.value);
  } else if (root.kind != HostKind::directory) {
    return void(err.set(std::errc::not_a_directory));
  }
  // The source subtree in MemoryFileSystem's order (by depth; within a depth,
  // as a depth-first stack discovers it), so the first conflict is the same.
  std::vector<std::pair<std::string, bool>> subtree;  // path, is_dir
  for (std::vector<std::string> pending{from.value}; !pending.empty();) {
    const std::string cur = std::move(pending.back());
    pending.pop_back();
    ErrorInfo list_err;
    for (const DirEntry& e : detail::RawAccess::list(*this, cur, list_err)) {
      subtree.emplace_back(detail::child_path(cur, e.name),
                           e.type == FileType::directory);
      if (subtree.back().second) pending.push_back(subtree.back().first);
    }
  }
  std::stable_sort(subtree.begin(), subtree.end(),
                   [](const auto& a, const auto& b) {
                     return std::count(a.first.begin(), a.first.end(), '/') <
                            std::count(b.first.begin(), b.first.end(), '/');
                   });
  const std::string base = to.is_root() ? std::string() : to.value;
  std::vector<PlannedFile> files;
  std::vector<std::string> replaced;  // host paths
  for (const auto& [src, is_dir] : subtree) {
    const std::string dst = base + src.substr(from.value.size());
    const HostKind existing = detail::host_stat(state_->host(dst)).kind;
    if (is_dir) {
      if (existing == HostKind::missing) {
        new_dirs.insert(dst);
      } else if (existing != HostKind::directory) {
        return void(err.set(std::errc::file_exists));
      }
      continue;
    }
    if (existing == HostKind::directory)
      return void(err.set(std::errc::is_a_directory));
    if (existing != HostKind::missing) {
      if ((options & copy_options::skip_existing) != copy_options::none)
        continue;
      if ((options & copy_options::overwrite_existing) == copy_options::none) {
        return void(err.set(std::errc::file_exists));
      }
      replaced.push_back(state_->host(dst));
    }
    std::string data = do_read_file(detail::trusted_path(src), err);
    if (err) return;
    files.push_back({dst, std::move(data)});
  }
  ReplaceLocks locks;
  if (!locks.lock_all(*state_, std::move(replaced), err)) return;
  apply_plan(*state_, new_dirs, files, err);
}

}  // namespace memfs
