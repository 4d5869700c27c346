// Every way of naming a file that the std file streams and std::fopen accept
// is accepted by memfs's streams, filebuf and fopen, without ambiguity: string
// literals, char arrays, const char*, std::string, std::string_view and
// std::filesystem::path (lvalue, const, temporary).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <type_traits>

#include <gtest/gtest.h>

#include "memfs/memory_file_system.hpp"
#include "memfs/stdio.hpp"
#include "memfs/stream.hpp"

namespace memfs::test {
namespace {

namespace stdfs = std::filesystem;
using std::ios_base;

// memfs's streams take (FileSystem&, x) exactly when the std ones take (x),
// for the argument types a caller has at hand; std::string_view is one more
// (memfs's native path type).
template <class Arg>
constexpr bool same_as_std() {
  return std::is_constructible_v<ifstream, FileSystem&, Arg> ==
             std::is_constructible_v<std::ifstream, Arg> &&
         std::is_constructible_v<ofstream, FileSystem&, Arg,
                                 ios_base::openmode> ==
             std::is_constructible_v<std::ofstream, Arg, ios_base::openmode> &&
         std::is_constructible_v<fstream, FileSystem&, Arg> ==
             std::is_constructible_v<std::fstream, Arg>;
}
static_assert(same_as_std<const char (&)[3]>());
static_assert(same_as_std<char (&)[3]>());
static_assert(same_as_std<const char*>());
static_assert(same_as_std<char*>());
static_assert(same_as_std<const std::string&>());
static_assert(same_as_std<std::string&&>());
static_assert(same_as_std<const stdfs::path&>());
static_assert(same_as_std<stdfs::path&&>());
static_assert(same_as_std<const stdfs::directory_entry&>());
static_assert(same_as_std<int>());
static_assert(std::is_constructible_v<ifstream, FileSystem&, std::string_view>);

// Opens "/<name>" through every way of naming it, with `open(name)` doing
// one open (and returning whether it worked), and checks each one.
template <class Open>
void for_each_spelling(Open open) {
  {
    SCOPED_TRACE("string literal");
    EXPECT_TRUE(open("/literal"));
  }
  {
    SCOPED_TRACE("char array");
    char array[] = "/array";
    EXPECT_TRUE(open(array));
  }
  {
    SCOPED_TRACE("const char*");
    const char* pointer = "/pointer";
    EXPECT_TRUE(open(pointer));
  }
  {
    SCOPED_TRACE("std::string");
    const std::string string = "/string";
    EXPECT_TRUE(open(string));
    EXPECT_TRUE(open(std::string("/string-temporary")));
  }
  {
    SCOPED_TRACE("std::string_view");
    const std::string_view view = "/view";
    EXPECT_TRUE(open(view));
  }
  {
    SCOPED_TRACE("std::filesystem::path");
    const stdfs::path path = "/path";
    EXPECT_TRUE(open(path));
    stdfs::path mutable_path = stdfs::path("/dir") / "joined";
    EXPECT_TRUE(open(mutable_path));
    EXPECT_TRUE(open(stdfs::path("/path-temporary")));
  }
}

class PathArgumentsTest : public ::testing::Test {
 protected:
  void SetUp() override { fs.create_directory("/dir"); }
  MemoryFileSystem fs;
};

TEST_F(PathArgumentsTest, StreamConstructors) {
  for_each_spelling([this](const auto& name) {
    { ofstream(fs, name) << "written"; }
    { ofstream(fs, name, ios_base::app) << "+"; }
    std::string word;
    ifstream(fs, name) >> word;
    fstream io(fs, name);
    return word == "written+" && io.is_open();
  });
}

TEST_F(PathArgumentsTest, StreamOpen) {
  for_each_spelling([this](const auto& name) {
    ofstream out;
    out.open(fs, name);
    out << "opened";
    out.close();
    ifstream in;
    in.open(fs, name, ios_base::binary);
    std::string word;
    in >> word;
    fstream io;
    io.open(fs, name, ios_base::in | ios_base::out);
    return word == "opened" && io.is_open();
  });
}

TEST_F(PathArgumentsTest, FilebufOpen) {
  for_each_spelling([this](const auto& name) {
    filebuf buf;
    const bool opened = buf.open(fs, name, ios_base::out) != nullptr;
    buf.sputn("x", 1);
    const std::string where = buf.path();
    buf.close();
    return opened && fs.read_file(where) == "x";
  });
}

#if MEMFS_HAS_FOPEN
TEST_F(PathArgumentsTest, Fopen) {
  for_each_spelling([this](const auto& name) {
    std::FILE* f = memfs::fopen(fs, name, "w");
    if (f == nullptr) return false;
    std::fputs("c", f);
    std::fclose(f);
    f = memfs::fopen(fs, name, "r");
    if (f == nullptr) return false;
    const int c = std::fgetc(f);
    std::fclose(f);
    return c == 'c';
  });
}
#endif

}  // namespace
}  // namespace memfs::test
