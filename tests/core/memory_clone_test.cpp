// MemoryFileSystem::clone: the same tree, contents, metadata and limits;
// every operation on either side of a clone leaves the other unchanged
// (property test over seeded random sequences, checked against reference
// filesystems that share nothing); clones of clones, an original destroyed
// first, and clones used on several threads at once.
#include <chrono>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "memfs/memory_file_system.hpp"
#include "test_util.hpp"

namespace memfs::test {
namespace {

using copy_options = std::filesystem::copy_options;

std::uint64_t env_or(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::strtoull(v, nullptr, 10) : fallback;
}

std::string bytes(std::mt19937_64& rng, std::size_t n) {
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>('a' + rng() % 26);
  return s;
}

// Paths, types, contents and usage: what a reference filesystem built by
// replaying the same operations must also show (times and generations are
// left out: a reference copy is made by writing, not cloning).
std::string describe_data(FileSystem& fs) {
  std::string out;
  for (const WalkEntry& e : fs.walk("/")) {
    out += "dir " + e.path + '\n';
    for (const std::string& name : e.files) {
      const std::string path = e.path == "/" ? "/" + name : e.path + "/" + name;
      out += "file " + path + " = " + fs.read_file(path) + '\n';
    }
  }
  const Stats s = fs.stats();
  out += "used=" + std::to_string(s.used) +
         " files=" + std::to_string(s.file_count) +
         " dirs=" + std::to_string(s.directory_count) + '\n';
  return out;
}

MemoryOptions small_quota() {
  MemoryOptions o;
  o.max_quota = 48 * 1024;
  o.max_nodes = 14;
  return o;
}

// A copy that shares nothing: every directory and file written anew.
std::unique_ptr<MemoryFileSystem> deep_copy(FileSystem& fs) {
  auto copy = std::make_unique<MemoryFileSystem>(small_quota());
  for (const WalkEntry& e : fs.walk("/")) {
    copy->create_directories(e.path);
    for (const std::string& name : e.files) {
      const std::string path = e.path == "/" ? "/" + name : e.path + "/" + name;
      copy->write_file(path, fs.read_file(path));
    }
  }
  return copy;
}

TEST(MemoryClone, HasTheSameTreeContentsMetadataAndLimits) {
  auto clock = std::make_shared<ManualClock>();
  MemoryOptions o;
  o.max_quota = 1 << 20;
  o.max_nodes = 100;
  o.lock_on_open = true;
  o.clock = clock;
  MemoryFileSystem fs(o);
  make_tree(fs, {"/a/b/", "/a/f.txt", "/g.bin", "/z/y/x/deep.txt"});
  clock->advance(std::chrono::seconds(5));
  fs.write_file("/g.bin", std::string(100000, 'g'));
  fs.resize_file("/a/f.txt", 3);
  fs.set_quota(1 << 21);
  auto copy = fs.clone();
  EXPECT_EQ(describe_state(*copy), describe_state(fs));
  EXPECT_EQ(copy->stats().quota, 1u << 21);
  EXPECT_EQ(copy->options().max_nodes, std::optional<std::uint64_t>(100));
  EXPECT_TRUE(copy->options().lock_on_open);
  EXPECT_EQ(copy->status("/a/b").modified, fs.status("/a/b").modified);
  // The node cap and the quota hold on the clone as on the original.
  const std::uint64_t free_nodes =
      100 - copy->stats().file_count - copy->stats().directory_count;
  for (std::uint64_t i = 0; i < free_nodes; ++i)
    copy->write_file("/n" + std::to_string(i), "");
  EXPECT_THAT(ec_of([&](auto& ec) { copy->write_file("/one-more", "", ec); }),
              IsErr(errc::node_limit_exceeded));
  EXPECT_THAT(ec_of([&](auto& ec) {
                copy->write_file("/n0", std::string(1 << 21, 'q'), ec);
              }),
              IsErr(errc::quota_exceeded));
}

TEST(MemoryClone, EachSideChargesWhatItHolds) {
  MemoryOptions o;
  o.max_quota = 300000;
  MemoryFileSystem fs(o);
  fs.write_file("/big", std::string(200000, 'b'));
  auto copy = fs.clone();
  EXPECT_EQ(copy->stats().used, 200000u);
  copy->remove("/big");
  EXPECT_EQ(copy->stats().used, 0u);
  EXPECT_EQ(fs.stats().used, 200000u);
  copy->write_file("/other",
                   std::string(250000, 'o'));  // fits in the clone's own quota
  EXPECT_THAT(ec_of([&](auto& ec) {
                fs.write_file("/other", std::string(250000, 'o'), ec);
              }),
              IsErr(errc::quota_exceeded));
}

TEST(MemoryClone, LeavesOutOpenHandlesAndFilesRemovedWhileOpen) {
  MemoryFileSystem fs;
  fs.write_file("/kept", "k");
  fs.write_file("/gone", "g");
  File open_file = fs.open("/kept", "r+");
  File orphan = fs.open("/gone", "r");
  fs.remove("/gone");
  auto copy = fs.clone();
  EXPECT_EQ(copy->stats().open_handles, 0u);
  EXPECT_EQ(copy->stats().used, 1u);
  EXPECT_FALSE(copy->exists("/gone"));
  EXPECT_EQ(open_file.pwrite(0, "K"),
            1u);  // a write through a handle of the original
  EXPECT_EQ(copy->read_file("/kept"), "k");
}

// Handles open while clones are taken (one on a file renamed while open)
// write only their own side's file, before and after the clone is cloned.
TEST(MemoryClone, HandlesOpenAcrossClonesWriteOnlyTheirSide) {
  MemoryFileSystem fs;
  make_tree(fs, {"/d/a.txt", "/d/b.txt"});
  fs.write_file("/d/a.txt", "aaaa");
  fs.write_file("/d/b.txt", "bbbb");
  File a = fs.open("/d/a.txt", "r+");
  fs.rename("/d/a.txt", "/d/moved.txt");
  auto first = fs.clone();
  File b = first->open("/d/b.txt", "r+");
  auto second = first->clone();
  EXPECT_EQ(a.pwrite(0, "A"), 1u);
  EXPECT_EQ(b.pwrite(1, "B"), 1u);
  auto third = fs.clone();  // a second clone of the original, a still open
  EXPECT_EQ(a.pwrite(2, "A"), 1u);
  EXPECT_EQ(fs.read_file("/d/moved.txt"), "AaAa");
  EXPECT_EQ(first->read_file("/d/moved.txt"), "aaaa");
  EXPECT_EQ(second->read_file("/d/moved.txt"), "aaaa");
  EXPECT_EQ(third->read_file("/d/moved.txt"), "Aaaa");
  EXPECT_EQ(first->read_file("/d/b.txt"), "bBbb");
  EXPECT_EQ(second->read_file("/d/b.txt"), "bbbb");
  EXPECT_EQ(fs.read_file("/d/b.txt"), "bbbb");
  EXPECT_FALSE(first->exists("/d/a.txt"));
  // Each side's file ids stay what they were through its own writes.
  const std::uint64_t id = second->status("/d/b.txt").id;
  second->write_file("/d/b.txt", "new");
  EXPECT_EQ(second->status("/d/b.txt").id, id);
  EXPECT_EQ(fs.stats().used, 8u);
  EXPECT_EQ(second->stats().used, 7u);
}

TEST(MemoryClone, CloneOfACloneOutlivesTheOriginals) {
  auto original = std::make_unique<MemoryFileSystem>();
  make_tree(*original, {"/a/b/c.txt", "/d/"});
  original->write_file("/big", std::string(50000, 'x'));
  const std::string picture = describe_state(*original);
  auto first = original->clone();
  auto second = first->clone();
  original.reset();
  first.reset();
  EXPECT_EQ(describe_state(*second), picture);
}

// One side of a pair: a filesystem and its reference (the same operations
// on a filesystem that shares nothing with anyone).
struct Side {
  std::unique_ptr<MemoryFileSystem> fs;
  std::unique_ptr<MemoryFileSystem> reference;
};

class ClonePairRun {
 public:
  explicit ClonePairRun(std::uint64_t seed) : rng_(seed) {
    sides_[0] = {std::make_unique<MemoryFileSystem>(small_quota()),
                 std::make_unique<MemoryFileSystem>(small_quota())};
    reclone(1, 0);
  }

  void run(std::uint64_t steps) {
    for (std::uint64_t i = 0; i < steps && !::testing::Test::HasFailure();
         ++i) {
      SCOPED_TRACE("step " + std::to_string(i));
      const std::size_t side = rng_() % 2;
      const std::size_t roll = rng_() % 100;
      if (roll < 4) {
        reclone(1 - side, side);  // the other side becomes a clone of this one
      } else if (roll < 6) {
        sides_[side].fs.reset();  // destroy one side while its clone lives
        reclone(side, 1 - side);
      } else {
        step(side);
      }
    }
    EXPECT_GT(changes_, steps / 4)
        << "too few operations succeeded to prove much";
  }

 private:
  void reclone(std::size_t to, std::size_t from) {
    sides_[to].fs = sides_[from].fs->clone();
    sides_[to].reference = deep_copy(*sides_[from].reference);
    EXPECT_EQ(describe_state(*sides_[to].fs), describe_state(*sides_[from].fs));
  }

  std::string path() {
    static const char* const kPaths[] = {"/a",   "/b",   "/d", "/d/x",
                                         "/d/y", "/e/z", "/e"};
    return kPaths[rng_() % std::size(kPaths)];
  }

  // One random operation on `side`, replayed on its reference; the other
  // side must not change at all (metadata included).
  void step(std::size_t side) {
    FileSystem& other = *sides_[1 - side].fs;
    const std::string other_before = describe_state(other);
    const std::string p = path();
    const std::string q = path();
    const std::uint64_t op = rng_() % 12;
    const std::uint64_t offset = rng_() % 14000;
    const std::string data = bytes(rng_, rng_() % 9000);
    auto apply = [&](FileSystem& fs) {
      std::error_code ec;
      switch (op) {
        case 0:
          fs.write_file(p, data, ec);
          break;
        case 1:
          fs.resize_file(p, offset, ec);
          break;
        case 2:
          fs.remove(p, ec);
          break;
        case 3:
          fs.rename(p, q, ec);
          break;
        case 4:
          fs.create_directories(p, ec);
          break;
        case 5:
          fs.remove_all(p, ec);
          break;
        case 6:
          fs.copy_file(p, q, copy_options::overwrite_existing, ec);
          break;
        case 7:
          fs.copy(p, q, copy_options::recursive, ec);
          break;
        case 10:
          fs.exchange(p, q, ec);
          break;
        case 11:
          fs.set_modified(p,
                          std::chrono::system_clock::time_point{} +
                              std::chrono::seconds(offset),
                          ec);
          break;
        default: {  // through a handle: a write inside or past the end, or an
                    // append
          File f = fs.open(p, op == 8 ? "r+" : "a", ec);
          if (ec) break;
          if (op == 8) {
            (void)f.pwrite(offset, data.substr(0, 3000), ec);
          } else {
            (void)f.write(data.substr(0, 700), ec);
          }
          break;
        }
      }
      return ec;
    };
    const std::error_code ec = apply(*sides_[side].fs);
    const std::error_code reference_ec = apply(*sides_[side].reference);
    SCOPED_TRACE("op " + std::to_string(op) + " on side " +
                 std::to_string(side) + " " + p + " " + q);
    EXPECT_EQ(ec, reference_ec);
    if (!ec) ++changes_;
    EXPECT_EQ(describe_state(other), other_before);
    EXPECT_EQ(describe_data(*sides_[side].fs),
              describe_data(*sides_[side].reference));
  }

  std::mt19937_64 rng_;
  Side sides_[2];
  std::uint64_t changes_ = 0;
};

TEST(MemoryCloneProperty, EveryOperationOnEitherSideLeavesTheOtherUnchanged) {
  const std::uint64_t steps = env_or("MEMFS_PROPERTY_STEPS", 400);
  if (const char* seed = std::getenv("MEMFS_PROPERTY_SEED")) {
    ClonePairRun(std::strtoull(seed, nullptr, 10)).run(steps);
    return;
  }
  for (std::uint64_t seed = 1; seed <= 12 && !HasFailure(); ++seed) {
    SCOPED_TRACE("MEMFS_PROPERTY_SEED=" + std::to_string(seed));
    ClonePairRun(seed).run(steps);
  }
}

// Clones made and changed on several threads while the golden filesystem is
// cloned by all of them and written through a handle by one more: each
// clone ends with exactly its own changes (run under TSan as well).
TEST(MemoryCloneThreads, ClonesOnSeveralThreadsShareNothingMutable) {
  MemoryFileSystem golden;
  for (int i = 0; i < 20; ++i) {
    golden.write_file("/f" + std::to_string(i),
                      std::string(9000, static_cast<char>('a' + i)));
  }
  golden.write_file("/busy", std::string(9000, 'b'));
  const std::string golden_files = describe_data(golden);
  std::vector<std::thread> threads;
  std::atomic<bool> failed{false};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&golden, &failed, t] {
      std::unique_ptr<MemoryFileSystem> mine = golden.clone();
      for (int round = 0; round < 30; ++round) {
        const std::string name = "/f" + std::to_string((t * 7 + round) % 20);
        File f = mine->open(name, "r+");
        const std::string tag = "T" + std::to_string(t);
        EXPECT_EQ(f.pwrite(static_cast<std::uint64_t>(round * 100), tag),
                  tag.size());
        f.close();
        if (round % 10 == 9)
          mine = mine->clone();  // a clone of a clone, the old one gone
      }
      for (int i = 0; i < 20; ++i) {
        const std::string name = "/f" + std::to_string(i);
        const std::string got = mine->read_file(name);
        for (std::size_t pos = 0; pos < got.size(); ++pos) {
          const char c = got[pos];
          if (c != static_cast<char>('a' + i) && c != 'T' &&
              (c < '0' || c > '9')) {
            failed = true;
          }
        }
      }
    });
  }
  threads.emplace_back([&golden] {
    File f = golden.open("/busy", "r+");
    for (int i = 0; i < 200; ++i)
      EXPECT_EQ(f.pwrite(static_cast<std::uint64_t>(i * 40), "w"), 1u);
  });
  for (auto& th : threads) th.join();
  EXPECT_FALSE(failed);
  // The golden tree saw only its own writes to /busy.
  std::string expected_busy(9000, 'b');
  for (int i = 0; i < 200; ++i)
    expected_busy[static_cast<std::size_t>(i * 40)] = 'w';
  EXPECT_EQ(golden.read_file("/busy"), expected_busy);
  golden.write_file("/busy", std::string(9000, 'b'));
  EXPECT_EQ(describe_data(golden), golden_files);
}

}  // namespace
}  // namespace memfs::test
