// A hook may call back into the file system it is attached to (hook.hpp).
// The nested operation runs while the outer one is between normalizing its
// path and calling the backend: neither may see the other's path.
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "memfs/hook.hpp"
#include "memfs/memory_file_system.hpp"
#include "test_util.hpp"

namespace memfs::test {
namespace {

// Before each read, write or stat of a path outside /log, records it by
// writing and reading back a file under /log through the same file system.
class LoggingHook : public FileSystemHook {
 public:
  explicit LoggingHook(FileSystem& fs) : fs_(fs) {}

  Injection before(const OpContext& ctx) override {
    const std::string path(ctx.path);
    if (path.rfind("/log", 0) == 0) return {};
    const std::string entry = "/log/" + std::to_string(seen.size());
    fs_.write_file(entry, path);
    seen.push_back(fs_.read_file(entry));
    (void)fs_.exists(
        "/log/a/much/longer/path/than/the/outer/one/so/a/shared/buffer/would/"
        "grow");
    return {};
  }

  std::vector<std::string> seen;

 private:
  FileSystem& fs_;
};

TEST(HookReentry, NestedCallsDoNotDisturbTheOuterOperationsPath) {
  MemoryFileSystem fs;
  fs.create_directories("/log");
  fs.create_directories("/data");
  LoggingHook hook(fs);
  fs.set_hook(&hook);
  fs.write_file("/data/a.txt", "A");
  fs.write_file("/data/b.txt", "B");
  EXPECT_EQ(fs.read_file("/data/a.txt"), "A");
  EXPECT_TRUE(fs.is_regular_file("/data/b.txt"));
  fs.resize_file("/data/b.txt", 0);
  fs.set_hook(nullptr);
  EXPECT_EQ(fs.read_file("/data/b.txt"), "");
  EXPECT_EQ(fs.list("/data"), (std::vector<std::string>{"a.txt", "b.txt"}));
  EXPECT_EQ(hook.seen, (std::vector<std::string>{"/data/a.txt", "/data/b.txt",
                                                 "/data/a.txt", "/data/b.txt",
                                                 "/data/b.txt"}));
}

// exchange is seen as a rename (both paths), set_modified as a write of 0
// bytes; an injected error fails them and changes nothing.
class RefuseHook : public FileSystemHook {
 public:
  Injection before(const OpContext& ctx) override {
    seen.push_back(std::string(op_name(ctx.op)) + " " + std::string(ctx.path) +
                   " " + std::string(ctx.path2) + " " +
                   std::to_string(ctx.length));
    Injection i;
    i.error = make_error_code(std::errc::io_error);
    return i;
  }
  std::vector<std::string> seen;
};

TEST(HookReentry, ExchangeAndSetModifiedAreConsultedAndCanBeRefused) {
  MemoryFileSystem fs;
  fs.write_file("/a", "A");
  fs.write_file("/b", "B");
  const auto modified = fs.status("/a").modified;
  RefuseHook hook;
  fs.set_hook(&hook);
  std::error_code ec;
  fs.exchange("/a", "/b", ec);
  EXPECT_EQ(ec, std::errc::io_error);
  fs.set_modified("/a", modified - std::chrono::hours(1), ec);
  EXPECT_EQ(ec, std::errc::io_error);
  fs.set_hook(nullptr);
  EXPECT_EQ(hook.seen,
            (std::vector<std::string>{"rename /a /b 0", "write /a  0"}));
  EXPECT_EQ(fs.read_file("/a"), "A");
  EXPECT_EQ(fs.status("/a").modified, modified);
}

// The operations that reuse a per-thread path (write_file, read_file,
// status) still work in a thread's last destructors, before and after the
// thread's reusable path is freed (ASan: nothing used after it is freed,
// nothing leaked).
TEST(ScratchPath, OperationsInAThreadsLastDestructorsWork) {
  MemoryFileSystem fs;
  std::vector<std::string> read_back;
  std::thread([&] {
    struct Writer {
      MemoryFileSystem* fs = nullptr;
      std::vector<std::string>* out = nullptr;
      std::string path;
      void set(MemoryFileSystem& to, std::vector<std::string>& log,
               std::string name) {
        fs = &to;
        out = &log;
        path = std::move(name);
      }
      ~Writer() {
        if (fs == nullptr) return;
        fs->write_file(path, path);
        out->push_back(fs->read_file(path));
      }
    };
    static thread_local Writer early;  // destroyed after the path is freed
    early.set(fs, read_back, "/written_by_the_early_destructor");
    fs.write_file("/first", "x");     // makes the thread's path
    static thread_local Writer late;  // destroyed before it is freed
    late.set(fs, read_back, "/late");
  }).join();
  EXPECT_EQ(read_back, (std::vector<std::string>{
                           "/late", "/written_by_the_early_destructor"}));
}

}  // namespace
}  // namespace memfs::test
