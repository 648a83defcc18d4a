/*
 * monitor.h - proactive discovery and fund-integrity monitoring (issue #6,
 * first increment; docs/monitor.md; rules.md §2 and §4).
 *
 * Rules are data: each is a file in rules/NAME.json (compiled in), with its
 * metadata, the policy parameters it reads on the scan date and one SQL
 * query returning (subject_id, period, detail). A scan runs every rule
 * set-based, one INSERT ... SELECT per rule in one transaction per rule, and
 * writes alerts unique per (rule, subject, period); each new alert becomes a
 * verification task for the town of the subject's residence.
 *
 * Ownership: results are in the arena passed in, or in static storage where
 * a function says so. Scope: functions that read or change alerts and tasks
 * take the caller's data scope (a region-code prefix, "" for all) and treat
 * anything outside it as not found.
 */
#ifndef MS_MONITOR_H
#define MS_MONITOR_H

#include <stddef.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/err.h"

struct store;
struct audit_entry;

#define MONITOR_MAX_RULES  64
#define MONITOR_MAX_PARAMS 16

/* How a rule's parameter is bound to its next `?`. */
enum monitor_param_use {
    MONITOR_USE_VALUE,         /* the policy value (int) or, for scan_date, the date */
    MONITOR_USE_MONTHS_BEFORE, /* the scan date minus value months, YYYY-MM-DD */
    MONITOR_USE_DAYS_BEFORE,   /* the scan date minus value days, YYYY-MM-DD */
    MONITOR_USE_YEAR,          /* scan_date only: its year, YYYY */
    MONITOR_USE_YEARS_BEFORE,  /* the scan date minus value years, YYYY-MM-DD (ages) */
};

/* Which subjects an incremental scan runs a rule over. */
enum monitor_touch {
    MONITOR_TOUCH_RECORDS, /* residents of the batches imported since the last scan and
                              residents the registry changed since then (their households
                              for a household rule) */
    MONITOR_TOUCH_NONE,    /* every subject: the rule depends on time (ages) or on tables
                              no batch fills (assistance payments) */
};

struct monitor_param {
    const char *key; /* a policy key, or "scan_date" */
    enum monitor_param_use use;
};

struct monitor_rule {
    const char *id, *title_zh, *title_en, *department, *severity, *subject, *source, *query;
    enum monitor_touch touch; /* file key "touch": "records" (default) or "none" */
    int has_touch_marks;      /* the query carries {touched_...:EXPR} marks (monitor_int.h) */
    struct monitor_param params[MONITOR_MAX_PARAMS];
    size_t n_params;
};

/*
 * Parses and validates one rule file (JSON). Unknown keys, a missing field,
 * a severity other than low/medium/high, a subject other than
 * person/household, a query that is not one SELECT, or a count of `?` that
 * differs from the parameters are refused with MS_EFIELD and the field. The
 * rule's strings live in arena.
 */
int monitor_rule_parse(const char *text, struct ms_arena *arena, struct monitor_rule *out,
                       struct ms_err *err);

/* The shipped rules, parsed and validated at first use (static storage;
 * not thread-safe on the first call, which serve makes at start). */
int monitor_rules(const struct monitor_rule **rules, size_t *n, struct ms_err *err);

/*
 * The rules a scan runs: the shipped ones, with the rules written through
 * the API (monitor_rule_defs) overriding those of the same id and added
 * after them. Parsed into arena; *origins (may be NULL) says for each
 * "file", "database" or "database_override".
 */
int monitor_rule_set(struct store *st, struct ms_arena *arena, struct monitor_rule **rules,
                     const char ***origins, size_t *n, struct ms_err *err);

struct ms_str;

/*
 * Appends the rule's query to out with its parameters on scan_date written
 * in as literals (dates quoted, numbers bare): what a scan runs, for an
 * administrator to read or to run in sqlite3 or psql (the benchmark's
 * baseline, bench/monitor.sh). Never executed by the platform itself.
 * is_incremental: the form an incremental scan runs, its marks reading the
 * temporary tables monitor_touched_residents, _households and _members.
 */
int monitor_rule_sql(struct store *st, const struct monitor_rule *rule, const char *scan_date,
                     int is_incremental, struct ms_str *out, struct ms_err *err);

/*
 * Adds (id NULL: POST) or writes a new version of (id: PUT) a rule from its
 * JSON text, audited as monitor.rule.create / monitor.rule.update in the
 * same transaction. Refused with MS_EFIELD and the field: what
 * monitor_rule_parse() refuses, a body id other than id, a parameter
 * without a value in the policy table today, a query that does not run,
 * writes, or runs longer than monitor.rule.validate_timeout_ms in a
 * read-only transaction; MS_ECONFLICT for a POST of an existing id (shipped
 * ones are overridden by PUT). *version: the stored version.
 */
int monitor_rule_save(struct store *st, const char *id, const char *body,
                      const struct ms_actor *actor, struct ms_arena *arena, int64_t *version,
                      struct ms_err *err);

struct monitor_rule_result {
    char rule_id[65];
    int64_t rows_found; /* rows the rule's query returned */
    int64_t alerts_new; /* alerts (and tasks) added */
    double ms;          /* wall time of the rule's transaction */
};

struct monitor_scan_result {
    int64_t scan_id;
    char scan_date[11];
    int is_incremental;
    int64_t batch_from, batch_to; /* incremental: batches (batch_from, batch_to] */
    char registry_from[32];       /* incremental: registry changes after this time */
    int64_t enrolment_from, enrolment_to; /* incremental: assistance enrolments (from, to] */
    int64_t line_from, line_to;           /* incremental: assistance payment lines (from, to] */
    int64_t touched_residents, touched_households; /* incremental: how many */
    double start_ms;                      /* wall time of the start (marks, touched sets) */
    size_t n;
    struct monitor_rule_result rules[MONITOR_MAX_RULES];
};

/*
 * Runs every rule (or rule_id only) with the parameters in force on
 * scan_date (YYYY-MM-DD; NULL: today in China). Each rule runs in its own
 * transaction: its alerts, their tasks (due in working days from the scan
 * date), and nothing twice. The scan is recorded in monitor_scans and
 * audited as monitor.scan. MS_ENOTFOUND for an unknown rule_id.
 */
int monitor_scan(struct store *st, const char *rule_id, const char *scan_date,
                 const struct ms_actor *actor, struct monitor_scan_result *out, struct ms_err *err);

/*
 * As monitor_scan(), but each rule whose touch is "records" runs only over
 * the subjects touched since the last scan of every rule (its high-water
 * marks in monitor_scans): residents of the exchange batches with an id
 * above the last scan's batch mark, up to the highest id below any batch
 * not yet done, and residents whose registry row changed (updated_at)
 * after the last scan's registry mark; for a household rule, their
 * households. Rules with touch "none" run over everything. With no earlier
 * scan everything is touched. Alerts stay unique per rule, subject, period.
 */
int monitor_scan_incremental(struct store *st, const char *rule_id, const char *scan_date,
                             const struct ms_actor *actor, struct monitor_scan_result *out,
                             struct ms_err *err);

struct monitor_alert {
    int64_t id, subject_id, task_id, household_id; /* the subject's household (0: none) */
    const char *rule_id, *subject_type, *subject_code, *period, *detail, *severity, *department,
        *region_code, *created_at, *task_status, *due_on;
};

/* Alerts in scope, newest first (rule_id NULL: all; subject NULL: all, else
 * a resident's code or a household's number), with their task; the read
 * entry to record before the reply in *read. */
int monitor_alert_list(struct store *st, const char *scope, const char *rule_id,
                       const char *subject, int page, int page_size, struct ms_arena *arena,
                       struct monitor_alert **items, size_t *n, struct audit_entry *read,
                       struct ms_err *err);

enum monitor_task_filter {
    MONITOR_TASKS_ALL,     /* every task in scope */
    MONITOR_TASKS_MINE,    /* open tasks in scope: the town's to-do list */
    MONITOR_TASKS_OVERDUE, /* open tasks whose due date has passed (today in China) */
};

struct monitor_task {
    int64_t id, alert_id, household_id; /* the subject's household (0: none) */
    const char *rule_id, *subject_code, *period, *detail, *town_code, *due_on, *status, *outcome,
        *reason, *department, *decided_by;
};

int monitor_task_list(struct store *st, const char *scope, enum monitor_task_filter filter,
                      int page, int page_size, struct ms_arena *arena, struct monitor_task **items,
                      size_t *n, struct audit_entry *read, struct ms_err *err);

struct monitor_outcome {
    const char *outcome;    /* "dismiss", "assist", "refer" or "stop" */
    const char *reason;     /* required for dismiss and stop */
    const char *department; /* required for refer */
    int may_stop;           /* the caller may stop assistance (assistance:case:decide) */
};

/*
 * Decides task id once (audited as monitor.task.decide). "stop" stops the
 * subject's household's 低保 and 特困 through the assistance module's
 * change flow (kind stop, the reason as its written reason, from the month
 * after today), in the same transaction, and keeps the change's id on the
 * task. MS_EFIELD for a bad outcome or a missing reason/department;
 * MS_EFORBIDDEN stop without may_stop; MS_ENOTFOUND outside scope;
 * MS_ECONFLICT if the task was already decided, or stop finds no benefit
 * being paid.
 */
int monitor_task_decide(struct store *st, const char *scope, int64_t id,
                        const struct monitor_outcome *in, const struct ms_actor *actor,
                        struct ms_err *err);

/*
 * The household of task id's subject (the subject itself for a household
 * rule) and, for a person, their resident code (else ""): what an "assist"
 * outcome pre-fills the assistance application with. MS_ENOTFOUND outside
 * scope or unknown.
 */
int monitor_task_subject(struct store *st, const char *scope, int64_t id, int64_t *household_id,
                         char code[32], struct ms_err *err);

/* --- a household's whole chain (monitor_chain.c) ---------------------------------- */

struct monitor_chain_alert {
    int64_t id, task_id, change_id;
    const char *rule_id, *subject_code, *period, *detail, *severity, *created_at;
    const char *task_status, *due_on, *outcome, *reason, *decided_at, *decided_by;
};

struct assistance_chain_item;

/* 一户一条救助链: the alerts on a household and its members with their
 * verification tasks, and its assistance history (applications and their
 * steps, enrolment periods, changes, payments, recoveries). */
struct monitor_chain {
    int64_t household_id;
    const char *number, *region_code;
    struct monitor_chain_alert *alerts;
    size_t n_alerts;
    struct assistance_chain_item *items;
    size_t n_items;
};

/* The chain of household_id in scope (MS_ENOTFOUND outside it); the read
 * entry to record before the reply in *read. */
int monitor_household_chain(struct store *st, const char *scope, int64_t household_id,
                            struct ms_arena *arena, struct monitor_chain *out,
                            struct audit_entry *read, struct ms_err *err);

struct monitor_evaluation {
    const char *rule_id;
    int64_t planted; /* distinct subjects (residents, or their households) planted */
    int64_t alerted; /* distinct subjects alerted by the rule */
    int64_t found;   /* alerted subjects that are planted */
    double recall, precision;
};

/*
 * Measures every rule against the generator's truth (docs/gen.md): truth_path
 * (truth.csv) and, if present, truth_registry.csv in the same directory. A
 * line's plant names its rule (paid_after_death: pension_after_death on
 * pension_payment rows, assistance_after_death on assistance_payment rows);
 * the planted subjects of a rule are the residents of its lines, or their
 * households for a household rule; an alert is right if its subject is one
 * of them. out has room for MONITOR_MAX_RULES; *n rules are measured.
 */
int monitor_evaluate(struct store *st, const char *truth_path, struct monitor_evaluation *out,
                     size_t *n, struct ms_err *err);

struct ms_module;
/* The module table entry (monitor_module.c). */
extern const struct ms_module monitor_module;

#endif
