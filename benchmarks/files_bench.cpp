// The whole-file cases of DESIGN.md §9, each run on every store of
// bench_stores.hpp (memfs through write_file/read_file and through File
// handles, the hash-map floor, fstream and POSIX on tmpfs and on disk):
//
//   small_files  300 files x 4 KiB: make /bench, write each, read each back.
//                Target: memfs within 1.5x of the hash-map floor.
//   many_files   10,000 files x 4 KiB in one folder, then 5,000 reads of
//                files picked at random (seeded, with replacement).
//                Target: within 1.5x of the floor.
//   depth50      open + read + close of a 1 KiB file 50 folders deep (one
//                per iteration). Target: at least 20x faster than fstream on
//                tmpfs. depth1 is the same at depth 1, for reference.
//
// small_files and many_files start every iteration from an empty store and
// discard it at the end (memfs and the map: destructor; folders:
// std::filesystem::remove_all), as D-MemFS's suite builds a fresh filesystem
// per run. Everything a case needs (paths, data, random picks) is computed
// before timing starts.
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_stores.hpp"

namespace memfs_bench {
namespace {

constexpr std::size_t kSmallCount = 300;
constexpr std::size_t kSmallSize = 4 * kKiB;
constexpr std::size_t kManyCount = 10'000;
constexpr std::size_t kManyReads = 5'000;
constexpr std::size_t kDeepSize = kKiB;

void expect_bytes(benchmark::State& state, std::uint64_t got,
                  std::uint64_t want) {
  if (got != want) state.SkipWithError("read back the wrong number of bytes");
}

template <class Store>
void small_files(benchmark::State& state) {
  const Place place(Store::kHost);
  const std::string dir = place.path("/bench");
  const std::vector<std::string> paths =
      place.paths(numbered_paths("/bench/f", kSmallCount, 5));
  const std::string& data = payload(kSmallSize);
  const memfs::MemoryOptions options = quota_for(kSmallCount * kSmallSize);
  std::string buffer(kSmallSize, '\0');
  std::uint64_t read = 0;
  for (auto _ : state) {
    Store store(place, options);
    store.make_dirs(dir);
    for (const std::string& p : paths) store.write(p, data);
    for (const std::string& p : paths) read += store.read(p, buffer);
  }
  expect_bytes(state, read,
               static_cast<std::uint64_t>(state.iterations()) * kSmallCount *
                   kSmallSize);
  set_rates(state, kSmallCount, 2 * kSmallCount * kSmallSize);
}

template <class Store>
void many_files(benchmark::State& state) {
  const Place place(Store::kHost);
  const std::vector<std::string> paths =
      place.paths(numbered_paths("/f", kManyCount));
  const std::vector<std::size_t> picks = random_indices(kManyReads, kManyCount);
  const std::string& data = payload(kSmallSize);
  const memfs::MemoryOptions options = quota_for(kManyCount * kSmallSize);
  std::string buffer(kSmallSize, '\0');
  std::uint64_t read = 0;
  for (auto _ : state) {
    Store store(place, options);
    for (const std::string& p : paths) store.write(p, data);
    for (const std::size_t i : picks) read += store.read(paths[i], buffer);
  }
  expect_bytes(
      state, read,
      static_cast<std::uint64_t>(state.iterations()) * kManyReads * kSmallSize);
  set_rates(state, kManyCount + kManyReads,
            (kManyCount + kManyReads) * kSmallSize);
}

template <class Store, int kDepth>
void deep_open(benchmark::State& state) {
  const Place place(Store::kHost);
  const std::string path = place.path(deep_path(kDepth, "leaf.bin"));
  Store store(place);
  store.make_dirs(path.substr(0, path.rfind('/')));
  store.write(path, payload(kDeepSize));
  std::string buffer(kDeepSize, '\0');
  std::uint64_t read = 0;
  for (auto _ : state) read += store.read(path, buffer);
  expect_bytes(state, read,
               static_cast<std::uint64_t>(state.iterations()) * kDeepSize);
  set_rates(state, 1, kDeepSize);
}

const bool kRegistered = [] {
  for_each_store([](auto tag) {
    using Store = typename decltype(tag)::type;
    add("small_files", Store::kName, small_files<Store>);
    add("many_files", Store::kName, many_files<Store>)
        ->Unit(benchmark::kMillisecond);
    add("depth50", Store::kName, deep_open<Store, 50>);
    add("depth1", Store::kName, deep_open<Store, 1>);
  });
  return true;
}();

}  // namespace
}  // namespace memfs_bench
