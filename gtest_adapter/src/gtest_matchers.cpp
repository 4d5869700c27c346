// The gMock matchers of memfs/gtest_matchers.hpp. The comparing and the
// wording live in memfs/tree_diff.hpp, shared with the Catch2 matchers.
#include "memfs/gtest_matchers.hpp"

#include <cstddef>
#include <map>
#include <ostream>
#include <string>
#include <utility>

#include "memfs/snapshot.hpp"
#include "memfs/tree_diff.hpp"

namespace memfs::gtest {
namespace {

using ::testing::MatchResultListener;

// Expected entries listed in a matcher's description, at most.
constexpr std::size_t kDescribedEntries = 20;

const char* type_name(FileType type) {
  switch (type) {
    case FileType::regular:
      return "a file";
    case FileType::directory:
      return "a directory";
    case FileType::not_found:
      break;
  }
  return "nothing";
}

// HasFile / HasDirectory.
class HasTypeMatcher final
    : public ::testing::MatcherInterface<const FileSystem&> {
 public:
  HasTypeMatcher(std::string path, FileType type)
      : path_(std::move(path)), type_(type) {}

  bool MatchAndExplain(const FileSystem& fs,
                       MatchResultListener* listener) const override {
    const FileType found = peek_type(fs, path_);
    *listener << "which has " << type_name(found) << " at \"" << path_ << "\"";
    return found == type_;
  }
  void DescribeTo(std::ostream* os) const override {
    *os << "has " << type_name(type_) << " at \"" << path_ << "\"";
  }
  void DescribeNegationTo(std::ostream* os) const override {
    *os << "has no " << (type_ == FileType::directory ? "directory" : "file")
        << " at \"" << path_ << "\"";
  }

 private:
  std::string path_;
  FileType type_;
};

// Reads the file at `path` for a contents matcher; false (explained) if it
// is not a file.
bool read_for_match(const FileSystem& fs, const std::string& path,
                    std::string& contents, MatchResultListener* listener) {
  const FileType found = peek_type(fs, path, &contents);
  if (found == FileType::regular) return true;
  *listener << "which has " << type_name(found) << " at \"" << path << "\"";
  return false;
}

// FileContents(path, "exact text").
class ExactContentsMatcher final
    : public ::testing::MatcherInterface<const FileSystem&> {
 public:
  ExactContentsMatcher(std::string path, std::string expected)
      : path_(std::move(path)), expected_(std::move(expected)) {}

  bool MatchAndExplain(const FileSystem& fs,
                       MatchResultListener* listener) const override {
    std::string contents;
    if (!read_for_match(fs, path_, contents, listener)) return false;
    if (contents == expected_) return true;
    *listener << "whose file \"" << path_ << "\" ("
              << human_size(contents.size()) << ", expected "
              << human_size(expected_.size()) << ") differs:\n"
              << indent_lines(describe_content_difference(contents, expected_),
                              "    ");
    return false;
  }
  void DescribeTo(std::ostream* os) const override {
    *os << "has a file at \"" << path_ << "\" containing exactly "
        << quote_excerpt(expected_, 200);
  }
  void DescribeNegationTo(std::ostream* os) const override {
    *os << "has no file at \"" << path_ << "\" containing exactly "
        << quote_excerpt(expected_, 200);
  }

 private:
  std::string path_;
  std::string expected_;
};

// FileContents(path, matcher).
class ContentsMatcher final
    : public ::testing::MatcherInterface<const FileSystem&> {
 public:
  ContentsMatcher(std::string path,
                  ::testing::Matcher<const std::string&> inner)
      : path_(std::move(path)), inner_(std::move(inner)) {}

  bool MatchAndExplain(const FileSystem& fs,
                       MatchResultListener* listener) const override {
    std::string contents;
    if (!read_for_match(fs, path_, contents, listener)) return false;
    ::testing::StringMatchResultListener inner_listener;
    const bool ok = inner_.MatchAndExplain(contents, &inner_listener);
    *listener << "whose file \"" << path_ << "\" holds "
              << quote_excerpt(contents, 200);
    if (!inner_listener.str().empty())
      *listener << ", " << inner_listener.str();
    return ok;
  }
  void DescribeTo(std::ostream* os) const override {
    *os << "has a file at \"" << path_ << "\" whose contents ";
    inner_.DescribeTo(os);
  }
  void DescribeNegationTo(std::ostream* os) const override {
    *os << "has no file at \"" << path_ << "\" whose contents ";
    inner_.DescribeTo(os);
  }

 private:
  std::string path_;
  ::testing::Matcher<const std::string&> inner_;
};

class TreeMatcher final
    : public ::testing::MatcherInterface<const FileSystem&> {
 public:
  TreeMatcher(std::string prefix, std::map<std::string, std::string> expected)
      : prefix_(std::move(prefix)), expected_(std::move(expected)) {}

  bool MatchAndExplain(const FileSystem& fs,
                       MatchResultListener* listener) const override {
    const auto diffs = diff_tree(fs, expected_, prefix_);
    if (diffs.empty()) return true;
    // The snapshot page shows the mismatch side by side.
    record_tree_mismatch(fs, expected_, prefix_, diffs);
    *listener << "which has " << describe_tree_diff(diffs);
    return false;
  }
  void DescribeTo(std::ostream* os) const override { describe(os, "has"); }
  void DescribeNegationTo(std::ostream* os) const override {
    describe(os, "doesn't have");
  }

 private:
  void describe(std::ostream* os, const char* verb) const {
    *os << verb << " exactly " << expected_.size()
        << (expected_.size() == 1 ? " entry" : " entries");
    if (prefix_ != "/") *os << " under " << prefix_;
    *os << ":";
    std::size_t shown = 0;
    for (const auto& [path, contents] : expected_) {
      if (shown++ == kDescribedEntries) {
        *os << "\n  ... and " << (expected_.size() - kDescribedEntries)
            << " more";
        break;
      }
      *os << "\n  " << path;
      if (path.empty() || path.back() != '/')
        *os << " (" << human_size(contents.size()) << ")";
    }
  }

  std::string prefix_;
  std::map<std::string, std::string> expected_;
};

}  // namespace

::testing::Matcher<const FileSystem&> HasFile(std::string path) {
  return ::testing::MakeMatcher(
      new HasTypeMatcher(std::move(path), FileType::regular));
}

::testing::Matcher<const FileSystem&> HasDirectory(std::string path) {
  return ::testing::MakeMatcher(
      new HasTypeMatcher(std::move(path), FileType::directory));
}

::testing::Matcher<const FileSystem&> FileContents(std::string path,
                                                   std::string expected) {
  return ::testing::MakeMatcher(
      new ExactContentsMatcher(std::move(path), std::move(expected)));
}

::testing::Matcher<const FileSystem&> detail::file_contents_matching(
    std::string path, ::testing::Matcher<const std::string&> contents) {
  return ::testing::MakeMatcher(
      new ContentsMatcher(std::move(path), std::move(contents)));
}

::testing::Matcher<const FileSystem&> TreeEquals(
    std::map<std::string, std::string> expected) {
  return TreeEquals("/", std::move(expected));
}

::testing::Matcher<const FileSystem&> TreeEquals(
    std::string prefix, std::map<std::string, std::string> expected) {
  return ::testing::MakeMatcher(
      new TreeMatcher(std::move(prefix), std::move(expected)));
}

::testing::AssertionResult detail::memfs_ok(const char* expression,
                                            const std::error_code& ec) {
  if (!ec) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "Expected: " << expression << " is success (no error)\n"
         << "  Actual: " << ec.category().name() << ":" << ec.value() << ", \""
         << ec.message() << "\"";
}

}  // namespace memfs::gtest

namespace memfs {

void PrintTo(const FileSystem& fs, std::ostream* os) {
  const Stats s = fs.stats();
  RenderOptions render;
  render.max_lines = 40;
  *os << "a filesystem with " << s.file_count
      << (s.file_count == 1 ? " file, " : " files, ") << s.directory_count
      << (s.directory_count == 1 ? " directory" : " directories") << " ("
      << human_size(s.used) << " used):\n";
  std::string tree = render_tree(fs, "/", render);
  // The picture ends with its own newline: gMock appends " (of type ...)"
  // and the explanation to whatever line comes last, and on a tree line they
  // would read as a property of the last file.
  if (!tree.empty() && tree.back() == '\n') tree.pop_back();
  *os << indent_lines(tree, "    ") << '\n';
}

void PrintTo(const MemoryFileSystem& fs, std::ostream* os) {
  PrintTo(static_cast<const FileSystem&>(fs), os);
}

}  // namespace memfs
