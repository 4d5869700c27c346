// Conformance: status (type, size, times, generation), file_size,
// resize_file, read_file and write_file.
#include <string>

#include "backend.hpp"
#include "test_util.hpp"

namespace memfs::test {
namespace {

using copy_options = std::filesystem::copy_options;

// Generation tests skip only on backends that keep no counters (disk).

class StatusTest : public BackendTest {
 protected:
  std::uint64_t generation(const std::string& path) {
    return fs().status(path).generation;
  }
};
MEMFS_INSTANTIATE_CONFORMANCE(StatusTest);

// Generation counters: only backends that keep them (a disk has no such
// counter; status() reports 0 there).
class GenerationTest : public StatusTest {};
MEMFS_INSTANTIATE_CONFORMANCE_WHERE(GenerationTest, keeps_generation);

// set_modified: the time round-trips (whole microseconds, which every host
// stores) on files and directories and changes nothing else; a later write
// sets it again.
TEST_P(StatusTest, SetModifiedStoresTheTimeOrSaysItCannot) {
  using namespace std::chrono_literals;
  fs().write_file("/f", "12345");
  fs().create_directory("/d");
  const FileStatus before = fs().status("/f");
  const Clock::time_point past =
      std::chrono::time_point_cast<std::chrono::microseconds>(before.modified -
                                                              48h);
  std::error_code ec;
  fs().set_modified("/f", past, ec);
  if (!backend().sets_times) {
    EXPECT_EQ(ec, std::errc::operation_not_supported);
    return;
  }
  ASSERT_FALSE(ec) << ec.message();
  const FileStatus after = fs().status("/f");
  EXPECT_EQ(after.modified, past);
  EXPECT_EQ(after.size, 5u);
  EXPECT_EQ(after.generation, before.generation);
  EXPECT_EQ(fs().read_file("/f"), "12345");
  fs().set_modified("/d", past);
  EXPECT_EQ(fs().status("/d").modified, past);
  fs().write_file("/f", "x");
  EXPECT_GT(fs().status("/f").modified, past);
}

TEST_P(StatusTest, SetModifiedOnNothingIsNotFound) {
  std::error_code ec;
  fs().set_modified("/missing", std::chrono::system_clock::now(), ec);
  EXPECT_EQ(ec, std::errc::no_such_file_or_directory);
  fs().write_file("/f", "x");
  fs().set_modified("/f/below", std::chrono::system_clock::now(), ec);
  EXPECT_EQ(ec, std::errc::not_a_directory);
  EXPECT_THROW(fs().set_modified("/missing", std::chrono::system_clock::now()),
               memfs::filesystem_error);
}

TEST_P(StatusTest, OfAFile) {
  fs().write_file("/f", "12345");
  const FileStatus st = fs().status("/f");
  EXPECT_EQ(st.type, FileType::regular);
  EXPECT_TRUE(st.exists());
  EXPECT_TRUE(st.is_regular_file());
  EXPECT_FALSE(st.is_directory());
  EXPECT_EQ(st.size, 5u);
  EXPECT_EQ(st.generation > 0, backend().has_generation);
  EXPECT_NE(st.modified, Clock::time_point{});
  EXPECT_LE(st.created, st.modified);
}

TEST_P(StatusTest, OfADirectory) {
  make_tree(fs(), {"/d/f"});
  for (const char* path : {"/d", "/d/", "/"}) {
    const FileStatus st = fs().status(path);
    EXPECT_EQ(st.type, FileType::directory) << path;
    EXPECT_TRUE(st.is_directory());
    EXPECT_EQ(st.size, 0u);
    EXPECT_EQ(st.generation, 0u);
  }
}

TEST_P(StatusTest, OfAMissingPathIsNotFound) {
  std::error_code ec;
  const FileStatus st = fs().status("/missing", ec);
  EXPECT_THAT(ec, IsErr(std::errc::no_such_file_or_directory));
  EXPECT_EQ(st.type, FileType::not_found);
  EXPECT_FALSE(st.exists());
  // As std::filesystem::status: not found is an answer, not an exception.
  EXPECT_EQ(fs().status("/missing").type, FileType::not_found);
}

TEST_P(StatusTest, ThroughAFileIsNotFoundWithoutThrowing) {
  fs().write_file("/f", "x");
  EXPECT_EQ(fs().status("/f/x").type, FileType::not_found);
  EXPECT_EQ(fs().status("/f/").type, FileType::not_found);
  EXPECT_THROW((void)fs().status("/../x"), filesystem_error);  // bad input
}

TEST_P(StatusTest, ThroughAFileIsNotADirectory) {
  fs().write_file("/f", "x");
  EXPECT_THAT(ec_of([&](auto& ec) { (void)fs().status("/f/", ec); }),
              IsErr(std::errc::not_a_directory));
  EXPECT_THAT(ec_of([&](auto& ec) { (void)fs().status("/f/x", ec); }),
              IsErr(std::errc::not_a_directory));
}

TEST_P(StatusTest, ANewFileStartsAtGenerationZero) {
  fs().open("/f", "w").close();
  EXPECT_EQ(generation("/f"), 0u);
  fs().open("/g", "wx").close();
  EXPECT_EQ(generation("/g"), 0u);
}

TEST_P(GenerationTest, EachWriteThatMovesBytesAddsOne) {
  File f = fs().open("/f", "w+");
  EXPECT_EQ(f.write("a"), 1u);
  EXPECT_EQ(generation("/f"), 1u);
  EXPECT_EQ(f.write("b"), 1u);
  EXPECT_EQ(generation("/f"), 2u);
  EXPECT_EQ(f.write(""), 0u);
  EXPECT_EQ(generation("/f"), 2u);
  EXPECT_EQ(f.pwrite(0, "c"), 1u);
  EXPECT_EQ(generation("/f"), 3u);
  char buf[2];
  (void)f.pread(0, buf, 2);
  f.seek(0);
  EXPECT_EQ(f.read_all(), "cb");
  EXPECT_EQ(generation("/f"), 3u);  // reads change nothing
}

TEST_P(GenerationTest, ATruncateThatChangesTheSizeAddsOne) {
  File f = fs().open("/f", "w");
  EXPECT_EQ(f.write("abc"), 3u);
  const std::uint64_t g = generation("/f");
  f.truncate(3);
  EXPECT_EQ(generation("/f"), g);
  f.truncate(1);
  EXPECT_EQ(generation("/f"), g + 1);
  f.truncate(4);
  EXPECT_EQ(generation("/f"), g + 2);
  fs().resize_file("/f", 4);
  EXPECT_EQ(generation("/f"), g + 2);
  fs().resize_file("/f", 0);
  EXPECT_EQ(generation("/f"), g + 3);
}

TEST_P(GenerationTest, ATruncatingOpenOfAnExistingFileAddsOne) {
  fs().open("/f", "w").close();
  EXPECT_EQ(generation("/f"), 0u);
  fs().open("/f", "w").close();  // even when it was already empty
  EXPECT_EQ(generation("/f"), 1u);
  fs().open("/f", "w+").close();
  EXPECT_EQ(generation("/f"), 2u);
}

TEST_P(StatusTest, OpensThatWriteNothingChangeNothing) {
  fs().write_file("/f", "data");
  const FileStatus before = fs().status("/f");
  for (const char* mode : {"r", "r+", "a", "a+"}) fs().open("/f", mode).close();
  const FileStatus after = fs().status("/f");
  EXPECT_EQ(after.generation, before.generation);
  EXPECT_EQ(after.modified, before.modified);
  EXPECT_EQ(after.created, before.created);
}

TEST_P(StatusTest, RenameKeepsGenerationAndTimes) {
  File f = fs().open("/a", "w");
  EXPECT_EQ(f.write("x"), 1u);
  EXPECT_EQ(f.write("y"), 1u);
  f.close();
  const FileStatus before = fs().status("/a");
  fs().rename("/a", "/b");
  const FileStatus after = fs().status("/b");
  EXPECT_EQ(after.generation, before.generation);
  EXPECT_EQ(after.created, before.created);
  EXPECT_EQ(after.modified, before.modified);
}

TEST_P(GenerationTest, ACopyStartsAtOneOrZeroWhenEmpty) {
  File f = fs().open("/src", "w");
  for (int i = 0; i < 5; ++i) EXPECT_EQ(f.write("x"), 1u);
  f.close();
  fs().open("/empty", "w").close();
  fs().copy_file("/src", "/copy");
  fs().copy_file("/empty", "/empty-copy");
  EXPECT_EQ(generation("/copy"), 1u);
  EXPECT_EQ(generation("/empty-copy"), 0u);
  fs().copy_file("/src", "/empty-copy", copy_options::overwrite_existing);
  EXPECT_EQ(generation("/empty-copy"), 1u);
}

// copy_file and copy give each file they write what write_file would: a new
// file 1 (0 if empty), an existing one its generation + 1 — never 0 for a
// file whose contents changed since import.
TEST_P(GenerationTest, CopiesCountAsWritesLikeWriteFile) {
  fs().import_tree({{"/src/a", "aaa"},
                    {"/src/sub/empty", ""},
                    {"/dst/a", "old"},
                    {"/dst/sub/empty", "old"},
                    {"/one", "old"}});
  fs().write_file("/one", "changed");  // 1
  fs().write_file("/one", "again");    // 2
  fs().copy_file("/src/a", "/one", copy_options::overwrite_existing);
  EXPECT_EQ(generation("/one"), 3u);
  fs().copy_file("/src/sub/empty", "/one", copy_options::overwrite_existing);
  EXPECT_EQ(generation("/one"), 4u);
  fs().copy("/src/a", "/single");
  EXPECT_EQ(generation("/single"), 1u);

  fs().copy("/src", "/fresh");
  EXPECT_EQ(generation("/fresh/a"), 1u);
  EXPECT_EQ(generation("/fresh/sub/empty"), 0u);
  fs().copy("/src", "/dst", copy_options::overwrite_existing);
  EXPECT_EQ(generation("/dst/a"), 1u);          // imported (0) + 1
  EXPECT_EQ(generation("/dst/sub/empty"), 1u);  // emptied: still a change
  fs().copy("/src", "/dst", copy_options::overwrite_existing);
  EXPECT_EQ(generation("/dst/a"), 2u);

  const ExportedTree dirty = fs().export_tree("/", dirty_only());
  for (const char* path : {"/fresh/a", "/dst/a", "/dst/sub/empty", "/one"}) {
    EXPECT_EQ(dirty.files.count(path), 1u) << path;
  }
  EXPECT_EQ(dirty.files.count("/src/a"), 0u);
}

TEST_P(StatusTest, ImportedFilesStartAtZero) {
  fs().write_file("/existing", "written");
  fs().import_tree({{"/existing", "imported"}, {"/new/f", "imported"}});
  EXPECT_EQ(generation("/existing"), 0u);
  EXPECT_EQ(generation("/new/f"), 0u);
}

TEST_P(StatusTest, FileSizeOfFilesDirectoriesAndMissingPaths) {
  fs().write_file("/f", std::string(1234, 'x'));
  fs().create_directory("/d");
  EXPECT_EQ(fs().file_size("/f"), 1234u);
  EXPECT_THAT(ec_of([&](auto& ec) { (void)fs().file_size("/d", ec); }),
              IsErr(std::errc::is_a_directory));
  EXPECT_THAT(ec_of([&](auto& ec) { (void)fs().file_size("/missing", ec); }),
              IsErr(std::errc::no_such_file_or_directory));
}

TEST_P(StatusTest, ResizeFileGrowsWithZerosAndShrinks) {
  fs().write_file("/f", "hello");
  fs().resize_file("/f", 8);
  EXPECT_EQ(fs().read_file("/f"), std::string("hello\0\0\0", 8));
  fs().resize_file("/f", 2);
  EXPECT_EQ(fs().read_file("/f"), "he");
  fs().create_directory("/d");
  EXPECT_THAT(ec_of([&](auto& ec) { fs().resize_file("/d", 1, ec); }),
              IsErr(std::errc::is_a_directory));
  EXPECT_THAT(ec_of([&](auto& ec) { fs().resize_file("/missing", 1, ec); }),
              IsErr(std::errc::no_such_file_or_directory));
  EXPECT_FALSE(fs().exists("/missing"));
}

TEST_P(StatusTest, WriteFileAndReadFileRoundTrip) {
  std::string data;
  for (int i = 0; i < 300; ++i) data += static_cast<char>(i % 256);
  fs().write_file("/bin", data);
  EXPECT_EQ(fs().read_file("/bin"), data);
  fs().write_file("/bin", "short");
  EXPECT_EQ(fs().read_file("/bin"), "short");
  fs().write_file("/bin", "");
  EXPECT_EQ(fs().read_file("/bin"), "");
  EXPECT_TRUE(fs().is_regular_file("/bin"));
}

TEST_P(StatusTest, WriteFileAndReadFileErrors) {
  make_tree(fs(), {"/d/", "/f"});
  const std::string before = describe_state(fs());
  EXPECT_THAT(ec_of([&](auto& ec) { fs().write_file("/nodir/f", "x", ec); }),
              IsErr(std::errc::no_such_file_or_directory));
  EXPECT_THAT(ec_of([&](auto& ec) { fs().write_file("/d", "x", ec); }),
              IsErr(std::errc::is_a_directory));
  EXPECT_THAT(ec_of([&](auto& ec) { fs().write_file("/f/x", "x", ec); }),
              IsErr(std::errc::not_a_directory));
  EXPECT_THAT(ec_of([&](auto& ec) { (void)fs().read_file("/missing", ec); }),
              IsErr(std::errc::no_such_file_or_directory));
  EXPECT_THAT(ec_of([&](auto& ec) { (void)fs().read_file("/d", ec); }),
              IsErr(std::errc::is_a_directory));
  EXPECT_EQ(describe_state(fs()), before);
}

TEST_P(StatusTest, ReadFileDoesNotWaitForALockHolder) {
  fs().write_file("/f", "data");
  File holder = fs().open("/f", "r+");
  holder.lock(LockMode::exclusive);
  EXPECT_EQ(fs().read_file("/f"), "data");
}

}  // namespace
}  // namespace memfs::test
