/*
 * cli.h - the command-line framework: the command table, option parsing
 * helpers, database opening and the exit codes.
 *
 * Adding a command: write `int cmd_x(int argc, char **argv)` that parses its
 * options with getopt_long (argv[0] is the command name), does its work
 * through domain functions and returns an exit code; then list it in a
 * module's command table (or in main.c's built-ins). Errors are printed once,
 * by the command, with cli_error(); nothing below it prints.
 */
#ifndef MS_CLI_H
#define MS_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "core/actor.h"
#include "core/err.h"

struct store;

enum cli_exit {
    CLI_OK = 0,
    CLI_FAIL = 1,      /* the operation failed; the message says why */
    CLI_USAGE = 2,     /* bad command line */
    CLI_INTEGRITY = 3, /* a check found tampering or corruption */
};

struct cli_command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;    /* English, one line */
    const char *summary_zh; /* Chinese, one line */
};

/* Prints "minsheng: <message>" (and the field, if any) to stderr; returns
 * the exit code for err: CLI_USAGE for usage errors, CLI_INTEGRITY for
 * integrity errors, CLI_FAIL otherwise. */
int cli_error(const struct ms_err *err);

/* printf-style message to stderr with the "minsheng: " prefix; returns code. */
int cli_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The database URL: the --db option, else MINSHENG_DB, else NULL. */
const char *cli_db_url(const char *option);

/*
 * Opens the database for a command and checks that its schema matches this
 * binary (unless is_migrate). Returns 0, or an exit code after printing why.
 */
int cli_open_store(const char *option_url, int is_migrate, struct store **out);

/* The actor for audit entries made from the command line: "cli:<os user>". */
void cli_actor(struct ms_actor *out);

/* Prints a command's usage to f and returns code. */
typedef int cli_usage_fn(FILE *f, int code);

/*
 * The start of a command with subcommands (`minsheng user add ...`). With no
 * subcommand it prints the usage to stderr and returns CLI_USAGE; for
 * help, --help or -h it prints it to stdout and returns CLI_OK. Otherwise it
 * sets *sub and returns -1: go on.
 */
int cli_subcommand(int argc, char **argv, cli_usage_fn *usage, const char **sub);

/*
 * Parses an option's whole-number value in [min, max]. Returns 0, or prints
 * "<what> takes a whole number from min to max, not 'text'" and returns
 * CLI_USAGE; empty text, signs out of range, junk and overflow are refused.
 */
int cli_int_option(const char *what, const char *text, long long min, long long max,
                   long long *out);

/* Reads one line (without its newline) from stdin into buf; 0 or -1. */
int cli_read_secret(char *buf, size_t size);

/*
 * A one-line progress bar on stderr for long commands, drawn only when
 * stderr is a terminal and at most five times a second:
 *     [##########....................]  34% 91234/270000 rows  45012/s  2.0s
 * Start it with cli_bar_start(), call cli_bar_draw() as work progresses and
 * cli_bar_end() once (it ends the line if anything was drawn).
 */
struct cli_bar {
    double start_ms, last_ms;
    int enabled, shown;
    const char *unit; /* "rows", "residents", "bytes" */
};
void cli_bar_start(struct cli_bar *b, const char *unit);
void cli_bar_draw(struct cli_bar *b, long long done, long long total);
void cli_bar_end(struct cli_bar *b);

/* 1 if standard output is a terminal (for progress bars and colour). */
int cli_is_tty(void);

#endif
