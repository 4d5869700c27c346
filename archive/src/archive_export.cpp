// export_archive: everything that could differ between two runs over the
// same tree (order, owners, modes, host times, the gzip header's time stamp)
// is fixed, so equal trees give equal bytes.
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "archive_reader.hpp"
#include "memfs/archive.hpp"
#include "memfs/path.hpp"

namespace memfs {

namespace {

using detail::ArchiveFailure;

struct Item {
  std::string path;         // absolute, in fs
  const std::string* data;  // nullptr for a directory
};

using WriterPtr = std::unique_ptr<::archive, decltype(&::archive_write_free)>;
using EntryPtr =
    std::unique_ptr<::archive_entry, decltype(&::archive_entry_free)>;

bool set_format(::archive* a, ArchiveFormat format) {
  switch (format) {
    case ArchiveFormat::ustar:
      return ::archive_write_set_format_ustar(a) == ARCHIVE_OK;
    case ArchiveFormat::tar:
      return ::archive_write_set_format_pax(a) == ARCHIVE_OK;
    case ArchiveFormat::tar_gz:
      return ::archive_write_set_format_pax(a) == ARCHIVE_OK &&
             ::archive_write_add_filter_gzip(a) == ARCHIVE_OK &&
             ::archive_write_set_filter_option(a, "gzip", "timestamp",
                                               nullptr) == ARCHIVE_OK;
    case ArchiveFormat::zip:
      return ::archive_write_set_format_zip(a) == ARCHIVE_OK &&
             ::archive_write_set_format_option(a, "zip", "compression",
                                               "deflate") == ARCHIVE_OK;
  }
  return false;
}

// Fills `entry` for one item (see export_archive's contract).
void describe(::archive_entry* entry, const std::string& name, const Item& it,
              std::chrono::system_clock::time_point modified) {
  ::archive_entry_clear(entry);
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                      modified.time_since_epoch())
                      .count();
  auto sec = ns / 1000000000;
  auto nsec = ns % 1000000000;
  if (nsec < 0) sec -= 1, nsec += 1000000000;
  ::archive_entry_set_mtime(entry, static_cast<time_t>(sec),
                            static_cast<long>(nsec));
  ::archive_entry_set_uid(entry, 0);
  ::archive_entry_set_gid(entry, 0);
  if (it.data == nullptr) {
    ::archive_entry_copy_pathname(entry, (name + "/").c_str());
    ::archive_entry_set_filetype(entry, AE_IFDIR);
    ::archive_entry_set_perm(entry, 0755);
    ::archive_entry_set_size(entry, 0);
  } else {
    ::archive_entry_copy_pathname(entry, name.c_str());
    ::archive_entry_set_filetype(entry, AE_IFREG);
    ::archive_entry_set_perm(entry, 0644);
    ::archive_entry_set_size(entry, static_cast<la_int64_t>(it.data->size()));
  }
}

bool write_items(FileSystem& fs, ::archive* a,
                 const std::map<std::string, Item>& items,
                 ArchiveExportReport& report, ArchiveFailure& f) {
  EntryPtr entry(::archive_entry_new(), &::archive_entry_free);
  for (const auto& [name, it] : items) {
    std::error_code ec;
    const FileStatus st = fs.status(it.path, ec);
    if (ec) return f.set(ec, "cannot read the tree", it.path), false;
    describe(entry.get(), name, it, st.modified);
    const int rc = ::archive_write_header(a, entry.get());
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
      f.set(detail::libarchive_code(a),
            "the format cannot hold this entry (" +
                detail::libarchive_message(a) + ")",
            it.path);
      return false;
    }
    if (it.data == nullptr) {
      ++report.directories;
      continue;
    }
    std::size_t at = 0;
    while (at < it.data->size()) {
      const la_ssize_t n =
          ::archive_write_data(a, it.data->data() + at, it.data->size() - at);
      if (n <= 0) {
        f.set(detail::libarchive_code(a),
              "cannot write (" + detail::libarchive_message(a) + ")", it.path);
        return false;
      }
      at += static_cast<std::size_t>(n);
    }
    ++report.files;
    report.bytes += it.data->size();
  }
  return true;
}

ArchiveExportReport export_impl(FileSystem& fs, std::string_view prefix,
                                const std::filesystem::path& host_file,
                                ArchiveFormat format, ArchiveFailure& f) {
  ArchiveExportReport report;
  std::error_code ec;
  const NormalizedPath root = normalize_path(prefix, ec);
  if (ec) return f.set(ec, "bad prefix"), report;
  const FileStatus top = fs.status(root.value, ec);
  if (ec) return f.set(ec, "cannot read the prefix", root.value), report;
  const ExportedTree tree = fs.export_tree(root.value, {}, ec);
  if (ec) return f.set(ec, "cannot read the tree", root.value), report;

  // Entry names relative to the prefix, sorted bytewise, every directory
  // below the prefix included (a directory sorts before what it holds).
  const std::size_t cut = root.is_root() ? 1 : root.value.size() + 1;
  std::map<std::string, Item> items;
  const auto add_dirs = [&](std::string_view path) {
    while (path.size() > cut && is_within(root.value, path)) {
      items.emplace(std::string(path.substr(cut)),
                    Item{std::string(path), nullptr});
      path = parent_path(path);
    }
  };
  for (const auto& [path, data] : tree.files) {
    if (top.is_regular_file()) {
      items.emplace(std::string(filename(path)), Item{path, &data});
      continue;
    }
    items.emplace(path.substr(cut), Item{path, &data});
    add_dirs(parent_path(path));
  }
  for (const std::string& d : tree.empty_directories) add_dirs(d);

  // Written beside the target, renamed into place when complete.
  std::string tmp = host_file.string() + ".tmp-XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) {
    return f.set(std::error_code(errno, std::generic_category()),
                 "cannot create the archive", host_file.string()),
           report;
  }
  bool ok = false;
  {
    WriterPtr a(::archive_write_new(), &::archive_write_free);
    if (!a || !set_format(a.get(), format)) {
      f.set(std::errc::invalid_argument, "cannot set up the archive format");
    } else if (::archive_write_open_fd(a.get(), fd) != ARCHIVE_OK) {
      f.set(detail::libarchive_code(a.get()),
            detail::libarchive_message(a.get()));
    } else if (write_items(fs, a.get(), items, report, f)) {
      if (::archive_write_close(a.get()) == ARCHIVE_OK) {
        ok = true;
      } else {
        f.set(detail::libarchive_code(a.get()),
              "cannot write (" + detail::libarchive_message(a.get()) + ")");
      }
    }
  }
  if (::close(fd) != 0 && ok) {
    ok = false;
    f.set(std::error_code(errno, std::generic_category()),
          "cannot write the archive");
  }
  if (ok && ::fchmodat(AT_FDCWD, tmp.c_str(), 0644, 0) == 0 &&
      std::rename(tmp.c_str(), host_file.c_str()) == 0) {
    return report;
  }
  if (ok) {
    f.set(std::error_code(errno, std::generic_category()),
          "cannot move the archive into place");
  }
  ::unlink(tmp.c_str());
  return ArchiveExportReport{};
}

}  // namespace

ArchiveExportReport export_archive(FileSystem& fs, std::string_view prefix,
                                   const std::filesystem::path& host_file,
                                   ArchiveFormat format) {
  return detail::run_archive_throwing(
      "export_archive", host_file.string(), [&](ArchiveFailure& f) {
        return export_impl(fs, prefix, host_file, format, f);
      });
}

ArchiveExportReport export_archive(FileSystem& fs, std::string_view prefix,
                                   const std::filesystem::path& host_file,
                                   ArchiveFormat format,
                                   std::error_code& ec) noexcept {
  return detail::run_archive_noexcept(ec, [&](ArchiveFailure& f) {
    return export_impl(fs, prefix, host_file, format, f);
  });
}

}  // namespace memfs
