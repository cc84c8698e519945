# Our Engine.IO server: against the real Node engine.io-client 6.6 (node/engineio-client.mjs), and
# a table of bad and hostile input over raw sockets while a well-behaved client keeps talking.
qt_add_library(roomcast_serverharness STATIC
    ${CMAKE_CURRENT_LIST_DIR}/serverharness.h ${CMAKE_CURRENT_LIST_DIR}/serverharness.cpp)
target_link_libraries(roomcast_serverharness PUBLIC roomcast_core roomcast_nodepeer Qt6::Test)

roomcast_add_test(tst_engineio_server
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_engineio_server.cpp
    LIBRARIES roomcast_serverharness
    LABELS interop)

roomcast_add_test(tst_engineio_server_badinput
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_engineio_server_badinput.cpp
        ${CMAKE_CURRENT_LIST_DIR}/rawhttp.h ${CMAKE_CURRENT_LIST_DIR}/rawhttp.cpp
    LIBRARIES roomcast_serverharness
    LABELS interop)

roomcast_add_test(tst_engineio_server_linger
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_engineio_server_linger.cpp
        ${CMAKE_CURRENT_LIST_DIR}/rawhttp.h ${CMAKE_CURRENT_LIST_DIR}/rawhttp.cpp
    LIBRARIES roomcast_serverharness
    LABELS interop)
