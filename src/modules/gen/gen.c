/*
 * gen.c - the synthetic district: who lives where, in which households,
 * born when, called what, and what happened to them (docs/gen.md).
 *
 * A run is a table of steps (gen_steps[] below): check that the registry is
 * empty, load the villages and communities from the places table, then make
 * residents chunk by chunk. Each chunk is generated first, in memory (an
 * arena reset after every commit), and then stored in one transaction
 * through the registry's bulk path (registry_bulk_*), which writes one audit
 * entry per chunk. Generating before the transaction keeps the random stream
 * independent of retries: store_tx() may run the storing again, and it
 * stores the same households (only the code stream is rewound).
 *
 * Where the numbers come from (all assumptions are listed in docs/gen.md):
 *   - the age pyramid is a smoothed version of the shape of Chongqing's 2020
 *     census (7th national census, 重庆市第七次全国人口普查公报): 15.9% aged
 *     0-14, 21.9% aged 60+, 17.1% aged 65+, sex ratio about 102;
 *   - household types follow the census picture of an ageing, out-migrating
 *     hill district: elderly couples and three-generation households are
 *     common, and so are grandparents with left-behind children (留守儿童)
 *     in villages; about one in eight households with someone aged 65+ is
 *     one elderly person alone;
 *   - deaths follow a Gompertz curve giving a crude rate near Chongqing's
 *     (about 8 per thousand a year).
 */
#include "modules/gen/gen.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/banned.h"
#include "core/date.h"
#include "core/idcard.h"
#include "core/xalloc.h"
#include "modules/gen/gen_int.h"
#include "modules/placenames/placenames.h"
#include "modules/registry/registry.h"
#include "store/store.h"

#define AGE_MAX       105
#define MAX_MEMBERS   8
#define N_ORIGINS     7
#define SEQ_SLOTS     500 /* sequences per day and sex: 000-999, odd for men */
#define HISTORY_YEARS (AGE_MAX + 2)

/* Used in gen_district(): the registry must be empty (so the same seed
 * gives the same district, and ID numbers cannot clash with earlier ones). */
static const char gen_sql_count_residents[] = "SELECT count(*) FROM residents";

/* --- the age and sex pyramid --------------------------------------------------- */

/* Share of the population (per thousand) in each five-year group 0-4 ... 100+,
 * and the share of men in it. The shape of Chongqing's 2020 census: the
 * large cohorts born in 1962-1976 (now in their fifties and early sixties),
 * their children born around 1985-1995, the small cohorts of the 2000s, and
 * a long tail of women past 80. */
/* clang-format off */
static const double group_weight[21] = {
    40, 52, 52, 45, 45, 58, 72, 62, 62, 82, 88, 70, 48, 56, 45, 28, 18, 9, 3, 0.7, 0.1,
};
static const double group_male[21] = {
    .525, .530, .535, .535, .520, .510, .505, .505, .505, .505, .505, .500, .500, .495,
    .490, .475, .450, .410, .360, .300, .250,
};
/* clang-format on */

/* Weight and male share at a single year of age, interpolated linearly
 * between the groups' midpoints so the pyramid has no steps. */
static void pyramid_at(int age, double *weight, double *male)
{
    double x = (age - 2.0) / 5.0; /* position in group midpoints */
    int g = (int)floor(x);
    double f = x - g;
    if (g < 0) {
        g = 0;
        f = 0;
    }
    if (g >= 20) {
        g = 19;
        f = 1;
    }
    *weight = group_weight[g] * (1 - f) + group_weight[g + 1] * f;
    *male = group_male[g] * (1 - f) + group_male[g + 1] * f;
}

/* --- a run ------------------------------------------------------------------------ */

struct gen_place {
    int64_t id;
    const char *code, *name, *town;
    int urban_class;     /* 0 village, 1 community of a town, 2 community of a street */
    unsigned households; /* numbers drawn so far */
};

struct gen_run {
    const struct gen_options *o;
    struct store *st;
    const struct ms_actor *actor;
    struct gen_rng rng;
    uint64_t code_state;
    int32_t as_of;
    struct gen_place *places;
    double *place_cdf;
    size_t n_places;
    double age_cdf[2][AGE_MAX + 2]; /* [0] men, [1] women */
    double male_share[AGE_MAX + 1];
    uint16_t *seq_used; /* [origin][day][sex] */
    int32_t day_min;
    size_t n_days;
    uint64_t phone_next, phone_offset;
    struct ms_arena places_arena, chunk_arena;
    size_t done;
    struct gen_stats stats;
    int earner_planted; /* plant_earner_death() done */
};

struct gen_step {
    const char *name;
    int (*run)(struct gen_run *run, struct ms_err *err);
};

static void build_pyramid(struct gen_run *run)
{
    double cum[2] = {0, 0};
    for (int age = 0; age <= AGE_MAX; age++) {
        double w, m;
        pyramid_at(age, &w, &m);
        run->male_share[age] = m;
        run->age_cdf[0][age] = cum[0];
        run->age_cdf[1][age] = cum[1];
        cum[0] += w * m;
        cum[1] += w * (1 - m);
    }
    run->age_cdf[0][AGE_MAX + 1] = cum[0];
    run->age_cdf[1][AGE_MAX + 1] = cum[1];
}

/* An age in [lo, hi] for sex ('M'/'F') drawn from the pyramid. */
static int draw_age(struct gen_run *run, char sex, int lo, int hi)
{
    const double *cdf = run->age_cdf[sex == 'F'];
    if (lo < 0)
        lo = 0;
    if (hi > AGE_MAX)
        hi = AGE_MAX;
    if (hi < lo)
        hi = lo;
    double u = cdf[lo] + gen__rng_unit(&run->rng) * (cdf[hi + 1] - cdf[lo]);
    int a = lo;
    while (a < hi && cdf[a + 1] <= u)
        a++;
    return a;
}

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* --- identity: birth date, ID number, phone ----------------------------------------- */

/* Where ID numbers were issued (GB/T 2260 address codes). Most residents
 * carry 500110 (万盛区 until 2011, 綦江区 since: rules.md §11.2); some the old
 * 綦江县 500222 (only for numbers issued before the 2011 merger); migrants
 * their birth county: 万州 500101, 巴南 500113, 丰都 500230, and the
 * neighbours across the border, 桐梓县 520322 (Guizhou) and 泸县 510521
 * (Sichuan). */
static const char *const origins[N_ORIGINS] = {"500110", "500222", "500101", "500113",
                                               "500230", "520322", "510521"};

static int draw_origin(struct gen_run *run, int32_t birth, int is_adult)
{
    int y, m, d;
    ms_date_to_ymd(birth, &y, &m, &d);
    unsigned x = (unsigned)gen__rng_range(&run->rng, 0, 999);
    if (!is_adult)
        return x < 970 ? 0 : 2 + (int)(x % 5);
    if (x < 820)
        return 0;
    if (x < 900)
        return y <= 2011 ? 1 : 0;
    return 2 + (int)(x % 5);
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDull;
    x ^= x >> 33;
    return x;
}

/* A free sequence for (origin, birth date, sex): the k-th person of a day
 * gets slot (start + k) mod 500, start depending on the day, so numbers look
 * scattered but never repeat. */
static int make_id_number(struct gen_run *run, struct gen_person *p, int origin, struct ms_err *err)
{
    size_t day = (size_t)(p->birth - run->day_min);
    size_t slot_index = ((size_t)origin * run->n_days + day) * 2 + (p->sex == 'F');
    uint16_t k = run->seq_used[slot_index];
    if (k >= SEQ_SLOTS)
        return ms_err_set(err, MS_EINTERNAL, "more than %d people born on one day", SEQ_SLOTS);
    run->seq_used[slot_index] = (uint16_t)(k + 1);
    unsigned start = (unsigned)(mix(((uint64_t)origin << 32) ^ (uint64_t)day) % SEQ_SLOTS);
    unsigned seq = ((start + k) % SEQ_SLOTS) * 2 + (p->sex == 'M');
    int y, m, d;
    ms_date_to_ymd(p->birth, &y, &m, &d);
    snprintf(p->id_number, sizeof(p->id_number), "%s%04d%02d%02d%03u", origins[origin], y, m, d,
             seq);
    p->id_number[17] = ms_idcard_check_char(p->id_number);
    p->id_number[18] = '\0';
    return 0;
}

/* Phones: "154" and eight digits. The 154 segment is not assigned to any
 * mobile operator, so no real person can be reached on these numbers. The
 * eight digits walk a permutation of 0..10^8-1 (an odd multiplier that is
 * prime to 10), so numbers never repeat in a run. */
static void make_phone(struct gen_run *run, struct gen_person *p)
{
    uint64_t n = (run->phone_next++ * 7919u + run->phone_offset) % 100000000u;
    snprintf(p->phone, sizeof(p->phone), "154%08llu", (unsigned long long)n);
}

/* A birth date giving exactly `age` full years on the as-of date. */
static int32_t birth_for_age(struct gen_run *run, int age)
{
    int32_t hi, lo;
    ms_date_add_months(run->as_of, -12 * age, &hi);
    ms_date_add_months(run->as_of, -12 * (age + 1), &lo);
    lo += 1;
    return lo + (int32_t)(gen__rng_next(&run->rng) % (uint64_t)(hi - lo + 1));
}

/* Yearly probability of dying at an age: Gompertz, doubling about every 7
 * years, with a floor for the young and a little more in the first year. */
static double mortality(int age)
{
    double q = 0.00002 * exp(0.1 * age) + 0.0004;
    if (age == 0)
        q += 0.003;
    return q > 0.5 ? 0.5 : q;
}

static void maybe_die(struct gen_run *run, struct gen_person *p, int age)
{
    double p3 = 1 - pow(1 - mortality(age), 3);
    if (gen__rng_unit(&run->rng) >= p3)
        return;
    int32_t earliest = run->as_of - 3 * 365;
    if (earliest <= p->birth)
        earliest = p->birth + 1;
    if (earliest >= run->as_of)
        return;
    p->death = earliest + (int32_t)(gen__rng_next(&run->rng) % (uint64_t)(run->as_of - earliest));
}

/* --- households --------------------------------------------------------------------- */

struct build {
    struct gen_run *run;
    struct gen_household *hh;
    const char *surnames[MAX_MEMBERS]; /* per member, for children's names */
    int ages[MAX_MEMBERS];
    const char *ethnicity;
};

static const char *draw_ethnicity(struct gen_run *run)
{
    unsigned x = (unsigned)gen__rng_range(&run->rng, 0, 999);
    if (x < 968)
        return "汉族";
    if (x < 982)
        return "土家族";
    if (x < 993)
        return "苗族";
    if (x < 997)
        return "仡佬族";
    return "彝族";
}

/* Adds a member of sex and age; surname NULL draws one by frequency. */
static int add_member(struct build *b, char sex, int age, const char *relation, const char *surname)
{
    struct gen_household *hh = b->hh;
    if (hh->n >= MAX_MEMBERS)
        return -1;
    int i = (int)hh->n++;
    struct gen_person *p = &hh->members[i];
    memset(p, 0, sizeof(*p));
    p->sex = sex;
    p->spouse = -1;
    p->relation = relation;
    p->ethnicity = b->ethnicity;
    b->ages[i] = clamp(age, 0, AGE_MAX);
    b->surnames[i] = surname ? surname : gen__surname(&b->run->rng);
    return i;
}

static void marry(struct build *b, int husband, int wife)
{
    b->hh->members[husband].spouse = wife;
    b->hh->members[wife].spouse = husband;
}

static char random_sex(struct gen_run *run, int age)
{
    return gen__rng_unit(&run->rng) < run->male_share[clamp(age, 0, AGE_MAX)] ? 'M' : 'F';
}

/* A couple: the husband's age drawn in [lo, hi], the wife up to five years
 * younger. head_is_husband: which of them is the head. Returns the
 * husband's index; the wife's follows it. */
static int add_couple(struct build *b, int lo, int hi, int head_is_husband, const char *rel_h,
                      const char *rel_w)
{
    struct gen_run *run = b->run;
    int h_age = draw_age(run, 'M', lo, hi);
    int w_age = clamp(h_age - gen__rng_range(&run->rng, -1, 5), 20, AGE_MAX);
    int h = add_member(b, 'M', h_age, head_is_husband ? "head" : rel_h, NULL);
    int w = add_member(b, 'F', w_age, head_is_husband ? rel_w : "head", NULL);
    marry(b, h, w);
    return h;
}

/* Children of a mother aged mother_age, with the father's surname: one,
 * sometimes two (and in villages now and then three), 2-8 years apart,
 * none older than 30 (older ones have left). */
static void add_children(struct build *b, int mother_age, const char *surname, const char *relation,
                         int max_children)
{
    struct gen_run *run = b->run;
    int first = mother_age - gen__rng_range(&run->rng, 21, 33);
    if (first < 0)
        first = gen__rng_range(&run->rng, 0, mother_age > 21 ? mother_age - 21 : 0);
    if (first > 30)
        first = gen__rng_range(&run->rng, 16, 30);
    int n = 1;
    double u = gen__rng_unit(&run->rng);
    if (u < 0.40)
        n = 2;
    if (u < 0.05 + (b->hh->is_urban ? 0 : 0.05))
        n = 3;
    if (n > max_children)
        n = max_children;
    int age = first;
    for (int k = 0; k < n && age >= 0; k++) {
        add_member(b, random_sex(run, age), age, relation, surname);
        age -= gen__rng_range(&run->rng, 2, 8);
    }
}

enum hh_type {
    HH_ELDER_ALONE,
    HH_ELDER_COUPLE,
    HH_SINGLE,
    HH_COUPLE,
    HH_NUCLEAR,
    HH_SINGLE_PARENT,
    HH_THREE_GEN,
    HH_SKIP_GEN,
    HH_TYPE_COUNT
};

static const struct {
    const char *name;
    unsigned urban, rural; /* relative weights */
} hh_types[HH_TYPE_COUNT] = {
    {"elder_alone", 3, 5},        {"elder_couple", 14, 15},  {"single", 16, 11},
    {"couple", 13, 11},           {"nuclear", 29, 22},       {"single_parent", 5, 4},
    {"three_generation", 13, 19}, {"skip_generation", 3, 9},
};

static enum hh_type draw_type(struct gen_run *run, int is_urban)
{
    unsigned total = 0;
    for (int t = 0; t < HH_TYPE_COUNT; t++)
        total += is_urban ? hh_types[t].urban : hh_types[t].rural;
    unsigned x = (unsigned)(gen__rng_next(&run->rng) % total);
    for (int t = 0; t < HH_TYPE_COUNT; t++) {
        unsigned w = is_urban ? hh_types[t].urban : hh_types[t].rural;
        if (x < w)
            return (enum hh_type)t;
        x -= w;
    }
    return HH_NUCLEAR;
}

/* Grandparents (one of them widowed in two households of five), their son
 * and his wife, and the young couple's children. The head is the son, or in
 * two of five the grandfather (else the grandmother). */
static void build_three_generations(struct build *b)
{
    struct gen_run *run = b->run;
    int old_head = gen__rng_unit(&run->rng) < 0.4;
    int h_age = draw_age(run, 'M', 26, 50);
    int w_age = clamp(h_age - gen__rng_range(&run->rng, -1, 4), 20, AGE_MAX);
    int gf_age = clamp(h_age + gen__rng_range(&run->rng, 23, 32), 50, AGE_MAX);
    int gm_age = clamp(gf_age - gen__rng_range(&run->rng, -1, 4), 48, AGE_MAX);
    double u = gen__rng_unit(&run->rng);
    int has_gf = u >= 0.25, has_gm = u < 0.25 || u >= 0.40;
    const char *surname = gen__surname(&run->rng);
    int gf = -1, gm = -1;
    if (has_gf)
        gf = add_member(b, 'M', gf_age, old_head ? "head" : "parent", surname);
    if (has_gm)
        gm = add_member(b, 'F', gm_age, !old_head ? "parent" : has_gf ? "spouse" : "head", NULL);
    if (gf >= 0 && gm >= 0)
        marry(b, gf, gm);
    int h = add_member(b, 'M', h_age, old_head ? "child" : "head", surname);
    int w = add_member(b, 'F', w_age, old_head ? "other" : "spouse", NULL);
    marry(b, h, w);
    add_children(b, w_age, surname, old_head ? "grandchild" : "child", 2);
}

static void build_skip_generation(struct build *b)
{
    struct gen_run *run = b->run;
    int gp_age = draw_age(run, 'M', 55, 80);
    const char *surname = gen__surname(&run->rng);
    int gf = -1, gm;
    if (gen__rng_unit(&run->rng) < 0.7)
        gf = add_member(b, 'M', gp_age, "head", surname);
    gm = add_member(b, 'F', clamp(gp_age - gen__rng_range(&run->rng, -1, 4), 50, AGE_MAX),
                    gf >= 0 ? "spouse" : "head", NULL);
    if (gf >= 0)
        marry(b, gf, gm);
    int n = gen__rng_unit(&run->rng) < 0.35 ? 2 : 1;
    for (int k = 0; k < n; k++) {
        int age = clamp(gp_age - gen__rng_range(&run->rng, 46, 60), 0, 15);
        add_member(b, random_sex(run, age), age, "grandchild", surname);
    }
}

static void build_members(struct build *b, enum hh_type t)
{
    struct gen_run *run = b->run;
    struct gen_household *hh = b->hh;
    switch (t) {
    case HH_ELDER_ALONE: {
        char sex = gen__rng_unit(&run->rng) < 0.62 ? 'F' : 'M';
        add_member(b, sex, draw_age(run, sex, 65, 100), "head", NULL);
        break;
    }
    case HH_ELDER_COUPLE:
        add_couple(b, 62, 95, gen__rng_unit(&run->rng) < 0.85, "spouse", "spouse");
        break;
    case HH_SINGLE: {
        char sex = gen__rng_unit(&run->rng) < 0.58 ? 'M' : 'F';
        add_member(b, sex, draw_age(run, sex, 20, 64), "head", NULL);
        break;
    }
    case HH_COUPLE:
        add_couple(b, 23, 64, gen__rng_unit(&run->rng) < 0.8, "spouse", "spouse");
        break;
    case HH_NUCLEAR: {
        int h = add_couple(b, 25, 58, gen__rng_unit(&run->rng) < 0.8, "spouse", "spouse");
        add_children(b, b->ages[h + 1], b->surnames[h], "child", 3);
        break;
    }
    case HH_SINGLE_PARENT: {
        char sex = gen__rng_unit(&run->rng) < 0.7 ? 'F' : 'M';
        int p = add_member(b, sex, draw_age(run, sex, 25, 55), "head", NULL);
        add_children(b, b->ages[p], b->surnames[p], "child", 2);
        break;
    }
    case HH_THREE_GEN:
        build_three_generations(b);
        break;
    case HH_SKIP_GEN:
        build_skip_generation(b);
        break;
    default:
        break;
    }
    hh->type = hh_types[t].name;
}

static void make_address(struct gen_run *run, struct gen_household *hh)
{
    if (hh->is_urban) {
        snprintf(hh->address, sizeof(hh->address), "%s%d号%d单元%d-%d", gen__road(&run->rng),
                 gen__rng_range(&run->rng, 1, 320), gen__rng_range(&run->rng, 1, 6),
                 gen__rng_range(&run->rng, 1, 18), gen__rng_range(&run->rng, 1, 4));
    } else {
        snprintf(hh->address, sizeof(hh->address), "%d组%d号", gen__rng_range(&run->rng, 1, 12),
                 gen__rng_range(&run->rng, 1, 160));
    }
}

static struct gen_place *draw_place(struct gen_run *run)
{
    double u = gen__rng_unit(&run->rng) * run->place_cdf[run->n_places];
    size_t lo = 0, hi = run->n_places - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (run->place_cdf[mid + 1] <= u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return &run->places[lo];
}

/* Probability that a household of a place holds urban hukou: streets'
 * communities are urban, villages rural, towns' communities between. */
static const double urban_share[3] = {0.08, 0.55, 0.88};

/* Marriage: the wife at 20-28 (the husband at least 22, the legal ages),
 * before their first child, never after the as-of date. */
static int32_t marriage_date(struct gen_run *run, const struct gen_person *h,
                             const struct gen_person *w, int32_t first_child)
{
    int32_t d, h22, w20;
    ms_date_add_months(w->birth, 12 * gen__rng_range(&run->rng, 20, 28), &d);
    d += gen__rng_range(&run->rng, 0, 364);
    ms_date_add_months(h->birth, 12 * 22, &h22);
    ms_date_add_months(w->birth, 12 * 20, &w20);
    if (d < h22)
        d = h22;
    if (first_child && d > first_child - 200)
        d = first_child - gen__rng_range(&run->rng, 200, 900);
    if (d < h22)
        d = h22;
    if (d < w20)
        d = w20;
    if (d >= run->as_of)
        d = run->as_of - gen__rng_range(&run->rng, 1, 60);
    return d;
}

static void finish_members(struct build *b)
{
    struct gen_run *run = b->run;
    struct gen_household *hh = b->hh;
    for (size_t i = 0; i < hh->n; i++) {
        struct gen_person *p = &hh->members[i];
        int age = b->ages[i];
        p->birth = birth_for_age(run, age);
        int y, m, d;
        ms_date_to_ymd(p->birth, &y, &m, &d);
        for (int k = 0; k < 8; k++) {
            char given[16];
            gen__given_name(&run->rng, p->sex == 'M', y, given, sizeof(given));
            snprintf(p->name, sizeof(p->name), "%s%s", b->surnames[i], given);
            if (!gen__is_famous(p->name))
                break;
        }
        double has_phone = age < 16 ? 0 : age >= 80 ? 0.55 : 0.93;
        if (gen__rng_unit(&run->rng) < has_phone)
            make_phone(run, p);
        maybe_die(run, p, age);
    }
    /* Marriages, once every birth date is known: before the couple's first
     * child (the eldest member born 16+ years after the wife). */
    for (size_t i = 0; i < hh->n; i++) {
        struct gen_person *p = &hh->members[i];
        if (p->sex != 'M' || p->spouse < 0)
            continue;
        struct gen_person *w = &hh->members[p->spouse];
        int32_t first_child = 0;
        for (size_t j = 0; j < hh->n; j++) {
            const struct gen_person *c = &hh->members[j];
            if (c != p && c != w && c->birth >= w->birth + 16 * 365 &&
                (!first_child || c->birth < first_child))
                first_child = c->birth;
        }
        p->marriage = w->marriage = marriage_date(run, p, w, first_child);
    }
}

/* So that even a small district has a case of the monitoring rule
 * earner_death: the first household of a run whose head is 25-55 and alive
 * with someone else alive loses its head 60 days before the as-of date. No
 * random draw: the rest of the district is as it was. */
static void plant_earner_death(struct gen_run *run, struct gen_household *hh)
{
    struct gen_person *head = NULL;
    size_t alive = 0;
    if (run->earner_planted)
        return;
    for (size_t i = 0; i < hh->n; i++) {
        alive += hh->members[i].death == 0;
        if (!strcmp(hh->members[i].relation, "head"))
            head = &hh->members[i];
    }
    if (!head || head->death || alive < 2 || head->marriage >= run->as_of - 60)
        return;
    int age = ms_date_age_on(head->birth, run->as_of);
    if (age < 25 || age > 55)
        return;
    head->death = run->as_of - 60;
    run->earner_planted = 1;
}

static int assign_ids(struct gen_run *run, struct gen_household *hh, struct ms_err *err)
{
    int32_t adult_cut;
    ms_date_add_months(run->as_of, -12 * 18, &adult_cut);
    for (size_t i = 0; i < hh->n; i++) {
        struct gen_person *p = &hh->members[i];
        int origin = draw_origin(run, p->birth, p->birth <= adult_cut);
        if (make_id_number(run, p, origin, err) < 0)
            return err->code;
    }
    return 0;
}

/* One household, at most `room` residents (the last one of a run is cut to
 * fit exactly, keeping its head). */
static int make_household(struct gen_run *run, struct gen_household *hh, size_t room,
                          struct ms_err *err)
{
    struct build b = {.run = run, .hh = hh};
    memset(hh, 0, sizeof(*hh));
    hh->members = ms_arena_calloc(&run->chunk_arena, MAX_MEMBERS, sizeof(struct gen_person));
    struct gen_place *pl = draw_place(run);
    hh->region_code = pl->code;
    hh->place_id = pl->id;
    hh->place_name = pl->name;
    hh->town_name = pl->town;
    hh->is_urban = gen__rng_unit(&run->rng) < urban_share[pl->urban_class];
    snprintf(hh->number, sizeof(hh->number), "%s%06u", pl->code, ++pl->households);
    b.ethnicity = draw_ethnicity(run);
    build_members(&b, draw_type(run, hh->is_urban));
    make_address(run, hh);
    if (hh->n > room) {
        /* The run's last household, cut to fit: its head alone. */
        for (size_t i = 0; i < hh->n; i++)
            if (strcmp(hh->members[i].relation, "head") == 0) {
                hh->members[0] = hh->members[i];
                b.ages[0] = b.ages[i];
                b.surnames[0] = b.surnames[i];
            }
        hh->members[0].spouse = -1;
        hh->n = 1;
    }
    finish_members(&b);
    plant_earner_death(run, hh);
    return assign_ids(run, hh, err);
}

/* --- storing a chunk ------------------------------------------------------------------ */

struct chunk {
    struct gen_run *run;
    struct gen_household *hh;
    size_t n;
    uint64_t code_state; /* at the chunk's start, so a retry draws the same codes */
    struct gen_stats added;
};

static int store_person(struct registry_bulk *bulk, const struct gen_household *hh,
                        struct gen_person *p, int64_t household_id, struct ms_err *err)
{
    char birth[MS_DATE_BUF], death[MS_DATE_BUF] = "";
    ms_date_format(p->birth, birth);
    if (p->death)
        ms_date_format(p->death, death);
    struct registry_resident_new in = {.name = p->name,
                                       .id_number = p->id_number,
                                       .sex = p->sex == 'M' ? "M" : "F",
                                       .birth_date = birth,
                                       .phone = p->phone[0] ? p->phone : NULL,
                                       .ethnicity = p->ethnicity,
                                       .hukou_type = hh->is_urban ? "urban" : "rural",
                                       .residence = {hh->region_code, hh->place_id, hh->address},
                                       .household_id = household_id,
                                       .relation = p->relation};
    return registry_bulk_resident(bulk, &in, p->death ? "deceased" : "alive", death, &p->id,
                                  p->code, err);
}

static int store_events(struct registry_bulk *bulk, struct chunk *c, const struct gen_household *hh,
                        struct ms_err *err)
{
    int32_t recent_births;
    ms_date_add_months(c->run->as_of, -60, &recent_births);
    for (size_t i = 0; i < hh->n; i++) {
        const struct gen_person *p = &hh->members[i];
        char date[MS_DATE_BUF], detail[64];
        if (p->birth > recent_births) {
            ms_date_format(p->birth, date);
            if (registry_bulk_event(bulk, p->id, "birth", date, NULL, err) < 0)
                return err->code;
            c->added.births++;
        }
        if (p->marriage && p->spouse >= 0) {
            ms_date_format(p->marriage, date);
            snprintf(detail, sizeof(detail), "{\"spouse\":\"%s\"}", hh->members[p->spouse].code);
            if (registry_bulk_event(bulk, p->id, "marriage", date, detail, err) < 0)
                return err->code;
            c->added.marriages += p->sex == 'M';
        }
        if (p->death) {
            ms_date_format(p->death, date);
            if (registry_bulk_event(bulk, p->id, "death", date, NULL, err) < 0)
                return err->code;
            c->added.deceased++;
        }
    }
    return 0;
}

static int store_household(struct registry_bulk *bulk, struct chunk *c, struct gen_household *hh,
                           struct ms_err *err)
{
    struct registry_household_new hin = {hh->number, {hh->region_code, hh->place_id, hh->address}};
    if (registry_bulk_household(bulk, &hin, &hh->id, err) < 0)
        return err->code;
    for (size_t i = 0; i < hh->n; i++)
        if (store_person(bulk, hh, &hh->members[i], hh->id, err) < 0)
            return err->code;
    c->added.residents += hh->n;
    c->added.households++;
    return store_events(bulk, c, hh, err);
}

static int chunk_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct chunk *c = ctx;
    struct gen_run *run = c->run;
    struct registry_bulk bulk;
    run->code_state = c->code_state;
    memset(&c->added, 0, sizeof(c->added));
    int rc = registry_bulk_begin(&bulk, st, run->actor, &run->code_state, err);
    for (size_t i = 0; rc == 0 && i < c->n; i++) {
        rc = store_household(&bulk, c, &c->hh[i], err);
        if (rc == 0 && run->o->progress && (i & 15) == 15)
            run->o->progress(run->done + c->added.residents, run->o->residents,
                             run->o->progress_ctx);
    }
    struct gen_chunk gc = {c->hh, c->n, run->done, run->as_of};
    /* The roll first: the feeds tag and plant the rules over it. */
    if (rc == 0 && run->o->roll)
        rc = gen__roll_chunk(run->o->roll, st, &gc, run->actor, err);
    if (rc == 0 && run->o->after_chunk)
        rc = run->o->after_chunk(st, &gc, run->o->hook_ctx, err);
    if (rc == 0)
        rc = registry_bulk_end(&bulk, "registry.generate", err);
    c->added.events = bulk.n_events;
    registry_bulk_release(&bulk);
    return rc;
}

/* --- the steps ------------------------------------------------------------------------ */

static int step_check(struct gen_run *run, struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(run->st, gen_sql_count_residents, &s, err) < 0)
        return err->code;
    int rc = store_step(s, err);
    int64_t n = rc == STORE_ROW ? store_col_int64(s, 0) : 0;
    store_reset(s);
    if (rc < 0)
        return rc;
    if (n > 0)
        return ms_err_set(err, MS_ECONFLICT,
                          "the registry already holds %lld residents; generate into a fresh "
                          "database (minsheng migrate --db NEW, then import the places)",
                          (long long)n);
    return 0;
}

static int step_places(struct gen_run *run, struct ms_err *err)
{
    struct place *p;
    int *depths;
    size_t n;
    if (placenames_tree(run->st, NULL, &run->places_arena, &p, &depths, &n, err) < 0)
        return err->code;
    run->places = ms_arena_calloc(&run->places_arena, n ? n : 1, sizeof(*run->places));
    run->place_cdf = ms_arena_calloc(&run->places_arena, n + 1, sizeof(double));
    const char *town = "", *town_kind = "";
    /* Tree order: each town or street is followed by its villages and
     * communities. Weights are relative sizes (docs/gen.md). */
    for (size_t i = 0; i < n; i++) {
        if (strcmp(p[i].kind, "town") == 0 || strcmp(p[i].kind, "street") == 0) {
            town = p[i].name;
            town_kind = p[i].kind;
            continue;
        }
        int is_village = strcmp(p[i].kind, "village") == 0;
        if ((!is_village && strcmp(p[i].kind, "community") != 0) || strlen(p[i].region_code) != 12)
            continue;
        struct gen_place *g = &run->places[run->n_places];
        g->id = p[i].id;
        g->code = p[i].region_code;
        g->name = p[i].name;
        g->town = town;
        g->urban_class = is_village ? 0 : strcmp(town_kind, "street") == 0 ? 2 : 1;
        static const double weight[3] = {0.8, 1.5, 3.5};
        run->place_cdf[run->n_places + 1] = run->place_cdf[run->n_places] + weight[g->urban_class];
        run->n_places++;
    }
    if (!run->n_places)
        return ms_err_set(err, MS_ENOTFOUND,
                          "the places table has no villages or communities; import them first: "
                          "minsheng places import --file data/wansheng/placenames.csv --db ...");
    run->stats.places = run->n_places;
    return 0;
}

static int store_chunk(struct gen_run *run, struct gen_household *hh, size_t n, struct ms_err *err)
{
    struct chunk c = {.run = run, .hh = hh, .n = n, .code_state = run->code_state};
    int rc = store_tx(run->st, chunk_tx, &c, err);
    if (rc < 0)
        return rc;
    run->done += c.added.residents;
    run->stats.residents += c.added.residents;
    run->stats.households += c.added.households;
    run->stats.events += c.added.events;
    run->stats.deceased += c.added.deceased;
    run->stats.births += c.added.births;
    run->stats.marriages += c.added.marriages;
    if (run->o->progress)
        run->o->progress(run->done, run->o->residents, run->o->progress_ctx);
    return 0;
}

static int step_residents(struct gen_run *run, struct ms_err *err)
{
    size_t chunk = run->o->chunk_residents ? run->o->chunk_residents : GEN_DEFAULT_CHUNK;
    size_t cap = chunk / 2 + MAX_MEMBERS;
    size_t total = run->o->residents, made = 0;
    while (made < total) {
        struct gen_household *hh = ms_arena_calloc(&run->chunk_arena, cap, sizeof(*hh));
        size_t n = 0, in_chunk = 0;
        while (made < total && in_chunk < chunk && n < cap) {
            if (make_household(run, &hh[n], total - made, err) < 0)
                return err->code;
            made += hh[n].n;
            in_chunk += hh[n].n;
            n++;
        }
        int rc = store_chunk(run, hh, n, err);
        ms_arena_reset(&run->chunk_arena);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* The assistance roll's paid history, once every enrolment is there. */
static int step_roll(struct gen_run *run, struct ms_err *err)
{
    return run->o->roll ? gen__roll_history(run->o->roll, run->st, run->actor, err) : 0;
}

/* What a run does, in order. Department feeds of later issues (deaths
 * reported by the police, pensions, insurance) add steps here, after
 * "residents", or a chunk hook (gen_options.after_chunk). */
static const struct gen_step gen_steps[] = {
    {"check", step_check},         /* the registry is empty */
    {"places", step_places},       /* villages and communities, with weights */
    {"residents", step_residents}, /* households, residents, life events */
    {"roll", step_roll},           /* the assistance roll's payment history */
    {NULL, NULL},
};

static int setup(struct gen_run *run, const struct gen_options *o, struct ms_err *err)
{
    if (o->residents < 1 || o->residents > GEN_MAX_RESIDENTS)
        return ms_err_field(err, MS_EFIELD, "residents", "residents must be 1 to %d",
                            GEN_MAX_RESIDENTS);
    if (o->as_of) {
        if (ms_date_parse(o->as_of, &run->as_of, err) < 0) {
            snprintf(err->field, sizeof(err->field), "as_of");
            return err->code;
        }
        if (run->as_of > ms_date_today_cst())
            return ms_err_field(err, MS_EFIELD, "as_of", "as_of must not be in the future");
    } else {
        run->as_of = ms_date_today_cst();
    }
    gen__rng_seed(&run->rng, o->seed);
    run->code_state = o->seed ^ 0x6D696E7368656E67ull; /* "minsheng" */
    run->phone_offset = gen__rng_next(&run->rng) % 100000000u;
    build_pyramid(run);
    ms_date_add_months(run->as_of, -12 * HISTORY_YEARS, &run->day_min);
    run->n_days = (size_t)(run->as_of - run->day_min) + 1;
    run->seq_used = ms_xcalloc((size_t)N_ORIGINS * run->n_days * 2, sizeof(uint16_t));
    ms_arena_init(&run->places_arena, 0);
    ms_arena_init(&run->chunk_arena, 256 * 1024);
    return 0;
}

int gen_district(struct store *st, const struct gen_options *o, const struct ms_actor *actor,
                 struct gen_stats *stats, struct ms_err *err)
{
    struct gen_run run = {.o = o, .st = st, .actor = actor};
    if (setup(&run, o, err) < 0)
        return err->code;
    int rc = 0;
    for (const struct gen_step *s = gen_steps; rc == 0 && s->name; s++)
        rc = s->run(&run, err);
    if (stats)
        *stats = run.stats;
    free(run.seq_used);
    ms_arena_release(&run.places_arena);
    ms_arena_release(&run.chunk_arena);
    return rc;
}
