// The "run this test alone" command of a run, for the manifest and the fault
// log's "reproduce with:" line.
#include <string>

#include "run_registry.hpp"
#include "shared/self_exe.hpp"
#include "shared/shell_quote.hpp"

namespace memfs::catch2::detail {

using memfs::detail::shell_quote;

std::string exact_test_spec(std::string_view name) {
  std::string spec;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool special =
        c == '\\' || c == ',' || c == '[' || (i == 0 && (c == '"' || c == '~'));
    if (special) spec += '\\';
    spec += c;
  }
  return spec;
}

std::string run_command(const std::string& test_name,
                        const std::vector<std::string>& sections) {
  std::string command = shell_quote(memfs::detail::self_exe());
  command += " " + shell_quote(exact_test_spec(test_name));
  for (const std::string& section : sections) {
    command += " -c " + shell_quote(section);
  }
  return command;
}

}  // namespace memfs::catch2::detail
