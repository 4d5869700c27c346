// The page at scale and at its limits: 10,000 files render lazily (the first
// DOM holds one chunk of rows, not 10,000), contents past the caps are cut
// with a note, and a snapshot written by a real failing GoogleTest fixture
// (the TreeEquals matcher) shows its tree diff.
#include <cstdio>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "memfs/memory_file_system.hpp"
#include "memfs/snapshot.hpp"
#include "page/page_test_util.hpp"

namespace memfs::page_test {
namespace {

namespace stdfs = std::filesystem;
using ::testing::SizeIs;

TEST(PageScale, TenThousandFilesRenderLazily) {
  MEMFS_REQUIRE_CHROMIUM();
  MemoryFileSystem fs;
  char name[32];
  for (int i = 0; i < 10000; ++i) {
    std::snprintf(name, sizeof name, "/f%05d.txt", i);
    fs.write_file(name,
                  std::string(name) + std::string(1024, '.'));  // 10 MiB in all
  }
  put(fs, "/sub/deep/last.txt", "the end\n");
  test_support::ScratchDir dir;
  const ExportReport report = export_to_disk(fs, dir.path());
  EXPECT_EQ(report.files, 10001u);

  const Rendered r = render_clean(report.folder / "index.html");
  // More than the page's 8 MiB: the rest is left out, and the page says so.
  EXPECT_DOM_HAS(r,
                 "Contents are embedded up to 256.0 KiB per file and 8.0 MiB "
                 "in all: 1 file(s) cut, 1896 left out.");
  // One chunk of 400 rows and a button for the rest; subfolders closed.
  EXPECT_EQ(occurrences(r.dom, "<div class=\"file\""), 400u);
  EXPECT_DOM_HAS(r, "show 400 more of 9601</button>");
  EXPECT_DOM_HAS(r, "Files (10004 entries)");
  EXPECT_DOM_LACKS(r, "last.txt");
  EXPECT_LT(r.rendered().size(), 300u * 1024);  // the DOM, without the data

  // A file in a closed folder past the limit: its folders open, it is named
  // and its size shown, with the note that its contents are in tree/.
  const Rendered deep =
      render_clean(report.folder / "index.html", "file=/sub/deep/last.txt");
  EXPECT_DOM_HAS(deep, "class=\"mono viewing\">/sub/deep/last.txt</h3>");
  EXPECT_DOM_HAS(deep,
                 "Contents left out: the page's limit of 8.0 MiB was reached.");
}

TEST(PageLimits, ContentsPastTheCapsAreCutWithANote) {
  MEMFS_REQUIRE_CHROMIUM();
  MemoryFileSystem fs;
  put(fs, "/a.txt", std::string(20, 'a'));
  put(fs, "/b.txt", std::string(20, 'b'));
  put(fs, "/c.txt", std::string(20, 'c'));
  ExportOptions options;
  options.page_file_bytes = 10;
  options.page_total_bytes = 15;
  test_support::ScratchDir dir;
  const ExportReport report = export_to_disk(fs, dir.path(), options);
  // tree/ keeps everything; only the page is cut.
  EXPECT_EQ(test_support::read_host_file(report.folder / "tree" / "c.txt"),
            std::string(20, 'c'));

  const Rendered a = render_clean(report.folder / "index.html", "file=/a.txt");
  EXPECT_DOM_HAS(a,
                 "Contents are embedded up to 10 B per file and 15 B in all: "
                 "2 file(s) cut, 1 left out.");
  EXPECT_DOM_HAS(
      a, ("Showing the first 10 B of 20 B; the whole file is in tree/."));
  EXPECT_DOM_HAS(a, "<span class=\"tx\">aaaaaaaaaa</span>");
  const Rendered c = render_clean(report.folder / "index.html", "file=/c.txt");
  EXPECT_DOM_HAS(c, "Contents left out: the page's limit of 15 B was reached.");
}

TEST(PageFromFixture, TreeEqualsMismatchOfARealTest) {
  MEMFS_REQUIRE_CHROMIUM();
  test_support::ScratchDir dir;
  const auto run =
      test_support::run_child(dir.path(), MEMFS_GTEST_FIXTURE,
                              {"--gtest_filter=Matchers.TreeEqualsFails"});
  ASSERT_EQ(run.exit_code, 1) << run.out << run.err;
  const auto folders = run.snapshots();
  ASSERT_THAT(folders, SizeIs(1));
  const Rendered r =
      render_clean(run.snapshot_root / folders[0] / "index.html");
  EXPECT_DOM_HAS(r, "Matchers.TreeEqualsFails");
  EXPECT_DOM_HAS(r, "Tree comparisons that did not match (1)");
  EXPECT_DOM_HAS(r, "<td class=\"mono\">/config.ini</td><td>different</td>");
  EXPECT_DOM_HAS(r, "<span class=\"tx\">port=9090</span>");
  EXPECT_DOM_HAS(r, "<td class=\"mono\">/missing.txt</td><td>missing</td>");
  EXPECT_DOM_HAS(r,
                 "<td class=\"mono\">/logs/app.log.1</td><td>unexpected</td>");
}

}  // namespace
}  // namespace memfs::page_test
