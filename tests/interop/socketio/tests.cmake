roomcast_add_test(tst_socketio_client
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_socketio_client.cpp
    LIBRARIES roomcast_core roomcast_nodepeer
    LABELS interop)

# A program that ends while its engine is still closing (tst_socketio_client runs it).
qt_add_executable(exitwhileclosing ${CMAKE_CURRENT_LIST_DIR}/exitwhileclosing.cpp)
target_link_libraries(exitwhileclosing PRIVATE roomcast_core)
target_compile_definitions(tst_socketio_client PRIVATE ROOMCAST_EXIT_WHILE_CLOSING="$<TARGET_FILE:exitwhileclosing>")
add_dependencies(tst_socketio_client exitwhileclosing)
