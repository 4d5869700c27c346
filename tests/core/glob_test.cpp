// glob_match() and has_glob_magic() (memfs/path.hpp).
#include <fnmatch.h>

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "memfs/path.hpp"

namespace {

struct GlobCase {
  const char* pattern;
  const char* path;
  bool matches;
};

void PrintTo(const GlobCase& c, std::ostream* os) {
  *os << '"' << c.pattern << "\" vs \"" << c.path << '"';
}

class GlobMatch : public ::testing::TestWithParam<GlobCase> {};

TEST_P(GlobMatch, DecidesAsDocumented) {
  const GlobCase& c = GetParam();
  EXPECT_EQ(memfs::glob_match(c.pattern, c.path), c.matches);
}

INSTANTIATE_TEST_SUITE_P(
    Literals, GlobMatch,
    ::testing::Values(GlobCase{"/a/b.txt", "/a/b.txt", true},
                      GlobCase{"/a/b.txt", "/a/b.txT", false},  // case matters
                      GlobCase{"/a", "/a/b", false},
                      GlobCase{"/a/b", "/a", false}, GlobCase{"/", "/", true},
                      GlobCase{"/", "/a", false},
                      GlobCase{"a/b", "/a/b", true},     // made absolute
                      GlobCase{"/a//b/", "/a/b", true},  // empty parts skipped
                      // `.` and `..` are literal: never normalized away.
                      GlobCase{"/a/./b", "/a/b", false},
                      GlobCase{"/a/../b", "/b", false}));

INSTANTIATE_TEST_SUITE_P(
    Backslash, GlobMatch,
    ::testing::Values(GlobCase{"\\a\\*.txt", "/a/b.txt", true},
                      GlobCase{"a\\b", "/a/b", true},
                      GlobCase{"\\**\\*.log", "/x/y/z.log", true},
                      // `\` separates; it never escapes a metacharacter.
                      GlobCase{"/a\\*", "/a*", false},
                      GlobCase{"/a\\*", "/a/x", true}));

INSTANTIATE_TEST_SUITE_P(
    Star, GlobMatch,
    ::testing::Values(
        GlobCase{"/logs/*.log", "/logs/a.log", true},
        GlobCase{"/logs/*.log", "/logs/2024/a.log", false},
        GlobCase{"/logs/*", "/logs", false}, GlobCase{"/*", "/a", true},
        GlobCase{"/*", "/a/b", false}, GlobCase{"/*.txt", "/.txt", true},
        GlobCase{"/*", "/.hidden", true},  // no hidden files
        GlobCase{"/a*b*c", "/abc", true}, GlobCase{"/a*b*c", "/aXbYbZc", true},
        GlobCase{"/a*b*c", "/abbc", true}, GlobCase{"/a*b*c", "/acb", false},
        GlobCase{"/a/*x", "/a/b/x", false},  // never crosses `/`
        GlobCase{"/*/x", "/a/b/x", false},
        GlobCase{"/a**b", "/aXb", true},  // `**` inside a name
        GlobCase{"/a**b", "/a/b", false}, GlobCase{"/a**b", "/aX/Yb", false}));

INSTANTIATE_TEST_SUITE_P(
    QuestionMark, GlobMatch,
    ::testing::Values(GlobCase{"/a?c", "/abc", true},
                      GlobCase{"/a?c", "/ac", false},
                      GlobCase{"/a?c", "/a/c", false},
                      GlobCase{"/?", "/.", true}, GlobCase{"/??", "/a", false},
                      GlobCase{"/f?le?.txt", "/file1.txt", true}));

INSTANTIATE_TEST_SUITE_P(
    Brackets, GlobMatch,
    ::testing::Values(
        GlobCase{"/[abc].txt", "/b.txt", true},
        GlobCase{"/[abc].txt", "/d.txt", false},
        GlobCase{"/[!abc].txt", "/d.txt", true},
        GlobCase{"/[!abc].txt", "/a.txt", false},
        GlobCase{"/f[0-9]", "/f7", true}, GlobCase{"/f[0-9]", "/fx", false},
        GlobCase{"/f[a-cx-z]", "/fy", true},
        GlobCase{"/f[a-cx-z]", "/fm", false},
        GlobCase{"/f[!0-9]", "/f5", false}, GlobCase{"/f[!0-9]", "/fa", true},
        GlobCase{"/f[z-a]", "/fm", false},  // empty range
        GlobCase{"/[]]", "/]", true},       // leading `]` literal
        GlobCase{"/[!]]", "/a", true}, GlobCase{"/[!]]", "/]", false},
        GlobCase{"/[a-]", "/-", true},  // trailing `-` literal
        GlobCase{"/[-a]", "/-", true},
        GlobCase{"/[*?]", "/*", true},  // no magic inside
        GlobCase{"/[*?]", "/x", false},
        GlobCase{"/a[", "/a[", true},  // unterminated: literal
        GlobCase{"/a[b", "/a[b", true}, GlobCase{"/a[b", "/ab", false},
        GlobCase{"/[.]x", "/.x", true}, GlobCase{"/*[0-9]", "/log12", true},
        GlobCase{"/*[0-9]", "/log1x", false}));

INSTANTIATE_TEST_SUITE_P(
    DoubleStar, GlobMatch,
    ::testing::Values(
        // At the start: zero or more directories.
        GlobCase{"/**/*.txt", "/top.txt", true},
        GlobCase{"/**/*.txt", "/x/mid.txt", true},
        GlobCase{"/**/*.txt", "/x/y/deep.txt", true},
        GlobCase{"/**/*.txt", "/x/y/deep.bin", false},
        GlobCase{"**/c", "/a/b/c", true},
        GlobCase{"/**/.git/config", "/p/.git/config", true},
        // In the middle.
        GlobCase{"/logs/**/*.log", "/logs/2024/01/a.log", true},
        GlobCase{"/logs/**/*.log", "/logs/a.log", true},
        GlobCase{"/logs/**/*.log", "/other/a.log", false},
        GlobCase{"/a/**/b", "/a/b", true},
        GlobCase{"/a/**/b", "/a/x/y/b", true},
        GlobCase{"/a/**/b", "/a/x/y/b/c", false},
        GlobCase{"/a/**/b", "/a/xb", false},
        // At the end: everything below, not the base itself.
        GlobCase{"/a/**", "/a/b", true}, GlobCase{"/a/**", "/a/b/c/d", true},
        GlobCase{"/a/**", "/a/.hidden", true}, GlobCase{"/a/**", "/a", false},
        GlobCase{"/a/**", "/ab/c", false}, GlobCase{"/**", "/x", true},
        GlobCase{"/**", "/", false},
        // Several in one pattern.
        GlobCase{"/**/b/**/*.c", "/b/x.c", true},
        GlobCase{"/**/b/**/*.c", "/a/b/c/d/x.c", true},
        GlobCase{"/**/b/**/*.c", "/a/b/c/d/x.h", false},
        GlobCase{"/**/b/**/*.c", "/a/c/d/x.c", false},
        GlobCase{"/**/**/*.txt", "/x/y/deep.txt", true},
        GlobCase{"/**/**/*.txt", "/top.txt", true},
        GlobCase{"/**/**", "/a", true}, GlobCase{"/**/**", "/", false},
        GlobCase{"/a/**/**/b", "/a/b", true},
        GlobCase{"/a/**/x/**/x", "/a/x/x", true},
        GlobCase{"/a/**/x/**/x", "/a/x", false},
        GlobCase{"/a/**/x/**/x", "/a/q/x/r/x/s/x", true},
        // Mixed with the other wildcards.
        GlobCase{"/**/[ab]?/*.log", "/srv/b1/x.log", true},
        GlobCase{"/**/[ab]?/*.log", "/srv/c1/x.log", false}));

TEST(GlobMatch, PathologicalPatternFinishes) {
  // Exponential for naive recursive matchers; linear-by-quadratic here.
  std::string path;
  for (int i = 0; i < 60; ++i)
    path += "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  EXPECT_FALSE(memfs::glob_match("/**/**/**/**/a*a*a*a*b", path));
  EXPECT_FALSE(memfs::glob_match("/**/**/**/**/**/**/**/**/c", path));
  EXPECT_TRUE(memfs::glob_match("/**/**/**/**/a*a*a*a*a", path));
  EXPECT_FALSE(memfs::glob_match("/a*a*a*a*a*a*a*a*a*a*a*a*a*b",
                                 "/" + std::string(5000, 'a')));
  path += "/ab";
  EXPECT_FALSE(memfs::glob_match("/**/**/**/**/a*a*a*a*b", path));
  path += "/aaaab";
  EXPECT_TRUE(memfs::glob_match("/**/**/**/**/a*a*a*a*b", path));
}

// Reference: plain recursion over components (exponential, fine for small
// inputs) with the C library's fnmatch() for single components.
std::vector<std::string> components(const std::string& s) {
  std::vector<std::string> parts;
  std::string part;
  for (char c : s + "/") {
    if (c == '/') {
      if (!part.empty()) parts.push_back(part);
      part.clear();
    } else {
      part += c;
    }
  }
  return parts;
}

bool reference_match(const std::vector<std::string>& pat, std::size_t p,
                     const std::vector<std::string>& path, std::size_t s) {
  if (p == pat.size()) return s == path.size();
  if (pat[p] == "**") {
    if (p + 1 == pat.size()) return s < path.size();  // trailing: 1 or more
    for (std::size_t k = s; k <= path.size(); ++k) {
      if (reference_match(pat, p + 1, path, k)) return true;
    }
    return false;
  }
  return s < path.size() &&
         fnmatch(pat[p].c_str(), path[s].c_str(), FNM_NOESCAPE) == 0 &&
         reference_match(pat, p + 1, path, s + 1);
}

TEST(GlobMatch, AgreesWithAReferenceMatcherOnGeneratedCases) {
  std::mt19937 rng(7);  // fixed seed: failures reproduce
  const std::vector<std::string> pattern_parts = {
      "a", "b", ".", "*", "?", "[ab]", "[!a]", "[a-b]", "a*", "*b", "**"};
  const std::vector<std::string> name_parts = {"a", "b", ".", "c"};
  auto pick = [&](const std::vector<std::string>& from) {
    return from[std::uniform_int_distribution<std::size_t>(
        0, from.size() - 1)(rng)];
  };
  auto count = [&](int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  int matched = 0;
  for (int i = 0; i < 4000; ++i) {
    std::string pattern;
    for (int c = count(0, 4); c > 0; --c) {
      pattern += '/';
      if (count(0, 3) == 0) {
        pattern += "**";
        continue;
      }
      for (int k = count(1, 3); k > 0; --k) pattern += pick(pattern_parts);
    }
    std::string path;
    for (int c = count(0, 4); c > 0; --c) {
      path += '/';
      for (int k = count(1, 3); k > 0; --k) path += pick(name_parts);
    }
    if (path.empty()) path = "/";
    const bool expected =
        reference_match(components(pattern), 0, components(path), 0);
    matched += expected ? 1 : 0;
    EXPECT_EQ(memfs::glob_match(pattern, path), expected)
        << "pattern \"" << pattern << "\" path \"" << path << '"';
  }
  EXPECT_GT(matched, 200);  // the generator must produce both outcomes
}

TEST(HasGlobMagic, SpotsTheMetacharacters) {
  EXPECT_TRUE(memfs::has_glob_magic("/a/*.txt"));
  EXPECT_TRUE(memfs::has_glob_magic("/a?"));
  EXPECT_TRUE(memfs::has_glob_magic("/[ab]"));
  EXPECT_TRUE(memfs::has_glob_magic("/**"));
  EXPECT_FALSE(memfs::has_glob_magic("/a/b.txt"));
  EXPECT_FALSE(memfs::has_glob_magic(""));
  EXPECT_FALSE(memfs::has_glob_magic("/a]b\\c"));
}

}  // namespace
