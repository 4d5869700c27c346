// Snapshots as single files: export_snapshot_archive() packs a snapshot
// folder (tree/ with its escaped host names, manifest.json, index.html) into a
// tar.gz, and import_snapshot_archive() reads one back through
// import_from_disk(), which restores the escaped names.
//
// Both go through a scratch MemoryFileSystem and the public archive and
// snapshot functions, so the escaping rules live in one place (the core's
// snapshot code). Reading back unpacks the archive's folder into a private
// host temporary folder first: import_from_disk() is the one reader of a
// snapshot's layout.
#include <stdlib.h>
#include <sys/stat.h>

#include <fstream>
#include <iterator>
#include <limits>
#include <system_error>

#include "memfs/archive.hpp"
#include "memfs/clock.hpp"
#include "memfs/error.hpp"
#include "memfs/memory_file_system.hpp"
#include "memfs/snapshot.hpp"
#include "shared/exception_code.hpp"

namespace memfs {
namespace {

namespace stdfs = std::filesystem;

MemoryOptions scratch_options(std::uint64_t quota) {
  MemoryOptions options;
  options.max_quota = quota;
  return options;
}

// Every entry of a packed snapshot gets the time its manifest was written
// (the scratch copy's own times would be "now"), so the same snapshot gives
// the same bytes.
MemoryOptions packing_options(const stdfs::path& manifest) {
  MemoryOptions options =
      scratch_options(std::numeric_limits<std::uint64_t>::max());
  auto clock = std::make_shared<ManualClock>();
  struct stat st {};
  if (::stat(manifest.c_str(), &st) == 0) {
    clock->set_now(std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(
            std::chrono::seconds(st.st_mtim.tv_sec) +
            std::chrono::nanoseconds(st.st_mtim.tv_nsec))));
  }
  options.clock = std::move(clock);
  return options;
}

bool read_host(const stdfs::path& file, std::string& out) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in),
             std::istreambuf_iterator<char>());
  return !in.bad();
}

bool write_host(const stdfs::path& file, const std::string& data) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  return static_cast<bool>(out.flush());
}

// A private folder under the temp dir, removed with its contents.
struct TempFolder {
  stdfs::path path;
  explicit TempFolder(std::error_code& ec) {
    std::string tmpl =
        (stdfs::temp_directory_path(ec) / "memfs-snapshot-XXXXXX").string();
    if (ec) return;
    if (::mkdtemp(tmpl.data()) == nullptr) {
      ec.assign(errno, std::generic_category());
      return;
    }
    path = tmpl;
  }
  ~TempFolder() {
    std::error_code ignored;
    if (!path.empty()) stdfs::remove_all(path, ignored);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
};

// Runs `body` (which reports through `ec`), turning an exception (an
// allocation) into `ec` as every error_code form does.
template <class Body>
auto guarded(std::error_code& ec, Body&& body) noexcept -> decltype(body()) {
  try {
    return body();
  } catch (...) {
    ec = detail::current_exception_code();
  }
  return {};
}

template <class Body>
auto throwing(const char* operation, const stdfs::path& path, Body&& body) {
  std::error_code ec;
  auto result = body(ec);
  if (ec) throw filesystem_error(operation, "", path.string(), ec);
  return result;
}

// The two bodies, reporting through `ec`.
ArchiveExportReport pack(const stdfs::path& snapshot_folder,
                         const stdfs::path& host_file, std::error_code& ec) {
  ec.clear();
  const std::string name = snapshot_folder.filename().string();
  const stdfs::path manifest = snapshot_folder / "manifest.json";
  if (name.empty() || !stdfs::is_regular_file(manifest, ec)) {
    ec = std::make_error_code(std::errc::invalid_argument);  // not a snapshot
    return {};
  }
  MemoryFileSystem scratch(packing_options(manifest));
  const std::string top = "/" + name;
  // tree/ holds no manifest.json, so its (escaped) names come in literally.
  (void)import_from_disk(scratch, snapshot_folder / "tree", top + "/tree", ec);
  if (ec) return {};
  for (const char* file : {"manifest.json", "index.html"}) {
    std::string data;
    if (!stdfs::exists(snapshot_folder / file, ec) || ec)
      continue;  // a page is optional
    if (!read_host(snapshot_folder / file, data)) {
      ec = std::make_error_code(std::errc::io_error);
      return {};
    }
    scratch.write_file(top + "/" + file, data, ec);
    if (ec) return {};
  }
  return export_archive(scratch, "/", host_file, ArchiveFormat::tar_gz, ec);
}

}  // namespace

ArchiveExportReport export_snapshot_archive(const stdfs::path& snapshot_folder,
                                            const stdfs::path& host_file,
                                            std::error_code& ec) noexcept {
  return guarded(ec, [&] { return pack(snapshot_folder, host_file, ec); });
}

ArchiveExportReport export_snapshot_archive(const stdfs::path& snapshot_folder,
                                            const stdfs::path& host_file) {
  return throwing(
      "export_snapshot_archive", snapshot_folder, [&](std::error_code& ec) {
        return export_snapshot_archive(snapshot_folder, host_file, ec);
      });
}

namespace {

ImportReport unpack(FileSystem& fs, const stdfs::path& archive,
                    std::string_view dest, std::error_code& ec) {
  ec.clear();
  // The scratch copy may hold what `fs` could take, no more: a bomb stops
  // at the same quota as a direct import would.
  MemoryFileSystem scratch(scratch_options(fs.stats().free));
  (void)import_archive(scratch, archive, "/", {}, ec);
  if (ec) return {};
  const std::vector<DirEntry> top = scratch.list_entries("/", ec);
  if (ec) return {};
  if (top.size() != 1 || top[0].type != FileType::directory ||
      scratch.status("/" + top[0].name + "/manifest.json", ec).type !=
          FileType::regular) {
    ec = std::make_error_code(
        std::errc::invalid_argument);  // not one snapshot folder
    return {};
  }
  const std::string prefix = "/" + top[0].name;
  const ExportedTree tree = scratch.export_tree(prefix, {}, ec);
  if (ec) return {};
  TempFolder host(ec);
  if (ec) return {};
  const auto host_path = [&](const std::string& path) {
    return host.path / path.substr(prefix.size() +
                                   1);  // import_archive refused ".." and "/"
  };
  for (const std::string& dir : tree.empty_directories) {
    stdfs::create_directories(host_path(dir), ec);
    if (ec) return {};
  }
  for (const auto& [path, data] : tree.files) {
    stdfs::create_directories(host_path(path).parent_path(), ec);
    if (ec) return {};
    if (!write_host(host_path(path), data)) {
      ec = std::make_error_code(std::errc::io_error);
      return {};
    }
  }
  stdfs::create_directories(host.path / "tree", ec);  // an empty snapshot
  if (ec) return {};
  return import_from_disk(fs, host.path, dest, ec);
}

}  // namespace

ImportReport import_snapshot_archive(FileSystem& fs, const stdfs::path& archive,
                                     std::string_view dest,
                                     std::error_code& ec) noexcept {
  return guarded(ec, [&] { return unpack(fs, archive, dest, ec); });
}

ImportReport import_snapshot_archive(FileSystem& fs, const stdfs::path& archive,
                                     std::string_view dest) {
  return throwing("import_snapshot_archive", archive, [&](std::error_code& ec) {
    return import_snapshot_archive(fs, archive, dest, ec);
  });
}

}  // namespace memfs
