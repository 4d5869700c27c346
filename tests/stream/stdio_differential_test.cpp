// memfs::fopen against a real FILE* on /dev/shm: the same stdio calls on both,
// every result, ftell, errno (when a call fails), ferror/feof and the file's
// bytes compared. Covers relative seeks after buffered writes, seeded random
// call sequences in every mode, "a+" reading from 0, glibc's lenient mode
// strings and fopen() of a directory.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "stream/stdio_twin.hpp"

#if MEMFS_HAS_FOPEN
namespace memfs::test {
namespace {

class StdioDifferentialTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    twin_ = std::make_unique<StdioTwin>(fs());
  }
  void TearDown() override {
    twin_.reset();  // closes its FILEs before the filesystem goes
    BackendTest::TearDown();
  }
  StdioTwin& twin() { return *twin_; }

 private:
  std::unique_ptr<StdioTwin> twin_;
};
MEMFS_INSTANTIATE_CONFORMANCE(StdioDifferentialTest);

TEST_P(StdioDifferentialTest, RelativeSeekAfterBufferedWritesLandsLikeGlibc) {
  twin().create("f", pattern(100000));
  ASSERT_TRUE(same(twin().open("f", "r+")));
  EXPECT_TRUE(same(twin().call("fseek 1000", fseek_of(1000, SEEK_SET))));
  EXPECT_TRUE(
      same(twin().call("fwrite 100", fwrite_of(std::string(100, 'A')))));
  EXPECT_TRUE(same(twin().call("fseek 50000", fseek_of(50000, SEEK_SET))));
  EXPECT_TRUE(same(twin().call("fwrite 6", fwrite_of("BBBBBB"))));
  EXPECT_TRUE(same(twin().call("fseek +10 cur", fseek_of(10, SEEK_CUR))));
  EXPECT_TRUE(same(twin().call("ftell", ftell_call())));  // 50016
  EXPECT_TRUE(same(twin().call("fputc Z", fputc_of('Z'))));
  EXPECT_TRUE(same(twin().call("fseek -3 cur", fseek_of(-3, SEEK_CUR))));
  EXPECT_TRUE(same(twin().call("fgetc", fgetc_call())));
  EXPECT_TRUE(same(twin().close()));
  EXPECT_TRUE(same(twin().compare_contents("f")));
}

TEST_P(StdioDifferentialTest, RandomCallSequencesMatchARealFileInEveryMode) {
  for (const char* mode : {"r+", "w+", "a+", "r", "w", "a"}) {
    for (std::uint64_t seed = 1; seed <= 4; ++seed) {
      const std::string d = random_sequence(twin(), mode, seed, 1500);
      ASSERT_TRUE(same(d));
    }
  }
}

TEST_P(StdioDifferentialTest, APlusReadsFromTheStartAndWritesAtTheEnd) {
  twin().create("f", "0123456789");
  ASSERT_TRUE(same(twin().open("f", "a+")));
  EXPECT_TRUE(same(twin().call("ftell", ftell_call())));  // 0
  EXPECT_TRUE(same(twin().call("fread 4", fread_of(4))));
  EXPECT_TRUE(same(twin().call("fwrite", fwrite_of("ab"))));
  EXPECT_TRUE(same(twin().call("ftell", ftell_call())));
  EXPECT_TRUE(same(twin().call("fseek 2", fseek_of(2, SEEK_SET))));
  EXPECT_TRUE(same(twin().call("fgetc", fgetc_call())));
  EXPECT_TRUE(same(twin().call("fputc", fputc_of('c'))));
  EXPECT_TRUE(same(twin().call("ftell", ftell_call())));
  EXPECT_TRUE(same(twin().call("fread 20", fread_of(20))));
  EXPECT_TRUE(same(twin().close()));
  EXPECT_TRUE(same(twin().compare_contents("f")));
  ASSERT_TRUE(same(twin().open("f", "a")));
  EXPECT_TRUE(
      same(twin().call("ftell", ftell_call())));  // "a" starts at the end
  EXPECT_TRUE(same(twin().close()));
}

TEST_P(StdioDifferentialTest, ModeStringsAreReadLikeGlibc) {
  // glibc looks at the first letter and the next six characters, counts
  // '+', 'x' and 'b' among them, and ignores anything else.
  for (const char* mode :
       {"r",       "rw",       "rx",  "r+x", "r+++", "rb+", "r+b", "rz+",
        "rbbbbb+", "rbbbbbb+", "re",  "rm",  "rc",   "rbe", "w",   "wxx",
        "wx",      "wbx",      "w+x", "wr",  "a",    "ax",  "a+x", "ab+",
        "xw",      "+r",       "",    "z",   "R",    " r"}) {
    SCOPED_TRACE(std::string("mode \"") + mode + "\"");
    for (const char* name : {"old", "new"}) {
      twin().create("old", "old contents");
      std::error_code ignored;
      fs().remove("/new", ignored);
      std::remove(twin().host("new").c_str());
      ASSERT_TRUE(same(twin().open(name, mode)));
      if (twin().is_open()) {
        EXPECT_TRUE(same(twin().call("fgetc", fgetc_call())));
        EXPECT_TRUE(same(twin().call("fputc", fputc_of('!'))));
        EXPECT_TRUE(same(twin().call("ftell", ftell_call())));
      }
      EXPECT_TRUE(same(twin().close()));
      EXPECT_TRUE(same(twin().compare_contents(name)));
    }
  }
}

TEST_P(StdioDifferentialTest, ADirectoryOpensForReadingAndReadsFailEisdir) {
  ASSERT_TRUE(std::filesystem::create_directory(twin().host("dir")));
  fs().create_directory("/dir");
  for (const char* mode : {"r+", "w", "a", "a+", "w+", "wx"}) {
    EXPECT_TRUE(same(twin().open("dir", mode)));
  }
  for (const char* mode : {"r", "rb", "re", "rx", "rw"}) {
    ASSERT_TRUE(same(twin().open("dir", mode)));
    ASSERT_TRUE(twin().is_open()) << mode;
    EXPECT_TRUE(same(twin().call("ftell", ftell_call())));
    EXPECT_TRUE(same(twin().call("fread 10", fread_of(10))));
    EXPECT_TRUE(same(twin().call("fgetc", fgetc_call())));
    EXPECT_TRUE(same(twin().call("clearerr", clearerr_call())));
    EXPECT_TRUE(same(twin().call("fgetc", fgetc_call())));
    EXPECT_TRUE(same(twin().call("fseek set 5", fseek_of(5, SEEK_SET))));
    EXPECT_TRUE(same(twin().call("fseek cur 3", fseek_of(3, SEEK_CUR))));
    EXPECT_TRUE(same(twin().call("ftell", ftell_call())));
    EXPECT_TRUE(same(twin().call("fseek end", fseek_of(0, SEEK_END))));
    EXPECT_TRUE(same(twin().call("fseek -1", fseek_of(-1, SEEK_SET))));
    EXPECT_TRUE(same(twin().call("fseek cur -100", fseek_of(-100, SEEK_CUR))));
    EXPECT_TRUE(same(twin().call("ungetc", ungetc_of('x'))));
    EXPECT_TRUE(same(twin().call("fgetc", fgetc_call())));
    EXPECT_TRUE(same(twin().call("fgetc", fgetc_call())));
    EXPECT_TRUE(same(twin().call("fputc", fputc_of('a'))));
    EXPECT_TRUE(same(twin().call("fflush", fflush_call())));
    EXPECT_TRUE(same(twin().close()));
  }
}

}  // namespace
}  // namespace memfs::test
#endif  // MEMFS_HAS_FOPEN
