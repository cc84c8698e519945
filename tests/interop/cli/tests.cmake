# roomcast-cli: its line codec and command line (no sockets), and the program itself driven
# through stdin/stdout against the real Node socket.io server (node/socketio-server.mjs).
roomcast_add_test(tst_cli_lines
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_cli_lines.cpp
    LIBRARIES roomcast_cli
    LABELS unit)

roomcast_add_test(tst_cli
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_cli.cpp
    LIBRARIES roomcast_nodepeer
    LABELS interop)
target_compile_definitions(tst_cli PRIVATE ROOMCAST_CLI="$<TARGET_FILE:roomcast-cli>")
add_dependencies(tst_cli roomcast-cli)
