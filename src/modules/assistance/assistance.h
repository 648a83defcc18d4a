/*
 * assistance.h - social assistance (社会救助): 低保, 特困 and 临时救助 from
 * application to monthly payment (issue #5; rules.md §1; docs/assistance.md).
 *
 * This increment: an application with its household snapshot (members and
 * whether each counts, declared incomes, assets, rigid expenses, a sealed
 * bank account), the dibao computation (assistance_calc.h), a means check
 * against linked department data, a short case flow (accepted -> computed
 * -> approved or refused -> enrolled) and payment runs that never pay
 * anyone twice, with the bank file, the bank's return file and a recovery
 * ledger.
 *
 * Data scope is a region-code prefix, as in the registry: a case belongs
 * to its household's region, and a case outside the caller's scope is
 * MS_ENOTFOUND, exactly like one that does not exist.
 *
 * Every change runs in its own store_tx() with its audit entry. Reads of
 * personal data return the audit entry to record in *read (HTTP:
 * audit_http_reply_when_recorded()). Results live in the given arena.
 * Errors carry English and Chinese text and the field at fault.
 */
#ifndef MS_ASSISTANCE_H
#define MS_ASSISTANCE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/date.h"
#include "core/err.h"
#include "modules/assistance/assistance_calc.h"

struct store;
struct ms_module;
struct audit_entry;

/* --- applications --------------------------------------------------------------- */

struct assistance_member_new {
    const char *resident_code;
    const char *relation; /* to the applicant: self spouse child parent sibling grandchild
                             grandparent other */
    int is_counted;
    const char *exclusion_reason; /* required when not counted (rules.md §1.1) */
    int disability_grade;         /* 0..4 */
    int has_major_illness;
    int is_student;
};

/* What a 特困 application adds to a member (rules.md §1.7, §1.8): the
 * disability type ("" none, intellectual mental physical visual hearing
 * speech multiple; the grade is the member's) and the ADL items not met, by
 * name (assistance_adl_item()). */
struct assistance_member_tekun_new {
    const char *disability_type;
    const char *const *adl_not_met;
    size_t n_adl_not_met;
};

/* A legal supporter of a 特困 applicant (rules.md §1.8), as declared. */
struct assistance_supporter_new {
    const char *relation; /* as for members */
    int age;
    int is_tekun, is_dibao, is_severely_disabled, has_low_assets;
    int is_incapacitated, is_missing, is_in_prison;
    int64_t annual_income_fen; /* their family's per-capita income over the last year */
};

/* What a 临时救助 application adds (rules.md §1.10); its spending is the
 * expenses lines, each with a receipt. */
struct assistance_linshi_new {
    const char *kind;     /* emergency expenditure */
    const char *cause;    /* assistance_linshi_cause_known() */
    const char *severity; /* general serious critical */
    int months;           /* of hardship, 1..12; 0: 1 */
    int is_pay_first;     /* 小金额先行救助 (emergency only): documents after */
};

struct assistance_income_new {
    const char *resident_code; /* a member */
    const char *kind;          /* assistance_income_kind_known() */
    int64_t amount_fen;
    int months; /* 0: 1, or the farming months for "agriculture" */
};

struct assistance_asset_new {
    const char *resident_code; /* a member, or NULL for the household's */
    const char *kind;
    int64_t value_fen;
    int quantity; /* 0: 1 */
    int is_exempt;
    const char *note;
};

struct assistance_expense_new {
    const char *resident_code; /* NULL: the household's */
    const char *kind;          /* medical education rehabilitation other */
    int64_t amount_fen;
    const char *receipt_ref;
};

struct assistance_case_new {
    const char *scheme;         /* dibao tekun linshi: the first scheme asked for */
    /* One application, several schemes (社会救助一件事): the others asked for
     * with the same household snapshot and procedure; each gets its own
     * determination. NULL/0: scheme only. */
    const char *const *more_schemes;
    size_t n_more_schemes;
    /* A near relative among the assistance staff or the village committee
     * (近亲属备案, rules.md §1.5): the district must visit before deciding. */
    int has_near_relative;
    const char *near_relative_note; /* who and how related; required with the flag */
    int64_t household_id;       /* a registry household in scope */
    const char *applicant_code; /* one of the members, alive */
    const char *applied_on;     /* YYYY-MM-DD, not in the future; NULL: today */
    int is_single_person;       /* 单人保 (rules.md §1.1) */
    const char *bank_account;   /* 8-30 digits, sealed at rest; NULL: none yet */
    const char *bank_name;
    const struct assistance_member_new *members;
    size_t n_members;
    const struct assistance_income_new *incomes;
    size_t n_incomes;
    const struct assistance_asset_new *assets;
    size_t n_assets;
    const struct assistance_expense_new *expenses;
    size_t n_expenses;
    const struct assistance_member_tekun_new *member_tekun; /* tekun: NULL or one per member */
    const struct assistance_supporter_new *supporters;      /* tekun only */
    size_t n_supporters;
    const struct assistance_linshi_new *linshi; /* linshi: required; others: NULL */
};

/*
 * An online application (网上申请) from the resident portal: the resident
 * applies for their own registry household, as its applicant. app is read
 * as for assistance_case_create(), except that its household_id,
 * applicant_code, applied_on (today) and near-relative fields are not the
 * caller's to give, and members and incomes name household members by
 * their place in the household as the portal lists it (GET
 * /api/v1/portal/me: the head first, then by registration), not by code:
 * the portal shows a resident no other person's code.
 */
struct assistance_online_new {
    struct assistance_case_new app;
    const int *member_index; /* [app.n_members]: 0-based place in the household */
    const int *income_index; /* [app.n_incomes]: whose income, likewise */
    int household_size;      /* the members the resident saw (0: not checked) */
    const char *statement_zh; /* the hardship in the resident's words, 1..500 characters */
    const char *contact_phone; /* 11 digits, sealed at rest */
};

#define ASSISTANCE_MAX_MEMBERS    30
#define ASSISTANCE_MAX_SUPPORTERS 20
#define ASSISTANCE_MAX_LINES      200

/*
 * Takes an application (state "draft"). Errors: MS_EFIELD / MS_EMISSING
 * naming the field ("members[1].resident", "incomes[0].amount_fen", ...):
 * unknown scheme, household or resident outside the scope, a deceased
 * applicant or member, the same person twice, a negative amount, an unknown
 * kind, an application date in the future; MS_ECONFLICT (field
 * "members[i].resident") when a counted member already counts in another
 * open case of the scheme.
 */
int assistance_case_create(struct store *st, const char *scope,
                           const struct assistance_case_new *in, const struct ms_actor *actor,
                           int64_t *id_out, struct ms_err *err);

/*
 * Takes an online application for resident_id's household (state
 * "submitted", channel "online"; its limits start when the town accepts
 * it). The same refusals as assistance_case_create(), the fields named as
 * the portal's API names them ("members[1].member", "incomes[0].amount_fen",
 * "statement_zh", "contact_phone"); MS_ECONFLICT when the household changed
 * since the resident saw it (field "household_size"), or has an open
 * application of a scheme asked for (field "schemes"); MS_EFIELD
 * "household" when the resident has no registry household.
 */
int assistance_online_apply(struct store *st, int64_t resident_id,
                            const struct assistance_online_new *in, const struct ms_actor *actor,
                            int64_t *id_out, struct ms_err *err);

/* Computes the benefit on as_of's standard (NULL: today; not in the future,
 * not before the application) and stores the result: draft or computed ->
 * computed. MS_ECONFLICT for a case in another state. */
int assistance_case_compute(struct store *st, const char *scope, int64_t id, const char *as_of,
                            const struct ms_actor *actor, struct assistance_calc *out,
                            struct ms_err *err);

struct assistance_decision_in {
    const char *decision;   /* "approve" or "refuse" */
    const char *reason_zh;  /* the written reasons, in Chinese; required to refuse */
    const char *decided_on; /* NULL: today; not in the future nor before applying */
};

/*
 * Decides a computed case on the standard in force on decided_on (the
 * computation is run again on that date): approve needs an eligible
 * household (else MS_ECONFLICT with the reasons), refuse frees the members.
 */
int assistance_case_decide(struct store *st, const char *scope, int64_t id,
                           const struct assistance_decision_in *in, const struct ms_actor *actor,
                           struct ms_err *err);

/*
 * Enrols an approved case: the decided amount, monthly, from the decision
 * month plus assistance.dibao.start_months_after_decision (in force on the
 * decision date). *enrolment_id and start_period (YYYY-MM) are written.
 * MS_ECONFLICT if the household is already enrolled in the scheme.
 */
int assistance_case_enrol(struct store *st, const char *scope, int64_t id,
                          const struct ms_actor *actor, int64_t *enrolment_id, char start_period[8],
                          struct ms_err *err);

/* --- the procedure (assistance_procedure.c; rules.md §1.5) ------------------------------ */

/*
 * One step of the procedure, named by its action in the transitions table:
 *
 *   accept           受理 an online application: submitted -> draft; `on` becomes
 *                    the case's accepted_on, from which the time limits count
 *   decline          不予受理 an online application (reason_zh): submitted ->
 *                    declined; the counted members are freed
 *   investigate      accepted -> investigating (within 3 working days)
 *   visit            home visit: investigators (>= 2 active staff usernames),
 *                    family_signed required, text: note_zh
 *   town_review      the town's preliminary opinion (text opinion_zh, required);
 *                    the case must be computed first
 *   publish          publicity starts on `on` for the scheme's publicity days
 *   object           an objection during the publicity (objection_zh): back to
 *                    re-investigation
 *   republish        re-investigated (finding_zh): the further notice (3 days)
 *   close_publicity  the publicity is over (on after its last day); the district
 *                    receives the materials on `on`
 *   spot_visit       the district's spot visit (入户抽查), investigators as visit
 *   return           back to investigation, with reason_zh
 *   extend           the total limit becomes the extended one, with reason_zh
 *   notify           the written notice was given on `on` (once)
 *
 * `on` is the step's date (NULL: today), not in the future nor before the
 * previous step. Errors: MS_ECONFLICT (field "status") for a move the table
 * does not have from the case's state, or naming what is missing
 * ("computation", "publicity_end", "reason_zh"); MS_EFIELD/MS_EMISSING for
 * bad input ("investigators", "family_signed", "on"); MS_EFORBIDDEN for a
 * district's step without may_decide; MS_ESTALE when the case moved
 * meanwhile.
 */
struct assistance_step_in {
    const char *action;
    const char *on;
    const char *text_zh; /* its name in the API: assistance_step_text_field() */
    const char *const *investigators;
    size_t n_investigators;
    int family_signed;
    int may_decide; /* the caller holds assistance:case:decide */
};

/* Where the step left the case. */
struct assistance_step_out {
    char status[24];
    char due_on[MS_DATE_BUF]; /* "" when no limit runs */
};

int assistance_case_step(struct store *st, const char *scope, int64_t id,
                         const struct assistance_step_in *in, const struct ms_actor *actor,
                         struct assistance_step_out *out, struct ms_err *err);

/* The API name of the text a step carries ("opinion_zh", ...), or NULL. */
const char *assistance_step_text_field(const char *action);

/* A move possible from a state (assistance_transitions). */
struct assistance_action {
    const char *action, *to_state, *permission, *title_zh, *title_en;
    int needs_reason;
};

/* Whether a move of the transitions table applies to this case: the written
 * notice is recorded once; pay_first only for a linshi case declared so. */
struct assistance_case;
int assistance_case_action_applies(const struct assistance_case *c, const char *action);

/* The moves from status, in the order a screen shows them. */
int assistance_case_actions(struct store *st, const char *status, struct ms_arena *arena,
                            struct assistance_action **out, size_t *n, struct ms_err *err);

/* A step on the case's timeline (assistance_case_events). */
struct assistance_step {
    const char *action, *from_state, *to_state, *on, *due_on, *note, *detail_json, *by, *at;
    int is_late; /* done after the due date the step had */
};

int assistance_case_steps(struct store *st, int64_t id, struct ms_arena *arena,
                          struct assistance_step **out, size_t *n, struct ms_err *err);

/* The written notice (书面告知) of a decided case. */
struct assistance_notice {
    const char *kind;        /* "approval" or "refusal" */
    const char *text_zh;     /* plain, printable */
    const char *notified_on; /* "" until the notify step */
};

/* The notice of an approved, enrolled or refused case (MS_ECONFLICT before
 * the decision). Audited read: *read is the entry to record. */
int assistance_case_notice(struct store *st, const char *scope, int64_t id,
                           struct ms_arena *arena, struct assistance_notice *out,
                           struct audit_entry *read, struct ms_err *err);

/* A scheme's determination within an application. */
struct assistance_determination {
    const char *scheme, *status, *computed_on, *reasons_json, *decided_on, *reason_zh;
    int64_t standard_fen, amount_fen;
    int is_eligible;
};

struct assistance_member {
    const char *code, *name, *relation, *exclusion_reason, *status;
    int is_counted, disability_grade, has_major_illness, is_student, age;
};

struct assistance_income {
    const char *code, *kind;
    int64_t amount_fen;
    int months;
};

struct assistance_asset {
    const char *code, *kind, *note; /* code "" for the household's */
    int64_t value_fen;
    int quantity, is_exempt;
};

/* Linked department data for one member (rules.md §1.5 信息核对). */
struct assistance_means_row {
    const char *code;     /* "" for medical expenses declared for no member */
    const char *feed;     /* pension_payment contribution_wage unemployment_benefit vehicle
                             business_registration medical_settlement real_estate */
    const char *category; /* e.g. resident_pension / employee_pension; real_estate: the usage
                             (residential, commercial, office, other); medical: "" */
    int64_t records;      /* rows found (real_estate: properties in force) */
    int64_t total_fen;    /* payments and wages: the window's total; medical: self-paid */
    int64_t monthly_fen;  /* total / months of the window, rounded down (income feeds) */
    int64_t declared_fen; /* income feeds: the matching declared monthly income; medical: the
                             member's declared medical expenses; others 0 */
    int is_flag;
    const char *reason; /* why flagged ("" when not): above_declared, vehicle, business,
                           medical_not_backed, medical_no_member, houses_above_declared,
                           houses_above_limit, property_non_residential */
    const char *note;   /* "" or medical_undeclared: found well above declared */
};

/* The household's houses: residential properties in force found for its
 * members, houses declared as assets, and the limit in force today. */
struct assistance_means_houses {
    int64_t found, declared, max;
    int is_flag;
};

struct assistance_means {
    char from_period[8], to_period[8]; /* the window, inclusive */
    int months;
    struct assistance_means_row *rows;
    size_t n;
    struct assistance_means_houses houses;
    int64_t medical_note_fen; /* the note's threshold in force today */
};

/* A member's 特困 declaration and result (care_level "" before computing). */
struct assistance_tekun_member_view {
    const char *code, *disability_type, *care_level;
    unsigned adl_not_met; /* bits, assistance_adl_item_name() */
    int64_t basic_fen, care_fen;
};

/* A 临时救助 case's declaration and last result. */
struct assistance_linshi_view {
    const char *kind, *cause, *severity;
    int months, is_pay_first;
    int is_documents_owed; /* paid first and documents not yet completed */
    const char *documents_completed_on, *documents_completed_by;
    int64_t multiple_ppm, tier_fen, cap_fen, town_limit_fen;
    int needs_collective_decision, is_within_town_limit;
};

struct assistance_case {
    int64_t id, household_id, version;
    const char *scheme, *household_number, *region_code, *area, *applicant_code, *applied_on,
        *income_period, *status, *bank_account_masked, *bank_name;
    int is_single_person;
    /* the last computation ("" computed_on: none yet) */
    const char *computed_on, *reasons_json;
    int64_t standard_fen, income_fen, per_capita_fen, base_fen, topup_fen, amount_fen;
    int members_counted, is_eligible;
    /* the decision (decision NULL: none yet) */
    const char *decision, *decision_reason_zh, *decided_on, *decided_by;
    /* the enrolment (enrolment_id 0: none) */
    int64_t enrolment_id, enrolment_amount_fen;
    const char *start_period;
    const char *enrolment_payee;       /* the period's payee (resident code) */
    const char *enrolment_bank_masked; /* its account, "**** **** 5678" ("" unknown) */
    struct assistance_member *members;
    size_t n_members;
    struct assistance_income *incomes;
    size_t n_incomes;
    struct assistance_asset *assets;
    size_t n_assets;
    struct assistance_means means;
    /* 特困 (n_tekun_members 0 for other schemes) */
    struct assistance_tekun_member_view *tekun_members;
    size_t n_tekun_members;
    struct assistance_supporter_new *supporters;
    size_t n_supporters;
    struct assistance_linshi_view *linshi; /* NULL unless linshi */
    /* the procedure */
    const char *state_since, *due_on, *near_relative_note, *publicity_start, *publicity_end,
        *received_on, *extension_reason, *notified_on;
    int is_overdue, has_near_relative, publicity_round;
    /* how it came: channel window or online; accepted_on "" while an online
     * application awaits acceptance; the resident's statement and contact
     * phone (last four digits) for an online one, else "" */
    const char *channel, *accepted_on, *statement_zh, *contact_phone_masked;
    struct assistance_determination *determinations;
    size_t n_determinations;
    struct assistance_step *steps;
    size_t n_steps;
};

/* One case with its members, incomes, assets, computation, decision,
 * enrolment and means check; bank account masked. Audited read. */
int assistance_case_get(struct store *st, const char *scope, int64_t id, struct ms_arena *arena,
                        struct assistance_case *out, struct audit_entry *read, struct ms_err *err);

/*
 * Records that the documents of a 临时救助 case paid first (小金额先行救助,
 * rules.md §1.10) are complete, on completed_on (NULL: today; not in the
 * future nor before the application). MS_ECONFLICT for a case that was not
 * paid first or whose documents are complete already. Audited.
 */
int assistance_linshi_documents_complete(struct store *st, const char *scope, int64_t id,
                                         const char *completed_on, const struct ms_actor *actor,
                                         struct ms_err *err);

/* A row of the caseworker's list. */
struct assistance_case_item {
    int64_t id, amount_fen;
    const char *scheme, *status, *household_number, *applicant_code, *applicant_name, *applied_on;
    int is_eligible;
    const char *due_on; /* the current step's due date, "" when no limit runs */
    int is_overdue;     /* due_on is before today (China) */
    const char *channel; /* window online */
};

/*
 * The cases in scope, newest first, optionally of one status (NULL: all),
 * page from 1, page_size 1..100. MS_EFIELD naming "status" for an unknown
 * status. Audited read (it shows names).
 */
int assistance_case_list(struct store *st, const char *scope, const char *status, int page,
                         int page_size, struct ms_arena *arena, struct assistance_case_item **items,
                         size_t *n, struct audit_entry *read, struct ms_err *err);

/* assistance_case_list() with filters. */
struct assistance_case_filter {
    const char *status; /* NULL: all */
    int only_overdue;   /* only cases whose current step is past its due date */
    const char *channel; /* window or online; NULL: both */
    int page, page_size;
};

int assistance_case_list_filtered(struct store *st, const char *scope,
                                  const struct assistance_case_filter *f, struct ms_arena *arena,
                                  struct assistance_case_item **items, size_t *n,
                                  struct audit_entry *read, struct ms_err *err);

/*
 * The means check of a case (family economic check, rules.md §1.5): for
 * each member, what the exchange module linked to them in the
 * assistance.means_check_months months before the income period (pension
 * payments, contribution wages, unemployment benefits: count, total and
 * monthly average beside the declared income of that kind), their
 * self-paid medical costs in the window beside the medical expenses
 * declared, their vehicles in use, businesses still registered and
 * properties in force (houses against the declared houses and
 * assistance.asset.max_houses), flagged as docs/assistance.md says.
 * Read-only; rows by member, feed and category.
 */
int assistance_means_check(struct store *st, int64_t case_id, const char *income_period,
                           struct ms_arena *arena, struct assistance_means *out,
                           struct ms_err *err);

/* --- payments (assistance_pay.c) ---------------------------------------------------- */

struct assistance_run {
    int64_t run_id;
    char scheme[16];
    char period[8];
    int64_t lines_new; /* lines this call created */
    int64_t lines;     /* issue-1 lines of the run */
    int64_t total_fen; /* their amounts */
    int64_t due;       /* enrolments due for the period */
    int64_t due_fen;   /* their amounts */
    int64_t households; /* households holding a live regular line for the period */
    int64_t net_fen;    /* every line not failed, less recoveries claimed for the period */
    int is_reconciled;  /* households == due and net_fen == due_fen */
};

typedef void assistance_progress_fn(void *ctx, int64_t done, int64_t total);

/*
 * Pays scheme for period ("YYYY-MM", not after the current month in China):
 * one line per household whose enrolment covers the period, written in
 * committed chunks of chunk households (0: 1000) in household order. The
 * UNIQUE key (household, scheme, period, issue 1) makes a rerun, a run
 * resumed after a crash and two runs at once create each line exactly once;
 * out tells what this call added and reconciles the whole run to the fen.
 * A call that adds nothing to a finished run changes nothing.
 */
int assistance_pay_run(struct store *st, const char *scheme, const char *period, int64_t chunk,
                       const struct ms_actor *actor, assistance_progress_fn *progress,
                       void *progress_ctx, struct assistance_run *out, struct ms_err *err);

/* The run's figures for scheme and period, reconciled (MS_ENOTFOUND if no run). */
int assistance_pay_summary(struct store *st, const char *scheme, const char *period,
                           struct assistance_run *out, struct ms_err *err);

/* One bank file: an export number and what it holds. */
struct assistance_bank_file {
    int64_t export_no; /* 0: nothing was pending, no file made */
    char scheme[16];
    char period[8];
    int64_t lines, total_fen;
    char created_at[32];
    char created_by[64];
};

/*
 * Marks the pending lines of scheme for period and earlier months (re-issues,
 * arrears) exported under a new export number, in one transaction, audited, and writes them as the bank file
 * (CSV, docs/assistance.md) to f, or, f NULL, writes nothing (the file is
 * fetched afterwards with assistance_bank_file_write()); bank account
 * numbers are opened for the file only. out says what the file holds
 * (export_no 0, no lines: nothing was pending; f has the header only).
 */
int assistance_bank_export(struct store *st, const char *scheme, const char *period, FILE *f,
                           const struct ms_actor *actor, struct assistance_bank_file *out,
                           struct ms_err *err);

/*
 * Writes bank file export_no again, as it was made (its lines, whatever
 * the bank has answered since), to f; audited as a read, because it opens
 * the account numbers. MS_ENOTFOUND if there is no such file.
 */
int assistance_bank_file_write(struct store *st, int64_t export_no, FILE *f,
                               const struct ms_actor *actor, struct assistance_bank_file *out,
                               struct ms_err *err);

/* The bank files of scheme and period, newest first, at most max, into
 * out (*n: how many). */
int assistance_bank_files(struct store *st, const char *scheme, const char *period,
                          struct assistance_bank_file *out, size_t max, size_t *n,
                          struct ms_err *err);

struct assistance_return_summary {
    int64_t rows, paid, failed, reissued, unchanged;
};

/*
 * Reads the bank's return file (CSV "reference,result,reason"; result paid
 * or failed) and applies it in one transaction: paid marks an exported
 * line paid; failed marks it failed and creates its re-issue line (issue
 * n+1, reissue_of the failed line, the enrolment's current account),
 * pending for the next bank file. A row that repeats what is recorded
 * changes nothing. Errors (nothing applied): MS_EFIELD naming the row for a
 * malformed row, an unknown reference, or a result that contradicts the
 * line (a paid line reported failed).
 */
int assistance_bank_return(struct store *st, FILE *f, const struct ms_actor *actor,
                           struct assistance_return_summary *out, struct ms_err *err);

/*
 * Puts what was paid for each month after its payee's death month (registry
 * status deceased), less what the ledger claims for it already, into the
 * recovery ledger; a month a later period pays to a living payee is left
 * alone. *found and *amount_fen: what this call added.
 */
int assistance_detect_recoveries(struct store *st, const struct ms_actor *actor, int64_t *found,
                                 int64_t *amount_fen, struct ms_err *err);

/* --- the recovery ledger (assistance_recovery.c) ------------------------------------- */

/* A row of the ledger: money paid that is to be claimed back. */
struct assistance_recovery {
    int64_t id, line_id, household_id, amount_fen, change_id; /* change_id 0: detection */
    const char *household_number, *region_code, *payee_code, *scheme, *period;
    const char *reason;     /* paid_after_death paid_after_stop paid_above_change */
    const char *death_date; /* paid_after_death */
    const char *status;     /* open recovered waived */
    const char *detected_at, *detected_by, *resolved_on, *resolved_by, *note_zh;
};

struct assistance_recovery_filter {
    const char *status; /* NULL/"" all, open, recovered, waived */
    const char *scheme; /* NULL/"" all */
    const char *region; /* a region-code prefix within the caller's scope */
    size_t limit, offset;
};

/*
 * The ledger in the caller's scope, newest first: *items (n of them, in
 * arena), *total rows matching and *total_fen their sum. Bad filters:
 * MS_EFIELD naming status, scheme or region.
 */
int assistance_recoveries_list(struct store *st, const char *scope,
                               const struct assistance_recovery_filter *f, struct ms_arena *arena,
                               struct assistance_recovery **items, size_t *n, int64_t *total,
                               int64_t *total_fen, struct ms_err *err);

/*
 * Follows an open recovery up: status "recovered" (the money came back) or
 * "waived" (not claimed: note_zh, the reasons, required), on a date not in
 * the future (NULL: today). Audited (assistance.recovery.resolve). Errors:
 * MS_ENOTFOUND (no such row in scope), MS_ECONFLICT (already followed up),
 * MS_EFIELD/MS_EMISSING naming status, on or note_zh.
 */
int assistance_recovery_resolve(struct store *st, const char *scope, int64_t id,
                                const char *status, const char *on, const char *note_zh,
                                const struct ms_actor *actor, struct ms_err *err);

/* --- change and review (assistance_change.c, assistance_review.c) ------------------ */

/*
 * The review frequency (rules.md §1.6) as a pure function of the household's
 * facts, so each branch is a unit test. Two rules are carried as policy
 * rows and assistance.review.rule chooses one:
 *
 *   cq2016 (重庆低保条例 第二十六条, the default):
 *     a working-age member able to work but without work income
 *                      -> cq.dibao.review_months.unemployed_urban|rural (1 / 3)
 *     a seriously ill or severely disabled member, income unchanged
 *                      -> cq.dibao.review_months.severe_stable (12)
 *     otherwise        -> cq.dibao.review_months.stable (6)
 *   nat2021 (审核确认办法 第三十一条):
 *     income changed, or a working-age member able to work
 *                      -> nat.dibao.review_months.unstable (6)
 *     otherwise        -> nat.dibao.review_months.stable (12)
 *
 * "Able to work": counted, of working age (assistance.review.working_age_min
 * .. _below), no major illness, disability grade 0 or milder than the severe
 * grade, not a student. "Without work income": no wage or business income.
 */
struct assistance_review_params {
    int is_national;       /* assistance.review.rule = nat2021 */
    int cq_severe_stable;  /* months */
    int cq_stable;
    int cq_unemployed_urban;
    int cq_unemployed_rural;
    int nat_stable;
    int nat_unstable;
    int working_age_min;   /* years, inclusive */
    int working_age_below; /* years, exclusive */
    int severe_disability_grade;
};

struct assistance_review_member {
    int is_counted, age, disability_grade, has_major_illness, is_student;
    int has_work_income; /* a wage or business income is declared */
};

struct assistance_review_facts {
    int is_rural;
    int is_income_changed; /* the last review or change found the income changed */
    const struct assistance_review_member *members;
    size_t n_members;
};

struct assistance_review_freq {
    int months;
    const char *rule;  /* "cq2016" or "nat2021" */
    const char *basis; /* unemployed_ablebodied severe_stable stable unstable able_to_work */
};

void assistance_review_frequency(const struct assistance_review_facts *facts,
                                 const struct assistance_review_params *p,
                                 struct assistance_review_freq *out);

/* Loads the review parameters in force on date. */
int assistance_review_params_load(struct store *st, const char *date,
                                  struct assistance_review_params *out, struct ms_err *err);

/*
 * A change of an enrolment (rules.md §1.6, §1.11): the current period ends
 * the month before the change takes effect (assistance.change.months_after
 * months after the change month) and a successor period starts with the
 * amount recomputed by assistance_calc() on changed_on's standard, or the
 * benefit stops. History is never edited: the ended period keeps its
 * amount, and the change is a row with its written reason.
 *
 * kind:
 *   income         incomes (required; an empty list means none) replace the
 *                  household's declared incomes;
 *                  is_employment: the rise came from work, so a household
 *                  no longer eligible keeps its amount for the transition
 *                  period (渐退期, assistance.dibao.transition_months) first
 *   member_leaves  resident leaves the household (their incomes go too)
 *   member_joins   member joins, with incomes of their own
 *   death          resident died: a member is removed; the payee (unless
 *                  payee names who takes over), or the last counted
 *                  member, stops the benefit
 *   account        payee (required) is paid the same amount to a new account
 *   exit           the household leaves voluntarily: stop
 *   stop           stop for the reason given (e.g. the monitor's finding)
 *
 * The pending (not exported) lines of months from the effective month are
 * cancelled, and written again at the new amount when the household is
 * still paid; each month already sent is settled on its sum: given less
 * than owed, an arrears line (补发) for the rest; more, a recovery of the
 * excess (paid_after_stop, paid_above_change). A new payee or account moves
 * every pending line to it. Errors: MS_EMISSING reason_zh;
 * MS_EFIELD kind, changed_on (future, or taking effect before the current
 * period starts), resident (not a member), incomes[i]; MS_ENOTFOUND the
 * enrolment (or outside scope); MS_ESTALE the period has a successor
 * already; MS_ECONFLICT the benefit has stopped, or a joining member counts
 * in another open case.
 */
/* Who is paid from a change on (kind account, or the payee's death or
 * move): the payee or a member who stays, with their own account (8-30
 * digits, sealed like the application's). */
struct assistance_payee_new {
    const char *resident_code;
    const char *bank_account;
    const char *bank_name;
};

struct assistance_change_in {
    const char *kind;
    const char *changed_on; /* YYYY-MM-DD; NULL: today */
    const char *reason_zh;  /* required, at most 500 characters */
    const char *resident_code;                  /* member_leaves, death */
    const struct assistance_member_new *member; /* member_joins */
    const struct assistance_income_new *incomes;
    size_t n_incomes;
    int is_employment;
    /* kind account (required): who is paid and the new account, the amount
     * unchanged; death or member_leaves of the payee: the new payee, without
     * whom the benefit stops (the account went with the payee) */
    const struct assistance_payee_new *payee;
};

struct assistance_change_out {
    int64_t change_id;
    int64_t enrolment_id; /* the new period; 0 when stopped */
    char outcome[16];     /* recalculated stopped transition */
    char effective_period[8], transition_end_period[8];
    int64_t old_amount_fen, new_amount_fen;
    int64_t lines_cancelled, lines_replaced, recoveries, recovered_fen;
    int64_t arrears, arrears_fen; /* arrears lines (补发) written for months sent short */
    int has_calc;
    struct assistance_calc calc;
};

int assistance_enrolment_change(struct store *st, const char *scope, int64_t enrolment_id,
                                const struct assistance_change_in *in,
                                const struct ms_actor *actor, struct assistance_change_out *out,
                                struct ms_err *err);

/* The household's latest enrolment period of scheme (the one a change
 * names), whether paying or stopped; MS_ENOTFOUND if it never was enrolled.
 * For callers that know the household, not the period (the monitor). */
/* The same, inside the caller's open transaction: the monitor stops a
 * benefit and decides the task that found the reason in one. */
int assistance_enrolment_change_in_tx(struct store *st, const char *scope, int64_t enrolment_id,
                                      const struct assistance_change_in *in,
                                      const struct ms_actor *actor,
                                      struct assistance_change_out *out, struct ms_err *err);

int assistance_enrolment_current(struct store *st, int64_t household_id, const char *scheme,
                                 int64_t *enrolment_id, struct ms_err *err);

/*
 * Records a review of the household enrolled as enrolment_id (its current
 * period) on reviewed_on: "unchanged" keeps the amount (national rule: no
 * adjustment without a change); "changed" runs *change (changed_on =
 * reviewed_on, reason = reason_zh). Either way the scheduled review is
 * closed and the next one scheduled by assistance_review_frequency().
 */
struct assistance_review_in {
    const char *reviewed_on; /* NULL: today */
    const char *outcome;     /* unchanged changed */
    const char *reason_zh;   /* required */
    const struct assistance_change_in *change; /* outcome changed */
};

struct assistance_review_out {
    int64_t review_id;
    char next_due_on[11]; /* "" when the benefit stopped */
    int next_months;
    const char *basis;
    struct assistance_change_out change;
};

int assistance_review_record(struct store *st, const char *scope, int64_t enrolment_id,
                             const struct assistance_review_in *in, const struct ms_actor *actor,
                             struct assistance_review_out *out, struct ms_err *err);

/* A row of the reviews-due view: a scheduled review due by the date, or an
 * enrolled household whose payee or counted member the registry marks
 * deceased (reason member_deceased: a change to propose, never applied
 * here). */
struct assistance_review_due {
    int64_t enrolment_id, household_id, review_id, amount_fen;
    const char *reason; /* review_due member_deceased */
    const char *scheme, *household_number, *region_code, *due_on, *basis;
    const char *resident_code; /* member_deceased: who */
    const char *death_date;
};

/* Reviews due on or before due_before (YYYY-MM-DD) in scope, optionally
 * under a region prefix, then the deceased proposals; at most limit rows. */
int assistance_reviews_due(struct store *st, const char *scope, const char *region,
                           const char *due_before, size_t limit, struct ms_arena *arena,
                           struct assistance_review_due **items, size_t *n, struct ms_err *err);

/*
 * Records a job offer to a member (rules.md §1.5; 审核确认办法 第三十四条):
 * accepted, refused with a good reason (both end a streak), or refused
 * without one. At nat.dibao.refuse_job_limit refusals in a row the member
 * stops counting from the next month: a change of kind work_refusals.
 * *streak: the refusals in a row after this one; *change_id: the change
 * made (0: none).
 */
struct assistance_work_offer_in {
    const char *resident_code;
    const char *offered_on; /* NULL: today */
    int is_accepted;
    int has_good_reason;
    const char *note_zh;
};

int assistance_work_offer_record(struct store *st, const char *scope, int64_t enrolment_id,
                                 const struct assistance_work_offer_in *in,
                                 const struct ms_actor *actor, int *streak, int64_t *change_id,
                                 struct ms_err *err);
/* --- the roll taken over from before the platform (assistance_roll.c) ------------ */

/*
 * Recipients enrolled before the platform existed (issue #5 item 8): the
 * demo's generator (docs/gen.md, "The assistance roll") writes them through
 * this API, so the rows look exactly as the module would write them. An
 * enrolment of the roll has no case (case_id NULL). Its amount follows the
 * standard in force each month (policy, by date): when the standard changes
 * the row is stopped the month before and a new row starts (history is
 * never edited, rules.md §1.11).
 */
struct assistance_roll_entry {
    int64_t household_id;
    int64_t payee_id;         /* residents.id of the payee */
    const char *scheme;       /* "dibao" or "tekun" */
    int is_urban;             /* dibao: the urban or the rural standard */
    int persons;              /* counted members, 1..ASSISTANCE_MAX_MEMBERS */
    int income_permille;      /* dibao: income per person, per mille of the first standard */
    const char *start_period; /* YYYY-MM */
    const char *end_period;   /* "" (open, active) or the last month due (stopped) */
    const char *bank_account; /* 8-30 digits, sealed at rest */
    const char *bank_name;
};

struct assistance_roll;

/* Loads the standards of every month of the 15 years up to as_of's month
 * ("YYYY-MM-DD"). Free with assistance_roll_free(). */
int assistance_roll_open(struct store *st, const char *as_of, struct assistance_roll **out,
                         struct ms_err *err);
void assistance_roll_free(struct assistance_roll *r);

/*
 * Writes the enrolment rows of one household, inside the caller's
 * transaction (no audit entry: assistance_roll_audit() writes one for many).
 * A month before the earliest standard in the policy table is paid at the
 * earliest standard. *amount_fen: the last row's amount; *rows: rows written.
 * Errors: MS_EFIELD (scheme, persons, income_permille, start_period,
 * end_period, bank_account), store errors.
 */
int assistance_roll_add(struct assistance_roll *r, struct store *st,
                        const struct assistance_roll_entry *e, const struct ms_actor *actor,
                        int64_t *amount_fen, int *rows, struct ms_err *err);

/* One audit entry for households and rows just added (same transaction). */
int assistance_roll_audit(struct store *st, const struct ms_actor *actor, size_t households,
                          size_t rows, struct ms_err *err);

/*
 * The roll's payment history: for every month from..to (YYYY-MM, inclusive)
 * a done payment run per scheme and a paid line per enrolment of the roll
 * due that month, set-based, in one transaction with its audit entry.
 * Lines already there are kept (a second call adds nothing).
 */
int assistance_roll_history(struct store *st, const char *from, const char *to,
                            const struct ms_actor *actor, int64_t *lines, int64_t *total_fen,
                            struct ms_err *err);

/* --- the public list and the indicators (assistance_public.c) ---------------------- */

/* A line of the long-term public list (长期公示): what the notice board
 * shows and nothing else (rules.md §1.5: no ID number, no address detail). */
struct assistance_public_row {
    const char *name;       /* the payee's full name (the rule requires it) */
    int64_t household_size; /* persons covered */
    int64_t amount_fen;     /* monthly */
    const char *scheme, *scheme_zh;
};

struct assistance_public_list {
    char period[8];     /* the month shown: the current one */
    const char *region; /* the region listed (the caller's scope narrowed by the filter) */
    struct assistance_public_row *rows;
    size_t n;
};

/*
 * The recipients paid for the current month in region (a region-code
 * prefix; NULL or "": the caller's whole scope), of one scheme or all
 * (NULL). A region outside the scope lists nobody. Audited read (names):
 * *read is the entry to record before showing anything. MS_EFIELD naming
 * "scheme" or "region" for bad filters.
 */
int assistance_public_list(struct store *st, const char *scope, const char *scheme,
                           const char *region, struct ms_arena *arena,
                           struct assistance_public_list *out, struct audit_entry *read,
                           struct ms_err *err);

#define ASSISTANCE_INDICATOR_MAX_MONTHS 60

/* One line of a chart: a scheme in a town, a value per month. */
struct assistance_indicator_series {
    const char *scheme, *town_code, *town_name; /* town_code: 12 digits, town_name "" if unknown */
    int64_t *households, *persons, *issued_fen, *paid_fen; /* [months] */
};

struct assistance_indicators {
    char from[8], to[8];
    const char *region;
    int months;
    char (*periods)[8]; /* [months] */
    struct assistance_indicator_series *series;
    size_t n;
};

/*
 * Recipients and spending from the payment lines issued (not failed) of the
 * months from..to (YYYY-MM, at most ASSISTANCE_INDICATOR_MAX_MONTHS), by
 * scheme, town and month, in the caller's scope narrowed to region; one
 * grouped query. Aggregates only: not audited. MS_EFIELD naming "from",
 * "to", "scheme" or "region".
 */
int assistance_indicators(struct store *st, const char *scope, const char *from, const char *to,
                          const char *scheme, const char *region, struct ms_arena *arena,
                          struct assistance_indicators *out, struct ms_err *err);

/* --- the resident portal: 办事进度 (assistance_portal.c) ----------------------------- */

/* A step of an application as the resident follows it. */
struct assistance_portal_step {
    const char *step;     /* submitted accepted investigation home_visit town_review publicity
                             district_review decision enrolled | refused | declined */
    const char *title_zh, *title_en;
    const char *on;       /* when it was done, "" if not (yet, or skipped) */
    const char *state;    /* done current pending */
    const char *due_on;   /* the current step's due date, else NULL or "" */
};

/* An amount approved for a scheme. */
struct assistance_portal_benefit {
    const char *scheme, *title_zh;
    int64_t amount_fen;
    int is_one_off; /* 临时救助: paid once, not monthly */
};

/* One of the resident's applications, in their words. In the list only
 * id, schemes, status*, current_*, channel, applied_on and due_on are set. */
struct assistance_portal_app {
    int64_t id;
    const char **schemes;
    size_t n_schemes;
    const char *status, *status_zh, *status_en;
    const char *current_step, *current_title_zh, *current_title_en; /* "" when all done */
    const char *channel, *applied_on, *accepted_on, *due_on;
    const char *statement_zh, *contact_phone_masked, *bank_account_masked;
    struct assistance_portal_step *steps;
    size_t n_steps;
    const char *decision; /* approve refuse decline, or NULL */
    const char *decision_reason_zh, *decided_on;
    struct assistance_portal_benefit *benefits; /* approved schemes */
    size_t n_benefits;
    const char *notice_text_zh, *notified_on; /* once the written notice was given, else NULL */
};

/* The resident's own applications (as applicant), newest first, at most 50.
 * Audited read (assistance.portal.list), the resident as subject. */
int assistance_portal_list(struct store *st, int64_t resident_id, struct ms_arena *arena,
                           struct assistance_portal_app **items, size_t *n,
                           struct audit_entry *read, struct ms_err *err);

/* One of them with its steps; MS_ENOTFOUND for any case the resident did
 * not apply for. Audited read (assistance.portal.read). */
int assistance_portal_get(struct store *st, int64_t resident_id, int64_t id,
                          struct ms_arena *arena, struct assistance_portal_app *out,
                          struct audit_entry *read, struct ms_err *err);

/* --- a household's history (assistance_chain.c) ----------------------------------- */

/* One item of a household's assistance timeline. kind: application (status:
 * the case's), step (status: the procedure action; text: its note), period
 * (an enrolment period from `on`, a month; text: its end month or ""),
 * change (status: its outcome; text: kind and written reason), payment (a
 * line of month `on`; status pending/exported/paid/failed), recovery
 * (text: its reason). */
struct assistance_chain_item {
    const char *on, *kind, *scheme, *status, *text;
    int64_t amount_fen, ref_id;
};

/* The newest max items of the household's history, oldest first. No scope
 * check and no audit entry: the caller (the monitor's chain view) checks
 * the household against the caller's scope and records the read. */
int assistance_household_chain(struct store *st, int64_t household_id, size_t max,
                               struct ms_arena *arena, struct assistance_chain_item **items,
                               size_t *n, struct ms_err *err);

extern const struct ms_module assistance_module;

#endif
