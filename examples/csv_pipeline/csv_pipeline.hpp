// A CSV staging pipeline over a memfs::FileSystem, in directories under a
// root (default /data):
//
//     raw/        input files dropped here (*.csv, sales_csv.hpp format)
//     processed/  stage 1: each raw file cleaned, same name
//     rejected/   stage 1: the rows a raw file had to drop, <name>.txt
//     output/     stage 2: summary.csv over every processed file
//
// Each file is written through a memfs::ofstream into "<path>.part" and
// renamed into place once complete, and a raw file is removed only after its
// processed (and rejected) files are in place. So a run stopped by any error
// — a full disk, a failed read, a refused rename — leaves no partial file
// behind, only whole files of finished steps, and running again picks up
// where it stopped and ends with the same tree as an undisturbed run.
//
//     example::CsvPipeline pipeline(fs);
//     example::CsvPipeline::Report report;
//     if (std::error_code ec = pipeline.run(report)) ...   // safe to re-run
//
// The transformations themselves (sales_csv.hpp) only see std::istream and
// std::ostream.
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <system_error>

#include "memfs/file_system.hpp"

namespace example {

class CsvPipeline {
 public:
  /// Counts of one run.
  struct Report {
    std::uint64_t files = 0;          ///< raw files processed
    std::uint64_t rows_kept = 0;      ///< rows that went to processed/
    std::uint64_t rows_rejected = 0;  ///< rows that went to rejected/
  };

  /// Creates the four directories under `root` if needed (throws
  /// memfs::filesystem_error if it cannot).
  explicit CsvPipeline(memfs::FileSystem& fs, std::string root = "/data");

  /// Stage 1, for every raw/*.csv in name order. Stops at the first error:
  /// the filesystem's, or std::errc::invalid_argument for a raw file whose
  /// header is not the raw header (that file stays in raw/).
  [[nodiscard]] std::error_code process_raw(Report& report);
  /// Stage 2: output/summary.csv from every processed/*.csv.
  [[nodiscard]] std::error_code summarize();
  /// Both stages.
  [[nodiscard]] std::error_code run(Report& report);

  /// "<root>/raw" and so on.
  [[nodiscard]] std::string dir(const char* stage) const {
    return root_ + "/" + stage;
  }

 private:
  // Writes `path` via `write` into "<path>.part", then renames it into
  // place; removes the .part file on any error (write's own included).
  [[nodiscard]] std::error_code publish(
      const std::string& path,
      const std::function<std::error_code(std::ostream&)>& write);
  // Stage 1 for one raw file.
  [[nodiscard]] std::error_code process_file(const std::string& name,
                                             Report& report);

  memfs::FileSystem& fs_;
  std::string root_;
};

}  // namespace example
