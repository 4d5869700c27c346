// TestSession::mount_path() in an executable that does not link
// memfs::intercept (this one): a clear error, nothing changed; and the
// MEMFS_MOUNT switch.
#include <cstdlib>
#include <stdexcept>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "memfs/test_session.hpp"
#include "support/scoped_env.hpp"
#include "support/test_identity.hpp"

namespace {

using memfs::TestSession;
using memfs::test_support::ScopedEnv;
using ::testing::HasSubstr;

memfs::TestIdentity unlinked_identity() {
  return memfs::test_support::gtest_identity("Mount.Unlinked", "", "/src/m.cpp",
                                             1, "", "");
}

TEST(MountWithoutIntercept, MountPathSaysToLinkMemfsIntercept) {
  ScopedEnv tmpdir("TMPDIR", "/before");
  TestSession session(unlinked_identity());
  try {
    (void)session.mount_path();
    FAIL() << "mount_path() did not throw";
  } catch (const std::logic_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("needs memfs::intercept"));
    EXPECT_THAT(e.what(), HasSubstr("target_link_libraries(<your test target> "
                                    "PRIVATE memfs::intercept)"));
  }
  // Nothing changed: no mount, the environment as it was, the session usable.
  EXPECT_EQ(session.mounted_at(), "");
  EXPECT_STREQ(std::getenv("TMPDIR"), "/before");
  session.fs().write_file("/a", "1");
  EXPECT_EQ(session.fs().read_file("/a"), "1");
}

TEST(MountWithoutIntercept, MountIfRequestedTellsWhyInsteadOfThrowing) {
  TestSession session(unlinked_identity());
  {
    ScopedEnv off("MEMFS_MOUNT", nullptr);
    EXPECT_EQ(session.mount_if_requested(), "");
  }
  ScopedEnv on("MEMFS_MOUNT", "1");
  EXPECT_THAT(
      session.mount_if_requested(),
      HasSubstr("MEMFS_MOUNT=1: memfs: mount_path() needs memfs::intercept"));
  EXPECT_EQ(session.mounted_at(), "");
}

TEST(MountFromEnv, AcceptsOnAndOffSpellings) {
  for (const char* on : {"1", "on", "true", "yes"}) {
    ScopedEnv env("MEMFS_MOUNT", on);
    EXPECT_TRUE(TestSession::mount_from_env()) << on;
  }
  for (const char* off : {"", "0", "off", "false", "no"}) {
    ScopedEnv env("MEMFS_MOUNT", off);
    EXPECT_FALSE(TestSession::mount_from_env()) << off;
  }
  ScopedEnv unset("MEMFS_MOUNT", nullptr);
  EXPECT_FALSE(TestSession::mount_from_env());
  ScopedEnv bad("MEMFS_MOUNT", "maybe");
  EXPECT_FALSE(TestSession::mount_from_env());
}

}  // namespace
