/*
 * gen_roll.c - the district's existing recipients of 低保 and 特困 (issue #5
 * item 8; docs/gen.md, "The assistance roll").
 *
 * Each household is looked at once, in its chunk's transaction, with a
 * random stream of its own (the roll's seed and the household number), so
 * the district is the same with or without the roll and the chunk size
 * changes nothing. A household can be on the roll only if the department
 * feeds give none of its members a wage or an employee pension (asked of
 * the feeds themselves, gen__feeds_employee(), whether or not they are
 * written): a wage around 4,500 yuan or a pension of 2,000-5,000 is far
 * above the standard. Among the others, the shares of roll_rates favour
 * rural households, the old, single parents and grandparents raising
 * grandchildren. The enrolments are written through the assistance module
 * (assistance_roll_add()), which computes the amounts on the standards in
 * force; the paid history is one set-based statement at the end
 * (assistance_roll_history()).
 *
 * Planted anomaly: a payee who died in the history window while the
 * payments went on (enrolment still active): the lines after the death
 * month are in truth.csv with plant paid_after_death, for the monitoring
 * rule assistance_after_death.
 */
#include "modules/gen/gen.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/date.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "modules/assistance/assistance.h"
#include "modules/gen/gen_int.h"
#include "modules/policy/policy.h"

#include "core/banned.h"

/* The shares (docs/gen.md repeats them). Calibrated on --residents 270000:
 * about 3% of residents on dibao (2% urban, 4.5% rural hukou) and 0.45% on
 * tekun. */
/* clang-format off */
static const struct {
    double tekun[2];      /* people alone aged 60+ without a wage or employee pension; [is_urban] */
    double dibao[2];      /* households without one, before the type weight; [is_urban] */
    struct { const char *type; double weight; } types[8];
    double old_head;      /* weight factor when the head is 70 or older */
    double income_max;    /* dibao: income per person up to this share of the standard */
    double mean_months;   /* months on the roll: exponential with this mean */
    int max_months;
    double former;        /* households chosen that left in the history window */
    double plant;         /* payees dying in the history window whose payments went on */
    double assets_kept;   /* chosen households with a vehicle or business kept on the roll */
} roll_rates = {
    .tekun = {0.64, 0.61}, /* current and former, as dibao */
    .dibao = {0.24, 0.51}, /* current and former: × (1 - former) on the roll now */
    .types = {{"elder_alone", 1.0}, {"elder_couple", 1.0}, {"single", 0.6}, {"couple", 0.5},
              {"nuclear", 0.6}, {"single_parent", 2.5}, {"three_generation", 0.8},
              {"skip_generation", 1.6}},
    .old_head = 1.4,
    .income_max = 0.55,
    .mean_months = 30,
    .max_months = 180,
    .former = 0.22,
    .plant = 0.06,
    .assets_kept = 0.1,
};
/* clang-format on */

static const char *const banks[] = {"重庆农村商业银行", "中国邮政储蓄银行"};

#define ROLL_STD_MONTHS (15 * 12 + 2) /* max_months and one, back from the as-of month */

struct gen_roll {
    uint64_t seed; /* the roll's stream */
    uint64_t district_seed;
    int feed_months;
    struct gen_feeds *probe;
    struct assistance_roll *ar;
    int32_t as_of, this_month;        /* first day of the as-of month */
    int32_t hist_from, hist_to;       /* first days of the history's first and last month */
    struct ms_str truth;              /* planted truth.csv lines */
    struct gen_roll_stats cur, saved; /* saved: at the pending chunk's start */
    size_t truth_mark;
    int has_pending;
    size_t pending_first;
    int64_t ms; /* time spent */
    /* The pending chunk's households as the roll left them, for the feeds
     * (gen__roll_household()). */
    struct gen_roll_hh *hh;
    size_t hh_alloc;
    /* Standards by month (fen; [kind][months back from this_month]), to
     * find where an enrolment's active row starts. */
    int64_t standard[3][ROLL_STD_MONTHS];
};

int gen_roll_open(uint64_t seed, int feed_months, struct gen_roll **out, struct ms_err *err)
{
    struct gen_roll *g = ms_xcalloc(1, sizeof(*g));
    struct gen_rng r;
    gen__rng_seed(&r, seed ^ 0x726F6C6Cull); /* "roll" */
    g->seed = gen__rng_next(&r);
    g->district_seed = seed;
    g->feed_months = feed_months ? feed_months : GEN_DEFAULT_FEED_MONTHS;
    ms_str_init(&g->truth, 0);
    *out = g;
    if (g->feed_months < 1 || g->feed_months > GEN_MAX_FEED_MONTHS)
        return ms_err_field(err, MS_EFIELD, "feed_months", "feed months must be 1 to %d",
                            GEN_MAX_FEED_MONTHS);
    return 0;
}

void gen_roll_free(struct gen_roll *g)
{
    if (!g)
        return;
    free(g->probe);
    free(g->hh);
    assistance_roll_free(g->ar);
    ms_str_release(&g->truth);
    free(g);
}

void gen_roll_stats(const struct gen_roll *g, struct gen_roll_stats *out)
{
    *out = g->cur;
}

static uint64_t hash_number(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static int32_t add_months(int32_t day, int months)
{
    int32_t out = day;
    ms_date_add_months(day, months, &out);
    return out;
}

/* The standards of the months back from the as-of month, as the assistance
 * module computes the amounts on them (a month without one: the earliest
 * there is); kinds: 0 urban dibao, 1 rural dibao, 2 tekun. */
static int load_standards(struct gen_roll *g, struct store *st, struct ms_err *err)
{
    static const char *const keys[3] = {"cq.dibao.standard.urban", "cq.dibao.standard.rural",
                                        "cq.tekun.basic"};
    for (int k = 0; k < 3; k++) {
        int64_t earliest = 0;
        for (int m = ROLL_STD_MONTHS - 1; m >= 0; m--) {
            char date[MS_DATE_BUF];
            struct ms_err e2 = MS_ERR_INIT;
            int64_t v = 0;
            ms_date_format(add_months(g->this_month, -m), date);
            if (policy_get_int(st, keys[k], date, &v, &e2) < 0 && e2.code != MS_ENOTFOUND) {
                *err = e2;
                return err->code;
            }
            if (v > 0 && !earliest)
                earliest = v;
            g->standard[k][m] = v;
        }
        for (int m = 0; m < ROLL_STD_MONTHS; m++)
            if (g->standard[k][m] <= 0)
                g->standard[k][m] = earliest;
    }
    return 0;
}

/* The first month of the row of an enrolment from start that is in force
 * in the as-of month: a new standard starts a new row (assistance_roll_add()). */
static int32_t active_row_start(const struct gen_roll *g, int kind, int32_t start)
{
    for (int m = 0; m < ROLL_STD_MONTHS - 1; m++) {
        int32_t month = add_months(g->this_month, -m);
        if (month <= start)
            break;
        if (g->standard[kind][m] != g->standard[kind][m + 1])
            return month;
    }
    return start;
}

static int setup(struct gen_roll *g, struct store *st, int32_t as_of, struct ms_err *err)
{
    char date[MS_DATE_BUF];
    g->as_of = as_of;
    g->this_month = ms_date_month_start(as_of);
    g->hist_to = add_months(g->this_month, -1);
    g->hist_from = add_months(g->this_month, -GEN_ROLL_HISTORY_MONTHS);
    g->probe = gen__feeds_probe(g->district_seed, g->feed_months, as_of);
    if (load_standards(g, st, err) < 0)
        return err->code;
    ms_date_format(as_of, date);
    return assistance_roll_open(st, date, &g->ar, err);
}

/* Everything drawn for a household, in a fixed order whatever is used. */
struct draws {
    double select, tekun, start, income, plant, former, ended, assets;
    char account[20];
    const char *bank;
};

static void draw(struct gen_roll *g, const struct gen_household *hh, struct draws *d)
{
    struct gen_rng r;
    gen__rng_seed(&r, g->seed ^ hash_number(hh->number));
    d->select = gen__rng_unit(&r);
    d->tekun = gen__rng_unit(&r);
    d->start = gen__rng_unit(&r);
    d->income = gen__rng_unit(&r);
    d->plant = gen__rng_unit(&r);
    d->former = gen__rng_unit(&r);
    d->ended = gen__rng_unit(&r);
    d->assets = gen__rng_unit(&r);
    /* 19 digits starting 8888: no bank's card prefix, so no real account. */
    uint64_t n = gen__rng_next(&r) % 1000000000000000ull;
    snprintf(d->account, sizeof(d->account), "8888%015llu", (unsigned long long)n);
    d->bank = banks[gen__rng_next(&r) % 2];
}

static double type_weight(const char *type)
{
    for (size_t i = 0; i < sizeof(roll_rates.types) / sizeof(roll_rates.types[0]); i++)
        if (!strcmp(roll_rates.types[i].type, type))
            return roll_rates.types[i].weight;
    return 0;
}

static int alive_on(const struct gen_person *p, int32_t day)
{
    return p->birth <= day && (!p->death || p->death >= day);
}

/* Which scheme the household is on: 0 dibao, 1 tekun, -1 none. */
static int choose(struct gen_roll *g, const struct gen_household *hh, const struct draws *d)
{
    const struct gen_person *head = NULL;
    for (size_t i = 0; i < hh->n; i++) {
        if (gen__feeds_employee(g->probe, hh, &hh->members[i]))
            return -1;
        if (!strcmp(hh->members[i].relation, "head"))
            head = &hh->members[i];
    }
    if (!head)
        return -1;
    int age = ms_date_age_on(head->birth, g->as_of);
    if (hh->n == 1 && age >= 60 && d->tekun < roll_rates.tekun[hh->is_urban])
        return 1;
    double p = roll_rates.dibao[hh->is_urban] * type_weight(hh->type);
    if (age >= 70)
        p *= roll_rates.old_head;
    return d->select < p ? 0 : -1;
}

/* A household the feeds give a vehicle or a business (rules.md §1.3: over
 * the asset limits) is left off, except a few the rule
 * assisted_vehicle_business is there to find. */
static int has_assets(struct gen_roll *g, const struct gen_household *hh, const struct draws *d)
{
    const unsigned assets = 1u << GEN_FEED_VEHICLE | 1u << GEN_FEED_BUSINESS_REGISTRATION;
    if (d->assets < roll_rates.assets_kept)
        return 0;
    for (size_t i = 0; i < hh->n; i++)
        if (gen__feeds_person(g->probe, hh, &hh->members[i]) & assets)
            return 1;
    return 0;
}

/* The truth.csv lines of a planted payee: each paid month after the death
 * month, natural key household|scheme|period. */
static void plant(struct gen_roll *g, const struct gen_household *hh, const struct gen_person *p,
                  const char *scheme, int32_t first)
{
    char period[MS_PERIOD_BUF];
    for (int32_t m = first; m <= g->hist_to; m = add_months(m, 1)) {
        ms_date_format_period(m, period);
        ms_str_addf(&g->truth, "assistance_payment,%zu,%s|%s|%s,%s,clean,1,,paid_after_death\n",
                    ++g->cur.planted_lines, hh->number, scheme, period, p->code);
    }
    g->cur.planted++;
}

/* The payee: the head if alive and adult at start, else an adult who is. */
static const struct gen_person *payee_at(const struct gen_household *hh, int32_t start,
                                         int *persons)
{
    const struct gen_person *payee = NULL;
    *persons = 0;
    for (size_t i = 0; i < hh->n; i++) {
        const struct gen_person *p = &hh->members[i];
        if (!alive_on(p, start))
            continue;
        (*persons)++;
        if (ms_date_age_on(p->birth, start) >= 18 && (!payee || !strcmp(p->relation, "head")))
            payee = p;
    }
    return payee;
}

static int enrol(struct gen_roll *g, struct store *st, const struct gen_household *hh, int scheme,
                 const struct draws *d, const struct ms_actor *actor, struct gen_roll_hh *out,
                 struct ms_err *err)
{
    int months = 1 + (int)(-log(1 - d->start) * roll_rates.mean_months);
    if (months > roll_rates.max_months)
        months = roll_rates.max_months;
    /* A former recipient left 1-12 months ago, after `months` on the roll
     * (income rose, moved in with relatives, into a care home). */
    int is_former = d->former < roll_rates.former;
    int32_t end = is_former ? add_months(g->this_month, -1 - (int)(d->ended * 12)) : 0;
    int32_t start = add_months(is_former ? end : g->this_month, -months);
    int persons;
    const struct gen_person *payee = payee_at(hh, start, &persons);
    if (!payee)
        return 0;
    const char *name = scheme ? "tekun" : "dibao";
    char start_p[MS_PERIOD_BUF], end_p[MS_PERIOD_BUF] = "";
    ms_date_format_period(start, start_p);
    if (payee->death && (!is_former || ms_date_month_start(payee->death) < end)) {
        int32_t dm = ms_date_month_start(payee->death);
        int32_t after = add_months(dm, 1);
        int can_plant = !is_former && after <= g->hist_to && after >= g->hist_from;
        if (can_plant && (d->plant < roll_rates.plant || g->cur.planted == 0)) {
            plant(g, hh, payee, name, after);
        } else {
            end = dm;
            g->cur.stopped++;
        }
    }
    if (end)
        ms_date_format_period(end, end_p);
    struct assistance_roll_entry e = {
        .household_id = hh->id,
        .payee_id = payee->id,
        .scheme = name,
        .is_urban = hh->is_urban,
        .persons = persons,
        .income_permille = scheme ? 0 : (int)(d->income * roll_rates.income_max * 1000),
        .start_period = start_p,
        .end_period = end_p,
        .bank_account = d->account,
        .bank_name = d->bank};
    int64_t amount;
    int rows;
    if (assistance_roll_add(g->ar, st, &e, actor, &amount, &rows, err) < 0)
        return err->code;
    g->cur.rows += (size_t)rows;
    out->enrolled = 1;
    out->scheme = scheme;
    out->start = start;
    if (end) {
        g->cur.former += is_former;
        return 0;
    }
    out->active = 1;
    out->active_start = active_row_start(g, scheme ? 2 : hh->is_urban ? 0 : 1, start);
    g->cur.households[scheme]++;
    g->cur.persons[scheme] += (size_t)persons;
    g->cur.persons_area[scheme][hh->is_urban] += (size_t)persons;
    return 0;
}

int gen__roll_chunk(struct gen_roll *g, struct store *st, const struct gen_chunk *chunk,
                    const struct ms_actor *actor, struct ms_err *err)
{
    int64_t t0 = ms_clock_mono_ms();
    if (!g->ar && setup(g, st, chunk->as_of, err) < 0)
        return err->code;
    if (g->has_pending && chunk->first_resident == g->pending_first) {
        /* store_tx() is retrying this chunk: plant its lines again. */
        g->cur = g->saved;
        g->truth.len = g->truth_mark;
        if (g->truth.alloc)
            g->truth.buf[g->truth.len] = '\0';
    } else {
        g->saved = g->cur;
        g->truth_mark = g->truth.len;
        g->has_pending = 1;
        g->pending_first = chunk->first_resident;
    }
    size_t households =
               g->cur.households[0] + g->cur.households[1] + g->cur.former + g->cur.stopped,
           rows = g->cur.rows;
    if (g->hh_alloc < chunk->n_households) {
        g->hh_alloc = chunk->n_households;
        g->hh = ms_xrealloc(g->hh, g->hh_alloc * sizeof(*g->hh));
    }
    memset(g->hh, 0, chunk->n_households * sizeof(*g->hh));
    for (size_t h = 0; h < chunk->n_households; h++) {
        const struct gen_household *hh = &chunk->households[h];
        struct draws d;
        g->cur.residents_area[hh->is_urban] += hh->n;
        draw(g, hh, &d);
        int scheme = choose(g, hh, &d);
        if (scheme >= 0 && !has_assets(g, hh, &d) &&
            enrol(g, st, hh, scheme, &d, actor, &g->hh[h], err) < 0)
            return err->code;
    }
    households =
        g->cur.households[0] + g->cur.households[1] + g->cur.former + g->cur.stopped - households;
    rows = g->cur.rows - rows;
    if (households && assistance_roll_audit(st, actor, households, rows, err) < 0)
        return err->code;
    g->ms += ms_clock_mono_ms() - t0;
    return 0;
}

const struct gen_roll_hh *gen__roll_household(const struct gen_roll *g, size_t h)
{
    return g && h < g->hh_alloc ? &g->hh[h] : NULL;
}

int gen__roll_history(struct gen_roll *g, struct store *st, const struct ms_actor *actor,
                      struct ms_err *err)
{
    if (!g->ar)
        return 0;
    int64_t t0 = ms_clock_mono_ms();
    char from[MS_PERIOD_BUF], to[MS_PERIOD_BUF];
    ms_date_format_period(g->hist_from, from);
    ms_date_format_period(g->hist_to, to);
    if (assistance_roll_history(st, from, to, actor, &g->cur.history_lines, &g->cur.history_fen,
                                err) < 0)
        return err->code;
    g->ms += ms_clock_mono_ms() - t0;
    g->cur.ms = g->ms;
    return 0;
}

int gen_roll_write_truth(const struct gen_roll *g, const char *dir, struct ms_err *err)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/truth.csv", dir);
    FILE *f = fopen(path, "a");
    if (!f)
        return ms_err_set(err, MS_EIO, "cannot open %s", path);
    size_t n = fwrite(g->truth.buf ? g->truth.buf : "", 1, g->truth.len, f);
    if (fclose(f) != 0 || n != g->truth.len)
        return ms_err_set(err, MS_EIO, "cannot write %s", path);
    return 0;
}
