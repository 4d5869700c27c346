// The CSV pipeline under GoogleTest: golden raw files are imported from disk
// (golden.hpp) into the test's in-memory filesystem, the pipeline reads and
// writes them through memfs::ifstream / memfs::ofstream, and the resulting
// tree is compared with golden/expected. Faults stop a run halfway: no
// partial file may remain, and a second run must end exactly like an
// undisturbed one.
#include <sstream>
#include <string>

#include "csv_pipeline.hpp"
#include "golden.hpp"
#include "sales_csv.hpp"
#include <memfs/gtest.hpp>

namespace {

using example::CsvPipeline;
using memfs::gtest::FileContents;
using memfs::gtest::HasFile;
using memfs::gtest::TreeEquals;
using ::testing::IsEmpty;
using ::testing::Not;

class CsvPipelineTest : public memfs::gtest::Test {
 protected:
  // The golden raw files in /data/raw, and a pipeline on them.
  CsvPipeline seeded() {
    CsvPipeline pipeline(fs());
    example::golden::seed_raw(fs());
    return pipeline;
  }
  // No "<file>.part" anywhere: every write finished or was cleaned up.
  std::vector<std::string> partial_files() {
    return fs().glob("/data/**/*.part");
  }
};

TEST_F(CsvPipelineTest, TheGoldenRunProducesTheExpectedTree) {
  CsvPipeline pipeline = seeded();
  CsvPipeline::Report report;
  ASSERT_MEMFS_OK(pipeline.run(report));
  EXPECT_EQ(report.files, 3u);
  EXPECT_EQ(report.rows_kept, 8u);
  EXPECT_EQ(report.rows_rejected, 4u);
  EXPECT_THAT(fs(), TreeEquals("/data", example::golden::expected_tree()));
}

TEST_F(CsvPipelineTest,
       ADiskFullInStageOneLeavesNoPartialFileAndTheRerunCompletes) {
  CsvPipeline pipeline = seeded();
  // The second raw file's processed copy cannot be written.
  faults().add(
      "write /data/processed/2024-03-south.csv.part once fail=quota_exceeded");
  CsvPipeline::Report report;
  EXPECT_EQ(pipeline.run(report), memfs::errc::quota_exceeded);
  EXPECT_EQ(report.files, 1u);
  EXPECT_THAT(partial_files(), IsEmpty());
  EXPECT_THAT(fs(), HasFile("/data/raw/2024-03-south.csv"));  // still to do
  EXPECT_THAT(fs(), Not(HasFile("/data/output/summary.csv")));

  ASSERT_MEMFS_OK(pipeline.run(report));
  EXPECT_THAT(fs(), TreeEquals("/data", example::golden::expected_tree()));
}

TEST_F(CsvPipelineTest, ADiskFullInStageTwoKeepsEveryProcessedFile) {
  CsvPipeline pipeline = seeded();
  CsvPipeline::Report report;
  ASSERT_MEMFS_OK(pipeline.process_raw(report));
  faults().disk_full_after(16);  // the summary is larger than that
  EXPECT_EQ(pipeline.summarize(), std::errc::no_space_on_device);
  EXPECT_THAT(fs().list("/data/output"), IsEmpty());
  faults().clear();
  ASSERT_MEMFS_OK(pipeline.summarize());
  EXPECT_THAT(fs(), TreeEquals("/data", example::golden::expected_tree()));
}

TEST_F(CsvPipelineTest, AnUnreadableRawFileStaysWhereItIs) {
  CsvPipeline pipeline = seeded();
  faults().add("read /data/raw/2024-03-west.csv always fail=EIO");
  CsvPipeline::Report report;
  EXPECT_EQ(pipeline.run(report), std::errc::io_error);
  EXPECT_THAT(fs(), HasFile("/data/raw/2024-03-west.csv"));
  EXPECT_THAT(fs(), Not(HasFile("/data/processed/2024-03-west.csv")));
  EXPECT_THAT(partial_files(), IsEmpty());
}

TEST_F(CsvPipelineTest, AFileWithTheWrongHeaderIsLeftInRaw) {
  CsvPipeline pipeline(fs());
  fs().write_file("/data/raw/bad.csv",
                  "when,where,what\n2024-03-01,N1,widget\n");
  CsvPipeline::Report report;
  EXPECT_EQ(pipeline.run(report), std::errc::invalid_argument);
  EXPECT_THAT(fs(),
              TreeEquals("/data", {{"/data/raw/bad.csv",
                                    "when,where,what\n2024-03-01,N1,widget\n"},
                                   {"/data/processed/", ""},
                                   {"/data/rejected/", ""},
                                   {"/data/output/", ""}}));
}

// The transformations take any std::istream / std::ostream: the same code on
// string streams, no filesystem at all.
TEST(SalesCsv, CleansAStringStream) {
  std::istringstream in(std::string(example::kRawHeader) +
                        "\r\n2024-03-01,N1, Widget ,3,2.5\r\n");
  std::ostringstream out, rejects;
  const example::CleanResult result = example::clean_sales(in, out, rejects);
  EXPECT_EQ(result.kept, 1u);
  EXPECT_EQ(out.str(), std::string(example::kCleanHeader) +
                           "\n2024-03-01,N1,widget,3,250\n");
  EXPECT_EQ(rejects.str(), "");
}

}  // namespace
