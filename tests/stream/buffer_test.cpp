// memfs::filebuf buffering: data across buffer boundaries, buffer sizes,
// when bytes reach the file, in_avail and sync — on every backend.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <ios>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "memfs/stream.hpp"
#include "support.hpp"

namespace memfs::test {
namespace {

using std::ios_base;

class BufferTest : public BackendTest {};
MEMFS_INSTANTIATE_CONFORMANCE(BufferTest);

// Writes `data` in chunks cycling through `chunks`, through a filebuf whose
// buffer holds `buffer` bytes.
void write_in_chunks(FileSystem& fs, const std::string& data,
                     std::streamsize buffer,
                     const std::vector<std::size_t>& chunks) {
  ofstream out;
  out.rdbuf()->pubsetbuf(nullptr, buffer);
  out.open(fs, "/data", ios_base::binary);
  ASSERT_TRUE(out.is_open());
  std::size_t at = 0;
  for (std::size_t i = 0; at < data.size(); ++i) {
    const std::size_t n = std::min(chunks[i % chunks.size()], data.size() - at);
    if (n == 1) {
      out.put(data[at]);
    } else {
      out.write(data.data() + at, static_cast<std::streamsize>(n));
    }
    at += n;
  }
  out.close();
  ASSERT_TRUE(out.good());
}

// Reads the file back the same way.
std::string read_in_chunks(FileSystem& fs, std::streamsize buffer,
                           const std::vector<std::size_t>& chunks) {
  ifstream in;
  in.rdbuf()->pubsetbuf(nullptr, buffer);
  in.open(fs, "/data", ios_base::binary);
  std::string out;
  for (std::size_t i = 0; in; ++i) {
    const std::size_t n = chunks[i % chunks.size()];
    if (n == 1) {
      const int c = in.get();
      if (c != std::char_traits<char>::eof()) out += static_cast<char>(c);
    } else {
      std::string part(n, '\0');
      in.read(part.data(), static_cast<std::streamsize>(n));
      out.append(part, 0, static_cast<std::size_t>(in.gcount()));
    }
  }
  EXPECT_TRUE(in.eof());
  EXPECT_FALSE(in.bad());
  return out;
}

TEST_P(BufferTest, LargeDataCrossesBufferBoundariesIntact) {
  const std::string data = pattern(300 * 1024 + 123);
  const std::vector<std::size_t> writes = {1, 7, 4096, 70000, 65536, 3};
  const std::vector<std::size_t> reads = {65536, 1, 100000, 13, 8191};
  for (const std::streamsize buffer :
       {std::streamsize{65536}, std::streamsize{4096}, std::streamsize{16},
        std::streamsize{1}, std::streamsize{0}}) {
    SCOPED_TRACE(buffer);
    write_in_chunks(fs(), data, buffer, writes);
    EXPECT_EQ(fs().read_file("/data"), data);
    EXPECT_EQ(read_in_chunks(fs(), buffer, reads), data);
    EXPECT_EQ(read_in_chunks(fs(), buffer, writes), data);
  }
}

TEST_P(BufferTest, OutputStaysBufferedUntilFlushOrAFullBuffer) {
  ofstream out;
  out.rdbuf()->pubsetbuf(nullptr, 8);
  out.open(fs(), "/f");
  out << "abc";
  EXPECT_EQ(fs().file_size("/f"), 0u);
  EXPECT_EQ(out.tellp(), 3);  // telling does not flush
  EXPECT_EQ(fs().file_size("/f"), 0u);
  out << "defghij";  // passes 8 bytes
  EXPECT_GE(fs().file_size("/f"), 3u);
  out << std::flush;
  EXPECT_EQ(fs().read_file("/f"), "abcdefghij");
}

TEST_P(BufferTest, UnbufferedOutputReachesTheFileAtOnce) {
  ofstream out;
  ASSERT_NE(out.rdbuf()->pubsetbuf(nullptr, 0), nullptr);
  out.open(fs(), "/f");
  out << 'a';
  EXPECT_EQ(fs().read_file("/f"), "a");
  out << "bcd";
  EXPECT_EQ(fs().read_file("/f"), "abcd");
}

TEST_P(BufferTest, UsesACallerSuppliedBuffer) {
  char storage[5];
  ofstream out;
  ASSERT_NE(out.rdbuf()->pubsetbuf(storage, sizeof storage), nullptr);
  out.open(fs(), "/f");
  out << "1234";
  EXPECT_EQ(std::string(storage, 4), "1234");
  out << "56789";
  out.close();
  EXPECT_EQ(fs().read_file("/f"), "123456789");
}

TEST_P(BufferTest, SetbufMidStreamFlushesFirst) {
  ofstream out(fs(), "/f");
  out << "before";
  ASSERT_NE(out.rdbuf()->pubsetbuf(nullptr, 2), nullptr);
  EXPECT_EQ(fs().read_file("/f"), "before");
  out << "after";
  out.close();
  EXPECT_EQ(fs().read_file("/f"), "beforeafter");
}

TEST_P(BufferTest, InAvailCountsBufferedBytesThenTheRestOfTheFile) {
  fs().write_file("/f", "0123456789");
  ifstream in;
  in.rdbuf()->pubsetbuf(nullptr, 4);
  in.open(fs(), "/f");
  EXPECT_EQ(in.rdbuf()->in_avail(), 10);  // nothing buffered yet: the file
  EXPECT_EQ(in.get(), '0');
  EXPECT_EQ(in.rdbuf()->in_avail(), 3);  // the rest of the 4-byte buffer
  in.seekg(0, ios_base::end);
  EXPECT_EQ(in.rdbuf()->in_avail(), -1);  // at the end: reading would fail
}

TEST_P(BufferTest, SyncDropsReadAheadSoTheNextReadSeesNewData) {
  fs().write_file("/f", "aaaa");
  ifstream in(fs(), "/f");
  EXPECT_EQ(in.get(), 'a');  // buffers all four bytes
  {
    File writer = fs().open("/f", "r+");
    (void)writer.write("abbb");
  }
  EXPECT_EQ(in.get(), 'a');  // still the read-ahead
  EXPECT_EQ(in.sync(), 0);
  EXPECT_EQ(in.get(), 'b');
  EXPECT_EQ(in.tellg(), 3);
}

TEST_P(BufferTest, BigReadsAndWritesLeaveThePositionRight) {
  const std::string data = pattern(200000);
  fstream io(fs(), "/f", ios_base::in | ios_base::out | ios_base::trunc);
  io.write(data.data(), 150000);  // bigger than the buffer: written directly
  EXPECT_EQ(io.tellp(), 150000);
  io.write(data.data() + 150000, 50000);
  io.seekg(10);
  std::string back(199990, '\0');
  io.read(back.data(), static_cast<std::streamsize>(back.size()));
  EXPECT_EQ(io.tellg(), 200000);
  EXPECT_EQ(back, data.substr(10));
}

TEST_P(BufferTest, StreamsInSeparateThreadsDoNotInterfere) {
  const std::string shared = pattern(100000, 99);
  fs().write_file("/shared", shared);
  constexpr int kThreads = 4;
  std::vector<std::string> read_back(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t, &read_back] {
      const std::string path = "/t" + std::to_string(t);
      const std::string data = pattern(50000, static_cast<std::uint32_t>(t));
      {
        ofstream out;
        out.rdbuf()->pubsetbuf(nullptr, 1000);
        out.open(fs(), path);
        for (std::size_t i = 0; i < data.size(); i += 777) {
          out << data.substr(i, 777);
        }
      }
      ifstream mine(fs(), path);
      ifstream common(fs(), "/shared");
      std::string a(data.size(), '\0');
      mine.read(a.data(), static_cast<std::streamsize>(a.size()));
      read_back[static_cast<std::size_t>(t)].assign(
          std::istreambuf_iterator<char>(common), {});
      if (a != data) read_back[static_cast<std::size_t>(t)] = "mismatch";
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& r : read_back) EXPECT_EQ(r, shared);
}

}  // namespace
}  // namespace memfs::test
