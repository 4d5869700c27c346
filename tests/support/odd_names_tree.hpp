// The tree the fixture binaries' "odd names" tests write before they fail
// (gtest_adapter/fixtures/odd_names.cpp,
// catch2_adapter/fixtures/odd_names.cpp): names a host folder cannot hold as
// they are (a colon, bytes that are not UTF-8, a Windows device name, a percent
// sign) and an empty directory, so tests/snapshot_format sees escaped names
// restored from each snapshot form.
#pragma once

#include <string>

#include "memfs/file_system.hpp"

namespace memfs::test_support {

inline void write_odd_names(FileSystem& fs) {
  fs.create_directories("/data/empty");
  fs.write_file("/data/a:b", "colon");
  fs.write_file("/data/bad\xff\xfe", std::string("\0\x01\xff", 3));
  fs.write_file("/data/CON", "device");
  fs.write_file("/100%.txt", "percent");
}

}  // namespace memfs::test_support
