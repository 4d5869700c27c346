// The consumer's Catch2 binary (v3 or v2.13): memfs::catch2 resolves and links,
// and the adapter's header is used as soon as it exists.
#include <string>

#if __has_include(<catch2/catch_test_macros.hpp>)
#include <catch2/catch_test_macros.hpp>
#else
#include <catch2/catch.hpp>
#endif

#include <memfs/memory_file_system.hpp>
#if __has_include(<memfs/catch2.hpp>)
#include <memfs/catch2.hpp>
#endif

TEST_CASE("a consumer writes and reads a file") {
  memfs::MemoryFileSystem fs;
  fs.write_file("/a.txt", "abc");
  REQUIRE(fs.read_file("/a.txt") == std::string("abc"));
}
