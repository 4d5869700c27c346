// Test support: load a snapshot's index.html in headless Chromium and read
// back the DOM after its scripts ran (--dump-dom), or a screenshot.
//
// Chromium is found at $MEMFS_CHROMIUM, else as `chromium` or
// `chromium-browser` on the PATH. When it is missing the page tests fail
// (never skip) with the command that installs it.
#pragma once

#include <filesystem>
#include <string>

namespace memfs::page_test {

/// What Chromium made of a page.
struct Rendered {
  /// The serialized DOM after the scripts ran.
  std::string dom;
  /// Chromium's stderr (console messages with --enable-logging=stderr).
  std::string log;
  int exit_code = -1;

  /// The text of the element with id `id` ("" when absent).
  [[nodiscard]] std::string text_of(const std::string& id) const;
  /// The DOM without the embedded data (the manifest and contents as
  /// JSON), i.e. what the script rendered.
  [[nodiscard]] std::string rendered() const;
  /// The rendered <section id="<id>"> ("" when absent): "test", "failures",
  /// "tree-diff", "files", "faults", "real-disk", "state".
  [[nodiscard]] std::string section(const std::string& id) const;
  /// Console errors and uncaught exceptions Chromium logged for the page.
  [[nodiscard]] std::string console_errors() const;
};

/// The Chromium binary, or "" when none is installed (or $MEMFS_CHROMIUM
/// names no file).
[[nodiscard]] std::string chromium_path();

/// The message a test fails with when chromium_path() is empty.
[[nodiscard]] std::string chromium_missing_message();

/// Loads file://<html>#<fragment> headless, with a fresh profile, no
/// network, and a virtual time budget for the scripts; returns its DOM.
[[nodiscard]] Rendered render(const std::filesystem::path& html,
                              const std::string& fragment = "");

/// Writes a 1280x900 screenshot of the page to `png`; true on success.
[[nodiscard]] bool screenshot(const std::filesystem::path& html,
                              const std::filesystem::path& png);

}  // namespace memfs::page_test
