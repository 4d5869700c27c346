// Conformance: File — reads and writes at the cursor and at offsets, seeking,
// zero-filling, append, truncate, and the errors of closed and wrong-mode
// handles.
#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include "backend.hpp"
#include "test_util.hpp"

namespace memfs::test {
namespace {

class HandleIoTest : public BackendTest {
 protected:
  // Creates `path` holding `data` and opens it in `mode`.
  File open_with(const std::string& path, const std::string& data,
                 OpenMode mode) {
    fs().write_file(path, data);
    return fs().open(path, mode);
  }
};
MEMFS_INSTANTIATE_CONFORMANCE(HandleIoTest);

TEST_P(HandleIoTest, ReadsReturnConsecutivePartsThenNothing) {
  File f = open_with("/f", "hello world", "r");
  EXPECT_EQ(f.read(5), "hello");
  EXPECT_EQ(f.read(6), " world");
  EXPECT_EQ(f.tell(), 11u);
  EXPECT_EQ(f.read(10), "");
  EXPECT_EQ(f.read(0), "");
}

TEST_P(HandleIoTest, AShortReadHappensOnlyAtTheEnd) {
  File f = open_with("/f", "abcdef", "r");
  char buf[4] = {};
  EXPECT_EQ(f.read(buf, sizeof buf), 4u);
  EXPECT_EQ(std::string(buf, 4), "abcd");
  EXPECT_EQ(f.read(buf, sizeof buf), 2u);
  EXPECT_EQ(std::string(buf, 2), "ef");
  EXPECT_EQ(f.read(buf, sizeof buf), 0u);
}

TEST_P(HandleIoTest, ReadingAnEmptyFileGivesNothing) {
  File f = open_with("/f", "", "r");
  EXPECT_EQ(f.read_all(), "");
  EXPECT_EQ(f.size(), 0u);
}

TEST_P(HandleIoTest, WritesAccumulateAndMoveTheCursor) {
  File f = fs().open("/f", "w+");
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(f.write(std::string(100, static_cast<char>('0' + i))), 100u);
  }
  EXPECT_EQ(f.tell(), 1000u);
  EXPECT_EQ(f.size(), 1000u);
  f.seek(150);
  EXPECT_EQ(f.read(100), std::string(50, '1') + std::string(50, '2'));
}

TEST_P(HandleIoTest, BinaryDataRoundTrips) {
  std::string data;
  for (int i = 0; i < 512; ++i) data += static_cast<char>(i % 256);
  File f = fs().open("/bin", "w+b");
  EXPECT_EQ(f.write(data.data(), data.size()), data.size());
  f.seek(0);
  EXPECT_EQ(f.read_all(), data);
}

TEST_P(HandleIoTest, AnEmptyWriteChangesNothing) {
  File f = open_with("/f", "abc", "r+");
  EXPECT_EQ(f.write(""), 0u);
  EXPECT_EQ(f.tell(), 0u);
  EXPECT_EQ(f.size(), 3u);
}

TEST_P(HandleIoTest, PreadAndPwriteDoNotMoveTheCursor) {
  File f = open_with("/f", "0123456789", "r+");
  f.seek(2);
  char buf[3] = {};
  EXPECT_EQ(f.pread(5, buf, 3), 3u);
  EXPECT_EQ(std::string(buf, 3), "567");
  EXPECT_EQ(f.pwrite(0, "ab"), 2u);
  EXPECT_EQ(f.tell(), 2u);
  EXPECT_EQ(f.read(2), "23");
  EXPECT_EQ(fs().read_file("/f"), "ab23456789");
}

TEST_P(HandleIoTest, PreadAtOrPastTheEndReturnsZero) {
  File f = open_with("/f", "abc", "r");
  char buf[8] = {};
  EXPECT_EQ(f.pread(1, buf, 8), 2u);
  EXPECT_EQ(f.pread(3, buf, 8), 0u);
  EXPECT_EQ(f.pread(1000, buf, 8), 0u);
}

TEST_P(HandleIoTest, PwritePastTheEndZeroFills) {
  File f = open_with("/f", "ab", "r+");
  EXPECT_EQ(f.pwrite(5, "Z"), 1u);
  EXPECT_EQ(fs().read_file("/f"), std::string("ab\0\0\0Z", 6));
}

TEST_P(HandleIoTest, PwriteInAppendModeWritesAtTheOffset) {
  File f = open_with("/f", "hello", "a");
  EXPECT_EQ(f.pwrite(0, "J"), 1u);
  EXPECT_EQ(fs().read_file("/f"), "Jello");
}

TEST_P(HandleIoTest, SeekFromStartCurrentAndEnd) {
  File f = open_with("/f", "hello world", "r");
  EXPECT_EQ(f.read(3), "hel");
  EXPECT_EQ(f.seek(3, Whence::cur), 6u);
  EXPECT_EQ(f.read_all(), "world");
  EXPECT_EQ(f.seek(-5, Whence::end), 6u);
  EXPECT_EQ(f.tell(), 6u);
  EXPECT_EQ(f.seek(2, Whence::set), 2u);
  EXPECT_EQ(f.seek(-2, Whence::cur), 0u);
  EXPECT_EQ(f.seek(0, Whence::end), 11u);
}

TEST_P(HandleIoTest, SeekingPastTheEndIsAllowedAndReadsNothing) {
  File f = open_with("/f", "hello", "r");
  EXPECT_EQ(f.seek(100), 100u);
  EXPECT_EQ(f.read(10), "");
  EXPECT_EQ(f.tell(), 100u);
  EXPECT_EQ(f.seek(4, Whence::end), 9u);
  EXPECT_EQ(f.seek(1, Whence::cur), 10u);
  EXPECT_EQ(f.size(), 5u);  // seeking alone never grows the file
}

TEST_P(HandleIoTest, ANegativeResultingPositionIsInvalidArgument) {
  File f = open_with("/f", "hello", "r");
  f.seek(2);
  EXPECT_THAT(ec_of([&](auto& ec) { f.seek(-1, Whence::set, ec); }),
              IsErr(std::errc::invalid_argument));
  EXPECT_THAT(ec_of([&](auto& ec) { f.seek(-3, Whence::cur, ec); }),
              IsErr(std::errc::invalid_argument));
  EXPECT_THAT(ec_of([&](auto& ec) { f.seek(-6, Whence::end, ec); }),
              IsErr(std::errc::invalid_argument));
  EXPECT_THAT(ec_of([&](auto& ec) {
                f.seek(std::numeric_limits<std::int64_t>::min(), Whence::end,
                       ec);
              }),
              IsErr(std::errc::invalid_argument));
  EXPECT_EQ(f.tell(), 2u);  // failed seeks leave the cursor alone
  EXPECT_THROW(f.seek(-1), filesystem_error);
  EXPECT_EQ(f.tell(), 2u);
}

TEST_P(HandleIoTest, WritingPastTheEndZeroFillsTheGap) {
  File f = open_with("/f", "0123456789", "r+");
  f.seek(15);
  EXPECT_EQ(f.write("Z"), 1u);
  EXPECT_EQ(f.size(), 16u);
  EXPECT_EQ(f.tell(), 16u);
  EXPECT_EQ(fs().read_file("/f"), "0123456789" + std::string(5, '\0') + "Z");
}

TEST_P(HandleIoTest, AppendWritesAtTheEndEvenAfterASeek) {
  File f = open_with("/log", "hello", "a");
  f.seek(0);
  EXPECT_EQ(f.write("X"), 1u);
  EXPECT_EQ(f.tell(), 6u);
  f.seek(2);
  EXPECT_EQ(f.write("Y"), 1u);
  EXPECT_EQ(fs().read_file("/log"), "helloXY");
}

TEST_P(HandleIoTest, AppendFollowsDataWrittenThroughAnotherHandle) {
  File log = open_with("/log", "a", "a");
  File other = fs().open("/log", "r+");
  EXPECT_EQ(other.pwrite(1, "bcd"), 3u);
  EXPECT_EQ(log.write("e"), 1u);
  EXPECT_EQ(fs().read_file("/log"), "abcde");
}

TEST_P(HandleIoTest, TruncateShrinksWithoutMovingTheCursor) {
  File f = open_with("/f", "abcdef", "r+");
  f.seek(6);
  f.truncate(3);
  EXPECT_EQ(f.size(), 3u);
  EXPECT_EQ(f.tell(), 6u);
  EXPECT_EQ(fs().read_file("/f"), "abc");
  EXPECT_EQ(f.write("X"),
            1u);  // the cursor is past the end: the gap is zero-filled
  EXPECT_EQ(fs().read_file("/f"), std::string("abc\0\0\0X", 7));
}

TEST_P(HandleIoTest, TruncateGrowsWithZeros) {
  File f = open_with("/f", "hello", "r+");
  f.truncate(10);
  EXPECT_EQ(f.size(), 10u);
  EXPECT_EQ(f.tell(), 0u);
  EXPECT_EQ(fs().read_file("/f"), "hello" + std::string(5, '\0'));
  f.truncate(0);
  EXPECT_EQ(fs().read_file("/f"), "");
}

TEST_P(HandleIoTest, SizeSeesWritesThroughOtherHandles) {
  File reader = open_with("/f", "abc", "r");
  File writer = fs().open("/f", "a");
  EXPECT_EQ(writer.write("defg"), 4u);
  EXPECT_EQ(reader.size(), 7u);
  EXPECT_EQ(reader.read_all(), "abcdefg");
}

TEST_P(HandleIoTest, FlushAndSyncSucceed) {
  File f = fs().open("/f", "w");
  EXPECT_EQ(f.write("data"), 4u);
  EXPECT_THAT(ec_of([&](auto& ec) { f.flush(ec); }), Succeeded());
  EXPECT_THAT(ec_of([&](auto& ec) { f.sync(ec); }), Succeeded());
  EXPECT_EQ(fs().read_file("/f"), "data");
}

TEST_P(HandleIoTest, ReadingAWriteOnlyHandleIsBadFileDescriptor) {
  fs().write_file("/f", "data");
  for (const char* mode : {"w", "a", "wb"}) {
    File f = fs().open("/f", mode);
    char buf[4];
    std::error_code ec;
    EXPECT_EQ(f.read(buf, sizeof buf, ec), 0u);
    EXPECT_THAT(ec, IsErr(std::errc::bad_file_descriptor)) << mode;
    EXPECT_THAT(ec_of([&](auto& e) { (void)f.pread(0, buf, sizeof buf, e); }),
                IsErr(std::errc::bad_file_descriptor))
        << mode;
    EXPECT_THROW((void)f.read(1), filesystem_error);
  }
}

TEST_P(HandleIoTest, WritingAReadOnlyHandleIsBadFileDescriptor) {
  File f = open_with("/f", "data", "r");
  EXPECT_THAT(ec_of([&](auto& ec) { (void)f.write("x", ec); }),
              IsErr(std::errc::bad_file_descriptor));
  EXPECT_THAT(ec_of([&](auto& ec) { (void)f.pwrite(0, "x", ec); }),
              IsErr(std::errc::bad_file_descriptor));
  EXPECT_THAT(ec_of([&](auto& ec) { f.truncate(0, ec); }),
              IsErr(std::errc::bad_file_descriptor));
  EXPECT_THROW((void)f.write("x"), filesystem_error);
  EXPECT_EQ(f.tell(), 0u);
  EXPECT_EQ(fs().read_file("/f"), "data");
}

TEST_P(HandleIoTest, EveryOperationOnAClosedHandleIsBadFileDescriptor) {
  File f = open_with("/f", "data", "r+");
  f.close();
  EXPECT_FALSE(f.is_open());
  char buf[4];
  const auto bad = IsErr(std::errc::bad_file_descriptor);
  EXPECT_THAT(ec_of([&](auto& ec) { (void)f.read(buf, 1, ec); }), bad);
  EXPECT_THAT(ec_of([&](auto& ec) { (void)f.write("x", ec); }), bad);
  EXPECT_THAT(ec_of([&](auto& ec) { (void)f.pread(0, buf, 1, ec); }), bad);
  EXPECT_THAT(ec_of([&](auto& ec) { (void)f.pwrite(0, "x", ec); }), bad);
  EXPECT_THAT(ec_of([&](auto& ec) { f.seek(0, Whence::set, ec); }), bad);
  EXPECT_THAT(ec_of([&](auto& ec) { (void)f.tell(ec); }), bad);
  EXPECT_THAT(ec_of([&](auto& ec) { (void)f.size(ec); }), bad);
  EXPECT_THAT(ec_of([&](auto& ec) { f.truncate(0, ec); }), bad);
  EXPECT_THAT(ec_of([&](auto& ec) { f.flush(ec); }), bad);
  EXPECT_THAT(ec_of([&](auto& ec) { f.sync(ec); }), bad);
  EXPECT_THAT(ec_of([&](auto& ec) { f.lock(LockMode::shared, {}, ec); }), bad);
  EXPECT_THAT(ec_of([&](auto& ec) { (void)f.try_lock(LockMode::shared, ec); }),
              bad);
  EXPECT_THAT(ec_of([&](auto& ec) { f.unlock(ec); }), bad);
  auto e = catch_as<filesystem_error>([&] { (void)f.read(1); });
  ASSERT_TRUE(e.has_value());
  EXPECT_THAT(e->code(), IsErr(std::errc::bad_file_descriptor));
  EXPECT_EQ(fs().read_file("/f"), "data");
}

TEST_P(HandleIoTest, ClosingTwiceIsFine) {
  File f = fs().open("/f", "w");
  f.close();
  EXPECT_THAT(ec_of([&](auto& ec) { f.close(ec); }), Succeeded());
  EXPECT_NO_THROW(f.close());
}

TEST_P(HandleIoTest, DefaultConstructedAndMovedFromFilesAreClosed) {
  File none;
  EXPECT_FALSE(none.is_open());
  EXPECT_THAT(ec_of([&](auto& ec) { (void)none.write("x", ec); }),
              IsErr(std::errc::bad_file_descriptor));
  EXPECT_NO_THROW(none.close());

  File a = fs().open("/f", "w");
  File b = std::move(a);
  EXPECT_FALSE(a.is_open());  // NOLINT(bugprone-use-after-move): on purpose
  EXPECT_THAT(ec_of([&](auto& ec) { (void)a.write("x", ec); }),
              IsErr(std::errc::bad_file_descriptor));
  EXPECT_TRUE(b.is_open());
  EXPECT_EQ(b.write("moved"), 5u);
  File c;
  c = std::move(b);
  EXPECT_EQ(c.write("!"), 1u);
  c.close();
  EXPECT_EQ(fs().read_file("/f"), "moved!");
}

TEST_P(HandleIoTest, TheDestructorClosesAndReleasesTheLock) {
  {
    File f = fs().open("/f", "w");
    f.lock(LockMode::exclusive);
    EXPECT_EQ(f.write("x"), 1u);
  }
  File g = fs().open("/f", "r");
  EXPECT_TRUE(g.try_lock(LockMode::exclusive));
  EXPECT_EQ(g.read_all(), "x");
}

}  // namespace
}  // namespace memfs::test
