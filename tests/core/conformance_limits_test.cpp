// Conformance: the byte quota and the node cap, for backends that enforce
// them (Backend::quota / Backend::node_limit), and the usage counters.
#include <limits>
#include <string>

#include "backend.hpp"
#include "test_util.hpp"

namespace memfs::test {
namespace {

class LimitsTest : public BackendTest {};
MEMFS_INSTANTIATE_CONFORMANCE(LimitsTest);

TEST_P(LimitsTest, AWriteThatFitsExactlySucceedsAndOneMoreByteFails) {
  // Skipped only where the backend has no byte quota to reach.
  if (!backend().quota) GTEST_SKIP() << "the backend has no byte quota";
  const std::uint64_t quota = *backend().quota;
  fs().write_file("/full", std::string(quota, 'q'));
  EXPECT_EQ(fs().stats().free, 0u);
  File f = fs().open("/one", "w");
  const std::string before = describe_state(fs());
  std::error_code ec;
  EXPECT_EQ(f.write("x", ec), 0u);
  EXPECT_THAT(ec, IsErr(memfs::errc::quota_exceeded));
  EXPECT_THAT(ec, IsErr(std::errc::no_space_on_device));
  EXPECT_EQ(f.tell(), 0u);
  EXPECT_EQ(describe_state(fs()), before);
}

TEST_P(LimitsTest, TheQuotaErrorCarriesRequestedAndAvailable) {
  // Skipped only where the backend has no byte quota to reach.
  if (!backend().quota) GTEST_SKIP() << "the backend has no byte quota";
  const std::uint64_t quota = *backend().quota;
  fs().write_file("/most", std::string(quota - 40, 'q'));
  auto e = catch_as<quota_exceeded_error>(
      [&] { fs().write_file("/more", std::string(50, 'm')); });
  ASSERT_TRUE(e.has_value());
  EXPECT_THAT(e->code(), IsErr(memfs::errc::quota_exceeded));
  EXPECT_EQ(e->requested(), 50u);
  EXPECT_EQ(e->available(), 40u);
  EXPECT_EQ(e->path1().generic_string(), "/more");
  EXPECT_FALSE(fs().exists("/more"));
}

TEST_P(LimitsTest, RemovingAFileFreesItsQuota) {
  // Skipped only where the backend has no byte quota to reach.
  if (!backend().quota) GTEST_SKIP() << "the backend has no byte quota";
  const std::uint64_t quota = *backend().quota;
  fs().write_file("/a", std::string(quota, 'a'));
  EXPECT_TRUE(fs().remove("/a"));
  fs().write_file("/b", std::string(quota, 'b'));
  EXPECT_EQ(fs().file_size("/b"), quota);
}

TEST_P(LimitsTest, TheNodeCapCountsTheRootAndStopsNewNodes) {
  // Skipped only where the backend has no node cap to reach.
  if (!backend().node_limit) GTEST_SKIP() << "the backend has no node cap";
  const std::uint64_t limit = *backend().node_limit;
  fs().create_directory("/d");
  for (std::uint64_t i = 2; i < limit; ++i) {  // root + /d + files = limit
    fs().open("/d/" + std::to_string(i), "w").close();
  }
  const std::string before = describe_state(fs());
  EXPECT_THAT(ec_of([&](auto& ec) { (void)fs().open("/d/x", "w", ec); }),
              IsErr(memfs::errc::node_limit_exceeded));
  EXPECT_THAT(ec_of([&](auto& ec) { fs().create_directory("/e", ec); }),
              IsErr(std::errc::no_space_on_device));
  auto e =
      catch_as<node_limit_exceeded_error>([&] { fs().write_file("/y", "y"); });
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->limit(), limit);
  EXPECT_EQ(e->current(), limit);
  EXPECT_EQ(describe_state(fs()), before);
  // Existing files can still be written, and removing one frees a slot.
  fs().write_file("/d/2", "still writable");
  fs().remove("/d/3");
  fs().write_file("/y", "y");
}

TEST_P(LimitsTest, StatsCountFilesDirectoriesAndBytes) {
  if (!backend().exact_stats) GTEST_SKIP() << "the backend has no exact stats";
  Stats s = fs().stats();
  EXPECT_EQ(s.used, 0u);
  EXPECT_EQ(s.file_count, 0u);
  EXPECT_EQ(s.directory_count, 1u);  // the root
  EXPECT_EQ(s.open_handles, 0u);
  EXPECT_EQ(s.node_limit, backend().node_limit);
  if (backend().quota) {
    EXPECT_EQ(s.quota, *backend().quota);
    EXPECT_EQ(s.free, s.quota);
  }
  make_tree(fs(), {"/d/a", "/d/sub/bb", "/e/"});
  s = fs().stats();
  EXPECT_EQ(s.used, 4u + 9u);
  EXPECT_EQ(s.file_count, 2u);
  EXPECT_EQ(s.directory_count, 4u);
  if (backend().quota) {
    EXPECT_EQ(s.free, s.quota - s.used);
  } else {  // unlimited: quota and free are both the maximum
    EXPECT_EQ(s.quota, std::numeric_limits<std::uint64_t>::max());
    EXPECT_EQ(s.free, std::numeric_limits<std::uint64_t>::max());
  }
  const std::filesystem::space_info space = fs().space();
  EXPECT_EQ(space.capacity, s.quota);
  EXPECT_EQ(space.free, s.free);
  EXPECT_EQ(space.available, s.free);
  fs().remove_all("/d");
  s = fs().stats();
  EXPECT_EQ(s.used, 0u);
  EXPECT_EQ(s.file_count, 0u);
  EXPECT_EQ(s.directory_count, 2u);
}

}  // namespace
}  // namespace memfs::test
