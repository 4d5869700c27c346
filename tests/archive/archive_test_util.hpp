// Helpers of the archive tests: archives built entry by entry with
// libarchive's writer (hostile ones included), and a tree as a comparable
// value.
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <sys/sysmacros.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "disk/disk_test_util.hpp"
#include "memfs/file_system.hpp"

namespace memfs::test {

/// One entry to write. kind: 'f' file, 'd' directory, 'l' symlink,
/// 'h' hard link, 'p' fifo, 'c' character device.
struct ArcEntry {
  ArcEntry(std::string n, char k = 'f', std::string d = {}, std::string l = {})
      : name(std::move(n)), kind(k), data(std::move(d)), link(std::move(l)) {}
  std::string name;
  char kind;
  std::string data;
  /// Symlink or hard-link target.
  std::string link;
};

/// How to write: a libarchive format code and filter code
/// (ARCHIVE_FORMAT_*, ARCHIVE_FILTER_*).
struct ArcKind {
  int format = ARCHIVE_FORMAT_TAR_PAX_RESTRICTED;
  int filter = ARCHIVE_FILTER_NONE;
};

/// Writes `entries` to the host file `out` (fails the test on error).
inline void write_archive(const std::filesystem::path& out,
                          const std::vector<ArcEntry>& entries,
                          ArcKind kind = {}) {
  ::archive* a = ::archive_write_new();
  ASSERT_EQ(::archive_write_set_format(a, kind.format), ARCHIVE_OK)
      << ::archive_error_string(a);
  ASSERT_EQ(::archive_write_add_filter(a, kind.filter), ARCHIVE_OK)
      << ::archive_error_string(a);
  ASSERT_EQ(::archive_write_open_filename(a, out.c_str()), ARCHIVE_OK);
  for (const ArcEntry& e : entries) {
    ::archive_entry* ent = ::archive_entry_new();
    ::archive_entry_set_pathname(ent, e.name.c_str());
    ::archive_entry_set_perm(ent, 0644);
    ::archive_entry_set_mtime(ent, 1700000000, 0);
    constexpr std::pair<char, unsigned> kFileTypes[] = {
        {'f', AE_IFREG}, {'d', AE_IFDIR}, {'l', AE_IFLNK},
        {'h', AE_IFREG}, {'p', AE_IFIFO}, {'c', AE_IFCHR}};
    for (const auto& [k, type] : kFileTypes) {
      if (k == e.kind) ::archive_entry_set_filetype(ent, type);
    }
    if (e.kind == 'f') {
      ::archive_entry_set_size(ent, static_cast<la_int64_t>(e.data.size()));
    } else if (e.kind == 'l') {
      ::archive_entry_set_symlink(ent, e.link.c_str());
    } else if (e.kind == 'h') {
      ::archive_entry_set_hardlink(ent, e.link.c_str());
    } else if (e.kind == 'c') {
      ::archive_entry_set_rdev(ent, ::makedev(1, 3));
    }
    ASSERT_EQ(::archive_write_header(a, ent), ARCHIVE_OK)
        << e.name << ": " << ::archive_error_string(a);
    if (!e.data.empty()) {
      ASSERT_EQ(::archive_write_data(a, e.data.data(), e.data.size()),
                static_cast<la_ssize_t>(e.data.size()));
    }
    ::archive_entry_free(ent);
  }
  ASSERT_EQ(::archive_write_close(a), ARCHIVE_OK);
  ::archive_write_free(a);
}

/// A tree as a value: every file with its contents, and the empty
/// directories.
struct Tree : ExportedTree {
  friend bool operator==(const Tree& a, const Tree& b) {
    return a.files == b.files && a.empty_directories == b.empty_directories;
  }
  friend void PrintTo(const Tree& t, std::ostream* os) {
    for (const auto& [p, d] : t.files) {
      *os << "\n  " << p << " (" << d.size() << " bytes)";
    }
    for (const auto& d : t.empty_directories) *os << "\n  " << d << "/";
  }
};

/// The tree under `prefix` (export_tree).
inline Tree tree_of(FileSystem& fs, std::string_view prefix = "/") {
  return Tree{fs.export_tree(prefix)};
}

/// Runs a shell command (fails the test on a non-zero status).
inline void shell(const std::string& command) {
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
}

/// Quotes a host path for the shell.
inline std::string quoted(const std::filesystem::path& p) {
  std::string out = "'";
  for (const char c : p.string()) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace memfs::test
