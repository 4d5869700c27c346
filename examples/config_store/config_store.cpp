#include "config_store.hpp"

#include <utility>

#include "atomic_file.hpp"
#include "memfs/file.hpp"

namespace example {
namespace {

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

bool valid_entry(const std::string& key, const std::string& value) {
  return !key.empty() && key == trim(key) && value == trim(value) &&
         key.find_first_of("=#\n") == std::string::npos &&
         value.find('\n') == std::string::npos;
}

}  // namespace

std::string format_config(const ConfigStore::Config& config) {
  std::string text;
  for (const auto& [key, value] : config) text += key + " = " + value + "\n";
  return text;
}

ConfigStore::Config parse_config(std::string_view text, std::error_code& ec) {
  ConfigStore::Config config;
  ec.clear();
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::string_view line = trim(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view{}
                                         : text.substr(end + 1);
    if (line.empty() || line.front() == '#') continue;
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos || trim(line.substr(0, eq)).empty()) {
      ec = std::make_error_code(std::errc::invalid_argument);
      return {};
    }
    config[std::string(trim(line.substr(0, eq)))] =
        std::string(trim(line.substr(eq + 1)));
  }
  return config;
}

ConfigStore::ConfigStore(memfs::FileSystem& fs, Options options)
    : fs_(fs),
      options_(std::move(options)),
      config_path_(options_.dir + "/config"),
      lock_path_(options_.dir + "/config.lock") {
  fs_.create_directories(options_.dir);
}

ConfigStore::Config ConfigStore::load(std::error_code& ec) const {
  const std::string text = fs_.read_file(config_path_, ec);
  if (ec == std::errc::no_such_file_or_directory) {
    ec.clear();
    return {};
  }
  if (ec) return {};
  return parse_config(text, ec);
}

std::error_code ConfigStore::with_lock(
    const std::function<std::error_code()>& body) {
  std::error_code ec;
  memfs::File lock = fs_.open(lock_path_, "a", ec);  // created once, kept empty
  if (!ec) lock.lock(memfs::LockMode::exclusive, options_.lock_timeout, ec);
  if (ec) return ec;
  const std::error_code result = body();
  std::error_code
      ignored;  // closing releases the lock; the body's error matters
  lock.close(ignored);
  return result;
}

std::error_code ConfigStore::write(const Config& config) {
  for (const auto& [key, value] : config) {
    if (!valid_entry(key, value))
      return std::make_error_code(std::errc::invalid_argument);
  }
  return replace_file_atomically(fs_, config_path_, format_config(config));
}

std::error_code ConfigStore::save(const Config& config) {
  return with_lock([&] { return write(config); });
}

std::error_code ConfigStore::update(
    const std::function<void(Config&)>& change) {
  return with_lock([&] {
    std::error_code ec;
    Config config = load(ec);
    if (ec) return ec;
    change(config);
    return write(config);
  });
}

}  // namespace example
