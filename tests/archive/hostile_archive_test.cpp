// Hostile archives, each built by the test itself: refused with an error
// naming the operation, the archive and the entry, and nothing changed — in
// both modes (the streaming one has already written the benign entry that
// comes first, and must take it back).
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>

#include "archive/archive_test_util.hpp"
#include "memfs/archive.hpp"
#include "memfs/memory_file_system.hpp"

namespace memfs::test {
namespace {

struct HostileCase {
  HostileCase(const char* l, std::vector<ArcEntry> e, std::errc c,
              const char* n, const char* w,
              int f = ARCHIVE_FORMAT_TAR_PAX_RESTRICTED)
      : label(l), entries(std::move(e)), code(c), entry(n), why(w), format(f) {}
  const char* label;
  std::vector<ArcEntry> entries;
  std::errc code;
  const char* entry;  // named in the message
  const char* why;    // in the message
  int format;
  friend void PrintTo(const HostileCase& c, std::ostream* os) {
    *os << c.label;
  }
};

const ArcEntry kBenign{"ok/fine.txt", 'f', "fine"};

std::vector<HostileCase> hostile_cases() {
  const auto climbs = "climbs out of the destination";
  return {
      {"DotDot",
       {kBenign, {"../evil.txt", 'f', "x"}},
       std::errc::invalid_argument,
       "../evil.txt",
       climbs},
      {"DotDotInside",
       {kBenign, {"a/../../evil.txt", 'f', "x"}},
       std::errc::invalid_argument,
       "a/../../evil.txt",
       climbs},
      {"Backslashes",
       {kBenign, {"a\\..\\..\\evil.txt", 'f', "x"}},
       std::errc::invalid_argument,
       "a\\..\\..\\evil.txt",
       climbs},
      {"Absolute",
       {kBenign, {"/etc/evil", 'f', "x"}},
       std::errc::invalid_argument,
       "/etc/evil",
       "absolute"},
      {"ZipSlip",
       {kBenign, {"../../evil.txt", 'f', "x"}},
       std::errc::invalid_argument,
       "../../evil.txt",
       climbs,
       ARCHIVE_FORMAT_ZIP},
      {"Symlink",
       {kBenign, {"link", 'l', "", "/etc/passwd"}},
       std::errc::operation_not_supported,
       "link",
       "symbolic link"},
      {"Hardlink",
       {kBenign, {"hard", 'h', "", "ok/fine.txt"}},
       std::errc::operation_not_supported,
       "hard",
       "hard link"},
      {"Fifo",
       {kBenign, {"fifo", 'p'}},
       std::errc::operation_not_supported,
       "fifo",
       "device, fifo or socket"},
      {"Device",
       {kBenign, {"null", 'c'}},
       std::errc::operation_not_supported,
       "null",
       "device, fifo or socket"},
      {"DuplicateFile",
       {kBenign, {"ok/fine.txt", 'f', "again"}},
       std::errc::file_exists,
       "ok/fine.txt",
       "appears twice"},
      {"DuplicateDirectory",
       {{"d/", 'd'}, kBenign, {"d/", 'd'}},
       std::errc::file_exists,
       "d/",
       "appears twice"},
      {"DuplicateInZip",
       {kBenign, {"ok/fine.txt", 'f', "again"}},
       std::errc::file_exists,
       "ok/fine.txt",
       "appears twice",
       ARCHIVE_FORMAT_ZIP},
      {"BelowAFile",
       {kBenign, {"ok/fine.txt/x", 'f', "x"}},
       std::errc::not_a_directory,
       "ok/fine.txt/x",
       "below a file"},
      {"FileOverADirectory",
       {kBenign, {"ok", 'f', "x"}},
       std::errc::not_a_directory,
       "ok",
       "needs a directory"},
  };
}

class HostileArchive : public ::testing::TestWithParam<
                           std::tuple<HostileCase, ArchiveImportMode>> {};

TEST_P(HostileArchive, IsRefusedAndNothingChanges) {
  const auto& [c, mode] = GetParam();
  HostDir host;
  const auto path = host.path() / "hostile.arc";
  write_archive(path, c.entries, {c.format, ARCHIVE_FILTER_NONE});
  MemoryFileSystem fs;
  fs.write_file("/keep.txt", "kept");
  const Tree before = tree_of(fs);
  try {
    import_archive(fs, path, "/in", {mode, ""});
    FAIL() << "no error";
  } catch (const filesystem_error& e) {
    EXPECT_EQ(e.code(), c.code) << e.what();
    EXPECT_EQ(e.operation(), "import_archive");
    EXPECT_EQ(e.path1(), path);
    EXPECT_EQ(e.path2(), c.entry);
    EXPECT_THAT(e.what(), ::testing::HasSubstr(c.why));
  }
  EXPECT_EQ(tree_of(fs), before);
  EXPECT_EQ(fs.stats().used, 4u);
}

INSTANTIATE_TEST_SUITE_P(
    All, HostileArchive,
    ::testing::Combine(::testing::ValuesIn(hostile_cases()),
                       ::testing::Values(ArchiveImportMode::atomic,
                                         ArchiveImportMode::streaming)),
    [](const auto& i) {
      return std::string(std::get<0>(i.param).label) +
             (std::get<1>(i.param) == ArchiveImportMode::atomic ? "_Atomic"
                                                                : "_Streaming");
    });

// A ustar header for one regular file whose size field says `size`.
std::string ustar_header(const std::string& name, std::uint64_t size) {
  std::string h(512, '\0');
  std::memcpy(&h[0], name.data(), name.size());
  std::snprintf(&h[100], 8, "%07o", 0644);
  std::snprintf(&h[108], 8, "%07o", 0);
  std::snprintf(&h[116], 8, "%07o", 0);
  std::snprintf(&h[124], 12, "%011llo", static_cast<unsigned long long>(size));
  std::snprintf(&h[136], 12, "%011o", 0);
  h[156] = '0';
  std::memcpy(&h[257],
              "ustar\0"
              "00",
              8);
  std::memset(&h[148], ' ', 8);
  unsigned sum = 0;
  for (const char ch : h) sum += static_cast<unsigned char>(ch);
  std::snprintf(&h[148], 8, "%06o", sum);
  return h;
}

std::string padded(std::string data) {
  data.resize((data.size() + 511) / 512 * 512, '\0');
  return data;
}

class LyingSize : public ::testing::TestWithParam<ArchiveImportMode> {};

// The header announces 100000 bytes; the archive ends after 10.
TEST_P(LyingSize, AHeaderSizeLargerThanTheDataIsRefused) {
  const std::string tar = ustar_header("fine.txt", 4) + padded("fine") +
                          ustar_header("liar.bin", 100000) +
                          padded("0123456789");
  MemoryFileSystem fs;
  std::istringstream in(tar);
  try {
    import_archive(fs, in, "/in", {GetParam(), "liar.tar"});
    FAIL() << "no error";
  } catch (const filesystem_error& e) {
    EXPECT_EQ(e.code(), std::errc::invalid_argument) << e.what();
    EXPECT_EQ(e.path1(), "liar.tar");
    EXPECT_EQ(e.path2(), "liar.bin");
    EXPECT_THAT(e.what(), ::testing::HasSubstr("damaged"));
  }
  EXPECT_FALSE(fs.exists("/in"));
}

// A stored zip entry whose local and central headers say 9 bytes while its
// data holds 5: the size in the header and the data disagree.
TEST_P(LyingSize, AZipSizeThatTheDataDoesNotMatchIsRefused) {
  HostDir host;
  std::ofstream(host.path() / "f.txt") << "hello";
  shell("cd " + quoted(host.path()) + " && zip -q0 a.zip f.txt");
  std::string zip = read_host(host.path() / "a.zip");
  // Uncompressed size: offset 22 in the local header (PK\3\4), 24 in the
  // central one (PK\1\2).
  for (const auto& [sig, off] :
       {std::pair<std::string, std::size_t>{"PK\3\4", 22}, {"PK\1\2", 24}}) {
    const std::size_t at = zip.find(sig);
    ASSERT_NE(at, std::string::npos);
    ASSERT_EQ(zip[at + off], 5);
    zip[at + off] = 9;
  }
  MemoryFileSystem fs;
  std::istringstream in(zip);
  std::error_code ec;
  import_archive(fs, in, "/in", {GetParam(), "liar.zip"}, ec);
  EXPECT_EQ(ec, std::errc::invalid_argument);
  EXPECT_FALSE(fs.exists("/in"));
}

INSTANTIATE_TEST_SUITE_P(BothModes, LyingSize,
                         ::testing::Values(ArchiveImportMode::atomic,
                                           ArchiveImportMode::streaming));

}  // namespace
}  // namespace memfs::test
