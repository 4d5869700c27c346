// HasFile, HasDirectory, FileContents and TreeEquals. match() records what it
// found in a mutable member; describe() (called by Catch2 after match) shows
// it. The wording of differences comes from memfs/tree_diff.hpp, shared with
// the GoogleTest adapter.
#include "memfs/catch2_matchers.hpp"

#include <string>

#include "memfs/tree_diff.hpp"

namespace memfs::catch2 {
namespace {

std::string in_quotes(const std::string& path) { return "\"" + path + "\""; }

std::string with_problem(std::string text, const std::string& problem) {
  if (!problem.empty()) text += " — " + problem;
  return text;
}

}  // namespace

bool HasFileMatcher::match(const FileSystem& fs) const {
  m_cachedToString.clear();  // a reused matcher must not show an old finding
  detail::FileRead read = detail::read_for_match(fs, path_);
  problem_ = read.found ? std::string() : path_ + " " + read.problem;
  return read.found;
}

std::string HasFileMatcher::describe() const {
  return with_problem("has file " + in_quotes(path_), problem_);
}

bool HasDirectoryMatcher::match(const FileSystem& fs) const {
  m_cachedToString.clear();
  switch (peek_type(fs, path_)) {
    case FileType::directory:
      problem_.clear();
      return true;
    case FileType::regular:
      problem_ = path_ + " is a file";
      return false;
    case FileType::not_found:
      problem_ = path_ + " does not exist";
      return false;
  }
  return false;
}

std::string HasDirectoryMatcher::describe() const {
  return with_problem("has directory " + in_quotes(path_), problem_);
}

bool FileContentsMatcher::match(const FileSystem& fs) const {
  m_cachedToString.clear();
  detail::FileRead read = detail::read_for_match(fs, path_);
  if (!read.found) {
    problem_ = path_ + " " + read.problem;
    return false;
  }
  const std::string diff =
      describe_content_difference(read.contents, expected_);
  problem_ = diff.empty() ? diff : "\n" + indent_lines(diff, "  ");
  return diff.empty();
}

std::string FileContentsMatcher::describe() const {
  return with_problem("has file " + in_quotes(path_) + " containing " +
                          quote_excerpt(expected_, 200),
                      problem_);
}

bool TreeEqualsMatcher::match(const FileSystem& fs) const {
  m_cachedToString.clear();
  const std::vector<TreeDifference> diffs = diff_tree(fs, expected_, prefix_);
  problem_ = diffs.empty() ? std::string() : describe_tree_diff(diffs);
  // The snapshot page shows the mismatch side by side.
  record_tree_mismatch(fs, expected_, prefix_, diffs);
  return diffs.empty();
}

std::string TreeEqualsMatcher::describe() const {
  return with_problem("equals the tree under " + in_quotes(prefix_) + " (" +
                          std::to_string(expected_.size()) +
                          (expected_.size() == 1 ? " entry)" : " entries)"),
                      problem_);
}

}  // namespace memfs::catch2
