# Runs lupdate as update_translations does, on copies of the translations/ catalogues in WORK_DIR:
# a catalogue that comes out changed lacks strings of the sources, or keeps strings they no longer
# have. Run by CTest (session.cmake) with LUPDATE, LST (lupdate's @lst file of sources and
# include paths), OPTIONS (space-separated), SOURCE_DIR, WORK_DIR, TS_FILES and PLURALS_TS_FILES
# (lupdate -pluralonly).
cmake_minimum_required(VERSION 3.21)
separate_arguments(options UNIX_COMMAND "${OPTIONS}")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(stale "")
foreach(kind IN ITEMS TS_FILES PLURALS_TS_FILES)
    set(extra "")
    if(kind STREQUAL "PLURALS_TS_FILES")
        set(extra -pluralonly)
    endif()
    foreach(ts IN LISTS ${kind})
        set(original "${SOURCE_DIR}/translations/${ts}")
        set(copy "${WORK_DIR}/${ts}")
        file(COPY_FILE "${original}" "${copy}")
        execute_process(COMMAND "${LUPDATE}" "@${LST}" ${extra} ${options} -ts "${copy}"
                        RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
        if(NOT result EQUAL 0)
            message(FATAL_ERROR "lupdate failed on ${ts}: ${result}\n${output}")
        endif()
        file(READ "${original}" before)
        file(READ "${copy}" after)
        if(before STREQUAL after)
            message(STATUS "current: translations/${ts}")
        else()
            list(APPEND stale "${ts}")
            message(STATUS "${ts}:\n${output}")
        endif()
    endforeach()
endforeach()
file(REMOVE_RECURSE "${WORK_DIR}")
if(stale)
    message(FATAL_ERROR "not current: ${stale}. Run `cmake --build <build> --target update_translations` "
                        "then translate what it adds (type=\"unfinished\").")
endif()
