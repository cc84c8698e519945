roomcast_add_test(tst_socketio_client
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_socketio_client.cpp
    LIBRARIES roomcast_core roomcast_nodepeer
    LABELS interop)
