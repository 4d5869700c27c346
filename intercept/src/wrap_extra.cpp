// Entry points whose glibc implementations call glibc's internal open or
// getdents, so wrapping open/readdir does not reach them: scandir and the
// mkstemp family (temporary files in a mount are what TMPDIR-in-a-mount
// needs).
#undef _FORTIFY_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cstring>

#include "common.hpp"

namespace memfs::idetail {
namespace {

template <class Dirent>
using Filter = int (*)(const Dirent*);
template <class Dirent>
using Compare = int (*)(const Dirent**, const Dirent**);

template <class Dirent>
int scan(const char* path, Dirent*** out, Filter<Dirent> filter,
         Compare<Dirent> compare) {
  DIR* dir = ::opendir(path);  // ours: the path is on a mount
  if (dir == nullptr) return -1;
  Dirent** list = nullptr;
  std::size_t n = 0, cap = 0;
  while (auto* e = reinterpret_cast<Dirent*>(::readdir(dir))) {
    if (filter && !filter(e)) continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 16;
      auto* grown =
          static_cast<Dirent**>(std::realloc(list, cap * sizeof(Dirent*)));
      if (grown == nullptr) break;
      list = grown;
    }
    auto* copy = static_cast<Dirent*>(std::malloc(sizeof(Dirent)));
    if (copy == nullptr) break;
    std::memcpy(copy, e, sizeof(Dirent));
    list[n++] = copy;
  }
  ::closedir(dir);
  if (compare && n > 1)
    std::qsort(list, n, sizeof(Dirent*),
               reinterpret_cast<int (*)(const void*, const void*)>(compare));
  *out = list;
  return static_cast<int>(n);
}

// Fills the `count` X's that end at `end` with random letters and digits.
void randomize(char* end, int count) {
  static thread_local unsigned long long state
      __attribute__((tls_model("initial-exec"))) = 0;
  if (state == 0)
    state = static_cast<unsigned long long>(time(nullptr)) ^
            reinterpret_cast<unsigned long long>(&state) ^
            static_cast<unsigned long long>(getpid());
  static const char kChars[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  for (int i = 1; i <= count; ++i) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    end[-i] = kChars[state % (sizeof kChars - 1)];
  }
}

// mkstemp-style creation on a mount: make(path) returns >= 0 or -1/errno.
template <class Make>
int make_temp(char* tmpl, int suffix_len, Make make) {
  std::size_t len = std::strlen(tmpl);
  if (suffix_len < 0 || len < static_cast<std::size_t>(suffix_len) + 6 ||
      std::memcmp(tmpl + len - static_cast<std::size_t>(suffix_len) - 6,
                  "XXXXXX", 6) != 0)
    return fail_errno(EINVAL);
  char* end = tmpl + len - suffix_len;
  for (int attempt = 0; attempt < 1000; ++attempt) {
    randomize(end, 6);
    int r = make(tmpl);
    if (r >= 0 || errno != EEXIST) return r;
  }
  return fail_errno(EEXIST);
}

// on_mount for a call that makes a descriptor: off the mounts, the kernel
// picks its number, so the parked ones are released first.
bool on_mount_fd(const char* path, const char* call = __builtin_FUNCTION()) {
  const bool ours = on_mount(path, call);
  if (!ours) before_real_fd();
  return ours;
}

int open_temp(char* tmpl, int suffix_len, int flags) {
  return make_temp(tmpl, suffix_len, [&](const char* p) {
    return ::open(p, O_RDWR | O_CREAT | O_EXCL | flags, 0600);
  });
}

}  // namespace
}  // namespace memfs::idetail

using namespace memfs::idetail;

extern "C" {

int scandir(const char* path, struct dirent*** out,
            int (*filter)(const struct dirent*),
            int (*compare)(const struct dirent**, const struct dirent**)) {
  if (!on_mount(path)) return MEMFS_PASS(scandir, path, out, filter, compare);
  return scan(path, out, filter, compare);
}
int scandir64(const char* path, struct dirent64*** out,
              int (*filter)(const struct dirent64*),
              int (*compare)(const struct dirent64**,
                             const struct dirent64**)) {
  if (!on_mount(path)) return MEMFS_PASS(scandir64, path, out, filter, compare);
  return scan(path, out, filter, compare);
}

int mkstemp(char* tmpl) {
  if (!on_mount_fd(tmpl)) return MEMFS_PASS(mkstemp, tmpl);
  return open_temp(tmpl, 0, 0);
}
int mkstemp64(char* tmpl) {
  if (!on_mount_fd(tmpl)) return MEMFS_PASS(mkstemp64, tmpl);
  return open_temp(tmpl, 0, 0);
}
int mkostemp(char* tmpl, int flags) {
  if (!on_mount_fd(tmpl)) return MEMFS_PASS(mkostemp, tmpl, flags);
  return open_temp(tmpl, 0, flags);
}
int mkostemp64(char* tmpl, int flags) {
  if (!on_mount_fd(tmpl)) return MEMFS_PASS(mkostemp64, tmpl, flags);
  return open_temp(tmpl, 0, flags);
}
int mkstemps(char* tmpl, int suffix_len) {
  if (!on_mount_fd(tmpl)) return MEMFS_PASS(mkstemps, tmpl, suffix_len);
  return open_temp(tmpl, suffix_len, 0);
}
int mkostemps(char* tmpl, int suffix_len, int flags) {
  if (!on_mount_fd(tmpl)) return MEMFS_PASS(mkostemps, tmpl, suffix_len, flags);
  return open_temp(tmpl, suffix_len, flags);
}
// glibc's tmpfile opens in P_tmpdir ("/tmp", not $TMPDIR) through its
// internal open: when that directory is on a mount, the file is made there,
// removed at once (its descriptor keeps working, as an unlinked file's does),
// and wrapped with fdopen.
FILE* tmpfile(void) {
  using TmpfileFn = FILE* (*)();
  if (!on_mount_fd(P_tmpdir "/")) {
    return call_next(MEMFS_NEXT_T(TmpfileFn, tmpfile));
  }
  char name[] = P_tmpdir "/tmpfXXXXXX";
  int fd = open_temp(name, 0, 0);
  if (fd < 0) return nullptr;
  ::unlink(name);
  FILE* fp = ::fdopen(fd, "w+");
  if (fp == nullptr) {
    int e = errno;
    ::close(fd);
    errno = e;
  }
  return fp;
}
FILE* tmpfile64(void) {
  using TmpfileFn = FILE* (*)();
  if (!on_mount_fd(P_tmpdir "/")) {
    return call_next(MEMFS_NEXT_T(TmpfileFn, tmpfile64));
  }
  return tmpfile();
}

char* mkdtemp(char* tmpl) {
  if (!on_mount(tmpl)) return MEMFS_PASS(mkdtemp, tmpl);
  int r = make_temp(tmpl, 0, [](const char* p) { return ::mkdir(p, 0700); });
  return r == 0 ? tmpl : nullptr;
}

}  // extern "C"
