/*
 * assistance_int.h - shared between the assistance module's files.
 */
#ifndef MS_ASSISTANCE_INT_H
#define MS_ASSISTANCE_INT_H

#include <stdint.h>

#include "core/date.h"

#include "modules/assistance/assistance.h"
#include "modules/module.h"

extern const struct http_route assistance_http_routes[];
extern const struct cli_command assistance_cli_commands[];
extern const struct store_migration assistance_migrations[];
extern const struct ms_job assistance_jobs[];

/* The field name bank account numbers are sealed under (never change it:
 * stored values depend on it). */
#define ASSISTANCE_SEAL_BANK_ACCOUNT "bank_account"
/* The same for an online application's contact phone. */
#define ASSISTANCE_SEAL_CONTACT_PHONE "contact_phone"

/* The scheme's Chinese title (最低生活保障, ...), or code if unknown. */
const char *assistance__scheme_title(const char *code);

/* Sets an error with the field at fault, in English and Chinese; returns code. */
int assistance__bad(struct ms_err *err, int code, const char *field, const char *zh,
                    const char *en);

/* MS_ENOTFOUND for case id (the same for "no such case" and "outside your scope"). */
int assistance__case_not_found(struct ms_err *err, int64_t id);

/* Parses a YYYY-MM-DD date that must not be after today in China; field
 * names it in the error. */
int assistance__past_date(const char *field, const char *text, int32_t *day, struct ms_err *err);

/* Parses a YYYY-MM period that must not be after the current month in
 * China (a payment for a future month is refused). */
int assistance__past_period(const char *text, int32_t *first_day, struct ms_err *err);

/* The region prefix a list covers: the scope narrowed by region (1-12
 * digits, else MS_EFIELD "region"); *none when region lies outside the
 * scope (nothing to list). */
int assistance__narrow(const char *scope, const char *region, struct ms_arena *a,
                       const char **prefix, int *none, struct ms_err *err);

/* A scheme filter: "" or NULL (all), dibao, tekun or linshi, else MS_EFIELD. */
int assistance__check_scheme_filter(const char *scheme, struct ms_err *err);

/* Binds the region range of prefix and the scheme range ("" .. "~" for all)
 * to positions i .. i+3. */
int assistance__bind_filters(struct store_stmt *s, int i, const char *prefix, const char *scheme,
                             struct ms_err *err);

/* A bank account number: 8-30 digits; "" is accepted unless required.
 * field names it in the error. */
int assistance__check_bank(const char *field, const char *account, int is_required,
                           struct ms_err *err);

struct ms_arena;
struct store;

/* Seals number under field_name (ASSISTANCE_SEAL_*) with the registry's
 * key; *last4 its last four digits for screens. "" stays "". */
int assistance__seal_number(struct store *st, const char *field_name, const char *number,
                            struct ms_arena *a, const char **sealed, const char **last4,
                            struct ms_err *err);

/* "YYYY-MM-DDTHH:MM:SS.mmmZ" now. */
void assistance__now(char buf[32]);

/* registry_scope_bounds() of scope, NULL meaning the whole district. */
int assistance__scope_bounds(const char *scope, char lo[16], char hi[16], struct ms_err *err);

struct store;
struct store_stmt;

/* Runs a prepared statement that returns no rows, and resets it. */
int assistance__step_once(struct store_stmt *s, struct ms_err *err);

/* Records a case's move from one state to another (assistance_case_events). */
int assistance__event(struct store *st, int64_t id, const char *from, const char *to,
                      const char *action, const char *note, const struct ms_actor *actor,
                      struct ms_err *err);

/* Appends the audit entry of a change to case id (object assistance_case). */
int assistance__audit_case(struct store *st, const struct ms_actor *actor, const char *action,
                           int64_t id, const char *subject, const char *detail, struct ms_err *err);

/* --- schemes (assistance_scheme.c): the one dispatch point ------------------------- */

struct ms_arena;

/* What differs between 低保, 特困 and 临时救助: a row per scheme, looked up by
 * code. The flow (create, compute, decide, enrol) is the same for all and
 * calls these; a new scheme is a new row. */
struct assistance_scheme {
    const char *code;
    /* The income kinds an application may declare. */
    int (*income_kind_known)(const char *kind);
    /* Validates what the application declares for this scheme (NULL: nothing). */
    int (*check)(const struct assistance_case_new *in, struct ms_err *err);
    /* Stores it in the create transaction; member_ids[i] is members[i]'s resident id. */
    int (*store)(struct store *st, int64_t case_id, const struct assistance_case_new *in,
                 const int64_t *member_ids, struct ms_err *err);
    /* Counts the stored part of a case (bound: the case id); NULL: no part.
     * A case with none cannot be computed for the scheme (taken before a
     * further scheme could declare its part). */
    const char *part_sql;
    /* Computes the case on date's policy values into the common outcome
     * (and stores the scheme's own result, in the caller's transaction). */
    int (*compute)(struct store *st, int64_t case_id, const char *area, const char *date,
                   struct ms_arena *a, struct assistance_calc *out, struct ms_err *err);
    /* The policy key: months after the decision month that payment starts. */
    const char *start_key;
    /* Paid once, for the start month only (临时救助). */
    int is_one_off;
};

/* The scheme of code, or NULL. */
const struct assistance_scheme *assistance__scheme(const char *code);

/* Checks the scheme of an application and what it declares, for every
 * scheme it asks for: MS_EFIELD naming the field for an unknown first
 * scheme, a bad value, or a part of no scheme asked for ("linshi",
 * "supporters", "members[i].adl_not_met"). */
int assistance__scheme_check(const struct assistance_case_new *in, struct ms_err *err);

/* Whether some scheme the application asks for takes the income kind. */
int assistance__scheme_income_kind_known(const struct assistance_case_new *in, const char *kind);

/* Stores the part of every scheme the application asks for (create). */
int assistance__scheme_store(struct store *st, int64_t case_id,
                             const struct assistance_case_new *in, const int64_t *member_ids,
                             struct ms_err *err);

/* *has = whether the case has sc's part stored (1 for a scheme without one). */
int assistance__scheme_has_part(struct store *st, const struct assistance_scheme *sc,
                                int64_t case_id, int *has, struct ms_err *err);

/* *n = how many schemes the case asks for (assistance_flow.c). */
int assistance__scheme_count(struct store *st, int64_t case_id, int64_t *n, struct ms_err *err);

/* Frees the case's members for one scheme (assistance_counted): a refused
 * determination, a one-off enrolment (assistance_flow.c). */
int assistance__counted_release_scheme(struct store *st, int64_t case_id, const char *scheme,
                                       struct ms_err *err);

/* The stored case as dibao calculation input (assistance_flow.c): the
 * members with their ages on day on (ids[i]: members[i]'s resident id; a
 * counted member no longer alive is MS_ECONFLICT), then their incomes and
 * the assets. Arrays in a. Incomes of a kind income_kind_known() refuses
 * (another scheme's kind, as 特困's medical_insurance for dibao) are left
 * out of the computation. */
int assistance__load_calc_members(struct store *st, int64_t case_id, int32_t on, struct ms_arena *a,
                                  struct assistance_calc_in *in, int64_t *ids, struct ms_err *err);
int assistance__load_calc_incomes(struct store *st, int64_t case_id, const int64_t *ids,
                                  int (*income_kind_known)(const char *kind), struct ms_arena *a,
                                  struct assistance_calc_in *in, struct ms_err *err);
int assistance__load_calc_assets(struct store *st, int64_t case_id, struct ms_arena *a,
                                 struct assistance_calc_in *in, struct ms_err *err);

/* The dibao computation of a stored case (assistance_flow.c). */
int assistance__compute_dibao(struct store *st, int64_t case_id, const char *area, const char *date,
                              struct ms_arena *a, struct assistance_calc *out, struct ms_err *err);

/* After an enrolment is written: closes a one-off scheme's enrolment after
 * its month and frees the members (MS_ECONFLICT if the household already
 * has one for that month). Nothing for monthly schemes. */
int assistance__scheme_enrolled(struct store *st, const char *scheme, int64_t case_id,
                                int64_t enrolment_id, struct ms_err *err);

/* *out = 1 if the case is 临时救助 declared pay_first (assistance_scheme.c). */
int assistance__is_pay_first(struct store *st, const char *scheme, int64_t case_id, int *out,
                             struct ms_err *err);

/* The case's own row (no members, lines or audit entry), in scope, into out
 * (strings in a); MS_ENOTFOUND like assistance_case_get() (assistance_read.c). */
int assistance__read_case(struct store *st, const char *scope, int64_t id, struct ms_arena *a,
                          struct assistance_case *out, struct ms_err *err);

/* Adds the scheme's own part to a case read by assistance_case_get(). */
int assistance__scheme_read(struct store *st, struct ms_arena *a, struct assistance_case *c,
                            struct ms_err *err);
/* --- change and review (assistance_change.c, assistance_review.c) --- */

/* One period of an enrolment (a row of assistance_enrolments) as the
 * change and review code needs it. */
struct assistance__period {
    int64_t id, household_id, case_id, payee_id, amount_fen;
    char scheme[16], start[8], end[8], status[16], transition_end[8], area[8];
    char case_status[24], payee_code[32];
    int has_facts, has_successor;
};

/* The period enrolment_id in scope (NULL: the whole district), or
 * MS_ENOTFOUND. */
int assistance__period_load(struct store *st, const char *scope, int64_t enrolment_id,
                            struct assistance__period *out, struct ms_err *err);

struct assistance__fact_member {
    int64_t resident_id;
    char code[32], relation[16], birth_date[11], status[16];
    char exclusion_reason[608];
    int is_counted, disability_grade, has_major_illness, is_student;
};

struct assistance__fact_income {
    int64_t resident_id;
    char kind[32];
    int64_t amount_fen;
    int months;
};

/* The household facts of a period: its own rows, or its case's. */
struct assistance__facts {
    struct assistance__fact_member members[ASSISTANCE_MAX_MEMBERS];
    size_t n_members;
    struct assistance__fact_income incomes[ASSISTANCE_MAX_LINES];
    size_t n_incomes;
};

int assistance__facts_load(struct store *st, const struct assistance__period *p,
                           struct assistance__facts *out, struct ms_err *err);

/* Checks a change's input that needs no database; the work_refusals kind
 * only when is_internal (assistance_work_offer_record() makes it). */
int assistance__change_check(const struct assistance_change_in *in, int is_internal,
                             struct ms_err *err);

/* Runs a change inside the caller's transaction (assistance_enrolment_change()
 * without its own store_tx()); review_id links it to a review (0: none). */
int assistance__change_apply(struct store *st, const char *scope, int64_t enrolment_id,
                             const struct assistance_change_in *in, const struct ms_actor *actor,
                             struct assistance_change_out *out, struct ms_err *err);

/* Schedules the next review of period's household from base_date (YYYY-MM-DD)
 * by assistance_review_frequency(), inside the caller's transaction. */
int assistance__review_schedule(struct store *st, int64_t enrolment_id, const char *base_date,
                                int is_income_changed, char due_on[11], int *months,
                                const char **basis, struct ms_err *err);

/* MS_ESTALE: the period has a successor (changed meanwhile). */
int assistance__enrolment_stale(struct ms_err *err, int64_t id);

/* Appends the audit entry of a change to an enrolment period. */
int assistance__audit_enrolment(struct store *st, const struct ms_actor *actor,
                                const char *action, int64_t id, const char *subject,
                                const char *detail, struct ms_err *err);
/* The same for a row of the recovery ledger (object assistance_recovery). */
int assistance__audit_recovery(struct store *st, const struct ms_actor *actor, const char *action,
                               int64_t id, const char *detail, struct ms_err *err);
/* --- the procedure (assistance_flow.c, assistance_procedure.c) ------------------ */

struct ms_arena;
struct assistance_calc;

/* A case as a move sees it (assistance_sql_case_get). */
struct assistance__row {
    int64_t id, household_id, applicant_id, version, standard_fen;
    char scheme[16], area[8], status[24], applied_on[MS_DATE_BUF], income_period[MS_PERIOD_BUF];
    char applicant_code[32], applicant_name[64], household_number[32];
    char computed_on[MS_DATE_BUF], state_since[MS_DATE_BUF], due_on[MS_DATE_BUF];
    char publicity_start[MS_DATE_BUF], publicity_end[MS_DATE_BUF], received_on[MS_DATE_BUF];
    char notified_on[MS_DATE_BUF];
    char accepted_on[MS_DATE_BUF]; /* "" while an online application awaits acceptance */
    char channel[8];               /* window online */
    char extension_reason[1536]; /* 500 characters of UTF-8 */
    int near_relative, publicity_round, is_extended;
};

/* Loads case id in scope (MS_ENOTFOUND outside it). */
int assistance__case_load(struct store *st, const char *scope, int64_t id,
                          struct assistance__row *out, struct ms_err *err);

/* The state action leads to from the case's state, whether it needs a
 * reason and whether it needs assistance:case:decide; MS_ECONFLICT (field
 * "status") when the transitions table has no such move. */
int assistance__next_state(struct store *st, const struct assistance__row *row, const char *action,
                           char to[24], int *needs_reason, int *needs_decide, struct ms_err *err);

struct assistance__move {
    const char *action;
    const char *on;          /* the step's business date */
    const char *note;        /* free text for the event */
    const char *detail_json; /* what was recorded, or NULL */
};

/*
 * Moves the case along m->action: the state from the transitions table,
 * its due date (assistance_due() on the row as the caller updated it),
 * state_since (unchanged on a move to the same state), guarded by the
 * version read (a concurrent move: MS_ESTALE), and the event row.
 */
int assistance__case_move(struct store *st, struct assistance__row *row,
                          const struct assistance__move *m, const struct ms_actor *actor,
                          struct ms_err *err);

/* The due date of the case's current state on the limits in force on
 * `on` ("" when no limit runs). */
int assistance__case_due(struct store *st, const struct assistance__row *row, const char *on,
                         char due[MS_DATE_BUF], struct ms_err *err);

/* assistance__event() with the step's date, the due date the step had and
 * what was recorded (m->detail_json). */
int assistance__event_step(struct store *st, int64_t id, const char *from, const char *to,
                           const struct assistance__move *m, const char *due_on,
                           const struct ms_actor *actor, struct ms_err *err);

/* The date text for a given date (not in the future), or today. */
int assistance__date_or_today(const char *field, const char *text, char out[MS_DATE_BUF],
                              struct ms_err *err);

/* The first payment month of scheme for a decision on decided_on. */
int assistance__start_period(struct store *st, const char *scheme, const char *decided_on,
                             char out[MS_PERIOD_BUF], struct ms_err *err);

/* The working-day calendar (the State Council table, or weekends only if it
 * cannot be loaded); release with ms_calendar_release(). */
void assistance__calendar(struct ms_calendar *cal);

#endif
