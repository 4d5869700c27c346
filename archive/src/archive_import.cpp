// import_archive: the atomic form reads everything into a plan and commits it
// through import_tree; the streaming form writes as it reads and takes back
// what it created when it fails.
#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "archive_reader.hpp"
#include "memfs/archive.hpp"
#include "memfs/path.hpp"

namespace memfs {

namespace {

using detail::ArchiveFailure;
using detail::ArchiveReader;
using detail::CheckedEntry;

constexpr std::string_view kOp = "import_archive";

ArchiveFailure& quota_failure(ArchiveFailure& f, const CheckedEntry& e,
                              std::uint64_t requested,
                              std::uint64_t available) {
  f.set(errc::quota_exceeded, "archive expands past the free space", e.name);
  f.requested = requested;
  f.available = available;
  return f;
}

// The filesystem's own error (node cap, a file in the way, ...), with the
// numbers the exception carries.
ArchiveFailure& fs_failure(ArchiveFailure& f, FileSystem& fs,
                           std::error_code ec, std::string_view entry,
                           std::uint64_t bytes) {
  f.set(ec, "", entry);
  const Stats s = fs.stats();
  if (ec == errc::quota_exceeded) {
    f.requested = bytes;
    f.available = s.free;
  } else if (ec == errc::node_limit_exceeded) {
    f.current = s.file_count + s.directory_count;
    f.limit = s.node_limit.value_or(0);
    f.requested = 1;
  }
  return f;
}

// Creates `path` and its missing parents one by one, appending each one it
// created to `created` (so a failure can remove them, deepest first).
bool make_directories(FileSystem& fs, const std::string& path,
                      std::vector<std::string>& created, std::error_code& ec) {
  std::string prefix;
  for (std::string_view comp : split_path(path)) {
    prefix += '/';
    prefix += comp;
    if (fs.create_directory(prefix, ec)) created.push_back(prefix);
    if (ec) return false;
  }
  return true;
}

void remove_created(FileSystem& fs, const std::vector<std::string>& created) {
  for (auto it = created.rbegin(); it != created.rend(); ++it) {
    std::error_code ignored;
    fs.remove(*it, ignored);
  }
}

ArchiveImportReport import_atomic(FileSystem& fs, ArchiveReader& reader,
                                  const std::string& dest, ArchiveFailure& f) {
  ArchiveImportReport report;
  std::map<std::string, std::string> files;
  std::set<std::string> dirs{dest};
  // What may be kept: the free space, plus the bytes of the files the import
  // replaces (import_tree gives them back).
  std::uint64_t allowance = fs.stats().free;
  std::uint64_t kept = 0;
  std::vector<char> block(ArchiveReader::kBlock);
  CheckedEntry e;
  while (reader.next(dest, e, f)) {
    if (e.is_directory) {
      dirs.insert(e.path);
      ++report.directories;
      continue;
    }
    std::error_code ec;
    if (fs.is_regular_file(e.path, ec)) allowance += fs.file_size(e.path, ec);
    if (e.size && kept + *e.size > allowance) {
      return quota_failure(f, e, kept + *e.size, allowance), report;
    }
    std::string& data = files[e.path];
    if (e.size) data.reserve(static_cast<std::size_t>(*e.size));
    std::uint64_t read = 0;
    while (const std::size_t n = reader.read_block(block.data(), e.name, f)) {
      if (kept + n > allowance) {
        return quota_failure(f, e, kept + n, allowance), report;
      }
      // Grow as a string does, but never past what the allowance leaves:
      // doubling alone could hold twice the free space.
      if (data.size() + n > data.capacity()) {
        const std::uint64_t room = data.size() + (allowance - kept);
        data.reserve(static_cast<std::size_t>(std::max<std::uint64_t>(
            data.size() + n,
            std::min<std::uint64_t>(2 * data.capacity(), room))));
      }
      data.append(block.data(), n);
      kept += n;
      read += n;
    }
    if (f.failed() || !detail::check_size(e, read, f)) return report;
    ++report.files;
  }
  if (f.failed()) return report;

  // Directories first (the empty ones would not come with the files), each
  // one created remembered so a failure takes it away again.
  std::vector<std::string> created;
  std::error_code ec;
  for (const std::string& d : dirs) {
    if (!make_directories(fs, d, created, ec)) {
      remove_created(fs, created);
      return fs_failure(f, fs, ec, d, 0), report;
    }
  }
  fs.import_tree(files, ec);
  if (ec) {
    remove_created(fs, created);
    return fs_failure(f, fs, ec, {}, kept), report;
  }
  report.bytes = kept;
  return report;
}

// Writes one file entry block by block into `path`, which must not exist.
bool stream_file(FileSystem& fs, ArchiveReader& reader, const CheckedEntry& e,
                 std::vector<char>& block, std::vector<std::string>& created,
                 ArchiveImportReport& report, ArchiveFailure& f) {
  std::error_code ec;
  if (const std::uint64_t free = fs.stats().free; e.size && *e.size > free) {
    return quota_failure(f, e, *e.size, free), false;
  }
  File file = fs.open(e.path, "wx", ec);
  if (ec) return fs_failure(f, fs, ec, e.name, 0), false;
  created.push_back(e.path);
  std::uint64_t read = 0;
  while (const std::size_t n = reader.read_block(block.data(), e.name, f)) {
    const std::size_t wrote = file.write(block.data(), n, ec);
    if (ec || wrote != n) {
      if (!ec) ec = make_error_code(errc::quota_exceeded);
      return fs_failure(f, fs, ec, e.name, read + n), false;
    }
    read += n;
  }
  if (f.failed() || !detail::check_size(e, read, f)) return false;
  file.close(ec);
  if (ec) return fs_failure(f, fs, ec, e.name, read), false;
  ++report.files;
  report.bytes += read;
  return true;
}

ArchiveImportReport import_streaming(FileSystem& fs, ArchiveReader& reader,
                                     const std::string& dest,
                                     ArchiveFailure& f) {
  ArchiveImportReport report;
  std::vector<std::string> created;
  std::vector<char> block(ArchiveReader::kBlock);
  std::error_code ec;
  CheckedEntry e;
  bool ok = make_directories(fs, dest, created, ec);
  if (!ok) fs_failure(f, fs, ec, {}, 0);
  while (ok && reader.next(dest, e, f)) {
    const std::string parent(e.is_directory ? e.path
                                            : std::string(parent_path(e.path)));
    if (!make_directories(fs, parent, created, ec)) {
      fs_failure(f, fs, ec, e.name, 0);
      break;
    }
    if (e.is_directory) {
      ++report.directories;
    } else if (!stream_file(fs, reader, e, block, created, report, f)) {
      break;
    }
  }
  if (f.failed()) {
    remove_created(fs, created);
    return ArchiveImportReport{};
  }
  return report;
}

template <class Source>
ArchiveImportReport import_impl(FileSystem& fs, Source& source,
                                std::string_view dest,
                                const ArchiveImportOptions& options,
                                ArchiveFailure& f) {
  std::error_code ec;
  const NormalizedPath root = normalize_path(dest, ec);
  if (ec) return f.set(ec, "bad destination path"), ArchiveImportReport{};
  auto reader = std::make_unique<ArchiveReader>();
  if (!reader->open(source, f)) return {};
  return options.mode == ArchiveImportMode::atomic
             ? import_atomic(fs, *reader, root.value, f)
             : import_streaming(fs, *reader, root.value, f);
}

}  // namespace

ArchiveImportReport import_archive(FileSystem& fs,
                                   const std::filesystem::path& archive,
                                   std::string_view dest,
                                   const ArchiveImportOptions& options) {
  return detail::run_archive_throwing(
      kOp, archive.string(), [&](ArchiveFailure& f) {
        return import_impl(fs, archive, dest, options, f);
      });
}

ArchiveImportReport import_archive(FileSystem& fs,
                                   const std::filesystem::path& archive,
                                   std::string_view dest,
                                   const ArchiveImportOptions& options,
                                   std::error_code& ec) noexcept {
  return detail::run_archive_noexcept(ec, [&](ArchiveFailure& f) {
    return import_impl(fs, archive, dest, options, f);
  });
}

ArchiveImportReport import_archive(FileSystem& fs, std::istream& archive,
                                   std::string_view dest,
                                   const ArchiveImportOptions& options) {
  return detail::run_archive_throwing(
      kOp, options.name, [&](ArchiveFailure& f) {
        return import_impl(fs, archive, dest, options, f);
      });
}

ArchiveImportReport import_archive(FileSystem& fs, std::istream& archive,
                                   std::string_view dest,
                                   const ArchiveImportOptions& options,
                                   std::error_code& ec) noexcept {
  return detail::run_archive_noexcept(ec, [&](ArchiveFailure& f) {
    return import_impl(fs, archive, dest, options, f);
  });
}

ArchiveImportReport import_archive(FileSystem& fs, std::FILE* archive,
                                   std::string_view dest,
                                   const ArchiveImportOptions& options) {
  return detail::run_archive_throwing(
      kOp, options.name, [&](ArchiveFailure& f) {
        return import_impl(fs, archive, dest, options, f);
      });
}

ArchiveImportReport import_archive(FileSystem& fs, std::FILE* archive,
                                   std::string_view dest,
                                   const ArchiveImportOptions& options,
                                   std::error_code& ec) noexcept {
  return detail::run_archive_noexcept(ec, [&](ArchiveFailure& f) {
    return import_impl(fs, archive, dest, options, f);
  });
}

}  // namespace memfs
