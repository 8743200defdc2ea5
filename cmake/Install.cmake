# What `sudo ./shmviz.sh install PREFIX` puts under PREFIX (cmake --install). The app is on the
# PATH; the worker and shmviz-pagemap live together in libexec/shmviz, where the app looks for
# them (core/wire/child_process.cpp). shmviz.sh then gives shmviz-pagemap alone its group and
# capability: root:shmviz 0750, cap_sys_admin+ep (README, "Frame numbers and the shmviz group").
include(GNUInstallDirs)
set(SHMVIZ_LIBEXEC_DIR ${CMAKE_INSTALL_LIBEXECDIR}/shmviz)
install(TARGETS shmviz RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS shmviz-worker RUNTIME DESTINATION ${SHMVIZ_LIBEXEC_DIR})
install(TARGETS shmviz-pagemap RUNTIME DESTINATION ${SHMVIZ_LIBEXEC_DIR}
        PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/assets/lessons/ DESTINATION ${CMAKE_INSTALL_DATADIR}/shmviz/lessons
        FILES_MATCHING PATTERN "*.steps")
install(FILES ${PROJECT_SOURCE_DIR}/assets/icons/shmviz.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
# The desktop entry names the binary by its absolute path, known only when installing.
install(CODE "
    configure_file(\"${PROJECT_SOURCE_DIR}/assets/shmviz.desktop.in\"
                   \"${CMAKE_CURRENT_BINARY_DIR}/shmviz.desktop\" @ONLY)
    file(INSTALL DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DATADIR}/applications\"
         TYPE FILE FILES \"${CMAKE_CURRENT_BINARY_DIR}/shmviz.desktop\")")
