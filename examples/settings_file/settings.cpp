// The naive and the correct way to save a settings file.
#include "settings.hpp"

#include <string>

#include "atomic_file.hpp"
#include "memfs/file.hpp"

namespace example {

std::error_code save_settings_naive(memfs::FileSystem& fs,
                                    std::string_view path,
                                    std::string_view text) {
  const std::string temp = std::string(path) + ".tmp";
  std::error_code ec;
  fs.write_file(temp, text, ec);  // no fsync: the bytes may still be in memory
  if (!ec) fs.rename(temp, path, ec);  // ...when the rename reaches the disk
  return ec;
}

std::error_code save_settings(memfs::FileSystem& fs, std::string_view path,
                              std::string_view text) {
  return replace_file_atomically(fs, path, text);
}

}  // namespace example
