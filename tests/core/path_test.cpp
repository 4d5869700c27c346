// Path normalization and the path helpers (memfs/path.hpp), including every
// D-MemFS normalization case and an idempotence sweep over generated inputs.
#include "memfs/path.hpp"

#include <algorithm>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "memfs/error.hpp"

namespace {

using memfs::NormalizedPath;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace std::string_literals;

struct Case {
  std::string input;
  std::string value;
  bool trailing_slash;
};

void PrintTo(const Case& c, std::ostream* os) { *os << '"' << c.input << '"'; }

class NormalizePathAccepts : public ::testing::TestWithParam<Case> {};

TEST_P(NormalizePathAccepts, GivesTheCanonicalText) {
  const Case& c = GetParam();
  std::error_code ec = std::make_error_code(std::errc::io_error);
  const NormalizedPath p = memfs::normalize_path(c.input, ec);
  EXPECT_FALSE(ec) << ec.message();
  EXPECT_EQ(p.value, c.value);
  EXPECT_EQ(p.trailing_slash, c.trailing_slash);
  EXPECT_EQ(memfs::normalize_path(c.input), p);  // throwing form agrees
}

INSTANTIATE_TEST_SUITE_P(
    DMemFsCases, NormalizePathAccepts,
    ::testing::Values(Case{"/a/b/", "/a/b", true}, Case{"/a//b", "/a/b", false},
                      Case{"/a/./b", "/a/b", false},
                      Case{"/a/b/../c", "/a/c", false},
                      Case{"a/b/c", "/a/b/c", false}, Case{"", "/", false},
                      Case{"\\a\\b", "/a/b", false}, Case{".", "/", false},
                      Case{"/.", "/", false}, Case{"/a/..", "/", false},
                      Case{"a/b/../../c", "/c", false},
                      Case{"./a", "/a", false}, Case{"C:\\x", "/C:/x", false},
                      Case{"/f.bin/", "/f.bin", true}));

INSTANTIATE_TEST_SUITE_P(
    MoreCases, NormalizePathAccepts,
    ::testing::Values(Case{"/", "/", false}, Case{"//", "/", false},
                      Case{"//a", "/a", false}, Case{"///a", "/a", false},
                      Case{"//a//b", "/a/b", false},
                      Case{"/already/normal.txt", "/already/normal.txt", false},
                      Case{"/a/b\\", "/a/b", true},
                      Case{"/a/b//", "/a/b", true}, Case{"/a/.", "/a", true},
                      Case{"/a/b/..", "/a", true}, Case{"/a/./", "/a", true},
                      Case{"/.hidden/..x/...", "/.hidden/..x/...", false},
                      Case{"/a.", "/a.", false}, Case{"/..a", "/..a", false},
                      Case{"/Case/CASE", "/Case/CASE", false},
                      Case{"/a b/\xc3\xa9", "/a b/\xc3\xa9", false}));

class NormalizePathRejects : public ::testing::TestWithParam<std::string> {};

TEST_P(NormalizePathRejects, WithInvalidArgument) {
  const std::string& input = GetParam();
  std::error_code ec;
  const NormalizedPath p = memfs::normalize_path(input, ec);
  EXPECT_EQ(ec, std::errc::invalid_argument);
  EXPECT_TRUE(p.is_root());
  EXPECT_THROW((void)memfs::normalize_path(input), memfs::filesystem_error);
}

INSTANTIATE_TEST_SUITE_P(ClimbingAboveRootOrNul, NormalizePathRejects,
                         ::testing::Values("..", "/..", "../x", "/a/../../x",
                                           "..\\x", "a/../../b",
                                           "/a/b/../../..", "/../a/..", "\\..",
                                           "/a\0b"s, "\0"s, "/a/b\0"s,
                                           "../\0"s));

TEST(NormalizePath, ThrowingFormNamesOperationAndInput) {
  try {
    (void)memfs::normalize_path("/a/../../x");
    FAIL() << "no exception";
  } catch (const std::filesystem::filesystem_error& e) {
    EXPECT_EQ(e.code(), std::errc::invalid_argument);
    EXPECT_EQ(e.path1().string(), "/a/../../x");
    EXPECT_THAT(e.what(), HasSubstr("normalize_path"));
    EXPECT_THAT(e.what(), HasSubstr("/a/../../x"));
    const auto* memfs_error = dynamic_cast<const memfs::filesystem_error*>(&e);
    ASSERT_NE(memfs_error, nullptr);
    EXPECT_EQ(memfs_error->operation(), "normalize_path");
  }
}

TEST(NormalizePath, NulIsShownReadablyInTheMessage) {
  try {
    (void)memfs::normalize_path("/a\0b"s);
    FAIL() << "no exception";
  } catch (const memfs::filesystem_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("/a\\x00b"));
    EXPECT_THAT(e.what(), HasSubstr("NUL"));
  }
}

TEST(NormalizePath, SuccessClearsAStaleErrorCode) {
  std::error_code ec = std::make_error_code(std::errc::invalid_argument);
  (void)memfs::normalize_path("/x", ec);
  EXPECT_FALSE(ec);
}

// Random inputs built from the pieces that matter: separators of both kinds,
// `.`, `..`, ordinary names (some with dots) and empty runs.
std::string random_path(std::mt19937& rng) {
  static const char* const kPieces[] = {"/",  "\\", ".",   "..", "a",  "bc",
                                        ".d", "e.", "...", "//", "x y"};
  std::uniform_int_distribution<int> count(0, 12);
  std::uniform_int_distribution<std::size_t> piece(0, std::size(kPieces) - 1);
  std::string s;
  for (int i = count(rng); i > 0; --i) s += kPieces[piece(rng)];
  return s;
}

// Reference model of the rules in path.hpp, written the obvious way: split
// on both separators, keep a stack of names. Returns false for a climb above
// the root (the generator makes no NUL bytes).
bool reference_normalize(const std::string& input, NormalizedPath& out) {
  std::vector<std::string> stack;
  std::string part;
  std::string last;
  for (char c : input + "/") {
    if (c != '/' && c != '\\') {
      part += c;
      continue;
    }
    last = part;
    part.clear();
    if (last.empty() || last == ".") continue;
    if (last == "..") {
      if (stack.empty()) return false;
      stack.pop_back();
    } else {
      stack.push_back(last);
    }
  }
  out.value.clear();
  for (const std::string& name : stack) out.value += "/" + name;
  if (out.value.empty()) out.value = "/";
  const bool ends_in_separator =
      !input.empty() && (input.back() == '/' || input.back() == '\\');
  out.trailing_slash =
      !stack.empty() && (ends_in_separator || last == "." || last == "..");
  return true;
}

TEST(NormalizePath, MatchesTheReferenceModelAndIsIdempotent) {
  std::mt19937 rng(20240611);  // fixed seed: failures reproduce
  int accepted = 0;
  for (int i = 0; i < 5000; ++i) {
    const std::string input = random_path(rng);
    std::error_code ec;
    const NormalizedPath once = memfs::normalize_path(input, ec);
    NormalizedPath expected;
    if (!reference_normalize(input, expected)) {
      EXPECT_EQ(ec, std::errc::invalid_argument) << input;
      continue;
    }
    ASSERT_FALSE(ec) << input;
    EXPECT_EQ(once, expected) << input;
    ++accepted;
    const NormalizedPath twice = memfs::normalize_path(once.value, ec);
    ASSERT_FALSE(ec) << input;
    // The text is a fixed point, and it no longer ends in a separator.
    EXPECT_EQ(twice.value, once.value) << input;
    EXPECT_FALSE(twice.trailing_slash) << input;
    EXPECT_EQ(twice, (NormalizedPath{once.value, false})) << input;
    // Canonical shape: absolute, no empty/`.`/`..` parts, no backslash.
    ASSERT_EQ(once.value.front(), '/') << input;
    EXPECT_EQ(once.value.find('\\'), std::string::npos) << input;
    if (!once.is_root()) {
      EXPECT_NE(once.value.back(), '/') << input;
      for (std::string_view part : memfs::split_path(once.value)) {
        EXPECT_FALSE(part.empty() || part == "." || part == "..") << input;
      }
    }
  }
  // The generator must exercise both outcomes.
  EXPECT_GT(accepted, 1000);
  EXPECT_LT(accepted, 5000);
}

// normalize_path looks at 16 bytes a step: defects at every position of
// paths of every length up to a few steps (the steps' edges, the overlapping
// rest, short paths) are found, and parent_path/filename (8 bytes a step)
// split at the last separator.
TEST(NormalizePath, FindsEachDefectAtEveryPositionAndLength) {
  const std::vector<std::string> defects = {
      "\\", "/", ".", "/.", "/..", "//", std::string(1, '\0')};
  for (std::size_t length = 2; length <= 70; ++length) {
    std::string base(length, 'a');
    for (std::size_t i = 0; i < length; i += 5) base[i] = '/';
    if (base.back() == '/') base.back() = 'z';
    for (std::size_t at = 0; at <= length; ++at) {
      for (const std::string& defect : defects) {
        const std::string input =
            base.substr(0, at) + defect + base.substr(std::min(at + 1, length));
        std::error_code ec;
        const NormalizedPath got = memfs::normalize_path(input, ec);
        NormalizedPath expected;
        if (input.find('\0') != std::string::npos ||
            !reference_normalize(input, expected)) {
          EXPECT_EQ(ec, std::errc::invalid_argument) << input;
          continue;
        }
        ASSERT_FALSE(ec) << input;
        EXPECT_EQ(got, expected) << input;
        const std::size_t slash = got.value.rfind('/');
        EXPECT_EQ(memfs::filename(got.value), got.value.substr(slash + 1));
        EXPECT_EQ(memfs::parent_path(got.value),
                  slash == 0 ? "/" : got.value.substr(0, slash));
      }
    }
  }
}

TEST(ParentPath, StepsUpOneComponent) {
  EXPECT_EQ(memfs::parent_path("/a/b"), "/a");
  EXPECT_EQ(memfs::parent_path("/a/b/c.txt"), "/a/b");
  EXPECT_EQ(memfs::parent_path("/a"), "/");
  EXPECT_EQ(memfs::parent_path("/"), "/");
}

TEST(Filename, IsTheLastComponent) {
  EXPECT_EQ(memfs::filename("/a/b.txt"), "b.txt");
  EXPECT_EQ(memfs::filename("/a"), "a");
  EXPECT_EQ(memfs::filename("/.hidden"), ".hidden");
  EXPECT_EQ(memfs::filename("/"), "");
}

TEST(JoinPath, AppendsAndNormalizes) {
  EXPECT_EQ(memfs::join_path("/a", "b/c"), "/a/b/c");
  EXPECT_EQ(memfs::join_path("/", "x"), "/x");
  EXPECT_EQ(memfs::join_path("/a", "b"), "/a/b");
  EXPECT_EQ(memfs::join_path("/a", "/b"), "/a/b");  // still relative to base
  EXPECT_EQ(memfs::join_path("/a", "b\\c/"), "/a/b/c");
  EXPECT_EQ(memfs::join_path("/a/b", ".."), "/a");
  EXPECT_EQ(memfs::join_path("/a", "../c"), "/c");  // may leave base, not root
  EXPECT_EQ(memfs::join_path("/a", ""), "/a");
  EXPECT_EQ(memfs::join_path("/a", "."), "/a");
}

TEST(JoinPath, RejectsClimbingAboveRootAndNul) {
  std::error_code ec;
  (void)memfs::join_path("/a", "../../x", ec);
  EXPECT_EQ(ec, std::errc::invalid_argument);
  (void)memfs::join_path("/a", "b\0c"s, ec);
  EXPECT_EQ(ec, std::errc::invalid_argument);
  (void)memfs::join_path("/a", "b", ec);
  EXPECT_FALSE(ec);
  EXPECT_THROW((void)memfs::join_path("/", ".."), memfs::filesystem_error);
}

TEST(SplitPath, GivesComponentsAsViewsIntoTheInput) {
  const std::string path = "/a/bc/d.txt";
  const auto parts = memfs::split_path(path);
  EXPECT_THAT(parts, ElementsAre("a", "bc", "d.txt"));
  EXPECT_EQ(parts[0].data(), path.data() + 1);
  EXPECT_TRUE(memfs::split_path("/").empty());
  EXPECT_THAT(memfs::split_path("/x"), ElementsAre("x"));
}

TEST(IsWithin, ComparesWholeComponents) {
  EXPECT_TRUE(memfs::is_within("/a", "/a/b"));
  EXPECT_TRUE(memfs::is_within("/a", "/a/b/c"));
  EXPECT_TRUE(memfs::is_within("/a", "/a"));
  EXPECT_FALSE(memfs::is_within("/a", "/ab"));
  EXPECT_FALSE(memfs::is_within("/a/b", "/a"));
  EXPECT_FALSE(memfs::is_within("/a", "/"));
  EXPECT_FALSE(memfs::is_within("/a/b", "/a/c"));
  EXPECT_TRUE(memfs::is_within("/", "/"));
  EXPECT_TRUE(memfs::is_within("/", "/anything/at/all"));
}

}  // namespace
