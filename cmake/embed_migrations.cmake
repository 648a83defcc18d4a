# ms_embed_migrations(MODULE DIR OUT_VAR)
#
# Turns DIR/NNN_name.sql into a C file defining
#   const struct store_migration MODULE_migrations[];
#   const size_t MODULE_migrations_count;
# so migrations are compiled into the binary. The generated file is rebuilt
# whenever a .sql file changes (and CMake re-globs when one is added).
function(ms_embed_migrations module dir out_var)
  file(GLOB sqls CONFIGURE_DEPENDS ${dir}/*.sql)
  list(SORT sqls)
  set(out ${CMAKE_BINARY_DIR}/generated/${module}_migrations.c)
  string(REPLACE ";" "|" sql_args "${sqls}")
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DMODULE=${module} -DOUT=${out} "-DSQLS=${sql_args}"
            -P ${CMAKE_SOURCE_DIR}/cmake/embed_migrations_run.cmake
    DEPENDS ${sqls} ${CMAKE_SOURCE_DIR}/cmake/embed_migrations_run.cmake
    COMMENT "Embedding ${module} migrations" VERBATIM)
  set(${out_var} ${out} PARENT_SCOPE)
endfunction()
