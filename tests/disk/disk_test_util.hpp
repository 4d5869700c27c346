// Helpers of the disk tests: a scratch host directory and host-side reads.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <system_error>
#include <vector>

namespace memfs::test {

/// A fresh, empty host directory (under /dev/shm when writable, else the
/// system temp directory), removed with its contents at scope exit.
class HostDir {
 public:
  HostDir() {
    namespace fs = std::filesystem;
    const fs::path base = ::access("/dev/shm", W_OK) == 0
                              ? fs::path("/dev/shm")
                              : fs::temp_directory_path();
    std::random_device rd;
    for (;;) {
      path_ = base / ("memfs-disk-test-" + std::to_string(rd()));
      if (fs::create_directory(path_)) break;
    }
  }
  HostDir(const HostDir&) = delete;
  HostDir& operator=(const HostDir&) = delete;
  ~HostDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// The contents of a host file ("" if it cannot be read).
inline std::string read_host(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary | std::ios::ate);
  if (!in) return {};
  std::string out(static_cast<std::size_t>(in.tellg()), '\0');
  in.seekg(0);
  in.read(out.data(), static_cast<std::streamsize>(out.size()));
  out.resize(static_cast<std::size_t>(in.gcount()));
  return out;
}

/// Every path below `dir` (symlinks not followed), relative to it, sorted;
/// directories end in '/'.
inline std::vector<std::string> list_host(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  for (auto it = std::filesystem::recursive_directory_iterator(dir);
       it != std::filesystem::recursive_directory_iterator(); ++it) {
    std::string rel = std::filesystem::relative(it->path(), dir).string();
    if (it->is_directory() && !it->is_symlink()) rel += '/';
    out.push_back(rel);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace memfs::test
