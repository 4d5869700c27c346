// Conformance: FileSystem::read_file into a caller's string — the whole
// contents, the caller's capacity reused, and the errors of read_file with
// the string left as it was.
#include <string>

#include "backend.hpp"
#include "test_util.hpp"

namespace memfs::test {
namespace {

class ReadFileIntoTest : public BackendTest {};
MEMFS_INSTANTIATE_CONFORMANCE(ReadFileIntoTest);

TEST_P(ReadFileIntoTest, ReplacesTheStringWithTheWholeContents) {
  const std::string big(70000, 'b');
  fs().write_file("/big", big);
  fs().write_file("/small", "tiny");
  fs().write_file("/empty", "");
  std::string out = "previous contents that are longer";
  EXPECT_EQ(fs().read_file("/small", out), 4u);
  EXPECT_EQ(out, "tiny");
  EXPECT_EQ(fs().read_file("/big", out), big.size());
  EXPECT_EQ(out, big);
  EXPECT_EQ(fs().read_file("/empty", out), 0u);
  EXPECT_EQ(out, "");
}

TEST_P(ReadFileIntoTest, ErrorsAreThoseOfReadFileAndLeaveTheStringAlone) {
  fs().create_directories("/dir");
  fs().write_file("/file", "x");
  std::string out = "kept";
  EXPECT_THAT(
      ec_of([&](auto& ec) { (void)fs().read_file("/missing", out, ec); }),
      IsErr(std::errc::no_such_file_or_directory));
  EXPECT_THAT(ec_of([&](auto& ec) { (void)fs().read_file("/dir", out, ec); }),
              IsErr(std::errc::is_a_directory));
  EXPECT_THAT(ec_of([&](auto& ec) { (void)fs().read_file("/file/", out, ec); }),
              IsErr(std::errc::not_a_directory));
  EXPECT_EQ(out, "kept");
  EXPECT_THROW((void)fs().read_file("/missing", out), filesystem_error);
}

}  // namespace
}  // namespace memfs::test
