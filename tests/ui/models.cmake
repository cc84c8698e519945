# tests/ui: models suites (roomcast_add_test … LABELS ui)
roomcast_add_test(tst_conversations
    SOURCES tst_conversations.cpp
    LIBRARIES roomcast_ui roomcast_server roomcast_core
    LABELS ui)
roomcast_add_test(tst_lists
    SOURCES tst_lists.cpp
    LIBRARIES roomcast_ui roomcast_server roomcast_core
    LABELS ui)
roomcast_add_test(tst_tailwindow
    SOURCES tst_tailwindow.cpp
    LIBRARIES roomcast_ui roomcast_core
    LABELS ui)
