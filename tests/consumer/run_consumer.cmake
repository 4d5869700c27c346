# run_consumer.cmake — configures, builds and runs tests/consumer/project
# against memfs in one of three modes, in a fresh WORK_DIR. Run by CTest:
#
#   cmake -DMODE=find_package|add_subdirectory|fetchcontent
#         -DMEMFS_SOURCE_DIR=... -DMEMFS_BINARY_DIR=... -DCONSUMER_SOURCE_DIR=...
#         -DWORK_DIR=... -DGENERATOR=... -DCXX_COMPILER=... [-DCOMPILER_LAUNCHER=...]
#         [-DBUILD_TYPE=...] -DWITH_GTEST=ON|OFF -DWITH_CATCH2=ON|OFF
#         [-DWITH_ARCHIVE=1|0]
#         -P run_consumer.cmake
#
# find_package installs the already-built memfs (MEMFS_BINARY_DIR) into
# WORK_DIR/prefix, so it tests the real install rules and package config.

foreach(_v MODE MEMFS_SOURCE_DIR MEMFS_BINARY_DIR CONSUMER_SOURCE_DIR WORK_DIR GENERATOR
           CXX_COMPILER WITH_GTEST WITH_CATCH2)
  if(NOT DEFINED ${_v} OR "${${_v}}" STREQUAL "")
    message(FATAL_ERROR "run_consumer.cmake: -D${_v}=... is required")
  endif()
endforeach()
if(NOT BUILD_TYPE)
  set(BUILD_TYPE Debug)
endif()
if(NOT DEFINED WITH_ARCHIVE OR "${WITH_ARCHIVE}" STREQUAL "")
  set(WITH_ARCHIVE OFF)
endif()

# run(<step> <command...>): runs a command, echoing it; stops on failure.
function(run step)
  string(JOIN " " _line ${ARGN})
  message(STATUS "[consumer ${MODE}] ${step}: ${_line}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "[consumer ${MODE}] ${step} failed (${_rc})")
  endif()
endfunction()

# add_subdirectory and fetchcontent compile the same memfs sources with the same
# flags as memfs's own build, from other build directories; without this,
# ccache (when it is the launcher) hashes the directory into -g builds and
# never shares the objects.
set(ENV{CCACHE_NOHASHDIR} 1)

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

set(_args
  -S ${CONSUMER_SOURCE_DIR} -B ${WORK_DIR}/build -G ${GENERATOR}
  -DCMAKE_BUILD_TYPE=${BUILD_TYPE}
  -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
  -DCONSUMER_MODE=${MODE}
  -DCONSUMER_GTEST=${WITH_GTEST}
  -DCONSUMER_CATCH2=${WITH_CATCH2}
  -DCONSUMER_ARCHIVE=${WITH_ARCHIVE})
if(COMPILER_LAUNCHER)
  # Still '|'-separated: a ';' inside one argument cannot survive a CMake list.
  list(APPEND _args "-DCONSUMER_LAUNCHER=${COMPILER_LAUNCHER}")
endif()

if(MODE STREQUAL "find_package")
  run("install memfs" ${CMAKE_COMMAND} --install ${MEMFS_BINARY_DIR}
      --config ${BUILD_TYPE} --prefix ${WORK_DIR}/prefix)
  # Boost is private to the shared libmemfs_core.so: the package must neither
  # look for Boost nor put a Boost target in a link interface, and the
  # consumer is configured with Boost's CMake package made unfindable to
  # prove it needs none. (CMake does record the .so's private shared
  # libraries as IMPORTED_LINK_DEPENDENT_LIBRARIES "Boost::filesystem", a
  # -rpath-link hint it ignores when the consumer has no such target.)
  file(GLOB_RECURSE _pkg_files ${WORK_DIR}/prefix/*.cmake)
  foreach(_f IN LISTS _pkg_files)
    file(READ ${_f} _text)
    file(STRINGS ${_f} _boost_links REGEX "INTERFACE_LINK_LIBRARIES.*Boost")
    if(_text MATCHES "find_dependency\\([ \t\n]*Boost" OR _boost_links)
      message(FATAL_ERROR "[consumer ${MODE}] ${_f} needs Boost (find_dependency(Boost) "
              "or a Boost target in INTERFACE_LINK_LIBRARIES): a consumer would need "
              "Boost's development files")
    endif()
  endforeach()
  file(GLOB _core_so ${WORK_DIR}/prefix/lib*/libmemfs_core.so)
  if(NOT _core_so)
    message(FATAL_ERROR "[consumer ${MODE}] no shared libmemfs_core.so was installed")
  endif()
  list(APPEND _args -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix -DCMAKE_DISABLE_FIND_PACKAGE_Boost=ON)
elseif(MODE STREQUAL "add_subdirectory" OR MODE STREQUAL "fetchcontent")
  # The adapters that memfs itself builds must be buildable here too: ask for
  # them explicitly so AUTO cannot silently drop one.
  # -Werror as in memfs's own build: the same flags let ccache reuse its objects.
  list(APPEND _args -DMEMFS_SOURCE_DIR=${MEMFS_SOURCE_DIR}
       -DMEMFS_WITH_GTEST=${WITH_GTEST} -DMEMFS_WITH_CATCH2=${WITH_CATCH2}
       -DMEMFS_WITH_ARCHIVE=${WITH_ARCHIVE}
       -DMEMFS_WARNINGS_AS_ERRORS=ON)
else()
  message(FATAL_ERROR "run_consumer.cmake: unknown MODE '${MODE}'")
endif()

run("configure" ${CMAKE_COMMAND} ${_args})
run("build" ${CMAKE_COMMAND} --build ${WORK_DIR}/build --parallel 2)
run("test" ${CMAKE_CTEST_COMMAND} --test-dir ${WORK_DIR}/build --output-on-failure
    --no-tests=error)
message(STATUS "[consumer ${MODE}] OK")
