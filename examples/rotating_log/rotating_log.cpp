#include "rotating_log.hpp"

#include <stdexcept>
#include <utility>

namespace example {

RotatingLog::RotatingLog(memfs::FileSystem& fs, Options options)
    : fs_(fs), options_(std::move(options)) {
  if (options_.keep < 1)
    throw std::invalid_argument("RotatingLog: keep must be at least 1");
  fs_.create_directories(options_.dir);
}

std::string RotatingLog::path(int index) const {
  std::string p = options_.dir + "/" + options_.name;
  return index == 0 ? p : p + "." + std::to_string(index);
}

std::error_code RotatingLog::open_current() {
  std::error_code ec;
  if (!current_.is_open()) current_ = fs_.open(path(0), "a", ec);
  return ec;
}

std::error_code RotatingLog::close() {
  std::error_code ec;
  current_.close(ec);
  return ec;
}

std::error_code RotatingLog::rotate() {
  // The handle is released even when close() reports an error; every line in
  // the file was already written (and checked) by append().
  if (std::error_code ec = close()) return ec;
  std::error_code ec;
  fs_.remove(path(options_.keep), ec);  // the oldest goes
  if (ec) return ec;
  std::vector<int> shifted;
  // Top down, so a name is always free when a file moves onto it: rename()
  // would replace (and so lose) a file already there.
  for (int i = options_.keep - 1; i >= 0; --i) {
    const bool present = fs_.exists(path(i), ec);
    if (!ec && present) fs_.rename(path(i), path(i + 1), ec);
    if (ec) {
      undo_shifts(shifted);
      return ec;
    }
    if (present) shifted.push_back(i);
  }
  return {};
}

void RotatingLog::undo_shifts(const std::vector<int>& shifted) {
  for (auto it = shifted.rbegin(); it != shifted.rend(); ++it) {
    std::error_code ec;
    fs_.rename(path(*it + 1), path(*it), ec);
    if (ec) return;  // leave a gap rather than move a file onto a taken name
  }
}

std::error_code RotatingLog::append(std::string_view line) {
  if (line.find('\n') != std::string_view::npos) {
    return std::make_error_code(std::errc::invalid_argument);
  }
  std::string record(line);
  record += '\n';
  if (std::error_code ec = open_current()) return ec;
  std::error_code ec;
  std::uint64_t size = current_.size(ec);
  if (ec) return ec;
  if (size > 0 && size + record.size() > options_.max_bytes) {
    if ((ec = rotate()) || (ec = open_current())) return ec;
    size = current_.size(ec);
    if (ec) return ec;
  }
  const std::size_t written = current_.write(record, ec);
  if (ec) return ec;  // a refused write wrote nothing
  if (written != record.size()) {
    std::error_code ignored;  // the short write is the error to report
    current_.truncate(size, ignored);
    return std::make_error_code(std::errc::io_error);
  }
  return {};
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
