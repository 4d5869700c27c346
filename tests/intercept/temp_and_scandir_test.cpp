// mkstemp family and scandir on a mount vs /dev/shm (glibc implements them
// with its internal open/getdents, so they are wrapped themselves).
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "intercept/support.hpp"

namespace memfs_test {
namespace {

class TempAndScandir : public InterceptTest {};

TEST_F(TempAndScandir, TemporaryFilesAndDirectories) {
  differential([](const P& r, Trace& tr) {
    std::string t = r + "/tmpXXXXXX";
    int fd = CALL(tr, mkstemp(t.data()));
    CALL(tr, t.find("XXXXXX") == std::string::npos ? 1 : 0);
    CALL(tr, write(fd, "temp", 4));
    CALL(tr, fcntl(fd, F_GETFL));
    CALL(tr, rename(t.c_str(), (r + "/from-mkstemp").c_str()));
    CALL(tr, close(fd));
    std::string s = r + "/tmpXXXXXX.log";
    fd = CALL(tr, mkostemps(s.data(), 4, O_CLOEXEC));
    CALL(tr, fcntl(fd, F_GETFD));
    CALL(tr, s.substr(s.size() - 4) == ".log" ? 1 : 0);
    CALL(tr, unlink(s.c_str()));
    CALL(tr, close(fd));
    std::string d = r + "/dirXXXXXX";
    tr.rec_ptr("mkdtemp", mkdtemp(d.data()));
    struct stat st {};
    CALL(tr, stat(d.c_str(), &st));
    CALL(tr, S_ISDIR(st.st_mode) ? 1 : 0);
    CALL(tr, rmdir(d.c_str()));
    std::string bad = r + "/tmpXXXX";
    CALL(tr, mkstemp(bad.data()));  // EINVAL
    std::string missing = r + "/no/tmpXXXXXX";
    CALL(tr, mkstemp(missing.data()));  // ENOENT
  });
}

int no_dots(const struct dirent* e) { return e->d_name[0] != '.'; }

TEST_F(TempAndScandir, Scandir) {
  differential([](const P& r, Trace& tr) {
    for (const char* n : {"c", "a", "b"})
      close(open((r + "/" + n).c_str(), O_CREAT | O_WRONLY, 0644));
    mkdir((r + "/d").c_str(), 0755);
    struct dirent** list = nullptr;
    int n = CALL(tr, scandir(r.c_str(), &list, no_dots, alphasort));
    for (int i = 0; i < n; ++i) {
      tr.note(list[i]->d_name);
      std::free(list[i]);
    }
    std::free(list);
    CALL(tr, scandir((r + "/nope").c_str(), &list, nullptr, alphasort));
  });
}

}  // namespace
}  // namespace memfs_test
