// memfs::catch2::for_each_crash_point seen from outside a real Catch2 binary
// (fixtures/crash_points.cpp): each failing crash state is a failure naming
// its point, state and seed, and the snapshot holds the first failing
// crashed tree with the operation log in its failures.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "catch2_adapter/fixture_process.hpp"

namespace memfs::catch2_test {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::SizeIs;

TEST(CatchCrashPoints, EachFailingPointFailsTheRunAndTheSnapshotHoldsItsTree) {
  ScratchDir dir;
  const FixtureRun r = run_fixture(dir.path(), fixture_binary(),
                                   {"crash points: a save without fsync"});
  EXPECT_NE(r.exit_code, 0) << r.out << r.err;
  const std::string output = r.out + r.err;
  EXPECT_THAT(output, HasSubstr("failed: settings are \"\""));
  EXPECT_THAT(output, HasSubstr("(state "));
  EXPECT_THAT(output, HasSubstr(", seed "));
  EXPECT_THAT(output, HasSubstr("operations up to the crash:"));
  EXPECT_THAT(output, HasSubstr("rename /settings.tmp -> /settings"));
  ASSERT_THAT(r.snapshots(), SizeIs(1)) << output;
  const std::string folder = r.snapshots()[0];
  // The exported tree is the first failing crashed state: the rename made
  // it to the disk, the new bytes did not.
  EXPECT_EQ(r.tree(folder),
            (std::map<std::string, std::string>{{"/settings", ""}}));
  EXPECT_THAT(r.failures(folder),
              Contains(HasSubstr("operations up to the crash:")));
}

}  // namespace
}  // namespace memfs::catch2_test
