/*
 * assistance_int.h - shared between the assistance module's files.
 */
#ifndef MS_ASSISTANCE_INT_H
#define MS_ASSISTANCE_INT_H

#include <stdint.h>

#include "modules/assistance/assistance.h"
#include "modules/module.h"

extern const struct http_route assistance_http_routes[];
extern const struct cli_command assistance_cli_commands[];
extern const struct store_migration assistance_migrations[];
extern const struct ms_job assistance_jobs[];

/* The field name bank account numbers are sealed under (never change it:
 * stored values depend on it). */
#define ASSISTANCE_SEAL_BANK_ACCOUNT "bank_account"

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

#endif
