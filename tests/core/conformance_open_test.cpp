// Conformance: FileSystem::open — the fopen modes, creation rules, and the
// errors for missing parents, directories and trailing slashes.
#include <string>
#include <vector>

#include "backend.hpp"
#include "test_util.hpp"

namespace memfs::test {
namespace {

class OpenTest : public BackendTest {
 protected:
  // Opens `path` in `mode` and returns the error (the file is closed again).
  std::error_code open_error(const std::string& path, OpenMode mode,
                             const OpenOptions& options = {}) {
    std::error_code ec;
    File f = fs().open(path, mode, options, ec);
    EXPECT_EQ(f.is_open(), !ec) << path << " " << mode.str();
    return ec;
  }
};
MEMFS_INSTANTIATE_CONFORMANCE(OpenTest);

TEST_P(OpenTest, ReadModesOnAMissingFileAreNotFoundAndCreateNothing) {
  for (const char* mode : {"r", "rb", "r+", "r+b", "rb+"}) {
    EXPECT_THAT(open_error("/missing", mode),
                IsErr(std::errc::no_such_file_or_directory))
        << mode;
  }
  EXPECT_FALSE(fs().exists("/missing"));
}

TEST_P(OpenTest, WriteModeCreatesAMissingFile) {
  File f = fs().open("/new.bin", "w");
  EXPECT_TRUE(f.is_open());
  EXPECT_EQ(f.path(), "/new.bin");
  EXPECT_EQ(f.size(), 0u);
  f.close();
  EXPECT_TRUE(fs().is_regular_file("/new.bin"));
  EXPECT_EQ(fs().file_size("/new.bin"), 0u);
}

TEST_P(OpenTest, WriteModeTruncatesAnExistingFile) {
  fs().write_file("/f", "hello world");
  File f = fs().open("/f", "w");
  EXPECT_EQ(f.size(), 0u);
  EXPECT_EQ(f.write("hi"), 2u);
  f.close();
  EXPECT_EQ(fs().read_file("/f"), "hi");

  fs().open("/f", "wb").close();
  EXPECT_EQ(fs().file_size("/f"), 0u);
}

TEST_P(OpenTest, WritePlusReadsBackWhatItWrote) {
  fs().write_file("/f", "old contents");
  File f = fs().open("/f", "w+");
  EXPECT_EQ(f.write("fresh"), 5u);
  f.seek(0);
  EXPECT_EQ(f.read_all(), "fresh");
}

TEST_P(OpenTest, AppendModeCreatesAMissingFile) {
  File f = fs().open("/log", "a");
  EXPECT_EQ(f.write("one"), 3u);
  f.close();
  EXPECT_EQ(fs().read_file("/log"), "one");
}

TEST_P(OpenTest, AppendModeKeepsExistingDataAndWritesAfterIt) {
  fs().write_file("/log", "one\n");
  File f = fs().open("/log", "ab");
  EXPECT_EQ(f.write("two\n"), 4u);
  f.close();
  EXPECT_EQ(fs().read_file("/log"), "one\ntwo\n");
}

TEST_P(OpenTest, AppendPlusReadsFromTheStartAndWritesAtTheEnd) {
  fs().write_file("/log", "abc");
  File f = fs().open("/log", "a+");
  EXPECT_EQ(f.tell(), 0u);
  EXPECT_EQ(f.read_all(), "abc");
  f.seek(1);
  EXPECT_EQ(f.write("d"), 1u);
  f.seek(0);
  EXPECT_EQ(f.read_all(), "abcd");
}

TEST_P(OpenTest, ReadPlusOverwritesInPlaceWithoutTruncating) {
  fs().write_file("/f", "hello world");
  File f = fs().open("/f", "r+");
  EXPECT_EQ(f.read(5), "hello");
  f.seek(6);
  EXPECT_EQ(f.write("MFS  "), 5u);
  f.close();
  EXPECT_EQ(fs().read_file("/f"), "hello MFS  ");
}

TEST_P(OpenTest, ReadModeReadsButDoesNotChangeTheFile) {
  fs().write_file("/f", "data");
  File f = fs().open("/f", "r");
  EXPECT_EQ(f.read_all(), "data");
  EXPECT_EQ(f.mode(), OpenMode("r"));
}

TEST_P(OpenTest, TheBinaryFlagChangesNothing) {
  const std::vector<std::pair<const char*, const char*>> same = {
      {"rb", "r"},   {"r+b", "r+"}, {"rb+", "r+"}, {"wb", "w"},
      {"w+b", "w+"}, {"ab", "a"},   {"a+b", "a+"}, {"wbx", "wx"}};
  for (const auto& [with_b, without_b] : same) {
    const std::string path = std::string("/f-") + with_b;
    if (!OpenMode(with_b).is_exclusive()) fs().write_file(path, "xyz");
    File f = fs().open(path, with_b);
    EXPECT_EQ(f.mode(), OpenMode(without_b)) << with_b;
  }
}

TEST_P(OpenTest, ExclusiveModesCreateANewFile) {
  for (const char* mode : {"wx", "w+x", "ax", "a+x", "wbx"}) {
    const std::string path = std::string("/new-") + mode;
    File f = fs().open(path, mode);
    EXPECT_EQ(f.write("x"), 1u);
    f.close();
    EXPECT_EQ(fs().read_file(path), "x") << mode;
  }
}

TEST_P(OpenTest, ExclusiveModesOnAnExistingPathAreFileExists) {
  fs().write_file("/f", "keep me");
  fs().create_directory("/d");
  for (const char* mode : {"wx", "w+x", "ax", "a+x", "wbx"}) {
    EXPECT_THAT(open_error("/f", mode), IsErr(std::errc::file_exists)) << mode;
    EXPECT_THAT(open_error("/d", mode), IsErr(std::errc::file_exists)) << mode;
  }
  EXPECT_EQ(fs().read_file("/f"), "keep me");
}

TEST_P(OpenTest, InvalidModesAreInvalidArgumentAndCreateNothing) {
  for (const char* mode : {"", "x", "b", "q", "rw", "wr", "rx", "r+x", "ww",
                           "w++", "wbb", "bw", "+w", "w ", "W", "rt", "ra"}) {
    EXPECT_FALSE(OpenMode(mode).valid()) << '"' << mode << '"';
    EXPECT_EQ(OpenMode(mode).str(), mode);  // kept for messages
    EXPECT_THAT(open_error("/new", mode), IsErr(std::errc::invalid_argument))
        << '"' << mode << '"';
  }
  EXPECT_FALSE(fs().exists("/new"));
}

TEST_P(OpenTest, InvalidFlagCombinationsAreInvalidArgument) {
  const unsigned bad[] = {
      0u, OpenMode::create, OpenMode::read | OpenMode::truncate,
      OpenMode::read | OpenMode::append, OpenMode::write | OpenMode::exclusive};
  for (unsigned flags : bad) {
    EXPECT_THAT(open_error("/new", OpenMode::from_flags(flags)),
                IsErr(std::errc::invalid_argument))
        << flags;
  }
  EXPECT_FALSE(fs().exists("/new"));
}

// A C string and a string_view parse alike (the one-letter modes take a
// shorter way from a C string).
TEST_P(OpenTest, ModeStringsParseAlikeFromEitherForm) {
  for (const char* mode : {"r", "w", "a", "r+", "w+", "a+", "rb", "wx"}) {
    const OpenMode from_c(mode);
    EXPECT_TRUE(from_c.valid()) << mode;
    EXPECT_EQ(from_c, OpenMode(std::string_view(mode))) << mode;
    EXPECT_EQ(from_c.str(), std::string(mode) == "rb" ? "r" : mode);
  }
  EXPECT_FALSE(OpenMode(static_cast<const char*>(nullptr)).valid());
}

TEST_P(OpenTest, FlagsFormBehavesLikeTheModeString) {
  const OpenMode mode = OpenMode::from_flags(
      OpenMode::write | OpenMode::create | OpenMode::truncate);
  EXPECT_EQ(mode, OpenMode("w"));
  File f = fs().open("/f", mode);
  EXPECT_EQ(f.write("abc"), 3u);
  f.close();
  EXPECT_EQ(fs().read_file("/f"), "abc");
}

TEST_P(OpenTest, CreatingUnderAMissingParentIsNotFound) {
  for (const char* mode : {"w", "a", "wx", "w+"}) {
    EXPECT_THAT(open_error("/nodir/f", mode),
                IsErr(std::errc::no_such_file_or_directory))
        << mode;
  }
  EXPECT_FALSE(fs().exists("/nodir"));
}

TEST_P(OpenTest, APathThroughAFileIsNotADirectory) {
  fs().write_file("/file", "data");
  for (const char* mode : {"r", "r+", "w", "a", "wx"}) {
    EXPECT_THAT(open_error("/file/x", mode), IsErr(std::errc::not_a_directory))
        << mode;
  }
  EXPECT_EQ(fs().read_file("/file"), "data");
}

TEST_P(OpenTest, ATrailingSlashOnAFileIsNotADirectory) {
  fs().write_file("/file", "data");
  for (const char* mode : {"r", "r+", "w", "a", "a+"}) {
    EXPECT_THAT(open_error("/file/", mode), IsErr(std::errc::not_a_directory))
        << mode;
  }
  EXPECT_EQ(fs().read_file("/file"), "data");  // "w" did not truncate it
}

TEST_P(OpenTest, OpeningADirectoryIsIsADirectory) {
  fs().create_directory("/d");
  for (const char* path : {"/d", "/d/", "/"}) {
    for (const char* mode : {"r", "r+", "w", "w+", "a", "a+"}) {
      EXPECT_THAT(open_error(path, mode), IsErr(std::errc::is_a_directory))
          << path << " " << mode;
    }
  }
  EXPECT_TRUE(fs().is_directory("/d"));
}

TEST_P(OpenTest, PathsAreNormalized) {
  fs().create_directory("/d");
  File f = fs().open("//d/./x/../f", "w");
  EXPECT_EQ(f.path(), "/d/f");
  f.close();
  EXPECT_TRUE(fs().is_regular_file("/d/f"));
  EXPECT_TRUE(fs().is_regular_file("d\\f"));  // relative, backslashes
}

// path() names the file for the File's whole life: after close (also when
// the next open, on this thread, reuses what the handle held), in the File
// it was moved to, and (empty) in a moved-from or default File.
TEST_P(OpenTest, PathStaysWithTheFileAfterCloseAndMove) {
  const std::string deep = "/" + std::string(200, 'd');  // not inline
  fs().write_file(deep, "deep");
  fs().write_file("/s", "short");
  File a = fs().open(deep, "r");
  a.close();
  File b = fs().open("/s", "r");
  EXPECT_EQ(a.path(), deep);
  EXPECT_EQ(b.path(), "/s");
  File moved(std::move(a));
  EXPECT_EQ(moved.path(), deep);
  EXPECT_EQ(a.path(), "");  // NOLINT(bugprone-use-after-move): specified
  b = std::move(moved);
  EXPECT_EQ(b.path(), deep);
  EXPECT_FALSE(b.is_open());
  EXPECT_EQ(moved.path(), "");  // NOLINT(bugprone-use-after-move)
  File c = fs().open(deep, "r");
  b = std::move(c);  // b's closed handle goes; c's path comes along
  EXPECT_EQ(b.path(), deep);
  EXPECT_EQ(b.read_all(), "deep");
  EXPECT_EQ(File().path(), "");
}

TEST_P(OpenTest, APathClimbingAboveTheRootIsInvalidArgument) {
  EXPECT_THAT(open_error("/../f", "w"), IsErr(std::errc::invalid_argument));
  EXPECT_THAT(open_error(std::string("/a\0b", 4), "w"),
              IsErr(std::errc::invalid_argument));
  EXPECT_EQ(fs().list("/"), std::vector<std::string>{});
}

TEST_P(OpenTest, PreallocateGrowsWithZerosWithoutMovingTheCursor) {
  OpenOptions options;
  options.preallocate = 100;
  File f = fs().open("/f", "w", options);
  EXPECT_EQ(f.size(), 100u);
  EXPECT_EQ(f.tell(), 0u);
  EXPECT_EQ(f.write("abc"), 3u);
  f.close();
  EXPECT_EQ(fs().read_file("/f"), "abc" + std::string(97, '\0'));
}

TEST_P(OpenTest, PreallocateNeverShrinks) {
  fs().write_file("/f", "hello");
  OpenOptions options;
  options.preallocate = 2;
  fs().open("/f", "r+", options).close();
  EXPECT_EQ(fs().read_file("/f"), "hello");
}

TEST_P(OpenTest, PreallocateWithAReadOnlyModeIsInvalidArgument) {
  fs().write_file("/f", "hello");
  OpenOptions options;
  options.preallocate = 10;
  EXPECT_THAT(open_error("/f", "r", options),
              IsErr(std::errc::invalid_argument));
  EXPECT_EQ(fs().file_size("/f"), 5u);
}

}  // namespace
}  // namespace memfs::test
