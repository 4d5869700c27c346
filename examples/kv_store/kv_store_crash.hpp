// The crash-point workload and recovery check that the kv_store suites of both
// frameworks run (memfs::gtest / memfs::catch2 for_each_crash_point): 100
// puts, each acknowledged only once put() returned success; after a crash at
// any point, reopening the store must give back a prefix of the puts that
// holds every acknowledged one.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "kv_store.hpp"
#include "memfs/crash.hpp"
#include "memfs/memory_file_system.hpp"

namespace example {

class KvCrashCheck {
 public:
  static constexpr int kPuts = 100;

  static std::string key(int i) { return "key" + std::to_string(i); }
  static std::string value(int i) {
    return std::string(static_cast<std::size_t>(i % 7 + 1), char('a' + i % 26));
  }

  // The workload: notes the crash point at which each put was acknowledged.
  void operator()(memfs::FileSystem& fs) {
    KvStore store(fs, "/db");
    for (int i = 0; i < kPuts; ++i) {
      if (!store.put(key(i), value(i)))
        acked_at_.push_back(memfs::current_crash_point());
    }
  }

  // The recovery check: "" when the store reopens with a prefix of the puts
  // holding every put acknowledged at or before the crash point.
  std::string check(memfs::MemoryFileSystem& crashed) const {
    std::size_t acked = 0;
    for (std::size_t at : acked_at_)
      if (at <= memfs::current_crash_point()) ++acked;
    KvStore store(crashed, "/db");
    for (std::size_t i = 0; i < store.size(); ++i) {
      const int n = static_cast<int>(i);
      if (store.get(key(n)) != value(n))
        return "put " + std::to_string(i) + " recovered wrong";
    }
    if (store.size() < acked) {
      return std::to_string(acked) + " puts acknowledged, " +
             std::to_string(store.size()) + " recovered";
    }
    return "";
  }

  [[nodiscard]] std::size_t acknowledged() const { return acked_at_.size(); }

 private:
  std::vector<std::size_t> acked_at_;
};

}  // namespace example
