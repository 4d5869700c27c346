// FileSystem's public operations in their two forms (throwing and
// std::error_code). The bodies live in funnel.cpp.
#include "memfs/file_system.hpp"

#include <limits>

#include "api/funnel.hpp"
#include "api/invoke.hpp"

namespace memfs {

using detail::Funnel;
using detail::run_noexcept;
using detail::run_throwing;
using std::filesystem::copy_options;

File FileSystem::open(std::string_view path, OpenMode mode,
                      const OpenOptions& options) {
  return run_throwing("open", path, {}, [&](ErrorInfo& e) {
    return Funnel::open(*this, path, mode, options, e);
  });
}
File FileSystem::open(std::string_view path, OpenMode mode,
                      const OpenOptions& options, std::error_code& ec) {
  return run_noexcept(
      ec, [&](ErrorInfo& e) { return Funnel::open(*this, path, mode, options, e); });
}
File FileSystem::open(std::string_view path, OpenMode mode,
                      std::error_code& ec) {
  return open(path, std::move(mode), OpenOptions{}, ec);
}

std::string FileSystem::read_file(std::string_view path) {
  return run_throwing("read_file", path, {},
                      [&](ErrorInfo& e) { return Funnel::read_file(*this, path, e); });
}
std::string FileSystem::read_file(std::string_view path, std::error_code& ec) {
  return run_noexcept(ec,
                      [&](ErrorInfo& e) { return Funnel::read_file(*this, path, e); });
}

void FileSystem::write_file(std::string_view path, std::string_view data) {
  run_throwing("write_file", path, {},
               [&](ErrorInfo& e) { Funnel::write_file(*this, path, data, e); });
}
void FileSystem::write_file(std::string_view path, std::string_view data,
                            std::error_code& ec) {
  run_noexcept(ec, [&](ErrorInfo& e) { Funnel::write_file(*this, path, data, e); });
}

FileStatus FileSystem::status(std::string_view path) {
  return run_throwing("status", path, {},
                      [&](ErrorInfo& e) { return Funnel::status(*this, path, e); });
}
FileStatus FileSystem::status(std::string_view path, std::error_code& ec) {
  return run_noexcept(ec,
                      [&](ErrorInfo& e) { return Funnel::status(*this, path, e); });
}

bool FileSystem::exists(std::string_view path) {
  return run_throwing("exists", path, {}, [&](ErrorInfo& e) {
    return Funnel::is_type(*this, path, FileType::not_found, e);
  });
}
bool FileSystem::exists(std::string_view path, std::error_code& ec) {
  return run_noexcept(ec, [&](ErrorInfo& e) {
    return Funnel::is_type(*this, path, FileType::not_found, e);
  });
}
bool FileSystem::is_directory(std::string_view path) {
  return run_throwing("is_directory", path, {}, [&](ErrorInfo& e) {
    return Funnel::is_type(*this, path, FileType::directory, e);
  });
}
bool FileSystem::is_directory(std::string_view path, std::error_code& ec) {
  return run_noexcept(ec, [&](ErrorInfo& e) {
    return Funnel::is_type(*this, path, FileType::directory, e);
  });
}
bool FileSystem::is_regular_file(std::string_view path) {
  return run_throwing("is_regular_file", path, {}, [&](ErrorInfo& e) {
    return Funnel::is_type(*this, path, FileType::regular, e);
  });
}
bool FileSystem::is_regular_file(std::string_view path, std::error_code& ec) {
  return run_noexcept(ec, [&](ErrorInfo& e) {
    return Funnel::is_type(*this, path, FileType::regular, e);
  });
}
std::uint64_t FileSystem::file_size(std::string_view path) {
  return run_throwing("file_size", path, {},
                      [&](ErrorInfo& e) { return Funnel::file_size(*this, path, e); });
}
std::uint64_t FileSystem::file_size(std::string_view path, std::error_code& ec) {
  return run_noexcept(ec,
                      [&](ErrorInfo& e) { return Funnel::file_size(*this, path, e); });
}

namespace {
std::vector<std::string> names_of(std::vector<DirEntry>&& entries) {
  std::vector<std::string> names;
  names.reserve(entries.size());
  for (DirEntry& e : entries) names.push_back(std::move(e.name));
  return names;
}
}  // namespace

std::vector<std::string> FileSystem::list(std::string_view dir) {
  return run_throwing("list", dir, {}, [&](ErrorInfo& e) {
    return names_of(Funnel::list(*this, dir, e));
  });
}
std::vector<std::string> FileSystem::list(std::string_view dir,
                                          std::error_code& ec) {
  return run_noexcept(
      ec, [&](ErrorInfo& e) { return names_of(Funnel::list(*this, dir, e)); });
}
std::vector<DirEntry> FileSystem::list_entries(std::string_view dir) {
  return run_throwing("list", dir, {},
                      [&](ErrorInfo& e) { return Funnel::list(*this, dir, e); });
}
std::vector<DirEntry> FileSystem::list_entries(std::string_view dir,
                                               std::error_code& ec) {
  return run_noexcept(ec, [&](ErrorInfo& e) { return Funnel::list(*this, dir, e); });
}
std::vector<WalkEntry> FileSystem::walk(std::string_view dir) {
  return run_throwing("walk", dir, {},
                      [&](ErrorInfo& e) { return Funnel::walk(*this, dir, e); });
}
std::vector<WalkEntry> FileSystem::walk(std::string_view dir,
                                        std::error_code& ec) {
  return run_noexcept(ec, [&](ErrorInfo& e) { return Funnel::walk(*this, dir, e); });
}
std::vector<std::string> FileSystem::glob(std::string_view pattern) {
  return run_throwing("glob", pattern, {},
                      [&](ErrorInfo& e) { return Funnel::glob(*this, pattern, e); });
}
std::vector<std::string> FileSystem::glob(std::string_view pattern,
                                          std::error_code& ec) {
  return run_noexcept(ec,
                      [&](ErrorInfo& e) { return Funnel::glob(*this, pattern, e); });
}

Stats FileSystem::stats() const { return Funnel::stats(*this); }

std::filesystem::space_info FileSystem::space() const {
  const Stats s = stats();
  return {s.quota, s.free, s.free};
}

std::vector<HandleInfo> FileSystem::open_handles() const {
  return Funnel::open_handles(*this);
}

bool FileSystem::create_directory(std::string_view path) {
  return run_throwing("create_directory", path, {}, [&](ErrorInfo& e) {
    return Funnel::create_directory(*this, path, false, e);
  });
}
bool FileSystem::create_directory(std::string_view path, std::error_code& ec) {
  return run_noexcept(ec, [&](ErrorInfo& e) {
    return Funnel::create_directory(*this, path, false, e);
  });
}
bool FileSystem::create_directories(std::string_view path) {
  return run_throwing("create_directories", path, {}, [&](ErrorInfo& e) {
    return Funnel::create_directory(*this, path, true, e);
  });
}
bool FileSystem::create_directories(std::string_view path,
                                    std::error_code& ec) {
  return run_noexcept(ec, [&](ErrorInfo& e) {
    return Funnel::create_directory(*this, path, true, e);
  });
}

bool FileSystem::remove(std::string_view path) {
  return run_throwing("remove", path, {},
                      [&](ErrorInfo& e) { return Funnel::remove(*this, path, e); });
}
bool FileSystem::remove(std::string_view path, std::error_code& ec) {
  return run_noexcept(ec,
                      [&](ErrorInfo& e) { return Funnel::remove(*this, path, e); });
}
std::uint64_t FileSystem::remove_all(std::string_view path) {
  return run_throwing("remove_all", path, {},
                      [&](ErrorInfo& e) { return Funnel::remove_all(*this, path, e); });
}
std::uint64_t FileSystem::remove_all(std::string_view path,
                                     std::error_code& ec) {
  return run_noexcept(ec,
                      [&](ErrorInfo& e) { return Funnel::remove_all(*this, path, e); });
}

void FileSystem::rename(std::string_view from, std::string_view to) {
  run_throwing("rename", from, to,
               [&](ErrorInfo& e) { Funnel::rename(*this, from, to, e); });
}
void FileSystem::rename(std::string_view from, std::string_view to,
                        std::error_code& ec) {
  run_noexcept(ec, [&](ErrorInfo& e) { Funnel::rename(*this, from, to, e); });
}

bool FileSystem::copy_file(std::string_view from, std::string_view to,
                           copy_options options) {
  return run_throwing("copy_file", from, to, [&](ErrorInfo& e) {
    return Funnel::copy(*this, from, to, options, false, e);
  });
}
bool FileSystem::copy_file(std::string_view from, std::string_view to,
                           copy_options options, std::error_code& ec) {
  return run_noexcept(ec, [&](ErrorInfo& e) {
    return Funnel::copy(*this, from, to, options, false, e);
  });
}
void FileSystem::copy(std::string_view from, std::string_view to,
                      copy_options options) {
  run_throwing("copy", from, to, [&](ErrorInfo& e) {
    Funnel::copy(*this, from, to, options, true, e);
  });
}
void FileSystem::copy(std::string_view from, std::string_view to,
                      copy_options options, std::error_code& ec) {
  run_noexcept(ec, [&](ErrorInfo& e) {
    Funnel::copy(*this, from, to, options, true, e);
  });
}

void FileSystem::resize_file(std::string_view path, std::uint64_t size) {
  run_throwing("resize_file", path, {},
               [&](ErrorInfo& e) { Funnel::resize_file(*this, path, size, e); });
}
void FileSystem::resize_file(std::string_view path, std::uint64_t size,
                             std::error_code& ec) {
  run_noexcept(ec, [&](ErrorInfo& e) { Funnel::resize_file(*this, path, size, e); });
}

void FileSystem::import_tree(const std::map<std::string, std::string>& files) {
  run_throwing("import_tree", files.empty() ? "" : files.begin()->first, {},
               [&](ErrorInfo& e) { Funnel::import_tree(*this, files, e); });
}
void FileSystem::import_tree(const std::map<std::string, std::string>& files,
                             std::error_code& ec) {
  run_noexcept(ec, [&](ErrorInfo& e) { Funnel::import_tree(*this, files, e); });
}

ExportedTree FileSystem::export_tree(std::string_view prefix, bool only_dirty) {
  return run_throwing("export_tree", prefix, {}, [&](ErrorInfo& e) {
    return Funnel::export_tree(*this, prefix, only_dirty, e);
  });
}
ExportedTree FileSystem::export_tree(std::string_view prefix, bool only_dirty,
                                     std::error_code& ec) {
  return run_noexcept(ec, [&](ErrorInfo& e) {
    return Funnel::export_tree(*this, prefix, only_dirty, e);
  });
}

}  // namespace memfs
