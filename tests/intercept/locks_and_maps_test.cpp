// flock, fcntl record locks and mmap on a mount vs /dev/shm.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>

#include "intercept/support.hpp"

namespace memfs_test {
namespace {

class LocksAndMaps : public InterceptTest {};

// flock and OFD locks belong to the open file description on Linux, as
// memfs locks belong to the handle: two opens of one file contend.
TEST_F(LocksAndMaps, FlockAndOfdLocksContendBetweenOpens) {
  differential([](const P& r, Trace& tr) {
    P f = r + "/f";
    int a = CALL(tr, open(f.c_str(), O_CREAT | O_RDWR, 0644));
    int b = CALL(tr, open(f.c_str(), O_RDWR));
    CALL(tr, flock(a, LOCK_EX | LOCK_NB));
    CALL(tr, flock(b, LOCK_SH | LOCK_NB));  // EWOULDBLOCK
    CALL(tr, flock(a, LOCK_SH | LOCK_NB));  // downgrade
    CALL(tr, flock(b, LOCK_SH | LOCK_NB));
    CALL(tr, flock(a, LOCK_EX | LOCK_NB));  // EWOULDBLOCK: b shares it
    CALL(tr, flock(b, LOCK_UN));
    CALL(tr, flock(a, LOCK_EX | LOCK_NB));
    int a2 = CALL(tr, dup(a));  // same description: same lock
    CALL(tr, flock(a2, LOCK_EX | LOCK_NB));
    CALL(tr, close(a));
    CALL(tr, flock(b, LOCK_EX | LOCK_NB));  // a2 still holds it
    CALL(tr, close(a2));
    CALL(tr, flock(b, LOCK_EX | LOCK_NB));
    CALL(tr, flock(b, LOCK_UN));
    CALL(tr, flock(b, 0));  // EINVAL
    struct flock fl {};
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    int c = CALL(tr, open(f.c_str(), O_RDWR));
    CALL(tr, fcntl(b, F_OFD_SETLK, &fl));
    CALL(tr, fcntl(c, F_OFD_SETLK, &fl));  // EAGAIN
    struct flock q {};
    q.l_type = F_RDLCK;
    q.l_whence = SEEK_SET;
    CALL(tr, fcntl(c, F_OFD_GETLK, &q));
    CALL(tr, q.l_type);
    fl.l_type = F_UNLCK;
    CALL(tr, fcntl(b, F_OFD_SETLK, &fl));
    fl.l_type = F_RDLCK;
    CALL(tr, fcntl(c, F_OFD_SETLK, &fl));
    CALL(tr, close(b));
    CALL(tr, close(c));
    int ro = CALL(tr, open(f.c_str(), O_RDONLY));
    fl.l_type = F_WRLCK;
    CALL(tr, fcntl(ro, F_OFD_SETLK, &fl));  // EBADF: not open for writing
    CALL(tr, close(ro));
  });
}

TEST_F(LocksAndMaps, ReadOnlyMappingsSeeTheFile) {
  differential([](const P& r, Trace& tr) {
    int fd = CALL(tr, open((r + "/f").c_str(), O_CREAT | O_RDWR, 0644));
    std::string data(5000, 'm');
    data += "tail";
    CALL(tr, write(fd, data.data(), data.size()));
    void* p = mmap(nullptr, data.size(), PROT_READ, MAP_PRIVATE, fd, 0);
    CALL(tr, p == MAP_FAILED ? -1 : 0);
    tr.note(std::string(static_cast<char*>(p) + 4998, 6));
    CALL(tr, munmap(p, data.size()));
    p = mmap(nullptr, 8, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 4096);
    CALL(tr, p == MAP_FAILED ? -1 : 0);
    static_cast<char*>(p)[0] = 'X';  // private: the file keeps its byte
    tr.note(std::string(static_cast<char*>(p), 8));
    CALL(tr, munmap(p, 8));
    char c = 0;
    CALL(tr, pread(fd, &c, 1, 4096));
    CALL(tr, c);
    p = mmap(nullptr, 8, PROT_READ, MAP_SHARED, fd, 1);
    CALL(tr, p == MAP_FAILED ? -1 : 0);  // EINVAL: offset not aligned
    CALL(tr, close(fd));
  });
}

TEST_F(LocksAndMaps, WritableSharedMappingsAreRefused) {
  int fd = open((mount_dir_ + "/f").c_str(), O_CREAT | O_RDWR, 0644);
  ASSERT_EQ(write(fd, "data", 4), 4);
  errno = 0;
  EXPECT_EQ(mmap(nullptr, 4, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0),
            MAP_FAILED);
  EXPECT_EQ(errno, ENODEV);
  void* p = mmap(nullptr, 4, PROT_READ, MAP_SHARED, fd, 0);
  ASSERT_NE(p, MAP_FAILED);
  EXPECT_EQ(std::memcmp(p, "data", 4), 0);
  munmap(p, 4);
  close(fd);
}

}  // namespace
}  // namespace memfs_test
