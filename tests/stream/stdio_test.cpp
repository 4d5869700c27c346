// memfs::fopen: a real FILE* on memfs — stdio calls, modes, errno values.
#include "memfs/stdio.hpp"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <system_error>

#include <gtest/gtest.h>

#include "memfs/memory_file_system.hpp"
#include "support.hpp"

namespace memfs::test {
namespace {

#ifdef __GLIBC__
static_assert(MEMFS_HAS_FOPEN == 1, "glibc has fopencookie");
#endif

TEST(ToErrnoTest, MapsMemfsCodesToTheirNearestErrno) {
  EXPECT_EQ(to_errno({}), 0);
  EXPECT_EQ(to_errno(errc::quota_exceeded), ENOSPC);
  EXPECT_EQ(to_errno(errc::node_limit_exceeded), ENOSPC);
  EXPECT_EQ(to_errno(errc::lock_timeout), EAGAIN);
  EXPECT_EQ(to_errno(errc::injected_fault), EIO);
  EXPECT_EQ(to_errno(errc::memory_guard), ENOMEM);
  EXPECT_EQ(to_errno(std::make_error_code(std::errc::file_exists)), EEXIST);
  EXPECT_EQ(to_errno(std::error_code(EROFS, std::system_category())), EROFS);
  EXPECT_EQ(to_errno(std::make_error_code(std::io_errc::stream)), EIO);
}

#if MEMFS_HAS_FOPEN
class StdioTest : public BackendTest {
 protected:
  // Opens or fails the test.
  std::FILE* open(const char* path, const char* mode) {
    std::FILE* f = memfs::fopen(fs(), path, mode);
    EXPECT_NE(f, nullptr) << path << " " << mode << ": "
                          << std::strerror(errno);
    return f;
  }
  // The errno of a failing fopen (0 if it succeeded).
  int open_errno(const char* path, const char* mode) {
    errno = 0;
    std::FILE* f = memfs::fopen(fs(), path, mode);
    if (f == nullptr) return errno;
    std::fclose(f);
    return 0;
  }
};
MEMFS_INSTANTIATE_CONFORMANCE(StdioTest);

TEST_P(StdioTest, FwriteThenFreadRoundTrips) {
  const std::string data = pattern(50000);
  std::FILE* w = open("/f", "wb");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(std::fwrite(data.data(), 1, data.size(), w), data.size());
  EXPECT_EQ(std::fclose(w), 0);
  EXPECT_EQ(fs().read_file("/f"), data);

  std::FILE* r = open("/f", "rb");
  ASSERT_NE(r, nullptr);
  std::string back(data.size() + 10, '\0');
  EXPECT_EQ(std::fread(back.data(), 1, back.size(), r), data.size());
  EXPECT_TRUE(std::feof(r));
  EXPECT_FALSE(std::ferror(r));
  back.resize(data.size());
  EXPECT_EQ(back, data);
  EXPECT_EQ(std::fclose(r), 0);
}

TEST_P(StdioTest, FprintfFflushAndFgets) {
  std::FILE* f = open("/f", "w+");
  ASSERT_NE(f, nullptr);
  std::fprintf(f, "%s=%d\n", "answer", 42);
  EXPECT_EQ(std::fflush(f), 0);
  EXPECT_EQ(fs().read_file("/f"), "answer=42\n");  // visible before fclose
  std::rewind(f);
  char line[32];
  ASSERT_NE(std::fgets(line, sizeof line, f), nullptr);
  EXPECT_STREQ(line, "answer=42\n");
  EXPECT_EQ(std::fgets(line, sizeof line, f), nullptr);
  EXPECT_TRUE(std::feof(f));
  EXPECT_EQ(std::fclose(f), 0);
}

TEST_P(StdioTest, FseekAndFtellFromEveryOrigin) {
  fs().write_file("/f", "0123456789");
  std::FILE* f = open("/f", "r+");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(std::fseek(f, 3, SEEK_SET), 0);
  EXPECT_EQ(std::fgetc(f), '3');
  EXPECT_EQ(std::ftell(f), 4);
  EXPECT_EQ(std::fseek(f, 2, SEEK_CUR), 0);
  EXPECT_EQ(std::fgetc(f), '6');
  EXPECT_EQ(std::fseek(f, -1, SEEK_END), 0);
  EXPECT_EQ(std::fgetc(f), '9');
  EXPECT_EQ(std::fseek(f, 12, SEEK_SET), 0);  // past the end
  std::fputs("X", f);
  EXPECT_EQ(std::fseek(f, -100, SEEK_CUR), -1);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(std::fclose(f), 0);
  EXPECT_EQ(fs().read_file("/f"), std::string("0123456789\0\0X", 13));
}

TEST_P(StdioTest, AppendModesStartAtTheEndAndAlwaysWriteThere) {
  fs().write_file("/f", "abc");
  std::FILE* a = open("/f", "a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(std::ftell(a), 3);
  std::fputs("d", a);
  EXPECT_EQ(std::fclose(a), 0);

  std::FILE* ap = open("/f", "a+");
  ASSERT_NE(ap, nullptr);
  std::rewind(ap);
  EXPECT_EQ(std::fgetc(ap), 'a');
  std::fputs("e", ap);  // still at the end
  EXPECT_EQ(std::fclose(ap), 0);
  EXPECT_EQ(fs().read_file("/f"), "abcde");
}

TEST_P(StdioTest, ModesTruncateCreateAndAcceptGlibcLetters) {
  fs().write_file("/f", "old");
  std::FILE* f = open("/f", "w+e");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(std::fclose(f), 0);
  EXPECT_EQ(fs().read_file("/f"), "");
  for (const char* mode : {"r", "rb", "r+b", "rb+", "re", "rm"}) {
    std::FILE* g = open("/f", mode);
    ASSERT_NE(g, nullptr) << mode;
    std::fclose(g);
  }
}

TEST_P(StdioTest, FailedOpensSetErrno) {
  fs().write_file("/file", "x");
  fs().create_directory("/dir");
  EXPECT_EQ(open_errno("/missing", "r"), ENOENT);
  EXPECT_EQ(open_errno("/no/such/dir", "w"), ENOENT);
  EXPECT_EQ(open_errno("/dir", "r+"), EISDIR);
  EXPECT_EQ(open_errno("/dir", "w"), EISDIR);
  EXPECT_EQ(open_errno("/file", "wx"), EEXIST);
  EXPECT_EQ(open_errno("/file", "wxx"), EEXIST);
  EXPECT_EQ(open_errno("/file", "z"), EINVAL);
  EXPECT_EQ(open_errno("/file", "+r"), EINVAL);
  EXPECT_EQ(open_errno("/file", "r,ccs=UTF-8"), EINVAL);
  EXPECT_EQ(open_errno("/file", ""), EINVAL);
  errno = 0;
  EXPECT_EQ(memfs::fopen(fs(), "/file", nullptr), nullptr);
  EXPECT_EQ(errno, EINVAL);
}

TEST_P(StdioTest, AFullDiskSetsFerrorAndEnospc) {
  ScopedHook hook(fs(), fail_writes_past(1000));
  std::FILE* f = open("/f", "w");
  ASSERT_NE(f, nullptr);
  const std::string data = pattern(5000);
  errno = 0;
  const std::size_t n = std::fwrite(data.data(), 1, data.size(), f);
  const int flushed = std::fflush(f);
  EXPECT_TRUE(n < data.size() || flushed == EOF);
  EXPECT_TRUE(std::ferror(f));
  EXPECT_EQ(errno, ENOSPC);
  std::fclose(f);
  const std::string on_file = fs().read_file("/f");
  EXPECT_LE(on_file.size(), 1000u);
  EXPECT_EQ(on_file, data.substr(0, on_file.size()));
}

TEST_P(StdioTest, InjectedFaultsSetFerrorAndEio) {
  fs().write_file("/f", "abc");
  {
    ScopedHook hook(
        fs(), fail_always(Op::read, make_error_code(errc::injected_fault)));
    std::FILE* f = open("/f", "r");
    ASSERT_NE(f, nullptr);
    char buffer[4];
    errno = 0;
    EXPECT_EQ(std::fread(buffer, 1, sizeof buffer, f), 0u);
    EXPECT_TRUE(std::ferror(f));
    EXPECT_EQ(errno, EIO);
    std::fclose(f);
  }
  ScopedHook hook(fs(),
                  fail_always(Op::write, make_error_code(errc::lock_timeout)));
  std::FILE* f = open("/f", "w");
  ASSERT_NE(f, nullptr);
  std::fputs("x", f);
  errno = 0;
  EXPECT_EQ(std::fflush(f), EOF);
  EXPECT_TRUE(std::ferror(f));
  EXPECT_EQ(errno, EAGAIN);
  std::fclose(f);
}

TEST_P(StdioTest, AFailingCloseReportsEofButReleasesTheFile) {
  std::FILE* f = open("/f", "w");
  ASSERT_NE(f, nullptr);
  std::fputs("kept", f);
  ScopedHook hook(
      fs(), fail_always(Op::close, make_error_code(errc::injected_fault)));
  errno = 0;
  EXPECT_EQ(std::fclose(f), EOF);
  EXPECT_EQ(errno, EIO);
  EXPECT_TRUE(fs().open_handles().empty());
  EXPECT_EQ(fs().read_file("/f"), "kept");
}

TEST_P(StdioTest, ShortBackendWritesAreReportedByStdio) {
  ScopedHook hook(fs(), short_writes(10));
  std::FILE* f = open("/f", "w");
  ASSERT_NE(f, nullptr);
  const std::string data = pattern(100);
  std::fwrite(data.data(), 1, data.size(), f);
  EXPECT_EQ(std::fflush(f), EOF);  // glibc: a short write is an error
  EXPECT_TRUE(std::ferror(f));
  std::fclose(f);
  EXPECT_EQ(fs().read_file("/f"), data.substr(0, 10));
}

TEST(StdioLockTest, ALockTimeoutOnOpenIsEagain) {
  MemoryOptions options;
  options.lock_on_open = true;
  options.default_lock_timeout = std::chrono::nanoseconds::zero();
  MemoryFileSystem fs(options);
  File holder = fs.open("/f", "w");
  errno = 0;
  EXPECT_EQ(memfs::fopen(fs, "/f", "r"), nullptr);
  EXPECT_EQ(errno, EAGAIN);
}

TEST(StdioQuotaTest, QuotaExhaustionIsEnospcAndTheFileHoldsWhatFit) {
  MemoryOptions options;
  options.max_quota = 10000;
  MemoryFileSystem fs(options);
  std::FILE* f = memfs::fopen(fs, "/f", "w");
  ASSERT_NE(f, nullptr);
  const std::string data = pattern(30000);
  errno = 0;
  const std::size_t n = std::fwrite(data.data(), 1, data.size(), f);
  EXPECT_LT(n, data.size());
  EXPECT_TRUE(std::ferror(f));
  EXPECT_EQ(errno, ENOSPC);
  std::fclose(f);
  const std::string on_file = fs.read_file("/f");
  EXPECT_LE(on_file.size(), 10000u);
  EXPECT_EQ(on_file, data.substr(0, on_file.size()));
  EXPECT_EQ(fs.stats().used, on_file.size());
}
#endif  // MEMFS_HAS_FOPEN

}  // namespace
}  // namespace memfs::test
