// A test that FAILS ON PURPOSE. scripts/demo.sh runs it (alone, outside the
// normal suite: this binary is not registered with CTest) to show what a red
// CI run with memfs looks like: the assertion's diff, the snapshot folder
// with the test's files, the tree picture, manifest.json and the fault log.
//
// The code under test is a log with a classic bug. It rotates the
// "copytruncate" way — copy app.log to app.log.1, then empty app.log — and
// keeps one error_code for both steps, so a failed copy (the disk is full)
// is overwritten by the truncate's success: the lines are gone, and every
// append() still reported success. examples/rotating_log/ has the fixed
// design (rotate by rename, check every step, undo on failure).
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

#include <memfs/gtest.hpp>

namespace {

class CopyTruncateLog {
 public:
  CopyTruncateLog(memfs::FileSystem& fs, std::uint64_t max_bytes)
      : fs_(fs), max_bytes_(max_bytes) {
    fs_.create_directories("/logs");
  }

  std::error_code append(std::string_view line) {
    std::error_code ec;
    const std::uint64_t size = fs_.exists(kLog) ? fs_.file_size(kLog) : 0;
    if (size > 0 && size + line.size() + 1 > max_bytes_) {
      fs_.copy_file(kLog, kRotated,
                    std::filesystem::copy_options::overwrite_existing, ec);
      fs_.resize_file(kLog, 0,
                      ec);  // the bug: this overwrites the copy's error
      if (ec) return ec;
    }
    memfs::File file = fs_.open(kLog, "a", ec);
    const std::string text = std::string(line) + "\n";
    if (!ec && file.write(text, ec) != text.size() && !ec)
      ec = std::make_error_code(std::errc::io_error);  // a short write
    return ec;
  }

 private:
  static constexpr const char* kLog = "/logs/app.log";
  static constexpr const char* kRotated = "/logs/app.log.1";
  memfs::FileSystem& fs_;
  std::uint64_t max_bytes_;
};

class CopyTruncateLogTest : public memfs::gtest::Test {};

TEST_F(CopyTruncateLogTest, AFullDiskDuringRotationLosesNoLine) {
  CopyTruncateLog log(fs(), 40);  // five 7-byte lines a file
  // The disk is full when the first rotation copies app.log.
  faults().add("copy /logs/app.log once fail=quota_exceeded");
  for (int i = 0; i < 8; ++i) {
    ASSERT_MEMFS_OK(log.append("line " + std::to_string(i)));
  }
  // Every line was accepted, so every line must be somewhere.
  EXPECT_THAT(fs(),
              memfs::gtest::TreeEquals(
                  "/logs", {{"/logs/app.log.1",
                             "line 0\nline 1\nline 2\nline 3\nline 4\n"},
                            {"/logs/app.log", "line 5\nline 6\nline 7\n"}}));
}

}  // namespace
