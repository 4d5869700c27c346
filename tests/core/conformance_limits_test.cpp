// Conformance: the byte quota and the node cap, for backends that enforce
// them (Backend::quota / Backend::node_limit), and the usage counters.
#include <limits>
#include <string>

#include "backend.hpp"
#include "test_util.hpp"

namespace memfs::test {
namespace {

// The byte quota: only backends that enforce one (a disk has no memfs quota).
class QuotaLimitsTest : public BackendTest {};
MEMFS_INSTANTIATE_CONFORMANCE_WHERE(QuotaLimitsTest, enforces_quota);

// The node cap: only backends that enforce one (a disk has none).
class NodeLimitsTest : public BackendTest {};
MEMFS_INSTANTIATE_CONFORMANCE_WHERE(NodeLimitsTest, enforces_node_limit);

// Exact usage counters: only backends that keep them.
class ExactStatsTest : public BackendTest {};
MEMFS_INSTANTIATE_CONFORMANCE_WHERE(ExactStatsTest, counts_exactly);

TEST_P(QuotaLimitsTest, AWriteThatFitsExactlySucceedsAndOneMoreByteFails) {
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

TEST_P(QuotaLimitsTest, TheQuotaErrorCarriesRequestedAndAvailable) {
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

TEST_P(QuotaLimitsTest, RemovingAFileFreesItsQuota) {
  const std::uint64_t quota = *backend().quota;
  fs().write_file("/a", std::string(quota, 'a'));
  EXPECT_TRUE(fs().remove("/a"));
  fs().write_file("/b", std::string(quota, 'b'));
  EXPECT_EQ(fs().file_size("/b"), quota);
}

TEST_P(NodeLimitsTest, TheNodeCapCountsTheRootAndStopsNewNodes) {
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

TEST_P(ExactStatsTest, StatsCountFilesDirectoriesAndBytes) {
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
