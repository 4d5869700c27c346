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

# memfs_library(<name> <export-name> SOURCES ... ): a memfs library target with
# its public include dir, C++17, warnings, and the memfs::<export-name> alias.
function(memfs_library name export_name)
  cmake_parse_arguments(ARG "" "" "SOURCES" ${ARGN})
  add_library(${name} ${ARG_SOURCES})
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
