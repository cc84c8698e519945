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
