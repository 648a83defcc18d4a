/*
 * jobs_sql.c - every statement the jobs module runs, each named after its
 * user. Timestamps are UTC text (core/clock.h), which sorts as time.
 */
#include "modules/jobs/jobs_sql.h"

#include "core/banned.h"

/* jobs_sync(): a job seen for the first time, disabled. */
const char jobs_sql_insert[] =
    "INSERT INTO jobs (name, schedule, updated_at, updated_by) VALUES (?, ?, ?, 'system')"
    " ON CONFLICT (name) DO NOTHING";

/* jobs_list(), jobs_update(): a job's state and its last run. */
const char jobs_sql_get[] =
    "SELECT j.schedule, j.is_enabled, j.next_run_at, j.running_since,"
    " COALESCE(r.id, 0), COALESCE(r.status, ''), COALESCE(r.started_at, ''),"
    " COALESCE(r.summary, '')"
    " FROM jobs j LEFT JOIN job_runs r ON r.id = (SELECT max(id) FROM job_runs WHERE job = j.name)"
    " WHERE j.name = ?";

/* jobs_update() */
const char jobs_sql_update[] =
    "UPDATE jobs SET schedule = ?, is_enabled = ?, next_run_at = ?, updated_at = ?,"
    " updated_by = ? WHERE name = ?";

/* jobs_run_now(): idle, or running since before the stale limit. */
const char jobs_sql_claim[] =
    "UPDATE jobs SET running_since = ? WHERE name = ? AND (running_since = ''"
    " OR running_since < ?)";

/* jobs_run_due(): the scheduled run whose time is exactly the one read, so
 * a second server reading the same row claims nothing. */
const char jobs_sql_claim_due[] =
    "UPDATE jobs SET running_since = ?, next_run_at = ? WHERE name = ? AND is_enabled = 1"
    " AND next_run_at = ? AND (running_since = '' OR running_since < ?)";

/* after a run */
const char jobs_sql_release[] = "UPDATE jobs SET running_since = '' WHERE name = ?";

/* jobs_run_due() */
const char jobs_sql_due[] =
    "SELECT name, schedule, next_run_at FROM jobs WHERE is_enabled = 1 AND next_run_at <> ''"
    " AND next_run_at <= ? ORDER BY next_run_at, name";

const char jobs_sql_run_insert[] =
    "INSERT INTO job_runs (job, kind, status, started_at, started_by)"
    " VALUES (?, ?, 'running', ?, ?) RETURNING id";

const char jobs_sql_run_finish[] =
    "UPDATE job_runs SET status = ?, finished_at = ?, duration_ms = ?, summary = ?, error = ?"
    " WHERE id = ?";

/* A run taken over after its process died: its log row says so. */
const char jobs_sql_runs_interrupt[] =
    "UPDATE job_runs SET status = 'interrupted', finished_at = ? WHERE job = ?"
    " AND status = 'running'";

/* jobs_runs(): job '' for every job. */
const char jobs_sql_runs[] =
    "SELECT id, job, kind, status, started_at, finished_at, duration_ms, summary, error,"
    " started_by FROM job_runs WHERE (CAST(? AS TEXT) = '' OR job = CAST(? AS TEXT))"
    " ORDER BY id DESC LIMIT ? OFFSET ?";
