/*
 * jobs_cli.c - `minsheng jobs`: list the scheduled jobs, change one, run one
 * now (for a district that prefers the system's cron or a systemd timer to
 * the server's scheduler), and read the run log.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "modules/jobs/jobs.h"
#include "modules/jobs/jobs_int.h"
#include "store/store.h"

#include "core/banned.h"

static int usage(FILE *f, int code)
{
    fprintf(f, "usage: minsheng jobs list [--db URL]\n"
               "       minsheng jobs set NAME [--schedule CRON] [--enable | --disable] [--db URL]\n"
               "       minsheng jobs run NAME [--db URL]\n"
               "       minsheng jobs runs [--job NAME] [--db URL]\n"
               "\n"
               "  Scheduled jobs (定时任务) the modules offer: monitoring scans, payment runs,\n"
               "  recovery detection, duplicate search. A job is disabled until enabled; an\n"
               "  enabled job runs in `minsheng serve` when its schedule comes. CRON is five\n"
               "  fields in China time: minute hour day-of-month month day-of-week, e.g.\n"
               "  \"0 2 * * *\" (every day at 02:00) or \"0 3 5 * *\" (the 5th at 03:00).\n"
               "  `run` runs a job now and waits; it fails (exit 1) if the job is running or\n"
               "  the job itself fails. Every change and run is audited.\n");
    return code;
}

static const char *or_dash(const char *s)
{
    return s && *s ? s : "-";
}

static int do_list(struct store *st)
{
    struct ms_arena arena;
    struct jobs_job *j;
    size_t n;
    struct ms_err err = MS_ERR_INIT;
    ms_arena_init(&arena, 4096);
    if (jobs_list(st, &arena, &j, &n, &err) < 0) {
        ms_arena_release(&arena);
        return cli_error(&err);
    }
    printf("%-26s %-4s %-16s %-25s %s\n", "job", "on", "schedule", "next run (UTC)", "last run");
    for (size_t i = 0; i < n; i++)
        printf("%-26s %-4s %-16s %-25s %s %s\n", j[i].name, j[i].is_enabled ? "yes" : "no",
               j[i].schedule, or_dash(j[i].next_run_at), or_dash(j[i].last_status),
               j[i].last_run_id ? j[i].last_summary : "");
    ms_arena_release(&arena);
    return CLI_OK;
}

static int do_run(struct store *st, const char *name)
{
    struct ms_err err = MS_ERR_INIT;
    struct ms_actor actor;
    int64_t run_id = 0;
    int ok = 0;
    cli_actor(&actor);
    if (jobs_run_now(st, name, &actor, &run_id, &ok, &err) < 0)
        return cli_error(&err);
    struct ms_arena arena;
    struct jobs_run *r;
    size_t n;
    ms_arena_init(&arena, 1024);
    if (jobs_runs(st, name, 1, 1, &arena, &r, &n, &err) < 0) {
        ms_arena_release(&arena);
        return cli_error(&err);
    }
    if (n)
        printf("run %lld of %s: %s in %lld ms%s%s\n", (long long)run_id, name, r[0].status,
               (long long)r[0].duration_ms, *r[0].summary ? ": " : "",
               ok ? r[0].summary : r[0].error);
    ms_arena_release(&arena);
    return ok ? CLI_OK : CLI_FAIL;
}

static int do_runs(struct store *st, const char *job)
{
    struct ms_arena arena;
    struct jobs_run *r;
    size_t n;
    struct ms_err err = MS_ERR_INIT;
    ms_arena_init(&arena, 4096);
    if (jobs_runs(st, job, 1, 100, &arena, &r, &n, &err) < 0) {
        ms_arena_release(&arena);
        return cli_error(&err);
    }
    for (size_t i = 0; i < n; i++)
        printf("%lld %s %s %s %s %lld ms %s %s\n", (long long)r[i].id, r[i].job, r[i].kind,
               r[i].status, r[i].started_at, (long long)r[i].duration_ms, r[i].started_by,
               *r[i].error ? r[i].error : r[i].summary);
    ms_arena_release(&arena);
    return CLI_OK;
}

static int cmd_jobs(int argc, char **argv)
{
    static const struct option opts[] = {
        {"schedule", required_argument, NULL, 's'}, {"enable", no_argument, NULL, 'e'},
        {"disable", no_argument, NULL, 'x'},        {"job", required_argument, NULL, 'j'},
        {"db", required_argument, NULL, 'd'},       {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0}};
    const char *sub, *schedule = NULL, *job = NULL, *db = NULL;
    int c, enabled = -1, rc = cli_subcommand(argc, argv, usage, &sub);
    if (rc >= 0)
        return rc;
    optind = 1;
    while ((c = getopt_long(argc - 1, argv + 1, "h", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            schedule = optarg;
            break;
        case 'e':
        case 'x':
            if (enabled >= 0)
                return usage(stderr, CLI_USAGE);
            enabled = c == 'e';
            break;
        case 'j':
            job = optarg;
            break;
        case 'd':
            db = optarg;
            break;
        case 'h':
            return usage(stdout, CLI_OK);
        default:
            return usage(stderr, CLI_USAGE);
        }
    }
    int npos = argc - 1 - optind;
    const char *name = npos == 1 ? argv[1 + optind] : NULL;
    int is_list = strcmp(sub, "list") == 0, is_runs = strcmp(sub, "runs") == 0;
    int is_set = strcmp(sub, "set") == 0, is_run = strcmp(sub, "run") == 0;
    if (!(is_list || is_runs || is_set || is_run) || npos != ((is_set || is_run) ? 1 : 0) ||
        ((schedule || enabled >= 0) && !is_set) || (is_set && !schedule && enabled < 0) ||
        (job && !is_runs))
        return usage(stderr, CLI_USAGE);
    struct store *st;
    if ((rc = cli_open_store(db, 0, &st)) != 0)
        return rc;
    if (is_list)
        rc = do_list(st);
    else if (is_runs)
        rc = do_runs(st, job);
    else if (is_run)
        rc = do_run(st, name);
    else {
        struct ms_err err = MS_ERR_INIT;
        struct ms_actor actor;
        cli_actor(&actor);
        rc = jobs_update(st, name, schedule, enabled, &actor, &err) < 0 ? cli_error(&err)
                                                                         : do_list(st);
    }
    store_close(st);
    return rc;
}

const struct cli_command jobs_cli_commands[] = {
    {"jobs", cmd_jobs, "Scheduled jobs: list, set a schedule, run now, the run log",
     "定时任务：列表、执行计划、立即执行、执行日志"},
    {NULL, NULL, NULL, NULL},
};
