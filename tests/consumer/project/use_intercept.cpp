// The consumer's interception program: memfs::intercept linked into the
// executable, then unmodified std::ofstream / std::filesystem code on a
// mount. Fails unless the bytes land in memfs and nothing reaches the disk.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include <memfs/intercept.hpp>
#include <memfs/memory_file_system.hpp>

int main() {
  memfs::MemoryFileSystem fs;
  const std::string dir =
      "/tmp/memfs-consumer-intercept-" + std::to_string(getpid());
  {
    memfs::Mount mount(fs, dir);
    std::filesystem::create_directories(dir + "/out");
    std::ofstream(dir + "/out/a.txt") << "intercepted";
    if (!std::filesystem::is_regular_file(dir + "/out/a.txt")) {
      std::cerr << "std::filesystem does not see the mounted file\n";
      return EXIT_FAILURE;
    }
  }
  std::error_code ec;
  const std::string text = fs.read_file("/out/a.txt", ec);
  if (ec || text != "intercepted") {
    std::cerr << "memfs holds '" << text << "' (" << ec.message()
              << "): the interposers were not linked in\n";
    return EXIT_FAILURE;
  }
  if (std::filesystem::exists(dir)) {
    std::cerr << dir << " was created on the real disk\n";
    return EXIT_FAILURE;
  }
  std::cout << "memfs consumer: std::ofstream on a mount wrote '" << text
            << "' into memfs\n";
  return EXIT_SUCCESS;
}
