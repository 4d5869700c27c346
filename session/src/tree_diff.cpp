// diff_tree() and the texts that explain a mismatch.
#include "memfs/tree_diff.hpp"

#include <algorithm>
#include <set>
#include <system_error>
#include <utility>

#include "memfs/path.hpp"
#include "memfs/snapshot.hpp"
#include "shared/path_join.hpp"
#include "shared/printable.hpp"

namespace memfs {
namespace {

// Bytes shown before the first difference in an excerpt, and in all.
constexpr std::size_t kContextBefore = 16;
constexpr std::size_t kExcerpt = 48;

ExportedTree read_tree(const FileSystem& fs, std::string_view prefix) {
  std::error_code ec;
  return fs.export_tree(prefix, {}, ec);
}

// The excerpt of `text` around `at`, quoted, with "..." where cut.
std::string excerpt(std::string_view text, std::size_t at) {
  const std::size_t begin = at > kContextBefore ? at - kContextBefore : 0;
  std::string out = begin > 0 ? "..." : "";
  out += quote_excerpt(text.substr(begin), kExcerpt);
  return out;
}

bool starts_with(const std::string& s, const std::string& start) {
  return s.compare(0, start.size(), start) == 0;
}

// True when some element of the sorted set lies below `dir`.
bool has_descendant(const std::set<std::string>& paths,
                    const std::string& dir) {
  const std::string base = detail::descendant_prefix(dir);
  auto it = paths.lower_bound(base);
  return it != paths.end() && starts_with(*it, base);
}

// What `path` (normalized, within the exported prefix) is in `tree`.
FileType type_in(const ExportedTree& tree, const std::string& path,
                 std::string* contents) {
  auto file = tree.files.find(path);
  if (file != tree.files.end()) {
    *contents = file->second;
    return FileType::regular;
  }
  auto below = tree.files.lower_bound(detail::descendant_prefix(path));
  if (path == "/" || tree.empty_directories.count(path) != 0 ||
      (below != tree.files.end() &&
       starts_with(below->first, detail::descendant_prefix(path))) ||
      has_descendant(tree.empty_directories, path)) {
    return FileType::directory;
  }
  return FileType::not_found;
}

std::string describe_one(const TreeDifference& d) {
  const std::string path = detail::printable_name(d.path);
  const char* what = d.directory ? "directory " : "file ";
  switch (d.kind) {
    case TreeDifference::Kind::missing:
      return std::string("missing ") + what + path +
             (d.directory ? "/"
                          : " (expected " + human_size(d.expected_size) + ")");
    case TreeDifference::Kind::unexpected:
      return std::string("unexpected ") + what + path +
             (d.directory ? "/" : " (" + human_size(d.actual_size) + ")");
    case TreeDifference::Kind::wrong_type:
      return path + (d.directory ? " is a file, expected a directory"
                                 : " is a directory, expected a file");
    case TreeDifference::Kind::different: {
      return "different contents of " + path + " (" +
             human_size(d.actual_size) + ", expected " +
             human_size(d.expected_size) + "):\n" +
             indent_lines(d.detail, "    ");
    }
  }
  return {};
}

}  // namespace

std::string indent_lines(std::string_view text, std::string_view prefix) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    if (start > 0) out += '\n';
    out += prefix;
    out += text.substr(start, end - start);
    start = end + 1;
  }
  return out;
}

std::string quote_excerpt(std::string_view text, std::size_t max_bytes) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size() && i < max_bytes; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (c >= 0x20 && c < 0x7f) {
          out += static_cast<char>(c);
        } else {
          detail::append_hex_escape(out, c);
        }
    }
  }
  out += '"';
  if (text.size() > max_bytes) out += "...";
  return out;
}

std::string describe_content_difference(std::string_view actual,
                                        std::string_view expected) {
  if (actual == expected) return {};
  const auto mismatch = std::mismatch(actual.begin(), actual.end(),
                                      expected.begin(), expected.end());
  const auto at = static_cast<std::size_t>(mismatch.first - actual.begin());
  std::string out = "first difference at byte " + std::to_string(at);
  if (at == actual.size()) out += " (the actual contents end there)";
  if (at == expected.size()) out += " (the expected contents end there)";
  out += "\nactual:   " + excerpt(actual, at);
  out += "\nexpected: " + excerpt(expected, at);
  return out;
}

FileType peek_type(const FileSystem& fs, std::string_view path,
                   std::string* contents) {
  std::error_code ec;
  const NormalizedPath np = normalize_path(path, ec);
  if (ec) return FileType::not_found;
  if (np.is_root()) return FileType::directory;
  ExportedTree tree = read_tree(fs, np.value);
  auto file = tree.files.find(np.value);
  if (file != tree.files.end()) {
    if (np.trailing_slash) return FileType::not_found;  // "/file/" is not one
    if (contents != nullptr) *contents = std::move(file->second);
    return FileType::regular;
  }
  return tree.files.empty() && tree.empty_directories.empty()
             ? FileType::not_found
             : FileType::directory;
}

std::vector<TreeDifference> diff_tree(
    const FileSystem& fs, const std::map<std::string, std::string>& expected,
    std::string_view prefix) {
  std::vector<TreeDifference> out;
  std::error_code prefix_ec;
  const NormalizedPath root = normalize_path(prefix, prefix_ec);
  ExportedTree actual = read_tree(fs, prefix);

  std::set<std::string> expected_paths;  // normalized, files and directories
  for (const auto& [key, contents] : expected) {
    std::error_code ec;
    const NormalizedPath np = normalize_path(key, ec);
    TreeDifference d;
    d.path = ec ? key : np.value;
    d.expected_size = contents.size();
    expected_paths.insert(d.path);
    const bool want_dir = !key.empty() && key.back() == '/';
    std::string data;
    FileType type = FileType::not_found;
    if (!ec) {
      type = !prefix_ec && is_within(root.value, np.value)
                 ? type_in(actual, np.value, &data)
                 : peek_type(fs, np.value, &data);
    }
    if (type == FileType::not_found) {
      d.kind = TreeDifference::Kind::missing;
      d.directory = want_dir;
    } else if ((type == FileType::directory) != want_dir) {
      d.kind = TreeDifference::Kind::wrong_type;
      d.directory = want_dir;
      if (!want_dir) d.expected_size = contents.size();
    } else if (!want_dir && data != contents) {
      d.kind = TreeDifference::Kind::different;
      d.actual_size = data.size();
      d.detail = describe_content_difference(data, contents);
    } else {
      continue;
    }
    out.push_back(std::move(d));
  }
  for (const auto& [path, data] : actual.files) {
    if (expected_paths.count(path) != 0) continue;
    TreeDifference d;
    d.kind = TreeDifference::Kind::unexpected;
    d.path = path;
    d.actual_size = data.size();
    out.push_back(std::move(d));
  }
  for (const auto& dir : actual.empty_directories) {
    if (expected_paths.count(dir) != 0 || has_descendant(expected_paths, dir))
      continue;
    TreeDifference d;
    d.kind = TreeDifference::Kind::unexpected;
    d.path = dir;
    d.directory = true;
    out.push_back(std::move(d));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const TreeDifference& a, const TreeDifference& b) {
                     return a.path < b.path;
                   });
  return out;
}

std::string describe_tree_diff(const std::vector<TreeDifference>& differences,
                               std::size_t max_items) {
  if (differences.empty()) return "no differences";
  std::string out =
      std::to_string(differences.size()) +
      (differences.size() == 1 ? " difference:" : " differences:");
  const std::size_t shown = std::min(differences.size(), max_items);
  for (std::size_t i = 0; i < shown; ++i)
    out += "\n  " + describe_one(differences[i]);
  if (shown < differences.size()) {
    out +=
        "\n  ... and " + std::to_string(differences.size() - shown) + " more";
  }
  return out;
}

}  // namespace memfs
