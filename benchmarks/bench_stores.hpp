// benchmarks/bench_stores.hpp — one small interface over every whole-file
// implementation the suite compares, so each case is written once and run
// for memfs and all its comparators.
//
// A Store holds files by absolute POSIX-style path ("/bench/f000001.bin"):
//
//   Store store(place);                    // empty; host stores make a folder
//   store.make_dirs("/bench");
//   store.write("/bench/a.bin", data);     // create or replace
//   store.read("/bench/a.bin", buffer);    // up to buffer.size() bytes
//   store.list("/bench");                  // names, sorted
//   store.import_tree(files);              // path -> contents, parents made
//                                          // ~Store: everything is discarded
//
// Paths given to a store must come from place.paths(...) (host stores
// prefix their folder), computed before timing starts. Every store is
// thread-safe for distinct paths except MapStore (the floor has no lock).
#pragma once

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "bench_util.hpp"
#include "memfs/file.hpp"
#include "memfs/memory_file_system.hpp"

namespace memfs_bench {

using GoldenTree = std::map<std::string, std::string>;

/// Where one benchmark run's stores live: nowhere for in-memory stores, a
/// TempDir on tmpfs or disk for host stores (store folders go inside it).
class Place {
 public:
  explicit Place(std::optional<Host> host) {
    if (host) dir_ = std::make_unique<TempDir>(*host);
  }
  /// The folder of a store (host) or "" (in memory).
  [[nodiscard]] std::string root() const {
    return dir_ ? dir_->path() + "/run" : "";
  }
  /// The store's path for a logical path.
  [[nodiscard]] std::string path(std::string_view logical) const {
    return root() + std::string(logical);
  }
  [[nodiscard]] std::vector<std::string> paths(
      const std::vector<std::string>& logical) const {
    std::vector<std::string> out;
    out.reserve(logical.size());
    for (const std::string& p : logical) out.push_back(path(p));
    return out;
  }
  /// The golden tree with its keys mapped through path().
  [[nodiscard]] GoldenTree tree(const GoldenTree& logical) const {
    GoldenTree out;
    for (const auto& [p, data] : logical) out.emplace(path(p), data);
    return out;
  }

 private:
  std::unique_ptr<TempDir> dir_;
};

/// The whole-file calls on a MemoryFileSystem owned elsewhere (a store
/// below, or a TestSession in fixture_bench.cpp).
class MemfsCalls {
 public:
  static constexpr std::optional<Host> kHost{};
  explicit MemfsCalls(memfs::MemoryFileSystem& fs) : fs_(fs) {}

  void make_dirs(const std::string& dir) { fs_.create_directories(dir); }
  void write(const std::string& path, std::string_view data) {
    fs_.write_file(path, data);
  }
  std::size_t read(const std::string& path, std::string& buffer) {
    return fs_.read_file(path,
                         buffer);  // into the caller's buffer, as the floor
  }
  std::vector<std::string> list(const std::string& dir) {
    return fs_.list(dir);
  }
  void import_tree(const GoldenTree& files) { fs_.import_tree(files); }
  [[nodiscard]] memfs::MemoryFileSystem& fs() { return fs_; }

 protected:
  memfs::MemoryFileSystem& fs_;
};

/// Owns the filesystem of MemfsApiStore (a base, so it is built first).
struct OwnedFs {
  explicit OwnedFs(memfs::MemoryOptions options)
      : owned_fs(std::move(options)) {}
  memfs::MemoryFileSystem owned_fs;
};

/// A fresh MemoryFileSystem through its whole-file calls.
class MemfsApiStore : private OwnedFs, public MemfsCalls {
 public:
  static constexpr const char* kName = "memfs_api";
  explicit MemfsApiStore(const Place&, memfs::MemoryOptions options = {})
      : OwnedFs(std::move(options)), MemfsCalls(owned_fs) {}
};

/// MemoryFileSystem through File handles (open "w" / "r", write / read, close).
class MemfsFileStore : public MemfsApiStore {
 public:
  static constexpr const char* kName = "memfs_file";
  using MemfsApiStore::MemfsApiStore;

  void write(const std::string& path, std::string_view data) {
    memfs::File f = fs_.open(path, "w");
    if (f.write(data) != data.size()) throw std::runtime_error("short write");
    f.close();
  }
  std::size_t read(const std::string& path, std::string& buffer) {
    memfs::File f = fs_.open(path, "r");
    const std::size_t n = f.read(buffer.data(), buffer.size());
    f.close();
    return n;
  }
};

/// The floor: a hash map from path to contents. Directories are implicit; a
/// listing scans every key (what a hand-rolled fake would do).
class MapStore {
 public:
  static constexpr const char* kName = "hashmap";
  static constexpr std::optional<Host> kHost{};
  explicit MapStore(const Place&, const memfs::MemoryOptions& = {}) {}

  void make_dirs(const std::string&) {}
  void write(const std::string& path, std::string_view data) {
    files_.insert_or_assign(path, std::string(data));
  }
  std::size_t read(const std::string& path, std::string& buffer) {
    const std::string& data = files_.at(path);
    const std::size_t n = std::min(data.size(), buffer.size());
    std::copy_n(data.data(), n, buffer.data());
    return n;
  }
  std::vector<std::string> list(const std::string& dir) {
    std::vector<std::string> out;
    const std::string prefix = dir + "/";
    for (const auto& entry : files_) {
      const std::string& p = entry.first;
      if (p.compare(0, prefix.size(), prefix) != 0) continue;
      const std::size_t slash = p.find('/', prefix.size());
      out.push_back(p.substr(prefix.size(), slash - prefix.size()));
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }
  void import_tree(const GoldenTree& files) {
    files_.insert(files.begin(), files.end());
  }

 private:
  std::unordered_map<std::string, std::string> files_;
};

/// A folder on tmpfs or disk, written with `Io` (posix_io or fstream_io).
/// The constructor creates the place's folder; the destructor runs
/// std::filesystem::remove_all on it, as a temp-directory fixture would.
template <class Io, Host kWhere>
class HostStore {
 public:
  static constexpr const char* kName = Io::template kName<kWhere>;
  static constexpr std::optional<Host> kHost{kWhere};
  explicit HostStore(const Place& place, const memfs::MemoryOptions& = {})
      : root_(place.root()) {
    std::filesystem::create_directory(root_);
  }
  ~HostStore() { std::filesystem::remove_all(root_); }
  HostStore(const HostStore&) = delete;
  HostStore& operator=(const HostStore&) = delete;

  void make_dirs(const std::string& dir) {
    std::filesystem::create_directories(dir);
  }
  void write(const std::string& path, std::string_view data) {
    Io::write_file(path, data);
  }
  std::size_t read(const std::string& path, std::string& buffer) {
    return Io::read_file(path, buffer);
  }
  std::vector<std::string> list(const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      out.push_back(entry.path().filename().string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  void import_tree(const GoldenTree& files) {
    std::string made;  // golden trees are sorted: a parent repeats in a run
    for (const auto& [path, data] : files) {
      const std::string parent = path.substr(0, path.rfind('/'));
      if (parent != made) make_dirs(parent);
      made = parent;
      write(path, data);
    }
  }

 private:
  std::string root_;
};

/// The Io policies of HostStore.
struct PosixIo {
  template <Host h>
  static constexpr const char* kName =
      h == Host::tmpfs ? "posix_tmpfs" : "posix_disk";
  static void write_file(const std::string& p, std::string_view d) {
    posix_io::write_file(p, d);
  }
  static std::size_t read_file(const std::string& p, std::string& b) {
    return posix_io::read_file(p, b);
  }
};
struct FstreamIo {
  template <Host h>
  static constexpr const char* kName =
      h == Host::tmpfs ? "fstream_tmpfs" : "fstream_disk";
  static void write_file(const std::string& p, std::string_view d) {
    fstream_io::write_file(p, d);
  }
  static std::size_t read_file(const std::string& p, std::string& b) {
    return fstream_io::read_file(p, b);
  }
};

template <class T>
struct Tag {
  using type = T;
};

/// Calls fn(Tag<Store>{}) for every store: the memfs ones, the floor, and
/// fstream / POSIX on tmpfs and on disk.
template <class Fn>
void for_each_store(Fn&& fn) {
  fn(Tag<MemfsApiStore>{});
  fn(Tag<MemfsFileStore>{});
  fn(Tag<MapStore>{});
  fn(Tag<HostStore<FstreamIo, Host::tmpfs>>{});
  fn(Tag<HostStore<PosixIo, Host::tmpfs>>{});
  fn(Tag<HostStore<FstreamIo, Host::disk>>{});
  fn(Tag<HostStore<PosixIo, Host::disk>>{});
}

}  // namespace memfs_bench
