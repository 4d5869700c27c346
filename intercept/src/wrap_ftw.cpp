// ftw/nftw on mounted trees. glibc's walker reads directories and stats
// entries through its internal aliases (__opendir, __readdir64, __lstat64,
// ...), so wrapping opendir/readdir/stat does not reach it: on a mount it
// would walk the real disk. This walker does what glibc's does, through the
// wrapped calls: trailing slashes of the start path stripped, children as
// "dir/name" in readdir order, FTW_D before (or FTW_DP after, with
// FTW_DEPTH) the children, FTW_NS / FTW_DNR when an entry cannot be stat'ed
// or a directory opened, and FTW_ACTIONRETVAL's skip and stop answers.
// FTW_CHDIR is refused with ENOTSUP (the walk would chdir into each folder).
#undef _FORTIFY_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>

#include <cstring>
#include <string>
#include <vector>

#include "common.hpp"

namespace memfs::idetail {
namespace {

// The callback as nftw's: (path, stat, type flag, FTW*) -> int.
template <class Stat>
using NftwFn = int (*)(const char*, const Stat*, int, struct FTW*);

template <class Stat>
class Walker {
 public:
  Walker(NftwFn<Stat> fn, int flags) : fn_(fn), flags_(flags) {}

  // Returns the callback's non-zero answer that stopped the walk, 0 at the
  // end, or -1 with errno set (the start path cannot be stat'ed).
  int run(const char* start) {
    path_ = start;
    while (path_.size() > 1 && path_.back() == '/') path_.pop_back();
    struct stat st;
    if (::lstat(path_.c_str(), &st) != 0) return -1;
    const int r = node(0, st);
    return actions() && r != FTW_STOP ? 0 : r;
  }

 private:
  [[nodiscard]] bool actions() const { return flags_ & FTW_ACTIONRETVAL; }

  int call(int type, const struct stat& st, int level) {
    struct FTW ftw;
    const std::size_t slash = path_.rfind('/');
    ftw.base = slash == std::string::npos || path_.size() == 1
                   ? 0
                   : static_cast<int>(slash + 1);
    ftw.level = level;
    return fn_(path_.c_str(), reinterpret_cast<const Stat*>(&st), type, &ftw);
  }

  int node(int level, const struct stat& st) {
    if (!S_ISDIR(st.st_mode)) return call(FTW_F, st, level);
    if (!(flags_ & FTW_DEPTH)) {
      const int r = call(FTW_D, st, level);
      if (actions() && r == FTW_SKIP_SUBTREE) return 0;
      if (r != 0) return r;
    }
    std::vector<std::string> names;
    DIR* dir = ::opendir(path_.c_str());
    if (dir == nullptr) return call(FTW_DNR, st, level);
    while (struct dirent* e = ::readdir(dir)) {
      if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0)
        names.emplace_back(e->d_name);
    }
    ::closedir(dir);
    const std::size_t len = path_.size();
    for (const std::string& name : names) {
      path_.resize(len);
      if (path_.back() != '/') path_ += '/';
      path_ += name;
      struct stat child;
      int r = ::lstat(path_.c_str(), &child) != 0
                  ? call(FTW_NS, child, level + 1)
                  : node(level + 1, child);
      if (actions() && r == FTW_SKIP_SIBLINGS) break;
      if (actions() && r == FTW_SKIP_SUBTREE) r = 0;
      if (r != 0) {
        path_.resize(len);
        return r;
      }
    }
    path_.resize(len);
    return flags_ & FTW_DEPTH ? call(FTW_DP, st, level) : 0;
  }

  NftwFn<Stat> fn_;
  int flags_;
  std::string path_;
};

// ftw's callback has no FTW*; it is called through an nftw walk.
template <class Stat>
using FtwFn = int (*)(const char*, const Stat*, int);
template <class Stat>
thread_local FtwFn<Stat> t_ftw_fn = nullptr;
template <class Stat>
int ftw_adapter(const char* p, const Stat* st, int type, struct FTW*) {
  return t_ftw_fn<Stat>(p, st, type);
}

template <class Stat>
int walk(const char* dir, NftwFn<Stat> fn, int flags) {
  if (flags & FTW_CHDIR) return fail_errno(ENOTSUP);
  try {
    return Walker<Stat>(fn, flags).run(dir);
  } catch (...) {  // never unwind into C
    return fail_errno(ENOMEM);
  }
}

template <class Stat>
int walk_ftw(const char* dir, FtwFn<Stat> fn) {
  FtwFn<Stat> saved = t_ftw_fn<Stat>;
  t_ftw_fn<Stat> = fn;
  const int r = walk<Stat>(dir, ftw_adapter<Stat>, 0);
  t_ftw_fn<Stat> = saved;
  return r;
}

}  // namespace
}  // namespace memfs::idetail

using namespace memfs::idetail;

extern "C" {

int nftw(const char* dir, NftwFn<struct stat> fn, int nopenfd, int flags) {
  if (!on_mount(dir)) return MEMFS_PASS(nftw, dir, fn, nopenfd, flags);
  return walk(dir, fn, flags);
}
int nftw64(const char* dir, NftwFn<struct stat64> fn, int nopenfd, int flags) {
  if (!on_mount(dir)) return MEMFS_PASS(nftw64, dir, fn, nopenfd, flags);
  return walk(dir, fn, flags);
}
int ftw(const char* dir, FtwFn<struct stat> fn, int nopenfd) {
  if (!on_mount(dir)) return MEMFS_PASS(ftw, dir, fn, nopenfd);
  return walk_ftw(dir, fn);
}
int ftw64(const char* dir, FtwFn<struct stat64> fn, int nopenfd) {
  if (!on_mount(dir)) return MEMFS_PASS(ftw64, dir, fn, nopenfd);
  return walk_ftw(dir, fn);
}

}  // extern "C"
