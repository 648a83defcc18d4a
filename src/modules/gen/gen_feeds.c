/*
 * gen_feeds.c - the department feeds of a synthetic district (issue #4 item
 * 1; docs/gen.md, "Department feeds"): who appears in which feed, with what
 * facts, and the ground truth of every row.
 *
 * Shape: the chunk hook walks each chunk's households and persons. For each
 * person a table of makers (makers[] below) decides, with the shares of one
 * table of rates (feed_rates), whether the person appears in a feed, and
 * writes the rows: one for a death, twelve for a year of pensions. Each
 * series of rows shares one identity as the department recorded it, with
 * the default noise of gen_noise.c. Now and then a synthetic person who is
 * not in the registry (an "absent twin": someone of about the same age and
 * circumstances, from another county) gets a series too, and a few rows are
 * spoiled on purpose (bad_kinds[]).
 *
 * Determinism and independence from the district: every person's decisions
 * come from a random stream seeded by the feeds' seed and the person's ID
 * number, so the district's own stream is never touched, the chunk size
 * changes nothing, and the state kept across chunks is a handful of
 * counters (row numbers, which bad kinds were made). Unemployment benefits
 * follow registrations inside one person's turn, for the same reason.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"
#include "core/date.h"
#include "core/idcard.h"
#include "core/money.h"
#include "core/uscc.h"
#include "core/xalloc.h"
#include "modules/gen/gen_int.h"
#include "modules/policy/policy.h"

_Static_assert(GEN_FEEDS == GEN_FEED_COUNT, "gen.h and gen_int.h disagree on the feeds");

/* Who appears in which feed: the shares (docs/gen.md repeats them). */
/* clang-format off */
static const struct {
    double death_police, death_certificate, cremation; /* of deaths in the district */
    double hukou_change;                               /* of residents, in 12 months */
    double insurance_16_59, insurance_60;              /* enrolled, by age */
    double paid_after_death;                           /* of deceased pensioners */
    double pension_double;                             /* of living pensioners */
    double impossible_age;                             /* children 6-15 with wages */
    double unemployment, unemployment_benefit;         /* of 16-59; of those registered */
    double employed;                                   /* of 18-59: contribution wages */
    double medical_under_60, medical_60_74, medical_75; /* settlements a year, by age */
    double disability_under_60, disability_60;         /* certificates, by age */
    double business;                                   /* of adults */
    double vehicle;                                    /* of households */
    double student_aid;                                /* of 6-22 in poorer households */
    double absent;                                     /* rows of people not in the registry */
    double bad;                                        /* rows spoiled on purpose */
    double employee_history_urban, employee_history_rural; /* employee pension, if not employed */
    double edge_fall;                                  /* households whose wage stops */
    double roll_plant[GEN_ROLL_PLANTS];                /* of households on the roll now */
    double meal_60_79, meal_80;                        /* meal subsidy users, by age */
    double meal_after_death;                           /* of users who die in the window */
    double identity_change;                            /* of pensioners who die in the window */
    double remote_pension, remote_assist;              /* paid elsewhere, harmless */
    double remote_case;                                /* roll members also assisted elsewhere */
    double estate_urban[3];                            /* urban households: 1, 2, 3 homes */
    double estate_rural[3];                            /* rural: a homestead, 1 or 2 flats */
    double shop;                                       /* urban owners: a shop or office too */
    double sold;                                       /* owners: a cancelled (sold) home too */
} feed_rates = {
    .death_police = 0.97, .death_certificate = 0.80, .cremation = 0.60,
    .hukou_change = 0.02,
    .insurance_16_59 = 0.70, .insurance_60 = 0.90,
    .paid_after_death = 0.05,
    .pension_double = 0.01,
    .impossible_age = 0.003,
    .unemployment = 0.03, .unemployment_benefit = 0.60,
    .employed = 0.35,
    .medical_under_60 = 0.05, .medical_60_74 = 0.14, .medical_75 = 0.22,
    .disability_under_60 = 0.045, .disability_60 = 0.11,
    .business = 0.04,
    .vehicle = 0.15,
    .student_aid = 0.05,
    .absent = 0.03,
    .bad = 0.005,
    .employee_history_urban = 0.55, .employee_history_rural = 0.20,
    .edge_fall = 0.004,
    /* enum roll_plant: vehicle, business, wage above, unemployment (cases);
     * closed business, wage at the threshold, wage before the enrolment's
     * row, old registration (near misses) */
    .roll_plant = {0.03, 0.02, 0.04, 0.04, 0.02, 0.02, 0.02, 0.02},
    .meal_60_79 = 0.06, .meal_80 = 0.15, /* placeholders: rules.md §6 gives no share */
    .meal_after_death = 0.10,
    .identity_change = 0.03,
    /* placeholders: no figure for benefits drawn in two regions */
    .remote_pension = 0.01, .remote_assist = 0.002, .remote_case = 0.03,
    /* placeholders: no published Wansheng figure (docs/gen.md) */
    .estate_urban = {0.66, 0.12, 0.02}, .estate_rural = {0.10, 0.12, 0.02},
    .shop = 0.04, .sold = 0.15,
};
/* clang-format on */

#define N_EMPLOYERS    300
#define PENSION_DAY    10 /* pensions are paid on the 10th of the month */
#define BENEFIT_DAY    15 /* unemployment benefit on the 15th */
#define BENEFIT_MONTHS 6  /* benefit months after a registration, at most */

/* --- the feeds, as src/modules/exchange/feeds/<name>.json defines them ----------------- */

#define O GEN_COL_OTHER
#define I GEN_COL_ID
#define N GEN_COL_NAME
#define S GEN_COL_SEX
#define B GEN_COL_BIRTH
#define P GEN_COL_PHONE
#define R GEN_COL_REGION
#define F GEN_COL_FACT_DATE
#define M GEN_COL_MONEY
#define E GEN_COL_ENUM
#define U GEN_COL_USCC
#define Q GEN_COL_PERIOD

/* clang-format off */
const struct gen_feed_def gen__feed_defs[GEN_FEED_COUNT] = {
    {"death_police", GEN_FEED_CSV_GBK, 1,
     {"注销编号", "姓名", "公民身份号码", "性别", "出生日期", "死亡日期", "注销原因", "户籍地区划代码"},
     {O, N, I, S, B, F, E, R}, {0, -1}},
    {"death_certificate", GEN_FEED_JSONL, 0,
     {"cert_no", "name", "id_number", "sex", "birth_date", "death_date", "hospital", "cause_icd10",
      "address_code"},
     {O, N, I, S, B, F, O, O, R}, {0, -1}},
    {"cremation", GEN_FEED_CSV, 0,
     {"火化证号", "逝者姓名", "证件号码", "性别", "出生日期", "死亡日期", "火化日期", "家属联系电话"},
     {O, N, I, S, B, F, O, P}, {0, -1}},
    {"hukou_change", GEN_FEED_CSV_GBK, 1,
     {"业务流水号", "姓名", "公民身份号码", "性别", "出生日期", "变动类型", "变动日期", "户籍地区划代码"},
     {O, N, I, S, B, E, F, R}, {0, -1}},
    {"insurance_enrolment", GEN_FEED_CSV, 0,
     {"参保登记号", "姓名", "身份证号码", "性别", "出生日期", "险种", "参保状态", "参保日期",
      "单位统一社会信用代码", "联系电话"},
     {O, N, I, S, B, E, O, F, U, P}, {0, -1}},
    {"pension_payment", GEN_FEED_CSV_GBK, 1,
     {"发放流水号", "姓名", "身份证号码", "性别", "出生日期", "险种", "发放年月", "发放金额", "发放日期",
      "社保个人编号"},
     {O, N, I, S, B, E, O, M, F, O}, {0, -1}},
    {"unemployment_registration", GEN_FEED_CSV, 0,
     {"登记编号", "姓名", "身份证号码", "性别", "出生日期", "登记日期", "失业原因", "联系电话",
      "居住地区划代码"},
     {O, N, I, S, B, F, E, P, R}, {0, -1}},
    {"unemployment_benefit", GEN_FEED_CSV, 0,
     {"发放流水号", "姓名", "身份证号码", "发放年月", "发放金额", "发放日期", "性别", "出生日期"},
     {O, N, I, O, M, F, S, B}, {0, -1}},
    {"contribution_wage", GEN_FEED_CSV, 0,
     {"记录号", "姓名", "身份证号码", "单位统一社会信用代码", "单位名称", "费款所属期", "缴费工资",
      "性别", "出生日期"},
     {O, N, I, U, O, Q, M, S, B}, {0, -1}},
    {"medical_settlement", GEN_FEED_JSONL, 0,
     {"settle_no", "name", "id_number", "sex", "birth_date", "settle_date", "visit_type", "total",
      "fund_paid", "self_paid", "hospital"},
     {O, N, I, S, B, F, E, M, O, O, O}, {0, -1}},
    {"disability_certificate", GEN_FEED_CSV_GBK, 0,
     {"残疾人证号", "姓名", "身份证号", "性别", "出生日期", "残疾类别", "残疾等级", "发证日期",
      "联系电话", "户籍地区划代码"},
     {O, N, I, S, B, E, O, F, P, R}, {0, -1}},
    {"business_registration", GEN_FEED_CSV, 0,
     {"统一社会信用代码", "主体名称", "主体类型", "经营者姓名", "经营者身份证号", "成立日期", "登记状态",
      "注册资本（万元）", "经营场所区划代码"},
     {U, O, E, N, I, F, O, M, R}, {0, -1}},
    {"vehicle", GEN_FEED_CSV_GBK, 0,
     {"号牌种类", "号牌号码", "车辆类型", "所有人", "身份证明号码", "初次登记日期", "购置价格",
      "机动车状态", "联系电话"},
     {O, O, E, N, I, F, M, O, P}, {0, 1}},
    {"student_aid", GEN_FEED_CSV, 0,
     {"学籍号", "学生姓名", "身份证件号", "性别", "出生日期", "学校名称", "学段", "入学日期", "困难类型",
      "家庭住址区划代码"},
     {O, N, I, S, B, O, E, F, O, R}, {0, -1}},
    {"meal_subsidy", GEN_FEED_CSV, 0,
     {"补贴编号", "姓名", "身份证号码", "联系电话", "居住地区划代码", "助餐点名称", "补贴年月", "就餐次数",
      "补贴金额", "结算日期"},
     {O, N, I, P, R, O, Q, O, M, F}, {0, -1}},
    {"remote_benefit", GEN_FEED_CSV, 0,
     {"记录编号", "姓名", "身份证号码", "性别", "出生日期", "发放地区划代码", "待遇类别", "待遇年月",
      "发放金额", "发放日期"},
     {O, N, I, S, B, O, E, Q, M, F}, {0, -1}},
    {"real_estate", GEN_FEED_CSV_GBK, 0,
     {"不动产权证书号", "权利人", "证件号码", "坐落", "规划用途", "权利类型", "建筑面积（平方米）",
      "登记时间", "权属状态"},
     {O, N, I, O, E, O, M, F, O}, {0, -1}},
};
/* clang-format on */

#undef O
#undef I
#undef N
#undef S
#undef B
#undef P
#undef R
#undef F
#undef M
#undef E
#undef U
#undef Q

/* --- deliberately bad rows ----------------------------------------------------------- */

enum bad_kind { BAD_EMPTY, BAD_DATE, BAD_AMOUNT, BAD_ENUM, BAD_USCC, BAD_COUNT };

static const char *const bad_tags[BAD_COUNT] = {
    "bad:empty_required",  /* the name, which every feed requires, left empty */
    "bad:impossible_date", /* 20230230, or a 13th month */
    "bad:amount",          /* negative, or with text in it */
    "bad:enum",            /* a value outside the definition's list */
    "bad:uscc",            /* a credit code with a wrong check character */
};

/* The monitoring rules' parameters as the monitor module's migrations seed
 * them (policy values of 2026; docs/monitor.md): the generator tags every
 * row that meets a rule's definition on the as-of date with the rule's id,
 * so recall and precision can be measured per rule. A changed policy value
 * no longer matches the truth. */
/* clang-format off */
static const struct {
    int64_t oop_threshold_fen, income_base_fen;
    int income_share_pct, oop_window_months;
    int disability_days, student_days, earner_days;
    int earner_age_min, earner_age_max, alone_age;
} monitor_defaults = {
    .oop_threshold_fen = 2000000, .income_base_fen = 3759500,
    .income_share_pct = 50, .oop_window_months = 12,
    .disability_days = 90, .student_days = 365, .earner_days = 180,
    .earner_age_min = 16, .earner_age_max = 59, .alone_age = 80,
};
/* clang-format on */

/* The parameters of the rules over the roll and of the near-allowance
 * fall, read from the policy table on the as-of date (the values the scan
 * uses): a changed value is a changed truth. */
struct rule_params {
    int64_t wage_threshold_fen, std_urban, std_rural;
    int64_t unemployment_days, edge_window, edge_history, edge_pct;
    int64_t rigid_window, rigid_pct, rigid_min_fen, income_base_fen;
};

/* Planted around the roll (plant_roll()): cases first, near misses after. */
enum roll_plant {
    RP_VEHICLE,
    RP_BUSINESS,
    RP_WAGE,
    RP_UNEMPLOYED,
    RP_CASES,
    RP_BUSINESS_CLOSED = RP_CASES,
    RP_WAGE_AT_LINE,
    RP_WAGE_BEFORE,
    RP_UNEMPLOYED_OLD,
    RP_COUNT
};

_Static_assert(RP_COUNT == GEN_ROLL_PLANTS, "gen.h and gen_feeds.c disagree on the plants");

/* --- the run ------------------------------------------------------------------------ */

/* What steers later rows' draws: an absent twin's ID sequence counts the
 * absent rows made so far, and a spoiled row prefers the bad kinds not made
 * yet. The feeds added after the first sixteen (GEN_FEED_REAL_ESTATE on)
 * keep their own, so adding one left every other feed's rows as they were. */
struct steer {
    size_t absent, bad[BAD_COUNT];
};

struct counters {
    size_t rows[GEN_FEED_COUNT];
    size_t bad[BAD_COUNT];
    struct steer steer[2]; /* [0] the first sixteen feeds, [1] those added later */
    size_t clean, noisy, absent, planted;
    size_t roll_plants[RP_COUNT], edge_falls, child_wages, student_cases, paid_after;
    size_t meal_after, identity_changes, remote_cases;
};

/* An income row (wage, pension, benefit) of a household's member, as the
 * first pass over the household saw it (plan_household()). */
enum income_cls { INC_CLEAN, INC_NOISY, INC_BAD };

struct income_row {
    unsigned char member, feed, cls;
    int32_t period;
    int64_t fen;
};

/* The household being made: what the roll did with it, and what the feeds
 * do with its income rows. */
struct plan {
    const struct gen_household *hh;
    const struct gen_roll_hh *roll; /* NULL: no roll */
    int capture;                    /* first pass: record income rows, write nothing */
    struct income_row *rows;
    size_t n, alloc;
    int exact_income; /* the living members' income rows exact and never spoiled */
    int rigid_exact;  /* and their medical rows (rigid_expenditure_hardship may fire) */
    int rigid;        /* the household is a case of rigid_expenditure_hardship */
    int edge;         /* and tagged edge_income_no_assistance */
    int cut_member;   /* whose wage stops from cut_from (-1: none) */
    int32_t cut_from;
};

struct employer {
    char uscc[MS_USCC_BUF];
    char name[64];
};

struct gen_feeds {
    struct gen_feed_out *out;
    uint64_t seed; /* the feeds' stream, apart from the district's */
    int months;
    int has_window;
    int32_t as_of, first_period, last_period; /* periods: first day of the month */
    struct counters cur, saved;               /* saved: at the pending chunk's start */
    int has_pending;
    size_t pending_first;
    uint64_t code_offset;
    struct employer employers[N_EMPLOYERS];
    struct ms_str line;
    const struct gen_roll *roll; /* NULL: no roll */
    int has_params;
    struct rule_params rule;
    int32_t recent_from, history_from, this_month; /* the near-allowance windows */
    int32_t rigid_from;                            /* rigid spending's first month */
    struct plan plan_buf;
    struct plan *plan;  /* the household being made; NULL in a probe */
    int32_t row_period; /* the income row being emitted: its month and amount */
    int64_t row_fen;
    int exact_idents; /* plant_roll(): every identity exact */
    int student_kind; /* plant_student(): the difficulty, or -1 (drawn) */
    size_t person_pensions; /* pension rows before the person's (make_remote()) */
    unsigned left_out;      /* feeds (bits) whose makers do not run (gen__feeds_leave_out()) */
};

/* A row being built: values in column order, and its feed. */
struct row {
    int feed;
    char v[GEN_FEED_MAX_COLS][GEN_FEED_VALUE_MAX];
};

static int col_of(int feed, enum gen_col_role role)
{
    const struct gen_feed_def *d = &gen__feed_defs[feed];
    for (int c = 0; c < GEN_FEED_MAX_COLS && d->cols[c]; c++)
        if (d->roles[c] == role)
            return c;
    return -1;
}

static struct steer *steer_of(struct gen_feeds *fx, int feed)
{
    return &fx->cur.steer[feed >= GEN_FEED_REAL_ESTATE];
}

static void set(struct row *row, int col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set(struct row *row, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(row->v[col], GEN_FEED_VALUE_MAX, fmt, ap);
    va_end(ap);
}

static void row_init(struct row *row, int feed)
{
    row->feed = feed;
    memset(row->v, 0, sizeof(row->v));
}

static void put_date(struct row *row, int col, int32_t day)
{
    int y, m, d;
    ms_date_to_ymd(day, &y, &m, &d);
    if (gen__feed_defs[row->feed].compact_dates)
        set(row, col, "%04d%02d%02d", y, m, d);
    else
        set(row, col, "%04d-%02d-%02d", y, m, d);
}

static void put_money(struct row *row, int col, int64_t fen)
{
    char buf[MS_MONEY_BUF];
    ms_money_format(fen, buf);
    set(row, col, "%s", buf);
}

static int age_on(int32_t birth, int32_t day)
{
    return day < birth ? -1 : ms_date_age_on(birth, day);
}

static double unit(struct gen_rng *r)
{
    return gen__rng_unit(r);
}

static int range(struct gen_rng *r, int lo, int hi)
{
    return gen__rng_range(r, lo, hi);
}

/* A day in [lo, hi] (hi < lo gives lo). */
/* A day in [lo, hi]. When the window is empty the upper bound wins: it is
 * always "not after the as-of date" or "before the death", and a fact dated
 * after either would be refused by the importer as being in the future. */
static int32_t day_between(struct gen_rng *r, int32_t lo, int32_t hi)
{
    if (hi <= lo)
        return hi;
    return lo + (int32_t)(gen__rng_next(r) % (uint64_t)(hi - lo + 1));
}

static int32_t add_months(int32_t day, int months)
{
    int32_t out = day;
    ms_date_add_months(day, months, &out);
    return out;
}

static const char *pick(struct gen_rng *r, const char *const *list, size_t n)
{
    return list[gen__rng_next(r) % n];
}

#define PICK(r, list) pick(r, list, sizeof(list) / sizeof((list)[0]))

/* An index into weights (relative, summing to total > 0). */
static int pick_weight(struct gen_rng *r, const unsigned *weights, int n)
{
    unsigned total = 0;
    for (int i = 0; i < n; i++)
        total += weights[i];
    unsigned x = (unsigned)(gen__rng_next(r) % total);
    for (int i = 0; i < n; i++) {
        if (x < weights[i])
            return i;
        x -= weights[i];
    }
    return n - 1;
}

/* --- identity columns and the truth --------------------------------------------------- */

static unsigned identity_mask(int feed)
{
    static const unsigned bit[] = {[GEN_COL_ID] = GEN_F_ID,       [GEN_COL_NAME] = GEN_F_NAME,
                                   [GEN_COL_SEX] = GEN_F_SEX,     [GEN_COL_BIRTH] = GEN_F_BIRTH,
                                   [GEN_COL_PHONE] = GEN_F_PHONE, [GEN_COL_REGION] = GEN_F_REGION};
    const struct gen_feed_def *d = &gen__feed_defs[feed];
    unsigned mask = 0;
    for (int c = 0; c < GEN_FEED_MAX_COLS && d->cols[c]; c++)
        if (d->roles[c] <= GEN_COL_REGION)
            mask |= bit[d->roles[c]];
    return feed == GEN_FEED_REAL_ESTATE ? mask | GEN_F_ID_CERTIFIED : mask;
}

/* The identity of s as one feed records it: with the default noise for a
 * resident, exactly for someone not in the registry. One per series. */
static void ident_for(struct gen_feeds *fx, struct gen_rng *r, int feed,
                      const struct gen_subject *s, struct gen_ident *id)
{
    if (s->p && !fx->exact_idents)
        gen__ident_noisy(r, s, identity_mask(feed), fx->as_of, id);
    else
        gen__ident_exact(s, id);
}

static void put_identity(struct row *row, const struct gen_ident *id)
{
    const struct gen_feed_def *d = &gen__feed_defs[row->feed];
    int is_jsonl = d->format == GEN_FEED_JSONL;
    for (int c = 0; c < GEN_FEED_MAX_COLS && d->cols[c]; c++) {
        switch (d->roles[c]) {
        case GEN_COL_ID:
            set(row, c, "%s", id->id_number);
            break;
        case GEN_COL_NAME:
            set(row, c, "%s", id->name);
            break;
        case GEN_COL_SEX: /* GB/T 2261.1 codes in JSON, the words in Chinese CSV */
            set(row, c, "%s",
                !id->sex   ? ""
                : is_jsonl ? (id->sex == 'M' ? "1" : "2")
                           : (id->sex == 'M' ? "男" : "女"));
            break;
        case GEN_COL_BIRTH:
            if (id->has_birth)
                put_date(row, c, id->birth);
            break;
        case GEN_COL_PHONE:
            set(row, c, "%s", id->phone);
            break;
        case GEN_COL_REGION:
            set(row, c, "%s", id->region);
            break;
        default:
            break;
        }
    }
}

/* Which bad kinds a row can carry. */
static int bad_applies(const struct row *row, enum bad_kind k)
{
    int f = row->feed;
    switch (k) {
    case BAD_EMPTY:
        return col_of(f, GEN_COL_NAME) >= 0;
    case BAD_DATE:
        return col_of(f, GEN_COL_FACT_DATE) >= 0 || col_of(f, GEN_COL_PERIOD) >= 0;
    case BAD_AMOUNT:
        return col_of(f, GEN_COL_MONEY) >= 0;
    case BAD_ENUM:
        return col_of(f, GEN_COL_ENUM) >= 0;
    case BAD_USCC: {
        int c = col_of(f, GEN_COL_USCC);
        return c >= 0 && strlen(row->v[c]) == MS_USCC_LEN;
    }
    default:
        return 0;
    }
}

static void spoil_date(struct gen_rng *r, struct row *row)
{
    static const char *const impossible[] = {"0230", "0231", "0431", "0631", "0931", "1131"};
    int c = col_of(row->feed, GEN_COL_FACT_DATE);
    char year[5];
    if (c >= 0) {
        snprintf(year, sizeof(year), "%.4s", row->v[c][0] ? row->v[c] : "2024");
        const char *md = PICK(r, impossible);
        if (gen__feed_defs[row->feed].compact_dates)
            set(row, c, "%s%s", year, md);
        else
            set(row, c, "%s-%.2s-%.2s", year, md, md + 2);
        return;
    }
    c = col_of(row->feed, GEN_COL_PERIOD);
    snprintf(year, sizeof(year), "%.4s", row->v[c]);
    set(row, c, strchr(row->v[c], '-') ? "%s-13" : "%s13", year);
}

static void spoil_uscc(struct gen_rng *r, struct row *row)
{
    static const char symbols[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    char *code = row->v[col_of(row->feed, GEN_COL_USCC)];
    char old = code[MS_USCC_LEN - 1];
    do
        code[MS_USCC_LEN - 1] = symbols[range(r, 0, 30)];
    while (code[MS_USCC_LEN - 1] == old);
}

/* Spoils a row with one applicable kind, preferring kinds not made yet so
 * that every kind shows up early in a run. */
static enum bad_kind spoil(struct gen_feeds *fx, struct gen_rng *r, struct row *row)
{
    enum bad_kind options[BAD_COUNT], k = BAD_EMPTY;
    int n = 0;
    for (int i = 0; i < BAD_COUNT; i++)
        if (bad_applies(row, (enum bad_kind)i))
            options[n++] = (enum bad_kind)i;
    for (int i = 0; i < n; i++)
        if (steer_of(fx, row->feed)->bad[options[i]] == 0) {
            k = options[i];
            goto chosen;
        }
    k = options[range(r, 0, n - 1)];
chosen:;
    char *v;
    switch (k) {
    case BAD_EMPTY:
        row->v[col_of(row->feed, GEN_COL_NAME)][0] = '\0';
        break;
    case BAD_DATE:
        spoil_date(r, row);
        break;
    case BAD_AMOUNT: {
        v = row->v[col_of(row->feed, GEN_COL_MONEY)];
        char old[GEN_FEED_VALUE_MAX];
        snprintf(old, sizeof(old), "%s", v[0] ? v : "100.00");
        snprintf(v, GEN_FEED_VALUE_MAX, unit(r) < 0.5 ? "-%s" : "%s元", old);
        break;
    }
    case BAD_ENUM:
        set(row, col_of(row->feed, GEN_COL_ENUM), "未知");
        break;
    case BAD_USCC:
        spoil_uscc(r, row);
        break;
    default:
        break;
    }
    fx->cur.bad[k]++;
    steer_of(fx, row->feed)->bad[k]++;
    return k;
}

static int is_income_feed(int feed)
{
    return feed == GEN_FEED_PENSION_PAYMENT || feed == GEN_FEED_UNEMPLOYMENT_BENEFIT ||
           feed == GEN_FEED_CONTRIBUTION_WAGE;
}

/* The rows a plan looks at: income, and self-paid medical costs. */
static int is_plan_feed(int feed)
{
    return is_income_feed(feed) || feed == GEN_FEED_MEDICAL_SETTLEMENT;
}

/* The plan's view of an income or medical row of one of its household's
 * members: the first pass records it (returns 1: write nothing); the
 * second makes it exact (and tags it) when the plan says so. */
static int plan_row(struct gen_feeds *fx, struct row *row, const struct gen_subject *s,
                    int would_bad, const struct gen_ident **id, struct gen_ident *exact,
                    const char **plant, int *forced)
{
    struct plan *pl = fx->plan;
    if (!pl || !s->p || s->hh != pl->hh || !is_plan_feed(row->feed))
        return pl && pl->capture;
    if (pl->capture) {
        if (pl->n == pl->alloc) {
            pl->alloc = pl->alloc ? 2 * pl->alloc : 64;
            pl->rows = ms_xrealloc(pl->rows, pl->alloc * sizeof(*pl->rows));
        }
        pl->rows[pl->n++] = (struct income_row){.member = (unsigned char)(s->p - pl->hh->members),
                                                .feed = (unsigned char)row->feed,
                                                .cls = would_bad        ? INC_BAD
                                                       : (*id)->tags[0] ? INC_NOISY
                                                                        : INC_CLEAN,
                                                .period = fx->row_period,
                                                .fen = fx->row_fen};
        return 1;
    }
    int is_income = is_income_feed(row->feed);
    if (!(is_income ? pl->exact_income || pl->rigid_exact : pl->rigid_exact) || s->p->death)
        return 0;
    gen__ident_exact(s, exact);
    put_identity(row, exact);
    *id = exact;
    *forced = 1;
    if (is_income && pl->edge && !(*plant && (*plant)[0]) && fx->row_period >= fx->history_from &&
        fx->row_period < fx->this_month)
        *plant = "edge_income_no_assistance";
    return 0;
}

/* Writes a row and its truth line. */
static void emit(struct gen_feeds *fx, struct gen_rng *r, struct row *row,
                 const struct gen_subject *s, const struct gen_ident *id, const char *plant)
{
    const struct gen_feed_def *d = &gen__feed_defs[row->feed];
    /* Whether the row is spoiled is drawn for every row, and how from a
     * stream of its own: so the person's stream goes on the same whether
     * or not the row is then kept clean (a plan's or a plant's). */
    int would_bad = unit(r) < feed_rates.bad, forced = 0;
    uint64_t spoil_seed = would_bad ? gen__rng_next(r) : 0;
    struct gen_ident exact;
    if (plan_row(fx, row, s, would_bad, &id, &exact, &plant, &forced))
        return;
    const char *status = !s->p ? "absent" : id->tags[0] ? "noisy" : "clean";
    /* a planted row is never spoiled: it must reach the rules */
    int is_bad = would_bad && !(plant && plant[0]) && !forced;
    char noise[256];
    snprintf(noise, sizeof(noise), "%s", id->tags);
    if (is_bad) {
        struct gen_rng sr;
        gen__rng_seed(&sr, spoil_seed);
        enum bad_kind k = spoil(fx, &sr, row);
        snprintf(noise, sizeof(noise), "%s%s%s", bad_tags[k], id->tags[0] ? ";" : "", id->tags);
        status = "bad";
    } else if (!s->p) {
        fx->cur.absent++;
        steer_of(fx, row->feed)->absent++;
    } else if (id->tags[0]) {
        fx->cur.noisy++;
    } else {
        fx->cur.clean++;
    }
    if (plant && plant[0])
        fx->cur.planted++;
    if (!fx->out) {
        /* A probe (gen__feeds_probe()): count the resident's own rows. */
        fx->cur.rows[row->feed] += s->p != NULL;
        return;
    }
    gen__out_row(fx->out, row->feed, row->v);
    size_t row_no = ++fx->cur.rows[row->feed];

    struct ms_str *l = &fx->line;
    ms_str_reset(l);
    ms_str_addf(l, "%s,%zu,", d->name, row_no);
    char key[2 * GEN_FEED_VALUE_MAX + 2] = "";
    for (int k = 0; k < 2 && d->key[k] >= 0; k++)
        snprintf(key + strlen(key), sizeof(key) - strlen(key), "%s%s", k ? "|" : "",
                 row->v[(int)d->key[k]]);
    gen__csv_field(l, key);
    ms_str_addf(l, ",%s,%s,%d,", is_bad ? "" : s->code, status,
                !is_bad && s->p ? id->id_usable : 0);
    gen__csv_field(l, noise);
    ms_str_addch(l, ',');
    ms_str_adds(l, plant ? plant : "");
    gen__out_truth(fx->out, l->buf);
}

/* The household of s is on the roll on the as-of date, and s is alive. */
static const struct gen_roll_hh *assisted(const struct gen_feeds *fx, const struct gen_subject *s)
{
    const struct plan *pl = fx->plan;
    return pl && pl->roll && pl->roll->active && s->p && !s->p->death && s->hh == pl->hh ? pl->roll
                                                                                         : NULL;
}

/* The row number the next row of a feed gets: record numbers use it, so
 * they never repeat within a feed. */
static size_t serial(const struct gen_feeds *fx, int feed)
{
    return fx->cur.rows[feed] + 1;
}

/* --- synthetic organisations: credit codes, employers, schools, hospitals -------------- */

/* GB 32100 code for serial n of a series: authority and kind ("91"), the
 * district's region, an organisation code "M" + series letter + six
 * characters that walk a permutation of 31^6 (so codes never repeat), its
 * GB 11714 check character, and the code's check character. */
static void make_uscc(const struct gen_feeds *fx, const char *kind, char series, uint64_t n,
                      char out[MS_USCC_BUF])
{
    static const char symbols[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    const uint64_t space = 31ull * 31 * 31 * 31 * 31 * 31;
    uint64_t v = (n * 48271u + fx->code_offset) % space;
    char org[10];
    org[0] = 'M';
    org[1] = series;
    for (int i = 7; i >= 2; i--) {
        org[i] = symbols[v % 31];
        v /= 31;
    }
    org[8] = ms_uscc_org_check_char(org);
    org[9] = '\0';
    snprintf(out, MS_USCC_BUF, "%s500110%s", kind, org);
    out[17] = ms_uscc_check_char(out);
    out[18] = '\0';
}

/* Trade names: generic words of Chinese shop and company names, combined;
 * no combination is claimed to exist. */
static const char *const trade_words[] = {
    "鑫源", "兴旺", "顺发", "福满", "金叶", "宏达", "惠民", "永盛", "富民", "众诚",
    "新星", "佳和", "德丰", "恒通", "隆昌", "瑞祥", "天成", "华越", "锦程", "鼎盛",
    "安泰", "益康", "广源", "盛达", "嘉禾", "和顺", "旺达", "聚丰", "万通", "博远"};
static const char *const industries[] = {"建材",     "商贸",     "物流", "建筑劳务", "农业开发",
                                         "餐饮管理", "机械制造", "矿业", "旅游开发", "物业管理"};

static void make_employers(struct gen_feeds *fx)
{
    size_t nw = sizeof(trade_words) / sizeof(trade_words[0]);
    size_t ni = sizeof(industries) / sizeof(industries[0]);
    for (size_t i = 0; i < N_EMPLOYERS; i++) {
        struct employer *e = &fx->employers[i];
        make_uscc(fx, "91", 'A', i, e->uscc);
        snprintf(e->name, sizeof(e->name), "万盛%s%s有限公司", trade_words[i % nw],
                 industries[(i / nw) % ni]);
    }
}

/* Employers are of very different sizes: a few big ones employ most. */
static int draw_employer(struct gen_rng *r)
{
    double u = unit(r);
    return (int)(u * u * u * N_EMPLOYERS);
}

/* Hospitals and schools of a made-up area name (渝南), not real ones. */
static const char *draw_hospital(struct gen_rng *r)
{
    static const char *const h[] = {"渝南第一人民医院", "渝南第二人民医院", "渝南中医院",
                                    "渝南妇幼保健院",   "渝南康宁医院",     "渝南仁济医院"};
    return PICK(r, h);
}

/* --- the subject: a resident, or an absent twin ------------------------------------- */

static uint64_t hash_text(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static void subject_of(struct gen_feeds *fx, struct gen_rng *r, const struct gen_household *hh,
                       const struct gen_person *p, struct gen_subject *s)
{
    memset(s, 0, sizeof(*s));
    s->p = p;
    s->hh = hh;
    s->code = p->code;
    snprintf(s->name, sizeof(s->name), "%s", p->name);
    snprintf(s->id_number, sizeof(s->id_number), "%s", p->id_number);
    snprintf(s->phone, sizeof(s->phone), "%s", p->phone);
    s->sex = p->sex;
    s->birth = p->birth;
    s->death = p->death;
    snprintf(s->region, sizeof(s->region), "%s", hh->region_code);
    s->town = hh->town_name;
    s->is_urban = hh->is_urban;
    s->hh_type = hh->type;
    int age = age_on(p->birth, fx->first_period);
    int is_employed = unit(r) < feed_rates.employed;
    int employer = draw_employer(r);
    double history = unit(r);
    s->employer =
        age >= 18 && age <= 59 && (!p->death || p->death > fx->first_period) && is_employed
            ? employer
            : -1;
    s->has_employer_history =
        s->employer >= 0 || history < (s->is_urban ? feed_rates.employee_history_urban
                                                   : feed_rates.employee_history_rural);
}

/* A stream of its own for a planted case of a person (tweak: the plant), so
 * that planting draws nothing from the person's stream and leaves every
 * other row as it was. */
static void plant_rng(const struct gen_feeds *fx, const struct gen_subject *s, uint64_t tweak,
                      struct gen_rng *out)
{
    gen__rng_seed(out, fx->seed ^ hash_text(s->id_number) ^ tweak);
}

/* Counties whose ID numbers no resident carries: people who live, work or
 * die here but are registered elsewhere (渝北, 沙坪坝, 江津, 大足, 大渡口
 * and 习水 across the Guizhou border). */
static const char *const absent_counties[] = {"500112", "500106", "500116",
                                              "500111", "500104", "520330"};

/* Someone not in the registry who looks like s: about the same age, the
 * same sex and circumstances, another county's ID number and another name. */
static void make_twin(struct gen_feeds *fx, struct gen_rng *r, int feed,
                      const struct gen_subject *s, struct gen_subject *t)
{
    *t = *s;
    t->p = NULL;
    t->hh = NULL;
    t->code = "";
    t->wage_end = 0;
    t->town = NULL;
    t->birth = day_between(r, s->birth - 120, s->birth + 120);
    if (t->birth >= fx->as_of)
        t->birth = fx->as_of - 1;
    if (t->death && t->death <= t->birth)
        t->death = t->birth + 1;
    int y, m, d;
    ms_date_to_ymd(t->birth, &y, &m, &d);
    gen__name(r, t->sex == 'M', y, t->name, sizeof(t->name));
    const char *county = PICK(r, absent_counties);
    /* The sequence comes from a counter, so twins rarely share a number. */
    unsigned seq = (unsigned)(steer_of(fx, feed)->absent % 500) * 2 + (t->sex == 'M');
    snprintf(t->id_number, sizeof(t->id_number), "%s%04d%02d%02d%03u", county, y, m, d, seq);
    t->id_number[17] = ms_idcard_check_char(t->id_number);
    t->id_number[18] = '\0';
    if (unit(r) < 0.5)
        snprintf(t->phone, sizeof(t->phone), "154%08d", range(r, 0, 99999999));
    else
        t->phone[0] = '\0';
    snprintf(t->region, sizeof(t->region), "%s000000", county);
}

/* --- the makers: one per feed (unemployment writes two) ------------------------------ */

struct maker {
    int feed;
    double (*share)(const struct gen_feeds *fx, const struct gen_subject *s);
    void (*make)(struct gen_feeds *fx, struct gen_rng *r, const struct gen_subject *s);
};

static int alive_on(const struct gen_subject *s, int32_t day)
{
    return !s->death || s->death > day;
}

/* Deaths: police, hospital, funeral home. */
static double share_death_police(const struct gen_feeds *fx, const struct gen_subject *s)
{
    (void)fx;
    return s->death ? feed_rates.death_police : 0;
}

static double share_death_certificate(const struct gen_feeds *fx, const struct gen_subject *s)
{
    (void)fx;
    return s->death ? feed_rates.death_certificate : 0;
}

static double share_cremation(const struct gen_feeds *fx, const struct gen_subject *s)
{
    (void)fx;
    return s->death ? feed_rates.cremation : 0;
}

static void make_death_police(struct gen_feeds *fx, struct gen_rng *r, const struct gen_subject *s)
{
    struct row row;
    struct gen_ident id;
    int y, m, d;
    row_init(&row, GEN_FEED_DEATH_POLICE);
    ident_for(fx, r, row.feed, s, &id);
    put_identity(&row, &id);
    ms_date_to_ymd(s->death, &y, &m, &d);
    set(&row, 0, "ZX500110%04d%07zu", y, serial(fx, row.feed));
    put_date(&row, 5, s->death);
    set(&row, 6, "死亡");
    emit(fx, r, &row, s, &id, NULL);
}

static void make_death_certificate(struct gen_feeds *fx, struct gen_rng *r,
                                   const struct gen_subject *s)
{
    static const char *const causes[] = {"I21.9", "I63.9", "I64", "C34.9", "C22.0", "C16.9",
                                         "J44.9", "J18.9", "I10", "E11.9", "N18.9", "R54"};
    struct row row;
    struct gen_ident id;
    int y, m, d;
    row_init(&row, GEN_FEED_DEATH_CERTIFICATE);
    ident_for(fx, r, row.feed, s, &id);
    put_identity(&row, &id);
    ms_date_to_ymd(s->death, &y, &m, &d);
    set(&row, 0, "S500110%04d%07zu", y, serial(fx, row.feed));
    put_date(&row, 5, s->death);
    set(&row, 6, "%s", unit(r) < 0.8 ? draw_hospital(r) : ""); /* at home: no hospital */
    set(&row, 7, "%s", PICK(r, causes));
    emit(fx, r, &row, s, &id, NULL);
}

static void make_cremation(struct gen_feeds *fx, struct gen_rng *r, const struct gen_subject *s)
{
    struct row row;
    struct gen_ident id;
    int y, m, d;
    row_init(&row, GEN_FEED_CREMATION);
    ident_for(fx, r, row.feed, s, &id);
    put_identity(&row, &id);
    ms_date_to_ymd(s->death, &y, &m, &d);
    set(&row, 0, "HH%04d%07zu", y, serial(fx, row.feed));
    put_date(&row, 5, s->death);
    int32_t cremated = s->death + range(r, 1, 5);
    if (cremated < fx->as_of)
        put_date(&row, 6, cremated);
    emit(fx, r, &row, s, &id, NULL);
}

/* Hukou moves of the last twelve months. */
static double share_hukou(const struct gen_feeds *fx, const struct gen_subject *s)
{
    return alive_on(s, add_months(fx->as_of, -12)) ? feed_rates.hukou_change : 0;
}

static void make_hukou(struct gen_feeds *fx, struct gen_rng *r, const struct gen_subject *s)
{
    static const unsigned weights[] = {40, 30, 30};
    static const char *const kinds[] = {"迁入", "迁出", "户内变动"};
    struct row row;
    struct gen_ident id;
    int32_t lo = add_months(fx->as_of, -12), hi = fx->as_of - 1;
    if (s->birth > lo)
        lo = s->birth;
    if (s->death && s->death - 1 < hi)
        hi = s->death - 1;
    int32_t day = day_between(r, lo, hi);
    int y, m, d;
    row_init(&row, GEN_FEED_HUKOU_CHANGE);
    ident_for(fx, r, row.feed, s, &id);
    put_identity(&row, &id);
    ms_date_to_ymd(day, &y, &m, &d);
    set(&row, 0, "HK%04d%02d%02d%07zu", y, m, d, serial(fx, row.feed));
    set(&row, 5, "%s", kinds[pick_weight(r, weights, 3)]);
    put_date(&row, 6, day);
    emit(fx, r, &row, s, &id, NULL);
}

/* Insurance enrolment: a pension scheme, and for employees unemployment
 * and work-injury insurance with the employer's code. */
static double share_insurance(const struct gen_feeds *fx, const struct gen_subject *s)
{
    int age = age_on(s->birth, s->death ? s->death : fx->as_of);
    return age >= 60 ? feed_rates.insurance_60 : age >= 16 ? feed_rates.insurance_16_59 : 0;
}

static void insurance_row(struct gen_feeds *fx, struct gen_rng *r, const struct gen_subject *s,
                          const struct gen_ident *id, const char *scheme, int32_t since,
                          const char *uscc)
{
    static const unsigned working[] = {90, 8, 2}, retired[] = {92, 5, 3};
    static const char *const statuses[] = {"参保缴费", "暂停缴费", "终止参保"};
    struct row row;
    row_init(&row, GEN_FEED_INSURANCE_ENROLMENT);
    put_identity(&row, id);
    set(&row, 0, "CB500110%09zu", serial(fx, row.feed));
    set(&row, 5, "%s", scheme);
    int age = age_on(s->birth, fx->as_of);
    set(&row, 6, "%s",
        s->death ? "终止参保" : statuses[pick_weight(r, age >= 60 ? retired : working, 3)]);
    put_date(&row, 7, since);
    set(&row, 8, "%s", uscc);
    emit(fx, r, &row, s, id, NULL);
}

static void make_insurance(struct gen_feeds *fx, struct gen_rng *r, const struct gen_subject *s)
{
    struct gen_ident id;
    int32_t end = s->death ? s->death - 1 : fx->as_of - 1;
    int32_t adult = add_months(s->birth, 12 * 18), resident_start;
    ms_date_from_ymd(2011, 7, 1, &resident_start); /* urban and rural resident pensions */
    ident_for(fx, r, GEN_FEED_INSURANCE_ENROLMENT, s, &id);
    int employer = s->employer >= 0 ? s->employer : draw_employer(r);
    const char *uscc = fx->employers[employer].uscc;
    if (s->has_employer_history) {
        int32_t lo = adult, floor_day;
        ms_date_from_ymd(1995, 1, 1, &floor_day);
        if (lo < floor_day)
            lo = floor_day;
        int32_t since = day_between(r, lo, add_months(lo, 12 * range(r, 0, 15)));
        insurance_row(fx, r, s, &id, "企业职工基本养老保险", since > end ? end : since, uscc);
    } else {
        int32_t lo = add_months(s->birth, 12 * 16);
        if (lo < resident_start)
            lo = resident_start;
        int32_t since = day_between(r, lo, add_months(lo, 36));
        insurance_row(fx, r, s, &id, "城乡居民基本养老保险", since > end ? end : since, "");
    }
    if (s->employer < 0)
        return;
    int32_t since = day_between(r, adult, end);
    if (unit(r) < 0.6)
        insurance_row(fx, r, s, &id, "失业保险", since, uscc);
    if (unit(r) < 0.5)
        insurance_row(fx, r, s, &id, "工伤保险", since, uscc);
}

/* Pensions: men from 60, women from 55, every month of the window up to the
 * month of death; a few deceased pensioners go on being paid 1-3 months
 * longer (the planted anomaly). */
static int pension_age(const struct gen_subject *s)
{
    return s->sex == 'M' ? 60 : 55;
}

static double share_pension(const struct gen_feeds *fx, const struct gen_subject *s)
{
    /* Paid through the month of death: alive on the window's first day or later. */
    return age_on(s->birth, fx->last_period) >= pension_age(s) && alive_on(s, fx->first_period - 1)
               ? 1
               : 0;
}

/* The social-insurance personal number (社保个人编号) of s's account in one
 * scheme: the system's own key, never noisy; one per person and scheme
 * (the two schemes are kept in different systems). */
static void pension_account(const struct gen_subject *s, int is_employee, char out[24])
{
    snprintf(out, 24, "5001%013llu%d",
             (unsigned long long)(hash_text(s->id_number) % 10000000000000ull),
             is_employee ? 1 : 2);
}

/* One pension row of s for period, of the employee scheme or the resident
 * one, paid from account. */
static void pension_row(struct gen_feeds *fx, struct gen_rng *r, const struct gen_subject *s,
                        const struct gen_ident *id, int32_t period, int is_employee, int64_t fen,
                        const char *account, const char *plant)
{
    int y, m, d;
    ms_date_to_ymd(period, &y, &m, &d);
    struct row row;
    row_init(&row, GEN_FEED_PENSION_PAYMENT);
    put_identity(&row, id);
    set(&row, 0, "YL%04d%02d%08zu", y, m, serial(fx, row.feed));
    set(&row, 5, "%s", is_employee ? "企业职工基本养老保险" : "城乡居民基本养老保险");
    set(&row, 6, "%04d%02d", y, m);
    put_money(&row, 7, fen);
    put_date(&row, 8, period + PENSION_DAY - 1);
    set(&row, 9, "%s", account);
    fx->row_period = period;
    fx->row_fen = fen;
    emit(fx, r, &row, s, id, plant);
}

/* A few living pensioners are also paid the other scheme's pension for the
 * last 1-3 months of the window (rules.md §4.2 category 3, double receipt). */
static void plant_double_pension(struct gen_feeds *fx, const struct gen_subject *s, int is_employee)
{
    struct gen_rng pr;
    struct gen_ident id;
    plant_rng(fx, s, 0x646f75626c65ull, &pr);
    if (!s->p || s->death || unit(&pr) >= feed_rates.pension_double)
        return;
    gen__ident_exact(s, &id);
    char account[24];
    pension_account(s, !is_employee, account);
    for (int k = range(&pr, 1, 3) - 1; k >= 0; k--) {
        int32_t period = add_months(fx->last_period, -k);
        if (age_on(s->birth, period) < pension_age(s))
            continue;
        pension_row(fx, &pr, s, &id, period, !is_employee, 10 * (int64_t)range(&pr, 1500, 3000),
                    account, "pension_double");
    }
}

/*
 * 双改 (rules.md §4.2 category 7): a few pensioners who die in the window
 * (and always the first one of a run who can be) have their account go on
 * paying, from the month after the death month for 1-3 months, under the
 * identity of a living member of the household (the one who rewrote it):
 * one of 40 or over who is not yet paid a pension of their own in those
 * months, so no other rule's truth changes. Returns that member (the rows
 * are theirs, tagged pension_identity_change), or NULL; *from and *months:
 * the months. Drawn from a stream of its own (pr).
 */
static const struct gen_person *identity_heir(struct gen_feeds *fx, const struct gen_subject *s,
                                              struct gen_rng *pr, int32_t *from, int *months)
{
    if (!s->p || !s->death || ms_date_month_start(s->death) >= fx->last_period)
        return NULL;
    plant_rng(fx, s, 0x736875616e67ull, pr); /* "shuang" */
    if (unit(pr) >= feed_rates.identity_change && fx->cur.identity_changes > 0)
        return NULL;
    *from = add_months(ms_date_month_start(s->death), 1);
    *months = range(pr, 1, 3);
    while (add_months(*from, *months - 1) > fx->last_period)
        (*months)--;
    int32_t to = add_months(*from, *months - 1);
    for (size_t i = 0; i < s->hh->n; i++) {
        const struct gen_person *p = &s->hh->members[i];
        if (p == s->p || p->death || age_on(p->birth, *from) < 40 ||
            age_on(p->birth, to) >= (p->sex == 'M' ? 60 : 55))
            continue;
        fx->cur.identity_changes++;
        return p;
    }
    return NULL;
}

/* The heir's rows of the account of s (identity_heir()). */
static void pension_heir_rows(struct gen_feeds *fx, struct gen_rng *pr, const struct gen_subject *s,
                              const struct gen_person *heir, int32_t from, int months,
                              int is_employee, int64_t fen, const char *account)
{
    struct gen_subject hs;
    struct gen_ident id;
    subject_of(fx, pr, s->hh, heir, &hs);
    gen__ident_exact(&hs, &id);
    for (int k = 0; k < months; k++)
        pension_row(fx, pr, &hs, &id, add_months(from, k), is_employee, fen, account,
                    "pension_identity_change");
}

static void make_pension(struct gen_feeds *fx, struct gen_rng *r, const struct gen_subject *s)
{
    struct gen_ident id;
    int is_employee = s->has_employer_history;
    int64_t fen = is_employee ? 10 * (int64_t)range(r, 20000, 50000) /* 2,000-5,000 yuan */
                              : 10 * (int64_t)range(r, 1500, 3000);  /* 150-300 yuan */
    int extra = 0, paid_after = 0, heir_months = 0;
    char account[24];
    pension_account(s, is_employee, account);
    struct gen_rng hr;
    int32_t heir_from = 0;
    const struct gen_person *heir = identity_heir(fx, s, &hr, &heir_from, &heir_months);
    /* The first pensioner who can be planted always is, so that every run
     * has the anomaly; then the share. An account taken over is not paid
     * to the dead person as well. */
    int is_planted = unit(r) < feed_rates.paid_after_death || fx->cur.paid_after == 0;
    if (s->p && s->death && ms_date_month_start(s->death) < fx->last_period && is_planted) {
        extra = range(r, 1, 3);
        if (heir)
            extra = 0;
        else
            fx->cur.paid_after++;
    }
    ident_for(fx, r, GEN_FEED_PENSION_PAYMENT, s, &id);
    if (extra || heir) /* the planted series carries the registry identity: linkage finds it */
        gen__ident_exact(s, &id);
    for (int k = 0; k < fx->months; k++) {
        int32_t period = add_months(fx->first_period, k);
        if (age_on(s->birth, period) < pension_age(s))
            continue;
        const char *plant = NULL;
        if (s->death && period > s->death) { /* a month after the death month */
            if (paid_after++ >= extra)
                break;
            plant = "paid_after_death";
        }
        pension_row(fx, r, s, &id, period, is_employee, fen, account, plant);
    }
    if (heir)
        pension_heir_rows(fx, &hr, s, heir, heir_from, heir_months, is_employee, fen, account);
    plant_double_pension(fx, s, is_employee);
}

/* Unemployment: a registration in the window, and for most a monthly
 * benefit for up to six months after it (the benefit follows the
 * registration inside one person's turn, so nothing waits across chunks). */
static double share_unemployment(const struct gen_feeds *fx, const struct gen_subject *s)
{
    int age = age_on(s->birth, fx->first_period);
    return age >= 16 && age <= 59 && alive_on(s, fx->first_period) ? feed_rates.unemployment : 0;
}

/* make_wage() writes a contribution row of s for this period. */
static int has_wage(const struct gen_feeds *fx, const struct gen_subject *s, int32_t period)
{
    int age = age_on(s->birth, period);
    return s->employer >= 0 && period >= fx->first_period && period <= fx->last_period &&
           alive_on(s, period) && age >= 18 && age <= 59 && (!s->wage_end || period < s->wage_end);
}

static int benefit_paid(const struct gen_feeds *fx, const struct gen_subject *s, int32_t period)
{
    return period <= fx->last_period && alive_on(s, period + BENEFIT_DAY - 1);
}

/* Benefits follow the registration whether or not the person still has an
 * employer: a benefit month with a contribution month is the anomaly of
 * rules.md §4.2 category 4, tagged unemployment_while_employed. */
static void make_benefits(struct gen_feeds *fx, struct gen_rng *r, const struct gen_subject *s,
                          int32_t registered)
{
    struct gen_ident id;
    int months = range(r, 3, BENEFIT_MONTHS), is_case = 0;
    int64_t fen = 10 * (int64_t)range(r, 16000, 19000); /* 1,600-1,900 yuan a month */
    ident_for(fx, r, GEN_FEED_UNEMPLOYMENT_BENEFIT, s, &id);
    for (int k = 1; k <= months; k++) {
        int32_t period = add_months(ms_date_month_start(registered), k);
        if (!benefit_paid(fx, s, period))
            break;
        is_case |= s->p && has_wage(fx, s, period);
    }
    if (is_case)
        gen__ident_exact(s, &id);
    for (int k = 1; k <= months; k++) {
        int32_t period = add_months(ms_date_month_start(registered), k);
        int32_t pay = period + BENEFIT_DAY - 1;
        if (!benefit_paid(fx, s, period))
            break;
        int y, m, d;
        ms_date_to_ymd(period, &y, &m, &d);
        struct row row;
        row_init(&row, GEN_FEED_UNEMPLOYMENT_BENEFIT);
        put_identity(&row, &id);
        set(&row, 0, "SJ%04d%02d%08zu", y, m, serial(fx, row.feed));
        set(&row, 3, "%04d-%02d", y, m);
        put_money(&row, 4, fen);
        put_date(&row, 5, pay);
        fx->row_period = period;
        fx->row_fen = fen;
        emit(fx, r, &row, s, &id,
             s->p && has_wage(fx, s, period) ? "unemployment_while_employed" : NULL);
    }
}

/* An unemployment registration of s on day; unemployed_assisted_member: a
 * living member of a household on the roll registered in the last N days. */
static void unemployment_row(struct gen_feeds *fx, struct gen_rng *r, const struct gen_subject *s,
                             int32_t day)
{
    static const char *const reasons[] = {"合同到期", "单位裁员", "个人辞职", "毕业未就业", "其他"};
    static const unsigned weights[] = {30, 25, 25, 12, 8};
    struct row row;
    struct gen_ident id;
    int y, m, d;
    row_init(&row, GEN_FEED_UNEMPLOYMENT_REGISTRATION);
    ident_for(fx, r, row.feed, s, &id);
    put_identity(&row, &id);
    ms_date_to_ymd(day, &y, &m, &d);
    set(&row, 0, "SY%04d%02d%07zu", y, m, serial(fx, row.feed));
    put_date(&row, 5, day);
    set(&row, 6, "%s", reasons[pick_weight(r, weights, 5)]);
    int is_case =
        assisted(fx, s) && day > fx->as_of - fx->rule.unemployment_days && day <= fx->as_of;
    if (is_case) {
        gen__ident_exact(s, &id);
        put_identity(&row, &id);
    }
    emit(fx, r, &row, s, &id, is_case ? "unemployed_assisted_member" : NULL);
}

static void make_unemployment(struct gen_feeds *fx, struct gen_rng *r, const struct gen_subject *s)
{
    int32_t hi = s->death ? s->death - 1 : fx->as_of - 1;
    int32_t day = day_between(r, fx->first_period, hi);
    unemployment_row(fx, r, s, day);
    if (unit(r) < feed_rates.unemployment_benefit)
        make_benefits(fx, r, s, day);
}

/* Contribution wages: a row per month of the window for the employed,
 * around a personal wage that is log-normal about 4,500 yuan. */
static double share_wage(const struct gen_feeds *fx, const struct gen_subject *s)
{
    (void)fx;
    return s->employer >= 0 ? 1 : 0;
}

/* One contribution row of s for period; assisted_wage_above: a wage above
 * the threshold of a living member of a household on the roll, in a month
 * of the enrolment's row in force. */
static void wage_row(struct gen_feeds *fx, struct gen_rng *r, const struct gen_subject *s,
                     const struct gen_ident *id, const struct employer *e, int32_t period,
                     int64_t fen, const char *plant)
{
    const struct gen_roll_hh *ro = assisted(fx, s);
    struct gen_ident exact;
    if (!plant && ro && period >= ro->active_start && fen > fx->rule.wage_threshold_fen) {
        plant = "assisted_wage_above";
        gen__ident_exact(s, &exact);
        id = &exact;
    }
    int y, m, d;
    ms_date_to_ymd(period, &y, &m, &d);
    struct row row;
    row_init(&row, GEN_FEED_CONTRIBUTION_WAGE);
    put_identity(&row, id);
    set(&row, 0, "JF%04d%02d%09zu", y, m, serial(fx, row.feed));
    set(&row, 3, "%s", e->uscc);
    set(&row, 4, "%s", e->name);
    set(&row, 5, "%04d%02d", y, m);
    put_money(&row, 6, fen);
    fx->row_period = period;
    fx->row_fen = fen;
    emit(fx, r, &row, s, id, plant);
}

static void make_wage(struct gen_feeds *fx, struct gen_rng *r, const struct gen_subject *s)
{
    struct gen_ident id;
    double wage = 4500.0 * exp(0.4 * gen__rng_normal(r));
    if (wage < 2100) /* the lowest contribution base */
        wage = 2100;
    if (wage > 30000)
        wage = 30000;
    const struct employer *e = &fx->employers[s->employer];
    ident_for(fx, r, GEN_FEED_CONTRIBUTION_WAGE, s, &id);
    for (int k = 0; k < fx->months; k++) {
        int32_t period = add_months(fx->first_period, k);
        int age = age_on(s->birth, period);
        if (!alive_on(s, period) || age > 59)
            break;
        if (age < 18)
            continue;
        int64_t fen = (int64_t)llround(wage * (0.95 + 0.1 * unit(r)) * 10) * 10;
        if (s->wage_end && period >= s->wage_end)
            continue; /* drawn all the same: the stream goes on as without the fall */
        wage_row(fx, r, s, &id, e, period, fen, NULL);
    }
}

/* Medical settlements in the window: more for the elderly; total =
 * fund_paid + self_paid, mostly inpatient, a few large. */
static double share_medical(const struct gen_feeds *fx, const struct gen_subject *s)
{
    return alive_on(s, fx->first_period) ? 1 : 0; /* the count is drawn in make_medical() */
}

/* Builds a settlement of day into row; returns the self-paid fen. */
static int64_t medical_row(struct gen_rng *r, const struct gen_ident *id, int32_t day,
                           struct row *row)
{
    int is_inpatient = unit(r) < 0.85;
    double total;
    if (!is_inpatient)
        total = 200 + 1800 * unit(r);
    else if (unit(r) < 0.02)
        total = 50000 + 250000 * unit(r); /* the few large ones */
    else
        total = 6000 * exp(0.7 * gen__rng_normal(r));
    int64_t total_fen = llround(total * 100);
    double fund_share = is_inpatient ? 0.55 + 0.25 * unit(r) : 0.50 + 0.20 * unit(r);
    int64_t fund_fen = llround((double)total_fen * fund_share);
    row_init(row, GEN_FEED_MEDICAL_SETTLEMENT);
    put_identity(row, id);
    put_date(row, 5, day);
    set(row, 6, "%s", is_inpatient ? "inpatient" : "outpatient_chronic");
    put_money(row, 7, total_fen);
    put_money(row, 8, fund_fen);
    put_money(row, 9, total_fen - fund_fen);
    set(row, 10, "%s", draw_hospital(r));
    return total_fen - fund_fen;
}

/* medical_oop_high: self-paid in the 12 months up to the as-of date above
 * the fixed amount or the share of income. */
static int is_oop_high(int64_t fen)
{
    return fen > monitor_defaults.oop_threshold_fen ||
           fen * 100 > monitor_defaults.income_base_fen * monitor_defaults.income_share_pct;
}

static void make_medical(struct gen_feeds *fx, struct gen_rng *r, const struct gen_subject *s)
{
    int age = age_on(s->birth, fx->as_of);
    double yearly = age >= 75   ? feed_rates.medical_75
                    : age >= 60 ? feed_rates.medical_60_74
                                : feed_rates.medical_under_60;
    /* Poisson count with mean yearly * months / 12 (Knuth's method). */
    double limit = exp(-yearly * fx->months / 12.0), prod = unit(r);
    int n = 0;
    while (prod > limit && n < 12) {
        n++;
        prod *= unit(r);
    }
    if (!n)
        return;
    struct gen_ident id;
    struct row rows[12];
    int32_t days[12], from = add_months(fx->as_of, -monitor_defaults.oop_window_months);
    int64_t in_window = 0, fens[12];
    ident_for(fx, r, GEN_FEED_MEDICAL_SETTLEMENT, s, &id);
    int32_t hi = s->death ? s->death - 1 : fx->as_of - 1;
    for (int k = 0; k < n; k++) {
        days[k] = day_between(r, fx->first_period, hi);
        fens[k] = medical_row(r, &id, days[k], &rows[k]);
        if (days[k] > from)
            in_window += fens[k];
    }
    int is_case = s->p && !s->death && is_oop_high(in_window);
    if (is_case) {
        gen__ident_exact(s, &id);
        for (int k = 0; k < n; k++)
            put_identity(&rows[k], &id);
    }
    for (int k = 0; k < n; k++) {
        int y, m, d;
        ms_date_to_ymd(days[k], &y, &m, &d);
        set(&rows[k], 0, "JS%04d%02d%02d%08zu", y, m, d, serial(fx, GEN_FEED_MEDICAL_SETTLEMENT));
        fx->row_period = ms_date_month_start(days[k]); /* for the plan (rigid spending) */
        fx->row_fen = fens[k];
        emit(fx, r, &rows[k], s, &id, is_case && days[k] > from ? "medical_oop_high" : NULL);
    }
}

/* Disability certificates: the number is the ID number, the category
 * digit and the grade digit (the 残联 form, 20 characters). */
static double share_disability(const struct gen_feeds *fx, const struct gen_subject *s)
{
    return age_on(s->birth, fx->as_of) >= 60 ? feed_rates.disability_60
                                             : feed_rates.disability_under_60;
}

static void make_disability(struct gen_feeds *fx, struct gen_rng *r, const struct gen_subject *s)
{
    static const char *const categories[] = {"视力", "听力", "言语", "肢体",
                                             "智力", "精神", "多重"};
    static const unsigned cat_weights[] = {12, 15, 2, 45, 8, 10, 8};
    static const char *const grades[] = {"一级", "二级", "三级", "四级"};
    static const unsigned grade_weights[] = {10, 20, 30, 40};
    struct row row;
    struct gen_ident id;
    int cat = pick_weight(r, cat_weights, 7), grade = pick_weight(r, grade_weights, 4);
    int32_t lo = add_months(fx->as_of, -120), hi = s->death ? s->death - 1 : fx->as_of - 1;
    if (lo <= s->birth)
        lo = s->birth + 30;
    if (lo > hi)
        return; /* too young for a certificate yet */
    row_init(&row, GEN_FEED_DISABILITY_CERTIFICATE);
    ident_for(fx, r, row.feed, s, &id);
    put_identity(&row, &id);
    set(&row, 0, "%s%d%d", s->id_number, cat + 1, grade + 1);
    set(&row, 5, "%s", categories[cat]);
    set(&row, 6, "%s", grades[grade]);
    int32_t issued = day_between(r, lo, hi);
    put_date(&row, 7, issued);
    /* disability_severe_new: grade 1-2 issued in the last 90 days, alive */
    int is_case =
        s->p && !s->death && grade <= 1 && issued > fx->as_of - monitor_defaults.disability_days;
    if (is_case) {
        gen__ident_exact(s, &id);
        put_identity(&row, &id);
    }
    emit(fx, r, &row, s, &id, is_case ? "disability_severe_new" : NULL);
}

/* assisted_vehicle_business: a vehicle in use (正常) or a business in
 * operation (存续) of a living member of a household on the roll. */
static void emit_asset(struct gen_feeds *fx, struct row *row, const struct gen_subject *s,
                       struct gen_ident *id, int is_in_use, struct gen_rng *r)
{
    int is_case = is_in_use && assisted(fx, s);
    if (is_case) {
        gen__ident_exact(s, id);
        put_identity(row, id);
    }
    emit(fx, r, row, s, id, is_case ? "assisted_vehicle_business" : NULL);
}

/* Business registrations: mostly individual businesses (个体工商户, code
 * kind 92), some limited companies (91) and cooperatives (93). */
static double share_business(const struct gen_feeds *fx, const struct gen_subject *s)
{
    return age_on(s->birth, fx->as_of) >= 18 ? feed_rates.business : 0;
}

static void business_name(struct gen_rng *r, int kind, const struct gen_subject *s, char *out,
                          size_t size)
{
    static const char *const shops[] = {"便利店", "副食店", "餐馆",   "五金店",     "理发店",
                                        "农家乐", "服装店", "茶馆",   "汽车修理部", "建材经营部",
                                        "水果店", "药店",   "小吃店", "家电维修部"};
    static const char *const farms[] = {"种植", "养殖", "果蔬", "茶叶", "中药材"};
    if (kind == 0)
        snprintf(out, size, "万盛区%s%s", PICK(r, trade_words), PICK(r, shops));
    else if (kind == 1)
        snprintf(out, size, "万盛%s%s有限公司", PICK(r, trade_words), PICK(r, industries));
    else
        snprintf(out, size, "万盛区%s%s%s专业合作社", s->town ? s->town : "", PICK(r, trade_words),
                 PICK(r, farms));
}

/* A business of s founded from the day from (0: any), with the status
 * drawn, or fixed (0 存续, 1 注销, 2 吊销; -1: drawn). */
static void business_row(struct gen_feeds *fx, struct gen_rng *r, const struct gen_subject *s,
                         int32_t from, int fixed_status)
{
    static const unsigned kinds[] = {80, 15, 5};
    static const char *const kind_names[] = {"个体工商户", "有限责任公司", "农民专业合作社"};
    static const char *const codes[] = {"92", "91", "93"};
    static const unsigned statuses[] = {85, 12, 3};
    static const char *const status_names[] = {"存续", "注销", "吊销"};
    struct row row;
    struct gen_ident id;
    int kind = pick_weight(r, kinds, 3);
    int32_t lo = add_months(s->birth, 12 * 18), floor_day;
    ms_date_from_ymd(1998, 1, 1, &floor_day);
    if (lo < floor_day)
        lo = floor_day;
    if (lo < from)
        lo = from;
    int32_t founded = day_between(r, lo, s->death ? s->death - 1 : fx->as_of - 1);
    row_init(&row, GEN_FEED_BUSINESS_REGISTRATION);
    ident_for(fx, r, row.feed, s, &id);
    put_identity(&row, &id);
    make_uscc(fx, codes[kind], 'B', serial(fx, row.feed), row.v[0]);
    business_name(r, kind, s, row.v[1], GEN_FEED_VALUE_MAX);
    set(&row, 2, "%s", kind_names[kind]);
    put_date(&row, 5, founded);
    int status = fixed_status >= 0 ? fixed_status : pick_weight(r, statuses, 3);
    set(&row, 6, "%s", s->death && status == 0 ? "注销" : status_names[status]);
    static const int capital_max[] = {20, 500, 100}; /* 万元 */
    if (kind != 0 || unit(r) < 0.5)
        put_money(&row, 7, 100 * (int64_t)range(r, 1, capital_max[kind]));
    emit_asset(fx, &row, s, &id, status == 0, r);
}

static void make_business(struct gen_feeds *fx, struct gen_rng *r, const struct gen_subject *s)
{
    business_row(fx, r, s, 0, -1);
}

/* Vehicles: one for some households, owned by the head or the spouse. */
static double share_vehicle(const struct gen_feeds *fx, const struct gen_subject *s)
{
    (void)fx;
    return s->p && strcmp(s->p->relation, "head") == 0 ? feed_rates.vehicle : 0;
}

/* A plate of 渝D: a letter and four digits walking a permutation (so plates
 * never repeat), past 240,000 a letter and four letters or digits. */
static void make_plate(const struct gen_feeds *fx, size_t n, char *out, size_t size)
{
    static const char letters[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";         /* no I, O */
    static const char alnum[] = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"; /* 34 */
    uint64_t v;
    if (n < 240000) {
        v = ((uint64_t)n * 7919u + fx->code_offset) % 240000u;
        snprintf(out, size, "渝D%c%04u", letters[v / 10000], (unsigned)(v % 10000));
        return;
    }
    v = ((uint64_t)n * 7919u + fx->code_offset) % (24ull * 34 * 34 * 34 * 34);
    char tail[5];
    for (int i = 3; i >= 0; i--) {
        tail[i] = alnum[v % 34];
        v /= 34;
    }
    snprintf(out, size, "渝D%c%.4s", letters[v % 24], tail);
}

/* A vehicle of s first registered from the day from (0: any), with the
 * status drawn, or fixed (0 正常, 1 注销, 2 转出; -1: drawn). */
static void vehicle_row(struct gen_feeds *fx, struct gen_rng *r, const struct gen_subject *s,
                        int32_t from, int fixed_status)
{
    static const char *const kinds[] = {"小型轿车", "小型普通客车", "轻型货车", "普通二轮摩托车",
                                        "三轮汽车"};
    static const unsigned weights[] = {60, 10, 10, 15, 5};
    static const int price_lo[] = {60000, 50000, 60000, 3000, 8000};
    static const int price_hi[] = {250000, 120000, 150000, 12000, 20000};
    static const unsigned statuses[] = {90, 6, 4};
    static const char *const status_names[] = {"正常", "注销", "转出"};
    struct row row;
    struct gen_ident id;
    int kind = pick_weight(r, weights, 5);
    int32_t lo = add_months(s->birth, 12 * 18), floor_day;
    ms_date_from_ymd(2005, 1, 1, &floor_day);
    if (lo < floor_day)
        lo = floor_day;
    if (lo < from)
        lo = from;
    row_init(&row, GEN_FEED_VEHICLE);
    ident_for(fx, r, row.feed, s, &id);
    put_identity(&row, &id);
    set(&row, 0, "%s", kind == 3 ? "07" : "02"); /* 07: ordinary motorcycles */
    make_plate(fx, serial(fx, row.feed), row.v[1], GEN_FEED_VALUE_MAX);
    set(&row, 2, "%s", kinds[kind]);
    put_date(&row, 5, day_between(r, lo, fx->as_of - 1));
    if (unit(r) < 0.9)
        put_money(&row, 6, 100 * (int64_t)range(r, price_lo[kind], price_hi[kind]));
    int status = fixed_status >= 0 ? fixed_status : pick_weight(r, statuses, 3);
    set(&row, 7, "%s", status_names[status]);
    emit_asset(fx, &row, s, &id, status == 0, r);
}

/* Who a household's vehicle or home is registered to: the head, or the
 * spouse (40%); NULL when that one is dead or not adult. spouse holds the
 * spouse's subject when chosen. */
static const struct gen_subject *asset_owner(struct gen_feeds *fx, struct gen_rng *r,
                                             const struct gen_subject *head,
                                             struct gen_subject *spouse)
{
    const struct gen_subject *s = head;
    if (head->p && head->p->spouse >= 0 && unit(r) < 0.4) {
        subject_of(fx, r, head->hh, &head->hh->members[head->p->spouse], spouse);
        s = spouse;
    }
    return s->death || age_on(s->birth, fx->as_of) < 18 ? NULL : s;
}

static void make_vehicle(struct gen_feeds *fx, struct gen_rng *r, const struct gen_subject *head)
{
    struct gen_subject spouse;
    const struct gen_subject *s = asset_owner(fx, r, head, &spouse);
    if (s)
        vehicle_row(fx, r, s, 0, -1);
}

/* Student aid: pupils and students of 6-22 from rural, single-parent and
 * skipped-generation households. School names are made up (渝南...). */
static double share_student(const struct gen_feeds *fx, const struct gen_subject *s)
{
    int age = age_on(s->birth, fx->as_of);
    int is_poorer = !s->is_urban || strcmp(s->hh_type, "single_parent") == 0 ||
                    strcmp(s->hh_type, "skip_generation") == 0;
    return age >= 6 && age <= 22 && !s->death && is_poorer ? feed_rates.student_aid : 0;
}

static void make_student(struct gen_feeds *fx, struct gen_rng *r, const struct gen_subject *s)
{
    static const char *const places[] = {"渝南", "东林", "青山", "金桥",
                                         "南溪", "石林", "丛林", "鱼田"};
    static const char *const stages[] = {"小学", "初中", "高中", "中职", "专科", "本科"};
    static const char *const schools[] = {"育才小学", "实验中学",     "第一中学", "第一中学",
                                          "职业中学", "职业技术学院", "师范学院"};
    static const int start_age[] = {6, 12, 15, 15, 18, 18};
    static const char *const kinds[] = {"低保家庭", "特困供养", "低保边缘家庭", "防止返贫监测对象",
                                        "其他困难"};
    static const unsigned kind_weights[] = {30, 5, 20, 20, 25};
    int age = age_on(s->birth, fx->as_of);
    int stage = age < 12        ? 0
                : age < 15      ? 1
                : age < 18      ? (unit(r) < 0.8 ? 2 : 3)
                : unit(r) < 0.6 ? 4
                                : 5;
    int y, m, d;
    ms_date_to_ymd(s->birth, &y, &m, &d);
    int32_t enrolled;
    ms_date_from_ymd(y + start_age[stage] + (m > 8), 9, 1, &enrolled);
    if (enrolled >= fx->as_of)
        enrolled = add_months(enrolled, -12);
    struct row row;
    struct gen_ident id;
    row_init(&row, GEN_FEED_STUDENT_AID);
    ident_for(fx, r, row.feed, s, &id);
    put_identity(&row, &id);
    set(&row, 0, "G%s", s->id_number); /* the national student number */
    set(&row, 5, "%s%s", PICK(r, places), schools[stage == 5 ? 6 : stage == 4 ? 5 : stage]);
    set(&row, 6, "%s", stages[stage]);
    put_date(&row, 7, enrolled);
    int kind = fx->student_kind >= 0 ? fx->student_kind : pick_weight(r, kind_weights, 5);
    set(&row, 8, "%s", kinds[kind]);
    /* student_edge_university: a near-allowance family's student entering
     * college or university in the last year */
    int is_case =
        s->p && stage >= 4 && kind == 2 && enrolled > fx->as_of - monitor_defaults.student_days;
    if (is_case) {
        gen__ident_exact(s, &id);
        put_identity(&row, &id);
        fx->cur.student_cases++;
    }
    emit(fx, r, &row, s, &id, is_case ? "student_edge_university" : NULL);
}

/* A monthly row of the feeds whose key is PREFIX + YYYYMM + a serial: the
 * identity, the key and the month (YYYY-MM) in column period_col. */
static void month_row(struct gen_feeds *fx, struct row *row, int feed, const struct gen_ident *id,
                      const char *prefix, int32_t period, int period_col)
{
    int y, m, d;
    ms_date_to_ymd(period, &y, &m, &d);
    row_init(row, feed);
    put_identity(row, id);
    set(row, 0, "%s%04d%02d%07zu", prefix, y, m, serial(fx, row->feed));
    set(row, period_col, "%04d-%02d", y, m);
}

/* Emits such a row with its amount (column 8) and the day it was paid
 * (column 9, the as-of date at the latest). */
static void emit_paid(struct gen_feeds *fx, struct gen_rng *r, struct row *row,
                      const struct gen_subject *s, const struct gen_ident *id, int32_t period,
                      int64_t fen, int32_t paid, const char *plant)
{
    put_money(row, 8, fen);
    put_date(row, 9, paid > fx->as_of ? fx->as_of : paid);
    fx->row_period = period;
    fx->row_fen = fen;
    emit(fx, r, row, s, id, plant);
}

/* Elderly meal subsidies (老年助餐, rules.md §6): a share of people of 60
 * and over eat at a community canteen and are subsidised per meal; the
 * canteen's monthly list, settled by 民政 on the 5th of the next month,
 * has a row per person and month of the window while they are alive (the
 * death month if they lived past its 5th). Shares and amounts are
 * placeholders (rules.md §6: the Wansheng subsidy and take-up are [U]).
 * meal_subsidy_after_death: a few users who die are subsidised 1-2 months
 * after the death month (the canteen's list kept them). */
#define MEAL_SETTLE_DAY 5

/* s died in the window early enough for a month after the death month to
 * be in it, and was 60 or over and alive at its start: it can be planted. */
static int meal_plantable(const struct gen_feeds *fx, const struct gen_subject *s)
{
    return s->p && s->death && s->death > fx->first_period &&
           ms_date_month_start(s->death) < fx->last_period &&
           age_on(s->birth, fx->first_period) >= 60;
}

static double share_meal(const struct gen_feeds *fx, const struct gen_subject *s)
{
    int age = age_on(s->birth, fx->first_period);
    if (age < 60 || !alive_on(s, fx->first_period))
        return 0;
    /* the first user who can be planted of a run always is one */
    if (fx->cur.meal_after == 0 && meal_plantable(fx, s))
        return 1;
    return age >= 80 ? feed_rates.meal_80 : feed_rates.meal_60_79;
}

static void make_meal(struct gen_feeds *fx, struct gen_rng *r, const struct gen_subject *s)
{
    static const char *const canteens[] = {"幸福食堂", "长者食堂", "老年助餐点", "邻里食堂",
                                           "爱心餐厅"};
    int age = age_on(s->birth, fx->first_period);
    int64_t per_meal = age >= 80 ? 300 : 200; /* fen a meal: placeholder tiers */
    int usual = range(r, 8, 26);              /* lunches a month */
    int extra = 0, after = 0;
    if (meal_plantable(fx, s) &&
        (unit(r) < feed_rates.meal_after_death || fx->cur.meal_after == 0)) {
        extra = range(r, 1, 2);
        fx->cur.meal_after++;
    }
    char canteen[96];
    snprintf(canteen, sizeof(canteen), "%s%s", s->town ? s->town : "渝南", PICK(r, canteens));
    struct gen_ident id;
    ident_for(fx, r, GEN_FEED_MEAL_SUBSIDY, s, &id);
    if (extra) /* the planted series carries the registry identity: linkage finds it */
        gen__ident_exact(s, &id);
    for (int k = 0; k < fx->months; k++) {
        int32_t period = add_months(fx->first_period, k);
        const char *plant = NULL;
        if (s->death && period > s->death) { /* a month after the death month */
            if (after++ >= extra)
                break;
            plant = "meal_subsidy_after_death";
        } else if (s->death && s->death < period + MEAL_SETTLE_DAY) {
            continue; /* died in the first days of the month: no meals */
        }
        int meals = usual + range(r, -3, 3);
        int32_t settled = add_months(period, 1) + MEAL_SETTLE_DAY - 1;
        struct row row;
        month_row(fx, &row, GEN_FEED_MEAL_SUBSIDY, &id, "ZC", period, 6);
        set(&row, 5, "%s", canteen);
        set(&row, 7, "%d", meals);
        emit_paid(fx, r, &row, s, &id, period, meals * per_meal, settled, plant);
    }
}

/* Benefits paid by other districts (跨区域待遇享受, the provincial
 * data-sharing platform's monthly list): a few residents draw a benefit
 * elsewhere. Harmless: a pension from another district for someone of 60+
 * with no pension row here, dibao or tekun elsewhere for someone whose
 * household is not on this district's roll. benefit_two_regions: a living
 * member of a household on the roll now is paid the same scheme elsewhere
 * for 1-2 months this district paid too (the roll's history: from the
 * enrolment's start, or the history's first month, to the window's last);
 * the rows carry the registry identity. Shares and amounts are placeholders. */
static const char *const remote_regions[] = {"500222100000", "500101001000", "500113002000",
                                             "500112003000", "500105004000", "520302001000"};

/* The first month the roll paid s's household that the window holds, or 0
 * if s cannot be planted (not a living member of a household on the roll). */
static int32_t remote_paid_from(const struct gen_feeds *fx, const struct gen_subject *s)
{
    const struct gen_roll_hh *ro = fx->plan ? fx->plan->roll : NULL;
    if (!s->p || s->death || !ro || !ro->active)
        return 0;
    int32_t from = add_months(fx->last_period, 1 - GEN_ROLL_HISTORY_MONTHS);
    if (from < ro->start)
        from = ro->start;
    if (from < fx->first_period)
        from = fx->first_period;
    return from <= fx->last_period ? from : 0;
}

static int has_pension_here(const struct gen_feeds *fx)
{
    return fx->cur.rows[GEN_FEED_PENSION_PAYMENT] != fx->person_pensions;
}

static double share_remote(const struct gen_feeds *fx, const struct gen_subject *s)
{
    if (!s->p)
        return 0; /* the platform lists people of our registry */
    if (remote_paid_from(fx, s))
        return fx->cur.remote_cases == 0 ? 1 : feed_rates.remote_case;
    if (fx->plan && fx->plan->roll && fx->plan->roll->enrolled)
        return 0;
    if (age_on(s->birth, fx->first_period) >= 60 && !has_pension_here(fx))
        return feed_rates.remote_pension;
    return feed_rates.remote_assist;
}

static void make_remote(struct gen_feeds *fx, struct gen_rng *r, const struct gen_subject *s)
{
    if (!s->p)
        return;
    int32_t paid_from = remote_paid_from(fx, s), from, to = fx->last_period;
    const char *kind, *plant = NULL;
    int64_t lo, hi;
    struct gen_ident id;
    ident_for(fx, r, GEN_FEED_REMOTE_BENEFIT, s, &id);
    if (paid_from) {
        int span = 0;
        for (int32_t m = paid_from; m < to; m = add_months(m, 1))
            span++;
        from = add_months(paid_from, range(r, 0, span));
        if (from < to && unit(r) < 0.5)
            to = add_months(from, 1);
        else
            to = from;
        kind = fx->plan->roll->scheme ? "特困人员救助供养" : "最低生活保障";
        lo = 50000, hi = 120000;
        plant = "benefit_two_regions";
        gen__ident_exact(s, &id);
        fx->cur.remote_cases++;
    } else if (age_on(s->birth, fx->first_period) >= 60 && !has_pension_here(fx)) {
        from = add_months(fx->first_period, range(r, 0, fx->months - 1));
        kind = "养老保险待遇";
        lo = 150000, hi = 400000;
    } else {
        from = add_months(fx->first_period, range(r, 0, fx->months - 1));
        kind = unit(r) < 0.8 ? "最低生活保障" : "特困人员救助供养";
        lo = 50000, hi = 120000;
    }
    const char *region = PICK(r, remote_regions);
    int64_t fen = lo + 100 * (int64_t)range(r, 0, (int)((hi - lo) / 100));
    for (int32_t period = from; period <= to; period = add_months(period, 1)) {
        struct row row;
        month_row(fx, &row, GEN_FEED_REMOTE_BENEFIT, &id, "KQ", period, 7);
        set(&row, 5, "%s", region);
        set(&row, 6, "%s", kind);
        emit_paid(fx, r, &row, s, &id, period, fen, period + range(r, 9, 19), plant);
    }
}

/* Real-estate registrations (不动产登记): the homes of a household,
 * registered to the head or the spouse (40%), alive and adult. Urban
 * households mostly own their home and some a second; few rural homesteads
 * are registered yet, some rural households own a flat in town. Some owners
 * have a shop or an office too, and some a home sold before (注销). The
 * current certificate's registration is dated from 2016 (the unified
 * 不动产权证书; older ownership appears as converted). One identity per
 * owner, with the certified ID noise. All shares are placeholders. */
/* Which of three shares (of the shares' sum) is drawn. */
static int pick3(struct gen_rng *r, const double *shares)
{
    unsigned w[3];
    for (int i = 0; i < 3; i++)
        w[i] = (unsigned)(shares[i] * 10000 + 0.5);
    return pick_weight(r, w, 3);
}

static double sum3(const double *v)
{
    return v[0] + v[1] + v[2];
}

static double share_estate(const struct gen_feeds *fx, const struct gen_subject *s)
{
    (void)fx;
    if (!s->p || strcmp(s->p->relation, "head") != 0)
        return 0;
    return sum3(s->is_urban ? feed_rates.estate_urban : feed_rates.estate_rural);
}

enum estate_kind { ESTATE_HOME, ESTATE_HOMESTEAD, ESTATE_SHOP, ESTATE_OFFICE };

/* A certificate number: 渝（YYYY）万盛区不动产权第NNNNNNN号, the seven digits
 * walking a permutation of the feed's row serial, so none repeats. */
static void make_certificate(const struct gen_feeds *fx, int year, size_t n, char *out, size_t size)
{
    uint64_t v = ((uint64_t)n * 7919u + fx->code_offset) % 10000000u;
    snprintf(out, size, "渝（%04d）万盛区不动产权第%07u号", year, (unsigned)v);
}

/* One property of s: where (the household's address for its first home),
 * what, how large, registered when, in force or cancelled. */
static void estate_row(struct gen_feeds *fx, struct gen_rng *r, const struct gen_subject *s,
                       const struct gen_ident *id, enum estate_kind kind, int is_first,
                       int is_cancelled)
{
    static const char *const usage[] = {"住宅", "住宅", "商业", "办公"};
    static const double median_m2[] = {88, 150, 45, 80};
    struct row row;
    int32_t lo, floor_day;
    ms_date_from_ymd(2016, 1, 1, &floor_day);
    lo = add_months(s->birth, 12 * 18);
    if (lo < floor_day)
        lo = floor_day;
    int32_t registered = day_between(r, lo, fx->as_of - 1);
    int y, m, d;
    ms_date_to_ymd(registered, &y, &m, &d);
    row_init(&row, GEN_FEED_REAL_ESTATE);
    put_identity(&row, id);
    make_certificate(fx, y, serial(fx, row.feed), row.v[0], GEN_FEED_VALUE_MAX);
    if (is_first && s->hh)
        set(&row, 3, "%s%s%s", s->town ? s->town : "", s->hh->place_name, s->hh->address);
    else
        set(&row, 3, "万盛经开区%s%d号%d单元%d-%d", gen__road(r), range(r, 1, 200), range(r, 1, 6),
            range(r, 1, 32), range(r, 1, 6));
    set(&row, 4, "%s", usage[kind]);
    set(&row, 5, "%s",
        kind == ESTATE_HOMESTEAD ? "宅基地使用权/房屋所有权" : "国有建设用地使用权/房屋所有权");
    double m2 = median_m2[kind] * exp(0.3 * gen__rng_normal(r));
    put_money(&row, 6, (int64_t)(m2 < 12 ? 1200 : m2 > 600 ? 60000 : m2 * 100));
    put_date(&row, 7, registered);
    set(&row, 8, "%s", is_cancelled ? "注销" : "现势");
    emit(fx, r, &row, s, id, NULL);
}

static void make_estate(struct gen_feeds *fx, struct gen_rng *r, const struct gen_subject *head)
{
    struct gen_subject spouse;
    struct gen_ident id;
    const struct gen_subject *s = asset_owner(fx, r, head, &spouse);
    if (!s)
        return;
    ident_for(fx, r, GEN_FEED_REAL_ESTATE, s, &id);
    if (s->is_urban) {
        int homes = 1 + pick3(r, feed_rates.estate_urban);
        for (int k = 0; k < homes; k++)
            estate_row(fx, r, s, &id, ESTATE_HOME, k == 0, 0);
        if (unit(r) < feed_rates.shop)
            estate_row(fx, r, s, &id, unit(r) < 0.8 ? ESTATE_SHOP : ESTATE_OFFICE, 0, 0);
    } else {
        int k = pick3(r, feed_rates.estate_rural); /* 0: a homestead, else k flats */
        if (k == 0)
            estate_row(fx, r, s, &id, ESTATE_HOMESTEAD, 1, 0);
        for (int i = 0; i < k; i++)
            estate_row(fx, r, s, &id, ESTATE_HOME, 0, 0);
    }
    if (unit(r) < feed_rates.sold)
        estate_row(fx, r, s, &id, ESTATE_HOME, 0, 1);
}

/* In this order for each person; a maker's share is drawn before it runs,
 * and an absent twin follows with odds absent / (1 - absent). */
static const struct maker makers[] = {
    {GEN_FEED_DEATH_POLICE, share_death_police, make_death_police},
    {GEN_FEED_DEATH_CERTIFICATE, share_death_certificate, make_death_certificate},
    {GEN_FEED_CREMATION, share_cremation, make_cremation},
    {GEN_FEED_HUKOU_CHANGE, share_hukou, make_hukou},
    {GEN_FEED_INSURANCE_ENROLMENT, share_insurance, make_insurance},
    {GEN_FEED_PENSION_PAYMENT, share_pension, make_pension},
    {GEN_FEED_UNEMPLOYMENT_REGISTRATION, share_unemployment, make_unemployment},
    {GEN_FEED_CONTRIBUTION_WAGE, share_wage, make_wage},
    {GEN_FEED_MEDICAL_SETTLEMENT, share_medical, make_medical},
    {GEN_FEED_DISABILITY_CERTIFICATE, share_disability, make_disability},
    {GEN_FEED_BUSINESS_REGISTRATION, share_business, make_business},
    {GEN_FEED_VEHICLE, share_vehicle, make_vehicle},
    {GEN_FEED_STUDENT_AID, share_student, make_student},
    {GEN_FEED_MEAL_SUBSIDY, share_meal, make_meal},
    {GEN_FEED_REMOTE_BENEFIT, share_remote, make_remote},
    /* added later: the last of a person's turn, with counters of its own
     * (struct steer), so every other feed's rows stayed as they were */
    {GEN_FEED_REAL_ESTATE, share_estate, make_estate},
};

/* impossible_age: a few children of 6-15 have contribution wages for 1-3
 * months (rules.md §4.2 category 6, "1岁入职"). */
static void plant_child_wages(struct gen_feeds *fx, const struct gen_subject *s)
{
    struct gen_rng pr;
    struct gen_ident id;
    int age = age_on(s->birth, fx->as_of);
    plant_rng(fx, s, 0x6167650aull, &pr);
    /* the share, and the first child who can be of a run */
    if (s->death || age < 6 || age > 15 ||
        (unit(&pr) >= feed_rates.impossible_age && fx->cur.child_wages > 0))
        return;
    fx->cur.child_wages++;
    const struct employer *e = &fx->employers[draw_employer(&pr)];
    gen__ident_exact(s, &id);
    for (int k = range(&pr, 1, 3) - 1; k >= 0; k--)
        wage_row(fx, &pr, s, &id, e, add_months(fx->last_period, -k),
                 100 * (int64_t)range(&pr, 2100, 3000), "impossible_age");
}

/* So that even a small district has a case of student_edge_university:
 * until the run has one, a living 18-year-old gets a 低保边缘家庭 student's
 * aid row (stage and enrolment as any student's, drawn from a stream of
 * its own). */
static void plant_student(struct gen_feeds *fx, const struct gen_subject *s)
{
    struct gen_rng pr;
    if (fx->cur.student_cases || s->death || age_on(s->birth, fx->as_of) != 18)
        return;
    plant_rng(fx, s, 0x7374756475ull, &pr); /* "studu" */
    fx->student_kind = 2;
    make_student(fx, &pr, s);
    fx->student_kind = -1;
}

/* The rules that read the registry alone: a line of truth_registry.csv for
 * each person 80 or over with nobody else alive in the household
 * (elderly_alone_80), and for each household whose head died at working
 * age in the last 180 days leaving someone (earner_death). */
static void registry_truth(struct gen_feeds *fx, const struct gen_household *hh)
{
    size_t alive = 0;
    for (size_t i = 0; i < hh->n; i++)
        alive += hh->members[i].death == 0;
    for (size_t i = 0; i < hh->n; i++) {
        const struct gen_person *p = &hh->members[i];
        const char *plant = NULL;
        if (!p->death && alive == 1 && age_on(p->birth, fx->as_of) >= monitor_defaults.alone_age)
            plant = "elderly_alone_80";
        else if (p->death && alive > 0 && strcmp(p->relation, "head") == 0 &&
                 p->death > fx->as_of - monitor_defaults.earner_days && p->death <= fx->as_of &&
                 age_on(p->birth, p->death) >= monitor_defaults.earner_age_min &&
                 age_on(p->birth, p->death) <= monitor_defaults.earner_age_max)
            plant = "earner_death";
        if (!plant)
            continue;
        ms_str_reset(&fx->line);
        ms_str_addf(&fx->line, "registry,0,%s,%s,clean,1,,%s", hh->number, p->code, plant);
        gen__out_registry_truth(fx->out, fx->line.buf);
        fx->cur.planted++;
    }
}

/* rigid_expenditure_hardship: a line of truth_registry.csv for the
 * household (on its first living member): its costs and income are summed
 * over several feeds and members, so no one feed row is the case. */
static void rigid_truth(struct gen_feeds *fx, const struct gen_household *hh)
{
    for (size_t i = 0; i < hh->n; i++) {
        if (hh->members[i].death)
            continue;
        ms_str_reset(&fx->line);
        ms_str_addf(&fx->line, "registry,0,%s,%s,clean,1,,rigid_expenditure_hardship", hh->number,
                    hh->members[i].code);
        gen__out_registry_truth(fx->out, fx->line.buf);
        fx->cur.planted++;
        return;
    }
}

#define N_MAKERS (sizeof(makers) / sizeof(makers[0]))

/* The person's rows of the first n makers (all: N_MAKERS), and the planted
 * child wages. */
static void person_upto(struct gen_feeds *fx, const struct gen_household *hh,
                        const struct gen_person *p, size_t n)
{
    struct gen_rng r;
    struct gen_subject s;
    gen__rng_seed(&r, fx->seed ^ hash_text(p->id_number));
    subject_of(fx, &r, hh, p, &s);
    fx->person_pensions = fx->cur.rows[GEN_FEED_PENSION_PAYMENT];
    if (fx->plan && fx->plan->cut_member >= 0 && &hh->members[fx->plan->cut_member] == p)
        s.wage_end = fx->plan->cut_from;
    for (size_t i = 0; i < n; i++) {
        if (fx->left_out & 1u << makers[i].feed)
            continue;
        double share = makers[i].share(fx, &s);
        if (share <= 0 || unit(&r) >= share)
            continue;
        makers[i].make(fx, &r, &s);
        if (unit(&r) < feed_rates.absent / (1 - feed_rates.absent)) {
            struct gen_subject twin;
            make_twin(fx, &r, makers[i].feed, &s, &twin);
            makers[i].make(fx, &r, &twin);
        }
    }
    if (s.p) {
        plant_child_wages(fx, &s);
        if (n == N_MAKERS)
            plant_student(fx, &s);
    }
}

static void person(struct gen_feeds *fx, const struct gen_household *hh, const struct gen_person *p)
{
    person_upto(fx, hh, p, N_MAKERS);
}

/* --- the near-allowance fall and the rules over the roll, per household -------------- */

/* The makers up to the medical settlements' (after the income feeds'): the
 * first pass needs no more. */
static size_t plan_makers(void)
{
    for (size_t i = 0; i < N_MAKERS; i++)
        if (makers[i].feed == GEN_FEED_MEDICAL_SETTLEMENT)
            return i + 1;
    return N_MAKERS;
}

/* Income sums of the two windows the rule compares. */
struct sums {
    int64_t recent, earlier;
};

static void add_row(const struct gen_feeds *fx, const struct income_row *x, struct sums *to)
{
    if (!is_income_feed(x->feed))
        return; /* a medical row (rigid spending) */
    if (x->period >= fx->recent_from && x->period < fx->this_month)
        to->recent += x->fen;
    else if (x->period >= fx->history_from && x->period < fx->recent_from)
        to->earlier += x->fen;
}

/* edge_income_no_assistance, as its query reads the linked rows: the
 * living members' recent income under the line, the months before at or
 * above it (per capita, income_pct of the standard, times the months). */
static int falls(const struct gen_feeds *fx, const struct sums *t, int64_t line)
{
    int64_t window = fx->rule.edge_window, before = fx->rule.edge_history - fx->rule.edge_window;
    return t->recent * 100 < window * line && t->earlier * 100 >= before * line;
}

#define MAX_UNITS 12 /* uncertain series looked at one by one; more: made exact */

/*
 * Whether the fall shows whatever linkage does with the rows it may miss.
 * A noisy series (one person's rows of one feed share their identity, so
 * linkage links all or none of them) and a spoiled row (the importer
 * quarantines it, or not) are units in or out; clean rows always count.
 * Returns 0 when every combination is silent, 1 when every one falls, -1
 * when it depends.
 */
static int fall_outcome(const struct gen_feeds *fx, const struct plan *pl, int64_t line)
{
    struct sums certain = {0, 0}, unit_sums[MAX_UNITS];
    int unit_member[MAX_UNITS], unit_feed[MAX_UNITS], k = 0;
    for (size_t i = 0; i < pl->n; i++) {
        const struct income_row *x = &pl->rows[i];
        if (pl->hh->members[x->member].death || !is_income_feed(x->feed))
            continue;
        if (x->cls == INC_CLEAN) {
            add_row(fx, x, &certain);
            continue;
        }
        int u = 0;
        while (u < k &&
               (x->cls == INC_BAD || unit_member[u] != x->member || unit_feed[u] != x->feed))
            u++;
        if (u == k) {
            if (k == MAX_UNITS)
                return -1;
            unit_member[k] = x->cls == INC_BAD ? -1 : x->member;
            unit_feed[k] = x->feed;
            unit_sums[k++] = (struct sums){0, 0};
        }
        add_row(fx, x, &unit_sums[u]);
    }
    int seen[2] = {0, 0};
    for (unsigned mask = 0; mask < 1u << k; mask++) {
        struct sums t = certain;
        for (int u = 0; u < k; u++)
            if (mask >> u & 1) {
                t.recent += unit_sums[u].recent;
                t.earlier += unit_sums[u].earlier;
            }
        seen[falls(fx, &t, line)] = 1;
        if (seen[0] && seen[1])
            return -1;
    }
    return seen[1];
}

static void plan_rng(const struct gen_feeds *fx, const struct gen_household *hh, uint64_t tweak,
                     struct gen_rng *out)
{
    gen__rng_seed(out, fx->seed ^ hash_text(hh->number) ^ tweak);
}

/* A planted fall: a living member's wage stops at the recent window's
 * start, and without it the household falls under the line. Returns the
 * member, or -1. */
static int fall_member(const struct gen_feeds *fx, const struct plan *pl, const struct sums *all,
                       int64_t line)
{
    for (size_t m = 0; m < pl->hh->n; m++) {
        struct sums t = *all, wage = {0, 0};
        if (pl->hh->members[m].death)
            continue;
        for (size_t i = 0; i < pl->n; i++)
            if (pl->rows[i].member == m && pl->rows[i].feed == GEN_FEED_CONTRIBUTION_WAGE)
                add_row(fx, &pl->rows[i], &wage);
        t.recent -= wage.recent;
        if (wage.recent > 0 && falls(fx, &t, line))
            return (int)m;
    }
    return -1;
}

/*
 * edge_income_no_assistance, from the first pass's income rows. The rule's
 * subjects must not depend on linkage's misses, so a household whose fall
 * depends on them, and every household that falls, gets its living
 * members' income rows exact and never spoiled (so it links exactly), and
 * the ones that fall are tagged. A few households whose wage earner's wage
 * would carry them over the line lose it at the recent window's start (the
 * planted fall).
 */
static void plan_edge(struct gen_feeds *fx, struct plan *pl, int64_t living)
{
    const struct gen_household *hh = pl->hh;
    int64_t line =
        living * fx->rule.edge_pct * (hh->is_urban ? fx->rule.std_urban : fx->rule.std_rural);
    int outcome = fall_outcome(fx, pl, line);
    struct sums all = {0, 0};
    for (size_t i = 0; i < pl->n; i++)
        if (!hh->members[pl->rows[i].member].death)
            add_row(fx, &pl->rows[i], &all);
    if (outcome != 0) {
        pl->exact_income = 1;
        pl->edge = falls(fx, &all, line);
        return;
    }
    struct gen_rng pr;
    plan_rng(fx, hh, 0x66616c6cull, &pr); /* "fall" */
    if (unit(&pr) >= feed_rates.edge_fall && fx->cur.edge_falls > 0)
        return;
    int m = fall_member(fx, pl, &all, line);
    if (m < 0)
        return;
    pl->exact_income = pl->edge = 1;
    pl->cut_member = m;
    pl->cut_from = fx->recent_from;
    fx->cur.edge_falls++;
}

/*
 * rigid_expenditure_hardship, as its query reads the linked rows: the
 * living members' self-paid medical costs in the window's complete months
 * at least the minimum, over the share of their income from the feeds in
 * the same months, and that income per person under last year's
 * per-capita disposable income. Every household whose costs reach the
 * minimum (all rows counted, noisy or spoiled) gets its living members'
 * medical and income rows exact and never spoiled, so what linkage does
 * cannot change the answer; the ones that fire get a truth_registry.csv
 * line. A planted fall's wage stops as the plan says.
 */
static void plan_rigid(struct gen_feeds *fx, struct plan *pl, int64_t living)
{
    int64_t spent = 0, income = 0;
    for (size_t i = 0; i < pl->n; i++) {
        const struct income_row *x = &pl->rows[i];
        if (pl->hh->members[x->member].death || x->period < fx->rigid_from ||
            x->period >= fx->this_month)
            continue;
        if (x->feed == GEN_FEED_MEDICAL_SETTLEMENT)
            spent += x->fen;
        else if (!(x->member == pl->cut_member && x->feed == GEN_FEED_CONTRIBUTION_WAGE &&
                   x->period >= pl->cut_from))
            income += x->fen;
    }
    if (spent < fx->rule.rigid_min_fen)
        return;
    pl->rigid_exact = 1;
    pl->rigid = spent * 100 > fx->rule.rigid_pct * income &&
                income * 12 < living * fx->rule.income_base_fen * fx->rule.rigid_window;
}

/* The first pass over a household (income and medical rows as they will be
 * made, the makers up to medical settlements, writing nothing), then the
 * plans of the two household rules that sum feeds. A household on the roll
 * is not looked at: both rules skip it. */
static void plan_household(struct gen_feeds *fx, const struct gen_household *hh,
                           const struct gen_roll_hh *roll)
{
    struct plan *pl = &fx->plan_buf;
    struct counters saved = fx->cur;
    pl->hh = hh;
    pl->roll = roll;
    pl->n = 0;
    pl->exact_income = pl->edge = pl->rigid_exact = pl->rigid = 0;
    pl->cut_member = -1;
    pl->capture = 1;
    fx->plan = pl;
    for (size_t i = 0; i < hh->n; i++)
        person_upto(fx, hh, &hh->members[i], plan_makers());
    pl->capture = 0;
    fx->cur = saved;
    int64_t living = 0;
    for (size_t i = 0; i < hh->n; i++)
        living += hh->members[i].death == 0;
    if ((roll && roll->active) || !living)
        return;
    plan_edge(fx, pl, living);
    plan_rigid(fx, pl, living);
}

/* Whether member m has an unemployment benefit row (a planted wage would
 * make it unemployment_while_employed). */
static int has_benefit(const struct plan *pl, size_t m)
{
    for (size_t i = 0; i < pl->n; i++)
        if (pl->rows[i].member == m && pl->rows[i].feed == GEN_FEED_UNEMPLOYMENT_BENEFIT)
            return 1;
    return 0;
}

/* The months [*from, *to] of a planted kind's wages, or 0 if none. */
static int wage_months(const struct gen_feeds *fx, const struct gen_roll_hh *ro, enum roll_plant k,
                       int n, int32_t *from, int32_t *to)
{
    if (k == RP_WAGE_BEFORE) { /* months before the row in force: silent */
        *to = add_months(ro->active_start, -1);
        *from = add_months(ro->active_start, -n);
        if (*from < fx->first_period)
            *from = fx->first_period;
        return *to >= *from;
    }
    *to = fx->last_period;
    *from = add_months(fx->last_period, 1 - n);
    if (k == RP_WAGE && *from < ro->active_start)
        *from = ro->active_start;
    return *to >= *from;
}

/* Whether member p can carry planted kind k (months: of the wages). */
static int can_plant(const struct gen_feeds *fx, const struct plan *pl, size_t m, enum roll_plant k,
                     int32_t from, int32_t to)
{
    const struct gen_person *p = &pl->hh->members[m];
    int age = age_on(p->birth, fx->as_of);
    if (p->death)
        return 0;
    switch (k) {
    case RP_VEHICLE:
    case RP_BUSINESS:
    case RP_BUSINESS_CLOSED:
        return age >= 18;
    case RP_UNEMPLOYED:
    case RP_UNEMPLOYED_OLD:
        return age >= 16 && age <= 59;
    default: /* wages: 18-59 in every month, and no benefit in the window */
        return age_on(p->birth, from) >= 18 && age_on(p->birth, to) <= 59 && !has_benefit(pl, m);
    }
}

static int is_wage_kind(enum roll_plant k)
{
    return k == RP_WAGE || k == RP_WAGE_AT_LINE || k == RP_WAGE_BEFORE;
}

/* Writes planted kind k for member m (wages: the months from..to). */
static void plant_one(struct gen_feeds *fx, struct gen_rng *pr, const struct gen_household *hh,
                      size_t m, enum roll_plant k, int32_t from, int32_t to)
{
    const struct gen_roll_hh *ro = fx->plan->roll;
    int64_t days = fx->rule.unemployment_days, line = fx->rule.wage_threshold_fen;
    struct gen_subject s;
    struct gen_ident id;
    subject_of(fx, pr, hh, &hh->members[m], &s);
    fx->exact_idents = 1;
    if (k == RP_VEHICLE)
        vehicle_row(fx, pr, &s, ro->active_start, 0);
    else if (k == RP_BUSINESS || k == RP_BUSINESS_CLOSED)
        business_row(fx, pr, &s, k == RP_BUSINESS ? ro->active_start : 0, k == RP_BUSINESS ? 0 : 1);
    else if (k == RP_UNEMPLOYED)
        unemployment_row(fx, pr, &s, day_between(pr, fx->as_of - (int32_t)days + 1, fx->as_of - 1));
    else if (k == RP_UNEMPLOYED_OLD)
        unemployment_row(
            fx, pr, &s, day_between(pr, fx->as_of - (int32_t)days - 60, fx->as_of - (int32_t)days));
    else {
        const struct employer *e = &fx->employers[draw_employer(pr)];
        gen__ident_exact(&s, &id);
        for (int32_t month = from; month <= to; month = add_months(month, 1))
            wage_row(fx, pr, &s, &id, e, month,
                     k == RP_WAGE_AT_LINE ? line : line + 100 * (int64_t)range(pr, 100, 1800),
                     NULL);
    }
    fx->exact_idents = 0;
    fx->cur.roll_plants[k]++;
}

/* Plants kind k on a member who can take it (from a random one on); 1 if done. */
static int try_plant(struct gen_feeds *fx, struct gen_rng *pr, const struct gen_household *hh,
                     enum roll_plant k, int n, size_t pick)
{
    int32_t from = 0, to = 0;
    if (is_wage_kind(k) && !wage_months(fx, fx->plan->roll, k, n, &from, &to))
        return 0;
    for (size_t j = 0; j < hh->n; j++) {
        size_t m = (pick + j) % hh->n;
        if (can_plant(fx, fx->plan, m, k, from, to)) {
            plant_one(fx, pr, hh, m, k, from, to);
            return 1;
        }
    }
    return 0;
}

/*
 * Around the roll, after a household's own rows: a share of the households
 * on the roll get a record the rules over the roll must find (a vehicle in
 * use, a business in operation, wages above the threshold in months of the
 * enrolment's row in force, an unemployment registration within the
 * window), or one they must not (a business closed, wages exactly at the
 * threshold or only before the row in force, a registration older than
 * the window). The first household that can take a kind not yet planted in
 * the run takes it, so that a small district has each. Identities exact;
 * the stream is the household's own.
 */
static void plant_roll(struct gen_feeds *fx, const struct gen_household *hh)
{
    if (!fx->plan->roll || !fx->plan->roll->active)
        return;
    struct gen_rng pr;
    plan_rng(fx, hh, 0x726f6c6c70ull, &pr); /* "rollp" */
    double u = unit(&pr), cum = 0;
    int n = range(&pr, 1, 3);
    size_t pick = (size_t)range(&pr, 0, (int)hh->n - 1);
    for (int k = 0; k < RP_COUNT; k++) {
        cum += feed_rates.roll_plant[k];
        if (u < cum) {
            try_plant(fx, &pr, hh, (enum roll_plant)k, n, pick);
            return;
        }
    }
    for (int k = 0; k < RP_COUNT; k++)
        if (!fx->cur.roll_plants[k] && try_plant(fx, &pr, hh, (enum roll_plant)k, n, pick))
            return;
}

/* --- the probe: the feeds' view of people, without files (for gen_roll.c) --------- */

static void set_window(struct gen_feeds *fx, int32_t as_of);

struct gen_feeds *gen__feeds_probe(uint64_t seed, int months, int32_t as_of)
{
    struct gen_feeds *fx = ms_xcalloc(1, sizeof(*fx));
    struct gen_rng r;
    gen__rng_seed(&r, seed ^ 0x6665656473ull); /* as gen_feeds_open() */
    fx->seed = gen__rng_next(&r);
    fx->months = months;
    fx->student_kind = -1;
    set_window(fx, as_of);
    return fx;
}

int gen__feeds_employee(struct gen_feeds *fx, const struct gen_household *hh,
                        const struct gen_person *p)
{
    struct gen_rng r;
    struct gen_subject s;
    gen__rng_seed(&r, fx->seed ^ hash_text(p->id_number)); /* as person() */
    subject_of(fx, &r, hh, p, &s);
    return s.has_employer_history;
}

unsigned gen__feeds_person(struct gen_feeds *fx, const struct gen_household *hh,
                           const struct gen_person *p)
{
    unsigned mask = 0;
    memset(fx->cur.rows, 0, sizeof(fx->cur.rows));
    person(fx, hh, p);
    for (int i = 0; i < GEN_FEED_COUNT; i++)
        if (fx->cur.rows[i])
            mask |= 1u << i;
    return mask;
}

/* --- the API ------------------------------------------------------------------------ */

int gen_feeds_open(const char *dir, uint64_t seed, int months, struct gen_feeds **out,
                   struct ms_err *err)
{
    struct gen_feeds *fx = ms_xcalloc(1, sizeof(*fx));
    *out = fx;
    /* A stream of its own: the district's seed through a fixed tweak ("feeds"). */
    struct gen_rng r;
    gen__rng_seed(&r, seed ^ 0x6665656473ull);
    fx->seed = gen__rng_next(&r);
    fx->code_offset = gen__rng_next(&r) % 1000003u;
    fx->months = months;
    fx->student_kind = -1;
    ms_str_init(&fx->line, 0);
    make_employers(fx);
    if (months < 1 || months > GEN_MAX_FEED_MONTHS)
        return ms_err_field(err, MS_EFIELD, "feed_months", "feed months must be 1 to %d",
                            GEN_MAX_FEED_MONTHS);
    return gen__out_open(&fx->out, dir, err);
}

void gen__feeds_leave_out(struct gen_feeds *fx, int feed)
{
    fx->left_out |= 1u << feed;
}

/* Periods: the `months` months up to the one before the as-of date's month,
 * so every payment date of the window has passed. */
static void set_window(struct gen_feeds *fx, int32_t as_of)
{
    fx->as_of = as_of;
    fx->last_period = add_months(ms_date_month_start(as_of), -1);
    fx->first_period = add_months(fx->last_period, -(fx->months - 1));
    fx->has_window = 1;
}

void gen_feeds_set_roll(struct gen_feeds *fx, const struct gen_roll *roll)
{
    fx->roll = roll;
}

/* The rules' parameters on the as-of date (struct rule_params). */
static int load_params(struct gen_feeds *fx, struct store *st, struct ms_err *err)
{
    static const char *const keys[] = {"monitor.reverse.wage_threshold_fen",
                                       "cq.dibao.standard.urban",
                                       "cq.dibao.standard.rural",
                                       "monitor.unemployment.new_within_days",
                                       "monitor.edge.window_months",
                                       "monitor.edge.history_months",
                                       "monitor.edge.income_pct",
                                       "monitor.rigid.window_months",
                                       "monitor.rigid.expense_share_pct",
                                       "monitor.rigid.min_expense_fen",
                                       "monitor.medical.income_base_fen"};
    int64_t *to[] = {&fx->rule.wage_threshold_fen,
                     &fx->rule.std_urban,
                     &fx->rule.std_rural,
                     &fx->rule.unemployment_days,
                     &fx->rule.edge_window,
                     &fx->rule.edge_history,
                     &fx->rule.edge_pct,
                     &fx->rule.rigid_window,
                     &fx->rule.rigid_pct,
                     &fx->rule.rigid_min_fen,
                     &fx->rule.income_base_fen};
    char date[MS_DATE_BUF];
    ms_date_format(fx->as_of, date);
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (policy_get_int(st, keys[i], date, to[i], err) < 0)
            return err->code;
    fx->this_month = ms_date_month_start(fx->as_of);
    fx->recent_from = add_months(fx->this_month, -(int)fx->rule.edge_window);
    fx->history_from = add_months(fx->this_month, -(int)fx->rule.edge_history);
    fx->rigid_from = add_months(fx->this_month, -(int)fx->rule.rigid_window);
    fx->has_params = 1;
    return 0;
}

int gen_feeds_chunk(struct store *st, const struct gen_chunk *chunk, void *ctx, struct ms_err *err)
{
    struct gen_feeds *fx = ctx;
    if (!fx->has_window)
        set_window(fx, chunk->as_of);
    if (!fx->has_params && load_params(fx, st, err) < 0)
        return err->code;
    if (fx->has_pending && chunk->first_resident == fx->pending_first) {
        /* store_tx() is retrying this chunk: make its rows again. */
        gen__out_rollback(fx->out);
        fx->cur = fx->saved;
    } else {
        /* The previous chunk has committed: its rows can go out. */
        if (fx->has_pending && gen__out_flush(fx->out, err) < 0)
            return err->code;
        fx->saved = fx->cur;
        fx->has_pending = 1;
        fx->pending_first = chunk->first_resident;
    }
    for (size_t h = 0; h < chunk->n_households; h++) {
        const struct gen_household *hh = &chunk->households[h];
        plan_household(fx, hh, gen__roll_household(fx->roll, h));
        for (size_t i = 0; i < hh->n; i++)
            person(fx, hh, &hh->members[i]);
        plant_roll(fx, hh);
        if (fx->plan->rigid)
            rigid_truth(fx, hh);
        fx->plan = NULL;
        registry_truth(fx, hh);
    }
    return 0;
}

void gen_feeds_stats(const struct gen_feeds *fx, struct gen_feeds_stats *out)
{
    memset(out, 0, sizeof(*out));
    for (int i = 0; i < GEN_FEED_COUNT; i++) {
        out->rows[i] = fx->cur.rows[i];
        out->total += fx->cur.rows[i];
    }
    out->clean = fx->cur.clean;
    out->noisy = fx->cur.noisy;
    out->absent = fx->cur.absent;
    for (int k = 0; k < BAD_COUNT; k++)
        out->bad += fx->cur.bad[k];
    out->planted = fx->cur.planted;
    for (int k = 0; k < RP_COUNT; k++)
        out->roll_plants[k] = fx->cur.roll_plants[k];
    out->edge_falls = fx->cur.edge_falls;
}

const char *gen_feeds_file(size_t i, char *buf, size_t size)
{
    const struct gen_feed_def *d = &gen__feed_defs[i];
    snprintf(buf, size, "%s.%s", d->name, d->format == GEN_FEED_JSONL ? "jsonl" : "csv");
    return buf;
}

int gen_feeds_finish(struct gen_feeds *fx, int is_complete, struct ms_err *err)
{
    if (!fx)
        return 0;
    int rc = gen__out_close(fx->out, is_complete && fx->has_pending, err);
    ms_str_release(&fx->line);
    free(fx->plan_buf.rows);
    free(fx);
    return rc;
}
