// The consumer's plain program: memfs::core through the public header only.
#include <cstdlib>
#include <iostream>
#include <string>

#include <memfs/memory_file_system.hpp>

int main() {
  memfs::MemoryFileSystem fs;
  fs.create_directories("/data");
  fs.write_file("/data/hello.txt", "hello from a consumer");
  const std::string text = fs.read_file("/data/hello.txt");
  if (text != "hello from a consumer") {
    std::cerr << "read back '" << text << "'\n";
    return EXIT_FAILURE;
  }
  std::cout << "memfs consumer: read back '" << text << "'\n";
  return EXIT_SUCCESS;
}
