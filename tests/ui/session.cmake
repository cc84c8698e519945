# tests/ui: session suites (roomcast_add_test … LABELS ui)
roomcast_add_test(tst_joinurl
    SOURCES tst_joinurl.cpp
    LIBRARIES roomcast_ui roomcast_server roomcast_core
    LABELS ui)
roomcast_add_test(tst_singleinstance
    SOURCES tst_singleinstance.cpp
    LIBRARIES roomcast_ui roomcast_server roomcast_core
    LABELS ui)
