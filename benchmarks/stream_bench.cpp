// The stream cases of DESIGN.md §9, each run on every streamer of
// bench_streams.hpp (memfs File handles, memfs streams, memcpy, fstream and
// POSIX on tmpfs and on disk):
//
//   stream_16m        write 16 MiB in 64 KiB chunks, then read it back in
//                     64 KiB chunks. Targets: memfs at least a third of
//                     memcpy's bandwidth and at least 2x POSIX on tmpfs.
//   stream_16m_4k     the same written in 4 KiB pieces (for information:
//                     small writes through the stream buffer).
//   random_overwrite  256 overwrites of 64 KiB at seeded random offsets of
//                     a 16 MiB file (prepared before timing).
//   stream_overhead   memfs streams against memfs File handles, both run
//                     in every iteration: write_ratio / read_ratio counters
//                     are stream time / File time (the streams' contract:
//                     at most 2x; 1.0 = no overhead).
#include <chrono>
#include <string>
#include <vector>

#include "bench_streams.hpp"

namespace memfs_bench {
namespace {

constexpr std::uint64_t kTotal = 16 * kMiB;
constexpr std::size_t kChunk = 64 * kKiB;
constexpr std::size_t kOverwrites = 256;

template <class Streamer, std::size_t kPiece>
void stream_write_read(benchmark::State& state) {
  const Place place(Streamer::kHost);
  Streamer s(place, kTotal);
  const std::string& chunk = payload(kPiece);
  std::string buffer(kChunk, '\0');
  std::uint64_t read = 0;
  for (auto _ : state) {
    s.write(kTotal, chunk);
    read += s.read(buffer);
  }
  if (read != static_cast<std::uint64_t>(state.iterations()) * kTotal) {
    state.SkipWithError("read back the wrong number of bytes");
  }
  set_rates(state, kTotal / kPiece, 2 * kTotal);
}

template <class Streamer>
void random_overwrite(benchmark::State& state) {
  const Place place(Streamer::kHost);
  Streamer s(place, kTotal);
  const std::string& chunk = payload(kChunk);
  s.write(kTotal, chunk);
  const std::vector<std::uint64_t> offsets =
      random_offsets(kOverwrites, kTotal - kChunk);
  for (auto _ : state) s.overwrite(offsets, chunk);
  set_rates(state, kOverwrites, kOverwrites * kChunk);
}

void stream_overhead(benchmark::State& state) {
  using Clock = std::chrono::steady_clock;
  const Place place(std::nullopt);
  MemfsFileStreamer file(place, kTotal);
  MemfsStreamStreamer stream(place, kTotal);
  const std::string& chunk = payload(kChunk);
  std::string buffer(kChunk, '\0');
  Clock::duration file_w{}, stream_w{}, file_r{}, stream_r{};
  for (auto _ : state) {
    const auto t0 = Clock::now();
    file.write(kTotal, chunk);
    const auto t1 = Clock::now();
    stream.write(kTotal, chunk);
    const auto t2 = Clock::now();
    benchmark::DoNotOptimize(file.read(buffer));
    const auto t3 = Clock::now();
    benchmark::DoNotOptimize(stream.read(buffer));
    const auto t4 = Clock::now();
    file_w += t1 - t0;
    stream_w += t2 - t1;
    file_r += t3 - t2;
    stream_r += t4 - t3;
  }
  const auto ratio = [](Clock::duration a, Clock::duration b) {
    return static_cast<double>(a.count()) / static_cast<double>(b.count());
  };
  state.counters["write_ratio"] = ratio(stream_w, file_w);
  state.counters["read_ratio"] = ratio(stream_r, file_r);
  set_rates(state, 4 * (kTotal / kChunk), 4 * kTotal);
}

const bool kRegistered = [] {
  for_each_streamer([](auto tag) {
    using Streamer = typename decltype(tag)::type;
    add("stream_16m", Streamer::kName, stream_write_read<Streamer, kChunk>)
        ->Unit(benchmark::kMillisecond);
    add("stream_16m_4k", Streamer::kName, stream_write_read<Streamer, 4 * kKiB>)
        ->Unit(benchmark::kMillisecond);
    add("random_overwrite", Streamer::kName, random_overwrite<Streamer>)
        ->Unit(benchmark::kMillisecond);
  });
  add("stream_overhead", "memfs_stream", stream_overhead)
      ->Unit(benchmark::kMillisecond);
  return true;
}();

}  // namespace
}  // namespace memfs_bench
