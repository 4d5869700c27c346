// Metadata: the stat family (every exported name, old __xstat ones
// included), statx, access/faccessat, statvfs/fstatvfs.
#undef _FORTIFY_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cstring>

#include "common.hpp"

namespace memfs::idetail {
namespace {

constexpr std::uint64_t kBlock = 4096;

timespec to_timespec(std::chrono::system_clock::time_point tp) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                tp.time_since_epoch())
                .count();
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(ns / 1000000000);
  ts.tv_nsec = static_cast<long>(ns % 1000000000);
  if (ts.tv_nsec < 0) {
    ts.tv_nsec += 1000000000;
    --ts.tv_sec;
  }
  return ts;
}

// Fills *st from a memfs status of `path` on `mount`.
void fill(MountState& mount, const std::string& path, const FileStatus& fs_st,
          nlink_t nlink, struct stat* st) {
  std::memset(st, 0, sizeof *st);
  st->st_dev = makedev(0xfe, static_cast<unsigned>(mount.id));
  st->st_ino = inode_of(mount, path, fs_st.id);
  bool dir = fs_st.is_directory();
  st->st_mode = (dir ? S_IFDIR : S_IFREG) | mode_of(mount, path, dir);
  st->st_nlink = nlink;
  st->st_uid = geteuid();
  st->st_gid = getegid();
  st->st_size = static_cast<off_t>(fs_st.size);
  st->st_blksize = kBlock;
  st->st_blocks = static_cast<blkcnt_t>((fs_st.size + kBlock - 1) / kBlock *
                                        (kBlock / 512));
  st->st_mtim = to_timespec(fs_st.modified);
  st->st_atim = st->st_mtim;
  st->st_ctim = st->st_mtim;
}

// tmpfs reports 2 + subdirectories for a directory.
nlink_t dir_links(FileSystem& fs, std::string_view path) {
  std::error_code ec;
  nlink_t n = 2;
  for (const DirEntry& e : fs.list_entries(path, ec))
    if (e.type == FileType::directory) ++n;
  return n;
}

int statx_from(const struct stat& st, const FileStatus& fs_st,
               unsigned /*mask*/, struct statx* sx) {
  std::memset(sx, 0, sizeof *sx);
  sx->stx_mask = STATX_BASIC_STATS | STATX_BTIME;
  sx->stx_blksize = static_cast<std::uint32_t>(st.st_blksize);
  sx->stx_nlink = static_cast<std::uint32_t>(st.st_nlink);
  sx->stx_uid = st.st_uid;
  sx->stx_gid = st.st_gid;
  sx->stx_mode = static_cast<std::uint16_t>(st.st_mode);
  sx->stx_ino = st.st_ino;
  sx->stx_size = static_cast<std::uint64_t>(st.st_size);
  sx->stx_blocks = static_cast<std::uint64_t>(st.st_blocks);
  auto ts = [](const timespec& t) {
    struct statx_timestamp x {};
    x.tv_sec = t.tv_sec;
    x.tv_nsec = static_cast<std::uint32_t>(t.tv_nsec);
    return x;
  };
  sx->stx_atime = ts(st.st_atim);
  sx->stx_mtime = ts(st.st_mtim);
  sx->stx_ctime = ts(st.st_ctim);
  sx->stx_btime = ts(to_timespec(fs_st.created));
  sx->stx_dev_major = major(st.st_dev);
  sx->stx_dev_minor = minor(st.st_dev);
  return 0;
}

// The memfs status behind a target or a description (for statx's btime).
FileStatus status_of(FileSystem& fs, std::string_view path) {
  std::error_code ec;
  return fs.status(path, ec);
}

int statvfs_of(const MountState& mount, struct statvfs* out) {
  return guarded([&] {
    fill_fs_counts(mount.fs->stats(), out);
    out->f_favail = out->f_ffree;
    out->f_fsid = mount.id;
    out->f_namemax = 255;
    return 0;
  });
}

// *at calls with AT_EMPTY_PATH and "" mean the descriptor itself.
bool empty_path_fd(int dirfd, const char* path, int flags) {
  return (flags & AT_EMPTY_PATH) && path && path[0] == '\0' && fd_call(dirfd);
}

}  // namespace

ino_t inode_of(const MountState& mount, std::string_view path,
               std::uint64_t id) noexcept {
  if (id != 0) return static_cast<ino_t>(id);
  // FNV-1a over the normalized path, mixed with the mount id.
  std::uint64_t h = 1469598103934665603ull ^ mount.id;
  std::size_t n = path.size();
  if (n > 1 && path[n - 1] == '/') --n;
  for (std::size_t i = 0; i < n; ++i) {
    h ^= static_cast<unsigned char>(path[i]);
    h *= 1099511628211ull;
  }
  return h == 0 ? 1 : h;
}

int stat_target(const Target& t, struct stat* st) {
  return guarded([&] {
    std::error_code ec;
    FileStatus s = t.fs().status(t.path, ec);
    if (ec) return fail(ec);
    std::string norm = memfs::normalize_path(t.path).value;
    fill(*t.mount, norm, s, s.is_directory() ? dir_links(t.fs(), norm) : 1, st);
    return 0;
  });
}

int stat_desc(Desc& d, struct stat* st) {
  std::error_code ec;
  const std::string& name = d.name();
  FileStatus s = d.mount->fs->status(name, ec);
  if (d.is_dir) {
    if (ec) return fail(ec);
    fill(*d.mount, d.path, s, dir_links(*d.mount->fs, d.path), st);
    return 0;
  }
  // The file may have been renamed or removed since: the size comes from
  // the handle; times from the path when it still names this file (or any
  // file, when the backend gives no ids); the inode number from the open.
  const std::uint64_t id = d.node_id();
  bool linked = !ec && s.is_regular_file() && s.id == id;
  if (!linked) {
    s = FileStatus{FileType::regular};
    s.id = id;
  }
  s.size = d.file.size(ec);
  if (ec) return fail(ec);
  fill(*d.mount, name, s, linked ? 1 : 0, st);
  return 0;
}

}  // namespace memfs::idetail

using namespace memfs::idetail;

namespace {

// Returns 1 when the caller must forward (with dirfd and path, which may
// have been rewritten; see MEMFS_ON_PATH_AT).
int stat_at(int& dirfd, const char*& path, struct stat* st, int flags,
            const char* call = __builtin_FUNCTION()) {
  if (empty_path_fd(dirfd, path, flags))
    return with_desc(dirfd, [&](Desc& d) { return stat_desc(d, st); });
  MEMFS_ON_PATH_AT_AS(dirfd, path, t, 1, call);
  return stat_target(t, st);
}

int fstat_fd(int fd, struct stat* st) {
  return with_desc(fd, [&](Desc& d) { return stat_desc(d, st); });
}

}  // namespace

extern "C" {

// struct stat and struct stat64 are the same layout on x86_64 and aarch64.
static_assert(sizeof(struct stat) == sizeof(struct stat64));

#define MEMFS_STAT(name, type)                                         \
  int name(const char* path, type* st) {                               \
    int cwd = AT_FDCWD;                                                \
    int r = stat_at(cwd, path, reinterpret_cast<struct stat*>(st), 0); \
    return r == 1 ? MEMFS_PASS(name, path, st) : r;                    \
  }
MEMFS_STAT(stat, struct stat)
MEMFS_STAT(stat64, struct stat64)
MEMFS_STAT(lstat, struct stat)
MEMFS_STAT(lstat64, struct stat64)

#define MEMFS_FSTAT(name, type)                              \
  int name(int fd, type* st) {                               \
    if (!fd_call(fd)) return MEMFS_PASS(name, fd, st);       \
    return fstat_fd(fd, reinterpret_cast<struct stat*>(st)); \
  }
MEMFS_FSTAT(fstat, struct stat)
MEMFS_FSTAT(fstat64, struct stat64)

#define MEMFS_FSTATAT(name, type)                                            \
  int name(int dirfd, const char* path, type* st, int flags) {               \
    int r = stat_at(dirfd, path, reinterpret_cast<struct stat*>(st), flags); \
    return r == 1 ? MEMFS_PASS(name, dirfd, path, st, flags) : r;            \
  }
MEMFS_FSTATAT(fstatat, struct stat)
MEMFS_FSTATAT(fstatat64, struct stat64)

// glibc < 2.33 objects call these (the version argument is 1 on x86_64).
int __xstat(int ver, const char* path, struct stat* st);
int __xstat64(int ver, const char* path, struct stat64* st);
int __lxstat(int ver, const char* path, struct stat* st);
int __lxstat64(int ver, const char* path, struct stat64* st);
int __fxstat(int ver, int fd, struct stat* st);
int __fxstat64(int ver, int fd, struct stat64* st);
int __fxstatat(int ver, int dirfd, const char* path, struct stat* st,
               int flags);
int __fxstatat64(int ver, int dirfd, const char* path, struct stat64* st,
                 int flags);

#define MEMFS_XSTAT(name, type)                                        \
  int name(int ver, const char* path, type* st) {                      \
    int cwd = AT_FDCWD;                                                \
    int r = stat_at(cwd, path, reinterpret_cast<struct stat*>(st), 0); \
    return r == 1 ? MEMFS_PASS(name, ver, path, st) : r;               \
  }
MEMFS_XSTAT(__xstat, struct stat)
MEMFS_XSTAT(__xstat64, struct stat64)
MEMFS_XSTAT(__lxstat, struct stat)
MEMFS_XSTAT(__lxstat64, struct stat64)
int __fxstat(int ver, int fd, struct stat* st) {
  if (!fd_call(fd)) return MEMFS_PASS(__fxstat, ver, fd, st);
  return fstat_fd(fd, st);
}
int __fxstat64(int ver, int fd, struct stat64* st) {
  if (!fd_call(fd)) return MEMFS_PASS(__fxstat64, ver, fd, st);
  return fstat_fd(fd, reinterpret_cast<struct stat*>(st));
}
int __fxstatat(int ver, int dirfd, const char* path, struct stat* st,
               int flags) {
  int r = stat_at(dirfd, path, st, flags);
  return r == 1 ? MEMFS_PASS(__fxstatat, ver, dirfd, path, st, flags) : r;
}
int __fxstatat64(int ver, int dirfd, const char* path, struct stat64* st,
                 int flags) {
  int r = stat_at(dirfd, path, reinterpret_cast<struct stat*>(st), flags);
  return r == 1 ? MEMFS_PASS(__fxstatat64, ver, dirfd, path, st, flags) : r;
}

int statx(int dirfd, const char* path, int flags, unsigned mask,
          struct statx* sx) {
  struct stat st;
  if (empty_path_fd(dirfd, path, flags))
    return with_desc(dirfd, [&](Desc& d) {
      if (stat_desc(d, &st) < 0) return -1;
      return statx_from(st, status_of(*d.mount->fs, d.name()), mask, sx);
    });
  MEMFS_ON_PATH_AT(dirfd, path, t,
                   MEMFS_PASS(statx, dirfd, path, flags, mask, sx));
  if (stat_target(t, &st) < 0) return -1;
  return guarded(
      [&] { return statx_from(st, status_of(t.fs(), t.path), mask, sx); });
}

int access(const char* path, int mode) {
  return faccessat(AT_FDCWD, path, mode, 0);
}
int faccessat(int dirfd, const char* path, int mode, int flags) {
  MEMFS_ON_PATH_AT(dirfd, path, t,
                   MEMFS_PASS(faccessat, dirfd, path, mode, flags));
  struct stat st;
  if (stat_target(t, &st) < 0) return -1;
  // Everything on a mount is owned by the caller. Root reads and writes
  // anything, and executes what has any x bit (directories: always).
  bool root = geteuid() == 0;
  bool any_x = (st.st_mode & 0111) != 0 || (root && S_ISDIR(st.st_mode));
  if (((mode & R_OK) && !root && !(st.st_mode & S_IRUSR)) ||
      ((mode & W_OK) && !root && !(st.st_mode & S_IWUSR)) ||
      ((mode & X_OK) && !(root ? any_x : (st.st_mode & S_IXUSR) != 0)))
    return fail_errno(EACCES);
  return 0;
}

MEMFS_FS_STATS(statvfs, fstatvfs, struct statvfs, struct statvfs, statvfs_of)
MEMFS_FS_STATS(statvfs64, fstatvfs64, struct statvfs64, struct statvfs,
               statvfs_of)

}  // extern "C"
