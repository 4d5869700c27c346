// What the durability model (crash.hpp) costs, DESIGN.md §12:
//   small_files_model_off  300 files x 4 KiB on a fresh MemoryFileSystem
//                          without the model: write through a File, sync,
//                          read back, remove. sync and remove are where the
//                          model's one branch sits; compare with the same
//                          case built without the model (target: within 2%)
//                          and with files_bench's small_files.
//   small_files_model_on   the same with track_durability: each sync copies
//                          the file's bytes, each remove keeps them.
//   points_100_ops         check_crash_points on a 100-operation workload
//                          (50 appends to a log, each synced) with the two
//                          default states per point: 202 crash states made
//                          and checked. Target: well under a second.
//
// Measured on the 2-core dev machine under load (release, CPU time, medians
// of 3 runs x 5 repetitions, alternating with a build of integ without the
// model): small_files_model_off 468.8 us vs 470.4 us without the model
// (ratio 0.997), files_bench's small_files/memfs_file 402.7 us vs 402.7 us
// (1.000); small_files_model_on 603 us; points_100_ops 0.57 ms for 202
// crash states.
//
//   memfs_benchmarks --benchmark_filter=crash
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "memfs/crash.hpp"
#include "memfs/memory_file_system.hpp"

namespace memfs_bench {
namespace {

constexpr std::size_t kFiles = 300;
constexpr std::size_t kFileSize = 4 * kKiB;

void small_files(benchmark::State& state, bool model) {
  const std::vector<std::string> paths = numbered_paths("/bench/f", kFiles, 5);
  const std::string& data = payload(kFileSize);
  memfs::MemoryOptions options = quota_for(kFiles * kFileSize);
  options.track_durability = model;
  std::string buffer(kFileSize, '\0');
  for (auto _ : state) {
    memfs::MemoryFileSystem fs(options);
    fs.create_directories("/bench");
    for (const std::string& p : paths) {
      memfs::File out = fs.open(p, "w");
      if (out.write(data) != data.size()) state.SkipWithError("short write");
      out.sync();
      out.close();
    }
    for (const std::string& p : paths) {
      memfs::File in = fs.open(p, "r");
      benchmark::DoNotOptimize(in.read(buffer.data(), buffer.size()));
    }
    for (const std::string& p : paths) fs.remove(p);
    benchmark::ClobberMemory();
  }
  set_rates(state, kFiles, 2 * kFiles * kFileSize);
}

void points_100_ops(benchmark::State& state) {
  memfs::MemoryOptions options;
  options.track_durability = true;
  std::size_t states = 0;
  for (auto _ : state) {
    memfs::MemoryFileSystem fs(options);
    const auto report = memfs::check_crash_points(
        fs,
        [](memfs::FileSystem& f) {
          memfs::File log = f.open("/log", "w");  // open + 49 x (write, sync)
          f.sync_directory("/");
          for (int i = 0; i < 49; ++i) {
            const std::string record = "record " + std::to_string(i) + "\n";
            if (log.write(record) != record.size())
              throw std::runtime_error("short write");
            log.sync();
          }
        },
        [](memfs::MemoryFileSystem& crashed) {
          benchmark::DoNotOptimize(crashed.exists("/log"));
          return std::string();
        });
    states += report.states_checked;
  }
  state.counters["crash_states"] =
      static_cast<double>(states) / static_cast<double>(state.iterations());
}

const bool kRegistered = [] {
  add("crash", "small_files_model_off",
      [](benchmark::State& s) { small_files(s, false); });
  add("crash", "small_files_model_on",
      [](benchmark::State& s) { small_files(s, true); });
  add("crash", "points_100_ops", points_100_ops);
  return true;
}();

}  // namespace
}  // namespace memfs_bench
