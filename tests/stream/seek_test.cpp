// Seeking, mixed reads and writes on one fstream, putback/unget — on every
// backend.
#include <algorithm>
#include <cstdint>
#include <ios>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "memfs/stream.hpp"
#include "support.hpp"

namespace memfs::test {
namespace {

using std::ios_base;

class SeekTest : public BackendTest {};
MEMFS_INSTANTIATE_CONFORMANCE(SeekTest);

TEST_P(SeekTest, SeekgAndTellgFromEveryReference) {
  fs().write_file("/f", "0123456789");
  ifstream in(fs(), "/f");
  EXPECT_EQ(in.tellg(), 0);
  in.seekg(4);
  EXPECT_EQ(in.get(), '4');
  in.seekg(2, ios_base::cur);
  EXPECT_EQ(in.tellg(), 7);
  EXPECT_EQ(in.get(), '7');
  in.seekg(-1, ios_base::end);
  EXPECT_EQ(in.get(), '9');
  in.seekg(-3, ios_base::cur);
  EXPECT_EQ(in.get(), '7');
}

TEST_P(SeekTest, SeekingBeforeTheStartFailsAndKeepsThePosition) {
  fs().write_file("/f", "0123456789");
  ifstream in(fs(), "/f");
  in.seekg(5);
  in.seekg(-6, ios_base::cur);
  EXPECT_TRUE(in.fail());
  EXPECT_EQ(in.error(), std::errc::invalid_argument);
  in.clear();
  EXPECT_EQ(in.tellg(), 5);
}

TEST_P(SeekTest, WritingPastTheEndZeroFills) {
  fstream io(fs(), "/f", ios_base::in | ios_base::out | ios_base::trunc);
  io << "ab";
  io.seekp(5);
  io << "cd";
  io.close();
  EXPECT_EQ(fs().read_file("/f"), std::string("ab\0\0\0cd", 7));
}

TEST_P(SeekTest, SeekpFlushesPendingOutputFirst) {
  ofstream out(fs(), "/f");
  out << "hello world";
  out.seekp(6);
  EXPECT_EQ(fs().read_file("/f"), "hello world");
  out << "WORLD";
  out.seekp(0, ios_base::end);
  EXPECT_EQ(out.tellp(), 11);
  out << "!";
  out.close();
  EXPECT_EQ(fs().read_file("/f"), "hello WORLD!");
}

TEST_P(SeekTest, FstreamAlternatesReadsAndWritesWithoutSeeks) {
  fs().write_file("/f", "hello world");
  fstream io(fs(), "/f");
  char word[6] = {};
  io.read(word, 5);
  EXPECT_STREQ(word, "hello");
  io << "_";                 // lands at position 5, right after what was read
  EXPECT_EQ(io.get(), 'w');  // reading resumes after the write
  io << "O";
  std::string rest;
  io >> rest;
  EXPECT_EQ(rest, "rld");
  io.close();
  EXPECT_EQ(fs().read_file("/f"), "hello_wOrld");
}

// Random reads, writes and seeks on one fstream, checked against a string
// with a single position (the model of a POSIX-style file).
TEST_P(SeekTest, RandomMixedOperationsMatchAModel) {
  std::mt19937 rng(20240611);
  std::string model;
  std::uint64_t pos = 0;
  fstream io;
  io.rdbuf()->pubsetbuf(nullptr, 64);
  io.open(fs(), "/f",
          ios_base::in | ios_base::out | ios_base::trunc | ios_base::binary);
  ASSERT_TRUE(io.is_open());
  for (int step = 0; step < 3000; ++step) {
    SCOPED_TRACE(step);
    const auto n = static_cast<std::size_t>(rng() % 150);
    switch (rng() % 5) {
      case 0:
      case 1: {  // write
        const std::string data = pattern(n, static_cast<std::uint32_t>(step));
        io.write(data.data(), static_cast<std::streamsize>(n));
        if (model.size() < pos + n) model.resize(pos + n, '\0');
        model.replace(pos, n, data);
        pos += n;
        break;
      }
      case 2: {  // read
        std::string got(n, '\0');
        io.read(got.data(), static_cast<std::streamsize>(n));
        const std::size_t expect =
            pos >= model.size() ? 0 : std::min(n, model.size() - pos);
        ASSERT_EQ(static_cast<std::size_t>(io.gcount()), expect);
        if (expect > 0) {
          ASSERT_EQ(got.substr(0, expect), model.substr(pos, expect));
        }
        pos += expect;
        io.clear();  // a short read sets eof|fail
        break;
      }
      case 3: {  // seek somewhere, sometimes past the end
        pos = rng() % (model.size() + 40);
        if (rng() % 2 == 0) {
          io.seekg(static_cast<std::streamoff>(pos));
        } else {
          io.seekp(static_cast<std::streamoff>(pos) - io.tellp(),
                   ios_base::cur);
        }
        break;
      }
      default:
        io.flush();
        ASSERT_EQ(io.tellg(), static_cast<std::streamoff>(pos));
        break;
    }
    ASSERT_FALSE(io.bad());
  }
  io.close();
  EXPECT_EQ(fs().read_file("/f"), model);
}

TEST_P(SeekTest, UngetAndPutbackWorkAcrossBufferRefills) {
  fs().write_file("/f", "abcdefghij");
  ifstream in;
  in.rdbuf()->pubsetbuf(nullptr, 3);
  in.open(fs(), "/f");
  std::string seen;
  for (int i = 0; i < 10; ++i) {
    const int c = in.get();
    in.unget();  // at every buffer boundary too
    ASSERT_TRUE(in.good()) << i;
    ASSERT_EQ(in.get(), c);
    seen += static_cast<char>(c);
  }
  EXPECT_EQ(seen, "abcdefghij");
  for (int i = 0; i < 10; ++i)
    ASSERT_TRUE(in.unget()) << i;  // all the way back
  EXPECT_EQ(in.tellg(), 0);
  EXPECT_FALSE(in.unget());  // nothing before the start
}

TEST_P(SeekTest, PutbackOfAnotherCharacterChangesTheReadNotTheFile) {
  fs().write_file("/f", "abc");
  ifstream in(fs(), "/f");
  EXPECT_EQ(in.get(), 'a');
  in.putback('z');
  EXPECT_TRUE(in.good());
  EXPECT_EQ(in.get(), 'z');
  EXPECT_EQ(in.get(), 'b');
  EXPECT_EQ(fs().read_file("/f"), "abc");
}

}  // namespace
}  // namespace memfs::test
