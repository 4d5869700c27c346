// Directory streams: opendir/fdopendir/readdir/... on mounted directories.
// glibc's own directory code calls its internal open/getdents, so the DIR
// entry points are wrapped themselves. A memfs DIR* points into a fixed pool,
// so telling ours from libc's is a range check (no lock, no allocation).
#undef _FORTIFY_SOURCE
#include <dirent.h>
#include <fcntl.h>

#include <cstdlib>
#include <cstring>
#include <new>

#include "common.hpp"

namespace memfs::idetail {
namespace {

struct MemDir {
  int fd = -1;
  std::vector<DirEntry> entries;  // ".", "..", then the names, sorted
  std::size_t pos = 0;
  MountState* mount = nullptr;
  std::string path;
  struct dirent ent {};
};

// Open directory streams at once; pages are touched only when used.
constexpr std::size_t kMaxDirs = 8192;
alignas(MemDir) unsigned char g_pool[kMaxDirs][sizeof(MemDir)];
std::atomic<bool> g_pool_used[kMaxDirs];

static_assert(sizeof(struct dirent) == sizeof(struct dirent64));

MemDir* ours(DIR* dir) noexcept {
  auto* p = reinterpret_cast<unsigned char*>(dir);
  auto* begin = reinterpret_cast<unsigned char*>(g_pool);
  if (!active() || p < begin || p >= begin + sizeof g_pool) return nullptr;
  return reinterpret_cast<MemDir*>(p);
}

// Lists the directory again (at open and on rewinddir).
int load(MemDir& d) {
  std::error_code ec;
  std::vector<DirEntry> names = d.mount->fs->list_entries(d.path, ec);
  if (ec) return fail(ec);
  d.entries.clear();
  d.entries.push_back({".", FileType::directory});
  d.entries.push_back({"..", FileType::directory});
  d.entries.insert(d.entries.end(), names.begin(), names.end());
  d.pos = 0;
  return 0;
}

DIR* open_dir_fd(int fd) {
  DescRef desc = lookup_fd(fd);
  if (!desc) {
    errno = EBADF;
    return nullptr;
  }
  if (!desc->is_dir) {
    errno = ENOTDIR;
    return nullptr;
  }
  for (std::size_t i = 0; i < kMaxDirs; ++i) {
    if (g_pool_used[i].exchange(true)) continue;
    MemDir* d = new (g_pool[i]) MemDir();
    d->fd = fd;
    d->mount = desc->mount;
    d->path = desc->path;
    if (load(*d) < 0) {
      int e = errno;
      d->~MemDir();
      g_pool_used[i].store(false);
      errno = e;
      return nullptr;
    }
    return reinterpret_cast<DIR*>(d);
  }
  errno = EMFILE;
  return nullptr;
}

struct dirent* next_entry(MemDir& d) {
  if (d.pos >= d.entries.size()) return nullptr;
  const DirEntry& e = d.entries[d.pos++];
  std::string child;
  if (e.name == ".") {
    child = d.path;
  } else if (e.name == "..") {
    child = std::string(memfs::parent_path(d.path));
  } else {
    child = d.path == "/" ? "/" + e.name : d.path + "/" + e.name;
  }
  std::error_code ec;
  d.ent.d_ino = inode_of(*d.mount, child, d.mount->fs->status(child, ec).id);
  d.ent.d_off = static_cast<off_t>(d.pos);
  d.ent.d_reclen = sizeof d.ent;
  d.ent.d_type = e.type == FileType::directory ? DT_DIR : DT_REG;
  std::size_t n = std::min(e.name.size(), sizeof d.ent.d_name - 1);
  std::memcpy(d.ent.d_name, e.name.data(), n);
  d.ent.d_name[n] = '\0';
  return &d.ent;
}

void release(MemDir* d) {
  auto i = static_cast<std::size_t>(reinterpret_cast<unsigned char*>(d) -
                                    &g_pool[0][0]) /
           sizeof(MemDir);
  d->~MemDir();
  g_pool_used[i].store(false);
}

}  // namespace
}  // namespace memfs::idetail

using namespace memfs::idetail;

extern "C" {

DIR* opendir(const char* path) {
  Target t;
  int r = path_call_fwd(path, t);
  if (r == 0) {
    before_real_fd();
    return MEMFS_PASS(opendir, path);
  }
  if (r < 0) return nullptr;
  int fd = open_target(t, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (fd < 0) return nullptr;
  DIR* d = guarded([&] { return open_dir_fd(fd); });
  if (d == nullptr) {
    int e = errno;
    close_fd(fd);
    errno = e;
  }
  return d;
}

DIR* fdopendir(int fd) {
  if (!fd_call(fd)) return MEMFS_PASS(fdopendir, fd);
  return guarded([&] { return open_dir_fd(fd); });
}

struct dirent* readdir(DIR* dir) {
  MemDir* d = ours(dir);
  if (d == nullptr) return MEMFS_PASS(readdir, dir);
  return guarded([&] { return next_entry(*d); });
}
struct dirent64* readdir64(DIR* dir) {
  MemDir* d = ours(dir);
  if (d == nullptr) return MEMFS_PASS(readdir64, dir);
  return reinterpret_cast<struct dirent64*>(
      guarded([&] { return next_entry(*d); }));
}
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#define MEMFS_READDIR_R(name, type)                                \
  int name(DIR* dir, type* entry, type** result) {                 \
    MemDir* d = ours(dir);                                         \
    if (d == nullptr) return MEMFS_PASS(name, dir, entry, result); \
    struct dirent* e = guarded([&] { return next_entry(*d); });    \
    if (e) std::memcpy(entry, e, sizeof *entry);                   \
    *result = e ? entry : nullptr;                                 \
    return 0;                                                      \
  }
MEMFS_READDIR_R(readdir_r, struct dirent)
MEMFS_READDIR_R(readdir64_r, struct dirent64)
#pragma GCC diagnostic pop

int closedir(DIR* dir) {
  MemDir* d = ours(dir);
  if (d == nullptr) return MEMFS_PASS(closedir, dir);
  int fd = d->fd;
  guarded([&] {
    release(d);
    return 0;
  });
  Guard guard;
  return close_fd(fd);
}

int dirfd(DIR* dir) {
  MemDir* d = ours(dir);
  return d ? d->fd : MEMFS_PASS(dirfd, dir);
}
void rewinddir(DIR* dir) {
  MemDir* d = ours(dir);
  if (d == nullptr) {
    auto fn = MEMFS_NEXT(rewinddir);
    if (fn) fn(dir);
    return;
  }
  guarded([&] { return load(*d); });
}
long telldir(DIR* dir) {
  MemDir* d = ours(dir);
  return d ? static_cast<long>(d->pos) : MEMFS_PASS(telldir, dir);
}
void seekdir(DIR* dir, long pos) {
  MemDir* d = ours(dir);
  if (d == nullptr) {
    auto fn = MEMFS_NEXT(seekdir);
    if (fn) fn(dir, pos);
    return;
  }
  d->pos = static_cast<std::size_t>(pos);
}

}  // extern "C"
