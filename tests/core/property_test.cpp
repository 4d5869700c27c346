// Property tests: seeded random sequences of operations on a small
// MemoryFileSystem (small quota, small node cap, a few paths) so that many
// operations fail. After every step:
//   - stats().used == the sizes of the reachable files + the sizes of the
//     removed files that handles still hold (tracked by a small model);
//   - file_count / directory_count == what a walk finds, within max_nodes;
//   - the files a walk finds are exactly the ones the model expects;
//   - a failing operation changed nothing: the whole observable state
//     (contents, sizes, generations, times, counters) and every handle's
//     cursor and size are as before.
// MEMFS_PROPERTY_SEED=<n> replays one seed; MEMFS_PROPERTY_STEPS=<n> changes
// the run length.
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "memfs/memory_file_system.hpp"
#include "memfs/path.hpp"
#include "test_util.hpp"

namespace memfs::test {
namespace {

using copy_options = std::filesystem::copy_options;

constexpr std::uint64_t kQuota = 1000;
constexpr std::uint64_t kMaxNodes = 12;
constexpr std::size_t kMaxHandles = 4;

std::uint64_t env_or(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::strtoull(v, nullptr, 10) : fallback;
}

// An open handle and the identity of the file it holds.
struct Handle {
  File file;
  int inode = 0;
};

class PropertyRun {
 public:
  explicit PropertyRun(std::uint64_t seed) : rng_(seed), fs_(options()) {}

  // Runs `steps` random operations, checking the invariants after each.
  void run(std::uint64_t steps) {
    for (std::uint64_t i = 0; i < steps; ++i) {
      SCOPED_TRACE("step " + std::to_string(i));
      step();
      if (::testing::Test::HasFailure()) return;
      check_invariants();
      if (::testing::Test::HasFailure()) return;
    }
    handles_.clear();
    check_invariants();
    // The run is only worth something if the limits were actually hit.
    EXPECT_GT(failures_[error_name(make_error_code(errc::quota_exceeded))], 0);
    EXPECT_GT(failures_[error_name(make_error_code(errc::node_limit_exceeded))],
              0);
  }

 private:
  static MemoryOptions options() {
    MemoryOptions o;
    o.max_quota = kQuota;
    o.max_nodes = kMaxNodes;
    return o;
  }

  std::size_t pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }
  std::uint64_t upto(std::uint64_t n) {
    return std::uniform_int_distribution<std::uint64_t>(0, n)(rng_);
  }
  // A path over a tiny namespace: /a, /b/c, /c/a/b, ... and sometimes "/".
  std::string path() {
    if (pick(30) == 0) return "/";
    std::string p;
    const std::size_t depth = 1 + pick(3);
    for (std::size_t i = 0; i < depth; ++i) {
      p += '/';
      p += "abc"[pick(3)];
    }
    return p;
  }
  std::string data() {
    return std::string(upto(400), static_cast<char>('a' + pick(26)));
  }
  copy_options option() {
    const copy_options all[] = {copy_options::none, copy_options::skip_existing,
                                copy_options::overwrite_existing};
    return all[pick(3)];
  }

  // --- the model: which file identity each reachable path holds -------------

  static bool within(const std::string& ancestor, const std::string& path) {
    return is_within(ancestor, path);
  }
  bool held_by_a_handle(int inode) const {
    for (const Handle& h : handles_) {
      if (h.inode == inode) return true;
    }
    return false;
  }
  // True when a file at or below `p` is open (replacing it would make the
  // model ambiguous: in place or a new file?).
  bool open_under(const std::string& p) const {
    for (const auto& [file, inode] : inode_of_) {
      if (within(p, file) && held_by_a_handle(inode)) return true;
    }
    return false;
  }
  void forget_under(const std::string& p) {
    for (auto it = inode_of_.begin(); it != inode_of_.end();) {
      it = within(p, it->first) ? inode_of_.erase(it) : std::next(it);
    }
  }
  // Gives every file below `p` that the filesystem has a fresh identity.
  void renew_under(const std::string& p) {
    forget_under(p);
    std::error_code ec;
    if (fs_.is_regular_file(p, ec)) {
      inode_of_[p] = next_inode_++;
      return;
    }
    for (const WalkEntry& e : fs_.walk(p, ec)) {
      for (const std::string& f : e.files) {
        inode_of_[join_path(e.path, f)] = next_inode_++;
      }
    }
  }
  void model_rename(const std::string& from, const std::string& to) {
    if (from == to) return;
    std::map<std::string, int> moved;
    for (const auto& [file, inode] : inode_of_) {
      if (within(from, file)) moved[to + file.substr(from.size())] = inode;
    }
    forget_under(from);
    forget_under(to);
    inode_of_.insert(moved.begin(), moved.end());
  }

  // --- one random step ------------------------------------------------------

  // What a failed operation must leave untouched: the tree and the handles.
  std::string snapshot() {
    std::string s = describe_state(fs_);
    for (Handle& h : handles_) {
      std::error_code ec;
      s += "handle tell=" + std::to_string(h.file.tell(ec)) +
           " size=" + std::to_string(h.file.size(ec)) + "\n";
    }
    return s;
  }

  void step() {
    if (handles_.size() == kMaxHandles) close_handle(pick(kMaxHandles));
    const std::string before = snapshot();
    std::error_code ec;
    std::string what;
    apply(ec, what);
    if (ec) {
      ++failures_[error_name(ec)];
      EXPECT_EQ(snapshot(), before)
          << what << " failed with " << error_name(ec) << " but changed state";
    }
  }

  void close_handle(std::size_t i) {
    handles_.erase(handles_.begin() + static_cast<std::ptrdiff_t>(i));
  }

  // Performs one operation (or nothing, when the model could not follow it)
  // and updates the model when it succeeded.
  void apply(std::error_code& ec, std::string& what) {
    const std::string p = normalize_path(path()).value;
    const std::string q = normalize_path(path()).value;
    switch (pick(15)) {
      case 0: {
        if (open_under(p)) return;
        what = "write_file " + p;
        fs_.write_file(p, data(), ec);
        if (!ec) inode_of_[p] = next_inode_++;
        return;
      }
      case 1: {
        const char* modes[] = {"r", "r+", "w", "w+", "a", "a+", "wx", "ax"};
        const char* mode = modes[pick(8)];
        what = std::string("open ") + p + " " + mode;
        File f = fs_.open(p, mode, ec);
        if (ec) return;
        if (inode_of_.count(p) == 0) inode_of_[p] = next_inode_++;
        handles_.push_back(Handle{std::move(f), inode_of_[p]});
        return;
      }
      case 2:
      case 3:
      case 4:
      case 5:
        return handle_op(ec, what);
      case 6:
        what = "create_directory " + p;
        fs_.create_directory(p, ec);
        return;
      case 7:
        what = "create_directories " + p;
        fs_.create_directories(p, ec);
        return;
      case 8:
        what = "remove " + p;
        if (fs_.remove(p, ec)) forget_under(p);
        return;
      case 9:
        what = "remove_all " + p;
        fs_.remove_all(p, ec);
        if (!ec) forget_under(p);
        return;
      case 10:
        what = "rename " + p + " " + q;
        fs_.rename(p, q, ec);
        if (!ec) model_rename(p, q);
        return;
      case 11:
        if (open_under(q)) return;
        what = "copy_file " + p + " " + q;
        if (fs_.copy_file(p, q, option(), ec)) inode_of_[q] = next_inode_++;
        return;
      case 12:
        if (open_under(q)) return;
        what = "copy " + p + " " + q;
        fs_.copy(p, q, option(), ec);
        if (!ec) renew_under(q);
        return;
      case 13:
        what = "resize_file " + p;
        fs_.resize_file(p, upto(600), ec);
        return;
      default:
        return import(ec, what);
    }
  }

  void import(std::error_code& ec, std::string& what) {
    std::map<std::string, std::string> files;
    const std::size_t n = 1 + pick(3);
    for (std::size_t i = 0; i < n; ++i) {
      const std::string p = path();
      if (open_under(normalize_path(p).value)) return;
      files[p] = data();
    }
    what = "import_tree of " + std::to_string(files.size()) + " from " +
           files.begin()->first;
    fs_.import_tree(files, ec);
    if (ec) return;
    for (const auto& entry : files) {
      inode_of_[normalize_path(entry.first).value] = next_inode_++;
    }
  }

  void handle_op(std::error_code& ec, std::string& what) {
    if (handles_.empty()) return;
    const std::size_t i = pick(handles_.size());
    File& f = handles_[i].file;
    const std::uint64_t offset = upto(600);
    switch (pick(7)) {
      case 0:
        what = "write via " + f.path();
        (void)f.write(data(), ec);
        break;
      case 1:
        what = "pwrite via " + f.path() + " at " + std::to_string(offset);
        (void)f.pwrite(offset, data(), ec);
        break;
      case 2:
        what = "truncate via " + f.path() + " to " + std::to_string(offset);
        f.truncate(offset, ec);
        break;
      case 3:
        what = "seek via " + f.path() + " to " + std::to_string(offset);
        f.seek(static_cast<std::int64_t>(offset), Whence::set, ec);
        break;
      case 4:
        what = "read via " + f.path();
        (void)f.read(upto(100), ec);
        break;
      case 5:
        what = "close " + f.path();
        close_handle(i);
        break;
      default:
        what = "seek back via " + f.path();
        f.seek(-static_cast<std::int64_t>(offset), Whence::cur, ec);
        break;
    }
  }

  // --- the invariants --------------------------------------------------------

  void check_invariants() {
    std::set<std::string> reachable;
    std::uint64_t directories = 0;
    std::uint64_t bytes = 0;
    for (const WalkEntry& e : fs_.walk("/")) {
      ++directories;
      for (const std::string& name : e.files) {
        const std::string file = join_path(e.path, name);
        reachable.insert(file);
        bytes += fs_.file_size(file);
      }
    }
    std::set<std::string> expected;
    std::set<int> live;
    for (const auto& [file, inode] : inode_of_) {
      expected.insert(file);
      live.insert(inode);
    }
    ASSERT_EQ(reachable, expected) << "the tree differs from the model";
    std::set<int> counted;  // removed files still held, each counted once
    for (Handle& h : handles_) {
      if (live.count(h.inode) == 0 && counted.insert(h.inode).second) {
        bytes += h.file.size();
      }
    }
    const Stats s = fs_.stats();
    EXPECT_EQ(s.used, bytes) << "used bytes differ from the bytes held";
    EXPECT_LE(s.used, kQuota);
    EXPECT_EQ(s.free, kQuota - s.used);
    EXPECT_EQ(s.file_count, reachable.size());
    EXPECT_EQ(s.directory_count, directories);
    EXPECT_LE(s.file_count + s.directory_count, kMaxNodes);
    EXPECT_EQ(s.open_handles, handles_.size());
  }

  std::mt19937_64 rng_;
  MemoryFileSystem fs_;
  std::vector<Handle> handles_;  // destroyed before fs_ (declared after it)
  std::map<std::string, int> inode_of_;
  std::map<std::string, int> failures_;  // by error, for the final check
  int next_inode_ = 0;
};

TEST(Property, RandomOperationSequencesKeepTheInvariants) {
  const std::uint64_t steps = env_or("MEMFS_PROPERTY_STEPS", 1500);
  std::vector<std::uint64_t> seeds = {1, 2, 3, 4};
  if (std::getenv("MEMFS_PROPERTY_SEED") != nullptr) {
    seeds = {env_or("MEMFS_PROPERTY_SEED", 0)};
  }
  for (std::uint64_t seed : seeds) {
    SCOPED_TRACE("seed " + std::to_string(seed) +
                 " (replay: MEMFS_PROPERTY_SEED=" + std::to_string(seed) + ")");
    PropertyRun(seed).run(steps);
    if (HasFailure()) return;
  }
}

}  // namespace
}  // namespace memfs::test
