// The CSV pipeline under Catch2: golden raw files imported from disk
// (golden.hpp) into each run's in-memory filesystem. One generated run per
// fault, each stopping the pipeline at a different step; every run must leave
// no partial file and, run again, end with golden/expected. A table of bad
// rows checks the reasons stage 1 gives.
#if __has_include(<catch2/catch_version_macros.hpp>)
#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
#else
#include <catch2/catch.hpp>
#endif

#include <sstream>
#include <string>
#include <tuple>

#include "csv_pipeline.hpp"
#include "golden.hpp"
#include "sales_csv.hpp"
#include <memfs/catch2.hpp>

using example::CsvPipeline;
using memfs::catch2::fs;
using memfs::catch2::TreeEquals;

TEST_CASE("the golden data goes through both stages", "[csv]") {
  CsvPipeline pipeline(fs());
  example::golden::seed_raw(fs());
  CsvPipeline::Report report;
  REQUIRE_FALSE(pipeline.run(report));
  CHECK(report.rows_kept == 8);
  CHECK_THAT(fs(), TreeEquals("/data", example::golden::expected_tree()));
}

TEST_CASE("a run stopped by a fault at any step resumes to the same result",
          "[csv][faults]") {
  const std::string rule = GENERATE(
      as<std::string>{}, "read /data/raw/2024-03-north.csv once fail=EIO",
      "write /data/processed/2024-03-west.csv.part once fail=quota_exceeded",
      "rename /data/processed/*.part nth=2 fail=EIO",
      "rename /data/rejected/2024-03-west.txt.part once fail=EACCES",
      "remove /data/raw/2024-03-south.csv once fail=EROFS",
      "open /data/output/summary.csv.part once fail=EMFILE",
      "write /data/output/summary.csv.part once fail=quota_exceeded");
  CAPTURE(rule);
  CsvPipeline pipeline(fs());
  example::golden::seed_raw(fs());
  memfs::catch2::faults().add(rule);

  CsvPipeline::Report report;
  CHECK(pipeline.run(report));  // stopped with an error
  CHECK(memfs::catch2::faults().log().size() == 1);
  CHECK(fs().glob("/data/**/*.part").empty());
  REQUIRE_FALSE(
      pipeline.run(report));  // the rules fired once: this run completes
  CHECK_THAT(fs(), TreeEquals("/data", example::golden::expected_tree()));
}

TEST_CASE("stage 1 says why it rejects a row", "[csv]") {
  std::string row, reason;
  std::tie(row, reason) = GENERATE(table<std::string, std::string>({
      {"2024-03-01,N1,widget,3", "expected 5 fields, got 4"},
      {"01/03/2024,N1,widget,3,2.50", "date is not YYYY-MM-DD"},
      {"2024-03-01,,widget,3,2.50", "store or product is empty"},
      {"2024-03-01,N1,widget,0,2.50",
       "quantity is not a positive whole number"},
      {"2024-03-01,N1,widget,1.5,2.50",
       "quantity is not a positive whole number"},
      {"2024-03-01,N1,widget,3,2.505", "unit_price is not a price"},
      {"2024-03-01,N1,widget,3,-2", "unit_price is not a price"},
  }));
  std::istringstream in(std::string(example::kRawHeader) + "\n" + row + "\n");
  std::ostringstream out, rejects;
  const example::CleanResult result = example::clean_sales(in, out, rejects);
  CHECK(result.rejected == 1);
  CHECK(rejects.str() == "line 2: " + reason + ": " + row + "\n");
  CHECK(out.str() == std::string(example::kCleanHeader) + "\n");
}
