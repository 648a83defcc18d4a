/*
 * registry_bulk.c - loading many residents in one transaction: the path of
 * the synthetic-district generator (modules/gen) and of later batch imports.
 *
 * registry_resident_create() is the counter's path: one transaction, one
 * duplicate check and one audit entry per resident, about a millisecond
 * each. A district of 270,000 residents needs something else, and gets it
 * here without giving up what matters: every row goes through the same
 * checks (ID number valid and agreeing with sex and birth date, name, phone,
 * region codes), ID and phone numbers are sealed with their blind indexes,
 * and the batch writes one audit entry naming how many rows it added
 * (registry_bulk_end()), in the same transaction as the rows. The prepared
 * statements are cached by the store, so each row reuses one INSERT.
 */
#include "modules/registry/registry.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/idcard.h"
#include "core/pinyin.h"
#include "core/rescode.h"
#include "core/seal.h"
#include "modules/audit/audit.h"
#include "modules/registry/registry_int.h"
#include "modules/registry/registry_sql.h"
#include "store/store.h"

#define CODE_DRAWS 8

int registry_bulk_begin(struct registry_bulk *b, struct store *st, const struct ms_actor *actor,
                        uint64_t *code_state, struct ms_err *err)
{
    memset(b, 0, sizeof(*b));
    b->st = st;
    b->actor = actor;
    b->code_state = code_state;
    b->today = ms_date_today_cst();
    ms_clock_format(ms_clock_now_ms(), b->now);
    ms_arena_init(&b->scratch, 0);
    return registry__seal(st, &b->seal, err);
}

void registry_bulk_release(struct registry_bulk *b)
{
    ms_arena_release(&b->scratch);
}

int registry_bulk_household(struct registry_bulk *b, const struct registry_household_new *in,
                            int64_t *id_out, struct ms_err *err)
{
    struct store_stmt *s;
    if (registry__check_region("address.region_code", in->address.region_code, err) < 0)
        return err->code;
    if (store_prepare(b->st, registry_sql_household_insert, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, in->number);
    store_bind_text(s, 2, in->address.region_code);
    registry__bind_place(s, 3, in->address.place_id);
    store_bind_text(s, 4, in->address.detail ? in->address.detail : "");
    store_bind_text(s, 5, b->now);
    store_bind_text(s, 6, b->now);
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        *id_out = store_col_int64(s, 0);
    store_reset(s);
    if (rc < 0)
        return rc;
    b->n_households++;
    return 0;
}

/* The checks of registry_resident_create(), short of scope and the
 * duplicate look-up (rules.md §11.1). */
static int check_row(const struct registry_bulk *b, const struct registry_resident_new *in,
                     struct ms_idcard *id, struct ms_err *err)
{
    if (registry__check_name(in->name, err) < 0)
        return err->code;
    if (ms_idcard_parse(in->id_number, b->today, id, err) < 0)
        return err->code;
    if (in->sex && in->sex[0] != id->sex)
        return registry__bad_field(err, MS_EFIELD, "sex", "性别与身份证号码不一致",
                                   "sex does not agree with the ID number (its 17th digit)");
    int32_t birth;
    if (in->birth_date && (ms_date_parse(in->birth_date, &birth, err) < 0 || birth != id->birth))
        return registry__bad_field(err, MS_EFIELD, "birth_date", "出生日期与身份证号码不一致",
                                   "birth date does not agree with the ID number");
    if (in->phone && *in->phone && registry__check_phone(in->phone, err) < 0)
        return err->code;
    if (!in->hukou_type ||
        (strcmp(in->hukou_type, "urban") != 0 && strcmp(in->hukou_type, "rural") != 0))
        return registry__bad_field(err, MS_EFIELD, "hukou_type", "户口性质应为 urban 或 rural",
                                   "hukou_type must be urban or rural");
    if (registry__check_region("residence.region_code", in->residence.region_code, err) < 0 ||
        (in->hukou.region_code &&
         registry__check_region("hukou.region_code", in->hukou.region_code, err) < 0))
        return err->code;
    char padded[32];
    snprintf(padded, sizeof(padded), " %s ", in->relation ? in->relation : "");
    if (in->household_id &&
        (!in->relation || !*in->relation || !strstr(" " REGISTRY_RELATIONS " ", padded)))
        return registry__bad_field(err, MS_EFIELD, "relation", "与户主关系无效",
                                   "relation must be one of: " REGISTRY_RELATIONS);
    return 0;
}

static int code_taken(struct store *st, const char *code, struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, registry_sql_code_exists, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, code);
    int rc = store_step(s, err);
    store_reset(s);
    return rc < 0 ? rc : rc == STORE_ROW;
}

static int draw_code(struct registry_bulk *b, char code[MS_RESCODE_LEN + 1], struct ms_err *err)
{
    for (int i = 0; i <= CODE_DRAWS; i++) {
        if (b->code_state)
            ms_rescode_from_seed(b->code_state, code);
        else
            ms_rescode_new(code);
        int rc = code_taken(b->st, code, err);
        if (rc <= 0)
            return rc;
    }
    return ms_err_set(err, MS_EINTERNAL, "no free resident code after %d draws", CODE_DRAWS);
}

struct bulk_row {
    const char *pinyin, *initials, *id_sealed, *phone_sealed;
    char id_bidx[MS_SEAL_INDEX_BUF], phone_bidx[MS_SEAL_INDEX_BUF];
    char birth[MS_DATE_BUF];
    const char *sex;
};

static int insert_row(struct registry_bulk *b, const struct registry_resident_new *in,
                      const struct bulk_row *r, const char *code, const char *status,
                      const char *status_date, int64_t *id_out, struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(b->st, registry_sql_bulk_resident_insert, &s, err) < 0)
        return err->code;
    struct registry__row row = {code,           r->pinyin,    r->initials, r->sex,
                                r->birth,       r->id_sealed, r->id_bidx,  r->phone_sealed,
                                r->phone_bidx};
    registry__bind_resident(s, in, &row);
    store_bind_text(s, 21, status);
    store_bind_text(s, 22, status_date);
    store_bind_text(s, 23, b->now);
    store_bind_text(s, 24, b->now);
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        *id_out = store_col_int64(s, 0);
    store_reset(s);
    if (rc == MS_EEXISTS)
        snprintf(err->field, sizeof(err->field), "id_number");
    return rc < 0 ? rc : 0;
}

static int set_head(struct registry_bulk *b, int64_t household_id, int64_t id, struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(b->st, registry_sql_household_set_head, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, id);
    store_bind_text(s, 2, b->now);
    store_bind_int64(s, 3, household_id);
    int rc = store_step(s, err);
    store_reset(s);
    return rc < 0 ? rc : 0;
}

int registry_bulk_resident(struct registry_bulk *b, const struct registry_resident_new *in,
                           const char *status, const char *status_date, int64_t *id_out,
                           char code_out[MS_RESCODE_LEN + 1], struct ms_err *err)
{
    static const char *const sexes[] = {"M", "F"};
    struct ms_idcard id;
    struct ms_pinyin py;
    struct bulk_row r = {.phone_sealed = ""};
    int rc;

    if (!status || !*status)
        status = "alive";
    if (strcmp(status, "alive") != 0 && strcmp(status, "deceased") != 0)
        return registry__bad_field(err, MS_EFIELD, "status", "状态应为 alive 或 deceased",
                                   "status must be alive or deceased");
    if (strcmp(status, "deceased") == 0 &&
        registry__check_date("status_date", status_date ? status_date : "", err) < 0)
        return err->code;
    if (check_row(b, in, &id, err) < 0 || ms_pinyin_name(in->name, &py, err) < 0)
        return err->code;
    ms_arena_reset(&b->scratch);
    r.pinyin = py.joined;
    r.initials = py.initials;
    r.sex = sexes[id.sex == 'F'];
    ms_date_format(id.birth, r.birth);
    ms_seal_encrypt(b->seal, REGISTRY_FIELD_ID, id.number, &b->scratch, &r.id_sealed);
    ms_seal_blind_index(b->seal, REGISTRY_FIELD_ID, id.number, r.id_bidx);
    if (in->phone && *in->phone) {
        ms_seal_encrypt(b->seal, REGISTRY_FIELD_PHONE, in->phone, &b->scratch, &r.phone_sealed);
        ms_seal_blind_index(b->seal, REGISTRY_FIELD_PHONE, in->phone, r.phone_bidx);
    }
    if ((rc = draw_code(b, code_out, err)) < 0)
        return rc;
    if (insert_row(b, in, &r, code_out, status, strcmp(status, "alive") ? status_date : "", id_out,
                   err) < 0)
        return err->code;
    if (in->household_id && strcmp(in->relation, "head") == 0 &&
        set_head(b, in->household_id, *id_out, err) < 0)
        return err->code;
    b->n_residents++;
    return 0;
}

int registry_bulk_event(struct registry_bulk *b, int64_t resident_id, const char *kind,
                        const char *date, const char *detail_json, struct ms_err *err)
{
    struct store_stmt *s;
    if (registry__check_date("date", date, err) < 0)
        return err->code;
    if (store_prepare(b->st, registry_sql_event_insert, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, resident_id);
    store_bind_text(s, 2, kind);
    store_bind_text(s, 3, date);
    store_bind_text(s, 4, "registry");
    store_bind_text(s, 5, detail_json ? detail_json : "{}");
    store_bind_text(s, 6, b->now);
    store_bind_text(s, 7, b->actor->username ? b->actor->username : "");
    int rc = store_step(s, err);
    store_reset(s);
    if (rc < 0)
        return rc;
    b->n_events++;
    return 0;
}

int registry_bulk_end(struct registry_bulk *b, const char *action, struct ms_err *err)
{
    char detail[96];
    snprintf(detail, sizeof(detail), "%zu residents, %zu households, %zu events", b->n_residents,
             b->n_households, b->n_events);
    struct audit_entry e = {
        .action = action, .object_type = "resident", .result = "ok", .detail = detail};
    return audit_append(b->st, b->actor, &e, err);
}
