// memfs::ifstream / ofstream / fstream: open modes, text and formatted I/O,
// getline, buffering, move — on every backend.
#include <ios>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "memfs/stream.hpp"
#include "support.hpp"

namespace memfs::test {
namespace {

using std::ios_base;

class FstreamTest : public BackendTest {};
MEMFS_INSTANTIATE_CONFORMANCE(FstreamTest);

TEST(OpenModeMapping, FollowsTheBasicFilebufTable) {
  const std::vector<std::pair<ios_base::openmode, const char*>> table = {
      {ios_base::in, "r"},
      {ios_base::out, "w"},
      {ios_base::out | ios_base::trunc, "w"},
      {ios_base::out | ios_base::app, "a"},
      {ios_base::app, "a"},
      {ios_base::in | ios_base::out, "r+"},
      {ios_base::in | ios_base::out | ios_base::trunc, "w+"},
      {ios_base::in | ios_base::out | ios_base::app, "a+"},
      {ios_base::in | ios_base::app, "a+"},
  };
  for (const auto& [mode, expected] : table) {
    EXPECT_EQ(to_open_mode(mode).str(), expected) << expected;
    EXPECT_EQ(to_open_mode(mode | ios_base::binary).str(), expected);
    EXPECT_EQ(to_open_mode(mode | ios_base::ate).str(), expected);
  }
}

TEST(OpenModeMapping, RejectsCombinationsTheStandardRejects) {
  for (const auto mode :
       {ios_base::openmode{}, ios_base::trunc, ios_base::in | ios_base::trunc,
        ios_base::out | ios_base::app | ios_base::trunc,
        ios_base::in | ios_base::out | ios_base::app | ios_base::trunc,
        ios_base::binary, ios_base::ate}) {
    EXPECT_FALSE(to_open_mode(mode).valid()) << static_cast<int>(mode);
  }
}

TEST_P(FstreamTest, FormattedOutputReadsBackWithFormattedInput) {
  {
    ofstream out(fs(), "/numbers.txt");
    ASSERT_TRUE(out.is_open());
    out << 42 << ' ' << -7.25 << ' ' << "word" << ' ' << std::hex << 255
        << '\n';
    ASSERT_TRUE(out.good());
  }
  EXPECT_EQ(fs().read_file("/numbers.txt"), "42 -7.25 word ff\n");
  ifstream in(fs(), "/numbers.txt");
  int i = 0;
  double d = 0;
  std::string w;
  int h = 0;
  in >> i >> d >> w >> std::hex >> h;
  EXPECT_TRUE(in.good());
  EXPECT_EQ(i, 42);
  EXPECT_EQ(d, -7.25);
  EXPECT_EQ(w, "word");
  EXPECT_EQ(h, 255);
  in >> w;
  EXPECT_TRUE(in.eof());
  EXPECT_TRUE(in.fail());
}

TEST_P(FstreamTest, GetlineSplitsLfAndCrlfExactlyLikeTheStandardStreams) {
  const std::string text = "alpha\nbeta\r\n\r\ngamma\r\n\nlast-without-newline";
  fs().write_file("/lines.txt", text);
  ifstream in(fs(), "/lines.txt");
  in.rdbuf()->pubsetbuf(nullptr, 4);  // lines straddle buffer refills
  std::istringstream expected(text);
  std::string got_line;
  std::string want_line;
  int lines = 0;
  while (std::getline(expected, want_line)) {
    ASSERT_TRUE(std::getline(in, got_line)) << "line " << lines;
    EXPECT_EQ(got_line, want_line);
    ++lines;
  }
  EXPECT_EQ(lines, 6);
  EXPECT_FALSE(std::getline(in, got_line));
  EXPECT_TRUE(in.eof());
}

TEST_P(FstreamTest, OutTruncatesAndAppAppends) {
  fs().write_file("/f", "old contents");
  { ofstream(fs(), "/f") << "new"; }
  EXPECT_EQ(fs().read_file("/f"), "new");
  { ofstream(fs(), "/f", ios_base::app) << "+1"; }
  { ofstream(fs(), "/f", ios_base::out | ios_base::app) << "+2"; }
  EXPECT_EQ(fs().read_file("/f"), "new+1+2");
}

TEST_P(FstreamTest, InOutNeedsAnExistingFileAndKeepsIt) {
  fstream missing(fs(), "/missing");
  EXPECT_FALSE(missing.is_open());
  EXPECT_TRUE(missing.fail());
  EXPECT_EQ(missing.error(), std::errc::no_such_file_or_directory);

  fs().write_file("/f", "0123456789");
  fstream io(fs(), "/f");
  ASSERT_TRUE(io.is_open());
  io << "AB";
  io.close();
  EXPECT_TRUE(io.good());
  EXPECT_EQ(fs().read_file("/f"), "AB23456789");
}

TEST_P(FstreamTest, InOutTruncCreatesAndInAppAppendsAfterReading) {
  fstream io(fs(), "/f", ios_base::in | ios_base::out | ios_base::trunc);
  ASSERT_TRUE(io.is_open());
  io << "hello";
  io.seekg(0);
  std::string word;
  io >> word;
  EXPECT_EQ(word, "hello");
  io.close();

  fstream app(fs(), "/f", ios_base::in | ios_base::app);
  ASSERT_TRUE(app.is_open());
  char c = 0;
  app.get(c);
  EXPECT_EQ(c, 'h');
  app << " world";  // appends, whatever the read position
  app.seekg(0);
  std::string all;
  std::getline(app, all);
  EXPECT_EQ(all, "hello world");
}

TEST_P(FstreamTest, AteStartsAtTheEndWithoutAppending) {
  fs().write_file("/f", "abcdef");
  fstream io(fs(), "/f", ios_base::in | ios_base::out | ios_base::ate);
  ASSERT_TRUE(io.is_open());
  EXPECT_EQ(io.tellp(), 6);
  io << "gh";
  io.seekp(0);
  io << "X";  // not an append mode: writes where it is told
  io.close();
  EXPECT_EQ(fs().read_file("/f"), "Xbcdefgh");
}

TEST_P(FstreamTest, UnsupportedModesFailTheOpenWithInvalidArgument) {
  ofstream out(fs(), "/f", ios_base::in | ios_base::trunc | ios_base::app);
  EXPECT_FALSE(out.is_open());
  EXPECT_TRUE(out.fail());
  EXPECT_EQ(out.error(), std::errc::invalid_argument);
  EXPECT_FALSE(fs().exists("/f"));
}

TEST_P(FstreamTest, OpenFailuresSetFailbitAndKeepTheErrorCode) {
  ifstream missing(fs(), "/nope/file");
  EXPECT_TRUE(missing.fail());
  EXPECT_EQ(missing.error(), std::errc::no_such_file_or_directory);

  fs().create_directory("/dir");
  fstream dir(fs(), "/dir");  // ifstream opens one, see fstream_differential
  EXPECT_TRUE(dir.fail());
  EXPECT_EQ(dir.error(), std::errc::is_a_directory);

  ifstream masked;
  masked.exceptions(ios_base::failbit);
  EXPECT_THROW(masked.open(fs(), "/nope/file"), ios_base::failure);
}

TEST_P(FstreamTest, OpeningAnOpenStreamFailsAndKeepsTheFirstFile) {
  fs().write_file("/a", "A");
  fs().write_file("/b", "B");
  ifstream in(fs(), "/a");
  in.open(fs(), "/b");
  EXPECT_TRUE(in.fail());
  EXPECT_EQ(in.rdbuf()->path(), "/a");
  in.clear();
  EXPECT_EQ(in.get(), 'A');
}

TEST_P(FstreamTest, CloseThenReopenWorksAndASecondCloseFails) {
  ofstream out(fs(), "/a");
  out << "first";
  out.close();
  EXPECT_FALSE(out.is_open());
  EXPECT_TRUE(out.good());
  out.close();
  EXPECT_TRUE(out.fail());
  out.open(fs(), "/b");
  EXPECT_TRUE(out.good());  // a successful open clears the state
  out << "second";
  out.close();
  EXPECT_EQ(fs().read_file("/a"), "first");
  EXPECT_EQ(fs().read_file("/b"), "second");
}

TEST_P(FstreamTest, BinaryModeKeepsEveryByte) {
  const std::string bytes = pattern(5000) + std::string("\r\n\0\x1a", 4);
  {
    ofstream out(fs(), "/bin", ios_base::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  EXPECT_EQ(fs().read_file("/bin"), bytes);
  ifstream in(fs(), "/bin", ios_base::binary);
  std::string back(bytes.size(), '?');
  in.read(back.data(), static_cast<std::streamsize>(back.size()));
  EXPECT_EQ(in.gcount(), static_cast<std::streamsize>(bytes.size()));
  EXPECT_EQ(back, bytes);
}

TEST_P(FstreamTest, MovedStreamsKeepTheirFileAndPosition) {
  fs().write_file("/f", "abcdef");
  ifstream a(fs(), "/f");
  EXPECT_EQ(a.get(), 'a');
  ifstream b(std::move(a));
  EXPECT_FALSE(a.is_open());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(b.get(), 'b');
  ifstream c;
  c = std::move(b);
  EXPECT_EQ(c.get(), 'c');
  ifstream d(fs(), "/f");
  swap(c, d);
  EXPECT_EQ(c.get(), 'a');
  EXPECT_EQ(d.get(), 'd');

  ofstream out(fs(), "/g");
  out << "12";
  ofstream moved(std::move(out));
  moved << "34";
  moved.close();
  EXPECT_EQ(fs().read_file("/g"), "1234");
}

TEST_P(FstreamTest, TakesTheStandardStreamInterfaces) {
  ofstream out(fs(), "/f");
  std::ostream& os = out;
  os << "via std::ostream&";
  out.close();
  fstream io(fs(), "/f");
  std::iostream& ios = io;
  std::string word;
  ios >> word;
  EXPECT_EQ(word, "via");
  std::streambuf* buf = io.rdbuf();
  EXPECT_EQ(buf->sgetc(), ' ');
}

}  // namespace
}  // namespace memfs::test
