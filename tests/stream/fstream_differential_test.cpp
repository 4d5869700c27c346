// memfs::ifstream / ofstream / fstream against std::ifstream / ofstream /
// fstream on /dev/shm: the same calls on both, every result, stream state,
// tellp/tellg and the file's bytes compared. Covers the append modes'
// positions and ifstream on a directory.
#include <filesystem>
#include <fstream>
#include <functional>
#include <ios>
#include <memory>
#include <random>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "disk/disk_test_util.hpp"
#include "memfs/stream.hpp"
#include "support.hpp"

namespace memfs::test {
namespace {

using std::ios_base;

/// The state of a stream as text: open or not, and its state bits.
template <class Stream>
std::string state_of(const Stream& s) {
  std::string out = s.is_open() ? "open" : "closed";
  if (s.rdstate() == ios_base::goodbit) out += " good";
  if (s.bad()) out += " bad";
  if (s.rdstate() & ios_base::failbit) out += " fail";
  if (s.eof()) out += " eof";
  return out;
}

/// Bytes as text for a report: short ones as they are, long ones as their
/// size and hash.
std::string digest(const std::string& bytes) {
  if (bytes.size() <= 32) return bytes;
  return std::to_string(bytes.size()) + " bytes, hash " +
         std::to_string(std::hash<std::string>{}(bytes));
}

/// `mode` as text ("in|app").
std::string mode_name(ios_base::openmode mode) {
  std::string out;
  for (const auto& [bit, name] :
       {std::pair{ios_base::in, "in"}, std::pair{ios_base::out, "out"},
        std::pair{ios_base::app, "app"}, std::pair{ios_base::trunc, "trunc"},
        std::pair{ios_base::ate, "ate"},
        std::pair{ios_base::binary, "binary"}}) {
    if (mode & bit) out += (out.empty() ? "" : "|") + std::string(name);
  }
  return out;
}

/// A std stream on a host directory and the memfs stream of the same kind on
/// the test's filesystem, opened on the same name with the same mode and
/// driven by the same calls; call() returns the divergence (empty when both
/// agree) with the recent history.
template <class StdStream, class MemfsStream>
class StreamTwin {
 public:
  explicit StreamTwin(FileSystem& fs) : fs_(fs) {}

  /// Writes `contents` to `name` on both sides.
  void create(const std::string& name, const std::string& contents) {
    std::ofstream(host(name), ios_base::binary) << contents;
    fs_.write_file("/" + name, contents);
  }

  /// Creates the directory `name` on both sides.
  void create_directory(const std::string& name) {
    std::filesystem::create_directory(host(name));
    std::error_code ec;  // may exist already on the memfs side
    fs_.create_directory("/" + name, ec);
  }

  /// (Re)opens both streams on `name` with `mode` and compares their state.
  std::string open(const std::string& name, ios_base::openmode mode) {
    real_ = std::make_unique<StdStream>(host(name), mode);
    mem_ = std::make_unique<MemfsStream>(fs_, "/" + name, mode);
    return call("open " + name + " mode " + mode_name(mode),
                [](auto&) { return std::string("-"); });
  }

  /// Runs `f` (a generic callable taking the stream, returning its result
  /// as text) on both streams and compares results and states.
  template <class F>
  std::string call(const std::string& what, F f) {
    return compare(what, run(*real_, f), run(*mem_, f));
  }

  /// The real stream's eof().
  [[nodiscard]] bool real_eof() const { return real_ && real_->eof(); }

  /// The first divergence seen (empty if none).
  [[nodiscard]] const std::string& first_divergence() const {
    return log_.first_divergence();
  }

  /// Closes both streams and compares the outcome.
  std::string close() {
    return call("close", [](auto& s) {
      s.close();
      return std::string("-");
    });
  }

  /// Compares the contents of `name` on both sides.
  std::string compare_contents(const std::string& name) {
    std::error_code ec;
    return compare("contents of " + name, digest(read_host(host(name))),
                   digest(fs_.read_file("/" + name, ec)));
  }

 private:
  template <class Stream, class F>
  static std::string run(Stream& s, F& f) {
    std::string result;
    try {
      result = f(s);
    } catch (
        const std::ios_base::failure& e) {  // messages differ: not compared
      result = "threw ios_base::failure " +
               std::string(e.code().category().name()) + ":" +
               std::to_string(e.code().value());
    }
    return result + " | " + state_of(s);
  }

  std::string compare(const std::string& what, const std::string& real,
                      const std::string& mem) {
    return log_.record(what, real, mem);
  }

  [[nodiscard]] std::string host(const std::string& name) const {
    return (host_.path() / name).string();
  }

  HostDir host_;
  FileSystem& fs_;
  std::unique_ptr<StdStream> real_;
  std::unique_ptr<MemfsStream> mem_;
  CallLog log_;
};

// The calls, as generic callables.
const auto tellp = [](auto& s) { return std::to_string(s.tellp()); };
const auto tellg = [](auto& s) { return std::to_string(s.tellg()); };
const auto get = [](auto& s) { return std::to_string(s.get()); };
const auto flush = [](auto& s) {
  s.flush();
  return std::string("-");
};
const auto clear = [](auto& s) {
  s.clear();
  return std::string("-");
};
auto put(std::string text) {
  return [text = std::move(text)](auto& s) {
    s << text;
    return std::string("-");
  };
}
auto seekp(std::streamoff off, ios_base::seekdir dir = ios_base::beg) {
  return [off, dir](auto& s) {
    s.seekp(off, dir);
    return std::string("-");
  };
}
auto seekg(std::streamoff off, ios_base::seekdir dir = ios_base::beg) {
  return [off, dir](auto& s) {
    s.seekg(off, dir);
    return std::string("-");
  };
}
auto read(std::streamsize n) {
  return [n](auto& s) {
    std::string buffer(static_cast<std::size_t>(n), '\0');
    s.read(buffer.data(), n);
    buffer.resize(static_cast<std::size_t>(s.gcount()));
    return digest(buffer);
  };
}
const auto getline = [](auto& s) {
  std::string line;
  std::getline(s, line);
  return line;
};

class FstreamDifferentialTest : public BackendTest {};
MEMFS_INSTANTIATE_CONFORMANCE(FstreamDifferentialTest);

// Opens a file "f" of "0123456789" in `mode` on both sides, runs
// calls(twin), closes and compares the contents: the first divergence, or
// empty.
template <class StdStream, class MemfsStream, class Calls>
std::string on_digits(FileSystem& fs, ios_base::openmode mode, Calls calls) {
  StreamTwin<StdStream, MemfsStream> twin(fs);
  twin.create("f", "0123456789");
  twin.open("f", mode);
  calls(twin);
  twin.close();
  twin.compare_contents("f");
  return twin.first_divergence();
}

// Runs the append-mode sequence on one kind of stream in `mode`.
template <class StdStream, class MemfsStream>
std::string append_sequence(FileSystem& fs, ios_base::openmode mode) {
  return on_digits<StdStream, MemfsStream>(fs, mode, [](auto& twin) {
    twin.call("tellp", tellp);
    twin.call("<< AB", put("AB"));
    twin.call("tellp", tellp);
    twin.call("flush", flush);
    twin.call("tellp", tellp);
    twin.call("seekp 2", seekp(2));
    twin.call("tellp", tellp);
    twin.call("<< C", put("C"));
    twin.call("tellp", tellp);
    twin.call("seekp 0 end", seekp(0, ios_base::end));
    twin.call("tellp", tellp);
    twin.call("<< D", put("D"));
    twin.call("flush", flush);
    twin.call("tellp", tellp);
  });
}

template <class StdStream, class MemfsStream>
std::string append_reading_sequence(FileSystem& fs, ios_base::openmode mode) {
  return on_digits<StdStream, MemfsStream>(fs, mode, [](auto& twin) {
    twin.call("tellg", tellg);
    twin.call("get", get);
    twin.call("tellg", tellg);
    twin.call("<< AB", put("AB"));
    twin.call("tellp", tellp);
    twin.call("get", get);
    twin.call("tellg", tellg);
    twin.call("clear", clear);
    twin.call("seekg 3", seekg(3));
    twin.call("read 4", read(4));
    twin.call("tellg", tellg);
    twin.call("<< C", put("C"));
    twin.call("seekg 0", seekg(0));
    twin.call("getline", getline);
  });
}

TEST_P(FstreamDifferentialTest, AppendModesStartWhereLibstdcxxStarts) {
  // tellp is the file size after opening with app (without in), as the fd
  // of std::filebuf's "a" stream starts at the end; 0 with in|app ("a+").
  for (const ios_base::openmode mode :
       {ios_base::app, ios_base::out | ios_base::app,
        ios_base::app | ios_base::binary,
        ios_base::out | ios_base::app | ios_base::binary,
        ios_base::out | ios_base::app | ios_base::ate,
        ios_base::in | ios_base::out | ios_base::app,
        ios_base::in | ios_base::app,
        ios_base::in | ios_base::app | ios_base::binary}) {
    SCOPED_TRACE("mode " + mode_name(mode));
    EXPECT_TRUE(same(append_sequence<std::fstream, fstream>(fs(), mode)));
    if ((mode & ios_base::in) == 0) {
      EXPECT_TRUE(same(append_sequence<std::ofstream, ofstream>(fs(), mode)));
    } else {
      EXPECT_TRUE(
          same(append_reading_sequence<std::fstream, fstream>(fs(), mode)));
    }
  }
}

// A seeded random sequence of stream calls on one fstream in `mode`, on a
// file that starts with 20,000 bytes (empty with trunc). A filebuf is bound
// by the rules of a C FILE (C++17 [filebuf] 30.9.2.1): output is not directly
// followed by input without a flush or a seek in between, and input is not
// directly followed by output without a seek unless it met end-of-file. unget
// comes right after get, peek or a read smaller than the buffers only: after a
// read that went past libstdc++'s buffer (served partly from it, the rest
// read directly), std::filebuf puts back the last byte of its stale buffer,
// not the byte before the position, and reads it again next. Positions while
// appended output is pending are asked after a flush (see below).
std::string random_sequence(FileSystem& fs, ios_base::openmode mode,
                            std::uint64_t seed, int calls) {
  StreamTwin<std::fstream, fstream> twin(fs);
  twin.create("f", pattern(20000, static_cast<std::uint32_t>(seed)));
  twin.open("f", mode);
  std::mt19937_64 rng(seed);
  const auto below = [&rng](std::uint64_t n) { return rng() % n; };
  const auto offset = [&](std::uint64_t span) {
    return static_cast<std::streamoff>(below(2 * span + 1)) -
           static_cast<std::streamoff>(span);
  };
  // Every call starts from a good stream, so that none is skipped by a
  // failed sentry and the order of inputs and outputs is the one above.
  const auto call = [&twin](const std::string& what, auto f) {
    twin.call(what, [f](auto& s) {
      s.clear();
      return f(s);
    });
  };
  enum class Last { none, input, output } last = Last::none;
  bool big_read = false;
  const auto seek = [&] {
    last = Last::none;
    big_read = false;
    const std::streamoff off = offset(25000) + 25000;
    call("seekg " + std::to_string(off), seekg(off));
  };
  for (int i = 0; i < calls && twin.first_divergence().empty(); ++i) {
    // Mostly small transfers (inside both buffers), some larger than them.
    const auto n =
        static_cast<std::streamsize>(below(8) == 0 ? below(70000) : below(300));
    const std::string label = std::to_string(n);
    std::uint64_t kind = below(16);
    std::error_code ec;  // keep the file well under the memory quota
    if ((kind <= 1 || kind == 5) && fs.file_size("/f", ec) > (512u << 10)) {
      kind = 2;  // read, not write
    }
    if (kind == 12 && (last != Last::input || big_read)) {
      kind = 4;  // get, not unget
    }
    const Last io = kind <= 1 || kind == 5 ? Last::output
                    : (kind >= 2 && kind <= 4) || kind == 12 || kind == 13
                        ? Last::input
                        : Last::none;
    if (io == Last::input && last == Last::output) {
      if (below(2) == 0) {
        seek();
      } else {
        call("flush", flush);
      }
    } else if (io == Last::output && last == Last::input && !twin.real_eof()) {
      seek();
    }
    if (io != Last::none) last = io;
    if (io == Last::input) big_read = (kind == 2 || kind == 3) && n >= 300;
    if (kind >= 6 && kind <= 8) {  // seeks
      last = Last::none;
      big_read = false;
    }
    switch (kind) {
      case 0:
      case 1: {
        const std::string data =
            pattern(static_cast<std::size_t>(n), static_cast<std::uint32_t>(i));
        call("write " + label, [data](auto& s) {
          s.write(data.data(), static_cast<std::streamsize>(data.size()));
          return std::string("-");
        });
        break;
      }
      case 2:
      case 3:
        call("read " + label, read(n));
        break;
      case 4:
        call("get", get);
        break;
      case 5: {
        const char c = static_cast<char>(below(256));
        call("put", [c](auto& s) {
          s.put(c);
          return std::string("-");
        });
        break;
      }
      case 6:
        seek();
        break;
      case 7: {
        const std::streamoff off = offset(5000);
        call("seekp cur " + std::to_string(off), seekp(off, ios_base::cur));
        break;
      }
      case 8: {
        const std::streamoff off = offset(3000) - 2000;
        call("seekg end " + std::to_string(off), seekg(off, ios_base::end));
        break;
      }
      case 9:
      case 10:
        // In append modes the position of pending output is where the stream
        // was plus the bytes pending, until a flush moves it to the end; when
        // libstdc++ flushes depends on its buffer (writes of 1 KiB or more go
        // straight out), so ask after a flush.
        if ((mode & ios_base::app) && last == Last::output) {
          call("flush", flush);
        }
        call(kind == 9 ? "tellg" : "tellp", tellg);
        break;
      case 11:
        call("flush", flush);
        if (twin.first_divergence().empty()) twin.compare_contents("f");
        break;
      case 12:
        call("unget", [](auto& s) {
          s.unget();
          return std::string("-");
        });
        break;
      case 13:
        call("peek", [](auto& s) { return std::to_string(s.peek()); });
        break;
      default:
        call("clear", clear);
        break;
    }
  }
  twin.close();
  twin.compare_contents("f");
  if (twin.first_divergence().empty()) return {};
  return "mode " + mode_name(mode) + " seed " + std::to_string(seed) + ": " +
         twin.first_divergence();
}

TEST_P(FstreamDifferentialTest, RandomCallSequencesMatchStdFstream) {
  for (const ios_base::openmode mode :
       {ios_base::in | ios_base::out,
        ios_base::in | ios_base::out | ios_base::trunc,
        ios_base::in | ios_base::out | ios_base::app,
        ios_base::in | ios_base::app, ios_base::in, ios_base::out,
        ios_base::out | ios_base::app}) {
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
      ASSERT_TRUE(same(random_sequence(fs(), mode, seed, 1500)));
    }
  }
}

TEST_P(FstreamDifferentialTest, IfstreamOnADirectoryOpensAndFailsOnRead) {
  for (const ios_base::openmode mode : {ios_base::in, ios_base::binary}) {
    StreamTwin<std::ifstream, ifstream> twin(fs());
    twin.create_directory("dir");
    EXPECT_TRUE(same(twin.open("dir", mode)));
    EXPECT_TRUE(same(twin.call("tellg", tellg)));
    EXPECT_TRUE(same(twin.call("get", get)));
    EXPECT_TRUE(same(twin.call("clear", clear)));
    EXPECT_TRUE(same(twin.call("seekg 0", seekg(0))));
    EXPECT_TRUE(same(twin.call("seekg 5", seekg(5))));
    EXPECT_TRUE(same(twin.call("tellg", tellg)));
    EXPECT_TRUE(same(twin.call("seekg end", seekg(0, ios_base::end))));
    EXPECT_TRUE(same(twin.call("tellg", tellg)));
    EXPECT_TRUE(same(twin.call("clear", clear)));
    EXPECT_TRUE(same(twin.call("getline", getline)));
    EXPECT_TRUE(same(twin.call("clear", clear)));
    EXPECT_TRUE(same(twin.call("read 10", read(10))));
    EXPECT_TRUE(same(twin.call("clear", clear)));
    EXPECT_TRUE(same(twin.call("in_avail", [](auto& s) {
      return std::to_string(s.rdbuf()->in_avail());
    })));
    EXPECT_TRUE(same(twin.call("exceptions(badbit) get", [](auto& s) {
      s.exceptions(ios_base::badbit);
      return std::to_string(s.get());
    })));
    EXPECT_TRUE(same(twin.call("exceptions(none)", [](auto& s) {
      s.exceptions(ios_base::goodbit);
      return std::string("-");
    })));
    EXPECT_TRUE(same(twin.close()));
    EXPECT_TRUE(same(twin.close()));  // a second close fails
  }
  // With ate (seeking to the end fails on a directory), or writing: no open.
  StreamTwin<std::fstream, fstream> twin(fs());
  twin.create_directory("dir");
  for (const ios_base::openmode mode :
       {ios_base::in | ios_base::ate, ios_base::in | ios_base::out,
        ios_base::out, ios_base::app, ios_base::in | ios_base::app}) {
    EXPECT_TRUE(same(twin.open("dir", mode))) << mode_name(mode);
  }
}

}  // namespace
}  // namespace memfs::test
