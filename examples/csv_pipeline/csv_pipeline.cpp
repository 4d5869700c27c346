#include "csv_pipeline.hpp"

#include <sstream>
#include <utility>

#include "memfs/path.hpp"
#include "memfs/stream.hpp"
#include "sales_csv.hpp"

namespace example {

CsvPipeline::CsvPipeline(memfs::FileSystem& fs, std::string root)
    : fs_(fs), root_(std::move(root)) {
  for (const char* stage : {"raw", "processed", "rejected", "output"}) {
    fs_.create_directories(dir(stage));
  }
}

std::error_code CsvPipeline::publish(
    const std::string& path,
    const std::function<std::error_code(std::ostream&)>& write) {
  const std::string part = path + ".part";
  std::error_code ec;
  {
    memfs::ofstream out(fs_, part, std::ios_base::binary);
    if (!out) return out.error();
    ec = write(out);
    if (!ec && !out.flush())
      ec = out.error();  // a full disk shows up here, or earlier
    out.close();
    if (!ec && out.fail()) ec = out.error();
  }
  if (!ec) fs_.rename(part, path, ec);
  if (ec) {
    std::error_code ignored;  // the first error is the one to report
    fs_.remove(part, ignored);
  }
  return ec;
}

std::error_code CsvPipeline::process_file(const std::string& name,
                                          Report& report) {
  const std::string raw = dir("raw") + "/" + name;
  memfs::ifstream in(fs_, raw, std::ios_base::binary);
  if (!in) return in.error();
  std::ostringstream rejects;  // small; written once the processed file is safe
  CleanResult result;
  std::error_code ec =
      publish(dir("processed") + "/" + name, [&](std::ostream& out) {
        result = clean_sales(in, out, rejects);
        if (in.bad()) return in.error();
        if (!result.header_ok)
          return std::make_error_code(std::errc::invalid_argument);
        return std::error_code{};
      });
  if (!ec && result.rejected > 0) {
    const std::string stem = name.substr(0, name.rfind('.'));
    ec = publish(dir("rejected") + "/" + stem + ".txt", [&](std::ostream& out) {
      out << rejects.str();
      return std::error_code{};
    });
  }
  in.close();
  if (!ec) fs_.remove(raw, ec);  // only now: its rows are safe elsewhere
  if (ec) return ec;
  ++report.files;
  report.rows_kept += result.kept;
  report.rows_rejected += result.rejected;
  return {};
}

std::error_code CsvPipeline::process_raw(Report& report) {
  std::error_code ec;
  for (const std::string& path : fs_.glob(dir("raw") + "/*.csv", ec)) {
    if ((ec = process_file(std::string(memfs::filename(path)), report)))
      return ec;
  }
  return ec;
}

std::error_code CsvPipeline::summarize() {
  std::error_code ec;
  Totals totals;
  for (const std::string& path : fs_.glob(dir("processed") + "/*.csv", ec)) {
    memfs::ifstream in(fs_, path, std::ios_base::binary);
    if (!in) return in.error();
    const bool parsed = add_to_totals(in, totals);
    if (in.bad()) return in.error();
    if (!parsed) return std::make_error_code(std::errc::invalid_argument);
  }
  if (ec) return ec;
  return publish(dir("output") + "/summary.csv", [&](std::ostream& out) {
    write_summary(totals, out);
    return std::error_code{};
  });
}

std::error_code CsvPipeline::run(Report& report) {
  if (std::error_code ec = process_raw(report)) return ec;
  return summarize();
}

}  // namespace example
