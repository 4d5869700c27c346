// Code written without memfs in mind — a CSV reader/writer on std::istream& /
// std::ostream&, a line counter and a report writer on FILE* — runs
// unchanged on memfs streams, and gives what it gives on the standard ones.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <istream>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "memfs/stdio.hpp"
#include "memfs/stream.hpp"
#include "support.hpp"

// --- "third-party" code: it knows std streams and stdio, nothing else
// ---------
namespace thirdparty {

using Rows = std::vector<std::vector<std::string>>;

// RFC 4180-ish: quoted fields may hold commas and doubled quotes; CRLF or LF.
Rows read_csv(std::istream& in) {
  Rows rows;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> row(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const char c = line[i];
      if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        row.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        row.emplace_back();
      } else {
        row.back() += c;
      }
    }
    rows.push_back(row);
  }
  if (in.bad()) throw std::runtime_error("read_csv: read error");
  return rows;
}

void write_csv(std::ostream& out, const Rows& rows) {
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i > 0) out << ',';
      const bool quote = row[i].find_first_of(",\"") != std::string::npos;
      if (!quote) {
        out << row[i];
        continue;
      }
      out << '"';
      for (const char c : row[i])
        out << (c == '"' ? "\"\"" : std::string(1, c));
      out << '"';
    }
    out << "\r\n";
  }
}

// C style: counts lines with a small fgets buffer; -1 on a read error.
long count_lines(std::FILE* f) {
  char buffer[16];
  long lines = 0;
  char last = '\n';
  while (std::fgets(buffer, sizeof buffer, f) != nullptr) {
    const std::size_t n = std::strlen(buffer);
    if (n == 0) continue;
    last = buffer[n - 1];
    if (last == '\n') ++lines;
  }
  if (std::ferror(f)) return -1;
  return last == '\n' ? lines : lines + 1;
}

// C style: a formatted report.
int write_report(std::FILE* f, const char* title, int count, double mean) {
  if (std::fprintf(f, "# %s\n", title) < 0) return -1;
  if (std::fprintf(f, "count=%d\nmean=%.3f\n", count, mean) < 0) return -1;
  return std::fflush(f) == 0 ? 0 : -1;
}

}  // namespace thirdparty

namespace memfs::test {
namespace {

class ThirdPartyTest : public BackendTest {};
MEMFS_INSTANTIATE_CONFORMANCE(ThirdPartyTest);

const char* const kCsv =
    "name,comment,score\r\n"
    "ada,\"likes, commas\",42\r\n"
    "bob,\"says \"\"hi\"\"\",7\n"
    "\r\n"
    "eve,,-1";

TEST_P(ThirdPartyTest, CsvReaderGivesTheSameRowsAsOnAStringStream) {
  fs().write_file("/in.csv", kCsv);
  ifstream in(fs(), "/in.csv");
  std::istringstream reference(kCsv);
  const thirdparty::Rows rows = thirdparty::read_csv(in);
  EXPECT_EQ(rows, thirdparty::read_csv(reference));
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[1][1], "likes, commas");
  EXPECT_EQ(rows[2][1], "says \"hi\"");
}

TEST_P(ThirdPartyTest, CsvWriterOutputReadsBack) {
  const thirdparty::Rows rows = {{"k", "v"}, {"a,b", "\"q\""}, {"", "x"}};
  {
    ofstream out(fs(), "/out.csv");
    thirdparty::write_csv(out, rows);
  }
  std::ostringstream reference;
  thirdparty::write_csv(reference, rows);
  EXPECT_EQ(fs().read_file("/out.csv"), reference.str());
  ifstream in(fs(), "/out.csv");
  EXPECT_EQ(thirdparty::read_csv(in), rows);
}

TEST_P(ThirdPartyTest, CsvReaderReportsAReadFaultAsAnError) {
  fs().write_file("/in.csv", kCsv);
  ScopedHook hook(fs(),
                  fail_always(Op::read, make_error_code(errc::injected_fault)));
  ifstream in(fs(), "/in.csv");
  EXPECT_THROW(thirdparty::read_csv(in), std::runtime_error);
}

#if MEMFS_HAS_FOPEN
TEST_P(ThirdPartyTest, LineCounterGivesTheSameCountAsOnAMemoryStream) {
  std::string text =
      "short\n" + std::string(100, 'x') + "\n\nlast line, no newline";
  fs().write_file("/lines.txt", text);
  std::FILE* f = memfs::fopen(fs(), "/lines.txt", "r");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(thirdparty::count_lines(f), 4);
  EXPECT_EQ(std::fclose(f), 0);

  std::FILE* reference = ::fmemopen(text.data(), text.size(), "r");
  ASSERT_NE(reference, nullptr);
  EXPECT_EQ(thirdparty::count_lines(reference), 4);
  std::fclose(reference);
}

TEST_P(ThirdPartyTest, LineCounterSeesAReadFaultAsFerror) {
  fs().write_file("/lines.txt", "a\nb\n");
  ScopedHook hook(fs(),
                  fail_always(Op::read, make_error_code(errc::injected_fault)));
  std::FILE* f = memfs::fopen(fs(), "/lines.txt", "r");
  ASSERT_NE(f, nullptr);
  errno = 0;
  EXPECT_EQ(thirdparty::count_lines(f), -1);
  EXPECT_EQ(errno, EIO);
  std::fclose(f);
}

TEST_P(ThirdPartyTest, ReportWriterRunsOnAMemfsFile) {
  std::FILE* f = memfs::fopen(fs(), "/report.txt", "w");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(thirdparty::write_report(f, "daily", 3, 2.5), 0);
  EXPECT_EQ(fs().read_file("/report.txt"), "# daily\ncount=3\nmean=2.500\n");
  EXPECT_EQ(std::fclose(f), 0);
}
#endif

}  // namespace
}  // namespace memfs::test
