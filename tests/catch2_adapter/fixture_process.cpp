// See fixture_process.hpp.
#include "fixture_process.hpp"

namespace memfs::catch2_test {

FixtureRun run_fixture(
    const std::filesystem::path& dir, const std::string& binary,
    const std::vector<std::string>& args,
    const std::vector<std::pair<std::string, std::string>>& env) {
  test_support::ChildOptions options;
  options.env = env;
  return FixtureRun{test_support::run_child(dir, binary, args, options)};
}

std::vector<std::string> FixtureRun::failures(const std::string& folder) const {
  JsonValue m = manifest(folder);
  std::vector<std::string> texts;
  for (const JsonValue& f : m.find("sections")->find("failures")->items()) {
    texts.push_back(f.text());
  }
  return texts;
}

std::string FixtureRun::test_field(const std::string& folder,
                                   const std::string& key) const {
  JsonValue m = manifest(folder);
  return m.find("sections")->find("test")->find(key)->text();
}

std::string fixture_binary() { return MEMFS_CATCH2_FIXTURE; }

std::string fixture_main_binary() { return MEMFS_CATCH2_FIXTURE_MAIN; }

std::string fixture_config_binary() { return MEMFS_CATCH2_FIXTURE_CONFIG; }

}  // namespace memfs::catch2_test
