// The permission bits a creating open records, now that an open asks memfs
// directly (no status() first) and the umask is followed, not re-read.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "intercept/support.hpp"

namespace memfs_test {
namespace {

class OpenModes : public InterceptTest {};

int mode_of(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 ? static_cast<int>(st.st_mode & 07777)
                                      : -1;
}

TEST_F(OpenModes, CreatingOpensApplyTheCurrentUmask) {
  differential([](const P& r, Trace& tr) {
    umask(022);
    CALL(tr, close(open((r + "/a").c_str(), O_CREAT | O_WRONLY, 0666)));
    umask(077);
    CALL(tr, close(open((r + "/b").c_str(), O_CREAT | O_WRONLY, 0666)));
    CALL(tr, close(creat((r + "/c").c_str(), 0644)));
    umask(0);
    CALL(tr, close(open((r + "/d").c_str(), O_CREAT | O_RDWR | O_EXCL, 0640)));
    umask(022);
    for (const char* name : {"/a", "/b", "/c", "/d"})
      CALL(tr, mode_of(r + name));
  });
}

TEST_F(OpenModes, OpeningAnExistingFileWithOCreatKeepsItsBits) {
  differential([](const P& r, Trace& tr) {
    const std::string a = r + "/a";
    CALL(tr, close(open(a.c_str(), O_CREAT | O_WRONLY, 0600)));
    CALL(tr, close(open(a.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0666)));
    CALL(tr, chmod(a.c_str(), 0640));
    CALL(tr, close(open(a.c_str(), O_CREAT | O_RDWR, 0600)));
    CALL(tr, mode_of(a));
    CALL(tr, open((r + "/d/").c_str(), O_CREAT | O_RDWR, 0644));  // EISDIR
    CALL(tr, open((a + "/").c_str(), O_RDONLY));                  // ENOTDIR
    CALL(tr, open((a + "/x").c_str(), O_RDONLY));                 // ENOTDIR
    CALL(tr, mkdir((r + "/d").c_str(), 0755));
    CALL(tr, open((r + "/d").c_str(), O_RDWR));                  // EISDIR
    CALL(tr, open((r + "/d").c_str(), O_CREAT | O_EXCL, 0644));  // EEXIST
    CALL(tr, open((r + "/d").c_str(), O_RDONLY | O_TRUNC));      // EISDIR
    CALL(tr, close(open((r + "/d").c_str(), O_RDONLY)));
    CALL(tr, open((r + "/none").c_str(), O_RDONLY | O_TRUNC));        // ENOENT
    CALL(tr, open((r + "/none/x").c_str(), O_CREAT | O_RDWR, 0644));  // ENOENT
  });
}

}  // namespace
}  // namespace memfs_test
