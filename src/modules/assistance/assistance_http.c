/*
 * assistance_http.c - /api/v1/assistance: parse, call one domain function
 * with the caller's data scope, render. Reads of a case are sent only once
 * their audit entry is committed. Bank account numbers leave masked.
 */
#include "modules/assistance/assistance.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/str.h"
#include "modules/assistance/assistance_int.h"
#include "modules/assistance/assistance_tekun.h"
#include "modules/audit/audit_http.h"

#include "core/banned.h"

#define AMOUNT_MIN (-INT64_MAX) /* negatives reach the domain check, which says why */

static const char *scope_of(const struct http_request *req)
{
    return req->principal && req->principal->scope ? req->principal->scope : "";
}

/* Prefixes the field of the error just set with "key[i].". */
static int item_error(struct http_request *req, const char *key, size_t i)
{
    char f[MS_ERR_FIELD_MAX * 2];
    snprintf(f, sizeof(f), "%s[%zu]%s%s", key, i, req->err.field[0] ? "." : "", req->err.field);
    f[MS_ERR_FIELD_MAX - 1] = '\0';
    memcpy(req->err.field, f, MS_ERR_FIELD_MAX);
    return req->err.code;
}

static int get_bool(struct http_request *req, json_t *o, const char *key, int *out)
{
    return ms_json_get_bool(o, key, 0, out, &req->err);
}

/* A member's 特困 part: disability_type and adl_not_met (an array of names). */
static int parse_member_tekun(struct http_request *req, json_t *o,
                              struct assistance_member_tekun_new *out)
{
    json_t *arr = json_object_get(o, "adl_not_met");
    if (ms_json_get_str(o, "disability_type", 0, 16, &out->disability_type, &req->err) < 0)
        return req->err.code;
    if (!arr || json_is_null(arr))
        return 0;
    size_t n = json_array_size(arr);
    if (!json_is_array(arr) || n > 6) {
        ms_err_field(&req->err, MS_EFIELD, "adl_not_met", "adl_not_met: an array of 0-6 items");
        ms_err_zh(&req->err, "adl_not_met 应为不超过 6 项的数组");
        return req->err.code;
    }
    const char **names = ms_arena_calloc(req->arena, n ? n : 1, sizeof(*names));
    for (size_t j = 0; j < n; j++) {
        names[j] = json_string_value(json_array_get(arr, j));
        if (!names[j]) {
            ms_err_field(&req->err, MS_EFIELD, "adl_not_met", "adl_not_met[%zu]: not a string", j);
            snprintf(req->err.field, sizeof(req->err.field), "adl_not_met[%zu]", j);
            ms_err_zh(&req->err, "生活自理能力评估项目应为字符串");
            return req->err.code;
        }
    }
    out->adl_not_met = names;
    out->n_adl_not_met = n;
    return 0;
}

/* Who a member or an income line is: "resident" (a code; staff), or with
 * places non-NULL "member" (the place in the household as the portal lists
 * it; residents, who see no codes), into (*places)[i]. */
static int parse_who(struct http_request *req, json_t *o, const char **code, int **places,
                     size_t i, size_t n)
{
    int64_t place = 0;
    if (!places)
        return ms_json_get_str(o, "resident", 1, 32, code, &req->err);
    if (!*places)
        *places = ms_arena_calloc(req->arena, n ? n : 1, sizeof(**places));
    if (ms_json_get_int(o, "member", 1, 0, ASSISTANCE_MAX_MEMBERS, &place, NULL, &req->err) < 0)
        return req->err.code;
    (*places)[i] = (int)place;
    return 0;
}

static int parse_members(struct http_request *req, json_t *arr, struct assistance_case_new *in,
                         int **places)
{
    static const char *const by_code[] = {
        "resident",      "relation", "counted",         "exclusion_reason", "disability_grade",
        "major_illness", "student",  "disability_type", "adl_not_met",      NULL};
    static const char *const by_place[] = {
        "member",        "relation", "counted",         "exclusion_reason", "disability_grade",
        "major_illness", "student",  "disability_type", "adl_not_met",      NULL};
    size_t n = json_array_size(arr);
    if (n > ASSISTANCE_MAX_MEMBERS)
        n = ASSISTANCE_MAX_MEMBERS + 1; /* the domain refuses it with its message */
    struct assistance_member_new *m = ms_arena_calloc(req->arena, n ? n : 1, sizeof(*m));
    struct assistance_member_tekun_new *t = ms_arena_calloc(req->arena, n ? n : 1, sizeof(*t));
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        int64_t grade = 0;
        m[i].is_counted = 1;
        if (!o || ms_json_object_check(o, places ? by_place : by_code, &req->err) < 0 ||
            parse_who(req, o, &m[i].resident_code, places, i, n) < 0 ||
            ms_json_get_str(o, "relation", 1, 16, &m[i].relation, &req->err) < 0 ||
            get_bool(req, o, "counted", &m[i].is_counted) < 0 ||
            ms_json_get_str(o, "exclusion_reason", 0, 200, &m[i].exclusion_reason, &req->err) < 0 ||
            ms_json_get_int(o, "disability_grade", 0, 0, 4, &grade, NULL, &req->err) < 0 ||
            get_bool(req, o, "major_illness", &m[i].has_major_illness) < 0 ||
            get_bool(req, o, "student", &m[i].is_student) < 0 ||
            parse_member_tekun(req, o, &t[i]) < 0)
            return item_error(req, "members", i);
        m[i].disability_grade = (int)grade;
    }
    in->members = m;
    in->member_tekun = t;
    in->n_members = n;
    return 0;
}

static int parse_incomes(struct http_request *req, json_t *arr, struct assistance_case_new *in,
                         int **places)
{
    static const char *const by_code[] = {"resident", "kind", "amount_fen", "months", NULL};
    static const char *const by_place[] = {"member", "kind", "amount_fen", "months", NULL};
    size_t n = json_array_size(arr);
    if (n > ASSISTANCE_MAX_LINES)
        n = ASSISTANCE_MAX_LINES + 1;
    struct assistance_income_new *x = ms_arena_calloc(req->arena, n ? n : 1, sizeof(*x));
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        int64_t months = 1;
        if (!o || ms_json_object_check(o, places ? by_place : by_code, &req->err) < 0 ||
            parse_who(req, o, &x[i].resident_code, places, i, n) < 0 ||
            ms_json_get_str(o, "kind", 1, 32, &x[i].kind, &req->err) < 0 ||
            ms_json_get_int(o, "amount_fen", 1, AMOUNT_MIN, INT64_MAX, &x[i].amount_fen, NULL,
                            &req->err) < 0 ||
            ms_json_get_int(o, "months", 0, 1, 12, &months, NULL, &req->err) < 0)
            return item_error(req, "incomes", i);
        x[i].months = (int)months;
    }
    in->incomes = x;
    in->n_incomes = n;
    return 0;
}

static int parse_assets(struct http_request *req, json_t *arr, struct assistance_case_new *in)
{
    static const char *const fields[] = {"resident", "kind", "value_fen", "quantity",
                                         "exempt",   "note", NULL};
    size_t n = json_array_size(arr);
    if (n > ASSISTANCE_MAX_LINES)
        n = ASSISTANCE_MAX_LINES + 1;
    struct assistance_asset_new *x = ms_arena_calloc(req->arena, n ? n : 1, sizeof(*x));
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        int64_t q = 1;
        if (!o || ms_json_object_check(o, fields, &req->err) < 0 ||
            ms_json_get_str(o, "resident", 0, 32, &x[i].resident_code, &req->err) < 0 ||
            ms_json_get_str(o, "kind", 1, 32, &x[i].kind, &req->err) < 0 ||
            ms_json_get_int(o, "value_fen", 1, AMOUNT_MIN, INT64_MAX, &x[i].value_fen, NULL,
                            &req->err) < 0 ||
            ms_json_get_int(o, "quantity", 0, 0, 1000, &q, NULL, &req->err) < 0 ||
            get_bool(req, o, "exempt", &x[i].is_exempt) < 0 ||
            ms_json_get_str(o, "note", 0, 200, &x[i].note, &req->err) < 0)
            return item_error(req, "assets", i);
        x[i].quantity = (int)q;
    }
    in->assets = x;
    in->n_assets = n;
    return 0;
}

static int parse_expenses(struct http_request *req, json_t *arr, struct assistance_case_new *in)
{
    static const char *const fields[] = {"resident", "kind", "amount_fen", "receipt_ref", NULL};
    size_t n = json_array_size(arr);
    if (n > ASSISTANCE_MAX_LINES)
        n = ASSISTANCE_MAX_LINES + 1;
    struct assistance_expense_new *x = ms_arena_calloc(req->arena, n ? n : 1, sizeof(*x));
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        if (!o || ms_json_object_check(o, fields, &req->err) < 0 ||
            ms_json_get_str(o, "resident", 0, 32, &x[i].resident_code, &req->err) < 0 ||
            ms_json_get_str(o, "kind", 1, 32, &x[i].kind, &req->err) < 0 ||
            ms_json_get_int(o, "amount_fen", 1, AMOUNT_MIN, INT64_MAX, &x[i].amount_fen, NULL,
                            &req->err) < 0 ||
            ms_json_get_str(o, "receipt_ref", 0, 64, &x[i].receipt_ref, &req->err) < 0)
            return item_error(req, "expenses", i);
    }
    in->expenses = x;
    in->n_expenses = n;
    return 0;
}

static int parse_supporters(struct http_request *req, json_t *arr, struct assistance_case_new *in)
{
    static const char *const fields[] = {"relation",
                                         "age",
                                         "tekun",
                                         "dibao",
                                         "severely_disabled",
                                         "annual_income_fen",
                                         "low_assets",
                                         "incapacitated",
                                         "missing",
                                         "in_prison",
                                         NULL};
    size_t n = json_array_size(arr);
    if (n > ASSISTANCE_MAX_SUPPORTERS)
        n = ASSISTANCE_MAX_SUPPORTERS + 1; /* the domain refuses it with its message */
    struct assistance_supporter_new *x = ms_arena_calloc(req->arena, n ? n : 1, sizeof(*x));
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        int64_t age = 0;
        if (!o || ms_json_object_check(o, fields, &req->err) < 0 ||
            ms_json_get_str(o, "relation", 1, 16, &x[i].relation, &req->err) < 0 ||
            ms_json_get_int(o, "age", 1, 0, 150, &age, NULL, &req->err) < 0 ||
            get_bool(req, o, "tekun", &x[i].is_tekun) < 0 ||
            get_bool(req, o, "dibao", &x[i].is_dibao) < 0 ||
            get_bool(req, o, "severely_disabled", &x[i].is_severely_disabled) < 0 ||
            ms_json_get_int(o, "annual_income_fen", 0, AMOUNT_MIN, INT64_MAX,
                            &x[i].annual_income_fen, NULL, &req->err) < 0 ||
            get_bool(req, o, "low_assets", &x[i].has_low_assets) < 0 ||
            get_bool(req, o, "incapacitated", &x[i].is_incapacitated) < 0 ||
            get_bool(req, o, "missing", &x[i].is_missing) < 0 ||
            get_bool(req, o, "in_prison", &x[i].is_in_prison) < 0)
            return item_error(req, "supporters", i);
        x[i].age = (int)age;
    }
    in->supporters = x;
    in->n_supporters = n;
    return 0;
}

/* The "linshi" object, or absent. */
static int parse_linshi(struct http_request *req, json_t *body, struct assistance_case_new *in)
{
    static const char *const fields[] = {"kind", "cause", "severity", "months", "pay_first", NULL};
    json_t *o = json_object_get(body, "linshi");
    if (!o || json_is_null(o))
        return 0;
    struct assistance_linshi_new *l = ms_arena_calloc(req->arena, 1, sizeof(*l));
    int64_t months = 1;
    if (!json_is_object(o)) {
        ms_err_field(&req->err, MS_EFIELD, "linshi", "linshi must be an object");
        ms_err_zh(&req->err, "linshi 应为对象");
        return req->err.code;
    }
    if (ms_json_object_check(o, fields, &req->err) < 0 ||
        ms_json_get_str(o, "kind", 1, 16, &l->kind, &req->err) < 0 ||
        ms_json_get_str(o, "cause", 1, 32, &l->cause, &req->err) < 0 ||
        ms_json_get_str(o, "severity", 1, 16, &l->severity, &req->err) < 0 ||
        ms_json_get_int(o, "months", 0, 1, 12, &months, NULL, &req->err) < 0 ||
        get_bool(req, o, "pay_first", &l->is_pay_first) < 0) {
        char f[MS_ERR_FIELD_MAX * 2];
        snprintf(f, sizeof(f), "linshi%s%s", req->err.field[0] ? "." : "", req->err.field);
        f[MS_ERR_FIELD_MAX - 1] = '\0';
        memcpy(req->err.field, f, MS_ERR_FIELD_MAX);
        return req->err.code;
    }
    l->months = (int)months;
    in->linshi = l;
    return 0;
}

/* An array under key, or absent; anything else is a field error. */
static int array_of(struct http_request *req, json_t *body, const char *key, json_t **out)
{
    *out = json_object_get(body, key);
    if (!*out || json_is_null(*out)) {
        *out = NULL;
        return 0;
    }
    if (json_is_array(*out))
        return 0;
    int ret = ms_err_field(&req->err, MS_EFIELD, key, "%s must be an array", key);
    ms_err_zh(&req->err, "%s 应为数组", key);
    return ret;
}

/* "scheme": one, or "schemes": the application asks for several
 * (社会救助一件事); not both. */
static int parse_schemes(struct http_request *req, json_t *body, struct assistance_case_new *in)
{
    json_t *arr = json_object_get(body, "schemes");
    if (!arr || json_is_null(arr))
        return ms_json_get_str(body, "scheme", 1, 16, &in->scheme, &req->err);
    if (json_object_get(body, "scheme")) {
        int ret = ms_err_field(&req->err, MS_EFIELD, "scheme", "give scheme or schemes, not both");
        ms_err_zh(&req->err, "scheme 与 schemes 只能填一个");
        return ret;
    }
    size_t n = json_is_array(arr) ? json_array_size(arr) : 0;
    if (n < 1 || n > 3) {
        int ret = ms_err_field(&req->err, MS_EFIELD, "schemes", "schemes: 1 to 3 scheme codes");
        ms_err_zh(&req->err, "schemes 应为 1 至 3 个救助项目");
        return ret;
    }
    const char **more = ms_arena_calloc(req->arena, n, sizeof(*more));
    for (size_t i = 0; i < n; i++) {
        const char *v = json_string_value(json_array_get(arr, i));
        if (!v) {
            ms_err_field(&req->err, MS_EFIELD, "schemes", "schemes must be strings");
            ms_err_zh(&req->err, "救助项目应为字符串");
            return item_error(req, "schemes", i);
        }
        if (i == 0)
            in->scheme = v;
        else
            more[i - 1] = v;
    }
    in->more_schemes = more;
    in->n_more_schemes = n - 1;
    return 0;
}

static int post_cases(struct http_request *req)
{
    static const char *const fields[] = {
        "scheme",        "schemes",       "household_id", "applicant",          "applied_on",
        "single_person", "bank_account",  "bank_name",    "near_relative",      "near_relative_note",
        "members",       "incomes",       "assets",       "expenses",           "supporters",
        "linshi",        NULL};
    json_t *body, *members, *incomes, *assets, *expenses, *supporters;
    struct assistance_case_new in = {0};
    if (http_body_object(req, fields, &body) < 0 || parse_schemes(req, body, &in) < 0 ||
        get_bool(req, body, "near_relative", &in.has_near_relative) < 0 ||
        ms_json_get_str(body, "near_relative_note", 0, 200, &in.near_relative_note, &req->err) <
            0 ||
        ms_json_get_int(body, "household_id", 1, 1, INT64_MAX, &in.household_id, NULL, &req->err) <
            0 ||
        ms_json_get_str(body, "applicant", 1, 32, &in.applicant_code, &req->err) < 0 ||
        ms_json_get_str(body, "applied_on", 0, 10, &in.applied_on, &req->err) < 0 ||
        get_bool(req, body, "single_person", &in.is_single_person) < 0 ||
        ms_json_get_str(body, "bank_account", 0, 30, &in.bank_account, &req->err) < 0 ||
        ms_json_get_str(body, "bank_name", 0, 60, &in.bank_name, &req->err) < 0 ||
        array_of(req, body, "members", &members) < 0 ||
        array_of(req, body, "incomes", &incomes) < 0 ||
        array_of(req, body, "assets", &assets) < 0 ||
        array_of(req, body, "expenses", &expenses) < 0 ||
        parse_members(req, members, &in, NULL) < 0 || parse_incomes(req, incomes, &in, NULL) < 0 ||
        parse_assets(req, assets, &in) < 0 ||
        parse_expenses(req, expenses, &in) < 0 ||
        array_of(req, body, "supporters", &supporters) < 0 ||
        parse_supporters(req, supporters, &in) < 0 || parse_linshi(req, body, &in) < 0)
        return req->err.code;
    struct ms_actor actor;
    int64_t id;
    http_actor(req, &actor);
    if (assistance_case_create(req->store, scope_of(req), &in, &actor, &id, &req->err) < 0)
        return req->err.code;
    http_add_header(req, "Location",
                    ms_arena_printf(req->arena, "/api/v1/assistance/cases/%lld", (long long)id));
    return http_reply_json(req, 201,
                           json_pack("{s:I,s:s}", "id", (json_int_t)id, "status", "draft"));
}

static int get_cases(struct http_request *req)
{
    int64_t page = 1, page_size = 20;
    struct assistance_case_item *items;
    size_t n;
    struct audit_entry read;
    int64_t overdue = 0;
    if (http_query_int(req, "page", 1, 100000, &page) < 0 ||
        http_query_int(req, "page_size", 1, 100, &page_size) < 0 ||
        http_query_int(req, "overdue", 0, 1, &overdue) < 0)
        return req->err.code;
    struct assistance_case_filter f = {.status = http_query(req, "status"),
                                       .channel = http_query(req, "channel"),
                                       .only_overdue = (int)overdue,
                                       .page = (int)page,
                                       .page_size = (int)page_size};
    if (assistance_case_list_filtered(req->store, scope_of(req), &f, req->arena, &items, &n, &read,
                                      &req->err) < 0)
        return req->err.code;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            arr, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:b}", "id", (json_int_t)items[i].id,
                           "scheme", items[i].scheme, "status", items[i].status, "household_number",
                           items[i].household_number, "applicant", items[i].applicant_code,
                           "applicant_name", items[i].applicant_name, "applied_on",
                           items[i].applied_on, "amount_fen", (json_int_t)items[i].amount_fen,
                           "eligible", items[i].is_eligible));
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        json_object_set_new(o, "due_on",
                            items[i].due_on[0] ? json_string(items[i].due_on) : json_null());
        json_object_set_new(o, "overdue", json_boolean(items[i].is_overdue));
        json_object_set_new(o, "channel", json_string(items[i].channel));
    }
    http_reply_json(req, 200,
                    json_pack("{s:o,s:I,s:I}", "items", arr, "page", (json_int_t)page, "page_size",
                              (json_int_t)page_size));
    return audit_http_reply_when_recorded(req, &read);
}

static int case_id_param(struct http_request *req, int64_t *id)
{
    if (!http_param_id(req, "id", id))
        return assistance__case_not_found(&req->err, 0); /* cannot exist: not found */
    return 0;
}

static json_t *calc_json(const struct assistance_calc *c)
{
    json_t *reasons = json_array();
    for (size_t i = 0; i < c->n_reasons; i++)
        json_array_append_new(reasons, json_pack("{s:s,s:s,s:s}", "code", c->reasons[i].code, "zh",
                                                 c->reasons[i].zh, "en", c->reasons[i].en));
    return json_pack("{s:b,s:b,s:b,s:i,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:o}", "eligible",
                     c->is_eligible, "marginal", c->is_marginal, "assets_ok", c->is_assets_ok,
                     "members_counted", c->members_counted, "standard_fen",
                     (json_int_t)c->standard_fen, "income_fen", (json_int_t)c->income_fen,
                     "excluded_fen", (json_int_t)c->excluded_fen, "deducted_fen",
                     (json_int_t)c->deducted_fen, "per_capita_fen", (json_int_t)c->per_capita_fen,
                     "base_fen", (json_int_t)c->base_fen, "topup_fen", (json_int_t)c->topup_fen,
                     "amount_fen", (json_int_t)c->amount_fen, "reasons", reasons);
}

static json_t *members_json(const struct assistance_case *c)
{
    json_t *a = json_array();
    for (size_t i = 0; i < c->n_members; i++) {
        const struct assistance_member *m = &c->members[i];
        json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:b,s:s,s:s,s:i,s:i,s:b,s:b}", "resident",
                                           m->code, "name", m->name, "relation", m->relation,
                                           "counted", m->is_counted, "exclusion_reason",
                                           m->exclusion_reason, "status", m->status, "age", m->age,
                                           "disability_grade", m->disability_grade, "major_illness",
                                           m->has_major_illness, "student", m->is_student));
    }
    return a;
}

static json_t *lines_json(const struct assistance_case *c, json_t **assets)
{
    json_t *incomes = json_array();
    for (size_t i = 0; i < c->n_incomes; i++)
        json_array_append_new(incomes, json_pack("{s:s,s:s,s:I,s:i}", "resident",
                                                 c->incomes[i].code, "kind", c->incomes[i].kind,
                                                 "amount_fen", (json_int_t)c->incomes[i].amount_fen,
                                                 "months", c->incomes[i].months));
    *assets = json_array();
    for (size_t i = 0; i < c->n_assets; i++)
        json_array_append_new(
            *assets, json_pack("{s:s,s:s,s:I,s:i,s:b,s:s}", "resident", c->assets[i].code, "kind",
                               c->assets[i].kind, "value_fen", (json_int_t)c->assets[i].value_fen,
                               "quantity", c->assets[i].quantity, "exempt", c->assets[i].is_exempt,
                               "note", c->assets[i].note));
    return incomes;
}

static json_t *means_json(const struct assistance_means *m)
{
    json_t *rows = json_array();
    for (size_t i = 0; i < m->n; i++) {
        const struct assistance_means_row *r = &m->rows[i];
        json_array_append_new(
            rows, json_pack("{s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:b,s:s,s:s}", "resident", r->code,
                            "feed", r->feed, "category", r->category, "records",
                            (json_int_t)r->records, "total_fen", (json_int_t)r->total_fen,
                            "monthly_fen", (json_int_t)r->monthly_fen, "declared_fen",
                            (json_int_t)r->declared_fen, "flag", r->is_flag, "reason", r->reason,
                            "note", r->note));
    }
    json_t *houses = json_pack("{s:I,s:I,s:I,s:b}", "found", (json_int_t)m->houses.found,
                               "declared", (json_int_t)m->houses.declared, "max",
                               (json_int_t)m->houses.max, "flag", m->houses.is_flag);
    return json_pack("{s:s,s:s,s:i,s:o,s:o,s:I}", "from_period", m->from_period, "to_period",
                     m->to_period, "months", m->months, "rows", rows, "houses", houses,
                     "medical_note_fen", (json_int_t)m->medical_note_fen);
}

static json_t *outcome_json(const struct assistance_case *c)
{
    json_t *reasons = NULL;
    if (ms_json_parse(c->reasons_json, strlen(c->reasons_json), &reasons, NULL) < 0)
        reasons = json_array();
    json_t *o = json_pack(
        "{s:s,s:I,s:i,s:I,s:I,s:I,s:I,s:I,s:b,s:o}", "computed_on", c->computed_on, "standard_fen",
        (json_int_t)c->standard_fen, "members_counted", c->members_counted, "income_fen",
        (json_int_t)c->income_fen, "per_capita_fen", (json_int_t)c->per_capita_fen, "base_fen",
        (json_int_t)c->base_fen, "topup_fen", (json_int_t)c->topup_fen, "amount_fen",
        (json_int_t)c->amount_fen, "eligible", c->is_eligible, "reasons", reasons);
    return o;
}

static json_t *supporters_json(const struct assistance_case *c)
{
    json_t *a = json_array();
    for (size_t i = 0; i < c->n_supporters; i++) {
        const struct assistance_supporter_new *x = &c->supporters[i];
        json_array_append_new(a, json_pack("{s:s,s:i,s:b,s:b,s:b,s:I,s:b,s:b,s:b,s:b}", "relation",
                                           x->relation, "age", x->age, "tekun", x->is_tekun,
                                           "dibao", x->is_dibao, "severely_disabled",
                                           x->is_severely_disabled, "annual_income_fen",
                                           (json_int_t)x->annual_income_fen, "low_assets",
                                           x->has_low_assets, "incapacitated", x->is_incapacitated,
                                           "missing", x->is_missing, "in_prison", x->is_in_prison));
    }
    return a;
}

/* The 特困 part of a case: members' declarations and results, supporters. */
static json_t *tekun_json(const struct assistance_case *c)
{
    json_t *members = json_array();
    for (size_t i = 0; i < c->n_tekun_members; i++) {
        const struct assistance_tekun_member_view *v = &c->tekun_members[i];
        json_t *adl = json_array();
        for (int b = 0; b < ASSISTANCE_ADL_ITEMS; b++)
            if (v->adl_not_met & (1u << b))
                json_array_append_new(adl, json_string(assistance_adl_item_name(b)));
        json_array_append_new(members, json_pack("{s:s,s:s,s:o,s:s,s:I,s:I}", "resident", v->code,
                                                 "disability_type", v->disability_type,
                                                 "adl_not_met", adl, "care_level", v->care_level,
                                                 "basic_fen", (json_int_t)v->basic_fen, "care_fen",
                                                 (json_int_t)v->care_fen));
    }
    return json_pack("{s:o,s:o}", "members", members, "supporters", supporters_json(c));
}

static json_t *linshi_json(const struct assistance_linshi_view *l)
{
    return json_pack("{s:s,s:s,s:s,s:i,s:b,s:b,s:s,s:s,s:I,s:I,s:I,s:I,s:b,s:b}", "kind", l->kind,
                     "cause", l->cause, "severity", l->severity, "months", l->months, "pay_first",
                     l->is_pay_first, "documents_owed", l->is_documents_owed,
                     "documents_completed_on", l->documents_completed_on, "documents_completed_by",
                     l->documents_completed_by, "multiple_ppm", (json_int_t)l->multiple_ppm,
                     "tier_fen", (json_int_t)l->tier_fen, "cap_fen", (json_int_t)l->cap_fen,
                     "town_limit_fen", (json_int_t)l->town_limit_fen, "needs_collective_decision",
                     l->needs_collective_decision, "within_town_limit", l->is_within_town_limit);
}
static int procedure_json(struct http_request *req, const struct assistance_case *c, json_t *o);
static json_t *date_or_null(const char *d);

static int get_case(struct http_request *req)
{
    struct assistance_case c;
    struct audit_entry read;
    int64_t id = 0;
    json_t *assets;
    if (case_id_param(req, &id) < 0 ||
        assistance_case_get(req->store, scope_of(req), id, req->arena, &c, &read, &req->err) < 0)
        return req->err.code;
    json_t *incomes = lines_json(&c, &assets);
    json_t *o = json_pack(
        "{s:I,s:s,s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:b,s:s,s:s,s:I,s:o,s:o,s:o,s:o,s:o}", "id",
        (json_int_t)c.id, "scheme", c.scheme, "status", c.status, "household_id",
        (json_int_t)c.household_id, "household_number", c.household_number, "area", c.area,
        "applicant", c.applicant_code, "applied_on", c.applied_on, "income_period", c.income_period,
        "single_person", c.is_single_person, "bank_account", c.bank_account_masked, "bank_name",
        c.bank_name, "version", (json_int_t)c.version, "members", members_json(&c), "incomes",
        incomes, "assets", assets, "computation", c.computed_on[0] ? outcome_json(&c) : json_null(),
        "means_check", means_json(&c.means));
    json_object_set_new(o, "decision",
                        c.decision ? json_pack("{s:s,s:s,s:s,s:s}", "decision", c.decision,
                                               "reason_zh", c.decision_reason_zh, "decided_on",
                                               c.decided_on, "decided_by", c.decided_by)
                                   : json_null());
    json_object_set_new(o, "enrolment",
                        c.enrolment_id
                            ? json_pack("{s:I,s:I,s:s,s:s,s:s}", "id",
                                        (json_int_t)c.enrolment_id, "amount_fen",
                                        (json_int_t)c.enrolment_amount_fen, "start_period",
                                        c.start_period, "payee", c.enrolment_payee,
                                        "bank_account", c.enrolment_bank_masked)
                            : json_null());
    json_object_set_new(o, "channel", json_string(c.channel));
    json_object_set_new(o, "accepted_on", date_or_null(c.accepted_on));
    json_object_set_new(o, "statement_zh", json_string(c.statement_zh));
    json_object_set_new(o, "contact_phone", json_string(c.contact_phone_masked));
    json_object_set_new(o, "tekun", c.n_tekun_members ? tekun_json(&c) : json_null());
    json_object_set_new(o, "linshi", c.linshi ? linshi_json(c.linshi) : json_null());
    if (procedure_json(req, &c, o) < 0)
        return req->err.code;
    http_reply_json(req, 200, o);
    return audit_http_reply_when_recorded(req, &read);
}

static int post_documents_complete(struct http_request *req)
{
    static const char *const fields[] = {"completed_on", NULL};
    json_t *body;
    const char *on = NULL;
    int64_t id = 0;
    struct ms_actor actor;
    if (case_id_param(req, &id) < 0 || http_body_object(req, fields, &body) < 0 ||
        ms_json_get_str(body, "completed_on", 0, 10, &on, &req->err) < 0)
        return req->err.code;
    http_actor(req, &actor);
    if (assistance_linshi_documents_complete(req->store, scope_of(req), id, on, &actor, &req->err) <
        0)
        return req->err.code;
    return http_reply_json(req, 200,
                           json_pack("{s:I,s:b}", "id", (json_int_t)id, "documents_owed", 0));
}

static json_t *date_or_null(const char *d)
{
    return d && *d ? json_string(d) : json_null();
}

static json_t *reasons_of(const char *text)
{
    json_t *r = NULL;
    if (ms_json_parse(text, strlen(text), &r, NULL) < 0)
        r = json_array();
    return r;
}

/* The procedure's part of a case: due date, publicity, the determinations
 * per scheme, the timeline and the moves this caller may make. */
static int procedure_json(struct http_request *req, const struct assistance_case *c, json_t *o)
{
    struct assistance_action *acts;
    size_t n_acts;
    if (assistance_case_actions(req->store, c->status, req->arena, &acts, &n_acts, &req->err) < 0)
        return req->err.code;
    json_object_set_new(o, "state_since", date_or_null(c->state_since));
    json_object_set_new(o, "due_on", date_or_null(c->due_on));
    json_object_set_new(o, "overdue", json_boolean(c->is_overdue));
    json_object_set_new(o, "near_relative",
                        json_pack("{s:b,s:s}", "declared", c->has_near_relative, "note",
                                  c->near_relative_note));
    json_object_set_new(o, "publicity",
                        json_pack("{s:o,s:o,s:i}", "start", date_or_null(c->publicity_start),
                                  "end", date_or_null(c->publicity_end), "round",
                                  c->publicity_round));
    json_object_set_new(o, "received_on", date_or_null(c->received_on));
    json_object_set_new(o, "extension_reason", c->extension_reason[0]
                                                   ? json_string(c->extension_reason)
                                                   : json_null());
    json_object_set_new(o, "notified_on", date_or_null(c->notified_on));
    json_t *dets = json_array();
    for (size_t i = 0; i < c->n_determinations; i++) {
        const struct assistance_determination *d = &c->determinations[i];
        json_array_append_new(
            dets, json_pack("{s:s,s:s,s:o,s:b,s:I,s:I,s:o,s:o,s:s}", "scheme", d->scheme, "status",
                            d->status, "computed_on", date_or_null(d->computed_on), "eligible",
                            d->is_eligible, "standard_fen", (json_int_t)d->standard_fen,
                            "amount_fen", (json_int_t)d->amount_fen, "reasons",
                            reasons_of(d->reasons_json), "decided_on",
                            date_or_null(d->decided_on), "reason_zh", d->reason_zh));
    }
    json_object_set_new(o, "determinations", dets);
    json_t *steps = json_array();
    for (size_t i = 0; i < c->n_steps; i++) {
        const struct assistance_step *st = &c->steps[i];
        json_t *detail = reasons_of(st->detail_json);
        json_array_append_new(
            steps, json_pack("{s:s,s:s,s:s,s:o,s:o,s:b,s:s,s:s,s:s,s:o}", "action", st->action,
                             "from", st->from_state, "to", st->to_state, "on",
                             date_or_null(st->on), "due_on", date_or_null(st->due_on), "late",
                             st->is_late, "note", st->note, "by", st->by, "at", st->at, "detail",
                             detail));
    }
    json_object_set_new(o, "steps", steps);
    json_t *allowed = json_array();
    for (size_t i = 0; i < n_acts; i++) {
        if (!http_has_permission(req->principal, acts[i].permission))
            continue;
        if (!assistance_case_action_applies(c, acts[i].action))
            continue;
        if (!acts[i].title_zh[0])
            continue; /* a move made elsewhere (enrolled -> stop: an enrolment change) */
        json_array_append_new(
            allowed, json_pack("{s:s,s:s,s:b,s:s,s:s}", "action", acts[i].action, "to",
                               acts[i].to_state, "needs_reason", acts[i].needs_reason, "title_zh",
                               acts[i].title_zh, "title_en", acts[i].title_en));
    }
    json_object_set_new(o, "allowed_actions", allowed);
    return 0;
}

/* --- the procedure's steps: one thin handler each ----------------------------------- */

/* The body of a step: the date, the step's text under its own name, and
 * for visits the investigators and the family's signature. */
static int post_step(struct http_request *req, const char *action)
{
    const char *text_key = assistance_step_text_field(action);
    int is_visit = !strcmp(action, "visit") || !strcmp(action, "spot_visit");
    const char *fields[6] = {"on", NULL};
    size_t nf = 1;
    if (text_key)
        fields[nf++] = text_key;
    if (is_visit)
        fields[nf++] = "investigators";
    if (!strcmp(action, "visit"))
        fields[nf++] = "family_signed";
    json_t *body, *inv = NULL;
    int64_t id = 0;
    struct assistance_step_in in = {.action = action};
    struct ms_actor actor;
    if (case_id_param(req, &id) < 0 || http_body_object(req, fields, &body) < 0 ||
        ms_json_get_str(body, "on", 0, 10, &in.on, &req->err) < 0 ||
        (text_key && ms_json_get_str(body, text_key, 0, 500, &in.text_zh, &req->err) < 0) ||
        (is_visit && array_of(req, body, "investigators", &inv) < 0) ||
        get_bool(req, body, "family_signed", &in.family_signed) < 0)
        return req->err.code;
    size_t n = inv ? json_array_size(inv) : 0;
    const char **names = ms_arena_calloc(req->arena, n ? n : 1, sizeof(*names));
    for (size_t i = 0; i < n; i++)
        if (!(names[i] = json_string_value(json_array_get(inv, i)))) {
            ms_err_field(&req->err, MS_EFIELD, "", "an investigator is a username");
            ms_err_zh(&req->err, "调查人员应为用户名");
            return item_error(req, "investigators", i);
        }
    in.investigators = names;
    in.n_investigators = n;
    in.may_decide = http_has_permission(req->principal, "assistance:case:decide");
    http_actor(req, &actor);
    struct assistance_step_out out;
    if (assistance_case_step(req->store, scope_of(req), id, &in, &actor, &out, &req->err) < 0)
        return req->err.code;
    return http_reply_json(req, 200,
                           json_pack("{s:I,s:s,s:s,s:o}", "id", (json_int_t)id, "action", action,
                                     "status", out.status, "due_on", date_or_null(out.due_on)));
}

static int post_investigation(struct http_request *req)
{
    return post_step(req, "investigate");
}
static int post_visit(struct http_request *req)
{
    return post_step(req, "visit");
}
static int post_town_review(struct http_request *req)
{
    return post_step(req, "town_review");
}
static int post_publicity(struct http_request *req)
{
    return post_step(req, "publish");
}
static int post_objection(struct http_request *req)
{
    return post_step(req, "object");
}
static int post_reinvestigation(struct http_request *req)
{
    return post_step(req, "republish");
}
static int post_publicity_close(struct http_request *req)
{
    return post_step(req, "close_publicity");
}
static int post_spot_visit(struct http_request *req)
{
    return post_step(req, "spot_visit");
}
static int post_return(struct http_request *req)
{
    return post_step(req, "return");
}
static int post_extension(struct http_request *req)
{
    return post_step(req, "extend");
}
static int post_notice(struct http_request *req)
{
    return post_step(req, "notify");
}
static int post_pay_first(struct http_request *req)
{
    return post_step(req, "pay_first");
}
static int post_accept(struct http_request *req)
{
    return post_step(req, "accept");
}
static int post_decline(struct http_request *req)
{
    return post_step(req, "decline");
}

/* --- the resident portal: online applications and 办事进度 ----------------------------- */

/* An online application: the case's own fields as staff send them, less
 * the household, the applicant and the dates (the session's and today),
 * members and incomes by their place in the household. */
static int post_portal_application(struct http_request *req)
{
    static const char *const fields[] = {
        "scheme",        "schemes",      "single_person",  "bank_account", "bank_name",
        "members",       "incomes",      "expenses",       "linshi",       "statement_zh",
        "contact_phone", "household_size", NULL};
    json_t *body, *members, *incomes, *expenses;
    struct assistance_online_new in = {0};
    int *member_places = NULL, *income_places = NULL;
    int64_t size = 0;
    if (http_body_object(req, fields, &body) < 0 || parse_schemes(req, body, &in.app) < 0 ||
        get_bool(req, body, "single_person", &in.app.is_single_person) < 0 ||
        ms_json_get_str(body, "bank_account", 0, 30, &in.app.bank_account, &req->err) < 0 ||
        ms_json_get_str(body, "bank_name", 0, 60, &in.app.bank_name, &req->err) < 0 ||
        ms_json_get_str(body, "statement_zh", 0, 2000, &in.statement_zh, &req->err) < 0 ||
        ms_json_get_str(body, "contact_phone", 0, 20, &in.contact_phone, &req->err) < 0 ||
        ms_json_get_int(body, "household_size", 0, 1, ASSISTANCE_MAX_MEMBERS * 4, &size, NULL,
                        &req->err) < 0 ||
        array_of(req, body, "members", &members) < 0 ||
        array_of(req, body, "incomes", &incomes) < 0 ||
        array_of(req, body, "expenses", &expenses) < 0 ||
        parse_members(req, members, &in.app, &member_places) < 0 ||
        parse_incomes(req, incomes, &in.app, &income_places) < 0 ||
        parse_expenses(req, expenses, &in.app) < 0 || parse_linshi(req, body, &in.app) < 0)
        return req->err.code;
    in.member_index = member_places;
    in.income_index = income_places;
    in.household_size = (int)size;
    struct ms_actor actor;
    int64_t id;
    http_actor(req, &actor);
    if (assistance_online_apply(req->store, req->principal->resident_id, &in, &actor, &id,
                                &req->err) < 0)
        return req->err.code;
    http_add_header(req, "Location",
                    ms_arena_printf(req->arena, "/api/v1/portal/assistance/applications/%lld",
                                    (long long)id));
    return http_reply_json(req, 201,
                           json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "status", "submitted",
                                     "channel", "online"));
}

static json_t *portal_app_json(const struct assistance_portal_app *x)
{
    json_t *schemes = json_array();
    for (size_t i = 0; i < x->n_schemes; i++)
        json_array_append_new(schemes, json_pack("{s:s,s:s}", "scheme", x->schemes[i], "title_zh",
                                                 assistance__scheme_title(x->schemes[i])));
    json_t *o = json_pack("{s:I,s:o,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)x->id, "schemes",
                          schemes, "status", x->status, "status_zh", x->status_zh, "status_en",
                          x->status_en, "channel", x->channel, "applied_on", x->applied_on);
    json_object_set_new(o, "current_step",
                        x->current_step[0]
                            ? json_pack("{s:s,s:s,s:s,s:o}", "step", x->current_step, "title_zh",
                                        x->current_title_zh, "title_en", x->current_title_en,
                                        "due_on", date_or_null(x->due_on))
                            : json_null());
    return o;
}

static int get_portal_applications(struct http_request *req)
{
    struct assistance_portal_app *items;
    size_t n;
    struct audit_entry read;
    if (assistance_portal_list(req->store, req->principal->resident_id, req->arena, &items, &n,
                               &read, &req->err) < 0)
        return req->err.code;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, portal_app_json(&items[i]));
    http_reply_json(req, 200, json_pack("{s:o}", "items", arr));
    http_add_header(req, "Cache-Control", "no-store");
    return audit_http_reply_when_recorded(req, &read);
}

static json_t *portal_steps_json(const struct assistance_portal_app *x)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < x->n_steps; i++) {
        const struct assistance_portal_step *p = &x->steps[i];
        json_t *o = json_pack("{s:s,s:s,s:s,s:o,s:s}", "step", p->step, "title_zh", p->title_zh,
                              "title_en", p->title_en, "on", date_or_null(p->on), "state",
                              p->state);
        if (!strcmp(p->state, "current"))
            json_object_set_new(o, "due_on", date_or_null(p->due_on));
        json_array_append_new(arr, o);
    }
    return arr;
}

static int get_portal_application(struct http_request *req)
{
    struct assistance_portal_app x;
    struct audit_entry read;
    int64_t id = 0;
    if (case_id_param(req, &id) < 0 ||
        assistance_portal_get(req->store, req->principal->resident_id, id, req->arena, &x, &read,
                              &req->err) < 0)
        return req->err.code;
    json_t *o = portal_app_json(&x);
    json_t *benefits = json_array();
    for (size_t i = 0; i < x.n_benefits; i++)
        json_array_append_new(benefits,
                              json_pack("{s:s,s:s,s:I,s:b}", "scheme", x.benefits[i].scheme,
                                        "title_zh", x.benefits[i].title_zh, "amount_fen",
                                        (json_int_t)x.benefits[i].amount_fen, "monthly",
                                        !x.benefits[i].is_one_off));
    json_object_set_new(o, "accepted_on", date_or_null(x.accepted_on));
    json_object_set_new(o, "steps", portal_steps_json(&x));
    json_object_set_new(o, "decision",
                        x.decision ? json_pack("{s:s,s:s,s:o}", "decision", x.decision,
                                               "reason_zh", x.decision_reason_zh, "decided_on",
                                               date_or_null(x.decided_on))
                                   : json_null());
    json_object_set_new(o, "benefits", benefits);
    json_object_set_new(o, "notice",
                        x.notice_text_zh ? json_pack("{s:s,s:o}", "text_zh", x.notice_text_zh,
                                                     "notified_on", date_or_null(x.notified_on))
                                         : json_null());
    json_object_set_new(o, "statement_zh", json_string(x.statement_zh));
    json_object_set_new(o, "contact_phone", json_string(x.contact_phone_masked));
    json_object_set_new(o, "bank_account", json_string(x.bank_account_masked));
    http_reply_json(req, 200, o);
    http_add_header(req, "Cache-Control", "no-store");
    return audit_http_reply_when_recorded(req, &read);
}

static int get_notice(struct http_request *req)
{
    struct assistance_notice notice;
    struct audit_entry read;
    int64_t id = 0;
    if (case_id_param(req, &id) < 0 ||
        assistance_case_notice(req->store, scope_of(req), id, req->arena, &notice, &read,
                               &req->err) < 0)
        return req->err.code;
    http_reply_json(req, 200,
                    json_pack("{s:I,s:s,s:s,s:o}", "id", (json_int_t)id, "kind", notice.kind,
                              "text_zh", notice.text_zh, "notified_on",
                              date_or_null(notice.notified_on)));
    return audit_http_reply_when_recorded(req, &read);
}

static int post_compute(struct http_request *req)
{
    static const char *const fields[] = {"as_of", NULL};
    json_t *body;
    const char *as_of = NULL;
    int64_t id = 0;
    struct assistance_calc calc;
    struct ms_actor actor;
    if (case_id_param(req, &id) < 0 || http_body_object(req, fields, &body) < 0 ||
        ms_json_get_str(body, "as_of", 0, 10, &as_of, &req->err) < 0)
        return req->err.code;
    http_actor(req, &actor);
    if (assistance_case_compute(req->store, scope_of(req), id, as_of, &actor, &calc, &req->err) < 0)
        return req->err.code;
    json_t *o = calc_json(&calc);
    json_object_set_new(o, "id", json_integer(id));
    return http_reply_json(req, 200, o);
}

static int post_decision(struct http_request *req)
{
    static const char *const fields[] = {"decision", "reason_zh", "decided_on", NULL};
    json_t *body;
    int64_t id = 0;
    struct assistance_decision_in in = {0};
    struct ms_actor actor;
    if (case_id_param(req, &id) < 0 || http_body_object(req, fields, &body) < 0 ||
        ms_json_get_str(body, "decision", 1, 16, &in.decision, &req->err) < 0 ||
        ms_json_get_str(body, "reason_zh", 0, 500, &in.reason_zh, &req->err) < 0 ||
        ms_json_get_str(body, "decided_on", 0, 10, &in.decided_on, &req->err) < 0)
        return req->err.code;
    http_actor(req, &actor);
    if (assistance_case_decide(req->store, scope_of(req), id, &in, &actor, &req->err) < 0)
        return req->err.code;
    return http_reply_json(req, 200,
                           json_pack("{s:I,s:s}", "id", (json_int_t)id, "status",
                                     !strcmp(in.decision, "approve") ? "approved" : "refused"));
}

static int post_enrol(struct http_request *req)
{
    static const char *const fields[] = {NULL};
    json_t *body;
    int64_t id = 0, enrolment = 0;
    char start[8];
    struct ms_actor actor;
    if (case_id_param(req, &id) < 0 || http_body_object(req, fields, &body) < 0)
        return req->err.code;
    http_actor(req, &actor);
    if (assistance_case_enrol(req->store, scope_of(req), id, &actor, &enrolment, start, &req->err) <
        0)
        return req->err.code;
    return http_reply_json(req, 200,
                           json_pack("{s:I,s:s,s:I,s:s}", "id", (json_int_t)id, "status",
                                     "enrolled", "enrolment_id", (json_int_t)enrolment,
                                     "start_period", start));
}

static json_t *run_json(const struct assistance_run *r)
{
    return json_pack("{s:I,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:b}", "run_id",
                     (json_int_t)r->run_id, "scheme", r->scheme, "period", r->period,
                     "lines_new", (json_int_t)r->lines_new, "lines", (json_int_t)r->lines,
                     "total_fen", (json_int_t)r->total_fen, "due", (json_int_t)r->due, "due_fen",
                     (json_int_t)r->due_fen, "households", (json_int_t)r->households, "net_fen",
                     (json_int_t)r->net_fen, "reconciled", r->is_reconciled);
}

/* The body {"scheme", "period"} of the payment and bank-file routes. */
static int scheme_period_body(struct http_request *req, const char **scheme,
                              const char **period)
{
    static const char *const fields[] = {"scheme", "period", NULL};
    json_t *body;
    if (http_body_object(req, fields, &body) < 0 ||
        ms_json_get_str(body, "scheme", 1, 16, scheme, &req->err) < 0 ||
        ms_json_get_str(body, "period", 1, 7, period, &req->err) < 0)
        return req->err.code;
    return 0;
}

static int post_payment_runs(struct http_request *req)
{
    const char *scheme, *period;
    struct assistance_run run;
    struct ms_actor actor;
    if (scheme_period_body(req, &scheme, &period) < 0)
        return req->err.code;
    http_actor(req, &actor);
    if (assistance_pay_run(req->store, scheme, period, 0, &actor, NULL, NULL, &run, &req->err) < 0)
        return req->err.code;
    return http_reply_json(req, run.lines_new ? 201 : 200, run_json(&run));
}

static int get_payment_runs(struct http_request *req)
{
    struct assistance_run run;
    if (assistance_pay_summary(req->store, http_query(req, "scheme"), http_query(req, "period"),
                               &run, &req->err) < 0)
        return req->err.code;
    return http_reply_json(req, 200, run_json(&run));
}

/* --- bank files ------------------------------------------------------------------------ */

static json_t *bank_file_json(const struct assistance_bank_file *b)
{
    return json_pack("{s:I,s:s,s:s,s:I,s:I,s:s,s:s}", "export_no", (json_int_t)b->export_no,
                     "scheme", b->scheme, "period", b->period, "lines", (json_int_t)b->lines,
                     "total_fen", (json_int_t)b->total_fen, "created_at", b->created_at,
                     "created_by", b->created_by);
}

/* Claims the pending lines as a new bank file; the file itself is fetched
 * with GET .../bank-files/{id}, so a lost download can be fetched again. */
static int post_bank_files(struct http_request *req)
{
    const char *scheme, *period;
    struct assistance_bank_file b;
    struct ms_actor actor;
    if (scheme_period_body(req, &scheme, &period) < 0)
        return req->err.code;
    http_actor(req, &actor);
    if (assistance_bank_export(req->store, scheme, period, NULL, &actor, &b, &req->err) < 0)
        return req->err.code;
    return http_reply_json(req, b.export_no ? 201 : 200, bank_file_json(&b));
}

static int get_bank_files(struct http_request *req)
{
    struct assistance_bank_file list[50];
    size_t n;
    if (assistance_bank_files(req->store, http_query(req, "scheme"), http_query(req, "period"),
                              list, 50, &n, &req->err) < 0)
        return req->err.code;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, bank_file_json(&list[i]));
    return http_reply_json(req, 200, json_pack("{s:o}", "items", items));
}

/* The file with the full account numbers, saved as a file (API replies are
 * never cached: server.c). */
static int get_bank_file(struct http_request *req)
{
    char *text = NULL;
    size_t len = 0;
    int64_t id;
    struct assistance_bank_file b;
    struct ms_actor actor;
    if (!http_param_id(req, "id", &id)) {
        int ret = ms_err_set(&req->err, MS_ENOTFOUND, "bank file not found");
        ms_err_zh(&req->err, "未找到该银行文件");
        return ret;
    }
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return ms_err_set(&req->err, MS_EINTERNAL, "open_memstream failed");
    http_actor(req, &actor);
    int rc = assistance_bank_file_write(req->store, id, f, &actor, &b, &req->err);
    fclose(f);
    if (rc == 0) {
        http_reply_text(req, 200, "text/csv; charset=utf-8", text, len);
        http_add_header(req, "Content-Disposition",
                        ms_arena_printf(req->arena,
                                        "attachment; filename=\"bank-%s-%s-%lld.csv\"",
                                        b.scheme, b.period, (long long)b.export_no));
    }
    free(text);
    return rc < 0 ? rc : 0;
}

/* The bank's return file is the body (CSV reference,result,reason). */
static int post_bank_returns(struct http_request *req)
{
    struct assistance_return_summary sum;
    struct ms_actor actor;
    FILE *in;
    if (!req->body_len)
        return assistance__bad(&req->err, MS_EMISSING, "body", "请求体应为银行回盘文件内容",
                               "the request body must be the bank's return file");
    if (!(in = fmemopen((void *)(uintptr_t)req->body, req->body_len, "rb")))
        return ms_err_set(&req->err, MS_EINTERNAL, "fmemopen failed");
    http_actor(req, &actor);
    int rc = assistance_bank_return(req->store, in, &actor, &sum, &req->err);
    fclose(in);
    if (rc < 0)
        return rc;
    return http_reply_json(req, 200,
                           json_pack("{s:I,s:I,s:I,s:I,s:I}", "rows", (json_int_t)sum.rows,
                                     "paid", (json_int_t)sum.paid, "failed",
                                     (json_int_t)sum.failed, "reissued",
                                     (json_int_t)sum.reissued, "unchanged",
                                     (json_int_t)sum.unchanged));
}

static int post_recovery_detection(struct http_request *req)
{
    struct ms_actor actor;
    int64_t found = 0, fen = 0;
    http_actor(req, &actor);
    if (assistance_detect_recoveries(req->store, &actor, &found, &fen, &req->err) < 0)
        return req->err.code;
    return http_reply_json(req, 200, json_pack("{s:I,s:I}", "found", (json_int_t)found,
                                               "amount_fen", (json_int_t)fen));
}

static json_t *recovery_json(const struct assistance_recovery *x)
{
    json_t *o = json_pack("{s:I,s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:s,s:s,s:s}", "id",
                          (json_int_t)x->id, "line_id", (json_int_t)x->line_id, "household_id",
                          (json_int_t)x->household_id, "household_number", x->household_number,
                          "region_code", x->region_code, "payee", x->payee_code, "scheme",
                          x->scheme, "period", x->period, "amount_fen", (json_int_t)x->amount_fen,
                          "reason", x->reason, "status", x->status, "detected_at",
                          x->detected_at, "detected_by", x->detected_by);
    json_object_set_new(o, "death_date", date_or_null(x->death_date));
    json_object_set_new(o, "change_id", x->change_id ? json_integer(x->change_id) : json_null());
    json_object_set_new(o, "resolved_on", date_or_null(x->resolved_on));
    json_object_set_new(o, "resolved_by",
                        *x->resolved_by ? json_string(x->resolved_by) : json_null());
    json_object_set_new(o, "note_zh", json_string(x->note_zh));
    return o;
}

static int get_recoveries(struct http_request *req)
{
    int64_t page = 1, page_size = 50, total = 0, total_fen = 0;
    struct assistance_recovery *items;
    size_t n;
    if (http_query_int(req, "page", 1, 100000, &page) < 0 ||
        http_query_int(req, "page_size", 1, 200, &page_size) < 0)
        return req->err.code;
    struct assistance_recovery_filter f = {.status = http_query(req, "status"),
                                           .scheme = http_query(req, "scheme"),
                                           .region = http_query(req, "region"),
                                           .limit = (size_t)page_size,
                                           .offset = (size_t)((page - 1) * page_size)};
    if (assistance_recoveries_list(req->store, scope_of(req), &f, req->arena, &items, &n, &total,
                                   &total_fen, &req->err) < 0)
        return req->err.code;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, recovery_json(&items[i]));
    return http_reply_json(req, 200,
                           json_pack("{s:o,s:I,s:I,s:I,s:I}", "items", arr, "total",
                                     (json_int_t)total, "total_fen", (json_int_t)total_fen, "page",
                                     (json_int_t)page, "page_size", (json_int_t)page_size));
}

static int post_recovery_resolution(struct http_request *req)
{
    static const char *const fields[] = {"status", "on", "note_zh", NULL};
    json_t *body;
    int64_t id = 0;
    const char *status = NULL, *on = NULL, *note = NULL;
    struct ms_actor actor;
    if (!http_param_id(req, "id", &id)) {
        int ret = ms_err_set(&req->err, MS_ENOTFOUND, "recovery not found");
        ms_err_zh(&req->err, "未找到追回记录");
        return ret;
    }
    if (http_body_object(req, fields, &body) < 0 ||
        ms_json_get_str(body, "status", 1, 16, &status, &req->err) < 0 ||
        ms_json_get_str(body, "on", 0, 10, &on, &req->err) < 0 ||
        ms_json_get_str(body, "note_zh", 0, 500, &note, &req->err) < 0)
        return req->err.code;
    http_actor(req, &actor);
    if (assistance_recovery_resolve(req->store, scope_of(req), id, status, on, note, &actor,
                                    &req->err) < 0)
        return req->err.code;
    return http_reply_json(req, 200, json_pack("{s:I,s:s}", "id", (json_int_t)id, "status",
                                               status));
}

/* --- change and review ------------------------------------------------------------------ */

static int enrolment_id_param(struct http_request *req, int64_t *id)
{
    if (!http_param_id(req, "id", id)) {
        int ret = ms_err_set(&req->err, MS_ENOTFOUND, "enrolment not found");
        ms_err_zh(&req->err, "未找到保障记录");
        return ret;
    }
    return 0;
}

/* "payee": {"resident","bank_account","bank_name"}, in the request's arena. */
static int parse_payee(struct http_request *req, json_t *o, struct assistance_change_in *ch)
{
    static const char *const fields[] = {"resident", "bank_account", "bank_name", NULL};
    json_t *p = json_object_get(o, "payee");
    struct assistance_payee_new *out;
    if (!p || json_is_null(p))
        return 0;
    if (!json_is_object(p))
        return assistance__bad(&req->err, MS_EFIELD, "payee", "payee 应为对象",
                               "payee must be an object");
    out = ms_arena_calloc(req->arena, 1, sizeof(*out));
    if (ms_json_object_check(p, fields, &req->err) < 0 ||
        ms_json_get_str(p, "resident", 0, 32, &out->resident_code, &req->err) < 0 ||
        ms_json_get_str(p, "bank_account", 0, 30, &out->bank_account, &req->err) < 0 ||
        ms_json_get_str(p, "bank_name", 0, 60, &out->bank_name, &req->err) < 0) {
        char f[MS_ERR_FIELD_MAX * 2];
        snprintf(f, sizeof(f), "payee.%s", req->err.field);
        f[MS_ERR_FIELD_MAX - 1] = '\0';
        memcpy(req->err.field, f, MS_ERR_FIELD_MAX);
        return req->err.code;
    }
    ch->payee = out;
    return 0;
}

/* The change fields of a body (a change, or a review's "change"); field
 * errors of the nested object are prefixed with prefix. */
static int parse_change(struct http_request *req, json_t *o, const char *prefix,
                        struct assistance_change_in *ch)
{
    json_t *incomes, *member = json_object_get(o, "member");
    struct assistance_case_new tmp = {0};
    if (ms_json_get_str(o, "kind", 1, 32, &ch->kind, &req->err) < 0 ||
        ms_json_get_str(o, "reason_zh", 0, 500, &ch->reason_zh, &req->err) < 0 ||
        ms_json_get_str(o, "resident", 0, 32, &ch->resident_code, &req->err) < 0 ||
        get_bool(req, o, "employment", &ch->is_employment) < 0 ||
        array_of(req, o, "incomes", &incomes) < 0 || parse_incomes(req, incomes, &tmp, NULL) < 0)
        goto fail;
    ch->incomes = incomes ? tmp.incomes : NULL; /* absent is not "no income" */
    ch->n_incomes = tmp.n_incomes;
    if (member && !json_is_null(member)) {
        json_t *one = json_array();
        json_array_append(one, member);
        int rc = json_is_object(member) ? parse_members(req, one, &tmp, NULL) : -1;
        json_decref(one);
        if (rc < 0) {
            if (!req->err.code)
                ms_err_field(&req->err, MS_EFIELD, "member", "member must be an object");
            char f[MS_ERR_FIELD_MAX];
            const char *rest = strncmp(req->err.field, "members[0]", 10) ? "" : req->err.field + 10;
            snprintf(f, sizeof(f), "member%s", rest);
            memcpy(req->err.field, f, MS_ERR_FIELD_MAX);
            goto fail;
        }
        ch->member = tmp.members;
    }
    return parse_payee(req, o, ch);
fail:
    if (prefix) {
        char f[MS_ERR_FIELD_MAX * 2];
        snprintf(f, sizeof(f), "%s.%s", prefix, req->err.field);
        f[MS_ERR_FIELD_MAX - 1] = '\0';
        memcpy(req->err.field, f, MS_ERR_FIELD_MAX);
    }
    return req->err.code;
}

static json_t *change_json(const struct assistance_change_out *o)
{
    json_t *j = json_pack("{s:I,s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "change_id",
                          (json_int_t)o->change_id, "outcome", o->outcome, "effective_period",
                          o->effective_period, "transition_end_period", o->transition_end_period,
                          "old_amount_fen", (json_int_t)o->old_amount_fen, "new_amount_fen",
                          (json_int_t)o->new_amount_fen, "lines_cancelled",
                          (json_int_t)o->lines_cancelled, "lines_replaced",
                          (json_int_t)o->lines_replaced, "recoveries", (json_int_t)o->recoveries,
                          "recovered_fen", (json_int_t)o->recovered_fen, "arrears",
                          (json_int_t)o->arrears, "arrears_fen", (json_int_t)o->arrears_fen);
    json_object_set_new(j, "enrolment_id",
                        o->enrolment_id ? json_integer(o->enrolment_id) : json_null());
    json_object_set_new(j, "computation", o->has_calc ? calc_json(&o->calc) : json_null());
    return j;
}

static int post_change(struct http_request *req)
{
    static const char *const fields[] = {"kind",    "changed_on", "reason_zh",  "resident",
                                         "member",  "incomes",    "employment", "payee",
                                         NULL};
    json_t *body;
    int64_t id = 0;
    struct assistance_change_in in = {0};
    struct assistance_change_out out;
    struct ms_actor actor;
    if (enrolment_id_param(req, &id) < 0 || http_body_object(req, fields, &body) < 0 ||
        ms_json_get_str(body, "changed_on", 0, 10, &in.changed_on, &req->err) < 0 ||
        parse_change(req, body, NULL, &in) < 0)
        return req->err.code;
    http_actor(req, &actor);
    if (assistance_enrolment_change(req->store, scope_of(req), id, &in, &actor, &out, &req->err) <
        0)
        return req->err.code;
    return http_reply_json(req, 201, change_json(&out));
}

static int post_review(struct http_request *req)
{
    static const char *const fields[] = {"reviewed_on", "outcome", "reason_zh", "change", NULL};
    static const char *const change_fields[] = {"kind",    "reason_zh",  "resident", "member",
                                                "incomes", "employment", "payee",    NULL};
    json_t *body, *change;
    int64_t id = 0;
    struct assistance_review_in in = {0};
    struct assistance_change_in ch = {0};
    struct assistance_review_out out;
    struct ms_actor actor;
    if (enrolment_id_param(req, &id) < 0 || http_body_object(req, fields, &body) < 0 ||
        ms_json_get_str(body, "reviewed_on", 0, 10, &in.reviewed_on, &req->err) < 0 ||
        ms_json_get_str(body, "outcome", 1, 16, &in.outcome, &req->err) < 0 ||
        ms_json_get_str(body, "reason_zh", 0, 500, &in.reason_zh, &req->err) < 0)
        return req->err.code;
    change = json_object_get(body, "change");
    if (change && !json_is_null(change)) {
        if (!json_is_object(change))
            return assistance__bad(&req->err, MS_EFIELD, "change", "change 应为对象",
                                   "change must be an object");
        if (ms_json_object_check(change, change_fields, &req->err) < 0 ||
            parse_change(req, change, "change", &ch) < 0)
            return req->err.code;
        in.change = &ch;
    }
    http_actor(req, &actor);
    if (assistance_review_record(req->store, scope_of(req), id, &in, &actor, &out, &req->err) < 0)
        return req->err.code;
    json_t *o = json_pack("{s:I,s:s}", "review_id", (json_int_t)out.review_id, "outcome",
                          in.outcome);
    json_object_set_new(o, "next_due_on",
                        out.next_due_on[0] ? json_string(out.next_due_on) : json_null());
    json_object_set_new(o, "next_months", json_integer(out.next_months));
    json_object_set_new(o, "basis", out.basis ? json_string(out.basis) : json_null());
    json_object_set_new(o, "change", in.change ? change_json(&out.change) : json_null());
    return http_reply_json(req, 201, o);
}

static int post_work_refusal(struct http_request *req)
{
    static const char *const fields[] = {"resident", "offered_on", "accepted", "good_reason",
                                         "note_zh",  NULL};
    json_t *body;
    int64_t id = 0, change_id = 0;
    int streak = 0;
    struct assistance_work_offer_in in = {0};
    struct ms_actor actor;
    if (enrolment_id_param(req, &id) < 0 || http_body_object(req, fields, &body) < 0 ||
        ms_json_get_str(body, "resident", 1, 32, &in.resident_code, &req->err) < 0 ||
        ms_json_get_str(body, "offered_on", 0, 10, &in.offered_on, &req->err) < 0 ||
        get_bool(req, body, "accepted", &in.is_accepted) < 0 ||
        get_bool(req, body, "good_reason", &in.has_good_reason) < 0 ||
        ms_json_get_str(body, "note_zh", 0, 200, &in.note_zh, &req->err) < 0)
        return req->err.code;
    http_actor(req, &actor);
    if (assistance_work_offer_record(req->store, scope_of(req), id, &in, &actor, &streak,
                                     &change_id, &req->err) < 0)
        return req->err.code;
    json_t *o = json_pack("{s:i,s:b}", "streak", streak, "cut", change_id != 0);
    json_object_set_new(o, "change_id", change_id ? json_integer(change_id) : json_null());
    return http_reply_json(req, 201, o);
}

static int get_reviews(struct http_request *req)
{
    int64_t limit = 200;
    struct assistance_review_due *items;
    size_t n;
    if (http_query_int(req, "limit", 1, 1000, &limit) < 0 ||
        assistance_reviews_due(req->store, scope_of(req), http_query(req, "region"),
                               http_query(req, "due_before"), (size_t)limit, req->arena, &items,
                               &n, &req->err) < 0)
        return req->err.code;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct assistance_review_due *x = &items[i];
        json_t *o = json_pack("{s:s,s:I,s:I,s:s,s:s,s:s,s:s,s:I}", "reason", x->reason,
                              "enrolment_id", (json_int_t)x->enrolment_id, "household_id",
                              (json_int_t)x->household_id, "household_number",
                              x->household_number, "region_code", x->region_code, "scheme",
                              x->scheme, "due_on", x->due_on, "amount_fen",
                              (json_int_t)x->amount_fen);
        if (x->review_id) {
            json_object_set_new(o, "review_id", json_integer(x->review_id));
            json_object_set_new(o, "basis", json_string(x->basis));
        } else {
            json_object_set_new(o, "resident", json_string(x->resident_code));
            json_object_set_new(o, "death_date", json_string(x->death_date));
        }
        json_array_append_new(arr, o);
    }
    return http_reply_json(req, 200, json_pack("{s:o,s:I}", "items", arr, "count", (json_int_t)n));
}

/* --- the public list and the indicators (assistance_public.c) --- */

/* A CSV field, quoted the RFC 4180 way when it needs to be. */
static void csv_field(struct ms_str *out, const char *v)
{
    if (!strpbrk(v, ",\"\r\n")) {
        ms_str_adds(out, v);
        return;
    }
    ms_str_addch(out, '"');
    for (; *v; v++) {
        if (*v == '"')
            ms_str_addch(out, '"');
        ms_str_addch(out, *v);
    }
    ms_str_addch(out, '"');
}

/* The printable list: UTF-8 with a BOM (Excel), a Chinese header, CRLF. */
static int public_list_csv(struct http_request *req, const struct assistance_public_list *l)
{
    struct ms_str out;
    ms_str_init(&out, 0);
    ms_str_adds(&out, "\xEF\xBB\xBF姓名,家庭人数,月保障金额（元）,救助类别\r\n");
    for (size_t i = 0; i < l->n; i++) {
        const struct assistance_public_row *x = &l->rows[i];
        csv_field(&out, x->name);
        ms_str_addf(&out, ",%lld,%lld.%02lld,", (long long)x->household_size,
                    (long long)(x->amount_fen / 100), (long long)(x->amount_fen % 100));
        csv_field(&out, x->scheme_zh);
        ms_str_adds(&out, "\r\n");
    }
    http_reply_text(req, 200, "text/csv; charset=utf-8", out.buf, out.len);
    ms_str_release(&out);
    http_add_header(req, "Content-Disposition",
                    ms_arena_printf(req->arena,
                                    "attachment; filename=\"public-list-%s-%s.csv\"",
                                    l->region[0] ? l->region : "500110", l->period));
    return 0;
}

static int get_public_list(struct http_request *req)
{
    struct assistance_public_list l;
    struct audit_entry read;
    const char *format = http_query(req, "format");
    const char *scheme = http_query(req, "scheme");
    if (format && strcmp(format, "json") != 0 && strcmp(format, "csv") != 0)
        return assistance__bad(&req->err, MS_EFIELD, "format", "格式应为 json 或 csv",
                               "format must be json or csv");
    if (assistance_public_list(req->store, scope_of(req), scheme, http_query(req, "region"),
                               req->arena, &l, &read, &req->err) < 0)
        return req->err.code;
    if (format && !strcmp(format, "csv")) {
        read.detail = ms_arena_printf(req->arena, "%s format=csv", read.detail);
        public_list_csv(req, &l);
        return audit_http_reply_when_recorded(req, &read);
    }
    json_t *items = json_array();
    int64_t total = 0;
    for (size_t i = 0; i < l.n; i++) {
        const struct assistance_public_row *x = &l.rows[i];
        total += x->amount_fen;
        json_array_append_new(items, json_pack("{s:s,s:I,s:I,s:s,s:s}", "name", x->name,
                                               "household_size", (json_int_t)x->household_size,
                                               "amount_fen", (json_int_t)x->amount_fen, "scheme",
                                               x->scheme, "scheme_zh", x->scheme_zh));
    }
    http_reply_json(req, 200,
                    json_pack("{s:s,s:s,s:o,s:I,s:I,s:o}", "period", l.period, "region", l.region,
                              "scheme", scheme && *scheme ? json_string(scheme) : json_null(),
                              "count", (json_int_t)l.n, "total_fen", (json_int_t)total, "items",
                              items));
    return audit_http_reply_when_recorded(req, &read);
}

static json_t *int_array(const int64_t *v, int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_integer((json_int_t)v[i]));
    return a;
}

/* Adds series x into the per-scheme total t (created on first use). */
static void add_to_total(json_t *totals, const struct assistance_indicator_series *x, int months)
{
    static const char *const keys[] = {"households", "persons", "issued_fen", "paid_fen"};
    const int64_t *vals[] = {x->households, x->persons, x->issued_fen, x->paid_fen};
    json_t *t = json_object_get(totals, x->scheme);
    if (!t) {
        t = json_object();
        for (size_t k = 0; k < 4; k++)
            json_object_set_new(t, keys[k], int_array(vals[k], months));
        json_object_set_new(totals, x->scheme, t);
        return;
    }
    for (size_t k = 0; k < 4; k++) {
        json_t *a = json_object_get(t, keys[k]);
        for (int i = 0; i < months; i++)
            json_array_set_new(a, (size_t)i,
                               json_integer(json_integer_value(json_array_get(a, (size_t)i)) +
                                            (json_int_t)vals[k][i]));
    }
}

static int get_indicators(struct http_request *req)
{
    struct assistance_indicators ind;
    const char *scheme = http_query(req, "scheme");
    if (assistance_indicators(req->store, scope_of(req), http_query(req, "from"),
                              http_query(req, "to"), scheme, http_query(req, "region"),
                              req->arena, &ind, &req->err) < 0)
        return req->err.code;
    json_t *months = json_array(), *series = json_array(), *totals = json_object();
    for (int i = 0; i < ind.months; i++)
        json_array_append_new(months, json_string(ind.periods[i]));
    for (size_t i = 0; i < ind.n; i++) {
        const struct assistance_indicator_series *x = &ind.series[i];
        json_array_append_new(
            series, json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o}", "scheme", x->scheme, "town_code",
                              x->town_code, "town", x->town_name, "households",
                              int_array(x->households, ind.months), "persons",
                              int_array(x->persons, ind.months), "issued_fen",
                              int_array(x->issued_fen, ind.months), "paid_fen",
                              int_array(x->paid_fen, ind.months)));
        add_to_total(totals, x, ind.months);
    }
    return http_reply_json(
        req, 200,
        json_pack("{s:s,s:s,s:o,s:s,s:o,s:o,s:o}", "from", ind.from, "to", ind.to, "scheme",
                  scheme && *scheme ? json_string(scheme) : json_null(), "region", ind.region,
                  "months", months, "totals", totals, "series", series));
}

#define CODE_S "{\"type\":\"string\",\"maxLength\":32}"
#define FEN_S  "{\"type\":\"integer\"}"
#define CASE_SCHEMA                                                                                  \
    "{\"type\":\"object\",\"additionalProperties\":false,"                                           \
    "\"required\":[\"household_id\",\"applicant\",\"members\"],\"properties\":{"                     \
    "\"scheme\":{\"enum\":[\"dibao\",\"tekun\",\"linshi\"]},"                                        \
    "\"schemes\":{\"type\":\"array\",\"minItems\":1,\"maxItems\":3,"                                  \
    "\"items\":{\"enum\":[\"dibao\",\"tekun\",\"linshi\"]}},"                                         \
    "\"near_relative\":{\"type\":\"boolean\"},"                                                     \
    "\"near_relative_note\":{\"type\":\"string\",\"maxLength\":200},"                               \
    "\"household_id\":{\"type\":\"integer\",\"minimum\":1},\"applicant\":" CODE_S ","                \
    "\"applied_on\":{\"type\":\"string\",\"format\":\"date\"},"                                      \
    "\"single_person\":{\"type\":\"boolean\"},"                                                      \
    "\"bank_account\":{\"type\":\"string\",\"pattern\":\"^[0-9]{8,30}$\"},"                          \
    "\"bank_name\":{\"type\":\"string\",\"maxLength\":60},"                                          \
    "\"members\":{\"type\":\"array\",\"maxItems\":30,\"items\":{\"type\":\"object\","                \
    "\"required\":[\"resident\",\"relation\"],\"properties\":{\"resident\":" CODE_S ","              \
    "\"relation\":{\"enum\":[\"self\",\"spouse\",\"child\",\"parent\",\"sibling\","                  \
    "\"grandchild\",\"grandparent\",\"other\"]},\"counted\":{\"type\":\"boolean\"},"                 \
    "\"exclusion_reason\":{\"type\":\"string\",\"maxLength\":200},"                                  \
    "\"disability_grade\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":4},"                       \
    "\"major_illness\":{\"type\":\"boolean\"},\"student\":{\"type\":\"boolean\"},"                   \
    "\"disability_type\":{\"enum\":[\"\",\"intellectual\",\"mental\",\"physical\",\"visual\","       \
    "\"hearing\",\"speech\",\"multiple\"]},\"adl_not_met\":{\"type\":\"array\",\"maxItems\":6,"      \
    "\"uniqueItems\":true,\"items\":{\"enum\":[\"feeding\",\"dressing\",\"bed_transfer\","           \
    "\"toilet\",\"indoor_walking\",\"bathing\"]}}}}},"                                               \
    "\"incomes\":{\"type\":\"array\",\"maxItems\":200,\"items\":{\"type\":\"object\","               \
    "\"required\":[\"resident\",\"kind\",\"amount_fen\"],\"properties\":{\"resident\":" CODE_S ","   \
    "\"kind\":{\"type\":\"string\"},\"amount_fen\":" FEN_S ","                                       \
    "\"months\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":12}}}},"                             \
    "\"assets\":{\"type\":\"array\",\"maxItems\":200},"                                              \
    "\"expenses\":{\"type\":\"array\",\"maxItems\":200,\"items\":{\"type\":\"object\","              \
    "\"required\":[\"kind\",\"amount_fen\"],\"properties\":{\"resident\":" CODE_S ","                \
    "\"kind\":{\"enum\":[\"medical\",\"education\",\"rehabilitation\",\"other\"]},"                  \
    "\"amount_fen\":{\"type\":\"integer\",\"minimum\":0},"                                           \
    "\"receipt_ref\":{\"type\":\"string\",\"maxLength\":64}}}},"                                     \
    "\"supporters\":{\"type\":\"array\",\"maxItems\":20,\"items\":{\"type\":\"object\","             \
    "\"required\":[\"relation\",\"age\"],\"properties\":{\"relation\":{\"enum\":[\"spouse\","        \
    "\"child\",\"parent\",\"sibling\",\"grandchild\",\"grandparent\",\"other\"]},"                   \
    "\"age\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":150},\"tekun\":{\"type\":\"boolean\"}," \
    "\"dibao\":{\"type\":\"boolean\"},\"severely_disabled\":{\"type\":\"boolean\"},"                 \
    "\"annual_income_fen\":{\"type\":\"integer\",\"minimum\":0},"                                    \
    "\"low_assets\":{\"type\":\"boolean\"},\"incapacitated\":{\"type\":\"boolean\"},"                \
    "\"missing\":{\"type\":\"boolean\"},\"in_prison\":{\"type\":\"boolean\"}}}},"                    \
    "\"linshi\":{\"type\":\"object\",\"additionalProperties\":false,"                                \
    "\"required\":[\"kind\",\"cause\",\"severity\"],\"properties\":{"                                \
    "\"kind\":{\"enum\":[\"emergency\",\"expenditure\"]},\"cause\":{\"enum\":[\"fire\","             \
    "\"traffic_accident\",\"other_accident\",\"major_illness\",\"medical\",\"education\","           \
    "\"other\"]},\"severity\":{\"enum\":[\"general\",\"serious\",\"critical\"]},"                    \
    "\"months\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":12},"                                \
    "\"pay_first\":{\"type\":\"boolean\"}}}}}"
#define PLACE_S "{\"type\":\"integer\",\"minimum\":0,\"maximum\":30}"
#define ONLINE_SCHEMA                                                                            \
    "{\"type\":\"object\",\"additionalProperties\":false,"                                       \
    "\"required\":[\"members\",\"statement_zh\",\"contact_phone\"],\"properties\":{"              \
    "\"scheme\":{\"enum\":[\"dibao\",\"tekun\",\"linshi\"]},"                                    \
    "\"schemes\":{\"type\":\"array\",\"minItems\":1,\"maxItems\":3,"                              \
    "\"items\":{\"enum\":[\"dibao\",\"tekun\",\"linshi\"]}},"                                     \
    "\"single_person\":{\"type\":\"boolean\"},"                                                  \
    "\"bank_account\":{\"type\":\"string\",\"pattern\":\"^[0-9]{8,30}$\"},"                      \
    "\"bank_name\":{\"type\":\"string\",\"maxLength\":60},"                                      \
    "\"statement_zh\":{\"type\":\"string\",\"maxLength\":500},"                                  \
    "\"contact_phone\":{\"type\":\"string\",\"pattern\":\"^1[0-9]{10}$\"},"                      \
    "\"household_size\":{\"type\":\"integer\",\"minimum\":1,"                                     \
    "\"description\":\"members of the household as GET /api/v1/portal/me listed them\"},"       \
    "\"members\":{\"type\":\"array\",\"maxItems\":30,\"items\":{\"type\":\"object\","            \
    "\"required\":[\"member\",\"relation\"],\"properties\":{\"member\":" PLACE_S ","            \
    "\"relation\":{\"enum\":[\"self\",\"spouse\",\"child\",\"parent\",\"sibling\","              \
    "\"grandchild\",\"grandparent\",\"other\"]},\"counted\":{\"type\":\"boolean\"},"             \
    "\"exclusion_reason\":{\"type\":\"string\",\"maxLength\":200},"                              \
    "\"disability_grade\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":4},"                   \
    "\"major_illness\":{\"type\":\"boolean\"},\"student\":{\"type\":\"boolean\"}}}},"            \
    "\"incomes\":{\"type\":\"array\",\"maxItems\":200,\"items\":{\"type\":\"object\","           \
    "\"required\":[\"member\",\"kind\",\"amount_fen\"],\"properties\":{\"member\":" PLACE_S ","  \
    "\"kind\":{\"type\":\"string\"},\"amount_fen\":" FEN_S ","                                   \
    "\"months\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":12}}}},"                         \
    "\"expenses\":{\"type\":\"array\",\"maxItems\":200},"                                        \
    "\"linshi\":{\"type\":\"object\"}}}"
#define COMPUTE_SCHEMA                                     \
    "{\"type\":\"object\",\"additionalProperties\":false," \
    "\"properties\":{\"as_of\":{\"type\":\"string\",\"format\":\"date\"}}}"
#define DECISION_SCHEMA                                                                \
    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"decision\"]," \
    "\"properties\":{\"decision\":{\"enum\":[\"approve\",\"refuse\"]},"                \
    "\"reason_zh\":{\"type\":\"string\",\"maxLength\":500},"                           \
    "\"decided_on\":{\"type\":\"string\",\"format\":\"date\"}}}"
#define DATE_S "{\"type\":\"string\",\"format\":\"date\"}"
#define TEXT_S "{\"type\":\"string\",\"maxLength\":500}"
#define STEP_SCHEMA(extra)                                                    \
    "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{" \
    "\"on\":" DATE_S extra "}}"
#define STEP_TEXT_SCHEMA(key) \
    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"" key "\"]," \
    "\"properties\":{\"on\":" DATE_S ",\"" key "\":" TEXT_S "}}"
#define INVESTIGATORS_S                                                                 \
    ",\"investigators\":{\"type\":\"array\",\"minItems\":2,\"maxItems\":10,"           \
    "\"items\":{\"type\":\"string\"},\"description\":\"staff usernames, at least two\"}," \
    "\"note_zh\":" TEXT_S
#define VISIT_SCHEMA STEP_SCHEMA(INVESTIGATORS_S ",\"family_signed\":{\"type\":\"boolean\"}")
#define EMPTY_SCHEMA "{\"type\":\"object\",\"additionalProperties\":false}"
#define DOCUMENTS_SCHEMA                                   \
    "{\"type\":\"object\",\"additionalProperties\":false," \
    "\"properties\":{\"completed_on\":{\"type\":\"string\",\"format\":\"date\"}}}"
#define RUN_SCHEMA                                                                              \
    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"scheme\",\"period\"]," \
    "\"properties\":{\"scheme\":{\"enum\":[\"dibao\",\"tekun\",\"linshi\"]},"                   \
    "\"period\":{\"type\":\"string\",\"pattern\":\"^[0-9]{4}-[0-9]{2}$\"}}}"

#define MEMBER_S                                                                        \
    "{\"type\":\"object\",\"required\":[\"resident\",\"relation\"],\"properties\":{"    \
    "\"resident\":" CODE_S ",\"relation\":{\"type\":\"string\"},"                       \
    "\"counted\":{\"type\":\"boolean\"},\"exclusion_reason\":{\"type\":\"string\"},"    \
    "\"disability_grade\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":4},"          \
    "\"major_illness\":{\"type\":\"boolean\"},\"student\":{\"type\":\"boolean\"}}}"
#define CHANGE_PROPS                                                                        \
    "\"kind\":{\"enum\":[\"income\",\"member_leaves\",\"member_joins\",\"death\",\"exit\"," \
    "\"stop\",\"account\"]},\"reason_zh\":{\"type\":\"string\",\"maxLength\":500},"                     \
    "\"resident\":" CODE_S ",\"member\":" MEMBER_S ","                                      \
    "\"incomes\":{\"type\":\"array\",\"maxItems\":200},\"employment\":{\"type\":\"boolean\"}," \
    "\"payee\":{\"type\":\"object\",\"additionalProperties\":false,"                  \
    "\"required\":[\"resident\",\"bank_account\",\"bank_name\"],\"properties\":{"      \
    "\"resident\":" CODE_S ",\"bank_account\":{\"type\":\"string\",\"pattern\":"       \
    "\"^[0-9]{8,30}$\"},\"bank_name\":{\"type\":\"string\",\"maxLength\":60}}}"
#define CHANGE_SCHEMA                                                                   \
    "{\"type\":\"object\",\"additionalProperties\":false,"                              \
    "\"required\":[\"kind\",\"reason_zh\"],\"properties\":{" CHANGE_PROPS ","           \
    "\"changed_on\":{\"type\":\"string\",\"format\":\"date\"}}}"
#define REVIEW_SCHEMA                                                                   \
    "{\"type\":\"object\",\"additionalProperties\":false,"                              \
    "\"required\":[\"outcome\",\"reason_zh\"],\"properties\":{"                         \
    "\"reviewed_on\":{\"type\":\"string\",\"format\":\"date\"},"                        \
    "\"outcome\":{\"enum\":[\"unchanged\",\"changed\"]},"                               \
    "\"reason_zh\":{\"type\":\"string\",\"maxLength\":500},"                            \
    "\"change\":{\"type\":\"object\",\"additionalProperties\":false,"                   \
    "\"required\":[\"kind\"],\"properties\":{" CHANGE_PROPS "}}}}"
#define RESOLUTION_SCHEMA                                                                 \
    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"status\"],"     \
    "\"properties\":{\"status\":{\"enum\":[\"recovered\",\"waived\"]},"                 \
    "\"on\":{\"type\":\"string\",\"format\":\"date\"},"                               \
    "\"note_zh\":{\"type\":\"string\",\"maxLength\":500}}}"
#define WORK_OFFER_SCHEMA                                                               \
    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"resident\"],"  \
    "\"properties\":{\"resident\":" CODE_S ","                                          \
    "\"offered_on\":{\"type\":\"string\",\"format\":\"date\"},"                         \
    "\"accepted\":{\"type\":\"boolean\"},\"good_reason\":{\"type\":\"boolean\"},"       \
    "\"note_zh\":{\"type\":\"string\",\"maxLength\":200}}}"

/* clang-format off */
const struct http_route assistance_http_routes[] = {
    { .method = "POST", .path = "/api/v1/assistance/cases", .fn = post_cases,
      .permission = "assistance:case:write", .flags = ROUTE_WRITE, .body_schema = CASE_SCHEMA,
      .summary = "Take an application (dibao, tekun, linshi): household, members (who counts, "
                 "rules §1.1; tekun: disability type, ADL items not met), declared incomes, "
                 "assets, expenses with receipts, bank account (sealed); tekun: supporters; "
                 "linshi: kind, cause, severity, months, pay_first",
      .summary_zh = "受理社会救助申请" },
    { .method = "GET", .path = "/api/v1/assistance/cases", .fn = get_cases,
      .permission = "assistance:case:read",
      .summary = "Cases in your data scope, newest first, with the current step's due date: "
                 "status, overdue=1, page, page_size (audited)",
      .summary_zh = "救助申请列表" },
    { .method = "GET", .path = "/api/v1/assistance/cases/{id}", .fn = get_case,
      .permission = "assistance:case:read",
      .summary = "One case with its computation, determinations per scheme, decision, "
                 "enrolment, means check, procedure timeline (steps), due date and the moves "
                 "the caller may make (allowed_actions) (audited)",
      .summary_zh = "救助申请详情及家庭经济状况核对" },
    { .method = "POST", .path = "/api/v1/assistance/cases/{id}/compute", .fn = post_compute,
      .permission = "assistance:case:write", .flags = ROUTE_WRITE, .body_schema = COMPUTE_SCHEMA,
      .summary = "Compute eligibility and the monthly amount on the standard in force on as_of",
      .summary_zh = "核算保障金额" },
    { .method = "POST", .path = "/api/v1/assistance/cases/{id}/decision", .fn = post_decision,
      .permission = "assistance:case:decide", .flags = ROUTE_WRITE,
      .body_schema = DECISION_SCHEMA,
      .summary = "Approve or refuse (reasons in Chinese) on the standard in force on decided_on",
      .summary_zh = "审批（批准或不予批准）" },
    { .method = "POST", .path = "/api/v1/assistance/cases/{id}/enrol", .fn = post_enrol,
      .permission = "assistance:case:decide", .flags = ROUTE_WRITE, .body_schema = EMPTY_SCHEMA,
      .summary = "Enrol an approved case from the start month the policy sets",
      .summary_zh = "纳入保障并确定起始发放月份" },
    { .method = "POST", .path = "/api/v1/assistance/cases/{id}/documents-complete",
      .fn = post_documents_complete, .permission = "assistance:case:write", .flags = ROUTE_WRITE,
      .body_schema = DOCUMENTS_SCHEMA,
      .summary = "Record that the documents of temporary assistance paid first (pay_first) "
                 "are complete",
      .summary_zh = "小金额先行救助补齐材料" },
    { .method = "POST", .path = "/api/v1/assistance/cases/{id}/investigation", .fn = post_investigation,
      .permission = "assistance:case:write", .flags = ROUTE_WRITE, .body_schema = STEP_SCHEMA(""),
      .summary = "Start the investigation (due 3 working days after acceptance)",
      .summary_zh = "开始调查核实" },
    { .method = "POST", .path = "/api/v1/assistance/cases/{id}/visit", .fn = post_visit,
      .permission = "assistance:case:write", .flags = ROUTE_WRITE, .body_schema = VISIT_SCHEMA,
      .summary = "Record the home visit: at least two investigators (staff usernames) and the family's signature",
      .summary_zh = "登记入户调查" },
    { .method = "POST", .path = "/api/v1/assistance/cases/{id}/town-review", .fn = post_town_review,
      .permission = "assistance:case:write", .flags = ROUTE_WRITE, .body_schema = STEP_TEXT_SCHEMA("opinion_zh"),
      .summary = "The town's preliminary opinion; the case must be computed first",
      .summary_zh = "乡镇（街道）初审" },
    { .method = "POST", .path = "/api/v1/assistance/cases/{id}/publicity", .fn = post_publicity,
      .permission = "assistance:case:write", .flags = ROUTE_WRITE, .body_schema = STEP_SCHEMA(""),
      .summary = "Start the publicity of the preliminary opinion on `on` (7 days)",
      .summary_zh = "公示初审意见" },
    { .method = "POST", .path = "/api/v1/assistance/cases/{id}/objection", .fn = post_objection,
      .permission = "assistance:case:write", .flags = ROUTE_WRITE, .body_schema = STEP_TEXT_SCHEMA("objection_zh"),
      .summary = "Record an objection during the publicity: the case is re-investigated",
      .summary_zh = "登记公示异议" },
    { .method = "POST", .path = "/api/v1/assistance/cases/{id}/reinvestigation", .fn = post_reinvestigation,
      .permission = "assistance:case:write", .flags = ROUTE_WRITE, .body_schema = STEP_TEXT_SCHEMA("finding_zh"),
      .summary = "The re-investigation's finding; the further notice (3 days) starts on `on`",
      .summary_zh = "异议复查完毕并再次公示" },
    { .method = "POST", .path = "/api/v1/assistance/cases/{id}/publicity-close", .fn = post_publicity_close,
      .permission = "assistance:case:write", .flags = ROUTE_WRITE, .body_schema = STEP_SCHEMA(""),
      .summary = "The publicity is over: the district receives the materials on `on`",
      .summary_zh = "公示期满报送区县" },
    { .method = "POST", .path = "/api/v1/assistance/cases/{id}/spot-visit", .fn = post_spot_visit,
      .permission = "assistance:case:decide", .flags = ROUTE_WRITE, .body_schema = STEP_SCHEMA(INVESTIGATORS_S),
      .summary = "The district's spot visit (needed before deciding when a near relative was declared)",
      .summary_zh = "区县入户抽查" },
    { .method = "POST", .path = "/api/v1/assistance/cases/{id}/return", .fn = post_return,
      .permission = "assistance:case:write", .flags = ROUTE_WRITE, .body_schema = STEP_TEXT_SCHEMA("reason_zh"),
      .summary = "Back to investigation with a reason (the district's return needs assistance:case:decide)",
      .summary_zh = "退回重新调查" },
    { .method = "POST", .path = "/api/v1/assistance/cases/{id}/extension", .fn = post_extension,
      .permission = "assistance:case:decide", .flags = ROUTE_WRITE, .body_schema = STEP_TEXT_SCHEMA("reason_zh"),
      .summary = "Extend the total time limit (30 to 45 working days) with a reason",
      .summary_zh = "延长办理期限" },
    { .method = "POST", .path = "/api/v1/assistance/cases/{id}/accept", .fn = post_accept,
      .permission = "assistance:case:write", .flags = ROUTE_WRITE, .body_schema = STEP_SCHEMA(""),
      .summary = "受理 an online application on `on`: submitted -> draft; the time limits count "
                 "from this date",
      .summary_zh = "受理网上申请" },
    { .method = "POST", .path = "/api/v1/assistance/cases/{id}/decline", .fn = post_decline,
      .permission = "assistance:case:write", .flags = ROUTE_WRITE,
      .body_schema = STEP_TEXT_SCHEMA("reason_zh"),
      .summary = "不予受理 an online application with the reasons: submitted -> declined; the "
                 "members are freed",
      .summary_zh = "网上申请不予受理" },
    { .method = "POST", .path = "/api/v1/assistance/cases/{id}/pay-first", .fn = post_pay_first,
      .permission = "assistance:case:write", .flags = ROUTE_WRITE, .body_schema = STEP_SCHEMA(""),
      .summary = "小额先行救助: an emergency linshi case declared pay_first, computed within the "
                 "town limit, goes straight to the district's decision; documents follow",
      .summary_zh = "小额先行救助（先救助后补材料）" },
    { .method = "POST", .path = "/api/v1/assistance/cases/{id}/notice", .fn = post_notice,
      .permission = "assistance:case:decide", .flags = ROUTE_WRITE,
      .body_schema = STEP_SCHEMA(",\"note_zh\":" TEXT_S),
      .summary = "Record that the written notice was given on `on` (note_zh: how it was delivered)",
      .summary_zh = "登记书面告知" },
    { .method = "GET", .path = "/api/v1/assistance/cases/{id}/notice", .fn = get_notice,
      .permission = "assistance:case:read",
      .summary = "The written notice in Chinese: approval with amount and start month, or refusal with reasons (audited)",
      .summary_zh = "审核确认（不予批准）通知书" },
    { .method = "POST", .path = "/api/v1/assistance/payment-runs", .fn = post_payment_runs,
      .permission = "assistance:payment:run", .flags = ROUTE_WRITE, .body_schema = RUN_SCHEMA,
      .summary = "Create the payment lines of a scheme and month: one per household, never "
                 "twice (201 if lines were added, 200 if none were due)",
      .summary_zh = "生成救助金发放批次" },
    { .method = "GET", .path = "/api/v1/assistance/payment-runs", .fn = get_payment_runs,
      .permission = "assistance:payment:run",
      .summary = "A run's lines and total, reconciled against the enrolments due (scheme, period)",
      .summary_zh = "发放批次汇总与核对" },
    { .method = "POST", .path = "/api/v1/assistance/bank-files", .fn = post_bank_files,
      .permission = "assistance:payment:run", .flags = ROUTE_WRITE, .body_schema = RUN_SCHEMA,
      .summary = "Mark the pending lines of a scheme and month exported under a new bank file "
                 "(201 with its number and totals; 200 with export_no 0 if nothing was pending)",
      .summary_zh = "生成银行代发文件" },
    { .method = "GET", .path = "/api/v1/assistance/bank-files", .fn = get_bank_files,
      .permission = "assistance:payment:run",
      .summary = "The bank files of a scheme and month, newest first (scheme, period)",
      .summary_zh = "银行代发文件列表" },
    { .method = "GET", .path = "/api/v1/assistance/bank-files/{id}", .fn = get_bank_file,
      .permission = "assistance:payment:run",
      .summary = "A bank file as CSV with the full account numbers, as it was made (audited, "
                 "never cached)",
      .summary_zh = "下载银行代发文件" },
    { .method = "POST", .path = "/api/v1/assistance/bank-returns", .fn = post_bank_returns,
      .permission = "assistance:payment:run", .flags = ROUTE_WRITE | ROUTE_RAW,
      .summary = "Apply the bank's return file (the body: CSV reference,result,reason): paid "
                 "lines marked paid, failed ones re-issued; a bad row refuses the whole file",
      .summary_zh = "导入银行回盘文件" },
    { .method = "POST", .path = "/api/v1/assistance/recoveries/detection",
      .fn = post_recovery_detection, .permission = "assistance:payment:run",
      .flags = ROUTE_WRITE,
      .summary = "Put what was paid for each month after the payee's death, less what the "
                 "ledger claims already, into the recovery ledger (found, amount_fen: what "
                 "this call added)",
      .summary_zh = "死亡后发放追回检测" },
    { .method = "GET", .path = "/api/v1/assistance/recoveries", .fn = get_recoveries,
      .permission = "assistance:case:read",
      .summary = "The recovery ledger in your scope, newest first: status (open, recovered, "
                 "waived), scheme, region, page, page_size; total and total_fen of the filter",
      .summary_zh = "追回台账" },
    { .method = "POST", .path = "/api/v1/assistance/recoveries/{id}/resolution",
      .fn = post_recovery_resolution, .permission = "assistance:case:decide",
      .flags = ROUTE_WRITE, .body_schema = RESOLUTION_SCHEMA,
      .summary = "Follow an open recovery up, once: recovered, or waived with the reasons "
                 "(note_zh), on a date (audited)",
      .summary_zh = "登记追回结果（已追回或免于追回）" },
    { .method = "GET", .path = "/api/v1/assistance/reviews", .fn = get_reviews,
      .permission = "assistance:case:read",
      .summary = "Reviews due by due_before (default today) in your scope or under region, "
                 "and enrolled households whose payee or member the registry marks deceased "
                 "(reason member_deceased: a change to propose)",
      .summary_zh = "待核查家庭（含登记死亡待变更）" },
    { .method = "POST", .path = "/api/v1/assistance/enrolments/{id}/changes", .fn = post_change,
      .permission = "assistance:case:decide", .flags = ROUTE_WRITE, .body_schema = CHANGE_SCHEMA,
      .summary = "Record a change (income, a member leaves, joins or dies, exit, stop, a new "
                 "account) with its written reason: the amount recomputed on the change date's "
                 "standard from the next month, or the benefit stopped; pending lines rewritten, "
                 "months sent short paid as arrears, months sent over to the recovery ledger",
      .summary_zh = "保障变更（增减人口、收入变化、死亡、退出、停保）" },
    { .method = "POST", .path = "/api/v1/assistance/enrolments/{id}/reviews", .fn = post_review,
      .permission = "assistance:case:decide", .flags = ROUTE_WRITE, .body_schema = REVIEW_SCHEMA,
      .summary = "Record a review (unchanged: amount kept; changed: with the change) and "
                 "schedule the next by the frequency rules",
      .summary_zh = "登记定期核查并排定下次核查" },
    { .method = "POST", .path = "/api/v1/assistance/enrolments/{id}/work-refusals",
      .fn = post_work_refusal, .permission = "assistance:case:decide", .flags = ROUTE_WRITE,
      .body_schema = WORK_OFFER_SCHEMA,
      .summary = "Record a job offer to a member: accepted, refused with or without good "
                 "reason; three refusals in a row without one cut the member's share",
      .summary_zh = "登记介绍工作及拒绝情况" },
    { .method = "GET", .path = "/api/v1/assistance/public-list", .fn = get_public_list,
      .permission = "assistance:public:read",
      .summary = "The long-term public list of the month: name, household size and monthly "
                 "amount only, in your scope (scheme, region; format=csv for printing; audited)",
      .summary_zh = "救助对象长期公示名单（可导出 CSV 打印）" },
    { .method = "GET", .path = "/api/v1/assistance/indicators", .fn = get_indicators,
      .permission = "assistance:indicator:read",
      .summary = "Recipients (households, persons) and spending by scheme, town and month from "
                 "the payment lines (from, to: YYYY-MM; scheme, region)",
      .summary_zh = "社会救助统计指标（按类别、镇街、月份）" },
    { .method = "POST", .path = "/api/v1/portal/assistance/applications",
      .fn = post_portal_application, .permission = "portal:self",
      .flags = ROUTE_RESIDENT | ROUTE_WRITE, .body_schema = ONLINE_SCHEMA,
      .summary = "A resident applies online for their own household (members and incomes by "
                 "their place in GET /api/v1/portal/me's household): state submitted until the "
                 "town accepts it",
      .summary_zh = "网上申请社会救助" },
    { .method = "GET", .path = "/api/v1/portal/assistance/applications",
      .fn = get_portal_applications, .permission = "portal:self", .flags = ROUTE_RESIDENT,
      .summary = "The resident's own applications, newest first, with status and current step "
                 "(audited)",
      .summary_zh = "我的救助申请" },
    { .method = "GET", .path = "/api/v1/portal/assistance/applications/{id}",
      .fn = get_portal_application, .permission = "portal:self", .flags = ROUTE_RESIDENT,
      .summary = "One of the resident's own applications as steps (done, current, pending), "
                 "the decision, the amounts and the written notice (audited)",
      .summary_zh = "救助申请办理进度" },
    { .method = NULL },
};
/* clang-format on */
