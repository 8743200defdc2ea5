# cmake -DSOURCE_DIR=<repo>/src -P CheckLayers.cmake
# Fails when a file under src/ui or src/render reaches, directly or through the headers it
# includes, the worker protocol (core/wire/) or the session itself (core/session/session.h,
# core/session/session_runner.h). The UI acts through ui/session_actions.h and reads snapshots
# and replies; it must not see workers, channels or the guardian.
cmake_minimum_required(VERSION 3.25)
if(NOT SOURCE_DIR)
    message(FATAL_ERROR "CheckLayers.cmake: pass -DSOURCE_DIR=<repo>/src")
endif()
set(FORBIDDEN_REGEX "^core/wire/|^core/session/session\\.h$|^core/session/session_runner\\.h$")

# Sets <out> to the project headers (relative to SOURCE_DIR) that <file> includes with quotes.
function(direct_includes file out)
    file(STRINGS "${file}" lines REGEX "^[ \t]*#[ \t]*include[ \t]+\"")
    set(found "")
    foreach(line IN LISTS lines)
        string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]+\"([^\"]+)\".*" "\\1" header "${line}")
        if(EXISTS "${SOURCE_DIR}/${header}")
            list(APPEND found "${header}")
        endif()
    endforeach()
    set(${out} "${found}" PARENT_SCOPE)
endfunction()

file(GLOB_RECURSE checked RELATIVE "${SOURCE_DIR}" "${SOURCE_DIR}/ui/*.h" "${SOURCE_DIR}/ui/*.cpp"
     "${SOURCE_DIR}/render/*.h" "${SOURCE_DIR}/render/*.cpp")
set(violations "")
foreach(start IN LISTS checked)
    # Breadth-first over the include graph; `via` remembers how each header was reached.
    set(queue "${start}")
    set(seen "${start}")
    set(via_${start} "${start}")
    while(queue)
        list(POP_FRONT queue current)
        direct_includes("${SOURCE_DIR}/${current}" headers)
        foreach(header IN LISTS headers)
            if(header IN_LIST seen)
                continue()
            endif()
            list(APPEND seen "${header}")
            set(via_${header} "${via_${current}} -> ${header}")
            if(header MATCHES "${FORBIDDEN_REGEX}")
                list(APPEND violations "${via_${header}}")
            else()
                list(APPEND queue "${header}")
            endif()
        endforeach()
    endwhile()
endforeach()

if(violations)
    list(JOIN violations "\n  " text)
    message(FATAL_ERROR "The UI reaches the session's internals (see cmake/CheckLayers.cmake):\n  ${text}")
endif()
list(LENGTH checked count)
message(STATUS "Layers: none of ${count} ui/ and render/ files includes core/wire or the session.")
