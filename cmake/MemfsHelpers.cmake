# Shared helpers for memfs's own targets.
include(GNUInstallDirs)

# memfs_tristate(<var> <out>): reads an ON/OFF/AUTO cache value without the
# `if(AUTO)` trap (AUTO is a true constant in CMake's if()). Sets <out> to ON,
# OFF or AUTO, and fails on anything else.
function(memfs_tristate var out)
  string(TOUPPER "${${var}}" _v)
  if(_v STREQUAL "AUTO")
    set(${out} AUTO PARENT_SCOPE)
  elseif(_v MATCHES "^(ON|YES|TRUE|1)$")
    set(${out} ON PARENT_SCOPE)
  elseif(_v MATCHES "^(OFF|NO|FALSE|0)$")
    set(${out} OFF PARENT_SCOPE)
  else()
    message(FATAL_ERROR "${var} must be ON, OFF or AUTO (got '${${var}}')")
  endif()
endfunction()

# memfs_warnings(<target>): the project's warning set (and -Werror for its own
# targets when MEMFS_WARNINGS_AS_ERRORS is on).
function(memfs_warnings target)
  target_compile_options(${target} PRIVATE
    $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor>
    $<$<AND:$<BOOL:${MEMFS_WARNINGS_AS_ERRORS}>,$<CXX_COMPILER_ID:GNU,Clang>>:-Werror>)
endfunction()

# memfs_library(<name> <export-name> [SHARED] SOURCES ... ): a memfs library
# target with its public include dir, C++17, warnings, and the
# memfs::<export-name> alias. Shared with SHARED (see core/CMakeLists.txt for
# why memfs::core is), otherwise as BUILD_SHARED_LIBS says (static by default).
#
# A shared one gets a versioned soname (libmemfs_<name>.so.<major>) and the
# install RPATH $ORIGIN, so a shared memfs library finds its siblings in the
# installed lib/ folder wherever the prefix is moved. Symbols keep the default
# visibility (hiding them would need an export macro on every public class
# and function, and exceptions and RTTI crossing the .so boundary need their
# type info visible anyway). In the build tree CMake's own build RPATH lets the tests,
# examples and benchmarks find the .so; an installed consumer's executables
# get the absolute RPATH of the imported library from CMake as well.
function(memfs_library name export_name)
  cmake_parse_arguments(ARG "SHARED" "" "SOURCES" ${ARGN})
  if(ARG_SHARED)
    add_library(${name} SHARED ${ARG_SOURCES})
  else()
    add_library(${name} ${ARG_SOURCES})  # BUILD_SHARED_LIBS decides
  endif()
  get_target_property(_type ${name} TYPE)
  if(_type STREQUAL "SHARED_LIBRARY")
    set_target_properties(${name} PROPERTIES
      VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR}
      INSTALL_RPATH "$ORIGIN")
  endif()
  add_library(memfs::${export_name} ALIAS ${name})
  set_target_properties(${name} PROPERTIES EXPORT_NAME ${export_name}
    OUTPUT_NAME memfs_${export_name} POSITION_INDEPENDENT_CODE ON)
  target_compile_features(${name} PUBLIC cxx_std_17)
  target_include_directories(${name} PUBLIC
    $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  target_include_directories(${name} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  memfs_warnings(${name})
endfunction()
