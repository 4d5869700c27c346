// Random POSIX call sequences, the same on a mount and on /dev/shm, compared
// call by call (return value, errno, bytes) and by final tree. The op choice
// never depends on results, so both sides replay the same sequence.
// MEMFS_TEST_SEED=<n> replays one seed.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <random>

#include "intercept/support.hpp"

namespace memfs_test {
namespace {

class RandomDifferential : public InterceptTest {};

const char* const kPaths[] = {"f0",    "f1",    "d0",       "d1",   "d0/f0",
                              "d0/f1", "d0/d1", "d0/d1/f0", "f0/x", "d0/"};
constexpr int kSlots = 4;

void run_ops(const std::string& root, std::uint32_t seed, int count,
             Trace& tr) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) {
    return static_cast<int>(rng() % static_cast<unsigned>(n));
  };
  std::string args;  // the relative paths of the current call, for the trace
  auto path = [&] {
    const char* rel = kPaths[pick(std::size(kPaths))];
    args += std::string(" ") + rel;
    return root + "/" + rel;
  };
  int fds[kSlots] = {-1, -1, -1, -1};
  auto rec = [&](int op, long r) {
    int e = errno;
    tr.note(std::to_string(op) + args + ": " + std::to_string(r) +
            (r < 0 ? " " + Trace::errno_name(e) : ""));
  };
  char buf[64];
  for (int i = 0; i < count; ++i) {
    int op = pick(18);
    int s = pick(kSlots);
    args = " slot" + std::to_string(s);
    errno = 0;
    switch (op) {
      case 0: {
        if (fds[s] >= 0) close(fds[s]);
        static const int acc[] = {O_RDONLY, O_WRONLY, O_RDWR};
        int flags = acc[pick(3)];
        if (pick(2)) flags |= O_CREAT;
        if (pick(4) == 0) flags |= O_EXCL;
        if (pick(4) == 0) flags |= O_TRUNC;
        if (pick(3) == 0) flags |= O_APPEND;
        if (!(flags & O_CREAT) && pick(5) == 0) flags |= O_DIRECTORY;
        fds[s] = open(path().c_str(), flags, 0644);
        args += " flags=" + std::to_string(flags);
        rec(op, fds[s] >= 0 ? 0 : -1);
        break;
      }
      case 1:
        rec(op, close(fds[s]));
        fds[s] = -1;
        break;
      case 2: {
        std::size_t n = static_cast<std::size_t>(pick(20));
        for (std::size_t k = 0; k < n; ++k)
          buf[k] = static_cast<char>('a' + pick(26));
        rec(op, write(fds[s], buf, n));
        break;
      }
      case 3: {
        ssize_t n = read(fds[s], buf, static_cast<std::size_t>(pick(30)));
        rec(op, n);
        if (n > 0) tr.note(std::string(buf, static_cast<std::size_t>(n)));
        break;
      }
      case 4: {
        off_t at = pick(40);
        if (pick(2)) {
          ssize_t n = pread(fds[s], buf, 16, at);
          rec(op, n);
          if (n > 0) tr.note(std::string(buf, static_cast<std::size_t>(n)));
        } else {
          rec(op, pwrite(fds[s], "PW", 2, at));
        }
        break;
      }
      case 5: {
        static const int wh[] = {SEEK_SET, SEEK_CUR, SEEK_END};
        rec(op, lseek(fds[s], pick(50) - 10, wh[pick(3)]));
        break;
      }
      case 6:
        rec(op, ftruncate(fds[s], pick(40)));
        break;
      case 7:
        rec(op, mkdir(path().c_str(), 0755));
        break;
      case 8:
        rec(op, rmdir(path().c_str()));
        break;
      case 9:
        rec(op, unlink(path().c_str()));
        break;
      case 10: {
        std::string from = path();
        rec(op, rename(from.c_str(), path().c_str()));
        break;
      }
      case 11: {
        struct stat st {};
        int r = stat(path().c_str(), &st);
        rec(op, r);
        if (r == 0) tr.note(stat_line(st, false));
        break;
      }
      case 12:
        rec(op, truncate(path().c_str(), pick(30)));
        break;
      case 13: {
        DIR* d = opendir(path().c_str());
        rec(op, d ? 0 : -1);
        if (d) {
          std::vector<std::string> names;
          while (struct dirent* e = readdir(d)) names.push_back(e->d_name);
          closedir(d);
          std::sort(names.begin(), names.end());
          std::string all;
          for (auto& n : names) all += n + " ";
          tr.note(all);
        }
        break;
      }
      case 14: {
        int to = pick(kSlots);
        if (to == s) break;
        if (fds[to] >= 0) close(fds[to]);
        fds[to] = dup(fds[s]);
        rec(op, fds[to] >= 0 ? 0 : -1);
        break;
      }
      case 15:
        rec(op, fsync(fds[s]));
        break;
      case 17: {
        static const mode_t modes[] = {0600, 0644, 0755, 0700, 0444};
        rec(op, chmod(path().c_str(), modes[pick(5)]));
        break;
      }
      case 16:
        rec(op, access(path().c_str(), pick(2) ? F_OK : W_OK));
        break;
    }
  }
  for (int fd : fds)
    if (fd >= 0) close(fd);
}

TEST_F(RandomDifferential, PosixSequencesMatchTmpfs) {
  constexpr int kOps = 3000;
  differential_seeds({1, 2, 3, 4, 5},
                     [](const std::string& root, std::uint32_t seed,
                        Trace& tr) { run_ops(root, seed, kOps, tr); });
}

}  // namespace
}  // namespace memfs_test
