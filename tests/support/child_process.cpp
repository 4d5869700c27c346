// posix_spawn of a test binary; see child_process.hpp.
#include "child_process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

extern char** environ;

namespace memfs::test_support {
namespace fs = std::filesystem;
namespace {

// Variables the child must not inherit from whoever runs the tests.
bool inherited_setting(const std::string& entry) {
  static const char* const kPrefixes[] = {
      "MEMFS_", "TEST_UNDECLARED_OUTPUTS_DIR=", "GTEST_", "XML_OUTPUT_FILE="};
  return std::any_of(std::begin(kPrefixes), std::end(kPrefixes),
                     [&](const char* p) { return entry.rfind(p, 0) == 0; });
}

std::vector<std::string> child_environment(const fs::path& snapshot_root,
                                           const ChildOptions& options) {
  std::vector<std::string> vars;
  for (char** e = environ; *e != nullptr; ++e) {
    if (!inherited_setting(*e)) vars.emplace_back(*e);
  }
  vars.push_back("MEMFS_SNAPSHOT_DIR=" + snapshot_root.string());
  for (const auto& [name, value] : options.env) {
    const std::string prefix = name + "=";
    vars.erase(std::remove_if(vars.begin(), vars.end(),
                              [&](const std::string& v) {
                                return v.rfind(prefix, 0) == 0;
                              }),
               vars.end());
    if (!value.empty()) vars.push_back(prefix + value);
  }
  return vars;
}

std::vector<char*> pointers(std::vector<std::string>& texts) {
  std::vector<char*> out;
  for (auto& t : texts) out.push_back(t.data());
  out.push_back(nullptr);
  return out;
}

// Replaces every occurrence of `from` in `text` by `to`.
void replace_all(std::string& text, const std::string& from,
                 const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

void check(int rc, const char* what) {
  if (rc != 0) throw std::system_error(rc, std::generic_category(), what);
}

}  // namespace

std::string without_checkout_paths(std::string text) {
  // The build folder first: it usually lies inside the source folder.
  replace_all(text, MEMFS_CHECKOUT_BUILD_DIR, "{build}");
  replace_all(text, MEMFS_CHECKOUT_SOURCE_DIR, "{source}");
  return text;
}

std::string read_host_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

ScratchDir::ScratchDir() {
  std::string pattern =
      (fs::temp_directory_path() / "memfs-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "mkdtemp");
  }
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

ChildRun run_child(const fs::path& dir, const std::string& binary,
                   const std::vector<std::string>& args,
                   const ChildOptions& options) {
  ChildRun run;
  run.snapshot_root = dir / "snapshots";
  const std::string out_file = (dir / "stdout.txt").string();
  const std::string err_file = (dir / "stderr.txt").string();

  std::vector<std::string> argv_text{binary};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<std::string> env_text =
      child_environment(run.snapshot_root, options);
  auto argv = pointers(argv_text);
  auto envp = pointers(env_text);

  posix_spawn_file_actions_t actions;
  check(posix_spawn_file_actions_init(&actions),
        "posix_spawn_file_actions_init");
  const int flags = O_WRONLY | O_CREAT | O_TRUNC;
  check(posix_spawn_file_actions_addopen(&actions, 1, out_file.c_str(), flags,
                                         0644),
        "addopen stdout");
  if (options.merge_output) {
    check(posix_spawn_file_actions_adddup2(&actions, 1, 2), "adddup2");
  } else {
    check(posix_spawn_file_actions_addopen(&actions, 2, err_file.c_str(), flags,
                                           0644),
          "addopen stderr");
  }
  check(posix_spawn_file_actions_addchdir_np(&actions, dir.c_str()),
        "addchdir");
  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, binary.c_str(), &actions, nullptr,
                               argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  check(rc, "posix_spawn");

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR)
      throw std::system_error(errno, std::generic_category(), "waitpid");
  }
  run.exit_code =
      WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  run.out = without_checkout_paths(read_host_file(out_file));
  if (!options.merge_output) {
    run.err = without_checkout_paths(read_host_file(err_file));
  }
  return run;
}

// Set in the environment of a run_self() child (run_child removes the
// parent's own MEMFS_* variables first).
constexpr const char* kSelfChildMark = "MEMFS_TEST_SELF_CHILD";

ChildRun run_self(const std::vector<std::string>& args,
                  const ChildOptions& options) {
  const ScratchDir dir;
  ChildOptions marked = options;
  marked.env.emplace_back(kSelfChildMark, "1");
  return run_child(dir.path(), fs::read_symlink("/proc/self/exe").string(),
                   args, marked);
}

bool started_by_run_self() { return std::getenv(kSelfChildMark) != nullptr; }

std::vector<std::string> folder_names(const fs::path& folder) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> ChildRun::snapshots() const {
  return folder_names(snapshot_root);
}

JsonValue ChildRun::manifest(const std::string& folder) const {
  std::error_code ec;
  JsonValue value = JsonValue::parse(
      read_host_file(snapshot_root / folder / "manifest.json"), ec);
  if (ec)
    throw std::runtime_error("manifest.json of " + folder + " does not parse");
  return value;
}

std::map<std::string, std::string> ChildRun::tree(
    const std::string& folder) const {
  std::map<std::string, std::string> files;
  const fs::path root = snapshot_root / folder / "tree";
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) {
      files["/" + entry.path().lexically_relative(root).generic_string()] =
          read_host_file(entry.path());
    }
  }
  return files;
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

std::vector<std::string> lines_after(const std::string& text,
                                     const std::string& prefix) {
  std::vector<std::string> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(prefix, 0) == 0) out.push_back(line.substr(prefix.size()));
  }
  return out;
}

bool missing_on_disk(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == -1 && errno == ENOENT;
}

}  // namespace memfs::test_support
