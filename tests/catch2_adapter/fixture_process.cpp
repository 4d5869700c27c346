// fork + execve of a fixture binary; see fixture_process.hpp.
#include "fixture_process.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

extern char** environ;

namespace memfs::catch2_test {
namespace fs = std::filesystem;
namespace {

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool removed_variable(const std::string& entry) {
  static const char* const kRemoved[] = {
      "MEMFS_SNAPSHOT=", "MEMFS_SNAPSHOT_DIR=", "MEMFS_FAULTS=",
      "MEMFS_FAULT_SEED=", "TEST_UNDECLARED_OUTPUTS_DIR="};
  return std::any_of(std::begin(kRemoved), std::end(kRemoved),
                     [&](const char* prefix) { return entry.rfind(prefix, 0) == 0; });
}

// The child's environment: ours minus the variables memfs reads, plus `env`.
std::vector<std::string> child_environment(
    const fs::path& snapshot_root,
    const std::vector<std::pair<std::string, std::string>>& env) {
  std::vector<std::string> vars;
  for (char** e = environ; *e != nullptr; ++e) {
    if (!removed_variable(*e)) vars.emplace_back(*e);
  }
  vars.push_back("MEMFS_SNAPSHOT_DIR=" + snapshot_root.string());
  for (const auto& variable : env) {
    const std::string prefix = variable.first + "=";
    auto same = [&prefix](const std::string& v) { return v.rfind(prefix, 0) == 0; };
    vars.erase(std::remove_if(vars.begin(), vars.end(), same), vars.end());
    if (!variable.second.empty()) vars.push_back(prefix + variable.second);
  }
  return vars;
}

}  // namespace

ScratchDir::ScratchDir() {
  static std::atomic<int> counter{0};
  path_ = fs::temp_directory_path() /
          ("memfs-catch2-test-" + std::to_string(::getpid()) + "-" +
           std::to_string(counter++));
  fs::remove_all(path_);
  fs::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

FixtureRun run_fixture(const fs::path& dir, const std::string& binary,
                       const std::vector<std::string>& args,
                       const std::vector<std::pair<std::string, std::string>>& env) {
  FixtureRun run;
  run.snapshot_root = dir / "snapshots";
  const fs::path out_file = dir / "stdout.txt";
  const fs::path err_file = dir / "stderr.txt";

  // Everything the child needs is built before fork: after it, only
  // async-signal-safe calls.
  std::vector<std::string> argv_text{binary};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_text = child_environment(run.snapshot_root, env);
  std::vector<char*> envp;
  for (auto& e : env_text) envp.push_back(e.data());
  envp.push_back(nullptr);
  const std::string dir_text = dir.string();
  const std::string out_text = out_file.string();
  const std::string err_text = err_file.string();

  pid_t pid = ::fork();
  if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
  if (pid == 0) {
    int out = ::open(out_text.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = ::open(err_text.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0 || err < 0 || ::chdir(dir_text.c_str()) != 0 ||
        ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0) {
      ::_exit(126);
    }
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "waitpid");
  }
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  run.out = slurp(out_file);
  run.err = slurp(err_file);
  return run;
}

std::vector<std::string> FixtureRun::snapshots() const {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(snapshot_root, ec)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

JsonValue FixtureRun::manifest(const std::string& folder) const {
  std::error_code ec;
  JsonValue value = JsonValue::parse(slurp(snapshot_root / folder / "manifest.json"), ec);
  if (ec) throw std::runtime_error("manifest of " + folder + " does not parse");
  return value;
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

std::map<std::string, std::string> FixtureRun::tree(const std::string& folder) const {
  std::map<std::string, std::string> files;
  const fs::path root = snapshot_root / folder / "tree";
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    files["/" + entry.path().lexically_relative(root).generic_string()] =
        slurp(entry.path());
  }
  return files;
}

std::string fixture_binary() { return MEMFS_CATCH2_FIXTURE; }

std::string fixture_main_binary() { return MEMFS_CATCH2_FIXTURE_MAIN; }

std::string fixture_config_binary() { return MEMFS_CATCH2_FIXTURE_CONFIG; }

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

}  // namespace memfs::catch2_test
