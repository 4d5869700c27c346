// Names that are hostile to a host filesystem (or to Windows, where a
// downloaded CI artifact gets opened) export without escaping the snapshot
// folder and come back unchanged.
#include <cctype>

#include <boost/filesystem/path.hpp>
#include <gtest/gtest.h>

#include "disk_test_util.hpp"
#include "memfs/memory_file_system.hpp"
#include "memfs/snapshot.hpp"

namespace memfs::test {
namespace {

namespace stdfs = std::filesystem;

std::vector<std::string> hostile_names() {
  std::vector<std::string> names = {
      "a..b",
      "...",
      "..a",
      "a:b",
      "CON",
      "con.txt",
      "Aux",
      "LPT9",
      "COM0.log",
      "NUL .txt",
      "x.",
      "y..",
      "trailing ",
      " leading",
      "a|b",
      "q?",
      "star*",
      "<tag>",
      "\"quoted\"",
      "back`tick",
      "del\x7f",
      "tab\t",
      "new\nline",
      "\x01\x1f",
      "bad\xff\xfe",
      "caf\xc3\xa9",
      "%41",
      "%~0123456789abcdef",
      "..%2E",
      "100%",
      "-dash",
      ".hidden",
      std::string(255, 'm'),           // exactly the host limit
      std::string(300, 'L'),           // too long: cut and hashed
      std::string(300, 'L') + "twin",  // same 200-byte prefix
      std::string(90, ':'),            // 270 bytes once escaped
  };
  std::string wide;
  for (int i = 0; i < 128; ++i) wide += "\xc3\xa9";  // 256 bytes of 'é'
  names.push_back(wide);
  return names;
}

// True for a name every common host accepts as it is.
bool portable_on_every_host(const std::string& name) {
  if (name.empty() || name.size() > 255 ||
      !boost::filesystem::windows_name(name)) {
    return false;
  }
  if (name.find_first_of("*?") != std::string::npos) return false;
  std::string base = name.substr(0, name.find('.'));
  for (char& c : base)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  while (!base.empty() && base.back() == ' ') base.pop_back();
  for (const char* dev : {"CON", "PRN", "AUX", "NUL"}) {
    if (base == dev) return false;
  }
  return !(base.size() == 4 &&
           (base.rfind("COM", 0) == 0 || base.rfind("LPT", 0) == 0) &&
           std::isdigit(static_cast<unsigned char>(base[3])));
}

class AdversarialNames : public ::testing::Test {
 protected:
  void SetUp() override {
    fs_.create_directory("/files");
    for (const std::string& name : hostile_names()) {
      fs_.write_file("/files/" + name, "contents of " + name);
      fs_.create_directories("/dirs/" + name + "/inner");
      fs_.write_file("/dirs/" + name + "/inner/f", name);
    }
    fs_.create_directories(
        "/empty/x.");  // an empty directory with an escaped name
    std::string deep = "/deep";
    for (int i = 0; i < 200; ++i) deep += (i % 2 == 0) ? "/d" : "/a:b";
    fs_.create_directories(deep);
    fs_.write_file(deep + "/leaf ", "bottom");
  }
  MemoryFileSystem fs_;
  HostDir host_;
};

TEST_F(AdversarialNames, ExportStaysInsideTheSnapshotFolder) {
  const stdfs::path out = host_.path() / "out";
  const ExportReport r = export_to_disk(fs_, out);
  EXPECT_TRUE(r.skipped.empty());
  // The host directory holds exactly the snapshot folder, and nothing else
  // anywhere (no temporaries, nothing beside it).
  EXPECT_EQ(list_host(host_.path()).front(), "out/");
  std::size_t outside = 0;
  for (const std::string& p : list_host(host_.path())) {
    if (p != "out/" &&
        p.rfind("out/" + r.folder.filename().string() + "/", 0) != 0)
      ++outside;
  }
  EXPECT_EQ(outside, 0u);
  EXPECT_EQ(std::distance(stdfs::directory_iterator(out),
                          stdfs::directory_iterator()),
            1);
  // Every host name is portable, and the manifest maps each escaped one.
  for (auto it = stdfs::recursive_directory_iterator(r.folder);
       it != stdfs::recursive_directory_iterator(); ++it) {
    EXPECT_TRUE(portable_on_every_host(it->path().filename().string()))
        << it->path();
    EXPECT_FALSE(it->is_symlink());
  }
  std::error_code ec;
  const JsonValue m =
      JsonValue::parse(read_host(r.folder / "manifest.json"), ec);
  ASSERT_FALSE(ec);
  EXPECT_EQ(m.find("escaped_names")->size(), r.escaped.size());
  EXPECT_GE(r.escaped.size(),
            2 * hostile_names().size() - 8);  // all but the few portable ones
}

TEST_F(AdversarialNames, ReimportReproducesEveryNameAndByte) {
  const ExportReport r = export_to_disk(fs_, host_.path());
  MemoryFileSystem copy;
  (void)import_from_disk(copy, r.folder);
  const ExportedTree a = fs_.export_tree();
  const ExportedTree b = copy.export_tree();
  EXPECT_EQ(a.files.size(), b.files.size());
  for (const auto& [path, data] : a.files) {
    const auto it = b.files.find(path);
    EXPECT_TRUE(it != b.files.end() && it->second == data)
        << "lost or changed: " << path;
  }
  EXPECT_EQ(a.empty_directories, b.empty_directories);
  // Names that are fine everywhere are kept as they are.
  EXPECT_TRUE(stdfs::exists(r.folder / "tree/files/a..b"));
  EXPECT_TRUE(stdfs::exists(r.folder / "tree/files/..a"));
  // Windows drops trailing dots, so "..." keeps two and escapes the last.
  EXPECT_TRUE(stdfs::exists(r.folder / "tree/files/..%2E"));
  EXPECT_TRUE(stdfs::exists(r.folder / "tree/files/caf\xc3\xa9"));
  EXPECT_FALSE(stdfs::exists(r.folder / "tree/files/CON"));
  EXPECT_TRUE(stdfs::exists(r.folder / "tree/files/%43ON"));
}

TEST_F(AdversarialNames, TheTreePictureStaysOneEntryPerLine) {
  RenderOptions opts;
  opts.max_lines = 0;
  const std::string picture = render_tree(fs_, "/files", opts);
  EXPECT_EQ(std::count(picture.begin(), picture.end(), '\n'),
            static_cast<long>(hostile_names().size() + 1));
  EXPECT_NE(picture.find("new\\x0aline"), std::string::npos);
}

}  // namespace
}  // namespace memfs::test
