// Memory versus disk: seeded random operation sequences run against a
// MemoryFileSystem and a DiskFileSystem on tmpfs must give the same results,
// the same error codes and the same state after every step (see
// differential_runner.hpp for what is compared and what is not).
//
// The default suite runs 10,000 operations as 10 sequences of 1,000 (seeds
// kDefaultSeed + 0..9). Longer or other runs:
//
//     MEMFS_DIFF_OPS=1000000 MEMFS_DIFF_SEED=42 ./memfs_disk_tests
//         --gtest_filter='Differential*'
//
// A failure prints the seed of its sequence, so that sequence replays alone
// with MEMFS_DIFF_SEED=<seed> MEMFS_DIFF_OPS=<steps>.
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "differential_runner.hpp"

namespace memfs::test {
namespace {

constexpr std::uint64_t kDefaultSeed = 20240521;
constexpr std::uint64_t kDefaultOps = 10000;
constexpr std::uint64_t kSequenceLength = 1000;

std::uint64_t env_number(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::strtoull(v, nullptr, 10) : fallback;
}

TEST(DifferentialTest, MemoryAndDiskAgreeStepByStep) {
  const std::uint64_t base_seed = env_number("MEMFS_DIFF_SEED", kDefaultSeed);
  const std::uint64_t total = env_number("MEMFS_DIFF_OPS", kDefaultOps);
  std::uint64_t done = 0;
  for (std::uint64_t seq = 0; done < total; ++seq) {
    const std::uint64_t seed = base_seed + seq;
    DifferentialRunner runner(seed);
    const std::uint64_t length = std::min(kSequenceLength, total - done);
    for (std::uint64_t i = 0; i < length; ++i) {
      const std::string divergence = runner.step();
      ASSERT_TRUE(divergence.empty())
          << "divergence at step " << i << " of the sequence with seed " << seed
          << " (replay: MEMFS_DIFF_SEED=" << seed
          << " MEMFS_DIFF_OPS=" << (i + 1) << ")\n"
          << divergence;
    }
    done += length;
  }
  EXPECT_EQ(done, total);
}

}  // namespace
}  // namespace memfs::test
