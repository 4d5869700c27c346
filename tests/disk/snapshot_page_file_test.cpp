// index.html as a file (no browser; tests/page loads it in Chromium): it is
// written next to the manifest, embeds the same manifest, cannot be broken
// out of by names or contents, and can be turned off.
#include <gtest/gtest.h>

#include "disk_test_util.hpp"
#include "memfs/memory_file_system.hpp"
#include "memfs/snapshot.hpp"

namespace memfs::test {
namespace {

std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + 1))
    ++n;
  return n;
}

TEST(SnapshotPageFile, HostileNamesAndContentsCannotCloseTheDataElement) {
  MemoryFileSystem fs;
  fs.create_directories("/<script>alert(1)");
  fs.write_file("/<script>alert(1)/x",
                "</script><script>window.pwned=1</script><!--");
  fs.write_file("/<!--x", "</ScRiPt >");
  HostDir host;
  const ExportReport r = export_to_disk(fs, host.path());
  const std::string page = read_host(r.folder / "index.html");
  // The page's own three <script> elements and nothing else: every '<' of
  // the embedded JSON is written \u003c.
  EXPECT_EQ(occurrences(page, "<script"), 3u);
  EXPECT_EQ(occurrences(page, "</script>"), 3u);
  EXPECT_EQ(occurrences(page, "<!--"), 0u);
  EXPECT_NE(page.find("\"/\\u003cscript>alert(1)/x\""),
            std::string::npos);                             // a name
  EXPECT_EQ(page.find("window.pwned"), std::string::npos);  // contents: base64
  // No network: a policy that forbids it, and no external reference.
  EXPECT_NE(page.find("content=\"default-src 'none';"), std::string::npos);
  EXPECT_EQ(occurrences(page, "http://"), 0u);
  EXPECT_EQ(occurrences(page, "https://"), 0u);
}

TEST(SnapshotPageFile, EmbedsTheManifest) {
  MemoryFileSystem fs;
  fs.write_file("/a.txt", "hello");
  HostDir host;
  ExportOptions options;
  options.sections.emplace_back("test",
                                JsonValue::object().set("name", "Suite.Case"));
  const ExportReport r = export_to_disk(fs, host.path(), options);
  const std::string page = read_host(r.folder / "index.html");
  const std::string open =
      "<script type=\"application/json\" id=\"memfs-data\">";
  const auto begin = page.find(open) + open.size();
  const std::string json =
      page.substr(begin, page.find("</script>", begin) - begin);
  std::error_code ec;
  const JsonValue data = JsonValue::parse(json, ec);
  ASSERT_FALSE(ec);
  EXPECT_EQ(data.find("manifest")->dump(),
            JsonValue::parse(read_host(r.folder / "manifest.json"), ec).dump());
  const JsonValue& file = data.find("contents")->find("files")->items().at(0);
  EXPECT_EQ(file.find("data")->text(), "aGVsbG8=");  // base64 of "hello"
  EXPECT_EQ(file.find("entry")->as_uint64(), 1u);    // entries[1] is /a.txt
}

TEST(SnapshotPageFile, EmbedsContentsInBase64WithTheirCounts) {
  MemoryFileSystem fs;
  // Every padding case, bytes above 0x7f, and a file cut by the per-file cap.
  const std::pair<const char*, std::string> files[] = {
      {"/0", ""},     {"/1", "a"},
      {"/2", "ab"},   {"/3", std::string("\xff\x00\x80", 3)},
      {"/4", "abcd"}, {"/5", "0123456789"}};
  for (const auto& [path, data] : files) fs.write_file(path, data);
  HostDir host;
  ExportOptions options;
  options.page_file_bytes = 4;
  const ExportReport r = export_to_disk(fs, host.path(), options);
  const std::string page = read_host(r.folder / "index.html");
  const std::string open =
      "<script type=\"application/json\" id=\"memfs-data\">";
  const auto begin = page.find(open) + open.size();
  std::error_code ec;
  const JsonValue data = JsonValue::parse(
      page.substr(begin, page.find("</script>", begin) - begin), ec);
  ASSERT_FALSE(ec);
  const JsonValue& contents = *data.find("contents");
  EXPECT_EQ(contents.find("per_file")->as_uint64(), 4u);
  EXPECT_EQ(contents.find("embedded")->as_uint64(), 0u + 1 + 2 + 3 + 4 + 4);
  EXPECT_EQ(contents.find("cut_files")->as_uint64(), 1u);
  EXPECT_EQ(contents.find("omitted_files")->as_uint64(), 0u);
  const char* const expected[] = {
      "", "YQ==", "YWI=", "/wCA", "YWJjZA==", "MDEyMw=="};
  const auto& items = contents.find("files")->items();
  ASSERT_EQ(items.size(), 6u);
  for (std::size_t i = 0; i < items.size(); ++i) {
    SCOPED_TRACE(files[i].first);
    EXPECT_EQ(items[i].find("data")->text(), expected[i]);
    EXPECT_EQ(items[i].find("size")->as_uint64(), files[i].second.size());
    EXPECT_EQ(items[i].find("cut")->as_bool(), i == 5);
    EXPECT_EQ(items[i].find("entry")->as_uint64(), i + 1);  // after "/"
  }
}

TEST(SnapshotPageFile, CanBeTurnedOff) {
  MemoryFileSystem fs;
  fs.write_file("/a.txt", "x");
  HostDir host;
  ExportOptions options;
  options.page = false;
  const ExportReport r = export_to_disk(fs, host.path(), options);
  EXPECT_FALSE(std::filesystem::exists(r.folder / "index.html"));
  EXPECT_TRUE(std::filesystem::exists(r.folder / "manifest.json"));
}

}  // namespace
}  // namespace memfs::test
