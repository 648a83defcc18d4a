/*
 * commands.h - the built-in commands of main.c (module commands come from
 * the module tables).
 */
#ifndef MS_CLI_COMMANDS_H
#define MS_CLI_COMMANDS_H

int cmd_serve(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_db(int argc, char **argv);

#endif
