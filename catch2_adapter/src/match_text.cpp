// The framework-neutral half of the matchers: reading a file without the
// hook, and describing what is there and how it differs. Nothing here
// depends on Catch2.
#include <algorithm>
#include <cstdio>
#include <string>
#include <system_error>

#include "memfs/catch2_matchers.hpp"
#include "memfs/path.hpp"
#include "memfs/snapshot.hpp"

namespace memfs::catch2::detail {
namespace {

// Bytes of context shown on each side of a difference.
constexpr std::size_t kContext = 12;
// Lines of the tree picture in a "does not exist" message.
constexpr std::size_t kTreeLines = 20;

// export_tree() and render_tree() change nothing, but FileSystem's reading
// members are not const-qualified (see export_to_disk in snapshot.hpp).
FileSystem& mutable_fs(const FileSystem& fs) {
  return const_cast<FileSystem&>(fs);  // NOLINT(cppcoreguidelines-pro-type-const-cast)
}

std::string hex_byte(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", c);
  return buf;
}

std::string show_byte(unsigned char c) {
  std::string text;
  if (c >= 0x20 && c < 0x7F) {
    text = "'";
    text += static_cast<char>(c);
    text += "' ";
  }
  return text + "(" + hex_byte(c) + ")";
}

std::string excerpt_at(const std::string& text, std::size_t at) {
  std::size_t from = at > kContext ? at - kContext : 0;
  std::string quoted = quote_excerpt(text.substr(from, 2 * kContext), 2 * kContext);
  return from > 0 ? "..." + quoted : quoted;
}

// The part of the tree nearest to a missing `path`: its deepest existing
// ancestor, drawn.
std::string nearest_picture(const FileSystem& fs, const std::string& path) {
  std::string dir(parent_path(path));
  while (dir != "/") {
    std::error_code ec;
    ExportedTree t = mutable_fs(fs).export_tree(dir, false, ec);
    if (!ec && (!t.files.empty() || !t.empty_directories.empty())) break;
    dir = std::string(parent_path(dir));
  }
  RenderOptions opts;
  opts.max_lines = kTreeLines;
  std::string picture = render_tree(fs, dir, opts);
  while (!picture.empty() && picture.back() == '\n') picture.pop_back();
  return picture;
}

}  // namespace

FileRead read_for_match(const FileSystem& fs, const std::string& path) {
  FileRead read;
  std::error_code ec;
  NormalizedPath norm = normalize_path(path, ec);
  if (ec) {
    read.problem = "is not a valid path (" + ec.message() + ")";
    return read;
  }
  ExportedTree tree = mutable_fs(fs).export_tree(norm.value, false, ec);
  if (ec) {
    read.problem = "could not be read (" + ec.message() + ")";
    return read;
  }
  auto it = tree.files.find(norm.value);
  if (it != tree.files.end()) {
    read.found = true;
    read.contents = std::move(it->second);
  } else if (!tree.files.empty() || !tree.empty_directories.empty()) {
    read.problem = "is a directory";
  } else {
    read.problem = "does not exist; the tree around it:\n" +
                   nearest_picture(fs, norm.value);
  }
  return read;
}

std::string quote_excerpt(const std::string& text, std::size_t limit) {
  std::string out = "\"";
  std::size_t n = std::min(text.size(), limit);
  for (std::size_t i = 0; i < n; ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
  if (n < text.size()) out += "...";
  return out;
}

std::string describe_difference(const std::string& expected,
                                 const std::string& actual) {
  if (expected == actual) return {};
  auto mismatch = std::mismatch(expected.begin(), expected.end(),
                                actual.begin(), actual.end());
  auto at = static_cast<std::size_t>(mismatch.first - expected.begin());
  std::string text;
  if (at == actual.size()) {
    text = "actual ends at byte " + std::to_string(at) + ", expected " +
           std::to_string(expected.size()) + " B continuing with " +
           quote_excerpt(expected.substr(at), 2 * kContext);
  } else if (at == expected.size()) {
    text = "actual is longer: " + std::to_string(actual.size()) +
           " B, expected " + std::to_string(expected.size()) +
           " B; the extra bytes start with " +
           quote_excerpt(actual.substr(at), 2 * kContext);
  } else {
    text = "byte " + std::to_string(at) + " is " +
           show_byte(static_cast<unsigned char>(actual[at])) +
           ", expected " + show_byte(static_cast<unsigned char>(expected[at])) +
           "; actual " + excerpt_at(actual, at) + ", expected " +
           excerpt_at(expected, at);
    if (actual.size() != expected.size()) {
      text += " (sizes: actual " + std::to_string(actual.size()) +
              " B, expected " + std::to_string(expected.size()) + " B)";
    }
  }
  return text;
}

std::string describe_file_system(const FileSystem& fs) {
  Stats s = fs.stats();
  auto plural = [](std::uint64_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  return "{memfs: " + plural(s.file_count, "file", "files") + ", " +
         plural(s.directory_count, "directory", "directories") + ", " +
         human_size(s.used) + "}";
}

}  // namespace memfs::catch2::detail
