# The Debian package (scripts/package.sh; docs/operations.md): with ESSC_PACKAGE on,
# `cpack` in the build folder makes essc_<version>_amd64.deb holding /usr/bin/essc, the
# hardened unit deploy/systemd/essc.service, a daily backup (essc-backup.timer and its
# service), /etc/essc/essc.toml (a conffile: the text
# `essc init` writes), a man page help2man makes from `essc --help`, and the maintainer
# scripts of deploy/debian/.
find_program(HELP2MAN help2man REQUIRED)
set(package_dir ${CMAKE_CURRENT_BINARY_DIR}/package)

# The config the package installs is the one `essc init` writes, so they cannot drift.
add_custom_command(
  OUTPUT ${package_dir}/essc.toml
  COMMAND ${CMAKE_COMMAND} -E rm -rf ${package_dir}/init
  COMMAND $<TARGET_FILE:essc> init --data-dir ${package_dir}/init > /dev/null
  COMMAND ${CMAKE_COMMAND} -E copy ${package_dir}/init/essc.toml ${package_dir}/essc.toml
  COMMAND ${CMAKE_COMMAND} -E rm -rf ${package_dir}/init
  DEPENDS essc
  VERBATIM)
add_custom_command(
  OUTPUT ${package_dir}/essc.1.gz
  COMMAND ${HELP2MAN} --no-info --section=1 --locale=C.UTF-8
          --name=the\ electronic\ social\ security\ card\ platform
          --include=${CMAKE_CURRENT_SOURCE_DIR}/deploy/debian/essc.h2m
          --output=${package_dir}/essc.1 $<TARGET_FILE:essc>
  COMMAND gzip -9nf ${package_dir}/essc.1
  DEPENDS essc ${CMAKE_CURRENT_SOURCE_DIR}/deploy/debian/essc.h2m
  VERBATIM)
add_custom_target(essc_package_files ALL DEPENDS ${package_dir}/essc.toml ${package_dir}/essc.1.gz)

install(TARGETS essc RUNTIME DESTINATION bin)
install(FILES ${package_dir}/essc.1.gz DESTINATION share/man/man1)
install(FILES deploy/systemd/essc.service deploy/systemd/essc-backup.service deploy/systemd/essc-backup.timer
        DESTINATION /lib/systemd/system)
install(FILES ${package_dir}/essc.toml DESTINATION /etc/essc)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME essc)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "electronic social security card platform")
set(CPACK_PACKAGE_DESCRIPTION
    "essc issues, manages and verifies electronic social security cards: e-card issuance in\n"
    "channel apps, QR codes, medical-insurance settlement, contributions and an audit log.\n"
    "The package runs it as the systemd service essc.service on /var/lib/essc.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "essc maintainers <essc@localhost>")
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The maintainer scripts use useradd (passwd), runuser (util-linux) and deb-systemd-helper;
# the 参保证明 PDF embeds Noto Sans CJK (fonts-noto-cjk), found through fontconfig.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "passwd, util-linux, init-system-helpers, fonts-noto-cjk")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "age, prometheus")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_CURRENT_SOURCE_DIR}/deploy/debian/conffiles ${CMAKE_CURRENT_SOURCE_DIR}/deploy/debian/postinst
    ${CMAKE_CURRENT_SOURCE_DIR}/deploy/debian/prerm ${CMAKE_CURRENT_SOURCE_DIR}/deploy/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
