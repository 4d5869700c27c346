// Approved-output tests: a test's text output compared with a checked-in
// file under tests/data/. The one mechanism every such test uses:
//
//     EXPECT_TRUE(test_support::matches_approved(render_tree(fs),
//                                                "disk/render_tree.txt"));
//
// On a mismatch the failure shows a line diff of approved (-) and actual (+)
// with two lines of context. To approve a deliberate change, run the test
// with MEMFS_APPROVE=1: it rewrites the file with the actual output (and
// passes), and the diff of the file goes into review.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace memfs::test_support {

namespace approved_detail {

inline std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// A line diff of `from` and `to` (longest common subsequence), each line
// prefixed "  ", "- " or "+ ", runs of equal lines beyond `context` lines of
// a change elided as "  ...".
inline std::string line_diff(std::string_view from, std::string_view to,
                             std::size_t context = 2) {
  const std::vector<std::string> a = lines_of(from);
  const std::vector<std::string> b = lines_of(to);
  // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
  std::vector<std::vector<std::size_t>> lcs(
      a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = a.size(); i-- > 0;) {
    for (std::size_t j = b.size(); j-- > 0;) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1
                               : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  std::vector<std::pair<char, std::string>> ops;
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (i < a.size() && j < b.size() && a[i] == b[j]) {
      ops.emplace_back(' ', a[i++]);
      ++j;
    } else if (i < a.size() &&
               (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
      ops.emplace_back('-', a[i++]);
    } else {
      ops.emplace_back('+', b[j++]);
    }
  }
  std::string out;
  bool elided = false;
  for (std::size_t k = 0; k < ops.size(); ++k) {
    bool near_change = ops[k].first != ' ';
    for (std::size_t d = 1; d <= context && !near_change; ++d) {
      near_change = (k >= d && ops[k - d].first != ' ') ||
                    (k + d < ops.size() && ops[k + d].first != ' ');
    }
    if (!near_change) {
      if (!elided) out += "  ...\n";
      elided = true;
      continue;
    }
    elided = false;
    out += ops[k].first;
    out += ' ';
    out += ops[k].second;
    out += '\n';
  }
  return out;
}

}  // namespace approved_detail

/// Success when `actual` equals the contents of tests/data/`relative` (an
/// absolute `relative` names that file instead);
/// otherwise a failure naming the file, with a line diff (- approved,
/// + actual) and how to approve. With MEMFS_APPROVE=1 in the environment
/// the file is first rewritten with `actual`.
inline ::testing::AssertionResult matches_approved(
    std::string_view actual, const std::string& relative) {
  const std::filesystem::path file =
      std::filesystem::path(MEMFS_TEST_DATA_DIR) / relative;
  if (const char* approve = std::getenv("MEMFS_APPROVE");
      approve != nullptr && std::string_view(approve) == "1") {
    std::ofstream(file, std::ios::binary) << actual;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return ::testing::AssertionFailure()
           << "cannot read the approved file " << file
           << "; create it with MEMFS_APPROVE=1";
  }
  std::ostringstream approved;
  approved << in.rdbuf();
  if (approved.str() == actual) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "the output differs from the approved file " << file
         << " (- approved, + actual):\n"
         << approved_detail::line_diff(approved.str(), actual)
         << (approved.str().size() + 1 == actual.size() ||
                     actual.size() + 1 == approved.str().size()
                 ? "(or only the final newline differs)\n"
                 : "")
         << "approve a deliberate change with MEMFS_APPROVE=1";
}

}  // namespace memfs::test_support
