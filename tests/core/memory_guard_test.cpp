// MemoryFileSystem: the memory guard. Available memory is injected through
// MemoryOptions::available_memory, so these tests never depend on the host.
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "memfs/memory_file_system.hpp"
#include "test_util.hpp"

namespace memfs::test {
namespace {

using ::testing::IsEmpty;
using ::testing::SizeIs;

// The injected host: how much memory it reports, how often it was asked, and
// the warnings the guard sent.
struct FakeHost {
  std::shared_ptr<std::atomic<std::uint64_t>> available =
      std::make_shared<std::atomic<std::uint64_t>>(0);
  std::shared_ptr<std::atomic<int>> queries =
      std::make_shared<std::atomic<int>>(0);
  std::shared_ptr<std::vector<std::string>> warnings =
      std::make_shared<std::vector<std::string>>();

  MemoryOptions options(MemoryGuardMode mode, MemoryGuardAction action,
                        std::uint64_t quota) const {
    MemoryOptions o;
    o.max_quota = quota;
    o.memory_guard = mode;
    o.memory_guard_action = action;
    o.memory_guard_interval = std::chrono::nanoseconds(0);
    o.available_memory = [avail = available, q = queries] {
      ++*q;
      return std::optional<std::uint64_t>(avail->load());
    };
    o.on_warning = [w = warnings](std::string_view message) {
      w->emplace_back(message);
    };
    return o;
  }
};

TEST(MemoryGuard, NoneNeverAsksTheHost) {
  FakeHost host;
  host.available->store(10);
  MemoryFileSystem fs(
      host.options(MemoryGuardMode::none, MemoryGuardAction::fail, 1000));
  fs.write_file("/f", std::string(500, 'x'));
  EXPECT_EQ(*host.queries, 0);
  EXPECT_THAT(*host.warnings, IsEmpty());
}

TEST(MemoryGuard, InitWarnsWhenTheQuotaExceedsAvailableMemory) {
  FakeHost host;
  host.available->store(100);
  MemoryFileSystem fs(
      host.options(MemoryGuardMode::init, MemoryGuardAction::warn, 200));
  ASSERT_THAT(*host.warnings, SizeIs(1));
  EXPECT_FALSE(host.warnings->front().empty());
  fs.write_file("/f", std::string(150, 'x'));  // init checks only once
  EXPECT_THAT(*host.warnings, SizeIs(1));
}

TEST(MemoryGuard, InitFailsTheConstructorWhenAskedTo) {
  FakeHost host;
  host.available->store(100);
  auto e = catch_as<filesystem_error>([&] {
    MemoryFileSystem fs(
        host.options(MemoryGuardMode::init, MemoryGuardAction::fail, 200));
  });
  ASSERT_TRUE(e.has_value());
  EXPECT_THAT(e->code(), IsErr(memfs::errc::memory_guard));
  EXPECT_THAT(e->code(), IsErr(std::errc::not_enough_memory));
}

TEST(MemoryGuard, InitIsQuietWhenMemoryIsPlentifulOrUnknown) {
  FakeHost host;
  host.available->store(1000);
  MemoryFileSystem fs(
      host.options(MemoryGuardMode::init, MemoryGuardAction::fail, 200));
  EXPECT_THAT(*host.warnings, IsEmpty());
  MemoryOptions unknown =
      host.options(MemoryGuardMode::init, MemoryGuardAction::fail, 200);
  unknown.available_memory = [] { return std::optional<std::uint64_t>(); };
  MemoryFileSystem fs2(unknown);
  EXPECT_EQ(fs2.available_memory(), std::nullopt);
}

TEST(MemoryGuard, AvailableMemoryReportsTheInjectedValue) {
  FakeHost host;
  host.available->store(12345);
  MemoryFileSystem fs(
      host.options(MemoryGuardMode::none, MemoryGuardAction::warn, 200));
  EXPECT_EQ(fs.available_memory(), std::optional<std::uint64_t>(12345));
}

class MemoryGuardPerWrite : public ::testing::Test {
 protected:
  // Plenty of memory at construction, then only 100 bytes.
  void make(MemoryGuardAction action) {
    host_.available->store(1u << 20);
    fs_ = std::make_unique<MemoryFileSystem>(
        host_.options(MemoryGuardMode::per_write, action, 1u << 16));
    fs_->write_file("/f", "before");
    host_.available->store(100);
  }
  FakeHost host_;
  std::unique_ptr<MemoryFileSystem> fs_;
};

TEST_F(MemoryGuardPerWrite, FailRefusesAGrowingWriteAndChangesNothing) {
  make(MemoryGuardAction::fail);
  File f = fs_->open("/f", "a");
  const std::string before = describe_state(*fs_);
  std::error_code ec;
  EXPECT_EQ(f.write(std::string(200, 'x'), ec), 0u);
  EXPECT_THAT(ec, IsErr(memfs::errc::memory_guard));
  EXPECT_EQ(f.tell(), 0u);
  EXPECT_EQ(describe_state(*fs_), before);
  f.truncate(1000, ec);
  EXPECT_THAT(ec, IsErr(memfs::errc::memory_guard));
  fs_->write_file("/g", std::string(200, 'g'), ec);
  EXPECT_THAT(ec, IsErr(memfs::errc::memory_guard));
  fs_->import_tree({{"/h", std::string(200, 'h')}}, ec);
  EXPECT_THAT(ec, IsErr(memfs::errc::memory_guard));
  fs_->copy_file("/f", "/f2", std::filesystem::copy_options::none, ec);
  EXPECT_THAT(ec, Succeeded());  // 6 bytes fit in 100
  fs_->remove("/f2");
  EXPECT_EQ(describe_state(*fs_), before);
}

TEST_F(MemoryGuardPerWrite, SmallWritesAndShrinksStillWork) {
  make(MemoryGuardAction::fail);
  File f = fs_->open("/f", "r+");
  EXPECT_EQ(f.pwrite(0, std::string(6, 'o')), 6u);    // no growth
  EXPECT_EQ(f.pwrite(6, std::string(50, 'x')), 50u);  // 50 bytes fit in 100
  f.truncate(1);
  EXPECT_EQ(fs_->read_file("/f"), "o");
}

TEST_F(MemoryGuardPerWrite, WarnReportsAndGoesOn) {
  make(MemoryGuardAction::warn);
  ASSERT_THAT(*host_.warnings, IsEmpty());
  fs_->write_file("/g", std::string(200, 'g'));
  EXPECT_EQ(fs_->file_size("/g"), 200u);
  ASSERT_THAT(*host_.warnings, SizeIs(1));
  EXPECT_FALSE(host_.warnings->front().empty());
}

TEST(MemoryGuard, PerWriteReusesAReadingForItsInterval) {
  FakeHost host;
  host.available->store(1u << 20);
  MemoryOptions o =
      host.options(MemoryGuardMode::per_write, MemoryGuardAction::fail, 1000);
  o.memory_guard_interval = std::chrono::hours(1);
  MemoryFileSystem fs(o);
  const int after_init = *host.queries;
  for (int i = 0; i < 10; ++i) fs.write_file("/f" + std::to_string(i), "x");
  EXPECT_LE(*host.queries - after_init, 1);
}

}  // namespace
}  // namespace memfs::test
