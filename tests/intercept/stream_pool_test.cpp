// Mounted streams whose FILE is kept after fclose for the next mounted
// fopen (wrap_stdio.cpp): what one stream did — its mode, its error and
// end-of-file indicators, a buffer of the program's, pushed-back bytes —
// never reaches the next, fflush(NULL) passes over idle ones, and threads
// opening and closing streams at once each get a FILE of their own.
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "intercept/support.hpp"

namespace memfs_test {
namespace {

class StreamPool : public InterceptTest {};

// The state of a fresh stream, as seen through the public API.
void record_fresh(Trace& tr, const std::string& what, FILE* fp) {
  CALL(tr, ferror(fp));
  CALL(tr, feof(fp));
  CALL(tr, ftell(fp));
  tr.note(what + (fileno(fp) >= 0 ? " has a descriptor" : " has none"));
}

TEST_F(StreamPool, AClosedStreamsIndicatorsAndModeNeverReachTheNext) {
  differential([](const P& r, Trace& tr) {
    const P f = r + "/f.txt";
    FILE* fp = tr.rec_ptr("create", std::fopen(f.c_str(), "w"));
    CALL(tr, fclose(fp));
    // Each mode after each other: a read-only stream written to and a
    // write-only one read from set their error indicator (no buffer is made
    // for it), and the next stream, in another mode, starts clean.
    const char* modes[] = {"r", "w", "a", "r+", "w+", "a+", "rb", "ab"};
    for (const char* first : modes) {
      for (const char* second : modes) {
        const std::string pair = std::string(first) + " then " + second;
        fp = tr.rec_ptr(pair, std::fopen(f.c_str(), first));
        CALL(tr, fputc('x', fp) == EOF ? 1 : 0);
        CALL(tr, fgetc(fp));
        CALL(tr, ferror(fp));
        CALL(tr, fclose(fp));
        fp = tr.rec_ptr(pair, std::fopen(f.c_str(), second));
        record_fresh(tr, pair, fp);
        CALL(tr, fputs("ab", fp));
        CALL(tr, fflush(fp));
        CALL(tr, fseek(fp, 0, SEEK_SET));
        CALL(tr, fgetc(fp));
        CALL(tr, ferror(fp));
        CALL(tr, fclose(fp));
      }
    }
  });
}

TEST_F(StreamPool,
       ABufferPushedBackBytesAndTheErrorIndicatorStayWithTheirStream) {
  differential([](const P& r, Trace& tr) {
    const P f = r + "/f.txt";
    FILE* fp = tr.rec_ptr("create", std::fopen(f.c_str(), "w"));
    CALL(tr, fputs("abc", fp));
    CALL(tr, fclose(fp));
    for (int round = 0; round < 3; ++round) {
      {  // a buffer of the program's, gone after fclose
        std::vector<char> buffer(64, '#');
        fp = tr.rec_ptr("w", std::fopen(f.c_str(), "w"));
        CALL(tr, setvbuf(fp, buffer.data(), _IOFBF, buffer.size()));
        CALL(tr, fputs("def", fp));
        CALL(tr, fclose(fp));
      }
      fp = tr.rec_ptr("r+", std::fopen(f.c_str(), "r+"));
      record_fresh(tr, "after a buffer of the program's", fp);
      CALL(tr, ungetc('z', fp));  // pushed back before any read
      CALL(tr, fgetc(fp));
      CALL(tr, fclose(fp));
      fp = tr.rec_ptr("r", std::fopen(f.c_str(), "r"));
      record_fresh(tr, "after ungetc", fp);
      CALL(tr, fgetc(fp));
      CALL(tr, fgetc(fp));
      CALL(tr, fgetc(fp));
      CALL(tr, fgetc(fp));  // end of file
      CALL(tr, feof(fp));
      CALL(tr, fclose(fp));
      fp = tr.rec_ptr("a+", std::fopen(f.c_str(), "a+"));
      record_fresh(tr, "after end of file", fp);
      CALL(tr, fgetc(fp));
      CALL(tr, setvbuf(fp, nullptr, _IONBF, 0));
      CALL(tr, fclose(fp));
    }
  });
}

TEST_F(StreamPool, FflushOfAllStreamsPassesOverIdleOnes) {
  for (int i = 0; i < 8; ++i) {  // streams that stdio never read or wrote
    std::ofstream(mount_dir_ + "/idle" + std::to_string(i)) << "";
    std::ifstream in(mount_dir_ + "/idle" + std::to_string(i));
    ASSERT_TRUE(in.is_open()) << i;
  }
  FILE* fp = std::fopen((mount_dir_ + "/out").c_str(), "w");
  ASSERT_NE(fp, nullptr);
  ASSERT_EQ(std::fputs("pending", fp), 1);
  EXPECT_EQ(fs_.read_file("/out"), "");
  EXPECT_EQ(std::fflush(nullptr), 0);
  EXPECT_EQ(fs_.read_file("/out"), "pending");
  EXPECT_EQ(std::fclose(fp), 0);
  for (int i = 0; i < 8; ++i)
    EXPECT_EQ(fs_.read_file("/idle" + std::to_string(i)), "") << i;
  EXPECT_EQ(fs_.stats().open_handles, 0u);
}

TEST_F(StreamPool, ThreadsOpeningAndClosingStreamsGetOneEach) {
  constexpr int kThreads = 4;
  constexpr int kRounds = 300;
  std::atomic<int> bad{0};
  std::atomic<bool> stop{false};
  // fflush(NULL) walks every stream, idle ones included, meanwhile.
  std::thread flusher([&] {
    while (!stop.load())
      if (std::fflush(nullptr) != 0) ++bad;
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string path = mount_dir_ + "/t" + std::to_string(t);
      for (int n = 0; n < kRounds; ++n) {
        const std::string text = std::to_string(t) + ":" + std::to_string(n);
        if (n % 2 == 0) {  // through libstdc++: the FILE is kept
          std::ofstream(path, std::ios::binary) << text;
        } else {  // through stdio, unbuffered: glibc's fclose frees it
          // (Unbuffered, so that the flusher never writes a stream out for
          // its thread: stdio's own lock, which orders the two, is inside
          // glibc, where ThreadSanitizer does not see it.)
          FILE* fp = std::fopen(path.c_str(), "w");
          if (fp == nullptr || std::setvbuf(fp, nullptr, _IONBF, 0) != 0 ||
              std::fputs(text.c_str(), fp) < 0 || std::fclose(fp) != 0)
            ++bad;
        }
        std::ifstream in(path, std::ios::binary);
        const std::string got(std::istreambuf_iterator<char>(in), {});
        if (got != text) ++bad;
      }
    });
  }
  for (auto& th : threads) th.join();
  stop = true;
  flusher.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(fs_.stats().open_handles, 0u);
}

}  // namespace
}  // namespace memfs_test
