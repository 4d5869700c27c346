// Shared pieces of the page tests: a failing TestSession exported into a
// scratch folder, and assertions on a rendered page.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "memfs/test_session.hpp"
#include "page/browser.hpp"
#include "support/child_process.hpp"
#include "support/scoped_env.hpp"

namespace memfs::page_test {

/// Fails the current test (with the install command) when Chromium is
/// missing; the page tests never skip.
#define MEMFS_REQUIRE_CHROMIUM()                            \
  ASSERT_FALSE(::memfs::page_test::chromium_path().empty()) \
      << ::memfs::page_test::chromium_missing_message()

/// Renders `html` (with `fragment`) and checks what every page must satisfy:
/// the script finished ("rendered"), reported no error, and Chromium logged
/// no console error.
inline Rendered render_clean(const std::filesystem::path& html,
                             const std::string& fragment = "") {
  Rendered r = render(html, fragment);
  EXPECT_EQ(r.exit_code, 0) << r.log;
  EXPECT_EQ(r.text_of("memfs-status"), "rendered") << r.log;
  EXPECT_EQ(r.text_of("memfs-errors"), "");
  EXPECT_EQ(r.console_errors(), "");
  return r;
}

/// Checks that the rendered DOM (without the embedded data) holds (or
/// lacks) `needle`; on failure the
/// DOM is saved next to the test binary (page-dom/<test>.html) and named,
/// rather than printed whole.
#define EXPECT_DOM_HAS(rendered, needle)                             \
  EXPECT_TRUE(::memfs::page_test::dom_check(rendered, needle, true)) \
      << "the page lacks: " << (needle)
#define EXPECT_DOM_LACKS(rendered, needle)                            \
  EXPECT_TRUE(::memfs::page_test::dom_check(rendered, needle, false)) \
      << "the page has: " << (needle)

inline bool dom_check(const Rendered& r, const std::string& needle,
                      bool wanted) {
  if ((r.rendered().find(needle) != std::string::npos) == wanted) return true;
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::filesystem::path dir =
      std::filesystem::path(MEMFS_TEST_BINARY_DIR) / "page-dom";
  std::filesystem::create_directories(dir);
  const auto file = dir / (std::string(info->test_suite_name()) + "." +
                           info->name() + ".html");
  std::FILE* f = std::fopen(file.c_str(), "wb");
  if (f != nullptr) {
    std::fwrite(r.dom.data(), 1, r.dom.size(), f);
    std::fclose(f);
  }
  ADD_FAILURE() << "DOM (" << r.dom.size() << " bytes) saved to "
                << file.string();
  return false;
}

/// Writes `path` with `data`, creating its parent folders.
inline void put(FileSystem& fs, const std::string& path,
                const std::string& data) {
  fs.create_directories(path.substr(0, path.rfind('/') + 1));
  fs.write_file(path, data);
}

/// Non-overlapping occurrences of `needle` in `text`.
inline std::size_t occurrences(const std::string& text,
                               const std::string& needle) {
  return test_support::count(text, needle);
}

}  // namespace memfs::page_test
