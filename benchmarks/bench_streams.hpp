// benchmarks/bench_streams.hpp — one interface over every way the suite
// streams one large file, so the stream cases are written once:
//
//   Streamer s(place, capacity);        // room for `capacity` bytes
//   s.write(total, chunk);              // create/truncate, write `total`
//                                       // bytes in chunk-sized writes, close
//   s.read(buffer);                     // open, read buffer-sized pieces
//                                       // until end of file, close; -> bytes
//   s.overwrite(offsets, chunk);        // open for update, write `chunk` at
//                                       // each offset, close
//
// Streamers: memfs File handles, memfs::ofstream/ifstream/fstream,
// std::fstream and POSIX I/O on tmpfs and disk, memcpy into a buffer
// allocated (and touched) up front: the bandwidth limit, and memcpy into a
// fresh buffer per write: the limit for filling new memory.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_stores.hpp"
#include "memfs/stream.hpp"

namespace memfs_bench {

inline constexpr const char* kStreamPath = "/bench.bin";

/// memfs File handles on a MemoryFileSystem of its own.
class MemfsFileStreamer {
 public:
  static constexpr const char* kName = "memfs_file";
  static constexpr std::optional<Host> kHost{};
  MemfsFileStreamer(const Place&, std::uint64_t capacity)
      : fs_(quota_for(capacity)) {}

  void write(std::uint64_t total, const std::string& chunk) {
    memfs::File f = fs_.open(kStreamPath, "w");
    for (std::uint64_t done = 0; done < total; done += chunk.size()) {
      if (f.write(chunk) != chunk.size())
        throw std::runtime_error("short write");
    }
    f.close();
  }
  std::uint64_t read(std::string& buffer) {
    memfs::File f = fs_.open(kStreamPath, "r");
    std::uint64_t total = 0;
    while (const std::size_t n = f.read(buffer.data(), buffer.size()))
      total += n;
    return total;
  }
  void overwrite(const std::vector<std::uint64_t>& offsets,
                 const std::string& chunk) {
    memfs::File f = fs_.open(kStreamPath, "r+");
    for (const std::uint64_t off : offsets) {
      if (f.pwrite(off, chunk) != chunk.size())
        throw std::runtime_error("short write");
    }
    f.close();
  }

 protected:
  memfs::MemoryFileSystem fs_;
};

/// memfs::ofstream / ifstream / fstream on the same kind of filesystem.
class MemfsStreamStreamer : public MemfsFileStreamer {
 public:
  static constexpr const char* kName = "memfs_stream";
  using MemfsFileStreamer::MemfsFileStreamer;

  void write(std::uint64_t total, const std::string& chunk) {
    memfs::ofstream out(fs_, kStreamPath, std::ios::binary);
    write_stream(out, total, chunk);
  }
  std::uint64_t read(std::string& buffer) {
    memfs::ifstream in(fs_, kStreamPath, std::ios::binary);
    return read_stream(in, buffer);
  }
  void overwrite(const std::vector<std::uint64_t>& offsets,
                 const std::string& chunk) {
    memfs::fstream io(fs_, kStreamPath,
                      std::ios::in | std::ios::out | std::ios::binary);
    overwrite_stream(io, offsets, chunk);
  }

  // Shared with FstreamStreamer: the same loops over any std::iostream.
  static void write_stream(std::ostream& out, std::uint64_t total,
                           const std::string& chunk) {
    for (std::uint64_t done = 0; done < total; done += chunk.size()) {
      out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    }
    out.flush();
    if (!out) throw std::runtime_error("stream write failed");
  }
  static std::uint64_t read_stream(std::istream& in, std::string& buffer) {
    std::uint64_t total = 0;
    while (
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) ||
        in.gcount() > 0) {
      total += static_cast<std::uint64_t>(in.gcount());
    }
    return total;
  }
  static void overwrite_stream(std::iostream& io,
                               const std::vector<std::uint64_t>& offsets,
                               const std::string& chunk) {
    for (const std::uint64_t off : offsets) {
      io.seekp(static_cast<std::streamoff>(off));
      io.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    }
    io.flush();
    if (!io) throw std::runtime_error("stream overwrite failed");
  }
};

/// std::ofstream / ifstream / fstream on tmpfs or disk.
template <Host kWhere>
class FstreamStreamer {
 public:
  static constexpr const char* kName = FstreamIo::kName<kWhere>;
  static constexpr std::optional<Host> kHost{kWhere};
  FstreamStreamer(const Place& place, std::uint64_t)
      : path_(place.path(kStreamPath)) {
    std::filesystem::create_directory(place.root());
  }

  void write(std::uint64_t total, const std::string& chunk) {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    MemfsStreamStreamer::write_stream(out, total, chunk);
  }
  std::uint64_t read(std::string& buffer) {
    std::ifstream in(path_, std::ios::binary);
    return MemfsStreamStreamer::read_stream(in, buffer);
  }
  void overwrite(const std::vector<std::uint64_t>& offsets,
                 const std::string& chunk) {
    std::fstream io(path_, std::ios::in | std::ios::out | std::ios::binary);
    MemfsStreamStreamer::overwrite_stream(io, offsets, chunk);
  }

 private:
  std::string path_;
};

/// open(2) / write(2) / read(2) / pwrite(2) on tmpfs or disk.
template <Host kWhere>
class PosixStreamer {
 public:
  static constexpr const char* kName = PosixIo::kName<kWhere>;
  static constexpr std::optional<Host> kHost{kWhere};
  PosixStreamer(const Place& place, std::uint64_t)
      : path_(place.path(kStreamPath)) {
    std::filesystem::create_directory(place.root());
  }

  void write(std::uint64_t total, const std::string& chunk) {
    const int fd = open_or_throw(O_WRONLY | O_CREAT | O_TRUNC);
    for (std::uint64_t done = 0; done < total; done += chunk.size()) {
      check(::write(fd, chunk.data(), chunk.size()) ==
            static_cast<ssize_t>(chunk.size()));
    }
    ::close(fd);
  }
  std::uint64_t read(std::string& buffer) {
    const int fd = open_or_throw(O_RDONLY);
    std::uint64_t total = 0;
    ssize_t n = 0;
    while ((n = ::read(fd, buffer.data(), buffer.size())) > 0)
      total += static_cast<std::uint64_t>(n);
    ::close(fd);
    check(n == 0);
    return total;
  }
  void overwrite(const std::vector<std::uint64_t>& offsets,
                 const std::string& chunk) {
    const int fd = open_or_throw(O_RDWR);
    for (const std::uint64_t off : offsets) {
      check(::pwrite(fd, chunk.data(), chunk.size(), static_cast<off_t>(off)) ==
            static_cast<ssize_t>(chunk.size()));
    }
    ::close(fd);
  }

 private:
  int open_or_throw(int flags) {
    const int fd = ::open(path_.c_str(), flags | O_CLOEXEC, 0644);
    check(fd >= 0);
    return fd;
  }
  static void check(bool ok) {
    if (!ok)
      throw std::system_error(errno, std::generic_category(), "posix streamer");
  }
  std::string path_;
};

/// memcpy into (and out of) one buffer. kFresh = false: the buffer is
/// allocated and touched up front, so writes only copy: the bandwidth limit
/// ("memcpy"). kFresh = true: every write() gets a new, untouched buffer, as
/// a new file must, so the kernel's page faults are paid each time
/// ("memcpy_fresh": the limit for writing a file into new memory).
template <bool kFresh>
class MemcpyStreamer {
 public:
  static constexpr const char* kName = kFresh ? "memcpy_fresh" : "memcpy";
  static constexpr std::optional<Host> kHost{};
  MemcpyStreamer(const Place&, std::uint64_t capacity)
      : capacity_(static_cast<std::size_t>(capacity)) {
    if constexpr (!kFresh)
      data_ = std::make_unique<char[]>(capacity_);  // zeroed: touched
  }

  void write(std::uint64_t total, const std::string& chunk) {
    if constexpr (kFresh) {
      data_.reset();  // the old file's memory goes before the new one comes
      data_.reset(new char[capacity_]);
    }
    for (std::uint64_t done = 0; done < total; done += chunk.size()) {
      std::memcpy(data_.get() + done, chunk.data(), chunk.size());
    }
    size_ = total;
    benchmark::ClobberMemory();
  }
  std::uint64_t read(std::string& buffer) {
    std::uint64_t done = 0;
    while (done < size_) {
      const std::size_t n = static_cast<std::size_t>(
          std::min<std::uint64_t>(buffer.size(), size_ - done));
      std::memcpy(buffer.data(), data_.get() + done, n);
      benchmark::ClobberMemory();
      done += n;
    }
    return done;
  }
  void overwrite(const std::vector<std::uint64_t>& offsets,
                 const std::string& chunk) {
    for (const std::uint64_t off : offsets) {
      std::memcpy(data_.get() + off, chunk.data(), chunk.size());
    }
    benchmark::ClobberMemory();
  }

 private:
  std::size_t capacity_;
  std::unique_ptr<char[]> data_;
  std::uint64_t size_ = 0;
};

/// Calls fn(Tag<Streamer>{}) for every streamer.
template <class Fn>
void for_each_streamer(Fn&& fn) {
  fn(Tag<MemfsFileStreamer>{});
  fn(Tag<MemfsStreamStreamer>{});
  fn(Tag<MemcpyStreamer<false>>{});
  fn(Tag<MemcpyStreamer<true>>{});
  fn(Tag<FstreamStreamer<Host::tmpfs>>{});
  fn(Tag<PosixStreamer<Host::tmpfs>>{});
  fn(Tag<FstreamStreamer<Host::disk>>{});
  fn(Tag<PosixStreamer<Host::disk>>{});
}

}  // namespace memfs_bench
