#include "rotating_log.hpp"

#include <utility>

namespace example {

RotatingLog::RotatingLog(memfs::FileSystem& fs, Options options)
    : fs_(fs), options_(std::move(options)) {
  fs_.create_directories(options_.dir);
}

std::string RotatingLog::path(int index) const {
  std::string p = options_.dir + "/" + options_.name;
  return index == 0 ? p : p + "." + std::to_string(index);
}

std::error_code RotatingLog::rotate() {
  std::error_code ec;
  fs_.remove(path(options_.keep), ec);  // the oldest goes
  if (ec) return ec;
  for (int i = options_.keep - 1; i >= 0; --i) {
    if (!fs_.exists(path(i), ec)) continue;
    fs_.rename(path(i), path(i + 1), ec);
    if (ec) {
      // Undo the shifts already made, newest last, so no line is lost.
      for (int j = i + 1; j < options_.keep; ++j) {
        std::error_code ignored;
        fs_.rename(path(j + 1), path(j), ignored);
      }
      return ec;
    }
  }
  return {};
}

std::error_code RotatingLog::append(std::string_view line) {
  std::string record(line);
  record += '\n';
  std::error_code ec;
  const std::uint64_t size = fs_.exists(path(0), ec) ? fs_.file_size(path(0), ec) : 0;
  if (ec) return ec;
  if (size > 0 && size + record.size() > options_.max_bytes) {
    if (auto rotated = rotate()) return rotated;
  }
  memfs::File file = fs_.open(path(0), "a", ec);
  if (ec) return ec;
  file.write(record, ec);
  if (ec) return ec;
  file.close(ec);
  return ec;
}

std::vector<std::string> RotatingLog::files() const {
  std::vector<std::string> found;
  for (int i = 0; i <= options_.keep; ++i) {
    std::error_code ec;
    if (fs_.exists(path(i), ec)) found.push_back(path(i));
  }
  return found;
}

}  // namespace example
