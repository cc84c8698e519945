# tests/ui: widgets suites (roomcast_add_test … LABELS ui)
roomcast_add_test(tst_dialogs
    SOURCES tst_dialogs.cpp
    LIBRARIES roomcast_ui
    LABELS ui)
# The same suite without a Secret Service, as tst_tokenstore_nokeychain.
add_test(NAME tst_dialogs_nokeychain COMMAND tst_dialogs)
set_tests_properties(tst_dialogs_nokeychain PROPERTIES
    LABELS ui
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;ROOMCAST_TEST_KEYCHAIN=absent;DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent")
roomcast_add_test(tst_startpage
    SOURCES tst_startpage.cpp
    LIBRARIES roomcast_ui
    LABELS ui)
roomcast_add_test(tst_hostingpanel
    SOURCES tst_hostingpanel.cpp
    LIBRARIES roomcast_ui
    LABELS ui)
add_test(NAME tst_hostingpanel_nokeychain COMMAND tst_hostingpanel)
set_tests_properties(tst_hostingpanel_nokeychain PROPERTIES
    LABELS ui
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;ROOMCAST_TEST_KEYCHAIN=absent;DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent")
roomcast_add_test(tst_resources
    SOURCES tst_resources.cpp
    LIBRARIES roomcast_ui
    LABELS ui)
target_compile_definitions(tst_resources PRIVATE ROOMCAST_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
# The .desktop file by the freedesktop.org validator (desktop-file-utils, from scripts/deps.sh).
find_program(DESKTOP_FILE_VALIDATE desktop-file-validate)
if(DESKTOP_FILE_VALIDATE)
    add_test(NAME roomcast_desktop_file COMMAND ${DESKTOP_FILE_VALIDATE} ${PROJECT_SOURCE_DIR}/resources/roomcast.desktop)
    set_tests_properties(roomcast_desktop_file PROPERTIES LABELS ui)
else()
    message(WARNING "desktop-file-validate not found (desktop-file-utils, see scripts/deps.sh): "
                    "resources/roomcast.desktop is not validated")
endif()
# cmake --install puts the .desktop file and the icon where desktops look for them.
add_test(NAME roomcast_install_layout
    COMMAND ${CMAKE_COMMAND} -DBUILD_DIR=${PROJECT_BINARY_DIR} -DPREFIX=${CMAKE_CURRENT_BINARY_DIR}/install-check
            -P ${CMAKE_CURRENT_SOURCE_DIR}/checkinstall.cmake)
set_tests_properties(roomcast_install_layout PROPERTIES LABELS ui)
roomcast_add_test(tst_mainwindow
    SOURCES tst_mainwindow.cpp
    LIBRARIES roomcast_ui roomcast_server roomcast_core
    LABELS ui)
roomcast_add_test(tst_hostwindow
    SOURCES tst_hostwindow.cpp
    LIBRARIES roomcast_ui roomcast_server roomcast_core
    LABELS ui)
# The window in a real X server (Xvfb) and a screenshot of it in the build tree.
qt_add_executable(tst_screenshot tst_screenshot.cpp)
target_link_libraries(tst_screenshot PRIVATE Qt6::Test roomcast_ui roomcast_server roomcast_core)
target_compile_definitions(tst_screenshot PRIVATE ROOMCAST_SCREENSHOT_DIR="${PROJECT_BINARY_DIR}/screenshots")
find_program(XVFB_RUN xvfb-run)
if(XVFB_RUN)
    add_test(NAME tst_screenshot
             COMMAND ${XVFB_RUN} -a -s "-screen 0 1280x800x24" $<TARGET_FILE:tst_screenshot>)
    set_tests_properties(tst_screenshot PROPERTIES LABELS ui ENVIRONMENT "QT_QPA_PLATFORM=xcb")
else()
    message(WARNING "xvfb-run not found (xvfb, see scripts/deps.sh): no screenshot test")
endif()
