// What the matchers say besides memfs/tree_diff.hpp's wording: the tree
// around a missing path, and a FileSystem's one-line summary.
#include <string>

#include "memfs/catch2_matchers.hpp"
#include "memfs/path.hpp"
#include "memfs/snapshot.hpp"
#include "memfs/tree_diff.hpp"

namespace memfs::catch2::detail {
namespace {

// Lines of the tree picture in a "does not exist" message.
constexpr std::size_t kTreeLines = 20;

// The deepest existing directory above `path`, drawn.
std::string nearest_picture(const FileSystem& fs, const std::string& path) {
  std::error_code ec;
  std::string dir(parent_path(normalize_path(path, ec).value));
  while (dir != "/" && peek_type(fs, dir) != FileType::directory) {
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
  switch (peek_type(fs, path, &read.contents)) {
    case FileType::regular:
      read.found = true;
      break;
    case FileType::directory:
      read.problem = "is a directory";
      break;
    case FileType::not_found:
      read.problem =
          "does not exist; the tree around it:\n" + nearest_picture(fs, path);
      break;
  }
  return read;
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
