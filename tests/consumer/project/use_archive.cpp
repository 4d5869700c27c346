// The consumer's archive program: memfs::archive through its public header
// only (libarchive stays a private dependency the consumer never names).
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <system_error>

#include <memfs/archive.hpp>
#include <memfs/memory_file_system.hpp>

int main() {
  memfs::MemoryFileSystem fs;
  fs.create_directories("/data/empty");
  fs.write_file("/data/hello.txt", "hello from an archive");
  const std::filesystem::path zip =
      std::filesystem::temp_directory_path() /
      ("memfs-consumer-" + std::to_string(std::random_device{}()) + ".zip");
  memfs::export_archive(fs, "/data", zip, memfs::ArchiveFormat::zip);
  memfs::MemoryFileSystem back;
  memfs::import_archive(back, zip, "/in");
  std::error_code ignored;
  std::filesystem::remove(zip, ignored);
  const std::string text = back.read_file("/in/hello.txt");
  if (text != "hello from an archive" || !back.is_directory("/in/empty")) {
    std::cerr << "read back '" << text << "'\n";
    return EXIT_FAILURE;
  }
  std::cout << "memfs consumer: archive round trip read back '" << text
            << "'\n";
  return EXIT_SUCCESS;
}
