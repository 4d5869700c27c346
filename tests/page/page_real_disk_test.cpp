// The snapshot page's "Real-disk accesses" section in headless Chromium,
// from a manifest a TestSession wrote with what a recorder handed it. This
// binary does not link memfs::intercept: the recorder is a stand-in
// registered through the same hook table (memfs/real_disk.hpp).
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "memfs/real_disk.hpp"
#include "page/page_test_util.hpp"
#include "support/real_disk_samples.hpp"

namespace memfs::page_test {
namespace {

namespace stdfs = std::filesystem;
using test_support::ScopedEnv;

const detail::RealDiskHooks kStandIn{
    [] {}, [] { return test_support::sample_real_disk_accesses(); },
    [](std::string_view) {}};

TEST(PageRealDisk, ListsEachAccessWithItsThreadAsText) {
  MEMFS_REQUIRE_CHROMIUM();
  test_support::ScratchDir scratch;
  ScopedEnv dir("MEMFS_SNAPSHOT_DIR", (scratch.path() / "snapshots").string());
  ScopedEnv mode("MEMFS_REAL_DISK", "report");
  detail::set_real_disk_hooks(&kStandIn);
  stdfs::path folder;
  {
    TestIdentity id;
    id.full_name = "Page.RealDisk";
    TestSession session(std::move(id));
    session.start_real_disk_recording();
    session.fs().write_file("/a.txt", "a");
    (void)session.stop_real_disk_recording();
    folder = session.finish(true).folder;
  }
  detail::set_real_disk_hooks(nullptr);
  ASSERT_FALSE(folder.empty());
  const Rendered r = render_clean(folder / "index.html");
  EXPECT_DOM_HAS(r, "Real-disk accesses");
  EXPECT_THAT(r.section("real-disk"),
              ::testing::Not(::testing::HasSubstr("None recorded.")));
  EXPECT_DOM_HAS(r,
                 "<td>open</td><td "
                 "class=\"mono\">/tmp/&lt;b&gt;cache&lt;/b&gt;/a.txt</td>");
  EXPECT_DOM_HAS(r, "thread 4121 \"worker\"</td>");
  EXPECT_DOM_HAS(r,
                 "<td>stat</td><td class=\"mono\">/home/me/.config/app</td>");
  EXPECT_DOM_HAS(r, "thread 4120 \"suite_test\", 3 times</td>");
}

}  // namespace
}  // namespace memfs::page_test
