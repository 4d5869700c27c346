// threads (DESIGN.md §9): 1, 2 and 4 threads, each writing and reading back
// its own 300 files x 4 KiB (in its own folder) per iteration, on one shared
// store: memfs (write_file/read_file and File handles), fstream and POSIX on
// tmpfs and disk. Floors: `hashmap` gives each thread a private map (no
// sharing, no lock: perfect scaling), `hashmap_mutex` shares one map behind a
// std::mutex (the simplest thread-safe store).
//
// threads_read: the same files, read only (each thread's own, written
// before the loop): 2 threads should read at least 1.6x what one does.
//
// Wall-clock time (UseRealTime); items_per_second is the total over all
// threads, so scaling reads as items/s at N threads over items/s at 1.
// Files persist across iterations (each iteration overwrites them). On a
// 2-core machine 4 threads oversubscribe the CPU: that row measures
// contention, not parallelism.
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "bench_stores.hpp"

namespace memfs_bench {
namespace {

constexpr std::size_t kFiles = 300;
constexpr std::size_t kSize = 4 * kKiB;

/// The floor with one lock around it.
class LockedMapStore {
 public:
  static constexpr const char* kName = "hashmap_mutex";
  static constexpr std::optional<Host> kHost{};
  explicit LockedMapStore(const Place& place, const memfs::MemoryOptions& = {})
      : map_(place) {}

  void make_dirs(const std::string&) {}
  void write(const std::string& path, std::string_view data) {
    const std::lock_guard<std::mutex> lock(mutex_);
    map_.write(path, data);
  }
  std::size_t read(const std::string& path, std::string& buffer) {
    const std::lock_guard<std::mutex> lock(mutex_);
    return map_.read(path, buffer);
  }

 private:
  std::mutex mutex_;
  MapStore map_;
};

// The store all threads of one benchmark run share (built in Setup).
template <class Store>
struct Shared {
  static inline std::unique_ptr<Place> place;
  static inline std::unique_ptr<Store> store;
  static void setup(const benchmark::State&) {
    place = std::make_unique<Place>(Store::kHost);
    store = std::make_unique<Store>(*place, quota_for(8 * kFiles * kSize));
  }
  static void teardown(const benchmark::State&) {
    store.reset();
    place.reset();
  }
};

// Runs body(store, paths, buffer) as one thread's part: its own store
// (kPrivate) or the shared one, and its own folder `prefix`<thread> of
// kFiles paths, created first.
template <class Store, bool kPrivate, class Body>
void per_thread(benchmark::State& state, const char* prefix, Body&& body) {
  std::unique_ptr<Store> own;
  if constexpr (kPrivate) own = std::make_unique<Store>(*Shared<Store>::place);
  Store& store = kPrivate ? *own : *Shared<Store>::store;
  const Place& place = *Shared<Store>::place;
  const std::string dir = prefix + std::to_string(state.thread_index());
  const std::vector<std::string> paths =
      place.paths(numbered_paths(dir + "/f", kFiles, 5));
  store.make_dirs(place.path(dir));
  std::string buffer(kSize, '\0');
  body(store, paths, buffer);
}

template <class Store, bool kPrivate>
void threads_small_files(benchmark::State& state) {
  per_thread<Store, kPrivate>(
      state, "/t", [&](Store& store, const auto& paths, std::string& buffer) {
        const std::string& data = payload(kSize);
        for (auto _ : state) {
          for (const std::string& p : paths) store.write(p, data);
          for (const std::string& p : paths)
            benchmark::DoNotOptimize(store.read(p, buffer));
        }
      });
  set_rates(state, kFiles, 2 * kFiles * kSize);
}

// threads_read: each thread reads back its own 300 files (written before
// the loop), so the row shows whether reads of disjoint files scale.
template <class Store, bool kPrivate>
void threads_read(benchmark::State& state) {
  per_thread<Store, kPrivate>(
      state, "/r", [&](Store& store, const auto& paths, std::string& buffer) {
        for (const std::string& p : paths) store.write(p, payload(kSize));
        for (auto _ : state) {
          for (const std::string& p : paths)
            benchmark::DoNotOptimize(store.read(p, buffer));
        }
      });
  set_rates(state, kFiles, kFiles * kSize);
}

template <class Store, bool kPrivate = false>
void add_threads() {
  const auto shared = [](benchmark::internal::Benchmark* b) {
    return b->Setup(Shared<Store>::setup)
        ->Teardown(Shared<Store>::teardown)
        ->Threads(1)
        ->Threads(2);
  };
  if constexpr (!Store::kHost) {  // in-memory stores: the read-scaling target
    shared(add("threads_read", Store::kName, threads_read<Store, kPrivate>))
        ->UseRealTime()
        ->Unit(benchmark::kMicrosecond);
  }
  shared(add("threads", Store::kName, threads_small_files<Store, kPrivate>))
      ->Threads(4)
      ->UseRealTime()
      ->Unit(benchmark::kMicrosecond);
}

const bool kRegistered = [] {
  for_each_store([](auto tag) {
    using Store = typename decltype(tag)::type;
    add_threads<Store, std::is_same_v<Store, MapStore>>();
  });
  add_threads<LockedMapStore>();
  return true;
}();

}  // namespace
}  // namespace memfs_bench
