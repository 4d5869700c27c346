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

// The in-memory filesystem.
Backend memory_backend() {
  Backend b = memory_options_backend<MemoryFileSystem>("memory", true);
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
