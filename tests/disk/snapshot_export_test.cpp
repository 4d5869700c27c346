// export_to_disk(): the snapshot folder, its manifest, and its guarantees
// (never overwriting, atomic placement, no waiting on locks, no hook).
#include <sys/stat.h>

#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "disk_test_util.hpp"
#include "memfs/backend.hpp"
#include "memfs/memory_file_system.hpp"
#include "memfs/snapshot.hpp"

namespace memfs::test {
namespace {

namespace stdfs = std::filesystem;

JsonValue manifest_of(const ExportReport& r) {
  std::error_code ec;
  JsonValue m = JsonValue::parse(read_host(r.folder / "manifest.json"), ec);
  EXPECT_FALSE(ec) << "manifest.json is not valid JSON";
  return m;
}

std::vector<std::string> keys_of(const JsonValue& v) { return v.keys(); }

class SnapshotExport : public ::testing::Test {
 protected:
  void SetUp() override {
    fs_.create_directories("/data/empty");
    fs_.write_file("/data/a.bin", std::string(4096, 'a'));
    fs_.write_file("/readme.txt", "hello world\n");
  }
  MemoryFileSystem fs_;
  HostDir host_;
};

TEST_F(SnapshotExport, WritesTheTreeAndTheManifestIntoANamedFolder) {
  ExportOptions opts;
  opts.name = "Suite.Case";
  const ExportReport r = export_to_disk(fs_, host_.path(), opts);
  EXPECT_EQ(r.folder, host_.path() / "Suite.Case");
  EXPECT_EQ(list_host(r.folder),
            (std::vector<std::string>{"index.html", "manifest.json", "tree/",
                                      "tree/data/", "tree/data/a.bin",
                                      "tree/data/empty/", "tree/readme.txt"}));
  EXPECT_EQ(read_host(r.folder / "tree/readme.txt"), "hello world\n");
  EXPECT_EQ(r.files, 2u);
  EXPECT_EQ(r.directories, 3u);
  EXPECT_EQ(r.bytes, 4096u + 12u);
  EXPECT_TRUE(r.escaped.empty());
  EXPECT_TRUE(r.skipped.empty());
  const JsonValue m = manifest_of(r);
  EXPECT_EQ(keys_of(m),
            (std::vector<std::string>{"format", "version", "name",
                                      "exported_at", "prefix", "sections",
                                      "stats", "open_handles", "lock_holders",
                                      "entries", "escaped_names", "skipped"}));
  EXPECT_EQ(m.find("format")->text(), "memfs-snapshot");
  EXPECT_EQ(m.find("name")->text(), "Suite.Case");
  EXPECT_EQ(m.find("stats")->find("used")->as_uint64(), 4108u);
  EXPECT_EQ(m.find("stats")->find("file_count")->as_uint64(), 2u);
  const JsonValue& entries = *m.find("entries");
  ASSERT_EQ(entries.size(), 5u);  // "/" and four paths below it
  EXPECT_EQ(entries.items()[0].find("path")->text(), "/");
  const JsonValue& a = entries.items()[2];
  EXPECT_EQ(a.find("path")->text(), "/data/a.bin");
  EXPECT_EQ(a.find("type")->text(), "file");
  EXPECT_EQ(a.find("size")->as_uint64(), 4096u);
  EXPECT_EQ(a.find("generation")->as_uint64(), 1u);
  EXPECT_EQ(a.find("modified")->text().size(),
            std::string("2000-01-01T00:00:00.000000000Z").size());
}

TEST_F(SnapshotExport, SectionsAreWrittenInOrder) {
  ExportOptions opts;
  opts.sections.emplace_back("test", "Suite.Case");
  opts.sections.emplace_back("failures",
                             JsonValue::array({"expected 1, got 2"}));
  opts.sections.emplace_back("seed", std::uint64_t{18446744073709551615u});
  const JsonValue m = manifest_of(export_to_disk(fs_, host_.path(), opts));
  const JsonValue& s = *m.find("sections");
  EXPECT_EQ(s.keys(), (std::vector<std::string>{"test", "failures", "seed"}));
  EXPECT_EQ(s.find("failures")->items()[0].text(), "expected 1, got 2");
  EXPECT_EQ(s.find("seed")->as_uint64(), 18446744073709551615u);
}

TEST_F(SnapshotExport, NeverOverwritesAnExistingSnapshot) {
  ExportOptions opts;
  opts.name = "same";
  const ExportReport first = export_to_disk(fs_, host_.path(), opts);
  fs_.write_file("/readme.txt", "changed");
  const ExportReport second = export_to_disk(fs_, host_.path(), opts);
  EXPECT_NE(first.folder, second.folder);
  EXPECT_EQ(second.folder.filename().string().rfind("same-", 0), 0u);
  EXPECT_EQ(read_host(first.folder / "tree/readme.txt"), "hello world\n");
  EXPECT_EQ(read_host(second.folder / "tree/readme.txt"), "changed");
}

TEST_F(SnapshotExport, ParallelExportsGetDistinctFoldersAndLeaveNoTemporaries) {
  constexpr int kThreads = 8;
  std::vector<stdfs::path> folders(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      ExportOptions opts;
      opts.name = "race";
      folders[static_cast<std::size_t>(i)] =
          export_to_disk(fs_, host_.path(), opts).folder;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(std::set<stdfs::path>(folders.begin(), folders.end()).size(),
            std::size_t{kThreads});
  std::size_t entries = 0;
  for (const auto& e : stdfs::directory_iterator(host_.path())) {
    EXPECT_EQ(e.path().filename().string().rfind("race", 0), 0u) << e.path();
    ++entries;
  }
  EXPECT_EQ(entries, std::size_t{kThreads});
}

TEST_F(SnapshotExport, DoesNotWaitForLockHoldersAndListsThem) {
  File locked = fs_.open("/readme.txt", "r+");
  locked.lock(LockMode::exclusive);
  File reader = fs_.open("/data/a.bin", "r");
  const ExportReport r = export_to_disk(fs_, host_.path());
  EXPECT_EQ(read_host(r.folder / "tree/readme.txt"), "hello world\n");
  const JsonValue m = manifest_of(r);
  ASSERT_EQ(m.find("open_handles")->size(), 2u);
  const JsonValue& holders = *m.find("lock_holders");
  ASSERT_EQ(holders.size(), 1u);
  EXPECT_EQ(holders.items()[0].find("path")->text(), "/readme.txt");
  EXPECT_EQ(holders.items()[0].find("lock")->text(), "exclusive");
}

TEST(SnapshotExportTimes, ModifiedTimesAreReplayedToTheNanosecond) {
  auto clock = std::make_shared<ManualClock>();
  clock->set_now(std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::nanoseconds(
              981173106123456789))));  // 2001-02-03T04:05:06.123456789Z
  MemoryOptions opts;
  opts.clock = clock;
  MemoryFileSystem fs(opts);
  fs.create_directory("/d");
  fs.write_file("/d/f", "x");
  HostDir host;
  const ExportReport r = export_to_disk(fs, host.path());
  struct stat st {};
  ASSERT_EQ(::stat((r.folder / "tree/d/f").c_str(), &st), 0);
  EXPECT_EQ(st.st_mtim.tv_sec, 981173106);
  EXPECT_EQ(st.st_mtim.tv_nsec, 123456789);
  ASSERT_EQ(::stat((r.folder / "tree/d").c_str(), &st), 0);
  EXPECT_EQ(st.st_mtim.tv_sec, 981173106);
  const JsonValue m = manifest_of(r);
  EXPECT_EQ(m.find("entries")->items()[2].find("modified")->text(),
            "2001-02-03T04:05:06.123456789Z");
}

// A hook that fails everything and counts what it is asked.
class FailEverything final : public FileSystemHook {
 public:
  Injection before(const OpContext&) override {
    ++calls;
    Injection inj;
    inj.error = std::make_error_code(std::errc::io_error);
    return inj;
  }
  int calls = 0;
};

TEST_F(SnapshotExport, BypassesTheFaultHook) {
  FailEverything hook;
  fs_.set_hook(&hook);
  const ExportReport r = export_to_disk(fs_, host_.path());
  const std::string picture = render_tree(fs_);
  fs_.set_hook(nullptr);
  EXPECT_EQ(r.files, 2u);
  EXPECT_TRUE(r.skipped.empty());
  EXPECT_NE(picture.find("readme.txt"), std::string::npos);
  EXPECT_EQ(hook.calls, 0);
}

TEST_F(SnapshotExport, APrefixExportsThatSubtree) {
  ExportOptions opts;
  opts.prefix = "/data";
  const ExportReport r = export_to_disk(fs_, host_.path(), opts);
  EXPECT_EQ(list_host(r.folder / "tree"),
            (std::vector<std::string>{"a.bin", "empty/"}));
  EXPECT_EQ(manifest_of(r).find("prefix")->text(), "/data");
}

TEST_F(SnapshotExport, ABadPrefixFailsAndLeavesNothing) {
  std::error_code ec;
  ExportOptions opts;
  opts.prefix = "/readme.txt";
  (void)export_to_disk(fs_, host_.path(), opts, ec);
  EXPECT_EQ(ec, std::errc::not_a_directory);
  opts.prefix = "/missing";
  (void)export_to_disk(fs_, host_.path(), opts, ec);
  EXPECT_EQ(ec, std::errc::no_such_file_or_directory);
  EXPECT_THROW((void)export_to_disk(fs_, host_.path(), opts), filesystem_error);
  EXPECT_TRUE(stdfs::is_empty(host_.path()));
}

TEST_F(SnapshotExport, AnUnusableHostDirIsAnError) {
  std::ofstream(host_.path() / "file") << "x";
  std::error_code ec;
  (void)export_to_disk(fs_, host_.path() / "file" / "sub", {}, ec);
  EXPECT_EQ(ec, std::errc::not_a_directory);
}

// A read-only backend whose one file cannot be read.
class UnreadableFileSystem final : public Backend {
 private:
  std::unique_ptr<OpenFile> do_open(const NormalizedPath&, const OpenMode&,
                                    const OpenOptions&,
                                    ErrorInfo& err) override {
    err.set(std::errc::io_error);
    return nullptr;
  }
  FileStatus do_status(const NormalizedPath& p, ErrorInfo& err) const override {
    FileStatus st;
    if (p.value == "/" || p.value == "/dir") {
      st.type = FileType::directory;
    } else if (p.value == "/dir/f") {
      st.type = FileType::regular;
      st.size = 3;
    } else {
      err.set(std::errc::no_such_file_or_directory);
    }
    return st;
  }
  std::vector<DirEntry> do_list(const NormalizedPath& p,
                                ErrorInfo& err) const override {
    if (p.value == "/") return {{"dir", FileType::directory}};
    if (p.value == "/dir") return {{"f", FileType::regular}};
    err.set(std::errc::no_such_file_or_directory);
    return {};
  }
  bool do_create_directory(const NormalizedPath&, ErrorInfo& err) override {
    return err.set(std::errc::read_only_file_system), false;
  }
  bool do_remove(const NormalizedPath&, ErrorInfo& err) override {
    return err.set(std::errc::read_only_file_system), false;
  }
  void do_rename(const NormalizedPath&, const NormalizedPath&,
                 ErrorInfo& err) override {
    err.set(std::errc::read_only_file_system);
  }
  Stats do_stats() const override { return {}; }
  std::vector<HandleInfo> do_open_handles() const override { return {}; }
};

TEST(SnapshotExportSkips, AFileThatCannotBeReadIsListedAndTheRestExported) {
  UnreadableFileSystem fs;
  HostDir host;
  const ExportReport r = export_to_disk(fs, host.path());
  EXPECT_EQ(list_host(r.folder / "tree"), (std::vector<std::string>{"dir/"}));
  ASSERT_EQ(r.skipped.size(), 1u);
  EXPECT_EQ(r.skipped[0].path, "/dir/f");
  EXPECT_EQ(r.skipped[0].error, std::errc::io_error);
  const JsonValue m = manifest_of(r);
  ASSERT_EQ(m.find("skipped")->size(), 1u);
  EXPECT_EQ(m.find("skipped")->items()[0].find("path")->text(), "/dir/f");
  EXPECT_EQ(render_tree(fs), "/\n└── dir/\n    └── f  (3 B)\n");
}

TEST(SnapshotNames, SanitizedFolderNames) {
  EXPECT_EQ(sanitize_snapshot_name("Suite.Case"), "Suite.Case");
  EXPECT_EQ(sanitize_snapshot_name(""), "snapshot");
  const std::string s = sanitize_snapshot_name("Suite/Param.Case/0");
  EXPECT_EQ(s.substr(0, 19), "Suite_Param.Case_0-");
  EXPECT_EQ(s.size(), 27u);
  EXPECT_NE(s, sanitize_snapshot_name("Suite_Param.Case_0"));
  EXPECT_NE(sanitize_snapshot_name("a b"), sanitize_snapshot_name("a:b"));
  EXPECT_EQ(sanitize_snapshot_name(".hidden")[0], '_');
  EXPECT_EQ(sanitize_snapshot_name("-flag")[0], '_');
  EXPECT_LE(sanitize_snapshot_name(std::string(500, 'x')).size(), 89u);
}

}  // namespace
}  // namespace memfs::test
