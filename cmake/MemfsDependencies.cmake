# Finds the test frameworks the adapters need, once, in memfs's top-level
# scope, so the adapters, tests, examples and benchmarks all see the same
# imported targets. Resolves the MEMFS_WITH_GTEST / MEMFS_WITH_CATCH2
# tristates into plain booleans:
#
#   MEMFS_BUILD_GTEST_ADAPTER    ON when memfs::gtest is built
#   MEMFS_BUILD_CATCH2_ADAPTER   ON when memfs::catch2 is built
#   MEMFS_CATCH2_VERSION_MAJOR   2 or 3 (empty when Catch2 was not found)
#
# ON requires the framework (configure fails without it), AUTO builds the
# adapter when the framework is found, OFF skips it without looking.

# --- GoogleTest ------------------------------------------------------------
memfs_tristate(MEMFS_WITH_GTEST _memfs_gtest_mode)
set(MEMFS_BUILD_GTEST_ADAPTER OFF)
if(NOT _memfs_gtest_mode STREQUAL "OFF")
  find_package(GTest 1.12 CONFIG QUIET)
  if(GTest_FOUND)
    set(MEMFS_BUILD_GTEST_ADAPTER ON)
  elseif(_memfs_gtest_mode STREQUAL "ON")
    message(FATAL_ERROR
      "MEMFS_WITH_GTEST=ON but GoogleTest >= 1.12 (with gMock) was not found. "
      "Install it (Debian: apt-get install googletest libgtest-dev libgmock-dev, "
      "or run scripts/setup-deps.sh), point CMAKE_PREFIX_PATH at it, or "
      "configure with -DMEMFS_WITH_GTEST=OFF.")
  endif()
endif()

# --- Catch2: v3 first, else v2.13 (the only one Debian bookworm packages) ---
memfs_tristate(MEMFS_WITH_CATCH2 _memfs_catch2_mode)
set(MEMFS_BUILD_CATCH2_ADAPTER OFF)
set(MEMFS_CATCH2_VERSION_MAJOR "")
if(NOT _memfs_catch2_mode STREQUAL "OFF")
  find_package(Catch2 3 CONFIG QUIET)
  if(NOT Catch2_FOUND)
    find_package(Catch2 2.13 CONFIG QUIET)
  endif()
  if(Catch2_FOUND)
    set(MEMFS_BUILD_CATCH2_ADAPTER ON)
    set(MEMFS_CATCH2_VERSION_MAJOR "${Catch2_VERSION_MAJOR}")
  elseif(_memfs_catch2_mode STREQUAL "ON")
    message(FATAL_ERROR
      "MEMFS_WITH_CATCH2=ON but neither Catch2 3.x nor Catch2 2.13+ was found. "
      "Install it (Debian: apt-get install catch2, or run scripts/setup-deps.sh), "
      "point CMAKE_PREFIX_PATH at it, or configure with -DMEMFS_WITH_CATCH2=OFF.")
  endif()
endif()

# Say what was decided, and why: AUTO silently dropping an adapter would be a
# surprise.
set(_memfs_gtest_why "")
set(_memfs_catch2_why "")
if(_memfs_gtest_mode STREQUAL "AUTO")
  set(_memfs_gtest_why ", GoogleTest >= 1.12 not found")
endif()
if(_memfs_catch2_mode STREQUAL "AUTO")
  set(_memfs_catch2_why ", Catch2 3.x / 2.13+ not found")
endif()
if(MEMFS_BUILD_GTEST_ADAPTER)
  message(STATUS "memfs: memfs::gtest enabled (GoogleTest ${GTest_VERSION})")
else()
  message(STATUS "memfs: memfs::gtest disabled (MEMFS_WITH_GTEST=${MEMFS_WITH_GTEST}${_memfs_gtest_why})")
endif()
if(MEMFS_BUILD_CATCH2_ADAPTER)
  message(STATUS "memfs: memfs::catch2 enabled (Catch2 ${Catch2_VERSION})")
else()
  message(STATUS "memfs: memfs::catch2 disabled (MEMFS_WITH_CATCH2=${MEMFS_WITH_CATCH2}${_memfs_catch2_why})")
endif()
