// MemoryFileSystem: the byte quota. Checked before any allocation; a write,
// truncate, copy or import that would pass it fails with quota_exceeded and
// changes nothing; stats().used is always the bytes the files hold.
#include <string>

#include "memfs/memory_file_system.hpp"
#include "test_util.hpp"

namespace memfs::test {
namespace {

using copy_options = std::filesystem::copy_options;

MemoryOptions with_quota(std::uint64_t quota) {
  MemoryOptions options;
  options.max_quota = quota;
  return options;
}

// Expects `ec` to be a quota error and the file system to look like `before`.
void expect_quota_error_changed_nothing(const std::error_code& ec,
                                        FileSystem& fs,
                                        const std::string& before) {
  EXPECT_THAT(ec, IsErr(memfs::errc::quota_exceeded));
  EXPECT_EQ(describe_state(fs), before);
}

TEST(MemoryQuota, AnExactFitSucceedsAndOneMoreByteFails) {
  MemoryFileSystem fs(with_quota(100));
  File f = fs.open("/f", "w");
  EXPECT_EQ(f.write(std::string(100, 'x')), 100u);
  EXPECT_EQ(fs.stats().used, 100u);
  EXPECT_EQ(fs.stats().free, 0u);
  auto e = catch_as<quota_exceeded_error>([&] { (void)f.write("y"); });
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->requested(), 1u);
  EXPECT_EQ(e->available(), 0u);
  EXPECT_EQ(e->path1().generic_string(), "/f");
  EXPECT_EQ(f.size(), 100u);
}

TEST(MemoryQuota, AFailedWriteChangesNothing) {
  MemoryFileSystem fs(with_quota(500));
  File f = fs.open("/f", "a+");
  EXPECT_EQ(f.write(std::string(100, 'o')), 100u);
  f.seek(10);
  const std::string before = describe_state(fs);
  std::error_code ec;
  EXPECT_EQ(f.write(std::string(1000, 'n'), ec), 0u);
  expect_quota_error_changed_nothing(ec, fs, before);
  EXPECT_EQ(f.tell(), 10u);
  EXPECT_EQ(f.size(), 100u);
  EXPECT_EQ(f.read(5), "ooooo");
}

TEST(MemoryQuota, AFailedWriteAtTheCursorKeepsTheCursor) {
  MemoryFileSystem fs(with_quota(50));
  File f = fs.open("/f", "w+");
  EXPECT_EQ(f.write(std::string(40, 'a')), 40u);
  const std::string before = describe_state(fs);
  std::error_code ec;
  (void)f.write(std::string(11, 'b'), ec);
  expect_quota_error_changed_nothing(ec, fs, before);
  EXPECT_EQ(f.tell(), 40u);
  EXPECT_EQ(f.write(std::string(10, 'b')),
            10u);  // the exact remainder still fits
  EXPECT_EQ(fs.stats().used, 50u);
}

TEST(MemoryQuota, OverwritingInPlaceCostsNothing) {
  MemoryFileSystem fs(with_quota(10));
  fs.write_file("/f", std::string(10, 'a'));
  File f = fs.open("/f", "r+");
  EXPECT_EQ(f.write(std::string(10, 'b')), 10u);
  EXPECT_EQ(fs.read_file("/f"), std::string(10, 'b'));
  EXPECT_EQ(fs.stats().used, 10u);
}

TEST(MemoryQuota, APartlyExtendingWriteIsChargedOnlyForTheGrowth) {
  MemoryFileSystem fs(with_quota(10));
  fs.write_file("/f", std::string(8, 'a'));
  File f = fs.open("/f", "r+");
  EXPECT_EQ(f.pwrite(6, "abcd"), 4u);
  EXPECT_EQ(fs.stats().used, 10u);
  const std::string before = describe_state(fs);
  std::error_code ec;
  (void)f.pwrite(8, "xyz", ec);
  expect_quota_error_changed_nothing(ec, fs, before);
}

TEST(MemoryQuota, AZeroFilledGapIsCharged) {
  MemoryFileSystem fs(with_quota(100));
  File f = fs.open("/f", "w");
  f.seek(200);
  auto e = catch_as<quota_exceeded_error>([&] { (void)f.write("x"); });
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->requested(), 201u);
  EXPECT_EQ(e->available(), 100u);
  EXPECT_EQ(f.size(), 0u);
  EXPECT_EQ(f.tell(), 200u);
  f.seek(99);
  EXPECT_EQ(f.write("x"), 1u);
  EXPECT_EQ(fs.stats().used, 100u);
}

TEST(MemoryQuota, RemovingAFileFreesItsBytes) {
  MemoryFileSystem fs(with_quota(2048));
  fs.write_file("/a", std::string(1000, 'a'));
  fs.remove("/a");
  EXPECT_EQ(fs.stats().used, 0u);
  fs.write_file("/b", std::string(1000, 'b'));
  fs.write_file("/c", std::string(1048, 'c'));
  EXPECT_EQ(fs.stats().used, 2048u);
}

TEST(MemoryQuota, RemoveAllOfManyFilesFreesEveryByte) {
  MemoryFileSystem fs(with_quota(1u << 20));
  fs.create_directories("/staging/sub");
  for (int i = 0; i < 1000; ++i) {
    fs.write_file("/staging/sub/" + std::to_string(i), std::string(1000, 'x'));
  }
  EXPECT_EQ(fs.stats().used, 1000u * 1000u);
  fs.remove_all("/staging");
  EXPECT_EQ(fs.stats().used, 0u);
}

TEST(MemoryQuota, ATruncatingOpenReleasesTheOldContents) {
  MemoryFileSystem fs(with_quota(1000));
  fs.write_file("/f", std::string(500, 'x'));
  File f = fs.open("/f", "w");
  EXPECT_EQ(fs.stats().used, 0u);
  EXPECT_EQ(f.write("12345"), 5u);
  EXPECT_EQ(fs.stats().used, 5u);
}

TEST(MemoryQuota, GrowingPastTheQuotaByTruncateFails) {
  MemoryFileSystem fs(with_quota(100));
  fs.write_file("/f", "hello");
  File f = fs.open("/f", "r+");
  const std::string before = describe_state(fs);
  std::error_code ec;
  f.truncate(101, ec);
  expect_quota_error_changed_nothing(ec, fs, before);
  fs.resize_file("/f", 101, ec);
  expect_quota_error_changed_nothing(ec, fs, before);
  f.truncate(100);
  EXPECT_EQ(fs.stats().used, 100u);
  f.truncate(1);
  EXPECT_EQ(fs.stats().used, 1u);
}

TEST(MemoryQuota, APreallocateOverTheQuotaCreatesNothing) {
  MemoryFileSystem fs(with_quota(100));
  fs.write_file("/existing", "abc");
  const std::string before = describe_state(fs);
  OpenOptions options;
  options.preallocate = 101;
  std::error_code ec;
  File f = fs.open("/new", "w", options, ec);
  expect_quota_error_changed_nothing(ec, fs, before);
  EXPECT_FALSE(f.is_open());
  for (const char* mode : {"r+", "a", "w", "w+"}) {
    File g = fs.open("/existing", mode, options, ec);
    expect_quota_error_changed_nothing(ec, fs, before);
  }
}

TEST(MemoryQuota, AFailedWriteFileKeepsTheOldContents) {
  MemoryFileSystem fs(with_quota(100));
  fs.write_file("/f", std::string(50, 'o'));
  const std::string before = describe_state(fs);
  std::error_code ec;
  fs.write_file("/f", std::string(150, 'n'), ec);
  expect_quota_error_changed_nothing(ec, fs, before);
  fs.write_file("/g", std::string(51, 'n'), ec);
  expect_quota_error_changed_nothing(ec, fs, before);
}

TEST(MemoryQuota, ACopyOverTheQuotaLeavesNoDestination) {
  MemoryFileSystem fs(with_quota(100));
  fs.write_file("/src", std::string(60, 's'));
  const std::string before = describe_state(fs);
  std::error_code ec;
  fs.copy_file("/src", "/dst", copy_options::none, ec);
  expect_quota_error_changed_nothing(ec, fs, before);
  fs.copy("/src", "/dst", copy_options::none, ec);
  expect_quota_error_changed_nothing(ec, fs, before);
}

TEST(MemoryQuota, ATreeCopyOverTheQuotaCopiesNothing) {
  MemoryFileSystem fs(with_quota(150));
  fs.create_directories("/src/sub/empty");
  for (const char* name : {"/src/a", "/src/b", "/src/sub/c"}) {
    fs.write_file(name, std::string(30, 'x'));
  }
  fs.create_directory("/dst");
  fs.write_file("/dst/mine", "");
  const std::string before = describe_state(fs);
  std::error_code ec;
  fs.copy("/src", "/copy", copy_options::none, ec);  // needs 90, 60 free
  expect_quota_error_changed_nothing(ec, fs, before);
  fs.copy("/src", "/dst", copy_options::none, ec);  // merging: same
  expect_quota_error_changed_nothing(ec, fs, before);
  fs.remove("/src/a");
  fs.copy("/src", "/copy");  // needs 60, 90 free
  EXPECT_EQ(fs.stats().used, 120u);
}

TEST(MemoryQuota, AnImportOverTheQuotaImportsNothing) {
  MemoryFileSystem fs(with_quota(500));
  fs.write_file("/existing", std::string(200, 'e'));
  const std::string before = describe_state(fs);
  std::error_code ec;
  fs.import_tree({{"/existing", std::string(1000, 'n')}}, ec);
  expect_quota_error_changed_nothing(ec, fs, before);
  fs.import_tree({{"/new/deep/a", std::string(100, 'a')},
                  {"/new/b", std::string(201, 'b')}},
                 ec);
  expect_quota_error_changed_nothing(ec, fs, before);
  EXPECT_FALSE(fs.exists("/new"));
}

TEST(MemoryQuota, AnImportIsChargedForItsNetGrowth) {
  MemoryFileSystem fs(with_quota(500));
  fs.write_file("/f", std::string(400, 'o'));
  fs.import_tree({{"/f", std::string(450, 'n')}, {"/g", std::string(50, 'g')}});
  EXPECT_EQ(fs.stats().used, 500u);
}

TEST(MemoryQuota, ShrinkingTheQuotaBelowUsageBlocksOnlyGrowth) {
  MemoryFileSystem fs(with_quota(100));
  fs.write_file("/a", std::string(50, 'a'));
  fs.write_file("/b", std::string(30, 'b'));
  fs.set_quota(50);
  EXPECT_EQ(fs.options().max_quota, 50u);
  Stats s = fs.stats();
  EXPECT_EQ(s.quota, 50u);
  EXPECT_EQ(s.used, 80u);
  EXPECT_EQ(s.free, 0u);
  EXPECT_EQ(fs.read_file("/a"), std::string(50, 'a'));  // nothing is freed
  File f = fs.open("/a", "r+");
  EXPECT_THAT(ec_of([&](auto& ec) { (void)f.pwrite(50, "x", ec); }),
              IsErr(memfs::errc::quota_exceeded));
  EXPECT_EQ(f.pwrite(0, "XYZ"), 3u);  // no growth: allowed
  f.truncate(40);                     // shrinking: allowed
  fs.remove("/b");
  EXPECT_EQ(fs.stats().used, 40u);
  EXPECT_EQ(f.pwrite(40, std::string(10, 'z')),
            10u);  // back under the quota: fits again
  EXPECT_THAT(ec_of([&](auto& ec) { (void)f.pwrite(50, "x", ec); }),
              IsErr(memfs::errc::quota_exceeded));
  fs.set_quota(1000);
  EXPECT_EQ(f.pwrite(50, "x"), 1u);
  EXPECT_EQ(fs.stats().free, 949u);
}

TEST(MemoryQuota, InstancesHaveIndependentQuotas) {
  MemoryFileSystem one(with_quota(100));
  MemoryFileSystem two(with_quota(100));
  one.write_file("/f", std::string(100, '1'));
  two.write_file("/f", std::string(100, '2'));
  EXPECT_EQ(one.stats().used, 100u);
  EXPECT_EQ(two.stats().used, 100u);
}

TEST(MemoryQuota, AZeroQuotaAllowsOnlyEmptyFiles) {
  MemoryFileSystem fs(with_quota(0));
  fs.write_file("/empty", "");
  fs.create_directories("/a/b");
  EXPECT_THAT(ec_of([&](auto& ec) { fs.write_file("/x", "x", ec); }),
              IsErr(memfs::errc::quota_exceeded));
}

}  // namespace
}  // namespace memfs::test
