// HasFile, FileContents and TreeEquals. match() records what it found in a
// mutable member; describe() (called by Catch2 after match) shows it.
#include <string>
#include <system_error>
#include <vector>

#include "memfs/catch2_matchers.hpp"
#include "memfs/path.hpp"
#include "memfs/snapshot.hpp"

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

bool FileContentsMatcher::match(const FileSystem& fs) const {
  m_cachedToString.clear();
  detail::FileRead read = detail::read_for_match(fs, path_);
  if (!read.found) {
    problem_ = path_ + " " + read.problem;
    return false;
  }
  problem_ = detail::describe_difference(expected_, read.contents);
  return problem_.empty();
}

std::string FileContentsMatcher::describe() const {
  return with_problem("has file " + in_quotes(path_) + " containing " +
                          detail::quote_excerpt(expected_, 200),
                      problem_);
}

TreeEqualsMatcher::TreeEqualsMatcher(
    std::map<std::string, std::string> expected, std::string prefix)
    : prefix_(std::move(prefix)) {
  std::error_code ec;
  NormalizedPath p = normalize_path(prefix_, ec);
  if (ec) {
    invalid_ = "the prefix " + in_quotes(prefix_) + " is not a valid path";
    return;
  }
  prefix_ = p.value;
  for (auto& [path, contents] : expected) {
    NormalizedPath key = normalize_path(path, ec);
    if (ec) {
      invalid_ = "the expected path " + in_quotes(path) + " is not a valid path";
      return;
    }
    if (!is_within(prefix_, key.value)) {
      invalid_ = "the expected path " + in_quotes(path) + " is not under " +
                 in_quotes(prefix_);
      return;
    }
    expected_[key.value] = std::move(contents);
  }
}

bool TreeEqualsMatcher::match(const FileSystem& fs) const {
  m_cachedToString.clear();
  if (!invalid_.empty()) {
    problem_ = invalid_;
    return false;
  }
  std::error_code ec;
  ExportedTree tree =
      const_cast<FileSystem&>(fs).export_tree(prefix_, false, ec);  // see match_text.cpp
  if (ec) {
    problem_ = "the tree could not be read (" + ec.message() + ")";
    return false;
  }
  std::vector<std::string> missing, unexpected, different;
  auto want = expected_.begin();
  auto have = tree.files.begin();
  // Both maps are sorted by path: one merge pass finds all three kinds.
  while (want != expected_.end() || have != tree.files.end()) {
    if (have == tree.files.end() ||
        (want != expected_.end() && want->first < have->first)) {
      missing.push_back(want->first + " (" + human_size(want->second.size()) + ")");
      ++want;
    } else if (want == expected_.end() || have->first < want->first) {
      unexpected.push_back(have->first + " (" + human_size(have->second.size()) + ")");
      ++have;
    } else {
      std::string diff = detail::describe_difference(want->second, have->second);
      if (!diff.empty()) different.push_back(want->first + ": " + diff);
      ++want;
      ++have;
    }
  }
  problem_.clear();
  auto list = [this](const char* label, const std::vector<std::string>& items) {
    for (const std::string& item : items) {
      problem_ += std::string("\n  ") + label + item;
    }
  };
  list("missing:     ", missing);
  list("unexpected:  ", unexpected);
  list("different:   ", different);
  if (!problem_.empty()) problem_ = "it differs:" + problem_;
  return problem_.empty();
}

std::string TreeEqualsMatcher::describe() const {
  std::string text = "equals the tree under " + in_quotes(prefix_) + " (" +
                     std::to_string(expected_.size()) +
                     (expected_.size() == 1 ? " file)" : " files)");
  return with_problem(text, problem_);
}

}  // namespace memfs::catch2
