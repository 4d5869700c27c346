// Every action, on every backend: what a firing does to the call, and that
// it leaves the filesystem as a refused call would.
#include <chrono>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "fault_fixture.hpp"

namespace memfs::test {
namespace {

class ActionTest : public FaultTest {};
MEMFS_INSTANTIATE_FAULT_TEST(ActionTest);

struct NamedAction {
  Action action;
  std::error_code expected;
};

TEST_P(ActionTest, FailHelpersGiveTheirCodes) {
  const NamedAction cases[] = {
      {Action::quota_exceeded(), errc::quota_exceeded},
      {Action::node_limit_exceeded(), errc::node_limit_exceeded},
      {Action::lock_timeout(), errc::lock_timeout},
      {Action::io_error(), std::make_error_code(std::errc::io_error)},
      {Action::permission_denied(),
       std::make_error_code(std::errc::permission_denied)},
      {Action::read_only_file_system(),
       std::make_error_code(std::errc::read_only_file_system)},
      {Action::too_many_files_open(),
       std::make_error_code(std::errc::too_many_files_open)},
      {Action::file_too_large(),
       std::make_error_code(std::errc::file_too_large)},
      {Action::fail(std::error_code(77, std::system_category())),
       std::error_code(77, std::system_category())},
  };
  for (const auto& c : cases) {
    auto guard = faults().scoped({Op::open, "/a", Trigger::always(), c.action});
    std::error_code ec;
    File f = fs().open("/a", "w", ec);
    EXPECT_EQ(ec, c.expected) << to_string(c.action);
    EXPECT_FALSE(f.is_open());
    EXPECT_FALSE(fs().exists("/a"));
  }
}

TEST_P(ActionTest, ThrowingFormsThrowTheMatchingException) {
  faults().add("write /q always fail=quota_exceeded");
  faults().add("lock /l always fail=lock_timeout");
  faults().add("stat /s always fail=EACCES");
  EXPECT_THROW(fs().write_file("/q", "x"), quota_exceeded_error);
  File l = fs().open("/l", "w");
  EXPECT_THROW(l.lock(LockMode::exclusive), lock_timeout_error);
  try {
    (void)fs().status("/s");
    ADD_FAILURE() << "no exception";
  } catch (const filesystem_error& e) {
    EXPECT_EQ(e.code(), std::errc::permission_denied);
    EXPECT_EQ(e.operation(), "status");
  }
}

TEST_P(ActionTest, ShortWriteWritesExactlyKBytes) {
  faults().add("write /a once short=3");
  File f = fs().open("/a", "w+");
  EXPECT_EQ(f.write("abcdefgh"), 3u);
  EXPECT_EQ(f.tell(), 3u);
  EXPECT_EQ(f.size(), 3u);
  EXPECT_EQ(f.write("defgh"), 5u);  // the caller's retry loop finishes
  f.close();
  EXPECT_EQ(fs().read_file("/a"), "abcdefgh");
}

TEST_P(ActionTest, ShortReadReturnsAtMostKBytes) {
  put("/a", "abcdefgh");
  faults().add("read /a every=2 short=2");
  File f = fs().open("/a", "r");
  EXPECT_EQ(f.read(4), "abcd");
  EXPECT_EQ(f.read(4), "ef");  // 2nd read: short
  EXPECT_EQ(f.read(4), "gh");
  EXPECT_EQ(fs().read_file("/a"), "ab");  // the 4th read is short too
}

// write_file and import_tree are all or nothing: a short write fails them
// (injected_fault, an io_error) and writes nothing, never a silent prefix.
TEST_P(ActionTest, AShortWriteFailsTheAllOrNothingWrites) {
  put("/a", "old");
  auto tree = [&] {
    ExportedTree t = fs().export_tree();
    return std::make_pair(t.files, t.empty_directories);
  };
  const auto before = tree();
  faults().add("write /a once short=2");
  std::error_code ec;
  fs().write_file("/a", "hello", ec);
  EXPECT_EQ(ec, errc::injected_fault);
  EXPECT_EQ(ec, std::errc::io_error);
  EXPECT_EQ(tree(), before);
  faults().add("write /new once short=0");
  fs().write_file("/new", "x", ec);
  EXPECT_EQ(ec, errc::injected_fault);
  EXPECT_FALSE(fs().exists("/new"));
  faults().add("write /d/b once short=1");
  fs().import_tree({{"/a", "imported"}, {"/d/b", "imported"}}, ec);
  EXPECT_EQ(ec, errc::injected_fault);
  EXPECT_EQ(tree(), before);
  EXPECT_THROW(
      {
        faults().add("write /a once short=4");
        fs().write_file("/a", "hello");
      },
      filesystem_error);
  EXPECT_EQ(fs().read_file("/a"), "old");
  faults().add("write /a once short=5");  // as long as the data: all of it
  fs().write_file("/a", "hello");
  EXPECT_EQ(fs().read_file("/a"), "hello");
}

TEST_P(ActionTest, AShortReadOfAWholeFileReturnsAPrefix) {
  put("/a", "hello");
  faults().add("read /a once short=1");
  EXPECT_EQ(fs().read_file("/a"), "h");
}

TEST_P(ActionTest, DelayWaitsOnTheInjectorClock) {
  faults().add("sync /a always delay=30s");
  File f = fs().open("/a", "w");
  const auto t0 = clock().steady_now();
  f.sync();  // ManualClock with auto-advance: instant, but time moves
  EXPECT_EQ(clock().steady_now() - t0, std::chrono::seconds(30));
  faults().add("sync /a always delay=5ms");
  f.sync();  // delays of all firing rules add up
  EXPECT_EQ(clock().steady_now() - t0,
            std::chrono::seconds(60) + std::chrono::milliseconds(5));
}

TEST_P(ActionTest, CorruptChangesOneByteOfTheReadNotTheFile) {
  const std::string data(64, 'a');
  put("/a", data);
  {
    auto guard = faults().scoped("read /a always corrupt seed=5");
    File f = fs().open("/a", "r");
    const std::string got = f.read(64);
    ASSERT_EQ(got.size(), data.size());
    int differing = 0;
    for (std::size_t i = 0; i < got.size(); ++i) differing += got[i] != data[i];
    EXPECT_EQ(differing, 1);
    // Deterministic: the same read is corrupted the same way.
    std::string again(64, '\0');
    EXPECT_EQ(f.pread(0, again.data(), again.size()), 64u);
    EXPECT_EQ(again, got);
    EXPECT_EQ(fs().read_file("/a"), got);  // whole-file reads too (offset 0)
  }
  EXPECT_EQ(fs().read_file("/a"), data);  // the stored bytes never changed
}

TEST_P(ActionTest, CorruptDependsOnTheSeed) {
  put("/a", std::string(4096, '\0'));
  faults().add("read /a always corrupt seed=1");
  const std::string one = fs().read_file("/a");
  faults().clear();
  faults().add("read /a always corrupt seed=2");
  EXPECT_NE(fs().read_file("/a"), one);
}

TEST_P(ActionTest, FailThenRecoverFailsKTimesThenPasses) {
  faults().add("open /a always fail=EIO recover_after=2");
  int failures = 0;
  for (int i = 0; i < 5; ++i) {
    std::error_code ec;
    File f = fs().open("/a", "w", ec);
    failures += ec ? 1 : 0;
    if (i < 2) {
      EXPECT_EQ(ec, std::errc::io_error);
    } else {
      EXPECT_FALSE(ec);
    }
  }
  EXPECT_EQ(failures, 2);
  EXPECT_EQ(faults().log().size(), 2u);  // recovered calls are not firings
}

TEST_P(ActionTest, AFailureWinsOverShortAndCorrupt) {
  put("/a", "abcdef");
  faults().add("read /a always short=1");
  faults().add("read /a always corrupt");
  faults().add("read /a always fail=EIO");
  File f = fs().open("/a", "r");
  std::error_code ec;
  EXPECT_EQ(f.read(6, ec), "");
  EXPECT_EQ(ec, std::errc::io_error);
  EXPECT_EQ(f.tell(), 0u);
  ASSERT_EQ(faults().log().size(), 1u);
  EXPECT_EQ(faults().log()[0].action, "fail=EIO");
}

TEST_P(ActionTest, CloseReleasesTheHandleEvenWhenItFails) {
  faults().add("close /a always fail=EIO");
  File f = fs().open("/a", "w");
  std::error_code ec;
  f.close(ec);
  EXPECT_EQ(ec, std::errc::io_error);
  EXPECT_FALSE(f.is_open());
  EXPECT_EQ(fs().stats().open_handles, 0u);
}

}  // namespace
}  // namespace memfs::test
