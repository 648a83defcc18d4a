/*
 * jobs.h - scheduled jobs (定时任务): what each module offers to run on a
 * schedule (struct ms_job in modules/module.h), their schedules, a run now,
 * and the log of runs; plus the scheduler thread `minsheng serve` starts.
 *
 * A job's state is a row of `jobs`, created disabled the first time it is
 * seen (jobs_sync()). A run is claimed by setting running_since in a guarded
 * UPDATE, so one job never runs twice at once, whoever starts it; a run
 * whose process died is taken over after JOBS_STALE_HOURS and logged as
 * interrupted.
 */
#ifndef MS_JOBS_H
#define MS_JOBS_H

#include <stddef.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/err.h"

struct store;
struct ms_module;

struct jobs_job {
    const char *name, *title_zh, *title_en;
    const char *schedule, *default_schedule;
    int is_enabled;
    const char *next_run_at;   /* '' when disabled */
    const char *running_since; /* '' when idle */
    /* The last run, if any (last_run_id 0 when none). */
    int64_t last_run_id;
    const char *last_status, *last_started_at, *last_summary;
};

struct jobs_run {
    int64_t id;
    const char *job, *kind, *status, *started_at, *finished_at, *summary, *error, *started_by;
    int64_t duration_ms;
};

/* Creates the missing rows for the jobs the modules offer (disabled, their
 * default schedule). Idempotent. */
int jobs_sync(struct store *st, struct ms_err *err);

/* Every job the modules offer, in module order, with its state. */
int jobs_list(struct store *st, struct ms_arena *arena, struct jobs_job **out, size_t *n,
              struct ms_err *err);

/* Changes a job's schedule (NULL: unchanged) and/or enabled flag (-1:
 * unchanged); recomputes next_run_at from now. Audited. MS_ENOTFOUND for an
 * unknown job, MS_EFIELD (field "schedule") for a schedule that does not
 * parse or never comes. */
int jobs_update(struct store *st, const char *name, const char *schedule, int is_enabled,
                const struct ms_actor *actor, struct ms_err *err);

/* Runs a job now in this thread and logs the run (kind "manual"). Returns 0
 * with *run_id set once the run is logged, whether the job succeeded or
 * failed (*succeeded says which; the run's error is in the log);
 * MS_ENOTFOUND for an unknown job; MS_ECONFLICT if it is running. */
int jobs_run_now(struct store *st, const char *name, const struct ms_actor *actor,
                 int64_t *run_id, int *succeeded, struct ms_err *err);

/* The scheduler's step: runs every enabled job whose next_run_at has come
 * (as of now_ms), each claimed so that another server does not run it too.
 * Returns the number of runs started, or a negative code. */
int jobs_run_due(struct store *st, int64_t now_ms, struct ms_err *err);

/* The runs of a job (NULL: of all jobs), newest first. */
int jobs_runs(struct store *st, const char *name, int page, int page_size,
              struct ms_arena *arena, struct jobs_run **out, size_t *n, struct ms_err *err);

/* Starts / stops the scheduler thread (its own connection to db_url; wakes
 * every tick_ms). Only `minsheng serve` starts it. */
int jobs_scheduler_start(const char *db_url, unsigned store_flags, int tick_ms,
                         struct ms_err *err);
void jobs_scheduler_stop(void);

extern const struct ms_module jobs_module;

#endif
