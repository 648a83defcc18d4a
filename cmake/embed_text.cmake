# ms_embed_text(SYMBOL INPUT OUT_VAR)
#
# Turns the text file INPUT into a generated C file defining
#   const char SYMBOL[];
# (the file's bytes, NUL-terminated) and sets OUT_VAR to that file's path, to
# be added to a target's sources. The C file is regenerated at build time
# whenever INPUT (or this script) changes.
#
# This one file is both halves: included from CMakeLists.txt it defines the
# function; run as `cmake -P embed_text.cmake` (script mode) it writes OUT.
# Every byte is written as a \xNN escape in adjacent string literals, so UTF-8
# text compiles cleanly whatever the signedness of char.

if(NOT CMAKE_SCRIPT_MODE_FILE)
  function(ms_embed_text symbol input out_var)
    set(out ${CMAKE_BINARY_DIR}/generated/${symbol}.c)
    add_custom_command(
      OUTPUT ${out}
      COMMAND ${CMAKE_COMMAND} -DSYMBOL=${symbol} -DINPUT=${input} -DOUT=${out}
              -P ${CMAKE_CURRENT_FUNCTION_LIST_FILE}
      DEPENDS ${input} ${CMAKE_CURRENT_FUNCTION_LIST_FILE}
      COMMENT "Embedding ${input} as ${symbol}" VERBATIM)
    set(${out_var} ${out} PARENT_SCOPE)
  endfunction()
  return()
endif()

file(READ ${INPUT} hex HEX)
string(LENGTH "${hex}" hex_len)
set(lines "")
set(pos 0)
while(pos LESS hex_len)
  # 32 bytes (64 hex digits) per line.
  string(SUBSTRING "${hex}" ${pos} 64 chunk)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" chunk "${chunk}")
  string(APPEND lines "    \"${chunk}\"\n")
  math(EXPR pos "${pos} + 64")
endwhile()
get_filename_component(name ${INPUT} NAME)
set(body "/* Generated from ${name} by cmake/embed_text.cmake. Do not edit. */\n")
string(APPEND body "extern const char ${SYMBOL}[];\n")
string(APPEND body "const char ${SYMBOL}[] =\n${lines}    \"\";\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUT}.tmp)
