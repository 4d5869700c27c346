// Every example message documented in the public headers (a comment line
// "filesystem error: ...") is exactly what the code prints: each one is read
// from the headers and compared with the what() of the failure it describes.
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "memfs/memory_file_system.hpp"
#include "test_util.hpp"

namespace memfs::test {
namespace {

using ::testing::ContainerEq;

// The documented examples: comment lines of core/include/memfs/*.hpp whose
// text starts with "filesystem error: ".
std::set<std::string> documented_messages() {
  const std::filesystem::path dir = std::filesystem::path(MEMFS_TEST_DATA_DIR) /
                                    ".." / ".." / "core" / "include" / "memfs";
  std::set<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path());
    for (std::string line; std::getline(in, line);) {
      const std::size_t slash = line.find_first_not_of(' ');
      if (slash == std::string::npos || line.compare(slash, 2, "//") != 0) {
        continue;
      }
      const std::size_t text = line.find_first_not_of("/ ", slash);
      if (text != std::string::npos &&
          line.compare(text, 18, "filesystem error: ") == 0) {
        out.insert(line.substr(text));
      }
    }
  }
  return out;
}

template <class F>
std::string what_of(F&& f) {
  try {
    std::forward<F>(f)();
  } catch (const filesystem_error& e) {
    return e.what();
  }
  ADD_FAILURE() << "did not throw a memfs::filesystem_error";
  return {};
}

// The failure behind each documented example.
std::set<std::string> printed_messages() {
  std::set<std::string> out;
  MemoryFileSystem fs;
  out.insert(what_of([&] { fs.create_directory("/a/b"); }));
  out.insert(what_of([&] { fs.rename("/a", "/b"); }));

  MemoryOptions small;
  small.max_quota = 20;
  small.max_nodes = 2;
  MemoryFileSystem limited(small);
  out.insert(
      what_of([&] { limited.write_file("/big.bin", std::string(300, 'x')); }));
  limited.create_directory("/c");
  out.insert(what_of([&] { limited.create_directory("/d"); }));

  MemoryOptions locking;
  locking.lock_on_open = true;
  locking.default_lock_timeout = std::chrono::nanoseconds(0);
  MemoryFileSystem locked(locking);
  locked.write_file("/f", "x");
  File holder = locked.open("/f", "r+");
  out.insert(what_of([&] { (void)locked.open("/f", "r"); }));
  return out;
}

TEST(ErrorMessages, EveryDocumentedExampleIsWhatTheCodePrints) {
  const std::set<std::string> documented = documented_messages();
  EXPECT_EQ(documented.size(), 5u) << "an example was added or lost: give it "
                                      "a case in printed_messages()";
  EXPECT_THAT(printed_messages(), ContainerEq(documented));
}

TEST(ErrorMessages, AOnePathErrorPrintsOnePath) {
  MemoryFileSystem fs;
  EXPECT_EQ(what_of([&] { fs.write_file("/missing/y.txt", "x"); }),
            "filesystem error: write_file: parent does not exist: No such "
            "file or directory [/missing/y.txt]");
  EXPECT_EQ(what_of([&] { (void)fs.read_file("/missing"); }),
            "filesystem error: read_file: No such file or directory "
            "[/missing]");
  const filesystem_error no_path("MemoryFileSystem", "why", "",
                                 make_error_code(std::errc::invalid_argument));
  EXPECT_EQ(std::string(no_path.what()),
            "filesystem error: MemoryFileSystem: why: Invalid argument");
}

TEST(ErrorMessages, CreateDirectorySaysWhenTheParentIsMissing) {
  MemoryFileSystem fs;
  fs.write_file("/file", "x");
  // A parent that is a file is "not a directory": the code says it all.
  EXPECT_EQ(what_of([&] { fs.create_directory("/file/d"); }),
            "filesystem error: create_directory: Not a directory [/file/d]");
  std::error_code ec;
  fs.create_directory("/a/b", ec);
  EXPECT_THAT(ec, IsErr(std::errc::no_such_file_or_directory));
}

}  // namespace
}  // namespace memfs::test
