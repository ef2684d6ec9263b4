# Installing DigitPad like any desktop application (GNUInstallDirs), and a
# Debian package from CPack whose Depends come from the binaries.
#
#   cmake --install build [--prefix DIR]     bin/, the desktop entry, AppStream
#                                             metainfo, hicolor icons, man pages,
#                                             bash completion, licence
#   cpack --config build/CPackConfig.cmake -G DEB    (see scripts/package)
#
# The documentation folder is named after the package (Debian looks for
# /usr/share/doc/digitpad/copyright), not after project().
set(CMAKE_INSTALL_DOCDIR "share/doc/digitpad")
include(GNUInstallDirs)

# DIGITPAD_APP_ID and DIGITPAD_RELEASE_DATE(_RFC2822) are set in the
# top-level CMakeLists.txt, beside project()'s version.
set(DIGITPAD_MAINTAINER "DigitPad maintainers <maintainers@users.noreply.r-seed-609dc930.example>")
set(DIGITPAD_HOMEPAGE "https://github.com/digitpad/digitpad" CACHE STRING
    "The project's home page (AppStream metainfo, package)")
set(DIGITPAD_SCREENSHOT_URL "${DIGITPAD_HOMEPAGE}/raw/main/docs/screenshots" CACHE STRING
    "Where the metainfo's screenshots are published (docs/screenshots of the repository)")

set(_dist ${PROJECT_SOURCE_DIR}/dist)
set(_gen ${PROJECT_BINARY_DIR}/dist)
configure_file(${_dist}/${DIGITPAD_APP_ID}.metainfo.xml.in ${_gen}/${DIGITPAD_APP_ID}.metainfo.xml @ONLY)
configure_file(${_dist}/digitpad.1.in ${_gen}/digitpad.1 @ONLY)
configure_file(${_dist}/copyright ${_gen}/copyright @ONLY)
configure_file(${_dist}/changelog.in ${_gen}/changelog @ONLY)

# The CLI's man page and completion come from its own command table, so
# they are written by the built program.
add_custom_command(
  OUTPUT ${_gen}/digitpad-cli.1 ${_gen}/digitpad-cli.bash-completion
  COMMAND digitpad-cli help --man > ${_gen}/digitpad-cli.1
  COMMAND digitpad-cli help --bash-completion > ${_gen}/digitpad-cli.bash-completion
  DEPENDS digitpad-cli
  COMMENT "Writing digitpad-cli's man page and bash completion"
  VERBATIM)
# Debian wants man pages and the changelog compressed, reproducibly (-n: no
# name or time stamp in the .gz).
find_program(DIGITPAD_GZIP gzip)
set(_docs ${_gen}/digitpad-cli.1 ${_gen}/digitpad-cli.bash-completion)
if(DIGITPAD_GZIP)
  foreach(_f digitpad.1 digitpad-cli.1 changelog)
    add_custom_command(OUTPUT ${_gen}/${_f}.gz
      COMMAND ${DIGITPAD_GZIP} -9nc ${_gen}/${_f} > ${_gen}/${_f}.gz
      DEPENDS ${_gen}/${_f}
      VERBATIM)
    list(APPEND _docs ${_gen}/${_f}.gz)
  endforeach()
  set(_man digitpad.1.gz digitpad-cli.1.gz)
else()
  set(_man digitpad.1 digitpad-cli.1)
endif()
add_custom_target(digitpad-docs ALL DEPENDS ${_docs})

# The engine: a private library folder, one build per CPU level; the
# loader picks the best the CPU supports from the glibc-hwcaps
# subdirectories (nn/CMakeLists.txt). The programs find the folder through a
# RUNPATH relative to themselves, so the package and any --prefix work alike.
set(DIGITPAD_ENGINE_DIR "${CMAKE_INSTALL_LIBDIR}/digitpad")
file(RELATIVE_PATH _bin_to_engine "/${CMAKE_INSTALL_BINDIR}" "/${DIGITPAD_ENGINE_DIR}")
set_target_properties(digitpad digitpad-cli PROPERTIES INSTALL_RPATH "$ORIGIN/${_bin_to_engine}")
install(TARGETS digitpad digitpad-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(TARGET digitnn)
  get_target_property(_type digitnn TYPE)
  if(_type STREQUAL "SHARED_LIBRARY")
    install(TARGETS digitnn LIBRARY DESTINATION ${DIGITPAD_ENGINE_DIR} NAMELINK_SKIP)
    foreach(_v ${DIGITPAD_ENGINE_VARIANTS})
      get_target_property(_sub ${_v} DIGITPAD_HWCAPS_DIR)
      install(TARGETS ${_v} LIBRARY DESTINATION ${DIGITPAD_ENGINE_DIR}/${_sub} NAMELINK_SKIP)
    endforeach()
  endif()
endif()
install(FILES ${_dist}/${DIGITPAD_APP_ID}.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${_gen}/${DIGITPAD_APP_ID}.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/digitpad.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps RENAME ${DIGITPAD_APP_ID}.svg)
foreach(_size 16 24 32 48 64 128 256 512)
  install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/digitpad-${_size}.png
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${_size}x${_size}/apps RENAME ${DIGITPAD_APP_ID}.png)
endforeach()
foreach(_m ${_man})
  install(FILES ${_gen}/${_m} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endforeach()
install(FILES ${_gen}/digitpad-cli.bash-completion
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME digitpad-cli)
install(FILES ${_gen}/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
if(DIGITPAD_GZIP)
  install(FILES ${_gen}/changelog.gz DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME changelog.gz)  # a native package's name for it
endif()

# ---- the Debian package
if(DIGITPAD_NATIVE)
  message(STATUS "DIGITPAD_NATIVE is ON: a package built now runs only on CPUs like this one "
                 "(leave DIGITPAD_NATIVE OFF, the default, for one that runs on any x86-64)")
endif()
set(CPACK_PACKAGE_NAME "digitpad")
set(CPACK_PACKAGE_VENDOR "The DigitPad developers")
set(CPACK_PACKAGE_CONTACT "${DIGITPAD_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "draw a digit and watch a neural network recognise it")
set(CPACK_PACKAGE_DESCRIPTION
    "DigitPad is a drawing pad with a convolutional neural network behind it.
Draw a digit and watch the network's ten class probabilities change with
every stroke; train and retrain it from the window while it keeps
answering; evaluate it, browse MNIST with its predictions, preview data
augmentation and fine-tune on your own handwriting.

The network, its training and optimizers are DigitPad's own code. The
package also contains digitpad-cli, a command-line tool on the same engine
for training, evaluation, prediction on image files and benchmarks.")
set(CPACK_PACKAGE_HOMEPAGE_URL "${DIGITPAD_HOMEPAGE}")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)          # Depends from the binaries' real needs
# dpkg-shlibdeps finds our own engine library in the package itself (a path
# in the staging folder, where it runs).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS "usr/${DIGITPAD_ENGINE_DIR}")
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
# Loaded at run time (the run history), so shlibdeps cannot see it.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite")
# The Chinese interface (issue 19) wants a CJK font and Qt's own zh_CN
# strings (the buttons of standard dialogs); suggested, not pulled in for all.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "fonts-noto-cjk, qt6-translations-l10n")
set(CPACK_DEBIAN_COMPRESSION_TYPE "xz")
set(CPACK_GENERATOR "DEB")
include(CPack)
