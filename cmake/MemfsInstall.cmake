# Install rules and the CMake package (included when MEMFS_INSTALL is ON).
#
#   <prefix>/include/memfs/...                  public headers (each module's
#                                               CMakeLists installs its own)
#   <prefix>/lib/libmemfs_core.so.<version>     memfs::core (shared: it keeps
#                                               Boost.Filesystem private, so
#                                               consumers need no Boost headers
#                                               or CMake package; see
#                                               core/CMakeLists.txt)
#   <prefix>/lib/libmemfs_<component>.a         the other components
#   <prefix>/lib/memfs-intercept/...            memfs::intercept's object files
#                                               (an OBJECT library: linked
#                                               into the consumer's executable,
#                                               see intercept/CMakeLists.txt)
#   <prefix>/lib/cmake/memfs/memfsConfig.cmake  find_package(memfs ...)
#   <prefix>/lib/cmake/memfs/memfs-<component>-targets.cmake
#
# One export set per component, so a component's targets file exists only when
# the component was built; memfsConfig.cmake uses that to report a requested
# but missing component (memfs_<component>_FOUND false) instead of failing on
# an unknown target later.
include(CMakePackageConfigHelpers)

set(MEMFS_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/memfs"
    CACHE STRING "Where memfsConfig.cmake is installed (relative to the prefix)")
mark_as_advanced(MEMFS_INSTALL_CMAKEDIR)

# Components in dependency order: core, fault, session, then the optional ones
# that were built: archive (on core, with libarchive; session links it when
# built), intercept (on session: its real-disk hooks) and
# the adapters (both built on session).
set(MEMFS_INSTALLED_COMPONENTS core fault session)
foreach(_c IN ITEMS archive intercept gtest catch2)
  if(TARGET memfs_${_c})
    list(APPEND MEMFS_INSTALLED_COMPONENTS ${_c})
  endif()
endforeach()

foreach(_c IN LISTS MEMFS_INSTALLED_COMPONENTS)
  install(TARGETS memfs_${_c} EXPORT memfs-${_c}-targets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
    OBJECTS DESTINATION ${CMAKE_INSTALL_LIBDIR}/memfs-${_c})
  install(EXPORT memfs-${_c}-targets
    NAMESPACE memfs::
    DESTINATION ${MEMFS_INSTALL_CMAKEDIR})
endforeach()

configure_package_config_file(
  ${CMAKE_CURRENT_LIST_DIR}/memfsConfig.cmake.in
  ${PROJECT_BINARY_DIR}/memfsConfig.cmake
  INSTALL_DESTINATION ${MEMFS_INSTALL_CMAKEDIR}
  NO_SET_AND_CHECK_MACRO)
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/memfsConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMajorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/memfsConfig.cmake
  ${PROJECT_BINARY_DIR}/memfsConfigVersion.cmake
  DESTINATION ${MEMFS_INSTALL_CMAKEDIR})
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE ${PROJECT_SOURCE_DIR}/README.md
  DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/memfs)
