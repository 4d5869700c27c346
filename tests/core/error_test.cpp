// The memfs error category, its equivalences to std::errc, and the exception
// classes (memfs/error.hpp).
#include "memfs/error.hpp"

#include <filesystem>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "memfs/backend.hpp"

namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::vector<memfs::errc> kAllCodes = {
    memfs::errc::quota_exceeded, memfs::errc::node_limit_exceeded,
    memfs::errc::lock_timeout, memfs::errc::injected_fault,
    memfs::errc::memory_guard};

TEST(ErrorCategory, IsNamedMemfsAndIsASingleton) {
  EXPECT_STREQ(memfs::memfs_category().name(), "memfs");
  EXPECT_EQ(&memfs::memfs_category(), &memfs::memfs_category());
  const std::error_code ec = memfs::errc::lock_timeout;  // via ADL
  EXPECT_EQ(&ec.category(), &memfs::memfs_category());
  EXPECT_EQ(ec.value(), static_cast<int>(memfs::errc::lock_timeout));
  EXPECT_TRUE(ec);
}

TEST(ErrorCategory, HasADistinctMessageForEveryCode) {
  std::vector<std::string> seen;
  for (memfs::errc e : kAllCodes) {
    const std::string message = memfs::make_error_code(e).message();
    EXPECT_FALSE(message.empty());
    EXPECT_THAT(message, Not(HasSubstr("unknown")));
    EXPECT_THAT(seen, Not(::testing::Contains(message)));
    seen.push_back(message);
  }
  EXPECT_EQ(memfs::make_error_code(memfs::errc::quota_exceeded).message(),
            "quota exceeded");
  EXPECT_THAT(memfs::memfs_category().message(99), HasSubstr("unknown"));
}

struct Equivalence {
  memfs::errc code;
  std::errc condition;
};

class ErrorEquivalence : public ::testing::TestWithParam<Equivalence> {};

TEST_P(ErrorEquivalence, HoldsInBothDirections) {
  const auto [code, condition] = GetParam();
  const std::error_code ec = memfs::make_error_code(code);
  const std::error_condition cond = std::make_error_condition(condition);
  EXPECT_TRUE(ec == condition);
  EXPECT_TRUE(condition == ec);
  EXPECT_TRUE(ec == cond);
  EXPECT_TRUE(cond == ec);
  EXPECT_FALSE(ec != condition);
  EXPECT_TRUE(memfs::memfs_category().equivalent(ec.value(), cond));
}

INSTANTIATE_TEST_SUITE_P(
    AllMappings, ErrorEquivalence,
    ::testing::Values(
        Equivalence{memfs::errc::quota_exceeded, std::errc::no_space_on_device},
        Equivalence{memfs::errc::node_limit_exceeded,
                    std::errc::no_space_on_device},
        Equivalence{memfs::errc::lock_timeout,
                    std::errc::resource_unavailable_try_again},
        Equivalence{memfs::errc::lock_timeout, std::errc::timed_out},
        Equivalence{memfs::errc::injected_fault, std::errc::io_error},
        Equivalence{memfs::errc::memory_guard, std::errc::not_enough_memory}));

TEST(ErrorEquivalence, DoesNotHoldForOtherConditions) {
  const std::error_code quota = memfs::errc::quota_exceeded;
  EXPECT_FALSE(quota == std::errc::io_error);
  EXPECT_FALSE(quota == std::errc::timed_out);
  EXPECT_FALSE(std::errc::invalid_argument == quota);
  const std::error_code lock = memfs::errc::lock_timeout;
  EXPECT_FALSE(lock == std::errc::no_space_on_device);
  const std::error_code fault = memfs::errc::injected_fault;
  EXPECT_FALSE(fault == std::errc::no_space_on_device);
  const std::error_code guard = memfs::errc::memory_guard;
  EXPECT_FALSE(guard == std::errc::io_error);
}

TEST(ErrorEquivalence, ExactComparisonStillDistinguishesCodes) {
  const std::error_code quota = memfs::errc::quota_exceeded;
  EXPECT_TRUE(quota == memfs::errc::quota_exceeded);
  EXPECT_FALSE(quota == memfs::errc::node_limit_exceeded);
  // A standard code is not a memfs code, even where they are equivalent.
  EXPECT_FALSE(std::make_error_code(std::errc::no_space_on_device) ==
               memfs::errc::quota_exceeded);
}

TEST(ErrorEquivalence, DefaultConditionIsTheNearestStandardOne) {
  const std::error_code quota = memfs::errc::quota_exceeded;
  EXPECT_EQ(quota.default_error_condition(),
            std::make_error_condition(std::errc::no_space_on_device));
  const std::error_code lock = memfs::errc::lock_timeout;
  EXPECT_EQ(
      lock.default_error_condition(),
      std::make_error_condition(std::errc::resource_unavailable_try_again));
}

TEST(FilesystemError, IsAStdFilesystemErrorNamingOperationAndPaths) {
  const memfs::filesystem_error e(
      "rename", "destination is a directory", "/src", "/dst",
      std::make_error_code(std::errc::is_a_directory));
  const std::filesystem::filesystem_error& base = e;
  EXPECT_EQ(base.code(), std::errc::is_a_directory);
  EXPECT_EQ(base.path1(), "/src");
  EXPECT_EQ(base.path2(), "/dst");
  EXPECT_EQ(e.operation(), "rename");
  const std::string what = e.what();
  EXPECT_THAT(what, HasSubstr("rename"));
  EXPECT_THAT(what, HasSubstr("destination is a directory"));
  EXPECT_THAT(what, HasSubstr("/src"));
  EXPECT_THAT(what, HasSubstr("/dst"));
  EXPECT_THAT(
      what,
      HasSubstr(std::make_error_code(std::errc::is_a_directory).message()));
}

TEST(FilesystemError, OnePathFormAndEmptyDetail) {
  const memfs::filesystem_error e(
      "open", "", "/a/b",
      std::make_error_code(std::errc::no_such_file_or_directory));
  EXPECT_TRUE(e.path2().empty());
  const std::string what = e.what();
  EXPECT_THAT(what, HasSubstr("open"));
  EXPECT_THAT(what, HasSubstr("/a/b"));
  EXPECT_THAT(what, Not(HasSubstr("open: :")));
}

TEST(FilesystemError, IsCaughtByExistingStdHandlers) {
  bool caught = false;
  try {
    throw memfs::filesystem_error(
        "remove", "", "/x",
        std::make_error_code(std::errc::device_or_resource_busy));
  } catch (const std::filesystem::filesystem_error& e) {
    caught = true;
    EXPECT_EQ(e.code(), std::errc::device_or_resource_busy);
  }
  EXPECT_TRUE(caught);
  EXPECT_THROW(
      throw memfs::lock_timeout_error(
          "lock", "", "/x", memfs::make_error_code(memfs::errc::lock_timeout)),
      std::system_error);
}

TEST(QuotaExceededError, CarriesAndPrintsTheNumbers) {
  const memfs::quota_exceeded_error e(
      "write", "/big.bin", "",
      memfs::make_error_code(memfs::errc::quota_exceeded), 4096, 100);
  EXPECT_EQ(e.requested(), 4096u);
  EXPECT_EQ(e.available(), 100u);
  EXPECT_EQ(e.code(), std::errc::no_space_on_device);
  const std::string what = e.what();
  EXPECT_THAT(what, HasSubstr("write"));
  EXPECT_THAT(what, HasSubstr("/big.bin"));
  EXPECT_THAT(what, HasSubstr("4096"));
  EXPECT_THAT(what, HasSubstr("100"));
}

TEST(NodeLimitExceededError, IsAQuotaErrorWithItsOwnCode) {
  const memfs::node_limit_exceeded_error e("create_directory", "/d", "", 10,
                                           10);
  const memfs::quota_exceeded_error& quota = e;
  EXPECT_EQ(e.code(), memfs::errc::node_limit_exceeded);
  EXPECT_EQ(e.code(), std::errc::no_space_on_device);
  EXPECT_EQ(e.current(), 10u);
  EXPECT_EQ(e.limit(), 10u);
  EXPECT_EQ(quota.available(), 0u);
  EXPECT_EQ(quota.requested(), 1u);
  EXPECT_EQ(e.operation(), "create_directory");
  const std::string what = e.what();
  EXPECT_THAT(what, HasSubstr("create_directory"));
  EXPECT_THAT(what, HasSubstr("/d"));
  EXPECT_THAT(what, HasSubstr("10 of 10"));
  EXPECT_THROW(throw e, memfs::quota_exceeded_error);
}

TEST(NodeLimitExceededError, AvailableIsWhatIsLeftUnderTheCap) {
  const memfs::node_limit_exceeded_error e("import_tree", "/", "", 7, 10, 5);
  EXPECT_EQ(e.requested(), 5u);
  EXPECT_EQ(e.available(), 3u);
}

// throw_error must pick the class from the exact memfs code.
TEST(ThrowError, QuotaCodeGivesQuotaExceededErrorWithNumbers) {
  memfs::ErrorInfo info;
  info.set(memfs::errc::quota_exceeded);
  info.requested = 300;
  info.available = 20;
  try {
    memfs::throw_error("write", "/p1", "/p2", info);
    FAIL() << "no exception";
  } catch (const memfs::node_limit_exceeded_error&) {
    ADD_FAILURE() << "node limit error for a byte quota";
  } catch (const memfs::quota_exceeded_error& e) {
    EXPECT_EQ(e.requested(), 300u);
    EXPECT_EQ(e.available(), 20u);
    EXPECT_EQ(e.path1(), "/p1");
    EXPECT_EQ(e.path2(), "/p2");
    EXPECT_THAT(e.what(), HasSubstr("needs 300 bytes, 20 available"));
  }
}

TEST(ThrowError, NodeLimitCodeGivesNodeLimitExceededError) {
  memfs::ErrorInfo info;
  info.set(memfs::errc::node_limit_exceeded);
  info.requested = 2;
  info.current = 8;
  info.limit = 9;
  try {
    memfs::throw_error("copy", "/a", "", info);
    FAIL() << "no exception";
  } catch (const memfs::node_limit_exceeded_error& e) {
    EXPECT_EQ(e.current(), 8u);
    EXPECT_EQ(e.limit(), 9u);
    EXPECT_EQ(e.requested(), 2u);
    EXPECT_EQ(e.available(), 1u);
    EXPECT_TRUE(e.path2().empty());
  }
}

TEST(ThrowError, LockTimeoutCodeGivesLockTimeoutError) {
  memfs::ErrorInfo info;
  info.set(memfs::errc::lock_timeout);
  try {
    memfs::throw_error("lock", "/f", "", info);
    FAIL() << "no exception";
  } catch (const memfs::lock_timeout_error& e) {
    EXPECT_EQ(e.code(), std::errc::timed_out);
    EXPECT_EQ(e.operation(), "lock");
    EXPECT_THAT(e.what(), HasSubstr("/f"));
  }
}

TEST(ThrowError, OtherCodesGivePlainFilesystemError) {
  for (const std::error_code ec :
       {std::make_error_code(std::errc::no_such_file_or_directory),
        memfs::make_error_code(memfs::errc::injected_fault),
        // Equivalent to a quota error but not one: no made-up numbers.
        std::make_error_code(std::errc::no_space_on_device),
        std::make_error_code(std::errc::resource_unavailable_try_again)}) {
    memfs::ErrorInfo info;
    info.set(ec);
    try {
      memfs::throw_error("open", "/f", "", info);
      FAIL() << "no exception";
    } catch (const memfs::quota_exceeded_error&) {
      ADD_FAILURE() << "quota error for " << ec.message();
    } catch (const memfs::lock_timeout_error&) {
      ADD_FAILURE() << "lock error for " << ec.message();
    } catch (const memfs::filesystem_error& e) {
      EXPECT_EQ(e.code(), ec);
      EXPECT_THAT(e.what(), HasSubstr("open"));
      EXPECT_THAT(e.what(), HasSubstr("/f"));
    }
  }
}

TEST(ErrorInfo, SetAndClear) {
  memfs::ErrorInfo info;
  EXPECT_FALSE(info);
  info.set(std::errc::not_a_directory);
  EXPECT_TRUE(info.failed());
  EXPECT_EQ(info.code, std::errc::not_a_directory);
  info.clear();
  EXPECT_FALSE(info);
}

}  // namespace
