// render_tree() and human_size(): the tree picture of failure output.
#include <charconv>
#include <utility>

#include "api/raw_access.hpp"
#include "memfs/snapshot.hpp"
#include "shared/printable.hpp"

namespace memfs {
namespace {

using detail::printable_name;
using detail::RawAccess;

// One directory being drawn: its children and how far we are.
struct Frame {
  std::string path;
  std::string indent;  // drawn before each child's connector
  std::vector<DirEntry> children;
  std::size_t next = 0;
};

class Renderer {
 public:
  Renderer(const FileSystem& fs, const RenderOptions& options)
      : fs_(fs), options_(options) {}

  std::string run(const std::string& prefix) {
    ErrorInfo err;
    const FileStatus st = RawAccess::status(fs_, prefix, err);
    if (err) return prefix + "  (" + err.code.message() + ")\n";
    out_ = printable_name(prefix) +
           (st.is_directory() && prefix != "/" ? "/" : "");
    if (!st.is_directory()) {
      out_ += size_suffix(st) + "\n";
      return out_;
    }
    out_ += "\n";
    std::vector<Frame> stack;
    push(stack, prefix, "");
    // Iterative, so a deep tree cannot exhaust the call stack.
    while (!stack.empty()) {
      Frame& top = stack.back();
      if (top.next == top.children.size()) {
        stack.pop_back();
        continue;
      }
      const bool last = top.next + 1 == top.children.size();
      const DirEntry& child = top.children[top.next++];
      const std::string path = detail::child_path(top.path, child.name);
      ErrorInfo stat_err;
      const FileStatus cst = RawAccess::status(fs_, path, stat_err);
      std::string line =
          top.indent + (last ? "└── " : "├── ") + printable_name(child.name);
      if (stat_err) {
        line += "  (" + stat_err.code.message() + ")";
      } else if (cst.is_directory()) {
        line += "/";
      } else {
        line += size_suffix(cst);
      }
      emit(line);
      if (!stat_err && cst.is_directory()) {
        const std::string indent = top.indent + (last ? "    " : "│   ");
        push(stack, path, indent);  // invalidates `top`
      }
    }
    if (hidden_ > 0) {
      out_ += "... and " + std::to_string(hidden_) + " more entr" +
              (hidden_ == 1 ? "y" : "ies") + "\n";
    }
    return out_;
  }

 private:
  void push(std::vector<Frame>& stack, const std::string& path,
            std::string indent) {
    ErrorInfo err;
    std::vector<DirEntry> children = RawAccess::list(fs_, path, err);
    stack.push_back({path, std::move(indent), std::move(children), 0});
  }

  void emit(const std::string& line) {
    if (options_.max_lines != 0 && shown_ >= options_.max_lines) {
      ++hidden_;  // still counted, so the summary is exact
      return;
    }
    ++shown_;
    out_ += line;
    out_ += '\n';
  }

  std::string size_suffix(const FileStatus& st) const {
    return options_.sizes ? "  (" + human_size(st.size) + ")" : std::string();
  }

  const FileSystem& fs_;
  const RenderOptions& options_;
  std::string out_;
  std::size_t shown_ = 0;
  std::size_t hidden_ = 0;
};

}  // namespace

std::string human_size(std::uint64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " B";
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB",
                                           "TiB", "PiB", "EiB"};
  double value = static_cast<double>(bytes) / 1024.0;
  std::size_t unit = 0;
  // Move up while the one-decimal rendering would read 1024.0 or more.
  while (value >= 1023.95 && unit + 1 < std::size(kUnits)) {
    value /= 1024.0;
    ++unit;
  }
  char buf[32];
  const auto result =
      std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, 1);
  return std::string(buf, result.ptr) + " " + kUnits[unit];
}

std::string render_tree(const FileSystem& fs, std::string_view prefix,
                        const RenderOptions& options) {
  std::error_code ec;
  const NormalizedPath np = normalize_path(prefix, ec);
  if (ec) return std::string(prefix) + "  (" + ec.message() + ")\n";
  try {
    return Renderer(fs, options).run(np.value);
  } catch (const std::exception& e) {  // documented never to throw
    return np.value + "  (" + e.what() + ")\n";
  }
}

}  // namespace memfs
