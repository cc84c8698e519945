# Engine.IO client against the real Node engine.io 6.6 server (node/engineio-server.mjs).
roomcast_add_test(tst_engineio_client
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_engineio_client.cpp
    LIBRARIES roomcast_core roomcast_nodepeer
    LABELS interop)
