# tests/ui: session suites (roomcast_add_test … LABELS ui)
roomcast_add_test(tst_joinurl
    SOURCES tst_joinurl.cpp
    LIBRARIES roomcast_ui roomcast_server roomcast_core
    LABELS ui)
roomcast_add_test(tst_singleinstance
    SOURCES tst_singleinstance.cpp
    LIBRARIES roomcast_ui roomcast_server roomcast_core
    LABELS ui)
roomcast_add_test(tst_tokenstore
    SOURCES tst_tokenstore.cpp
    LIBRARIES roomcast_ui roomcast_server roomcast_core
    LABELS ui)
# The same suite where no Secret Service can be reached: the session bus points nowhere, and the
# test moves HOME and the XDG directories to a temporary directory it scans afterwards.
add_test(NAME tst_tokenstore_nokeychain COMMAND tst_tokenstore)
set_tests_properties(tst_tokenstore_nokeychain PROPERTIES
    LABELS ui
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;ROOMCAST_TEST_KEYCHAIN=absent;DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent")
roomcast_add_test(tst_hostcontroller
    SOURCES tst_hostcontroller.cpp
    LIBRARIES roomcast_ui roomcast_server roomcast_core
    LABELS ui)
# The same suite without a Secret Service, as tst_tokenstore_nokeychain.
add_test(NAME tst_hostcontroller_nokeychain COMMAND tst_hostcontroller)
set_tests_properties(tst_hostcontroller_nokeychain PROPERTIES
    LABELS ui
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;ROOMCAST_TEST_KEYCHAIN=absent;DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent")
roomcast_add_test(tst_recentservers
    SOURCES tst_recentservers.cpp
    LIBRARIES roomcast_ui
    LABELS ui)
roomcast_add_test(tst_i18n
    SOURCES tst_i18n.cpp
    LIBRARIES roomcast_ui roomcast_core
    LABELS ui)
target_compile_definitions(tst_i18n PRIVATE ROOMCAST_TRANSLATIONS_DIR="${PROJECT_SOURCE_DIR}/translations")
# The catalogues hold every string of the sources: lupdate, run on copies of them, changes nothing.
string(JOIN " " lupdate_options ${ROOMCAST_LUPDATE_OPTIONS})
add_test(NAME roomcast_translations_current
    COMMAND ${CMAKE_COMMAND} -DLUPDATE=$<TARGET_FILE:Qt6::lupdate> -DLST=${ROOMCAST_LUPDATE_LST}
            "-DOPTIONS=${lupdate_options}" -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
            -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/translations-check
            "-DTS_FILES=${ROOMCAST_TS_FILES}" "-DPLURALS_TS_FILES=${ROOMCAST_PLURALS_TS_FILES}"
            -P ${CMAKE_CURRENT_SOURCE_DIR}/checktranslations.cmake)
set_tests_properties(roomcast_translations_current PROPERTIES LABELS ui)
