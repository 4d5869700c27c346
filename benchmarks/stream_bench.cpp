// The stream case of DESIGN.md §9: 16 MiB in 64 KiB chunks on a
// MemoryFileSystem, through memfs::ofstream / memfs::ifstream and through
// direct File::write / File::read. The contract: the streams add at most 2×.
//
// BM_StreamOverFileRatio runs both paths in every iteration and reports
// write_ratio / read_ratio counters (stream time / File time; 1.0 = no
// overhead), so the ratio comes from one process and one heap state.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <ios>
#include <stdexcept>
#include <string>

#include <benchmark/benchmark.h>

#include "memfs/memory_file_system.hpp"
#include "memfs/stream.hpp"

namespace {

constexpr std::size_t kTotal = std::size_t{16} << 20;
constexpr std::size_t kChunk = std::size_t{64} << 10;
constexpr const char* kPath = "/bench.bin";

const std::string& chunk() {
  static const std::string data(kChunk, 'x');
  return data;
}

void file_write(memfs::FileSystem& fs, std::size_t piece) {
  memfs::File f = fs.open(kPath, "w");
  for (std::size_t done = 0; done < kTotal; done += piece) {
    (void)f.write(chunk().data(), piece);
  }
  f.close();
}

void stream_write(memfs::FileSystem& fs, std::size_t piece) {
  memfs::ofstream out(fs, kPath, std::ios_base::binary);
  for (std::size_t done = 0; done < kTotal; done += piece) {
    out.write(chunk().data(), static_cast<std::streamsize>(piece));
  }
  out.close();
  if (!out) throw std::runtime_error("stream_write failed");
}

void file_read(memfs::FileSystem& fs, std::string& buffer) {
  memfs::File f = fs.open(kPath, "r");
  while (f.read(buffer.data(), buffer.size()) == buffer.size()) {
    benchmark::DoNotOptimize(buffer.data());
  }
}

void stream_read(memfs::FileSystem& fs, std::string& buffer) {
  memfs::ifstream in(fs, kPath, std::ios_base::binary);
  while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()))) {
    benchmark::DoNotOptimize(buffer.data());
  }
}

void set_bytes(benchmark::State& state) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(kTotal));
}

void BM_FileWrite16MiB(benchmark::State& state) {
  memfs::MemoryFileSystem fs;
  for (auto _ : state) file_write(fs, kChunk);
  set_bytes(state);
}
BENCHMARK(BM_FileWrite16MiB)->Unit(benchmark::kMillisecond);

void BM_StreamWrite16MiB(benchmark::State& state) {
  memfs::MemoryFileSystem fs;
  for (auto _ : state) stream_write(fs, kChunk);
  set_bytes(state);
}
BENCHMARK(BM_StreamWrite16MiB)->Unit(benchmark::kMillisecond);

// Small writes go through the 64 KiB buffer (for information).
void BM_StreamWrite16MiBIn4KiBPieces(benchmark::State& state) {
  memfs::MemoryFileSystem fs;
  for (auto _ : state) stream_write(fs, 4096);
  set_bytes(state);
}
BENCHMARK(BM_StreamWrite16MiBIn4KiBPieces)->Unit(benchmark::kMillisecond);

void BM_FileRead16MiB(benchmark::State& state) {
  memfs::MemoryFileSystem fs;
  file_write(fs, kChunk);
  std::string buffer(kChunk, '\0');
  for (auto _ : state) file_read(fs, buffer);
  set_bytes(state);
}
BENCHMARK(BM_FileRead16MiB)->Unit(benchmark::kMillisecond);

void BM_StreamRead16MiB(benchmark::State& state) {
  memfs::MemoryFileSystem fs;
  file_write(fs, kChunk);
  std::string buffer(kChunk, '\0');
  for (auto _ : state) stream_read(fs, buffer);
  set_bytes(state);
}
BENCHMARK(BM_StreamRead16MiB)->Unit(benchmark::kMillisecond);

void BM_StreamOverFileRatio(benchmark::State& state) {
  using Clock = std::chrono::steady_clock;
  memfs::MemoryFileSystem fs;
  std::string buffer(kChunk, '\0');
  Clock::duration file_w{}, stream_w{}, file_r{}, stream_r{};
  for (auto _ : state) {
    const auto t0 = Clock::now();
    file_write(fs, kChunk);
    const auto t1 = Clock::now();
    stream_write(fs, kChunk);
    const auto t2 = Clock::now();
    file_read(fs, buffer);
    const auto t3 = Clock::now();
    stream_read(fs, buffer);
    const auto t4 = Clock::now();
    file_w += t1 - t0;
    stream_w += t2 - t1;
    file_r += t3 - t2;
    stream_r += t4 - t3;
  }
  state.counters["write_ratio"] = static_cast<double>(stream_w.count()) /
                                  static_cast<double>(file_w.count());
  state.counters["read_ratio"] = static_cast<double>(stream_r.count()) /
                                 static_cast<double>(file_r.count());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(4 * kTotal));
}
BENCHMARK(BM_StreamOverFileRatio)->Unit(benchmark::kMillisecond);

}  // namespace
