roomcast_add_test(tst_socketio_server
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_socketio_server.cpp
    LIBRARIES roomcast_core roomcast_nodepeer
    LABELS interop)
