#include "atomic_file.hpp"

#include <string>

#include "memfs/file.hpp"

namespace example {

std::error_code replace_file_atomically(memfs::FileSystem& fs,
                                        std::string_view path,
                                        std::string_view data,
                                        std::string_view temp_suffix) {
  const std::string temp = std::string(path) + std::string(temp_suffix);
  std::error_code ec;
  {
    memfs::File file = fs.open(temp, "w", ec);
    if (!ec && file.write(data, ec) != data.size() && !ec) {
      ec = std::make_error_code(std::errc::io_error);  // a short write
    }
    if (!ec) file.sync(ec);  // the data is durable before the name points at it
    std::error_code close_ec;
    file.close(close_ec);
    if (!ec) ec = close_ec;
  }
  if (!ec) fs.rename(temp, path, ec);
  // The rename is durable once the directory is synced; until then a crash
  // may bring back the old file (never an empty one: the data was synced).
  if (!ec) fs.sync_directory(memfs::parent_path(path), ec);
  if (ec && !fs.exists(temp)) return ec;  // renamed: nothing to clean up
  if (ec) {
    std::error_code ignored;  // the first error is the one worth reporting
    fs.remove(temp, ignored);
  }
  return ec;
}

}  // namespace example
