// How memfs streams report failures: badbit/failbit, the exception mask, the
// error code, and what is on the file after a failed flush.
//
// Faults come from a hook (support.hpp), so the same cases run on every
// backend; the real quota and lock_on_open cases use a MemoryFileSystem.
#include <chrono>
#include <cstddef>
#include <ios>
#include <string>

#include <gtest/gtest.h>

#include "memfs/memory_file_system.hpp"
#include "memfs/stream.hpp"
#include "support.hpp"

namespace memfs::test {
namespace {

using std::ios_base;

class StreamErrorTest : public BackendTest {};
MEMFS_INSTANTIATE_CONFORMANCE(StreamErrorTest);

const std::error_code kInjected = make_error_code(errc::injected_fault);

MemoryOptions small_quota(std::uint64_t bytes) {
  MemoryOptions options;
  options.max_quota = bytes;
  return options;
}

TEST(StreamQuotaTest, QuotaExhaustedMidStreamLeavesExactlyTheFlushedPrefix) {
  MemoryFileSystem fs(small_quota(100 * 1024));
  const std::string data = pattern(200 * 1024);
  ofstream out(fs, "/big");
  std::size_t accepted = 0;
  while (accepted < data.size() && out.put(data[accepted])) ++accepted;

  // The first full buffer (64 KiB) fit; flushing the second did not.
  EXPECT_TRUE(out.bad());
  EXPECT_EQ(accepted, 2 * kDefaultBufferSize);
  EXPECT_EQ(out.error(), errc::quota_exceeded);
  EXPECT_EQ(out.error(), std::errc::no_space_on_device);
  EXPECT_EQ(fs.read_file("/big"), data.substr(0, kDefaultBufferSize));
  EXPECT_EQ(fs.stats().used, kDefaultBufferSize);

  // Nothing accepted was dropped: with room again, a flush completes it.
  fs.set_quota(1 << 20);
  out.clear();
  EXPECT_TRUE(out.flush());
  EXPECT_EQ(fs.read_file("/big"), data.substr(0, accepted));
}

TEST(StreamQuotaTest, AWriteBiggerThanTheBufferFailsWholeAndLeavesNothing) {
  MemoryFileSystem fs(small_quota(100 * 1024));
  const std::string data = pattern(200 * 1024);
  ofstream out(fs, "/big");
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  EXPECT_TRUE(out.bad());
  EXPECT_EQ(out.error(), errc::quota_exceeded);
  EXPECT_EQ(fs.file_size("/big"), 0u);
  EXPECT_EQ(fs.stats().used, 0u);
}

TEST_P(StreamErrorTest,
       DiskFullMidStreamLeavesTheFlushedPrefixAndARetryFinishes) {
  const std::string data = pattern(200 * 1000);
  std::size_t accepted = 0;
  ofstream out(fs(), "/big");
  {
    ScopedHook hook(fs(), fail_writes_past(100 * 1000));
    while (accepted < data.size() && out.write(data.data() + accepted, 1000)) {
      accepted += 1000;
    }
    EXPECT_TRUE(out.bad());
    EXPECT_EQ(out.error(), std::errc::no_space_on_device);
    const std::string on_file = fs().read_file("/big");
    EXPECT_GT(on_file.size(), 0u);
    EXPECT_LE(on_file.size(), 100u * 1000);
    EXPECT_LT(on_file.size(), accepted);
    EXPECT_EQ(on_file, data.substr(0, on_file.size()));  // no garbage
  }
  out.clear();
  out.close();
  EXPECT_TRUE(out.good());
  EXPECT_EQ(fs().read_file("/big"), data.substr(0, accepted));
}

TEST_P(StreamErrorTest, ExceptionMaskThrowsAtTheFailingFlush) {
  ScopedHook hook(fs(),
                  fail_writes_past(10, make_error_code(errc::quota_exceeded)));
  ofstream out(fs(), "/f");
  out.exceptions(ios_base::badbit);
  const std::string chunk(kDefaultBufferSize, 'x');
  out.write(chunk.data(),
            static_cast<std::streamsize>(chunk.size()));  // buffered
  EXPECT_THROW(out.put('y'), ios_base::failure);  // the full buffer's flush
  EXPECT_TRUE(out.bad());
  EXPECT_EQ(out.error(), errc::quota_exceeded);
  EXPECT_EQ(fs().file_size("/f"), 0u);
}

TEST_P(StreamErrorTest, AFailedFlushKeepsTheBytesForARetry) {
  bool armed = true;
  ofstream out(fs(), "/f");
  ScopedHook hook(fs(), fail_while(Op::write, &armed, kInjected));
  out << "abc";
  EXPECT_FALSE(out.flush());
  EXPECT_TRUE(out.bad());
  EXPECT_EQ(out.error(), errc::injected_fault);
  EXPECT_EQ(out.error(), std::errc::io_error);
  EXPECT_EQ(fs().read_file("/f"), "");
  armed = false;
  out.clear();
  out << "def";
  EXPECT_TRUE(out.flush());
  EXPECT_EQ(fs().read_file("/f"), "abcdef");
}

TEST_P(StreamErrorTest, AFailingBackendFlushFailsTheStreamFlush) {
  ofstream out(fs(), "/f");
  ScopedHook hook(fs(), fail_always(Op::flush, kInjected));
  out << "abc";
  EXPECT_FALSE(out.flush());
  EXPECT_EQ(out.error(), errc::injected_fault);
  EXPECT_EQ(fs().read_file("/f"), "abc");  // the bytes themselves went out
}

TEST_P(StreamErrorTest, CloseWithAFailedFlushKeepsTheFileOpenForARetry) {
  bool armed = true;
  ofstream out(fs(), "/f");
  ScopedHook hook(fs(), fail_while(Op::write, &armed, kInjected));
  out << "abc";
  out.close();
  EXPECT_TRUE(out.fail());
  EXPECT_TRUE(out.is_open());
  armed = false;
  out.clear();
  out.close();
  EXPECT_TRUE(out.good());
  EXPECT_FALSE(out.is_open());
  EXPECT_EQ(fs().read_file("/f"), "abc");
}

TEST_P(StreamErrorTest, TheDestructorDropsWhatCannotBeWrittenAndCloses) {
  {
    ScopedHook hook(fs(), fail_always(Op::write, kInjected));  // outlives out
    ofstream out(fs(), "/f");
    out << "lost";
  }
  EXPECT_EQ(fs().read_file("/f"), "");
  EXPECT_TRUE(fs().open_handles().empty());
}

TEST_P(StreamErrorTest, AReadFaultSetsBadbitAndKeepsTheCode) {
  fs().write_file("/f", "12 34\nline\n");
  ScopedHook hook(fs(), fail_always(Op::read, kInjected));
  ifstream in(fs(), "/f");
  int x = 0;
  in >> x;
  EXPECT_TRUE(in.bad());
  EXPECT_EQ(in.error(), errc::injected_fault);

  ifstream lines(fs(), "/f");
  std::string line;
  EXPECT_FALSE(std::getline(lines, line));
  EXPECT_TRUE(lines.bad());
}

TEST_P(StreamErrorTest, AReadFaultThrowsTheCodeWhenTheMaskAsks) {
  fs().write_file("/f", "12");
  ScopedHook hook(fs(), fail_always(Op::read, kInjected));
  ifstream in(fs(), "/f");
  in.exceptions(ios_base::badbit);
  try {
    (void)in.get();
    FAIL() << "no exception";
  } catch (const ios_base::failure& e) {
    EXPECT_EQ(e.code(), errc::injected_fault);
  }
  EXPECT_TRUE(in.bad());
}

TEST_P(StreamErrorTest, ALockTimeoutWhileWritingIsResourceUnavailable) {
  ofstream out(fs(), "/f");
  ScopedHook hook(fs(),
                  fail_always(Op::write, make_error_code(errc::lock_timeout)));
  out << "x" << std::flush;
  EXPECT_TRUE(out.bad());
  EXPECT_EQ(out.error(), std::errc::resource_unavailable_try_again);
}

TEST_P(StreamErrorTest, ShortWritesAreRetriedUntilEverythingIsWritten) {
  const std::string data = pattern(100000);
  ScopedHook hook(fs(), short_writes(999));
  ofstream out(fs(), "/f");
  out.write(data.data(), 50);
  out.write(data.data() + 50, static_cast<std::streamsize>(data.size() - 50));
  out.close();
  EXPECT_TRUE(out.good());
  EXPECT_EQ(fs().read_file("/f"), data);
}

TEST_P(StreamErrorTest, WritingAReadOnlyStreamIsABadFileDescriptor) {
  fs().write_file("/f", "abc");
  fstream io(fs(), "/f", ios_base::in);
  io << "x" << std::flush;
  EXPECT_TRUE(io.bad());
  EXPECT_EQ(io.error(), std::errc::bad_file_descriptor);
  EXPECT_EQ(fs().read_file("/f"), "abc");
}

TEST(StreamLockTest, ALockTimeoutOnOpenFailsTheOpen) {
  MemoryOptions options;
  options.lock_on_open = true;
  options.default_lock_timeout = std::chrono::nanoseconds::zero();
  MemoryFileSystem fs(options);
  File holder = fs.open("/f", "w");
  ofstream out(fs, "/f");
  EXPECT_TRUE(out.fail());
  EXPECT_EQ(out.error(), errc::lock_timeout);
  ifstream in;
  in.exceptions(ios_base::failbit);
  EXPECT_THROW(in.open(fs, "/f"), ios_base::failure);
  EXPECT_EQ(in.error(), std::errc::resource_unavailable_try_again);
}

}  // namespace
}  // namespace memfs::test
