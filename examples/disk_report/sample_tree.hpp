// The sample tree both usage-report suites scan (GoogleTest and Catch2), on
// any backend: 4 files, 442 bytes, 2 directories below /data.
#pragma once

#include <string>

#include "memfs/file_system.hpp"

namespace example::sample {

inline void make_tree(memfs::FileSystem& fs) {
  fs.create_directories("/data/logs");
  fs.create_directories("/data/empty");
  fs.write_file("/data/logs/app.log", std::string(300, 'l'));
  fs.write_file("/data/logs/old.log", std::string(100, 'o'));
  fs.write_file("/data/notes.txt", "hi");
  fs.write_file("/data/Makefile", std::string(40, 'm'));
}

}  // namespace example::sample
