/*
 * jobs.c - the state of the jobs the modules offer, runs now or when due,
 * and their log. A run is claimed and logged in one transaction, the job
 * runs outside it (it opens its own), and the run is closed, released and
 * audited in a second one.
 */
#include "modules/jobs/jobs.h"

#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/cron.h"
#include "modules/audit/audit.h"
#include "modules/jobs/jobs_int.h"
#include "modules/jobs/jobs_sql.h"
#include "store/store.h"

#include "core/banned.h"

/* China Standard Time, in which schedules are read. */
#define CST_MINUTES 480
/* A run still marked running after this long belongs to a process that
 * died (the longest job, a full scan of a city, takes minutes); the next
 * claim takes it over and logs it as interrupted. */
#define JOBS_STALE_HOURS 6

const struct ms_job *jobs__find(const char *name)
{
    for (size_t i = 0; name && ms_modules[i]; i++)
        for (const struct ms_job *j = ms_modules[i]->jobs; j && j->name; j++)
            if (strcmp(j->name, name) == 0)
                return j;
    return NULL;
}

static int not_found(struct ms_err *err, const char *name)
{
    ms_err_field(err, MS_ENOTFOUND, "name", "no job named '%s'", name);
    ms_err_zh(err, "没有名为“%s”的定时任务", name);
    return MS_ENOTFOUND;
}

static void ts(int64_t ms, char buf[MS_TS_LEN + 1])
{
    ms_clock_format(ms, buf);
}

int jobs_sync(struct store *st, struct ms_err *err)
{
    char now[MS_TS_LEN + 1];
    struct store_stmt *s;
    ts(ms_clock_now_ms(), now);
    for (size_t i = 0; ms_modules[i]; i++)
        for (const struct ms_job *j = ms_modules[i]->jobs; j && j->name; j++) {
            if (store_prepare(st, jobs_sql_insert, &s, err) < 0)
                return err->code;
            store_bind_text(s, 1, j->name);
            store_bind_text(s, 2, j->default_schedule);
            store_bind_text(s, 3, now);
            int rc = store_step(s, err);
            store_reset(s);
            if (rc < 0)
                return rc;
        }
    return 0;
}

/* Reads the state of job j into *out (which already names it). */
static int read_job(struct store *st, struct ms_arena *arena, struct jobs_job *out,
                    struct ms_err *err)
{
    struct store_stmt *s;
    int rc;
    if (store_prepare(st, jobs_sql_get, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, out->name);
    if ((rc = store_step(s, err)) == STORE_ROW) {
        out->schedule = store_col_dup(s, 0, arena);
        out->is_enabled = (int)store_col_int64(s, 1);
        out->next_run_at = store_col_dup(s, 2, arena);
        out->running_since = store_col_dup(s, 3, arena);
        out->last_run_id = store_col_int64(s, 4);
        out->last_status = store_col_dup(s, 5, arena);
        out->last_started_at = store_col_dup(s, 6, arena);
        out->last_summary = store_col_dup(s, 7, arena);
    }
    store_reset(s);
    if (rc == STORE_DONE)
        return not_found(err, out->name);
    return rc < 0 ? rc : 0;
}

int jobs_list(struct store *st, struct ms_arena *arena, struct jobs_job **out, size_t *n,
              struct ms_err *err)
{
    size_t count = 0;
    if (jobs_sync(st, err) < 0)
        return err->code;
    for (size_t i = 0; ms_modules[i]; i++)
        for (const struct ms_job *j = ms_modules[i]->jobs; j && j->name; j++)
            count++;
    *out = ms_arena_calloc(arena, count ? count : 1, sizeof(**out));
    *n = 0;
    for (size_t i = 0; ms_modules[i]; i++)
        for (const struct ms_job *j = ms_modules[i]->jobs; j && j->name; j++) {
            struct jobs_job *x = &(*out)[(*n)++];
            x->name = j->name;
            x->title_zh = j->title_zh;
            x->title_en = j->title_en;
            x->default_schedule = j->default_schedule;
            if (read_job(st, arena, x, err) < 0)
                return err->code;
        }
    return 0;
}

/* The next run of schedule after now_ms, as text; MS_EFIELD if the
 * schedule does not parse or never comes. */
static int next_run(const char *schedule, int64_t now_ms, char buf[MS_TS_LEN + 1],
                    struct ms_err *err)
{
    struct ms_cron c;
    int64_t next;
    if (ms_cron_parse(schedule, &c, err) < 0)
        return err->code;
    if (ms_cron_next(&c, now_ms, CST_MINUTES, &next) < 0) {
        ms_err_field(err, MS_EFIELD, "schedule", "the schedule names no time in five years");
        ms_err_zh(err, "该执行计划在五年内没有任何执行时间（如 2 月 31 日）");
        return MS_EFIELD;
    }
    ts(next, buf);
    return 0;
}

struct update_ctx {
    const char *name, *schedule;
    int is_enabled;
    const char *next;
    const struct ms_actor *actor;
};

static int update_tx(struct store *st, void *vctx, struct ms_err *err)
{
    struct update_ctx *c = vctx;
    char now[MS_TS_LEN + 1], detail[160];
    struct store_stmt *s;
    int rc;
    ts(ms_clock_now_ms(), now);
    if (store_prepare(st, jobs_sql_update, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, c->schedule);
    store_bind_int64(s, 2, c->is_enabled);
    store_bind_text(s, 3, c->next);
    store_bind_text(s, 4, now);
    store_bind_text(s, 5, c->actor->username);
    store_bind_text(s, 6, c->name);
    rc = store_step(s, err);
    store_reset(s);
    if (rc < 0)
        return rc;
    snprintf(detail, sizeof(detail), "schedule=%s enabled=%d", c->schedule, c->is_enabled);
    struct audit_entry e = {.action = "job.update", .object_type = "job", .object_id = c->name,
                            .result = "ok", .detail = detail};
    return audit_append(st, c->actor, &e, err);
}

int jobs_update(struct store *st, const char *name, const char *schedule, int is_enabled,
                const struct ms_actor *actor, struct ms_err *err)
{
    struct ms_arena arena_s, *arena = &arena_s;
    struct jobs_job cur = {.name = name};
    char next[MS_TS_LEN + 1] = "";
    int rc;
    ms_arena_init(arena, 1024);
    if (!jobs__find(name)) {
        rc = not_found(err, name);
        goto out;
    }
    if ((rc = jobs_sync(st, err)) < 0 || (rc = read_job(st, arena, &cur, err)) < 0)
        goto out;
    struct update_ctx c = {name, schedule ? schedule : cur.schedule,
                           is_enabled < 0 ? cur.is_enabled : is_enabled, next, actor};
    /* A schedule is checked even while the job stays disabled. */
    if ((rc = next_run(c.schedule, ms_clock_now_ms(), next, err)) < 0)
        goto out;
    if (!c.is_enabled)
        next[0] = '\0';
    rc = store_tx(st, update_tx, &c, err);
out:
    ms_arena_release(arena);
    return rc;
}

/* --- runs ------------------------------------------------------------------ */

struct claim_ctx {
    const char *name, *kind, *started_by;
    const char *due, *next; /* scheduled runs: the time read and the next */
    int64_t now_ms;
    int64_t run_id;         /* out: 0 when not claimed */
};

static int claim_tx(struct store *st, void *vctx, struct ms_err *err)
{
    struct claim_ctx *c = vctx;
    char now[MS_TS_LEN + 1], stale[MS_TS_LEN + 1];
    struct store_stmt *s;
    int rc;
    ts(c->now_ms, now);
    ts(c->now_ms - (int64_t)JOBS_STALE_HOURS * 3600 * 1000, stale);
    c->run_id = 0;
    if (store_prepare(st, c->due ? jobs_sql_claim_due : jobs_sql_claim, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, now);
    if (c->due) {
        store_bind_text(s, 2, c->next);
        store_bind_text(s, 3, c->name);
        store_bind_text(s, 4, c->due);
        store_bind_text(s, 5, stale);
    } else {
        store_bind_text(s, 2, c->name);
        store_bind_text(s, 3, stale);
    }
    rc = store_step(s, err);
    int64_t claimed = store_changes(s);
    store_reset(s);
    if (rc < 0 || claimed == 0)
        return rc < 0 ? rc : 0;
    if (store_prepare(st, jobs_sql_runs_interrupt, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, now);
    store_bind_text(s, 2, c->name);
    rc = store_step(s, err);
    store_reset(s);
    if (rc < 0 || store_prepare(st, jobs_sql_run_insert, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, c->name);
    store_bind_text(s, 2, c->kind);
    store_bind_text(s, 3, now);
    store_bind_text(s, 4, c->started_by);
    if ((rc = store_step(s, err)) == STORE_ROW)
        c->run_id = store_col_int64(s, 0);
    store_reset(s);
    return rc < 0 ? rc : 0;
}

struct finish_ctx {
    const char *name;
    int64_t run_id, duration_ms;
    int succeeded;
    const char *summary, *error;
    const struct ms_actor *actor;
};

static int finish_tx(struct store *st, void *vctx, struct ms_err *err)
{
    struct finish_ctx *c = vctx;
    char now[MS_TS_LEN + 1];
    struct store_stmt *s;
    int rc;
    ts(ms_clock_now_ms(), now);
    if (store_prepare(st, jobs_sql_run_finish, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, c->succeeded ? "succeeded" : "failed");
    store_bind_text(s, 2, now);
    store_bind_int64(s, 3, c->duration_ms);
    store_bind_text(s, 4, c->summary);
    store_bind_text(s, 5, c->error);
    store_bind_int64(s, 6, c->run_id);
    rc = store_step(s, err);
    store_reset(s);
    if (rc < 0 || store_prepare(st, jobs_sql_release, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, c->name);
    rc = store_step(s, err);
    store_reset(s);
    if (rc < 0)
        return rc;
    struct audit_entry e = {.action = "job.run", .object_type = "job", .object_id = c->name,
                            .result = c->succeeded ? "ok" : "failed",
                            .detail = c->succeeded ? c->summary : c->error};
    return audit_append(st, c->actor, &e, err);
}

/* Runs a claimed job and closes its run. Returns 0 once the run is logged. */
static int run_claimed(struct store *st, const struct ms_job *job, int64_t run_id,
                       const struct ms_actor *actor, int *succeeded, struct ms_err *err)
{
    struct ms_err job_err = MS_ERR_INIT;
    char summary[256] = "";
    double t0 = ms_clock_mono_ms();
    int ok = job->run(st, actor, summary, sizeof(summary), &job_err) == 0;
    if (store_in_tx(st))
        store_rollback(st); /* a job that failed inside its own transaction */
    struct finish_ctx c = {job->name, run_id, (int64_t)(ms_clock_mono_ms() - t0), ok, summary,
                           ok ? "" : job_err.message, actor};
    if (succeeded)
        *succeeded = ok;
    return store_tx(st, finish_tx, &c, err);
}

static int busy(struct ms_err *err, const char *name)
{
    ms_err_field(err, MS_ECONFLICT, "name", "job '%s' is running", name);
    ms_err_zh(err, "定时任务“%s”正在执行，请稍后再试", name);
    return MS_ECONFLICT;
}

int jobs_run_now(struct store *st, const char *name, const struct ms_actor *actor,
                 int64_t *run_id, int *succeeded, struct ms_err *err)
{
    const struct ms_job *job = jobs__find(name);
    if (!job)
        return not_found(err, name);
    if (jobs_sync(st, err) < 0)
        return err->code;
    struct claim_ctx c = {name, "manual", actor->username, NULL, NULL, ms_clock_now_ms(), 0};
    if (store_tx(st, claim_tx, &c, err) < 0)
        return err->code;
    if (!c.run_id)
        return busy(err, name);
    *run_id = c.run_id;
    return run_claimed(st, job, c.run_id, actor, succeeded, err);
}

int jobs_run_due(struct store *st, int64_t now_ms, struct ms_err *err)
{
    static const struct ms_actor scheduler = {0, "system:scheduler", "", "", ""};
    struct ms_arena arena_s, *arena = &arena_s;
    struct { const char *name, *schedule, *due; } due[64];
    size_t n = 0;
    int started = 0, rc;
    char now[MS_TS_LEN + 1];
    struct store_stmt *s;
    ms_arena_init(arena, 4096);
    ts(now_ms, now);
    if ((rc = store_prepare(st, jobs_sql_due, &s, err)) < 0)
        goto out;
    store_bind_text(s, 1, now);
    while (n < sizeof(due) / sizeof(due[0]) && (rc = store_step(s, err)) == STORE_ROW) {
        due[n].name = store_col_dup(s, 0, arena);
        due[n].schedule = store_col_dup(s, 1, arena);
        due[n].due = store_col_dup(s, 2, arena);
        n++;
    }
    store_reset(s);
    if (rc < 0)
        goto out;
    for (size_t i = 0; i < n; i++) {
        const struct ms_job *job = jobs__find(due[i].name);
        char next[MS_TS_LEN + 1];
        struct ms_err e = MS_ERR_INIT;
        /* One run however many times were missed; the next from now. */
        if (!job || next_run(due[i].schedule, now_ms, next, &e) < 0)
            continue;
        struct claim_ctx c = {job->name, "schedule", scheduler.username, due[i].due, next,
                              now_ms, 0};
        if ((rc = store_tx(st, claim_tx, &c, err)) < 0)
            goto out;
        if (!c.run_id)
            continue; /* another server took it, or it is running */
        if ((rc = run_claimed(st, job, c.run_id, &scheduler, NULL, err)) < 0)
            goto out;
        started++;
    }
    rc = started;
out:
    ms_arena_release(arena);
    return rc;
}

int jobs_runs(struct store *st, const char *name, int page, int page_size,
              struct ms_arena *arena, struct jobs_run **out, size_t *n, struct ms_err *err)
{
    struct store_stmt *s;
    int rc;
    if (page < 1 || page_size < 1 || page_size > 100) {
        ms_err_field(err, MS_EFIELD, page < 1 ? "page" : "page_size",
                     "page or page_size out of range");
        ms_err_zh(err, "页码或每页条数超出范围");
        return MS_EFIELD;
    }
    if (name && *name && !jobs__find(name))
        return not_found(err, name);
    if (store_prepare(st, jobs_sql_runs, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, name ? name : "");
    store_bind_text(s, 2, name ? name : "");
    store_bind_int64(s, 3, page_size);
    store_bind_int64(s, 4, (int64_t)(page - 1) * page_size);
    *out = ms_arena_calloc(arena, (size_t)page_size, sizeof(**out));
    *n = 0;
    while ((rc = store_step(s, err)) == STORE_ROW) {
        struct jobs_run *r = &(*out)[(*n)++];
        r->id = store_col_int64(s, 0);
        r->job = store_col_dup(s, 1, arena);
        r->kind = store_col_dup(s, 2, arena);
        r->status = store_col_dup(s, 3, arena);
        r->started_at = store_col_dup(s, 4, arena);
        r->finished_at = store_col_dup(s, 5, arena);
        r->duration_ms = store_col_int64(s, 6);
        r->summary = store_col_dup(s, 7, arena);
        r->error = store_col_dup(s, 8, arena);
        r->started_by = store_col_dup(s, 9, arena);
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}
