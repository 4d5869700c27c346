// std::filesystem on a mount vs /dev/shm.
#include <algorithm>
#include <filesystem>
#include <fstream>

#include "intercept/support.hpp"

namespace memfs_test {
namespace {

namespace stdfs = std::filesystem;

class StdFilesystem : public InterceptTest {};

// Records an std::filesystem call's result or error.
template <class F>
void rec_fs(Trace& tr, const std::string& what, F f) {
  try {
    tr.note(what + " = " + f());
  } catch (const stdfs::filesystem_error& e) {
    tr.note(what + " threw " + Trace::errno_name(e.code().value()));
  }
}

std::string str(bool b) { return b ? "true" : "false"; }
std::string str(std::uintmax_t n) { return std::to_string(n); }

TEST_F(StdFilesystem, CommonOperations) {
  differential([](const P& r, Trace& tr) {
    stdfs::path root(r);
    rec_fs(tr, "create_directories",
           [&] { return str(stdfs::create_directories(root / "a/b/c")); });
    rec_fs(tr, "create_directories again",
           [&] { return str(stdfs::create_directories(root / "a/b/c")); });
    rec_fs(tr, "create_directory",
           [&] { return str(stdfs::create_directory(root / "a/x")); });
    { std::ofstream(root / "a/b/f.txt") << "twelve bytes"; }
    rec_fs(tr, "exists",
           [&] { return str(stdfs::exists(root / "a/b/f.txt")); });
    rec_fs(tr, "exists missing",
           [&] { return str(stdfs::exists(root / "nope")); });
    rec_fs(tr, "is_directory",
           [&] { return str(stdfs::is_directory(root / "a/b")); });
    rec_fs(tr, "is_regular_file",
           [&] { return str(stdfs::is_regular_file(root / "a/b/f.txt")); });
    rec_fs(tr, "file_size",
           [&] { return str(stdfs::file_size(root / "a/b/f.txt")); });
    rec_fs(tr, "file_size dir",
           [&] { return str(stdfs::file_size(root / "a")); });
    rec_fs(tr, "file_size missing",
           [&] { return str(stdfs::file_size(root / "nope")); });
    rec_fs(tr, "is_empty", [&] { return str(stdfs::is_empty(root / "a/x")); });
    rec_fs(tr, "resize_file", [&] {
      stdfs::resize_file(root / "a/b/f.txt", 6);
      return str(stdfs::file_size(root / "a/b/f.txt"));
    });
    rec_fs(tr, "copy_file", [&] {
      return str(stdfs::copy_file(root / "a/b/f.txt", root / "a/g.txt"));
    });
    rec_fs(tr, "copy_file exists", [&] {
      return str(stdfs::copy_file(root / "a/b/f.txt", root / "a/g.txt"));
    });
    rec_fs(tr, "copy_file overwrite", [&] {
      return str(stdfs::copy_file(root / "a/b/f.txt", root / "a/g.txt",
                                  stdfs::copy_options::overwrite_existing));
    });
    rec_fs(tr, "copy recursive", [&] {
      stdfs::copy(root / "a/b", root / "copy", stdfs::copy_options::recursive);
      return str(true);
    });
    rec_fs(tr, "rename", [&] {
      stdfs::rename(root / "a/g.txt", root / "a/h.txt");
      return str(stdfs::exists(root / "a/h.txt"));
    });
    rec_fs(tr, "rename missing", [&] {
      stdfs::rename(root / "nope", root / "a/i.txt");
      return str(true);
    });
    rec_fs(tr, "remove", [&] { return str(stdfs::remove(root / "a/h.txt")); });
    rec_fs(tr, "remove missing",
           [&] { return str(stdfs::remove(root / "a/h.txt")); });
    rec_fs(tr, "remove non-empty",
           [&] { return str(stdfs::remove(root / "a")); });
    rec_fs(tr, "canonical", [&] {
      return stdfs::canonical(root / "a/b/../b/./c").string().substr(r.size());
    });
    rec_fs(tr, "weakly_canonical", [&] {
      return stdfs::weakly_canonical(root / "a/zz/../b")
          .string()
          .substr(r.size());
    });
    rec_fs(tr, "status type", [&] {
      return str(static_cast<std::uintmax_t>(stdfs::status(root / "a").type()));
    });
    rec_fs(tr, "symlink_status type", [&] {
      return str(static_cast<std::uintmax_t>(
          stdfs::symlink_status(root / "a/b/f.txt").type()));
    });
    rec_fs(tr, "equivalent", [&] {
      return str(stdfs::equivalent(root / "a/b", root / "a/b/c/.."));
    });
    rec_fs(tr, "equivalent other",
           [&] { return str(stdfs::equivalent(root / "a/b", root / "a/x")); });
    rec_fs(tr, "permissions", [&] {
      return str(static_cast<std::uintmax_t>(
          stdfs::status(root / "a/b/f.txt").permissions()));
    });
    auto list = [&](auto it) {
      std::vector<std::string> names;
      for (const auto& e : it)
        names.push_back(e.path().string().substr(r.size()) +
                        (e.is_directory() ? "/" : ""));
      std::sort(names.begin(), names.end());
      std::string all;
      for (auto& n : names) all += n + " ";
      return all;
    };
    rec_fs(tr, "directory_iterator",
           [&] { return list(stdfs::directory_iterator(root / "a")); });
    rec_fs(tr, "recursive_directory_iterator",
           [&] { return list(stdfs::recursive_directory_iterator(root)); });
    rec_fs(tr, "directory_iterator missing",
           [&] { return list(stdfs::directory_iterator(root / "nope")); });
    rec_fs(tr, "remove_all",
           [&] { return str(stdfs::remove_all(root / "copy")); });
    rec_fs(tr, "remove_all missing",
           [&] { return str(stdfs::remove_all(root / "copy")); });
    rec_fs(tr, "space capacity > 0",
           [&] { return str(stdfs::space(root).capacity > 0); });
  });
}

TEST_F(StdFilesystem, AThousandFilesIterateCopyAndRemove) {
  differential([](const P& r, Trace& tr) {
    stdfs::path root(r);
    for (int d = 0; d < 10; ++d) {
      stdfs::create_directories(root / "src" / std::to_string(d) / "inner");
      for (int f = 0; f < 100; ++f)
        std::ofstream(root / "src" / std::to_string(d) /
                      (f % 2 ? "inner" : "") / ("f" + std::to_string(f)))
            << d << ':' << f;
    }
    std::size_t files = 0, bytes = 0;
    for (const auto& e : stdfs::recursive_directory_iterator(root / "src"))
      if (e.is_regular_file()) {
        ++files;
        bytes += e.file_size();
      }
    tr.note(std::to_string(files) + " files, " + std::to_string(bytes) +
            " bytes");
    rec_fs(tr, "copy", [&] {
      stdfs::copy(root / "src", root / "dst", stdfs::copy_options::recursive);
      return str(true);
    });
    rec_fs(tr, "remove_all",
           [&] { return str(stdfs::remove_all(root / "src")); });
  });
}

}  // namespace
}  // namespace memfs_test
