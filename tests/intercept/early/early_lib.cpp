// A shared library whose constructor uses file calls. Shared libraries'
// constructors run before the executable's: the interposers in the test
// executable must already pass these through to libc (nothing allocated,
// nothing assumed initialised).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

extern "C" {
/// 1 when every call in the constructor worked.
__attribute__((visibility("default"))) int memfs_early_lib_ok = 0;
}

namespace {

__attribute__((constructor)) void use_files_early() {
  struct stat st {};
  if (stat("/proc/self/status", &st) != 0) return;
  int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  char buf[16] = {};
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return;
  FILE* fp = fopen("/proc/self/status", "r");
  if (fp == nullptr) return;
  char line[64];
  bool got = fgets(line, sizeof line, fp) != nullptr && fileno(fp) >= 0;
  fclose(fp);
  memfs_early_lib_ok = got && std::strncmp(buf, line, 4) == 0 ? 1 : 0;
}

}  // namespace
