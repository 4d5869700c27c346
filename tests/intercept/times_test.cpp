// Setting times on a mount: utimensat, futimens, utime, utimes, futimes and
// std::filesystem::last_write_time(p, t) store the modified time, and stat
// reports it, as on /dev/shm.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include <utime.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "intercept/support.hpp"

namespace memfs_test {
namespace {

namespace stdfs = std::filesystem;

class Times : public InterceptTest {};

std::string mtime_of(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0)
    return std::string("stat failed errno=") + Trace::errno_name(errno);
  return "mtime " + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec);
}

TEST_F(Times, UtimensatAndTheOldSettersStoreTheModifiedTime) {
  differential([](const P& r, Trace& tr) {
    const std::string f = r + "/f", d = r + "/d";
    int fd = CALL(tr, open(f.c_str(), O_CREAT | O_RDWR, 0644));
    CALL(tr, write(fd, "data", 4));
    CALL(tr, mkdir(d.c_str(), 0755));
    struct timespec ts[2] = {{1000, 5}, {1234567890, 123456789}};
    CALL(tr, utimensat(AT_FDCWD, f.c_str(), ts, 0));
    tr.note(mtime_of(f));
    CALL(tr, utimensat(AT_FDCWD, d.c_str(), ts, 0));
    tr.note(mtime_of(d));
    struct timespec omit[2] = {{0, UTIME_OMIT}, {0, UTIME_OMIT}};
    CALL(tr, utimensat(AT_FDCWD, f.c_str(), omit, 0));
    tr.note(mtime_of(f));
    struct timespec later[2] = {{0, UTIME_OMIT}, {1500000000, 42}};
    CALL(tr, futimens(fd, later));
    tr.note(mtime_of(f));
    struct timeval tv[2] = {{10, 0}, {1600000000, 250000}};
    CALL(tr, utimes(f.c_str(), tv));
    tr.note(mtime_of(f));
    tv[1].tv_sec = 1650000000;
    CALL(tr, futimes(fd, tv));
    tr.note(mtime_of(f));
    struct utimbuf ub = {1, 1700000000};
    CALL(tr, utime(f.c_str(), &ub));
    tr.note(mtime_of(f));
    struct timespec bad[2] = {{0, 0}, {0, 1000000000}};
    CALL(tr, utimensat(AT_FDCWD, f.c_str(), bad, 0));  // EINVAL
    tv[1].tv_usec = 1000000;
    CALL(tr, utimes(f.c_str(), tv));                              // EINVAL
    CALL(tr, utimensat(AT_FDCWD, (r + "/nope").c_str(), ts, 0));  // ENOENT
    CALL(tr, utime((f + "/below").c_str(), &ub));                 // ENOTDIR
    tr.note(mtime_of(f));
    CALL(tr, close(fd));
  });
}

// "Now" (null times, UTIME_NOW) is a time after the call began, on both.
TEST_F(Times, NullTimesAndUtimeNowMeanNow) {
  std::string f = mount_dir_ + "/f";
  int fd = open(f.c_str(), O_CREAT | O_WRONLY, 0644);
  ASSERT_GE(fd, 0);
  struct timespec old[2] = {{0, 0}, {1000, 0}};
  ASSERT_EQ(futimens(fd, old), 0);
  auto before = std::chrono::system_clock::now();
  ASSERT_EQ(utimensat(AT_FDCWD, f.c_str(), nullptr, 0), 0);
  EXPECT_GE(fs_.status("/f").modified, before);
  ASSERT_EQ(futimens(fd, old), 0);
  struct timespec now[2] = {{0, UTIME_OMIT}, {0, UTIME_NOW}};
  ASSERT_EQ(futimens(fd, now), 0);
  EXPECT_GE(fs_.status("/f").modified, before);
  close(fd);
}

TEST_F(Times, LastWriteTimeRoundTripsThroughStdFilesystem) {
  differential([](const P& r, Trace& tr) {
    const std::string f = r + "/f";
    { std::ofstream(f) << "x"; }
    const auto t = stdfs::file_time_type::clock::now() - std::chrono::hours(30);
    std::error_code ec;
    stdfs::last_write_time(f, t, ec);
    tr.note("set " + ec.message());
    tr.note(std::string("round trip ") +
            (stdfs::last_write_time(f) == t ? "exact" : "differs"));
    stdfs::create_directory(r + "/d");
    stdfs::last_write_time(r + "/d", t, ec);
    tr.note(std::string("dir ") +
            (stdfs::last_write_time(r + "/d") == t ? "exact" : "differs"));
    stdfs::last_write_time(r + "/missing", t, ec);
    tr.note("missing " + ec.message());
  });
}

// Writes `text` over `path` as a program rewrites a file: open with
// O_TRUNC (a change), write (another), close.
bool rewrite_file(const std::string& path, const std::string& text) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return false;
  const bool ok =
      write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  return close(fd) == 0 && ok;
}

bool earlier_than(const timespec& a, const timespec& b) {
  return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

// Change times as Linux (6.13 and later) takes them, which memfs copies with
// its default clock (MemoryOptions::clock): a change made while nobody has
// read times since the last fine-grained one takes the coarse clock (the
// last tick), so it reports a time before a clock read made before it; the
// first change after a stat takes the precise time, so a stat, a change
// and a stat always see two times.
TEST_F(Times, ChangeTimesAreCoarseUntilAStatReadsThem) {
  differential([](const P& r, Trace& tr) {
    const std::string f = r + "/f", g = r + "/g";
    constexpr int kChangeRounds = 200;
    int seen = 0, early = 0, failed = 0;
    for (int i = 0; i < kChangeRounds; ++i) {
      struct stat a {
      }, b{}, c{};
      if (!rewrite_file(f, "a") || stat(f.c_str(), &a) != 0 ||
          !rewrite_file(f, "b") || stat(f.c_str(), &b) != 0) {
        ++failed;
        continue;
      }
      if (earlier_than(a.st_mtim, b.st_mtim)) ++seen;
      // g: one rewrite takes the read the stats above left; the next is
      // made unread, after t0.
      timespec t0{};
      if (!rewrite_file(g, "c") || clock_gettime(CLOCK_REALTIME, &t0) != 0 ||
          !rewrite_file(g, "d") || stat(g.c_str(), &c) != 0) {
        ++failed;
        continue;
      }
      if (earlier_than(c.st_mtim, t0)) ++early;
    }
    tr.note("failed calls: " + std::to_string(failed));
    tr.note(seen == kChangeRounds ? "every change after a stat was seen"
                                  : "a change after a stat went unseen");
    tr.note(early > 0 ? "unread changes can predate an earlier clock read"
                      : "no unread change predated an earlier clock read");
  });
}

}  // namespace
}  // namespace memfs_test
