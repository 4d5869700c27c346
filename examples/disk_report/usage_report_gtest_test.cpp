// The usage report under GoogleTest: the same code the disk_report tool runs
// on DiskFileSystem, here on the per-test MemoryFileSystem of memfs::gtest
// (with injected faults), and once on a temporary DiskFileSystem to show the
// production backend passes the same test.
#include "sample_tree.hpp"
#include "usage_report.hpp"
#include <memfs/disk_file_system.hpp>
#include <memfs/gtest.hpp>

namespace {

using memfs::gtest::FileContents;
using memfs::gtest::HasFile;
using ::testing::HasSubstr;
using ::testing::Not;

void expect_sample_summary(memfs::FileSystem& fs) {
  const example::UsageReport r = example::summarize(fs, "/data", 2);
  EXPECT_EQ(r.files, 4u);
  EXPECT_EQ(r.directories, 2u);
  EXPECT_EQ(r.bytes, 442u);
  ASSERT_EQ(r.largest.size(), 2u);
  EXPECT_EQ(r.largest[0], std::make_pair(std::string("/data/logs/app.log"),
                                         std::uint64_t{300}));
  EXPECT_EQ(r.by_extension.at(".log"), 400u);
  EXPECT_EQ(r.by_extension.at(""), 40u);
}

class UsageReportTest : public memfs::gtest::Test {};

TEST_F(UsageReportTest, SummarizesATree) {
  example::sample::make_tree(fs());
  expect_sample_summary(fs());
}

TEST(UsageReportOnDisk, SummarizesATreeOnTheProductionBackend) {
  auto disk = memfs::DiskFileSystem::create_temporary();
  example::sample::make_tree(*disk);
  expect_sample_summary(*disk);
}

TEST_F(UsageReportTest, PublishesAtomicallyAndKeepsTheNewest) {
  for (const char* name :
       {"20240101.txt", "20240102.txt", "20240103.txt", "20240104.txt"}) {
    EXPECT_MEMFS_OK(example::publish(fs(), "/reports", name, name, 3));
  }
  EXPECT_EQ(fs().list("/reports"),
            (std::vector<std::string>{"20240102.txt", "20240103.txt",
                                      "20240104.txt"}));
  EXPECT_THAT(fs(), FileContents("/reports/20240104.txt", "20240104.txt"));
}

TEST_F(UsageReportTest, AFullDiskKeepsTheOldReportAndLeavesNoTemporary) {
  EXPECT_MEMFS_OK(example::publish(fs(), "/reports", "r.txt", "old report"));
  faults().disk_full_after(8);  // room for 8 more bytes
  const std::error_code ec =
      example::publish(fs(), "/reports", "r.txt", "a much longer new report");
  EXPECT_EQ(ec, std::errc::no_space_on_device);
  EXPECT_THAT(fs(), FileContents("/reports/r.txt", "old report"));
  EXPECT_THAT(fs(), Not(HasFile("/reports/r.txt.tmp")));
}

TEST_F(UsageReportTest, AFailedSyncPublishesNothing) {
  faults().add("sync /reports/** fail=EIO");
  EXPECT_EQ(example::publish(fs(), "/reports", "r.txt", "text"),
            std::errc::io_error);
  EXPECT_THAT(fs(), Not(HasFile("/reports/r.txt")));
  EXPECT_THAT(example::format_report(example::summarize(fs(), "/"), "t"),
              HasSubstr("files: 0"));
}

}  // namespace
