// Headless Chromium for the page tests (see browser.hpp).
#include "page/browser.hpp"

#include <cstdlib>
#include <vector>

#include "support/child_process.hpp"

namespace memfs::page_test {
namespace {

namespace stdfs = std::filesystem;
using test_support::run_child;
using test_support::ScratchDir;

std::string on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    std::size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    const stdfs::path candidate =
        stdfs::path(dirs.substr(start, end - start)) / name;
    std::error_code ec;
    if (!candidate.empty() && stdfs::is_regular_file(candidate, ec))
      return candidate.string();
    start = end + 1;
  }
  return {};
}

// The flags every run gets: headless, as root (no sandbox), nothing that
// reaches the network, a profile of its own.
std::vector<std::string> base_args(const stdfs::path& profile) {
  return {"--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--disable-dev-shm-usage",
          "--user-data-dir=" + profile.string(),
          "--virtual-time-budget=5000"};
}

std::string file_url(const stdfs::path& html, const std::string& fragment) {
  std::string url = "file://" + stdfs::absolute(html).string();
  if (!fragment.empty()) url += "#" + fragment;
  return url;
}

}  // namespace

std::string chromium_path() {
  if (const char* env = std::getenv("MEMFS_CHROMIUM");
      env != nullptr && *env != '\0') {
    std::error_code ec;
    return stdfs::is_regular_file(env, ec) ? env : "";
  }
  for (const char* name : {"chromium", "chromium-browser"}) {
    if (std::string p = on_path(name); !p.empty()) return p;
  }
  return {};
}

std::string chromium_missing_message() {
  return "headless Chromium is needed to test the snapshot page and was not "
         "found (looked at $MEMFS_CHROMIUM, then chromium and chromium-browser "
         "on the PATH). Install it: scripts/setup-deps.sh --browser (Debian: "
         "apt-get install chromium)";
}

std::string Rendered::text_of(const std::string& id) const {
  const std::string key = "id=\"" + id + "\"";
  const auto at = dom.find(key);
  if (at == std::string::npos) return {};
  const auto open_end = dom.find('>', at);
  const auto close = dom.find('<', open_end);
  if (open_end == std::string::npos || close == std::string::npos) return {};
  return dom.substr(open_end + 1, close - open_end - 1);
}

std::string Rendered::rendered() const {
  const std::string open =
      "<script type=\"application/json\" id=\"memfs-data\">";
  const auto at = dom.find(open);
  const auto end = dom.find("</script>", at);
  if (at == std::string::npos || end == std::string::npos) return dom;
  return dom.substr(0, at) + dom.substr(end);
}

std::string Rendered::section(const std::string& id) const {
  const std::string page = rendered();
  const auto at = page.find("<section id=\"" + id + "\">");
  if (at == std::string::npos) return {};
  const auto end = page.find("</section>", at);
  return page.substr(at,
                     end == std::string::npos ? std::string::npos : end - at);
}

std::string Rendered::console_errors() const {
  std::string out;
  std::size_t start = 0;
  while (start < log.size()) {
    std::size_t end = log.find('\n', start);
    if (end == std::string::npos) end = log.size();
    const std::string line = log.substr(start, end - start);
    if (line.find("CONSOLE") != std::string::npos ||
        line.find("Uncaught") != std::string::npos ||
        line.find("Content Security Policy") != std::string::npos) {
      out += line + "\n";
    }
    start = end + 1;
  }
  return out;
}

Rendered render(const stdfs::path& html, const std::string& fragment) {
  ScratchDir dir;
  std::vector<std::string> args = base_args(dir.path() / "profile");
  args.insert(args.end(), {"--enable-logging=stderr", "--v=0", "--dump-dom",
                           file_url(html, fragment)});
  const auto run = run_child(dir.path(), chromium_path(), args);
  return {run.out, run.err, run.exit_code};
}

bool screenshot(const stdfs::path& html, const stdfs::path& png) {
  ScratchDir dir;
  std::vector<std::string> args = base_args(dir.path() / "profile");
  args.insert(args.end(), {"--hide-scrollbars", "--window-size=1280,900",
                           "--screenshot=" + stdfs::absolute(png).string(),
                           file_url(html, "")});
  const auto run = run_child(dir.path(), chromium_path(), args);
  std::error_code ec;
  return run.exit_code == 0 && stdfs::file_size(png, ec) > 0 && !ec;
}

}  // namespace memfs::page_test
