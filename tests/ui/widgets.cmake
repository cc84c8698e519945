# tests/ui: widgets suites (roomcast_add_test … LABELS ui)
roomcast_add_test(tst_mainwindow
    SOURCES tst_mainwindow.cpp
    LIBRARIES roomcast_ui roomcast_server roomcast_core
    LABELS ui)
