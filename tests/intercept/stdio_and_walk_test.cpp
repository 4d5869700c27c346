// The intercepted FILE* against a real one (the stdio differential's random
// sequences, shared with tests/stream), fdopen/freopen/tmpfile,
// readdir_r/readdir64_r, ioctl(FIONREAD)/poll (what in_avail asks) and
// ftw/nftw, on a mount vs /dev/shm.
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "intercept/support.hpp"
#include "stream/stdio_twin.hpp"

namespace memfs_test {
namespace {

class StdioAndWalk : public InterceptTest {};

TEST_F(StdioAndWalk, RandomStdioSequencesMatchARealFileInEveryMode) {
  // The real side is on a HostDir on /dev/shm; the bridged side is plain
  // fopen on the mount (intercepted), so its positions come from the
  // repaired cookie stream that memfs::fopen uses.
  memfs::test::StdioTwin twin(fs_, [this](const P& name, const char* mode) {
    return std::fopen((mount_dir_ + "/" + name).c_str(), mode);
  });
  for (const char* mode : {"r+", "w+", "a+", "r", "w", "a", "rb+", "ab+"}) {
    for (std::uint64_t seed = 1; seed <= 2; ++seed) {
      const std::string d =
          memfs::test::random_sequence(twin, mode, seed, 1500);
      ASSERT_TRUE(memfs::test::same(d));
    }
  }
}

TEST_F(StdioAndWalk, FdopenChecksTheDescriptorAndFreopenOntoAMountIsRefused) {
  differential([](const P& r, Trace& tr) {
    const P f = r + "/f.txt";
    int fd = CALL(tr, open(f.c_str(), O_WRONLY | O_CREAT, 0644));
    tr.rec_ptr("fdopen r on O_WRONLY", fdopen(fd, "r"));
    tr.rec_ptr("fdopen w+ on O_WRONLY", fdopen(fd, "w+"));
    CALL(tr, write(fd, "0123456789", 10));
    CALL(tr, lseek(fd, 2, SEEK_SET));
    FILE* fp = tr.rec_ptr("fdopen a", fdopen(fd, "a"));
    CALL(tr, fcntl(fd, F_GETFL) & O_APPEND ? 1 : 0);
    CALL(tr, ftell(fp));
    CALL(tr, fputs("end", fp));
    CALL(tr, fclose(fp));
    fd = CALL(tr, open(f.c_str(), O_RDONLY));
    tr.rec_ptr("fdopen w on O_RDONLY", fdopen(fd, "w"));
    fp = tr.rec_ptr("fdopen rb", fdopen(fd, "rb"));
    char buf[32] = {};
    CALL(tr, static_cast<long>(fread(buf, 1, sizeof buf, fp)));
    tr.note(buf);
    CALL(tr, fclose(fp));
  });
  // freopen cannot turn stdout's FILE into a memfs stream: refused, and the
  // stream stays open and usable (on the real disk nothing is created).
  FILE* fp = std::fopen((real_dir_ + "/keep").c_str(), "w");
  ASSERT_NE(fp, nullptr);
  errno = 0;
  EXPECT_EQ(freopen((mount_dir_ + "/x").c_str(), "w", fp), nullptr);
  EXPECT_EQ(errno, EOPNOTSUPP);
  EXPECT_EQ(std::fputs("still mine", fp), 1);
  EXPECT_EQ(std::fclose(fp), 0);
  EXPECT_FALSE(fs_.exists("/x"));
  std::ifstream keep(real_dir_ + "/keep");
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(keep), {}),
            "still mine");
}

TEST_F(StdioAndWalk, TmpfileIsServedWhenTmpIsMounted) {
  memfs::MemoryFileSystem tmp;
  {
    memfs::Mount m(tmp, P_tmpdir);
    FILE* fp = tmpfile();
    ASSERT_NE(fp, nullptr) << std::strerror(errno);
    EXPECT_EQ(tmp.stats().open_handles, 1u);  // the file lives in `tmp`
    EXPECT_EQ(tmp.list("/").size(), 0u);      // already removed
    EXPECT_EQ(std::fputs("scratch", fp), 1);
    std::rewind(fp);
    char buf[16] = {};
    EXPECT_EQ(std::fread(buf, 1, sizeof buf, fp), 7u);
    EXPECT_STREQ(buf, "scratch");
    EXPECT_EQ(std::fclose(fp), 0);
    EXPECT_EQ(tmp.stats().open_handles, 0u);
  }
  FILE* real = tmpfile();  // unmounted: glibc's own, on the real /tmp
  ASSERT_NE(real, nullptr);
  EXPECT_EQ(std::fclose(real), 0);
  EXPECT_EQ(tmp.stats().open_handles, 0u);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
TEST_F(StdioAndWalk, ReaddirRFormsListTheMount) {
  differential([](const P& r, Trace& tr) {
    CALL(tr, mkdir((r + "/d").c_str(), 0755));
    for (const char* n : {"/d/a", "/d/bb", "/d/ccc"})
      CALL(tr, close(open((r + n).c_str(), O_CREAT | O_WRONLY, 0644)));
    std::vector<std::string> names, names64;
    DIR* d = opendir((r + "/d").c_str());
    struct dirent entry, *result = nullptr;
    while (readdir_r(d, &entry, &result) == 0 && result != nullptr)
      names.push_back(result->d_name);
    closedir(d);
    d = opendir((r + "/d").c_str());
    struct dirent64 entry64, *result64 = nullptr;
    while (readdir64_r(d, &entry64, &result64) == 0 && result64 != nullptr)
      names64.push_back(result64->d_name);
    closedir(d);
    std::sort(names.begin(), names.end());
    std::sort(names64.begin(), names64.end());
    for (const auto& n : names) tr.note("readdir_r " + n);
    for (const auto& n : names64) tr.note("readdir64_r " + n);
  });
}
#pragma GCC diagnostic pop

TEST_F(StdioAndWalk, FionreadAndPollAnswerAsForARealFile) {
  differential([](const P& r, Trace& tr) {
    const P f = r + "/f";
    { std::ofstream(f) << std::string(5000, 'x'); }
    int fd = CALL(tr, open(f.c_str(), O_RDONLY));
    int n = -1;
    CALL(tr, ioctl(fd, FIONREAD, &n));
    tr.note("FIONREAD " + std::to_string(n));
    CALL(tr, lseek(fd, 4000, SEEK_SET));
    CALL(tr, ioctl(fd, FIONREAD, &n));
    tr.note("FIONREAD at 4000 " + std::to_string(n));
    struct pollfd p {
      fd, POLLIN | POLLOUT, 0
    };
    CALL(tr, poll(&p, 1, 0));
    tr.note("revents " + std::to_string(p.revents));
    CALL(tr, close(fd));
    fd = CALL(tr, open(r.c_str(), O_RDONLY | O_DIRECTORY));
    CALL(tr, ioctl(fd, FIONREAD, &n));
    CALL(tr, close(fd));
    // libstdc++'s in_avail on a fresh stream asks FIONREAD first.
    std::ifstream in(f);
    CALL(tr, static_cast<long>(in.rdbuf()->in_avail()));
    in.seekg(1234);
    CALL(tr, static_cast<long>(in.rdbuf()->in_avail()));
  });
}

// One visit of an ftw/nftw walk, as text relative to the walk's root.
std::vector<std::string>* g_visits = nullptr;
std::size_t g_root_len = 0;
std::string visit_line(const char* path, const struct stat* st, int type) {
  std::string line =
      std::string(path).substr(g_root_len) + " type=" + std::to_string(type);
  if (type != FTW_NS && !S_ISDIR(st->st_mode))
    line += " size=" + std::to_string(st->st_size);
  return line;
}
int record_nftw(const char* path, const struct stat* st, int type,
                struct FTW* ftw) {
  g_visits->push_back(visit_line(path, st, type) +
                      " level=" + std::to_string(ftw->level) +
                      " base=" + std::string(path + ftw->base));
  return 0;
}
int record_ftw(const char* path, const struct stat* st, int type) {
  g_visits->push_back(visit_line(path, st, type));
  return 0;
}
int skip_d(const char* path, const struct stat* st, int type, struct FTW*) {
  g_visits->push_back(visit_line(path, st, type));
  return std::string(path).substr(g_root_len) == "/t/d" ? FTW_SKIP_SUBTREE
                                                        : FTW_CONTINUE;
}

TEST_F(StdioAndWalk, FtwAndNftwWalkTheMount) {
  differential([](const P& r, Trace& tr) {
    for (const char* d : {"/t", "/t/d", "/t/d/e", "/t/z"})
      CALL(tr, mkdir((r + d).c_str(), 0755));
    for (const char* f : {"/t/a", "/t/d/b", "/t/d/e/c"})
      std::ofstream(r + f) << f;
    std::vector<std::string> visits;
    g_visits = &visits;
    g_root_len = r.size();
    // Directory order is the filesystem's: compare sorted, and check the
    // order rules (a directory before its entries, or after with FTW_DEPTH).
    const auto report = [&](const std::string& what, int result) {
      std::vector<std::string> sorted = visits;
      std::sort(sorted.begin(), sorted.end());
      tr.note(what + " = " + std::to_string(result));
      for (const auto& v : sorted) tr.note("  " + v);
      visits.clear();
    };
    const P top = r + "/t/";
    report("nftw", nftw(top.c_str(), record_nftw, 8, FTW_PHYS));
    CALL(tr, nftw((r + "/t").c_str(), record_nftw, 8, FTW_PHYS | FTW_DEPTH));
    tr.note(visits.back());  // the top directory comes last: FTW_DP
    report("nftw depth", 0);
    report("ftw", ftw((r + "/t").c_str(), record_ftw, 8));
    report("nftw skip",
           nftw((r + "/t").c_str(), skip_d, 8, FTW_PHYS | FTW_ACTIONRETVAL));
    report("nftw missing", nftw((r + "/none").c_str(), record_nftw, 8, 0));
    tr.note(Trace::errno_name(errno));
    report("nftw file", nftw((r + "/t/a").c_str(), record_nftw, 8, 0));
  });
}

}  // namespace
}  // namespace memfs_test
