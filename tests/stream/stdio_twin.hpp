// A real FILE* on a host folder and a bridged FILE* on a memfs file, driven
// by the same stdio calls and compared call by call (result, errno, ftell,
// ferror/feof, the file's bytes): the stdio differential of memfs::fopen
// (tests/stream) and of intercepted fopen on a mount (tests/intercept).
#pragma once

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "disk/disk_test_util.hpp"
#include "memfs/stdio.hpp"
#include "stream/support.hpp"

#if MEMFS_HAS_FOPEN
namespace memfs::test {

/// What one stdio call did on one FILE: its result, errno when it failed,
/// and the stream's error and end-of-file indicators afterwards.
inline std::string outcome(std::FILE* f, const std::string& result, bool failed,
                           int err) {
  std::string s = result;
  if (failed) s += std::string(" errno=") + std::strerror(err);
  if (std::ferror(f)) s += " ferror";
  if (std::feof(f)) s += " feof";
  return s;
}

/// A real FILE* on a host directory and a memfs FILE* on the test's
/// filesystem, opened on the same name with the same mode and driven by the
/// same calls. Each call's outcome on both is compared; call() returns the
/// divergence (empty when they agree) with the recent history.
class StdioTwin {
 public:
  /// One call: does it on `f` and returns its result as text; sets `failed`
  /// when the call reports failure (errno is then compared).
  using Call = std::function<std::string(std::FILE* f, bool& failed)>;

  /// Opens the bridged side's FILE on `name` (a path inside `fs`, without
  /// the leading "/") with `mode`.
  using Opener =
      std::function<std::FILE*(const std::string& name, const char* mode)>;

  /// The bridged side is memfs::fopen(fs, "/" + name, mode), unless `opener`
  /// is given.
  explicit StdioTwin(FileSystem& fs, Opener opener = {})
      : fs_(fs), opener_(std::move(opener)) {
    if (!opener_) {
      opener_ = [&fs](const std::string& name, const char* mode) {
        return memfs::fopen(fs, "/" + name, mode);
      };
    }
  }
  StdioTwin(const StdioTwin&) = delete;
  StdioTwin& operator=(const StdioTwin&) = delete;
  ~StdioTwin() { close(); }

  /// Writes `contents` to `name` on both sides.
  void create(const std::string& name, const std::string& contents) {
    std::FILE* f = std::fopen(host(name).c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fwrite(contents.data(), 1, contents.size(), f);
    std::fclose(f);
    fs_.write_file("/" + name, contents);
  }

  /// Opens `name` with `mode` on both sides; returns how each fared ("ok" or
  /// the errno text), or the divergence.
  std::string open(const std::string& name, const char* mode) {
    close();
    errno = 0;
    real_ = std::fopen(host(name).c_str(), mode);
    const std::string real = real_ ? "ok" : std::strerror(errno);
    errno = 0;
    mem_ = opener_(name, mode);
    const std::string mem = mem_ ? "ok" : std::strerror(errno);
    return compare(std::string("fopen(") + name + ", \"" + mode + "\")", real,
                   mem);
  }

  [[nodiscard]] bool is_open() const { return real_ && mem_; }
  /// The real FILE's end-of-file indicator.
  [[nodiscard]] bool real_eof() const { return real_ && std::feof(real_); }

  /// Runs `call` on both FILEs and compares the outcomes.
  std::string call(const std::string& what, const Call& call) {
    return compare(what, run(real_, call), run(mem_, call));
  }

  /// Closes both FILEs and compares fclose's outcome.
  std::string close() {
    if (!real_ && !mem_) return {};
    const auto fclose = [](std::FILE* f) -> std::string {
      if (!f) return "not open";
      errno = 0;
      const int r = std::fclose(f);
      return std::to_string(r) +
             (r != 0 ? std::string(" errno=") + std::strerror(errno) : "");
    };
    const std::string real = fclose(real_), mem = fclose(mem_);
    real_ = mem_ = nullptr;
    return compare("fclose", real, mem);
  }

  /// The contents of `name` on both sides; the divergence if they differ.
  std::string compare_contents(const std::string& name) {
    const std::string real = read_host(host(name));
    std::error_code ec;
    const std::string mem = fs_.read_file("/" + name, ec);
    if (real == mem) return {};
    std::size_t at = 0;
    while (at < real.size() && at < mem.size() && real[at] == mem[at]) ++at;
    return log_.report("contents of " + name + " differ from byte " +
                       std::to_string(at) + " (sizes: real " +
                       std::to_string(real.size()) + ", memfs " +
                       std::to_string(mem.size()) + ")");
  }

  [[nodiscard]] std::string host(const std::string& name) const {
    return (host_.path() / name).string();
  }

 private:
  static std::string run(std::FILE* f, const Call& call) {
    bool failed = false;
    errno = 0;
    const std::string result = call(f, failed);
    return outcome(f, result, failed, errno);
  }

  std::string compare(const std::string& what, const std::string& real,
                      const std::string& mem) {
    return log_.record(what, real, mem);
  }

  HostDir host_;
  FileSystem& fs_;
  Opener opener_;
  std::FILE* real_ = nullptr;
  std::FILE* mem_ = nullptr;
  CallLog log_;
};

// The calls, as StdioTwin::Call values.

inline StdioTwin::Call fwrite_of(std::string data) {
  return [data = std::move(data)](std::FILE* f, bool& failed) {
    const std::size_t n = std::fwrite(data.data(), 1, data.size(), f);
    failed = n < data.size();
    return std::to_string(n);
  };
}

inline StdioTwin::Call fread_of(std::size_t n) {
  return [n](std::FILE* f, bool& failed) {
    std::string buffer(n, '\0');
    const std::size_t got = std::fread(buffer.data(), 1, n, f);
    failed = got < n && std::ferror(f);
    buffer.resize(got);
    return std::to_string(got) + " bytes " +
           std::to_string(std::hash<std::string>{}(buffer));
  };
}

inline StdioTwin::Call fseek_of(long offset, int whence) {
  return [offset, whence](std::FILE* f, bool& failed) {
    const int r = std::fseek(f, offset, whence);
    failed = r != 0;
    return std::to_string(r);
  };
}

inline StdioTwin::Call ftell_call() {
  return [](std::FILE* f, bool& failed) {
    const long r = std::ftell(f);
    failed = r < 0;
    return std::to_string(r);
  };
}

inline StdioTwin::Call fflush_call() {
  return [](std::FILE* f, bool& failed) {
    const int r = std::fflush(f);
    failed = r != 0;
    return std::to_string(r);
  };
}

inline StdioTwin::Call fgetc_call() {
  return [](std::FILE* f, bool& failed) {
    const int r = std::fgetc(f);
    failed = r == EOF && std::ferror(f);
    return std::to_string(r);
  };
}

inline StdioTwin::Call fputc_of(int c) {
  return [c](std::FILE* f, bool& failed) {
    const int r = std::fputc(c, f);
    failed = r == EOF;
    return std::to_string(r);
  };
}

inline StdioTwin::Call ungetc_of(int c) {
  return [c](std::FILE* f, bool& /*failed*/) {
    return std::to_string(std::ungetc(c, f));  // sets no errno
  };
}

inline StdioTwin::Call clearerr_call() {
  return [](std::FILE* f, bool& /*failed*/) {
    std::clearerr(f);
    return std::string("-");
  };
}

// A seeded random sequence of stdio calls on one FILE, on a file that starts
// with 100,000 bytes (empty in "w" modes, which truncate).
//
// The sequence obeys ISO C's rule for update streams (C17 7.21.5.3): output is
// not directly followed by input without fflush or a seek in between, and
// input is not directly followed by output without a seek unless it met
// end-of-file. What glibc does when the rule is broken depends on its buffer
// size, which comes from the file system (st_blksize): two real FILEs on
// different file systems already disagree there. Also avoided, because
// glibc's own FILE is broken or arbitrary there, so nothing can be compared:
//   - ungetc other than right after input on a stream open for reading:
//     pushed back while still in output mode (after fwrite and fflush), the
//     next read corrupts glibc's heap (_IO_switch_to_get_mode from the
//     pushback area; see the FIXME in _IO_default_pbackfail); on a write-only
//     stream, ftell then depends on whether a failed read had allocated the
//     buffer yet;
//   - fflush while pushed-back bytes are pending (until the next seek): glibc
//     moves the file offset back one byte per pushed-back byte but keeps
//     reading from its buffer, by paths that depend on the buffer size.
inline std::string random_sequence(StdioTwin& twin, const char* mode,
                                   std::uint64_t seed, int calls) {
  std::mt19937_64 rng(seed);
  const auto below = [&rng](std::uint64_t n) { return rng() % n; };
  twin.create("f", pattern(100000, static_cast<std::uint32_t>(seed)));
  if (std::string d = twin.open("f", mode); !d.empty()) return d;
  long size_hint = 100000;  // where the end roughly is, to aim seeks
  enum class Last { none, input, output } last = Last::none;
  bool pushback = false;  // ungetc since the last seek
  const bool readable = mode[0] == 'r' || std::strchr(mode, '+') != nullptr;
  const auto seek = [&]() -> std::string {
    last = Last::none;
    pushback = false;
    switch (below(3)) {
      case 0: {
        const long off = static_cast<long>(below(
                             static_cast<std::uint64_t>(size_hint + 200))) -
                         (below(20) == 0 ? 100 : 0);
        return twin.call("fseek set " + std::to_string(off),
                         fseek_of(off, SEEK_SET));
      }
      case 1: {
        const long off = static_cast<long>(below(8001)) - 4000;
        return twin.call("fseek cur " + std::to_string(off),
                         fseek_of(off, SEEK_CUR));
      }
      default: {
        const long off = static_cast<long>(below(4001)) - 3900;
        return twin.call("fseek end " + std::to_string(off),
                         fseek_of(off, SEEK_END));
      }
    }
  };
  const auto flush = [&]() -> std::string {
    if (pushback) return seek();
    last = Last::none;
    std::string d = twin.call("fflush", fflush_call());
    return d.empty() ? twin.compare_contents("f") : d;
  };
  // Makes `next` legal after what came last (see above).
  const auto before = [&](Last next) -> std::string {
    if (next == Last::input && last == Last::output) {
      return below(2) == 0 ? flush() : seek();
    }
    if (next == Last::output && last == Last::input && !twin.real_eof()) {
      return seek();
    }
    return {};
  };
  for (int i = 0; i < calls; ++i) {
    std::string d;
    std::uint64_t kind = below(100);
    if (kind >= 92 && kind < 97 && (last != Last::input || !readable)) {
      kind = 80;  // fgetc instead of ungetc
    }
    // Mostly small transfers (inside stdio's buffer), some larger than it.
    const std::size_t n = below(8) == 0 ? below(12000) : below(300);
    const Last io = kind < 18 || (kind >= 85 && kind < 92) ? Last::output
                    : (kind >= 18 && kind < 36) || (kind >= 77 && kind < 85) ||
                            (kind >= 92 && kind < 97)
                        ? Last::input
                        : Last::none;
    if (io != Last::none) d = before(io);
    if (d.empty()) {
      if (kind < 18) {
        const std::string data = pattern(n, static_cast<std::uint32_t>(rng()));
        d = twin.call("fwrite " + std::to_string(n), fwrite_of(data));
        size_hint += static_cast<long>(n);
      } else if (kind < 36) {
        d = twin.call("fread " + std::to_string(n), fread_of(n));
      } else if (kind < 64) {
        d = seek();
      } else if (kind < 72) {
        d = twin.call("ftell", ftell_call());
      } else if (kind < 77) {
        d = flush();
      } else if (kind < 85) {
        d = twin.call("fgetc", fgetc_call());
      } else if (kind < 92) {
        const int c = static_cast<int>(below(256));
        d = twin.call("fputc " + std::to_string(c), fputc_of(c));
        size_hint += 1;
      } else if (kind < 97) {
        const int c = static_cast<int>(below(256));
        d = twin.call("ungetc " + std::to_string(c), ungetc_of(c));
        pushback = true;
      } else {
        d = twin.call("clearerr", clearerr_call());
      }
    }
    if (io != Last::none) last = io;
    if (!d.empty()) {
      return "mode \"" + std::string(mode) + "\" seed " + std::to_string(seed) +
             ", call " + std::to_string(i) + ": " + d;
    }
  }
  if (std::string d = twin.close(); !d.empty()) return d;
  return twin.compare_contents("f");
}

}  // namespace memfs::test
#endif
