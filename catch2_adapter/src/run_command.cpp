// The "run this test alone" command of a run, for the manifest and the fault
// log's "reproduce with:" line.
#include <filesystem>
#include <string>
#include <system_error>

#include "run_registry.hpp"

namespace memfs::catch2::detail {

std::string shell_quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string exact_test_spec(std::string_view name) {
  std::string spec;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool special = c == '\\' || c == ',' || c == '[' ||
                   (i == 0 && (c == '"' || c == '~'));
    if (special) spec += '\\';
    spec += c;
  }
  return spec;
}

std::string run_command(const std::string& test_name,
                        const std::vector<std::string>& sections) {
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::string command = shell_quote(ec ? std::string("<test binary>") : exe.string());
  command += " " + shell_quote(exact_test_spec(test_name));
  for (const std::string& section : sections) {
    command += " -c " + shell_quote(section);
  }
  return command;
}

}  // namespace memfs::catch2::detail
