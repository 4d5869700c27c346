// The backend registry of the conformance suite, its fixture, and the memory
// backend. Other backends register themselves from their own files with
// MEMFS_REGISTER_BACKEND (see backend.hpp).
#include <algorithm>
#include <utility>

#include "backend.hpp"
#include "memfs/memory_file_system.hpp"

namespace memfs::test {
namespace {

std::vector<Backend>& registry() {
  static std::vector<Backend> backends;
  return backends;
}

// Limits of the memory backend: small enough for a test to reach.
constexpr std::uint64_t kMemoryQuota = 1u << 20;
constexpr std::uint64_t kMemoryNodes = 256;

MemoryOptions limited() {
  MemoryOptions options;
  options.max_quota = kMemoryQuota;
  options.max_nodes = kMemoryNodes;
  return options;
}

// The in-memory filesystem.
Backend memory_backend() {
  Backend b;
  b.name = "memory";
  b.make = [] { return std::make_unique<MemoryFileSystem>(limited()); };
  b.make_lock_on_open = [](std::shared_ptr<Clock> clock,
                           std::chrono::nanoseconds lock_timeout) {
    MemoryOptions options = limited();
    options.lock_on_open = true;
    options.clock = std::move(clock);
    options.default_lock_timeout = lock_timeout;
    return std::make_unique<MemoryFileSystem>(options);
  };
  b.quota = kMemoryQuota;
  b.node_limit = kMemoryNodes;
  b.exact_stats = true;
  b.has_generation = true;
  b.sets_times = true;
  b.exchanges = true;
  return b;
}

}  // namespace

MEMFS_REGISTER_BACKEND(memory_backend);

BackendRegistration::BackendRegistration(Backend (*factory)()) {
  auto& backends = registry();
  backends.push_back(factory());
  std::sort(backends.begin(), backends.end(),
            [](const Backend& a, const Backend& b) { return a.name < b.name; });
}

const std::vector<Backend>& all_backends() { return registry(); }

std::vector<Backend> backends_where(bool (*has)(const Backend&)) {
  std::vector<Backend> out;
  for (const Backend& b : registry()) {
    if (has(b)) out.push_back(b);
  }
  return out;
}

void PrintTo(const Backend& backend, std::ostream* os) { *os << backend.name; }

std::string backend_test_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param.name;
}

void BackendTest::SetUp() {
  fs_ = GetParam().make();
  ASSERT_NE(fs_, nullptr);
}

void BackendTest::TearDown() { fs_.reset(); }

}  // namespace memfs::test
