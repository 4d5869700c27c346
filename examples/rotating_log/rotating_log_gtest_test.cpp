// RotatingLog under GoogleTest: each test gets a fresh in-memory filesystem
// from memfs::gtest; the fault injector fills the disk in the middle of a
// rotation, refuses renames and shortens writes; the audit (log_audit.hpp)
// checks that every accepted line is in exactly one file and no refused line
// is in any. A failing test leaves a snapshot of /logs behind.
#include <cstdint>
#include <string>

#include "log_audit.hpp"
#include "rotating_log.hpp"
#include <memfs/gtest.hpp>

namespace {

using example::RotatingLog;
using example::audit::append_lines;
using example::audit::arm_random_faults;
using example::audit::lines_in_files;
using example::audit::renames_refused;
using memfs::gtest::FileContents;
using memfs::gtest::TreeEquals;
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;

RotatingLog::Options limits(std::uint64_t max_bytes, int keep) {
  RotatingLog::Options options;
  options.max_bytes = max_bytes;
  options.keep = keep;
  return options;
}

class RotatingLogTest : public memfs::gtest::Test {};

TEST_F(RotatingLogTest, RotatesBeforeAFileGrowsPastItsLimit) {
  RotatingLog log(fs(), limits(16, 2));
  const auto appended =
      append_lines(log, 4);  // "line 0\n" is 7 B: two per file
  EXPECT_THAT(appended.refused, IsEmpty());
  EXPECT_THAT(fs(),
              TreeEquals("/logs", {{"/logs/app.log", "line 2\nline 3\n"},
                                   {"/logs/app.log.1", "line 0\nline 1\n"}}));
}

TEST_F(RotatingLogTest, AQuotaErrorMidRotationLosesAndDuplicatesNothing) {
  RotatingLog log(fs(), limits(16, 5));
  ASSERT_THAT(append_lines(log, 6).refused, IsEmpty());  // app.log, .1, .2
  // The rotation for line 6 moves .2 -> .3, then .1 -> .2 fails as if the
  // disk were full; the move already made is undone.
  faults().add("rename /logs/app.log.1 once fail=quota_exceeded");
  const auto appended = append_lines(log, 1, 6);
  ASSERT_THAT(appended.errors, ElementsAre(memfs::errc::quota_exceeded));
  EXPECT_THAT(fs(),
              TreeEquals("/logs", {{"/logs/app.log", "line 4\nline 5\n"},
                                   {"/logs/app.log.1", "line 2\nline 3\n"},
                                   {"/logs/app.log.2", "line 0\nline 1\n"}}));
  // The rule fired once; the same line goes through now.
  EXPECT_THAT(append_lines(log, 1, 6).refused, IsEmpty());
  EXPECT_THAT(lines_in_files(fs(), log),
              ElementsAre("line 0", "line 1", "line 2", "line 3", "line 4",
                          "line 5", "line 6"));
}

TEST_F(RotatingLogTest,
       ADiskThatFillsRightAfterARotationRefusesOnlyTheNewLines) {
  RotatingLog log(fs(), limits(16, 5));
  ASSERT_THAT(append_lines(log, 2).refused, IsEmpty());
  faults().disk_full_after(0);  // renames need no space; the next write does
  const auto appended = append_lines(log, 3, 2);
  EXPECT_THAT(appended.errors, Each(memfs::errc::quota_exceeded));
  EXPECT_THAT(fs(),
              TreeEquals("/logs", {{"/logs/app.log", ""},
                                   {"/logs/app.log.1", "line 0\nline 1\n"}}));
  faults().clear();
  EXPECT_THAT(append_lines(log, 1, 5).refused, IsEmpty());
  EXPECT_THAT(lines_in_files(fs(), log),
              ElementsAre("line 0", "line 1", "line 5"));
}

TEST_F(RotatingLogTest, AShortWriteLeavesNoPartialLine) {
  RotatingLog log(fs(), limits(1024, 1));
  ASSERT_MEMFS_OK(log.append("first"));
  faults().add("write /logs/app.log once short=3");
  EXPECT_EQ(log.append("second"), std::errc::io_error);
  EXPECT_THAT(fs(), FileContents("/logs/app.log", "first\n"));
}

TEST_F(RotatingLogTest, ALineWithANewlineIsRefused) {
  RotatingLog log(fs(), limits(1024, 1));
  EXPECT_EQ(log.append("two\nlines"), std::errc::invalid_argument);
  EXPECT_THAT(lines_in_files(fs(), log), IsEmpty());
}

// Random faults from a seed (log_audit.hpp): writes and renames fail with
// "disk full" over 200 lines and a dozen rotations. The seed makes each
// instance repeatable; a failure's snapshot holds the seed and the fault log.
class RotatingLogUnderRandomFaults : public memfs::gtest::TestWithParam<int> {};

TEST_P(RotatingLogUnderRandomFaults, EveryAcceptedLineIsInExactlyOneFile) {
  RotatingLog log(fs(), arm_random_faults(
                            faults(), static_cast<std::uint64_t>(GetParam())));
  const auto appended = append_lines(log, 200);
  ASSERT_THAT(appended.refused, Not(IsEmpty())) << "no write was refused";
  ASSERT_GT(renames_refused(faults()), 0u) << "no rotation was disturbed";
  EXPECT_EQ(lines_in_files(fs(), log), appended.accepted);
}

INSTANTIATE_TEST_SUITE_P(Seeds, RotatingLogUnderRandomFaults,
                         ::testing::Values(1, 2, 3, 42, 2024));

}  // namespace
