// stream_512m (DESIGN.md §9): write 512 MiB in 1 MiB chunks, then read it
// back in 1 MiB chunks, on every streamer of bench_streams.hpp.
//
// Peak memory: before timing, the in-memory streamers (memfs File, memfs
// streams, memcpy) run the same write + read once in a forked child that
// reports how far its resident set rose (peak_rss_growth). Counters:
//   peak_mib    the rise, in MiB;
//   peak_ratio  the rise / 512 MiB. Target for memfs: under 1.1.
// Host streamers are not measured: their data sits in the page cache, not
// in the process.
//
// A 512 MiB pass takes a while (and writes 512 MiB to the disk folder for the
// disk comparators), so the iteration and repetition counts are fixed low.
#include <string>

#include "bench_streams.hpp"

namespace memfs_bench {
namespace {

constexpr std::uint64_t kTotal = 512 * kMiB;
constexpr std::size_t kChunk = kMiB;

template <class Streamer>
void stream_512m(benchmark::State& state) {
  const Place place(Streamer::kHost);
  const std::string& chunk = payload(kChunk);
  if constexpr (!Streamer::kHost) {
    const std::uint64_t growth = peak_rss_growth([&place, &chunk] {
      Streamer s(place, kTotal);
      std::string buffer(kChunk, '\0');
      s.write(kTotal, chunk);
      if (s.read(buffer) != kTotal) throw std::runtime_error("short read");
    });
    state.counters["peak_mib"] =
        static_cast<double>(growth) / static_cast<double>(kMiB);
    state.counters["peak_ratio"] =
        static_cast<double>(growth) / static_cast<double>(kTotal);
  }
  Streamer s(place, kTotal);
  std::string buffer(kChunk, '\0');
  std::uint64_t read = 0;
  for (auto _ : state) {
    s.write(kTotal, chunk);
    read += s.read(buffer);
  }
  if (read != static_cast<std::uint64_t>(state.iterations()) * kTotal) {
    state.SkipWithError("read back the wrong number of bytes");
  }
  set_rates(state, kTotal / kChunk, 2 * kTotal);
}

const bool kRegistered = [] {
  for_each_streamer([](auto tag) {
    using Streamer = typename decltype(tag)::type;
    add("stream_512m", Streamer::kName, stream_512m<Streamer>)
        ->Unit(benchmark::kMillisecond)
        ->Iterations(2)
        ->Repetitions(3);
  });
  return true;
}();

}  // namespace
}  // namespace memfs_bench
