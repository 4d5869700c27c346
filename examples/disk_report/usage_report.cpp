#include "usage_report.hpp"

#include <algorithm>
#include <sstream>

#include "atomic_file.hpp"
#include "memfs/path.hpp"

namespace example {

UsageReport summarize(memfs::FileSystem& fs, std::string_view root,
                      std::size_t top) {
  UsageReport r;
  for (const memfs::WalkEntry& dir : fs.walk(root)) {
    r.directories += dir.directories.size();
    for (const std::string& name : dir.files) {
      const std::string path = memfs::join_path(dir.path, name);
      std::error_code ec;
      const std::uint64_t size = fs.file_size(path, ec);
      if (ec) continue;  // removed while scanning
      ++r.files;
      r.bytes += size;
      const std::size_t dot = name.rfind('.');
      r.by_extension[dot == std::string::npos || dot == 0 ? ""
                                                          : name.substr(dot)] +=
          size;
      r.largest.emplace_back(path, size);
    }
  }
  std::sort(
      r.largest.begin(), r.largest.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
      });
  if (r.largest.size() > top) r.largest.resize(top);
  return r;
}

std::string format_report(const UsageReport& report, std::string_view title) {
  std::ostringstream out;
  out << "usage report: " << title << "\n"
      << "files: " << report.files << "\n"
      << "directories: " << report.directories << "\n"
      << "bytes: " << report.bytes << "\n";
  for (const auto& [path, size] : report.largest)
    out << "largest: " << size << " " << path << "\n";
  for (const auto& [ext, bytes] : report.by_extension) {
    out << "extension: " << (ext.empty() ? "(none)" : ext) << " " << bytes
        << "\n";
  }
  return out.str();
}

std::error_code publish(memfs::FileSystem& fs, const std::string& dir,
                        const std::string& name, std::string_view text,
                        std::size_t keep) {
  std::error_code ec;
  fs.create_directories(dir, ec);
  if (ec) return ec;
  if ((ec = replace_file_atomically(fs, dir + "/" + name, text))) return ec;
  std::vector<std::string> reports;
  for (const std::string& n : fs.list(dir, ec)) {
    if (n.size() > 4 && n.compare(n.size() - 4, 4, ".txt") == 0)
      reports.push_back(n);
  }
  for (std::size_t i = 0; !ec && reports.size() - i > keep;
       ++i) {  // sorted: oldest first
    fs.remove(dir + "/" + reports[i], ec);
  }
  return ec;
}

}  // namespace example
