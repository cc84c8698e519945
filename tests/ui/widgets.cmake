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
