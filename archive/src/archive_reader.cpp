#include "archive_reader.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <cerrno>
#include <istream>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "memfs/error.hpp"
#include "memfs/path.hpp"

namespace memfs::detail {

// libarchive's own conditions (bad format: EILSEQ, misuse: EINVAL, other:
// -1) all mean "the archive is wrong", invalid_argument. Real host errors
// pass through.
std::error_code libarchive_code(::archive* a) {
  const int e = ::archive_errno(a);
  if (e <= 0 || e == EILSEQ || e == EINVAL) {
    return std::make_error_code(std::errc::invalid_argument);
  }
  return {e, std::generic_category()};
}

std::string libarchive_message(::archive* a) {
  const char* s = ::archive_error_string(a);
  return s != nullptr ? s : "unknown libarchive error";
}

namespace {

// Splits an entry name into the components that stay: "./a//b/" -> {a, b}.
// memfs reads `\` as `/`, so it is a separator here too (else "..\x" would
// climb out once inside). Returns false for an absolute name or a `..`.
bool entry_components(std::string_view name, std::vector<std::string>& out) {
  if (!name.empty() && (name.front() == '/' || name.front() == '\\')) {
    return false;
  }
  std::string comp;
  auto flush = [&] {
    if (comp == "..") return false;
    if (!comp.empty() && comp != ".") out.push_back(comp);
    comp.clear();
    return true;
  };
  for (const char c : name) {
    if (c == '/' || c == '\\') {
      if (!flush()) return false;
    } else {
      comp += c;
    }
  }
  return flush();
}

}  // namespace

void raise(std::string_view op, std::string_view archive,
           const ArchiveFailure& f) {
  if (f.code == errc::quota_exceeded) {
    throw quota_exceeded_error(op, archive, f.entry, f.code, f.requested,
                               f.available);
  }
  if (f.code == errc::node_limit_exceeded) {
    throw node_limit_exceeded_error(op, archive, f.entry, f.current, f.limit,
                                    f.requested);
  }
  throw filesystem_error(op, f.why, archive, f.entry, f.code);
}

ArchiveReader::ArchiveReader() : a_(::archive_read_new()) {
  if (a_ == nullptr) throw std::bad_alloc();
  ::archive_read_support_filter_all(a_);
  ::archive_read_support_format_tar(a_);
  ::archive_read_support_format_gnutar(a_);
  ::archive_read_support_format_zip(a_);
  ::archive_read_support_format_empty(a_);
}

ArchiveReader::~ArchiveReader() { ::archive_read_free(a_); }

bool ArchiveReader::finish_open(int rc, ArchiveFailure& f) {
  if (rc == ARCHIVE_OK || rc == ARCHIVE_WARN) return true;
  f.set(libarchive_code(a_),
        "cannot read the archive (" + libarchive_message(a_) + ")");
  return false;
}

bool ArchiveReader::open(const std::filesystem::path& file, ArchiveFailure& f) {
  return finish_open(::archive_read_open_filename(a_, file.c_str(), kBlock), f);
}

bool ArchiveReader::open(std::istream& in, ArchiveFailure& f) {
  in_ = &in;
  auto read = [](::archive* a, void* self_v, const void** out) -> la_ssize_t {
    auto* self = static_cast<ArchiveReader*>(self_v);
    self->in_->read(self->buffer_, static_cast<std::streamsize>(kBlock));
    if (self->in_->bad()) {
      ::archive_set_error(a, EIO, "the stream failed while reading");
      return -1;
    }
    *out = self->buffer_;
    return static_cast<la_ssize_t>(self->in_->gcount());
  };
  return finish_open(::archive_read_open(a_, this, nullptr, read, nullptr), f);
}

bool ArchiveReader::open(std::FILE* in, ArchiveFailure& f) {
  if (in == nullptr) {
    f.set(std::errc::invalid_argument, "the FILE* is null");
    return false;
  }
  file_ = in;
  auto read = [](::archive* a, void* self_v, const void** out) -> la_ssize_t {
    auto* self = static_cast<ArchiveReader*>(self_v);
    const std::size_t n = std::fread(self->buffer_, 1, kBlock, self->file_);
    if (n == 0 && std::ferror(self->file_) != 0) {
      ::archive_set_error(a, EIO, "the FILE* failed while reading");
      return -1;
    }
    *out = self->buffer_;
    return static_cast<la_ssize_t>(n);
  };
  return finish_open(::archive_read_open(a_, this, nullptr, read, nullptr), f);
}

void ArchiveReader::fail_from_libarchive(ArchiveFailure& f,
                                         std::string_view entry) {
  f.set(libarchive_code(a_),
        "the archive is damaged (" + libarchive_message(a_) + ")", entry);
}

bool ArchiveReader::next(const std::string& dest, CheckedEntry& out,
                         ArchiveFailure& f) {
  while (true) {
    ::archive_entry* e = nullptr;
    const int rc = ::archive_read_next_header(a_, &e);
    if (rc == ARCHIVE_EOF) return false;
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
      fail_from_libarchive(f, {});
      return false;
    }
    const char* raw = ::archive_entry_pathname(e);
    if (raw == nullptr) raw = ::archive_entry_pathname_utf8(e);
    const std::string name = raw != nullptr ? raw : "";
    const auto refuse = [&](std::errc code, const char* why) {
      f.set(code, why, name);
      return false;
    };
    if (::archive_entry_hardlink(e) != nullptr) {
      return refuse(std::errc::operation_not_supported, "entry is a hard link");
    }
    const auto type = ::archive_entry_filetype(e);
    if (type == AE_IFLNK || ::archive_entry_symlink(e) != nullptr) {
      return refuse(std::errc::operation_not_supported,
                    "entry is a symbolic link");
    }
    if (type != AE_IFREG && type != AE_IFDIR) {
      return refuse(std::errc::operation_not_supported,
                    "entry is a device, fifo or socket");
    }
    std::vector<std::string> comps;
    if (name.empty()) {
      return refuse(std::errc::invalid_argument, "entry has no name");
    }
    if (!entry_components(name, comps)) {
      return refuse(std::errc::invalid_argument,
                    "entry path is absolute or climbs out of the destination");
    }
    if (comps.empty()) {
      if (type == AE_IFDIR) continue;  // "./": the destination itself
      return refuse(std::errc::invalid_argument, "entry has no name");
    }
    // The entry's parents must not be file entries, and a file entry must
    // not be the parent of an earlier entry ("a/b", then "a").
    std::string path = dest;
    std::vector<std::string> parents;
    for (const std::string& c : comps) {
      if (files_.count(path) != 0) {
        return refuse(std::errc::not_a_directory,
                      "entry lies below a file entry of the archive");
      }
      parents.push_back(path);
      if (path.size() > 1) path += '/';
      path += c;
    }
    if (!seen_.insert(path).second) {
      return refuse(std::errc::file_exists,
                    "entry appears twice in the archive");
    }
    if (type == AE_IFREG) {
      if (parents_.count(path) != 0) {
        return refuse(std::errc::not_a_directory,
                      "entry is a file where another entry needs a directory");
      }
      files_.insert(path);
    }
    parents_.insert(parents.begin(), parents.end());
    out.name = name;
    out.path = std::move(path);
    out.is_directory = type == AE_IFDIR;
    out.size.reset();
    if (::archive_entry_size_is_set(e) != 0 && ::archive_entry_size(e) >= 0) {
      out.size = static_cast<std::uint64_t>(::archive_entry_size(e));
    }
    return true;
  }
}

std::size_t ArchiveReader::read_block(char* buf, std::string_view entry,
                                      ArchiveFailure& f) {
  const la_ssize_t n = ::archive_read_data(a_, buf, kBlock);
  if (n < 0) {
    fail_from_libarchive(f, entry);
    return 0;
  }
  return static_cast<std::size_t>(n);
}

bool check_size(const CheckedEntry& entry, std::uint64_t read,
                ArchiveFailure& f) {
  if (entry.size && *entry.size != read) {
    f.set(std::errc::invalid_argument,
          "entry's header says " + std::to_string(*entry.size) +
              " bytes, its data holds " + std::to_string(read),
          entry.name);
    return false;
  }
  return true;
}

}  // namespace memfs::detail
