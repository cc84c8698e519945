roomcast_add_test(tst_chat_server
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_chat_server.cpp
    LIBRARIES roomcast_core roomcast_nodepeer
    LABELS interop)
target_compile_definitions(tst_chat_server PRIVATE ROOMCAST_SERVER="$<TARGET_FILE:roomcast-server>")
add_dependencies(tst_chat_server roomcast-server)
