// Namespace, metadata and directory-stream calls on a mount vs /dev/shm.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "intercept/support.hpp"

extern "C" {
int __xstat(int, const char*, struct stat*);
int __lxstat(int, const char*, struct stat*);
int __fxstat(int, int, struct stat*);
int __fxstatat(int, int, const char*, struct stat*, int);
int __xstat64(int, const char*, struct stat64*);
}

namespace memfs_test {
namespace {

class PosixNames : public InterceptTest {};

std::string st_of(int r, const struct stat& st) {
  return r == 0 ? stat_line(st) : "failed";
}

TEST_F(PosixNames, MkdirRmdirUnlinkRenameRemove) {
  differential([](const P& r, Trace& tr) {
    auto p = [&](const char* s) { return r + "/" + s; };
    CALL(tr, mkdir(p("d").c_str(), 0755));
    CALL(tr, mkdir(p("d").c_str(), 0755));    // EEXIST
    CALL(tr, mkdir(p("x/y").c_str(), 0755));  // ENOENT
    CALL(tr, mkdirat(AT_FDCWD, p("d/e").c_str(), 0755));
    int fd = CALL(tr, open(p("d/f").c_str(), O_CREAT | O_WRONLY, 0644));
    CALL(tr, write(fd, "data", 4));
    CALL(tr, close(fd));
    CALL(tr, mkdir(p("d/f/g").c_str(), 0755));  // ENOTDIR
    CALL(tr, mkdir(p("d/f").c_str(), 0755));    // EEXIST
    CALL(tr, rmdir(p("d").c_str()));            // ENOTEMPTY
    CALL(tr, rmdir(p("d/f").c_str()));          // ENOTDIR
    CALL(tr, rmdir(p("nope").c_str()));         // ENOENT
    CALL(tr, unlink(p("d/e").c_str()));         // EISDIR
    CALL(tr, unlink(p("d/nope").c_str()));      // ENOENT
    CALL(tr, unlink(p("d/f/").c_str()));        // ENOTDIR
    CALL(tr, rename(p("d/f").c_str(), p("g").c_str()));
    CALL(tr, rename(p("g").c_str(), p("d/e").c_str()));    // EISDIR
    CALL(tr, rename(p("d").c_str(), p("d/e/z").c_str()));  // EINVAL
    CALL(tr, rename(p("d/e").c_str(), p("g").c_str()));    // ENOTDIR
    CALL(tr, rename(p("nope").c_str(), p("q").c_str()));   // ENOENT
    CALL(tr, mkdir(p("e2").c_str(), 0755));
    CALL(tr, rename(p("d/e").c_str(), p("e2").c_str()));  // onto empty dir
    CALL(tr, renameat(AT_FDCWD, p("g").c_str(), AT_FDCWD, p("h").c_str()));
    CALL(tr, renameat2(AT_FDCWD, p("h").c_str(), AT_FDCWD, p("h").c_str(),
                       RENAME_NOREPLACE));
    fd = CALL(tr, creat(p("i").c_str(), 0644));
    CALL(tr, close(fd));
    CALL(tr, renameat2(AT_FDCWD, p("i").c_str(), AT_FDCWD, p("h").c_str(),
                       RENAME_NOREPLACE));
    CALL(tr, renameat2(AT_FDCWD, p("i").c_str(), AT_FDCWD, p("j").c_str(),
                       RENAME_NOREPLACE));
    CALL(tr, unlinkat(AT_FDCWD, p("j").c_str(), 0));
    CALL(tr, unlinkat(AT_FDCWD, p("e2").c_str(), 0));  // EISDIR
    CALL(tr, unlinkat(AT_FDCWD, p("e2").c_str(), AT_REMOVEDIR));
    CALL(tr, remove(p("h").c_str()));
    CALL(tr, remove(p("d").c_str()));
    CALL(tr, remove(p("d").c_str()));  // ENOENT
    CALL(tr, mkdir(p("k").c_str(), 0755));
    CALL(tr, mkdir(p("k/l").c_str(), 0755));
    CALL(tr, remove(p("k").c_str()));  // ENOTEMPTY
    int dir = CALL(tr, open(p("k").c_str(), O_RDONLY | O_DIRECTORY));
    CALL(tr, mkdirat(dir, "m", 0755));
    CALL(tr, unlinkat(dir, "l", AT_REMOVEDIR));
    CALL(tr, renameat(dir, "m", dir, "n"));
    CALL(tr, close(dir));
  });
}

// RENAME_EXCHANGE swaps two entries of any kinds, subtrees, open
// descriptors and permission bits along, and refuses what the kernel does.
TEST_F(PosixNames, RenameExchangeSwapsAtomically) {
  differential([](const P& r, Trace& tr) {
    auto p = [&](const char* s) { return r + "/" + s; };
    auto xchg = [](const std::string& a, const std::string& b) {
      return renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(),
                       RENAME_EXCHANGE);
    };
    int fd = CALL(tr, open(p("f").c_str(), O_CREAT | O_RDWR, 0600));
    CALL(tr, write(fd, "file", 4));
    CALL(tr, mkdir(p("d").c_str(), 0750));
    CALL(tr, mkdir(p("d/sub").c_str(), 0755));
    int g = CALL(tr, creat(p("d/sub/x").c_str(), 0640));
    CALL(tr, close(g));
    CALL(tr, xchg(p("f"), p("d")));
    CALL(tr, write(fd, "+", 1));  // the descriptor follows its file
    CALL(tr, close(fd));
    struct stat st {};
    CALL(tr, stat(p("d").c_str(), &st));
    tr.note(stat_line(st));
    CALL(tr, stat(p("f/sub/x").c_str(), &st));
    tr.note(stat_line(st));
    CALL(tr, xchg(p("f"), p("f")));      // itself
    CALL(tr, xchg(p("d"), p("nope")));   // ENOENT
    CALL(tr, xchg(p("nope"), p("d")));   // ENOENT
    CALL(tr, xchg(p("f"), p("f/sub")));  // EINVAL
    CALL(tr, xchg(p("f/sub"), p("f")));  // EINVAL
    CALL(tr, xchg(p("d/"), p("f")));     // ENOTDIR
    CALL(tr, renameat2(AT_FDCWD, p("d").c_str(), AT_FDCWD, p("f").c_str(),
                       RENAME_EXCHANGE | RENAME_NOREPLACE));  // EINVAL
  });
}

TEST_F(PosixNames, StatFamilyReportsWhatTmpfsReports) {
  differential([](const P& r, Trace& tr) {
    auto p = [&](const char* s) { return r + "/" + s; };
    CALL(tr, mkdir(p("d").c_str(), 0755));
    CALL(tr, mkdir(p("d/sub").c_str(), 0755));
    int fd = CALL(tr, open(p("d/f").c_str(), O_CREAT | O_RDWR, 0644));
    CALL(tr, write(fd, "12345", 5));
    struct stat st {};
    tr.note(st_of(CALL(tr, stat(p("d/f").c_str(), &st)), st));
    tr.note(st_of(CALL(tr, lstat(p("d").c_str(), &st)), st));
    tr.note(st_of(CALL(tr, fstat(fd, &st)), st));
    tr.note(st_of(CALL(tr, fstatat(AT_FDCWD, p("d/f").c_str(), &st, 0)), st));
    tr.note(st_of(CALL(tr, fstatat(fd, "", &st, AT_EMPTY_PATH)), st));
    tr.note(st_of(CALL(tr, __xstat(1, p("d/f").c_str(), &st)), st));
    tr.note(st_of(CALL(tr, __lxstat(1, p("d").c_str(), &st)), st));
    tr.note(st_of(CALL(tr, __fxstat(1, fd, &st)), st));
    tr.note(
        st_of(CALL(tr, __fxstatat(1, AT_FDCWD, p("d/f").c_str(), &st, 0)), st));
    struct stat64 st64 {};
    CALL(tr, stat64(p("d/f").c_str(), &st64));
    CALL(tr, static_cast<long>(st64.st_size));
    CALL(tr, lstat64(p("d").c_str(), &st64));
    CALL(tr, fstat64(fd, &st64));
    CALL(tr, fstatat64(AT_FDCWD, p("d").c_str(), &st64, 0));
    CALL(tr, __xstat64(1, p("d/f").c_str(), &st64));
    CALL(tr, stat(p("nope").c_str(), &st));   // ENOENT
    CALL(tr, stat(p("d/f/x").c_str(), &st));  // ENOTDIR
    CALL(tr, stat(p("d/f/").c_str(), &st));   // ENOTDIR
    struct statx sx {};
    CALL(tr, statx(AT_FDCWD, p("d/f").c_str(), 0, STATX_BASIC_STATS, &sx));
    CALL(tr, static_cast<long>(sx.stx_size));
    CALL(tr, static_cast<int>(sx.stx_mode));
    CALL(tr, static_cast<int>(sx.stx_nlink));
    CALL(tr, statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx));
    CALL(tr, static_cast<long>(sx.stx_size));
    // The inode number is stable per file and distinct between files.
    struct stat a {
    }, b{};
    stat(p("d/f").c_str(), &a);
    fstat(fd, &b);
    CALL(tr, a.st_ino == b.st_ino && a.st_dev == b.st_dev ? 1 : 0);
    stat(p("d").c_str(), &b);
    CALL(tr, a.st_ino != b.st_ino ? 1 : 0);
    CALL(tr, access(p("d/f").c_str(), F_OK));
    CALL(tr, access(p("d/f").c_str(), R_OK | W_OK));
    CALL(tr, access(p("d/f").c_str(), X_OK));  // EACCES
    CALL(tr, access(p("d").c_str(), X_OK));
    CALL(tr, access(p("nope").c_str(), F_OK));  // ENOENT
    CALL(tr, faccessat(AT_FDCWD, p("d/f").c_str(), R_OK, 0));
    CALL(tr, close(fd));
    // An unlinked file that is still open has no links.
    fd = CALL(tr, open(p("d/f").c_str(), O_RDONLY));
    CALL(tr, unlink(p("d/f").c_str()));
    tr.note(st_of(CALL(tr, fstat(fd, &st)), st));
    char buf[8] = {};
    CALL(tr, read(fd, buf, sizeof buf));
    tr.note(buf);
    CALL(tr, close(fd));
  });
}

// Inode numbers belong to the file, not to its name (as on tmpfs): kept by
// rename (the open descriptor and readdir agree), not reused by a new file
// at the old name, and a file renamed over another takes its own number.
TEST_F(PosixNames, InodeNumbersFollowTheFileAcrossRenames) {
  differential([](const P& r, Trace& tr) {
    const auto ino = [](const P& path) {
      struct stat st {};
      return stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
    };
    const auto dir_ino = [](const P& dir, const char* name) {
      ino_t found = 0;
      DIR* d = opendir(dir.c_str());
      while (struct dirent* e = readdir(d))
        if (std::strcmp(e->d_name, name) == 0) found = e->d_ino;
      closedir(d);
      return found;
    };
    CALL(tr, mkdir((r + "/d").c_str(), 0755));
    int fd = CALL(tr, open((r + "/a").c_str(), O_CREAT | O_RDWR, 0644));
    CALL(tr, write(fd, "abc", 3));
    const ino_t a = ino(r + "/a");
    const ino_t dir = ino(r + "/d");
    CALL(tr, rename((r + "/a").c_str(), (r + "/d/b").c_str()));
    CALL(tr, ino(r + "/d/b") == a ? 1 : 0);
    CALL(tr, dir_ino(r + "/d", "b") == a ? 1 : 0);
    struct stat st {};
    CALL(tr, fstat(fd, &st));
    CALL(tr, st.st_ino == a ? 1 : 0);
    CALL(tr, rename((r + "/d").c_str(), (r + "/e").c_str()));
    CALL(tr, ino(r + "/e") == dir && ino(r + "/e/b") == a ? 1 : 0);
    CALL(tr, close(open((r + "/a").c_str(), O_CREAT | O_WRONLY, 0644)));
    const ino_t fresh = ino(r + "/a");
    CALL(tr, fresh != a && fresh != dir ? 1 : 0);
    CALL(tr, rename((r + "/a").c_str(), (r + "/e/b").c_str()));
    CALL(tr, ino(r + "/e/b") == fresh ? 1 : 0);
    CALL(tr, fstat(fd, &st));  // the old file, now unlinked
    CALL(tr, st.st_ino == a ? 1 : 0);
    CALL(tr, static_cast<int>(st.st_nlink));
    CALL(tr, close(fd));
  });
}

TEST_F(PosixNames, PermissionBitsAreStoredAndReported) {
  differential([](const P& r, Trace& tr) {
    auto p = [&](const char* s) { return r + "/" + s; };
    struct stat st {};
    auto mode = [&](const std::string& path) {
      return stat(path.c_str(), &st) == 0 ? static_cast<int>(st.st_mode) : -1;
    };
    int fd = CALL(tr, open(p("f").c_str(), O_CREAT | O_WRONLY, 0640));
    CALL(tr, mode(p("f")));
    CALL(tr, fchmod(fd, 0600));
    CALL(tr, mode(p("f")));
    CALL(tr, close(fd));
    CALL(tr, mkdir(p("d").c_str(), 0700));
    CALL(tr, mode(p("d")));
    mode_t old = umask(077);
    fd = CALL(tr, creat(p("d/g").c_str(), 0666));
    CALL(tr, close(fd));
    CALL(tr, mkdir(p("d/e").c_str(), 0777));
    umask(old);
    CALL(tr, mode(p("d/g")));
    CALL(tr, mode(p("d/e")));
    CALL(tr, chmod(p("d/e").c_str(), 0751));
    CALL(tr, fchmodat(AT_FDCWD, p("d/g").c_str(), 04755, 0));
    CALL(tr, mode(p("d/g")));
    CALL(tr, rename(p("d").c_str(), p("moved").c_str()));
    CALL(tr, mode(p("moved/e")));
    CALL(tr, mode(p("moved/g")));
    CALL(tr, chmod(p("nope").c_str(), 0600));  // ENOENT
    CALL(tr, unlink(p("moved/g").c_str()));
    fd = CALL(tr, open(p("moved/g").c_str(), O_CREAT | O_WRONLY, 0644));
    CALL(tr, close(fd));
    CALL(tr, mode(p("moved/g")));  // a new file: the old bits are gone
    std::filesystem::permissions(p("f"), std::filesystem::perms::owner_all);
    CALL(tr, mode(p("f")));
  });
}

TEST_F(PosixNames, DirectoryStreams) {
  differential([](const P& r, Trace& tr) {
    auto p = [&](const char* s) { return r + "/" + s; };
    for (const char* n : {"b", "a", "c"}) {
      int fd = CALL(tr, open(p(n).c_str(), O_CREAT | O_WRONLY, 0644));
      CALL(tr, close(fd));
    }
    CALL(tr, mkdir(p("sub").c_str(), 0755));
    auto list = [&](DIR* d) {
      std::vector<std::string> names;
      while (struct dirent* e = readdir(d))
        names.push_back(std::string(e->d_name) +
                        (e->d_type == DT_DIR ? "/" : ""));
      std::sort(names.begin(), names.end());
      std::string all;
      for (auto& n : names) all += n + " ";
      tr.note(all);
    };
    DIR* d = tr.rec_ptr("opendir", opendir(r.c_str()));
    list(d);
    rewinddir(d);
    list(d);
    CALL(tr, dirfd(d) >= 0 ? 1 : 0);
    CALL(tr, closedir(d));
    tr.rec_ptr("opendir missing", opendir(p("nope").c_str()));
    tr.rec_ptr("opendir file", opendir(p("a").c_str()));
    int fd = CALL(tr, open(p("sub").c_str(), O_RDONLY | O_DIRECTORY));
    d = tr.rec_ptr("fdopendir", fdopendir(fd));
    CALL(tr, dirfd(d) == fd ? 1 : 0);
    list(d);
    CALL(tr, closedir(d));
    CALL(tr, close(fd));  // EBADF: closedir closed it
    d = opendir(r.c_str());
    int n = 0;
    while (struct dirent64* e = readdir64(d)) n += e->d_name[0] != '\0';
    CALL(tr, n);
    closedir(d);
  });
}

TEST_F(PosixNames, RealpathOnAMountIsTheCleanedHostPath) {
  differential([](const P& r, Trace& tr) {
    mkdir((r + "/d").c_str(), 0755);
    close(creat((r + "/d/f").c_str(), 0644));
    char buf[PATH_MAX];
    char* got = realpath((r + "/d/../d/./f").c_str(), buf);
    tr.note(got ? std::string(got).substr(r.size()) : "null");
    char* m = realpath((r + "//d").c_str(), nullptr);
    tr.note(m ? std::string(m).substr(r.size()) : "null");
    std::free(m);
    tr.rec_ptr("realpath missing", realpath((r + "/nope").c_str(), buf));
    char* c = canonicalize_file_name((r + "/d/f").c_str());
    tr.note(c ? std::string(c).substr(r.size()) : "null");
    std::free(c);
  });
}

TEST_F(PosixNames, StatvfsReportsTheQuota) {
  fs_.set_quota(1 << 20);
  fs_.write_file("/f", std::string(4096, 'x'));
  struct statvfs v {};
  ASSERT_EQ(statvfs(mount_dir_.c_str(), &v), 0);
  EXPECT_EQ(v.f_blocks * v.f_frsize, 1u << 20);
  EXPECT_EQ(v.f_bavail * v.f_frsize, (1u << 20) - 4096);
  int fd = open((mount_dir_ + "/f").c_str(), O_RDONLY);
  struct statvfs w {};
  ASSERT_EQ(fstatvfs(fd, &w), 0);
  EXPECT_EQ(w.f_bfree, v.f_bfree);
  close(fd);
  EXPECT_EQ(statvfs((mount_dir_ + "/nope").c_str(), &v), -1);
  EXPECT_EQ(errno, ENOENT);
}

// memfs has no links and the current directory never enters a mount: these
// are the intentional differences listed in intercept.hpp.
TEST_F(PosixNames, LinksAndChdirAreRefusedClearly) {
  std::string f = mount_dir_ + "/f";
  close(creat(f.c_str(), 0644));
  errno = 0;
  EXPECT_EQ(link(f.c_str(), (mount_dir_ + "/g").c_str()), -1);
  EXPECT_EQ(errno, EPERM);
  EXPECT_EQ(link(f.c_str(), (real_dir_ + "/g").c_str()), -1);
  EXPECT_EQ(errno, EXDEV);
  EXPECT_EQ(symlink("f", (mount_dir_ + "/s").c_str()), -1);
  EXPECT_EQ(errno, EPERM);
  char buf[16];
  EXPECT_EQ(readlink(f.c_str(), buf, sizeof buf), -1);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(readlink((mount_dir_ + "/nope").c_str(), buf, sizeof buf), -1);
  EXPECT_EQ(errno, ENOENT);
  EXPECT_EQ(rename(f.c_str(), (real_dir_ + "/f").c_str()), -1);
  EXPECT_EQ(errno, EXDEV);
  EXPECT_EQ(rmdir(mount_dir_.c_str()), -1);
  EXPECT_EQ(errno, EBUSY);
  EXPECT_TRUE(fs_.exists("/f"));
}

}  // namespace
}  // namespace memfs_test
