// The second random driver: the same random std::fstream / std::filesystem
// sequences on a mount and on /dev/shm, compared call by call and by final
// tree. MEMFS_TEST_SEED=<n> replays one seed.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "intercept/support.hpp"

namespace memfs_test {
namespace {

namespace stdfs = std::filesystem;

class RandomStreams : public InterceptTest {};

const char* const kStreamPaths[] = {"a",   "b",   "d",     "e",   "d/a",
                                    "d/b", "d/e", "d/e/a", "a/x", "d/e/f/g"};

void run_stream_ops(const std::string& root, std::uint32_t seed, int count,
                    Trace& tr) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) {
    return static_cast<int>(rng() % static_cast<unsigned>(n));
  };
  std::string args;
  auto path = [&] {
    const char* rel =
        kStreamPaths[pick(static_cast<int>(std::size(kStreamPaths)))];
    args += std::string(" ") + rel;
    return stdfs::path(root) / rel;
  };
  auto rec = [&](int op, const std::string& result, const std::error_code& ec) {
    tr.note(std::to_string(op) + args + ": " + result +
            (ec ? " " + Trace::errno_name(ec.value()) : ""));
  };
  for (int i = 0; i < count; ++i) {
    int op = pick(14);
    args.clear();
    std::error_code ec;
    switch (op) {
      case 0: {  // write a file
        bool app = pick(2) == 0;
        std::ofstream out(path(), app ? std::ios::app : std::ios::trunc);
        std::string data(static_cast<std::size_t>(pick(40)),
                         static_cast<char>('a' + pick(26)));
        out << data;
        out.close();
        rec(op, out.fail() ? "fail" : "ok", ec);
        break;
      }
      case 1: {  // read a file whole
        std::ifstream in(path(), std::ios::binary);
        std::stringstream ss;
        if (in) ss << in.rdbuf();
        rec(op, in.is_open() ? "[" + ss.str() + "]" : "closed", ec);
        break;
      }
      case 2: {  // overwrite in the middle
        std::fstream io(path(), std::ios::in | std::ios::out);
        if (io) {
          io.seekp(pick(20));
          io << "MID";
        }
        io.close();
        rec(op, io.fail() ? "fail" : "ok", ec);
        break;
      }
      case 3:  // rec() reads ec after the call has set it
        rec(op, std::to_string(stdfs::create_directories(path(), ec)), ec);
        break;
      case 4:
        rec(op, std::to_string(stdfs::create_directory(path(), ec)), ec);
        break;
      case 5:
        rec(op, std::to_string(stdfs::remove(path(), ec)), ec);
        break;
      case 6:
        rec(op,
            std::to_string(
                static_cast<long long>(stdfs::remove_all(path(), ec))),
            ec);
        break;
      case 7: {
        stdfs::path from = path();
        stdfs::rename(from, path(), ec);
        rec(op, "", ec);
        break;
      }
      case 8: {
        static const stdfs::copy_options opts[] = {
            stdfs::copy_options::none, stdfs::copy_options::skip_existing,
            stdfs::copy_options::overwrite_existing};
        stdfs::path from = path();
        bool copied = stdfs::copy_file(from, path(), opts[pick(3)], ec);
        rec(op, std::to_string(copied), ec);
        break;
      }
      case 9: {
        stdfs::resize_file(path(), static_cast<std::uintmax_t>(pick(30)), ec);
        rec(op, "", ec);
        break;
      }
      case 10: {
        auto n = stdfs::file_size(path(), ec);
        rec(op, ec ? "" : std::to_string(n), ec);
        break;
      }
      case 11: {
        stdfs::file_status st = stdfs::status(path(), ec);
        rec(op, std::to_string(static_cast<int>(st.type())), ec);
        break;
      }
      case 12: {
        stdfs::path dir = path();
        std::vector<std::string> names;
        for (stdfs::recursive_directory_iterator it(dir, ec), end;
             !ec && it != end; it.increment(ec))
          names.push_back(it->path().lexically_relative(dir).string());
        std::sort(names.begin(), names.end());
        std::string all;
        for (auto& n : names) all += n + " ";
        rec(op, all, ec);
        break;
      }
      case 13: {
        // A recursive copy that stops half way leaves what it copied
        // before the error, which depends on the order directories are read
        // in (tmpfs: newest first; memfs: sorted). Only copies into a new
        // destination outside the source are compared.
        stdfs::path from = path();
        stdfs::path to = path();
        std::string f = from.string() + "/", t = to.string() + "/";
        if (stdfs::exists(to, ec) || t.compare(0, f.size(), f) == 0 ||
            f.compare(0, t.size(), t) == 0)
          break;
        stdfs::copy(from, to, stdfs::copy_options::recursive, ec);
        rec(op, "", ec);
        break;
      }
    }
  }
}

TEST_F(RandomStreams, FstreamAndFilesystemSequencesMatchTmpfs) {
  int ops = 1500;  // MEMFS_TEST_OPS=<n> stops early, to bisect a divergence
  if (const char* n = std::getenv("MEMFS_TEST_OPS")) ops = std::atoi(n);
  differential_seeds(
      {1, 2, 3}, [&](const std::string& root, std::uint32_t seed, Trace& tr) {
        run_stream_ops(root, seed, ops, tr);
      });
}

}  // namespace
}  // namespace memfs_test
