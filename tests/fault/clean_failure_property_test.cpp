// Property: an injected failure leaves the filesystem exactly as if the real
// system had refused the call, and a short write writes exactly what it
// reports. Random operation sequences run under random rules (fixed seeds,
// so every run is the same); after each injected failure the tree, the file
// metadata and the stats must equal what they were before the call.
#include <algorithm>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "fault_fixture.hpp"

namespace memfs::test {
namespace {

class CleanFailureTest : public FaultTest {
 protected:
  // Everything a failed call must not change.
  struct Snapshot {
    ExportedTree tree;
    std::vector<std::tuple<std::string, std::uint64_t, std::uint64_t>> files;
    Stats stats;
    std::size_t logged = 0;  // log entries so far
  };

  Snapshot snapshot() {
    Snapshot s;
    s.tree = fs().export_tree();
    for (const auto& [path, data] : s.tree.files) {
      const FileStatus st = fs().status(path);
      s.files.emplace_back(path, st.size, st.generation);
    }
    s.stats = fs().stats();
    s.logged = faults().log().size();
    return s;
  }

  static void expect_same(const Snapshot& a, const Snapshot& b,
                          const std::string& what) {
    EXPECT_EQ(a.tree.files, b.tree.files) << what;
    EXPECT_EQ(a.tree.empty_directories, b.tree.empty_directories) << what;
    EXPECT_EQ(a.files, b.files) << what;
    EXPECT_EQ(a.stats.used, b.stats.used) << what;
    EXPECT_EQ(a.stats.file_count, b.stats.file_count) << what;
    EXPECT_EQ(a.stats.directory_count, b.stats.directory_count) << what;
    EXPECT_EQ(a.stats.open_handles, b.stats.open_handles) << what;
  }

  void TearDown() override {
    kept_.close();
    FaultTest::TearDown();
  }

  std::mt19937_64 rng_;
  File kept_;
  bool whole_file_ = false;  // the last op was write_file

  std::size_t pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }
  template <class T, std::size_t N>
  const T& pick(const T (&items)[N]) {
    return items[pick(N)];
  }

  // A random rule over the operations below (stat is never faulted: the
  // snapshots use it).
  std::string random_rule() {
    static const char* const kOps[] = {
        "write",  "truncate", "create",
        "remove", "rename",   "copy",
        "open",   "writes",   "create,remove,rename,copy,list"};
    static const char* const kGlobs[] = {"/**", "/d/**", "/f?", "/d/*",
                                         "/**/g*"};
    static const char* const kCodes[] = {"EIO", "quota_exceeded", "EACCES",
                                         "node_limit_exceeded", "EROFS"};
    std::string trigger;
    switch (pick(4)) {
      case 0:
        trigger = "always";
        break;
      case 1:
        trigger = "nth=" + std::to_string(1 + pick(4));
        break;
      case 2:
        trigger = "every=" + std::to_string(1 + pick(3));
        break;
      default:
        trigger = "probability=0.4 seed=" + std::to_string(pick(1000));
    }
    std::string ops = pick(kOps);
    std::string action = std::string("fail=") + pick(kCodes);
    if (ops == "write" && pick(2) == 0)
      action = "short=" + std::to_string(pick(4));
    return ops + " " + pick(kGlobs) + " " + trigger + " " + action;
  }

  std::string random_path() {
    static const char* const kPaths[] = {"/f1",     "/f2", "/d/f3", "/d/g4",
                                         "/d/e/g5", "/d",  "/d/e",  "/g6"};
    return pick(kPaths);
  }

  // Runs one random operation, taking `before` just ahead of its last call
  // (the one rules may fail); returns its description.
  std::string random_op(Snapshot& before, std::error_code& ec,
                        std::size_t& reported, std::string& written) {
    const std::string p = random_path(), q = random_path();
    const std::string data(1 + pick(40), static_cast<char>('a' + pick(26)));
    reported = 0;
    written.clear();
    whole_file_ = false;
    kept_.close();  // the previous call's handle, kept for its snapshot
    const std::size_t op = pick(9);
    if (op == 1) {
      before = snapshot();
      File f = fs().open(p, "a", ec);
      if (ec) return "open a " + p;
      before = snapshot();
      reported = f.write(data, ec);
      written = data.substr(0, reported);
      kept_ = std::move(f);
      return "append " + p;
    }
    before = snapshot();
    switch (op) {
      case 0:
        fs().write_file(p, data, ec);
        written = data;
        whole_file_ = true;
        return "write_file " + p;
      case 2:
        fs().resize_file(p, pick(64), ec);
        return "resize_file " + p;
      case 3:
        fs().create_directories(p, ec);
        return "create_directories " + p;
      case 4:
        fs().remove(p, ec);
        return "remove " + p;
      case 5:
        fs().rename(p, q, ec);
        return "rename " + p + " " + q;
      case 6:
        fs().copy_file(p, q, std::filesystem::copy_options::overwrite_existing,
                       ec);
        return "copy_file " + p + " " + q;
      case 7: {
        kept_ = fs().open(p, "w", ec);
        return "open w " + p;
      }
      default:
        fs().remove_all(p, ec);
        return "remove_all " + p;
    }
  }
};
MEMFS_INSTANTIATE_FAULT_TEST(CleanFailureTest);

TEST_P(CleanFailureTest, InjectedFailuresChangeNothing) {
  int injected = 0, shorts = 0, refused_shorts = 0;
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    rng_.seed(seed);
    faults().clear();
    for (int step = 0; step < 150; ++step) {
      if (step % 25 == 0) {
        faults().clear();
        for (std::size_t r = 0, n = 1 + pick(3); r < n; ++r)
          faults().add(random_rule());
      }
      Snapshot before;
      std::error_code ec;
      std::size_t reported = 0;
      std::string written;
      const std::string what = random_op(before, ec, reported, written) +
                               " (seed " + std::to_string(seed) + ", step " +
                               std::to_string(step) + ")";
      const auto log = faults().log();
      if (log.size() == before.logged) continue;  // nothing fired
      const FaultLogEntry& last = log.back();
      if (ec && last.action.rfind("fail=", 0) == 0) {
        ++injected;
        expect_same(before, snapshot(), what + " after " + last.rule);
      } else if (ec && whole_file_ && last.action.rfind("short=", 0) == 0) {
        // write_file is all or nothing: a short write fails it cleanly.
        ++refused_shorts;
        EXPECT_EQ(ec, errc::injected_fault) << what;
        expect_same(before, snapshot(), what + " after " + last.rule);
      } else if (last.action.rfind("short=", 0) == 0 && !ec &&
                 !written.empty()) {
        ++shorts;
        // The smallest limit of this call's firings applies.
        std::size_t k = written.size();
        for (std::size_t i = before.logged; i < log.size(); ++i) {
          k = std::min<std::size_t>(k, std::stoul(log[i].action.substr(6)));
        }
        const std::string path = last.path;
        const auto it = before.tree.files.find(path);
        const std::string old = it == before.tree.files.end() ? "" : it->second;
        // write_file went through only if k covered all of it; an append
        // adds exactly the bytes it reported.
        EXPECT_EQ(fs().read_file(path), whole_file_ ? written : old + written)
            << what;
        if (whole_file_) {
          EXPECT_GE(k, written.size()) << what;
        } else {
          EXPECT_EQ(reported, k) << what;
        }
      }
    }
  }
  // The generator must actually exercise both properties.
  EXPECT_GT(injected, 100);
  EXPECT_GT(shorts, 1);  // appends (most short writes hit write_file)
  EXPECT_GT(refused_shorts, 5);
}

}  // namespace
}  // namespace memfs::test
