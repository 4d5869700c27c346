// Catch2's implementation for this GoogleTest binary, which calls the
// matchers directly: v2 is header-only, so one TU defines it (without a
// main); v3 comes compiled in Catch2::Catch2 (linked by memfs::catch2).
#if !__has_include(<catch2/catch_version_macros.hpp>)
#define CATCH_CONFIG_RUNNER
#define CATCH_CONFIG_PREFIX_ALL  // gtest has FAIL and SUCCEED too
#include <catch2/catch.hpp>
#endif
