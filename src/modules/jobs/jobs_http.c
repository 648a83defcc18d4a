/*
 * jobs_http.c - /api/v1/jobs: the 定时任务 screen's list, schedule changes,
 * "run now", and the run log. Thin: parse, call jobs.c, render.
 */
#include "modules/jobs/jobs.h"

#include <string.h>

#include "core/json.h"
#include "modules/jobs/jobs_int.h"

#include "core/banned.h"

static json_t *job_json(const struct jobs_job *j)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:b,s:s,s:s,s:o}", "name", j->name, "title_zh",
                     j->title_zh, "title_en", j->title_en, "schedule", j->schedule,
                     "default_schedule", j->default_schedule, "enabled", j->is_enabled,
                     "next_run_at", j->next_run_at, "running_since", j->running_since,
                     "last_run",
                     j->last_run_id
                         ? json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)j->last_run_id,
                                     "status", j->last_status, "started_at",
                                     j->last_started_at, "summary", j->last_summary)
                         : json_null());
}

static int get_jobs(struct http_request *req)
{
    struct jobs_job *jobs;
    size_t n;
    if (jobs_list(req->store, req->arena, &jobs, &n, &req->err) < 0)
        return req->err.code;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, job_json(&jobs[i]));
    return http_reply_json(req, 200, json_pack("{s:o}", "items", arr));
}

/* The job's state after a change, as GET /jobs shows it. */
static int reply_job(struct http_request *req, const char *name)
{
    struct jobs_job *jobs;
    size_t n;
    if (jobs_list(req->store, req->arena, &jobs, &n, &req->err) < 0)
        return req->err.code;
    for (size_t i = 0; i < n; i++)
        if (strcmp(jobs[i].name, name) == 0)
            return http_reply_json(req, 200, job_json(&jobs[i]));
    return http_reply_error(req, MS_ENOTFOUND);
}

static int patch_job(struct http_request *req)
{
    static const char *const fields[] = {"schedule", "enabled", NULL};
    json_t *body;
    const char *name = http_param(req, "name"), *schedule = NULL;
    int enabled = -1;
    struct ms_actor actor;
    if (http_body_object(req, fields, &body) < 0 ||
        ms_json_get_str(body, "schedule", 0, 100, &schedule, &req->err) < 0 ||
        ms_json_get_bool(body, "enabled", 0, &enabled, &req->err) < 0)
        return req->err.code;
    http_actor(req, &actor);
    if (jobs_update(req->store, name, schedule, enabled, &actor, &req->err) < 0)
        return req->err.code;
    return reply_job(req, name);
}

static int post_run(struct http_request *req)
{
    const char *name = http_param(req, "name");
    struct ms_actor actor;
    int64_t run_id = 0;
    int ok = 0;
    http_actor(req, &actor);
    if (jobs_run_now(req->store, name, &actor, &run_id, &ok, &req->err) < 0)
        return req->err.code;
    struct jobs_run *runs;
    size_t n;
    if (jobs_runs(req->store, name, 1, 1, req->arena, &runs, &n, &req->err) < 0)
        return req->err.code;
    const struct jobs_run *r = n && runs[0].id == run_id ? &runs[0] : NULL;
    return http_reply_json(req, 201,
                           json_pack("{s:I,s:s,s:s,s:s,s:I}", "run_id", (json_int_t)run_id,
                                     "status", ok ? "succeeded" : "failed", "summary",
                                     r ? r->summary : "", "error", r ? r->error : "",
                                     "duration_ms", (json_int_t)(r ? r->duration_ms : 0)));
}

static int get_runs(struct http_request *req)
{
    int64_t page = 1, page_size = 20;
    struct jobs_run *r;
    size_t n;
    if (http_query_int(req, "page", 1, 100000, &page) < 0 ||
        http_query_int(req, "page_size", 1, 100, &page_size) < 0 ||
        jobs_runs(req->store, http_query(req, "job"), (int)page, (int)page_size, req->arena, &r,
                  &n, &req->err) < 0)
        return req->err.code;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            arr, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:s,s:s}", "id", (json_int_t)r[i].id,
                           "job", r[i].job, "kind", r[i].kind, "status", r[i].status,
                           "started_at", r[i].started_at, "finished_at", r[i].finished_at,
                           "duration_ms", (json_int_t)r[i].duration_ms, "summary", r[i].summary,
                           "error", r[i].error, "started_by", r[i].started_by));
    return http_reply_json(req, 200, json_pack("{s:o,s:I,s:I}", "items", arr, "page",
                                               (json_int_t)page, "page_size",
                                               (json_int_t)page_size));
}

/* clang-format off */
#define PATCH_SCHEMA "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{" \
    "\"schedule\":{\"type\":\"string\",\"maxLength\":100," \
    "\"description\":\"five-field cron in China time, e.g. 0 2 * * *\"}," \
    "\"enabled\":{\"type\":\"boolean\"}}}"

const struct http_route jobs_http_routes[] = {
    { .method = "GET", .path = "/api/v1/jobs", .fn = get_jobs,
      .permission = "system:job:read",
      .summary = "Scheduled jobs: schedule, enabled, next run, the last run",
      .summary_zh = "定时任务列表" },
    { .method = "PATCH", .path = "/api/v1/jobs/{name}", .fn = patch_job,
      .permission = "system:job:manage", .flags = ROUTE_WRITE, .body_schema = PATCH_SCHEMA,
      .summary = "Change a job's schedule or enable/disable it (audited)",
      .summary_zh = "修改定时任务" },
    { .method = "POST", .path = "/api/v1/jobs/{name}/run", .fn = post_run,
      .permission = "system:job:manage", .flags = ROUTE_WRITE,
      .summary = "Run a job now and wait for it; 409 if it is running (audited)",
      .summary_zh = "立即执行定时任务" },
    { .method = "GET", .path = "/api/v1/job-runs", .fn = get_runs,
      .permission = "system:job:read",
      .summary = "The run log, newest first: job, page, page_size",
      .summary_zh = "定时任务执行日志" },
    { .method = NULL },
};
/* clang-format on */
