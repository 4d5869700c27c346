// The snapshot page (index.html) in a real browser: snapshots written by
// TestSession and by a failing GoogleTest fixture are loaded in headless
// Chromium, and the rendered DOM is checked: the test, the failures, the tree
// with hostile names, a file's contents (text, hex, image), the tree diff,
// the fault log, and that the page reported no error.
#include <map>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "memfs/snapshot.hpp"
#include "memfs/tree_diff.hpp"
#include "page/page_test_util.hpp"
#include "support/test_identity.hpp"

namespace memfs::page_test {
namespace {

namespace stdfs = std::filesystem;
using test_support::ScopedEnv;
using ::testing::HasSubstr;
using ::testing::Not;

// Names a page must show as text, never as markup ('/' cannot be part of a
// name, so "</script>" is tried in contents, below).
const char* const kScriptName = "/hostile/<script>alert(1)";
const char* const kQuoteName = "/hostile/a&b\"c'd";
const char* const kCloseName = "/hostile/<img src=x onerror=alert(2)><b>x";
const char* const kColonName = "/hostile/a:b";  // escaped on the host
const std::string kBadUtf8Name = "/hostile/bad\xff\xfename";

const std::string kPng(
    "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15"
    "\xc4\x89"
    "\0\0\0\rIDATx\x9c\x63\xf8\xcf\xc0\xf0\x1f\0\x05\0\x01\xff\x89\x99="
    "\x1d\0\0\0\0IEND\xae"
    "B`\x82",
    67);

// A failing session with a bit of everything, exported under `root`.
stdfs::path export_failing_session(const stdfs::path& root) {
  ScopedEnv dir("MEMFS_SNAPSHOT_DIR", root.string());
  ScopedEnv policy("MEMFS_SNAPSHOT", "on_failure");
  TestSession session(memfs::test_support::gtest_identity(
      "PageSuite/Hostile.Case/0", "\"<b>&'\"", "page_test.cpp", 42,
      "/bin/page_tests --gtest_filter='PageSuite/Hostile.Case/0'"));
  MemoryFileSystem& fs = session.fs();
  put(fs, "/docs/readme.txt", "line one\nline <two> & \"three\"\n");
  put(fs, "/docs/evil.html", "</script><script>window.pwned=1</script><!--");
  put(fs, "/bin/data.bin", std::string("\x00\x01\x02\xff ABC", 8));
  put(fs, "/img/dot.png", kPng);
  put(fs, "/img/box.svg",
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"8\" height=\"8\">"
      "<rect width=\"8\" height=\"8\" fill=\"red\"/></svg>");
  for (const std::string name :
       {kScriptName, kQuoteName, kCloseName, kColonName}) {
    put(fs, name, "x");
  }
  put(fs, kBadUtf8Name, "bad");
  fs.create_directories("/empty");

  session.faults().add("write /docs/full.txt always fail=ENOSPC");
  std::error_code ec;
  fs.write_file("/docs/full.txt", "lost", ec);
  EXPECT_TRUE(ec);

  const std::map<std::string, std::string> expected{
      {"/docs/readme.txt", "line one\nline 2\n"}, {"/missing.txt", "m"}};
  record_tree_mismatch(fs, expected, "/", diff_tree(fs, expected));
  session.add_failure("Expected: <3> & more </script>\n  Actual: 4");
  const auto outcome = session.finish(true);
  EXPECT_TRUE(outcome.exported) << outcome.error;
  return outcome.folder;
}

class PageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MEMFS_REQUIRE_CHROMIUM();
    folder_ = export_failing_session(scratch_.path() / "snapshots");
    ASSERT_TRUE(stdfs::is_regular_file(folder_ / "index.html"));
  }
  stdfs::path page() const { return folder_ / "index.html"; }

  test_support::ScratchDir scratch_;
  stdfs::path folder_;
};

TEST_F(PageTest, ShowsTheTestAndItsFailures) {
  const Rendered r = render_clean(page());
  EXPECT_DOM_HAS(r, "PageSuite/Hostile.Case/0");
  EXPECT_DOM_HAS(r, ("\"&lt;b&gt;&amp;'\""));  // the parameter, as text
  EXPECT_DOM_HAS(r, "page_test.cpp:42");
  EXPECT_DOM_HAS(r,
                 "/bin/page_tests --gtest_filter='PageSuite/Hostile.Case/0'");
  EXPECT_DOM_HAS(r, "<button class=\"copy\" type=\"button\">copy</button>");
  EXPECT_DOM_HAS(
      r, ("Expected: &lt;3&gt; &amp; more &lt;/script&gt;\n  Actual: 4"));
  EXPECT_DOM_HAS(r, "Real-disk accesses");
  EXPECT_DOM_HAS(r, "None recorded.");
}

TEST_F(PageTest, HostileNamesAndContentsStayText) {
  const Rendered r = render_clean(page(), "open=all");
  // Only the page's own three scripts: no name or content became markup.
  EXPECT_EQ(occurrences(r.dom, "<script"), 3u);
  EXPECT_EQ(occurrences(r.dom, "<b>x"), 0u);
  EXPECT_EQ(occurrences(r.dom, "<img src=x"), 0u);
  EXPECT_DOM_HAS(r, (">&lt;script&gt;alert(1)</span>"));
  EXPECT_DOM_HAS(r, (">a&amp;b\"c'd</span>"));
  EXPECT_DOM_HAS(r, (">&lt;img src=x onerror=alert(2)&gt;&lt;b&gt;x</span>"));
  // Bytes that are not UTF-8 as the test saw them; an escaped host name.
  EXPECT_DOM_HAS(r, ">bad\\xFF\\xFEname</span>");
  EXPECT_DOM_HAS(r, "saved as tree/hostile/a%3Ab");
  EXPECT_DOM_LACKS(r, "pwned=1</script>");
}

TEST_F(PageTest, TreeShowsFoldersFilesAndSizes) {
  const std::string closed = render_clean(page()).section("files");
  // Closed folders are not rendered: their files are not in the DOM yet.
  EXPECT_THAT(closed, HasSubstr("<span class=\"name\">docs/</span>"));
  EXPECT_THAT(closed, HasSubstr("<span class=\"name\">empty/</span><span "
                                "class=\"size\">0 entries</span>"));
  EXPECT_THAT(closed, Not(HasSubstr("readme.txt")));
  const std::string open = render_clean(page(), "open=all").section("files");
  EXPECT_THAT(open, HasSubstr("<span class=\"name\">readme.txt</span><span "
                              "class=\"size\">30 B</span>"));
  EXPECT_THAT(open, HasSubstr("<span class=\"name\">data.bin</span><span "
                              "class=\"size\">8 B</span>"));
}

TEST_F(PageTest, TextFileWithLineNumbers) {
  const Rendered r = render_clean(page(), "file=/docs/readme.txt");
  EXPECT_DOM_HAS(r, "class=\"mono viewing\">/docs/readme.txt</h3>");
  EXPECT_DOM_HAS(
      r, "<span class=\"ln\">1</span><span class=\"tx\">line one</span>");
  EXPECT_DOM_HAS(r, ("<span class=\"ln\">2</span><span class=\"tx\">line "
                     "&lt;two&gt; &amp; \"three\"</span>"));
  // The folder above it was opened.
  EXPECT_DOM_HAS(r, "<details class=\"dir\" data-path=\"/docs\" open=\"\">");
}

TEST_F(PageTest, HostileContentsAreText) {
  const Rendered r = render_clean(page(), "file=/docs/evil.html");
  EXPECT_DOM_HAS(
      r, ("<span "
          "class=\"tx\">&lt;/script&gt;&lt;script&gt;window.pwned=1&lt;/"
          "script&gt;&lt;!--</span>"));
}

TEST_F(PageTest, BinaryFileAsHex) {
  const Rendered r = render_clean(page(), "file=/bin/data.bin");
  EXPECT_DOM_HAS(r, "binary: hex view");
  EXPECT_DOM_HAS(r,
                 "<span class=\"ln\">00000000</span><span class=\"tx\">00 01 "
                 "02 FF 20 41 42 43");
  EXPECT_DOM_HAS(r, "|.... ABC|");
}

TEST_F(PageTest, ImagesInline) {
  const Rendered png = render_clean(page(), "file=/img/dot.png");
  EXPECT_DOM_HAS(png, ("<img class=\"shot\" alt=\"dot.png\" "
                       "src=\"data:image/png;base64,iVBORw0KGgo"));
  const Rendered svg = render_clean(page(), "file=/img/box.svg");
  EXPECT_DOM_HAS(svg, ("src=\"data:image/svg+xml;base64,PHN2Zy"));
}

TEST_F(PageTest, TreeDiffSideBySide) {
  const Rendered r = render_clean(page());
  EXPECT_DOM_HAS(r, "Tree comparisons that did not match (1)");
  // Expected (left) and actual (right) contents of the differing file, the
  // differing line marked on both sides (removed / added).
  EXPECT_DOM_HAS(r,
                 "<td class=\"mono\">/docs/readme.txt</td><td>different</td>");
  EXPECT_DOM_HAS(r,
                 "<div class=\"row del\"><span class=\"ln\">2</span><span "
                 "class=\"tx\">line 2</span>");
  EXPECT_DOM_HAS(r, ("<div class=\"row ins\"><span class=\"ln\">2</span><span "
                     "class=\"tx\">line &lt;two&gt; &amp; \"three\"</span>"));
  EXPECT_DOM_HAS(r, "<td class=\"mono\">/missing.txt</td><td>missing</td>");
  EXPECT_DOM_HAS(r, "<span class=\"muted\">(nothing)</span>");
}

TEST_F(PageTest, FaultLogAsTimeline) {
  const Rendered r = render_clean(page());
  EXPECT_DOM_HAS(r, "<code>write /docs/full.txt always fail=ENOSPC</code>");
  EXPECT_DOM_HAS(
      r, "<li class=\"event\"><b>#1 write </b><code>/docs/full.txt</code>");
  EXPECT_DOM_HAS(r, "Timeline: every fault that fired, in order.");
  EXPECT_DOM_HAS(r, ">seed</div>");
}

TEST_F(PageTest, MalformedOrUnknownLinksStillRender) {
  // render_clean checks that the page rendered and reported no error.
  const Rendered bad = render_clean(page(), "file=%E0%A4%A");
  EXPECT_DOM_HAS(bad, "Click a file to see its contents.");
  const Rendered missing = render_clean(page(), "file=/no/such/file");
  EXPECT_DOM_HAS(missing, "Click a file to see its contents.");
}

TEST_F(PageTest, ImportIgnoresThePage) {
  MemoryFileSystem fs;
  const ImportReport report = import_from_disk(fs, folder_, "/");
  EXPECT_TRUE(report.from_snapshot);
  EXPECT_FALSE(fs.exists("/index.html"));
  EXPECT_EQ(fs.read_file(kBadUtf8Name), "bad");
}

}  // namespace
}  // namespace memfs::page_test

namespace memfs::page_test {
namespace {

// A picture of the page, for a person to look at (build/<preset>/tests/
// page-screenshot.png); the test checks that Chromium wrote a PNG.
TEST_F(PageTest, ScreenshotOfThePage) {
  const auto png =
      std::filesystem::path(MEMFS_TEST_BINARY_DIR) / "page-screenshot.png";
  std::filesystem::remove(png);
  ASSERT_TRUE(screenshot(page(), png));
  EXPECT_EQ(test_support::read_host_file(png).substr(1, 3), "PNG");
}

}  // namespace
}  // namespace memfs::page_test
