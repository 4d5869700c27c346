// support/approved.hpp, the helper of every approved-output test: it passes
// on equal text, fails with a line diff otherwise, and MEMFS_APPROVE=1
// rewrites the approved file.
#include "support/approved.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/child_process.hpp"
#include "support/scoped_env.hpp"

namespace {

using memfs::test_support::matches_approved;
using ::testing::HasSubstr;

// A scratch approved file in the temp dir (an absolute path replaces the
// data folder), one per test and process, removed again.
class ScratchApproved : public ::testing::Test {
 protected:
  const std::filesystem::path file_ =
      std::filesystem::temp_directory_path() /
      ("memfs_approved_test_" + std::to_string(::getpid()) + "_" +
       ::testing::UnitTest::GetInstance()->current_test_info()->name() +
       ".txt");
  const std::string relative_ = file_.string();
  void SetUp() override {
    std::ofstream(file_, std::ios::binary) << "a\nb\nc\nd\ne\nf\ng\n";
  }
  void TearDown() override { std::filesystem::remove(file_); }
};

TEST_F(ScratchApproved, EqualTextPasses) {
  memfs::test_support::ScopedEnv no_approve("MEMFS_APPROVE", nullptr);
  EXPECT_TRUE(matches_approved("a\nb\nc\nd\ne\nf\ng\n", relative_));
}

TEST_F(ScratchApproved, ADifferenceFailsWithALineDiff) {
  memfs::test_support::ScopedEnv no_approve("MEMFS_APPROVE", nullptr);
  const ::testing::AssertionResult r =
      matches_approved("a\nb\nc\nd\nE\nf\ng\nh\n", relative_);
  ASSERT_FALSE(r);
  EXPECT_THAT(r.message(), HasSubstr(file_.filename().string()));
  EXPECT_THAT(r.message(),
              HasSubstr("  ...\n  c\n  d\n- e\n+ E\n  f\n  g\n+ h\n"));
  EXPECT_THAT(r.message(), HasSubstr("MEMFS_APPROVE=1"));
  // Nothing was rewritten.
  EXPECT_EQ(memfs::test_support::read_host_file(file_),
            "a\nb\nc\nd\ne\nf\ng\n");
}

TEST_F(ScratchApproved, ApproveRewritesTheFile) {
  memfs::test_support::ScopedEnv approve("MEMFS_APPROVE", "1");
  EXPECT_TRUE(matches_approved("new\n", relative_));
  EXPECT_EQ(memfs::test_support::read_host_file(file_), "new\n");
}

}  // namespace
