// Conformance: the two error forms. The throwing form throws a
// memfs::filesystem_error (a std::filesystem::filesystem_error) whose code is
// the failure and whose message names the operation and the path(s); the
// error_code form reports the same code and never throws.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "backend.hpp"
#include "test_util.hpp"

namespace memfs::test {
namespace {

using ::testing::HasSubstr;
using copy_options = std::filesystem::copy_options;

// One failing call, in both forms.
struct FailingCall {
  std::string operation;
  std::errc expected;
  std::string path1;
  std::string path2;
  std::function<void(FileSystem&)> throwing;
  std::function<void(FileSystem&, std::error_code&)> with_ec;
};

std::vector<FailingCall> failing_calls() {
  const auto nf = std::errc::no_such_file_or_directory;
  return {
      {"open", nf, "/missing", "",
       [](FileSystem& fs) { (void)fs.open("/missing"); },
       [](FileSystem& fs, std::error_code& ec) {
         (void)fs.open("/missing", "r", ec);
       }},
      {"read_file", nf, "/missing", "",
       [](FileSystem& fs) { (void)fs.read_file("/missing"); },
       [](FileSystem& fs, std::error_code& ec) {
         (void)fs.read_file("/missing", ec);
       }},
      {"write_file", nf, "/nodir/f", "",
       [](FileSystem& fs) { fs.write_file("/nodir/f", "x"); },
       [](FileSystem& fs, std::error_code& ec) {
         fs.write_file("/nodir/f", "x", ec);
       }},
      {"status", std::errc::invalid_argument, "/../x", "",
       [](FileSystem& fs) { (void)fs.status("/../x"); },
       [](FileSystem& fs, std::error_code& ec) {
         (void)fs.status("/../x", ec);
       }},
      {"file_size", std::errc::is_a_directory, "/d", "",
       [](FileSystem& fs) { (void)fs.file_size("/d"); },
       [](FileSystem& fs, std::error_code& ec) {
         (void)fs.file_size("/d", ec);
       }},
      {"list", std::errc::not_a_directory, "/f", "",
       [](FileSystem& fs) { (void)fs.list("/f"); },
       [](FileSystem& fs, std::error_code& ec) { (void)fs.list("/f", ec); }},
      {"walk", nf, "/missing", "",
       [](FileSystem& fs) { (void)fs.walk("/missing"); },
       [](FileSystem& fs, std::error_code& ec) {
         (void)fs.walk("/missing", ec);
       }},
      {"create_directory", nf, "/a/b", "",
       [](FileSystem& fs) { fs.create_directory("/a/b"); },
       [](FileSystem& fs, std::error_code& ec) {
         fs.create_directory("/a/b", ec);
       }},
      {"remove", std::errc::directory_not_empty, "/d", "",
       [](FileSystem& fs) { fs.remove("/d"); },
       [](FileSystem& fs, std::error_code& ec) { fs.remove("/d", ec); }},
      {"remove_all", std::errc::invalid_argument, "/", "",
       [](FileSystem& fs) { fs.remove_all("/"); },
       [](FileSystem& fs, std::error_code& ec) { fs.remove_all("/", ec); }},
      {"rename", nf, "/missing", "/x",
       [](FileSystem& fs) { fs.rename("/missing", "/x"); },
       [](FileSystem& fs, std::error_code& ec) {
         fs.rename("/missing", "/x", ec);
       }},
      {"copy_file", std::errc::file_exists, "/f", "/d/g",
       [](FileSystem& fs) { fs.copy_file("/f", "/d/g"); },
       [](FileSystem& fs, std::error_code& ec) {
         fs.copy_file("/f", "/d/g", copy_options::none, ec);
       }},
      {"copy", nf, "/missing", "/x",
       [](FileSystem& fs) { fs.copy("/missing", "/x"); },
       [](FileSystem& fs, std::error_code& ec) {
         fs.copy("/missing", "/x", copy_options::none, ec);
       }},
      {"resize_file", nf, "/missing", "",
       [](FileSystem& fs) { fs.resize_file("/missing", 1); },
       [](FileSystem& fs, std::error_code& ec) {
         fs.resize_file("/missing", 1, ec);
       }},
  };
}

class ErrorFormsTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    make_tree(fs(), {"/f", "/d/g"});
  }
};
MEMFS_INSTANTIATE_CONFORMANCE(ErrorFormsTest);

TEST_P(ErrorFormsTest, TheThrowingFormNamesTheOperationAndThePaths) {
  for (const FailingCall& call : failing_calls()) {
    SCOPED_TRACE(call.operation);
    auto e = catch_as<filesystem_error>([&] { call.throwing(fs()); });
    if (!e) continue;
    EXPECT_THAT(e->code(), IsErr(call.expected));
    EXPECT_EQ(e->operation(), call.operation);
    EXPECT_THAT(e->what(), HasSubstr(call.operation));
    EXPECT_THAT(e->what(), HasSubstr(call.path1));
    EXPECT_EQ(e->path1().generic_string(), call.path1);
    if (!call.path2.empty()) {
      EXPECT_THAT(e->what(), HasSubstr(call.path2));
      EXPECT_EQ(e->path2().generic_string(), call.path2);
    }
  }
}

TEST_P(ErrorFormsTest, TheExceptionIsAStdFilesystemError) {
  EXPECT_THROW((void)fs().open("/missing"), std::filesystem::filesystem_error);
  EXPECT_THROW((void)fs().open("/missing"), std::system_error);
}

TEST_P(ErrorFormsTest, TheErrorCodeFormReportsTheSameCodeWithoutThrowing) {
  for (const FailingCall& call : failing_calls()) {
    SCOPED_TRACE(call.operation);
    std::error_code ec;
    EXPECT_NO_THROW(call.with_ec(fs(), ec));
    EXPECT_THAT(ec, IsErr(call.expected));
  }
}

TEST_P(ErrorFormsTest, TheErrorCodeFormClearsTheCodeOnSuccess) {
  const std::error_code stale = make_error_code(std::errc::io_error);
  std::error_code ec = stale;
  fs().write_file("/new", "x", ec);
  EXPECT_THAT(ec, Succeeded());
  ec = stale;
  EXPECT_EQ(fs().read_file("/new", ec), "x");
  EXPECT_THAT(ec, Succeeded());
  ec = stale;
  EXPECT_TRUE(fs().status("/d", ec).is_directory());
  EXPECT_THAT(ec, Succeeded());
  ec = stale;
  File f = fs().open("/new", "r+", ec);
  EXPECT_THAT(ec, Succeeded());
  ec = stale;
  EXPECT_EQ(f.write("y", ec), 1u);
  EXPECT_THAT(ec, Succeeded());
  ec = stale;
  f.close(ec);
  EXPECT_THAT(ec, Succeeded());
}

TEST_P(ErrorFormsTest, FileErrorsNameTheOperationAndThePath) {
  File f = fs().open("/f", "r");
  auto e = catch_as<filesystem_error>([&] { (void)f.write("x"); });
  ASSERT_TRUE(e.has_value());
  EXPECT_THAT(e->code(), IsErr(std::errc::bad_file_descriptor));
  EXPECT_EQ(e->operation(), "write");
  EXPECT_THAT(e->what(), HasSubstr("/f"));
}

TEST_P(ErrorFormsTest, BadPathsAreInvalidArgumentInBothForms) {
  auto e = catch_as<filesystem_error>([&] { fs().write_file("/../x", "x"); });
  ASSERT_TRUE(e.has_value());
  EXPECT_THAT(e->code(), IsErr(std::errc::invalid_argument));
  EXPECT_THAT(ec_of([&](auto& ec) { fs().create_directory("/a/../../b", ec); }),
              IsErr(std::errc::invalid_argument));
}

}  // namespace
}  // namespace memfs::test
