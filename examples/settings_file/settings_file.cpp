// The settings file: see settings_file.hpp. Nothing here knows about memfs;
// the tests mount a memfs filesystem where this code looks for its files.
#include "settings_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <stdexcept>
#include <system_error>

namespace example {
namespace {

[[noreturn]] void fail(int error, const std::string& step,
                       const std::filesystem::path& path) {
  throw std::system_error(error == 0 ? EIO : error, std::generic_category(),
                          "settings: " + step + " " + path.string());
}

// fsync of a file or directory opened with `flags`; errno, or 0.
int sync_path(const std::filesystem::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return errno;
  const int rc = ::fsync(fd);
  const int error = rc == 0 ? 0 : errno;
  ::close(fd);
  return error;
}

void check_entry(const std::string& key, const std::string& value) {
  if (key.empty() || key.find_first_of("=\n") != std::string::npos ||
      value.find('\n') != std::string::npos) {
    throw std::invalid_argument("settings: bad entry '" + key + "'");
  }
}

}  // namespace

void save_settings(const std::filesystem::path& file, const Settings& values) {
  for (const auto& [key, value] : values) check_entry(key, value);
  std::filesystem::path temporary = file;
  temporary += ".tmp";
  auto discard = [&] {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
  };

  errno = 0;
  std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
  if (!out) fail(errno, "create", temporary);
  for (const auto& [key, value] : values) out << key << '=' << value << '\n';
  out.flush();
  const int write_error = errno;
  out.close();
  if (!out) {
    discard();
    fail(write_error, "write", temporary);
  }
  if (const int error = sync_path(temporary, O_WRONLY)) {
    discard();
    fail(error, "fsync", temporary);
  }
  std::error_code ec;
  std::filesystem::rename(temporary, file, ec);
  if (ec) {
    discard();
    fail(ec.value(), "rename to " + file.string() + " from", temporary);
  }
  const std::filesystem::path dir =
      file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
  if (const int error = sync_path(dir, O_RDONLY | O_DIRECTORY)) {
    fail(error, "fsync directory", dir);
  }
}

Settings load_settings(const std::filesystem::path& file) {
  Settings values;
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    if (ec) fail(ec.value(), "stat", file);
    return values;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) fail(errno, "open", file);
  for (std::string line; std::getline(in, line);) {
    const auto eq = line.find('=');
    if (eq != std::string::npos)
      values[line.substr(0, eq)] = line.substr(eq + 1);
  }
  if (in.bad()) fail(errno, "read", file);
  return values;
}

}  // namespace example
