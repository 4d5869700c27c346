// Change times with the default clock (MemoryOptions::clock): coarse until a
// status() reads times, then precise for the next change; never backwards.
// tests/intercept/times_test.cpp compares the same rules with /dev/shm.
#include <chrono>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "memfs/memory_file_system.hpp"

namespace memfs {
namespace {

using ChangeTime = std::chrono::system_clock::time_point;

TEST(ChangeTimes, AChangeAfterAStatusAlwaysShows) {
  MemoryFileSystem fs;
  fs.write_file("/f", "a");
  fs.create_directories("/d");
  for (int i = 0; i < 2000; ++i) {
    const ChangeTime file_before = fs.status("/f").modified;
    File f = fs.open("/f", "a");
    ASSERT_EQ(f.write("x"), 1u);
    f.close();
    EXPECT_GT(fs.status("/f").modified, file_before) << "round " << i;
    const ChangeTime dir_before = fs.status("/d").modified;
    fs.write_file("/d/e" + std::to_string(i), "");
    EXPECT_GT(fs.status("/d").modified, dir_before) << "round " << i;
  }
}

TEST(ChangeTimes, AnUnreadChangeTakesTheCoarseClock) {
  MemoryFileSystem fs;
  int early = 0;
  for (int i = 0; i < 200; ++i) {
    fs.write_file("/burn", "x");  // takes the read the last status() left
    const ChangeTime t0 = std::chrono::system_clock::now();
    fs.write_file("/f", std::to_string(i));
    const ChangeTime t = fs.status("/f").modified;
    early += t < t0 ? 1 : 0;
    // Coarse is at most a tick behind: far less than a second.
    EXPECT_GT(t, t0 - std::chrono::seconds(1));
    EXPECT_LE(t, std::chrono::system_clock::now());
  }
  EXPECT_GT(early, 0) << "every unread change took the precise clock";
}

// Changes made one after another never get earlier times, whichever file
// they change and whether or not times were read between them.
TEST(ChangeTimes, TimesNeverGoBackwards) {
  MemoryFileSystem fs;
  std::mt19937 rng(7);
  std::vector<ChangeTime> last(4);
  ChangeTime latest{};
  for (int step = 0; step < 5000; ++step) {
    const auto i = static_cast<std::size_t>(rng() % last.size());
    const std::string path = "/f" + std::to_string(i);
    fs.write_file(path, std::to_string(step));
    if (rng() % 3 == 0) {
      const ChangeTime t = fs.status(path).modified;
      EXPECT_GE(t, last[i]) << "step " << step;
      EXPECT_GE(t, latest) << "step " << step;
      last[i] = t;
      latest = t;
    }
  }
}

// The root's times are change times too: a coarse change after the
// filesystem was made is not before the root was created.
TEST(ChangeTimes, NoDirectoryIsModifiedBeforeItWasCreated) {
  for (int i = 0; i < 20; ++i) {
    MemoryFileSystem fs;
    fs.create_directories("/d");
    fs.write_file("/d/f", "x");
    fs.write_file("/g", "x");
    for (const char* dir : {"/", "/d"}) {
      const FileStatus st = fs.status(dir);
      EXPECT_LE(st.created, st.modified) << dir << " round " << i;
    }
  }
}

// A time set to now by hand (utimensat(NULL), "touch") is not followed by
// a change with an earlier time; a time set in the future does not pull
// later changes along.
TEST(ChangeTimes, AChangeAfterATouchIsNotEarlier) {
  MemoryFileSystem fs;
  fs.write_file("/f", "a");
  for (int i = 0; i < 50; ++i) {
    const ChangeTime touched = std::chrono::system_clock::now();
    fs.set_modified("/f", touched);
    File f = fs.open("/f", "a");
    ASSERT_EQ(f.write("x"), 1u);
    f.close();
    EXPECT_GE(fs.status("/f").modified, touched) << "round " << i;
  }
  const ChangeTime future =
      std::chrono::system_clock::now() + std::chrono::hours(24);
  fs.set_modified("/f", future);
  fs.write_file("/g", "x");
  EXPECT_LT(fs.status("/g").modified, future - std::chrono::hours(23));
}

TEST(ChangeTimes, AManualClockGivesEveryChangeItsNow) {
  auto clock = std::make_shared<ManualClock>();
  MemoryOptions opts;
  opts.clock = clock;
  MemoryFileSystem fs(opts);
  const ChangeTime t = clock->now();
  fs.write_file("/f", "a");
  EXPECT_EQ(fs.status("/f").modified, t);
  clock->advance(std::chrono::nanoseconds(1));
  fs.write_file("/f", "b");
  EXPECT_EQ(fs.status("/f").modified, t + std::chrono::nanoseconds(1));
}

}  // namespace
}  // namespace memfs
