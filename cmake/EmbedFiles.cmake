# shmviz_embed_files(OUTPUT <cpp> SYMBOL <name> FILES <f>...)
# Generates a C++ source defining
#   std::span<const shmviz::EmbeddedFile> <name>()
# whose entries hold each file's base name and contents. The source is
# regenerated at build time whenever one of the files changes.
set(_SHMVIZ_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/EmbedFilesScript.cmake)

function(shmviz_embed_files)
    cmake_parse_arguments(ARG "" "OUTPUT;SYMBOL" "FILES" ${ARGN})
    string(REPLACE ";" "|" _files "${ARG_FILES}")
    add_custom_command(
        OUTPUT ${ARG_OUTPUT}
        COMMAND ${CMAKE_COMMAND} "-DOUTPUT=${ARG_OUTPUT}" "-DSYMBOL=${ARG_SYMBOL}" "-DFILES=${_files}"
                -P ${_SHMVIZ_EMBED_SCRIPT}
        DEPENDS ${ARG_FILES} ${_SHMVIZ_EMBED_SCRIPT}
        COMMENT "Embedding ${ARG_SYMBOL}"
        VERBATIM)
endfunction()
