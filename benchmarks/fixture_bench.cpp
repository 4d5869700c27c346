// What a test suite pays around its tests (DESIGN.md §9):
//
//   fixture_cycle  one test's fixture, per iteration: a fresh store, import of
//                  100 files x 1 KiB (10 folders of 10), a small workload
//                  (10 reads, 5 new files, 5 overwrites, 2 listings), then
//                  the store is discarded. On every store of bench_stores.hpp
//                  (a temp folder on tmpfs / disk is created, populated and
//                  remove_all'ed), plus:
//                    memfs_injector  a FaultInjector attached, no rules (what
//                                    the adapters set up);
//                    memfs_session   a whole TestSession, as the GoogleTest and
//                                    Catch2 adapters run one per test;
//                    memfs_golden    no import: a clone of a 1,000-file golden
//                                    tree (the same 100 files + 900 more),
//                                    built once (MemoryFileSystem::clone).
//                  Targets: memfs within 1.5x of the hash-map floor; the
//                  golden clone no slower than memfs_api importing 100 files.
//   export         10,000 files x 4 KiB (100 folders of 100) exported with
//                  export_to_disk to a disk folder (tree/, manifest.json and
//                  index.html; memfs_api_no_page without the page, so the
//                  page's share shows),
//                  against std::filesystem::copy (recursive) of the same tree
//                  from tmpfs to the same disk folder. Removing the copy
//                  after each iteration is not timed. Target: within 1.5x.
#include <filesystem>
#include <string>
#include <vector>

#include "bench_stores.hpp"
#include "memfs/fault_injection.hpp"
#include "memfs/snapshot.hpp"
#include "memfs/test_session.hpp"

namespace memfs_bench {
namespace {

constexpr std::size_t kFixtureSize = kKiB;
constexpr std::size_t kExportDirs = 100;
constexpr std::size_t kExportPerDir = 100;
constexpr std::size_t kExportSize = 4 * kKiB;

// "/data/dNN/fNN.txt" -> 1 KiB, or (export) "/dNN/fNNNN.bin" -> 4 KiB.
GoldenTree make_tree(std::string_view top, std::size_t dirs,
                     std::size_t per_dir, std::size_t size) {
  GoldenTree tree;
  for (std::size_t d = 0; d < dirs; ++d) {
    const std::string dir = std::string(top) + "/d" + std::to_string(d);
    for (const std::string& p : numbered_paths(dir + "/f", per_dir, 4)) {
      tree.emplace(p, payload(size));
    }
  }
  return tree;
}

/// A MemoryFileSystem with a FaultInjector attached and no rule armed.
class MemfsInjectorStore : public MemfsApiStore {
 public:
  static constexpr const char* kName = "memfs_injector";
  explicit MemfsInjectorStore(const Place& place,
                              memfs::MemoryOptions options = {})
      : MemfsApiStore(place, std::move(options)), faults_(fs()) {}

 private:
  memfs::FaultInjector faults_;
};

/// Owns the TestSession of MemfsSessionStore (a base, so it is built first).
struct OwnedSession {
  explicit OwnedSession(const memfs::MemoryOptions& options)
      : session(memfs::TestIdentity{
            "Bench.FixtureCycle", "benchmark", {}, {}, 0, {}, {}}) {
    session.set_options(options);
  }
  ~OwnedSession() { (void)session.finish(false); }  // passed: nothing exported
  OwnedSession(const OwnedSession&) = delete;
  OwnedSession& operator=(const OwnedSession&) = delete;
  memfs::TestSession session;
};

/// A whole per-test session (filesystem + injector, export policy checked
/// at the end), as the adapters run one.
class MemfsSessionStore : private OwnedSession, public MemfsCalls {
 public:
  static constexpr const char* kName = "memfs_session";
  explicit MemfsSessionStore(const Place&,
                             const memfs::MemoryOptions& options = {})
      : OwnedSession(options), MemfsCalls(session.fs()) {}
};

/// Owns the clone of MemfsGoldenStore (a base, so it is made first).
struct OwnedClone {
  // The golden tree: the fixture's 100 files under /data and 900 more under
  // /extra, built once per process.
  static const memfs::MemoryFileSystem& golden(const Place& place) {
    static const auto tree = [&] {
      auto fs = std::make_unique<memfs::MemoryFileSystem>(quota_for(4 * kMiB));
      fs->import_tree(place.tree(make_tree("/data", 10, 10, kFixtureSize)));
      fs->import_tree(place.tree(make_tree("/extra", 90, 10, kFixtureSize)));
      return fs;
    }();
    return *tree;
  }
  explicit OwnedClone(const Place& place) : clone(golden(place).clone()) {}
  std::unique_ptr<memfs::MemoryFileSystem> clone;
};

/// A test's filesystem cloned from a golden tree: its import does nothing,
/// the files are there already.
class MemfsGoldenStore : private OwnedClone, public MemfsCalls {
 public:
  static constexpr const char* kName = "memfs_golden";
  explicit MemfsGoldenStore(const Place& place,
                            const memfs::MemoryOptions& = {})
      : OwnedClone(place), MemfsCalls(*clone) {}
  void import_tree(const GoldenTree&) {}
};

template <class Store>
void fixture_cycle(benchmark::State& state) {
  const Place place(Store::kHost);
  const GoldenTree golden =
      place.tree(make_tree("/data", 10, 10, kFixtureSize));
  std::vector<std::string> reads;
  for (int d = 0; d < 10; ++d) {
    reads.push_back(place.path("/data/d" + std::to_string(d) + "/f000" +
                               std::to_string(d) + ".bin"));
  }
  const std::vector<std::string> overwrites(reads.begin(), reads.begin() + 5);
  const std::string out_dir = place.path("/data/out");
  const std::vector<std::string> created =
      place.paths(numbered_paths("/data/out/r", 5, 2));
  const std::string list_a = place.path("/data/d3");
  const std::string list_b = place.path("/data");
  const std::string& data = payload(kFixtureSize);
  const memfs::MemoryOptions options = quota_for(kMiB);
  std::string buffer(kFixtureSize, '\0');
  std::uint64_t listed = 0;
  for (auto _ : state) {
    Store store(place, options);
    store.import_tree(golden);
    for (const std::string& p : reads)
      benchmark::DoNotOptimize(store.read(p, buffer));
    store.make_dirs(out_dir);
    for (const std::string& p : created) store.write(p, data);
    for (const std::string& p : overwrites) store.write(p, data);
    listed += store.list(list_a).size() + store.list(list_b).size();
  }
  if (listed != static_cast<std::uint64_t>(state.iterations()) * (10 + 11)) {
    state.SkipWithError("listings are wrong");
  }
  set_rates(state, 1, (golden.size() + 20) * kFixtureSize);
}

// Takes an exported tree out of the way (timing paused). Deleting it instead
// would skew the next iteration: ext4 avoids reusing inodes freed in the last
// few seconds and scans past them, which made creating 10,000 files cost 2x
// to 5x more, at random, for memfs and std::filesystem::copy alike. The trees
// are removed at exit.
void bury(const std::string& tree) {
  static const TempDir graveyard(Host::disk);
  static std::size_t count = 0;
  std::filesystem::rename(tree,
                          graveyard.path() + "/" + std::to_string(count++));
}

void export_memfs(benchmark::State& state, bool preserve_times,
                  bool page = true) {
  const TempDir out(Host::disk);
  memfs::MemoryFileSystem fs(
      quota_for(kExportDirs * kExportPerDir * kExportSize));
  fs.import_tree(make_tree("", kExportDirs, kExportPerDir, kExportSize));
  memfs::ExportOptions options;
  options.preserve_times = preserve_times;
  options.page = page;
  for (auto _ : state) {
    const memfs::ExportReport report =
        memfs::export_to_disk(fs, out.path(), options);
    state.PauseTiming();
    bury(report.folder.string());
    state.ResumeTiming();
  }
  set_rates(state, kExportDirs * kExportPerDir,
            kExportDirs * kExportPerDir * kExportSize);
}

void export_fs_copy(benchmark::State& state) {
  const TempDir out(Host::disk);
  const Place source(Host::tmpfs);
  HostStore<PosixIo, Host::tmpfs> tree(source);
  tree.import_tree(
      source.tree(make_tree("", kExportDirs, kExportPerDir, kExportSize)));
  const std::string copy = out.path() + "/copy";
  for (auto _ : state) {
    std::filesystem::copy(source.root(), copy,
                          std::filesystem::copy_options::recursive);
    state.PauseTiming();
    bury(copy);
    state.ResumeTiming();
  }
  set_rates(state, kExportDirs * kExportPerDir,
            kExportDirs * kExportPerDir * kExportSize);
}

const bool kRegistered = [] {
  const auto add_cycle = [](auto tag) {
    using Store = typename decltype(tag)::type;
    add("fixture_cycle", Store::kName, fixture_cycle<Store>)
        ->Unit(benchmark::kMicrosecond);
  };
  for_each_store(add_cycle);
  add_cycle(Tag<MemfsInjectorStore>{});
  add_cycle(Tag<MemfsSessionStore>{});
  add_cycle(Tag<MemfsGoldenStore>{});
  add("export", "memfs_api", [](benchmark::State& s) {
    export_memfs(s, true);
  })->Unit(benchmark::kMillisecond);
  add("export", "memfs_api_no_times", [](benchmark::State& s) {
    export_memfs(s, false);
  })->Unit(benchmark::kMillisecond);
  add("export", "memfs_api_no_page", [](benchmark::State& s) {
    export_memfs(s, true, false);
  })->Unit(benchmark::kMillisecond);
  add("export", "fs_copy_tmpfs", export_fs_copy)->Unit(benchmark::kMillisecond);
  return true;
}();

}  // namespace
}  // namespace memfs_bench
