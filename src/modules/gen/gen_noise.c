/*
 * gen_noise.c - the generator's default noise on the identity fields of
 * department feed rows (docs/gen.md, "Department feeds"): how a clerk in
 * another department mistypes, abbreviates or leaves out a resident's ID
 * number, name, birth date, sex, phone and region code.
 *
 * The shares below are what the linkage quality aims of issue #4 are
 * measured at, so they live in one table (noise_rates) and docs/gen.md
 * repeats them. Each field is drawn independently. A kind of noise that
 * cannot apply to a person (the 15-digit form for someone born in 2000, a
 * day-month swap of 2001-03-25, a homophone for a name with no character
 * in the table) leaves the field exact, so measured shares come out a
 * little below the table's.
 *
 * Name replacements come from two small tables checked by
 * tests/unit/modules/test_gen_feeds.c against pinyin.h and
 * ms_sim_fuzzy_pinyin(): characters with the same toneless pinyin
 * (homophones), and pairs that only Chongqing fuzzy pinyin makes equal.
 */
#include <stdio.h>
#include <string.h>

#include "core/banned.h"
#include "core/date.h"
#include "core/idcard.h"
#include "modules/gen/gen_int.h"

/* Shares of rows of registry residents (cumulative within a field). */
/* clang-format off */
static const struct {
    double id_empty, id_old15, id_digit, id_digit_valid, id_transposed;
    double id_certified_old15, id_certified_digit, id_certified_transposed;
    double name_homophone, name_fuzzy, name_other;
    double birth_swap, birth_digit, birth_empty;
    double sex_empty, sex_wrong;
    double phone_empty, phone_other;
    double region_township, region_empty;
} noise_rates = {
    .id_empty        = 0.03,  /* ID number left empty */
    .id_old15        = 0.02,  /* the old 15-digit form (born before 2000) */
    .id_digit        = 0.02,  /* one digit wrong, check character kept: invalid */
    .id_digit_valid  = 0.01,  /* one digit wrong, check recomputed: valid, of nobody */
    .id_transposed   = 0.01,  /* two adjacent digits swapped: invalid */
    /* GEN_F_ID_CERTIFIED (real-estate registrations: the registry checks
     * the ID card when it registers, so no empty numbers and few mistakes;
     * the mistakes are those of records carried over from older systems) */
    .id_certified_old15      = 0.004,
    .id_certified_digit      = 0.003,
    .id_certified_transposed = 0.003,
    .name_homophone  = 0.03,  /* a given-name character -> a homophone */
    .name_fuzzy      = 0.02,  /* a character -> a fuzzy-pinyin twin (n/l, f/h, ...) */
    .name_other      = 0.01,  /* a given-name character dropped or replaced */
    .birth_swap      = 0.015, /* day and month swapped (both <= 12) */
    .birth_digit     = 0.015, /* one digit wrong, still a valid date */
    .birth_empty     = 0.02,
    .sex_empty       = 0.01,
    .sex_wrong       = 0.005,
    .phone_empty     = 0.30,  /* of the rest, 60% carry the registry phone */
    .phone_other     = 0.10,  /* another household member's phone */
    .region_township = 0.15,  /* 9 digits of the township and "000" */
    .region_empty    = 0.05,
};
/* clang-format on */

/* Given-name characters with the same toneless pinyin. */
const char *const gen__homophones[] = {
    "伟玮炜维薇", "明铭鸣",
    "华桦",       "丽莉俪利力立",
    "军君钧",     "俊峻骏",
    "芳方舫",     "静靖婧晶菁",
    "红宏鸿虹",   "英瑛莹颖",
    "燕艳妍彦岩", "平萍苹",
    "琴勤芹",     "梅玫媚",
    "霞夏侠",     "玲铃凌灵",
    "林琳霖麟",   "涛滔韬",
    "强蔷",       "刚钢",
    "斌彬滨",     "波博",
    "东冬栋",     "峰锋丰枫",
    "浩昊皓豪",   "宇雨语玉羽钰瑜",
    "欣鑫馨心新", "慧辉惠",
    "杰洁婕",     "鹏朋",
    "飞菲",       "超潮",
    "瑶遥",       "轩萱宣",
    "涵晗寒",     "梓子紫",
    "怡依仪",     "琪琦淇",
    "睿瑞",       "泽择",
    "辰晨宸臣",   "桐彤童",
    "然冉",       "汐希曦熙",
    "悦月越",     "墨默",
    "国果",       "建剑健",
    "志智芝",     "成诚程承",
    "清庆青晴",   "兰岚蓝",
    "珍真贞",     "芬纷",
    "桂贵",       "淑书舒",
    "秀修",       "菊桔",
    "春纯淳",     "荣容蓉融",
    "勇永涌",     "福富甫",
    "娟鹃",       "婷亭庭",
    "雪学",       "敏民珉",
    "阳洋扬",     "航杭",
    "翔祥",       "凯开",
    "山珊杉",     "佳家嘉",
    "思斯丝",     "文雯",
    "诗施",       "雅亚",
    "安岸",       "龙隆",
    "川传",       "莲连",
    "群裙",       "倩茜",
    "露璐鹭",     "媛源缘元",
    "晓笑小",     NULL,
};

/* Pairs that differ only by n/l, f/h, z/zh, c/ch, s/sh, en/eng or in/ing
 * (similarity.h): the same key under ms_sim_fuzzy_pinyin(), different
 * toneless pinyin. Surnames are included (刘/牛, 胡/符). */
const char *const gen__fuzzy_pairs[][2] = {
    {"南", "兰"}, {"宁", "玲"}, {"丽", "妮"}, {"林", "宁"}, {"龙", "浓"}, {"刘", "牛"},
    {"李", "倪"}, {"罗", "诺"}, {"蓝", "南"}, {"楠", "兰"}, {"芳", "航"}, {"福", "虎"},
    {"峰", "恒"}, {"丰", "衡"}, {"方", "杭"}, {"胡", "符"}, {"凤", "恒"}, {"志", "子"},
    {"泽", "哲"}, {"忠", "宗"}, {"祖", "竹"}, {"春", "村"}, {"辰", "岑"}, {"才", "柴"},
    {"山", "三"}, {"生", "森"}, {"思", "诗"}, {"书", "苏"}, {"成", "陈"}, {"峰", "芬"},
    {"振", "正"}, {"真", "正"}, {"文", "翁"}, {"敏", "明"}, {"林", "玲"}, {"斌", "兵"},
    {"新", "星"}, {"琴", "晴"}, {"金", "晶"}, {"民", "明"}, {"心", "星"}, {"彬", "冰"},
    {"琳", "玲"}, {NULL, NULL},
};

/* Characters for a given-name character replaced by another one. */
static const char other_chars[] = "伟明华丽军芳静红英燕平琴梅霞玲林涛强刚斌";

#define CH 3 /* every name character here is a 3-byte UTF-8 Han character */

static void add_tag(struct gen_ident *id, const char *tag)
{
    size_t n = strlen(id->tags);
    snprintf(id->tags + n, sizeof(id->tags) - n, "%s%s", n ? ";" : "", tag);
}

void gen__ident_exact(const struct gen_subject *s, struct gen_ident *out)
{
    memset(out, 0, sizeof(*out));
    snprintf(out->id_number, sizeof(out->id_number), "%s", s->id_number);
    snprintf(out->name, sizeof(out->name), "%s", s->name);
    out->sex = s->sex;
    out->has_birth = 1;
    out->birth = s->birth;
    snprintf(out->phone, sizeof(out->phone), "%s", s->phone);
    snprintf(out->region, sizeof(out->region), "%s", s->region);
    out->id_usable = 1;
}

/* --- ID number ------------------------------------------------------------------- */

static char other_digit(struct gen_rng *r, char d)
{
    return (char)('0' + (d - '0' + gen__rng_range(r, 1, 9)) % 10);
}

static void noise_id(struct gen_rng *r, const struct gen_subject *s, int is_certified,
                     struct gen_ident *id)
{
    double u = gen__rng_unit(r);
    /* the same kinds; a certified number is never empty nor validly wrong */
    double empty = is_certified ? 0 : noise_rates.id_empty;
    double old15 = is_certified ? noise_rates.id_certified_old15 : noise_rates.id_old15;
    double digit = is_certified ? noise_rates.id_certified_digit : noise_rates.id_digit;
    double digit_valid = is_certified ? 0 : noise_rates.id_digit_valid;
    double transposed =
        is_certified ? noise_rates.id_certified_transposed : noise_rates.id_transposed;
    double c = empty;
    char *n = id->id_number;
    int year, month, day;
    ms_date_to_ymd(s->birth, &year, &month, &day);
    if (u < c) {
        n[0] = '\0';
        add_tag(id, "id:empty");
    } else if (u < (c += old15)) {
        if (year < 1900 || year > 1999)
            return;
        /* 6 address digits, YYMMDD, 3 sequence digits: no century, no check. */
        snprintf(n, sizeof(id->id_number), "%.6s%.9s", s->id_number, s->id_number + 8);
        add_tag(id, "id:old15");
        return; /* still usable: upgrading gives the registered number */
    } else if (u < (c += digit)) {
        int pos = gen__rng_range(r, 0, 16);
        n[pos] = other_digit(r, n[pos]); /* MOD 11-2 catches every single change */
        add_tag(id, "id:digit");
    } else if (u < (c += digit_valid)) {
        /* County or sequence digits, so the birth date stays a real one. */
        static const int positions[] = {3, 4, 5, 14, 15};
        int pos = positions[gen__rng_range(r, 0, 4)];
        n[pos] = other_digit(r, n[pos]);
        n[17] = ms_idcard_check_char(n);
        add_tag(id, "id:digit_valid");
    } else if (u < (c += transposed)) {
        int pos = gen__rng_range(r, 0, 15);
        for (int k = 0; k < 16 && n[pos] == n[pos + 1]; k++)
            pos = (pos + 1) % 16;
        if (n[pos] == n[pos + 1])
            return;
        char t = n[pos];
        n[pos] = n[pos + 1];
        n[pos + 1] = t;
        add_tag(id, "id:transposed");
    } else {
        return;
    }
    id->id_usable = 0;
}

/* --- name -------------------------------------------------------------------------- */

/* The homophone group holding the character at c, or NULL. */
static const char *homophone_group(const char *c)
{
    for (size_t g = 0; gen__homophones[g]; g++)
        for (const char *p = gen__homophones[g]; *p; p += CH)
            if (memcmp(p, c, CH) == 0)
                return gen__homophones[g];
    return NULL;
}

/* Replaces one given-name character by a homophone; 0 if none applies. */
static int name_homophone(struct gen_rng *r, char *name)
{
    size_t len = strlen(name);
    int candidates[8], n = 0;
    for (size_t i = CH; i + CH <= len && n < 8; i += CH) {
        const char *g = homophone_group(name + i);
        if (g && strlen(g) > CH)
            candidates[n++] = (int)i;
    }
    if (!n)
        return 0;
    char *at = name + candidates[gen__rng_range(r, 0, n - 1)];
    const char *g = homophone_group(at);
    int members = (int)(strlen(g) / CH);
    for (;;) {
        const char *pick = g + CH * gen__rng_range(r, 0, members - 1);
        if (memcmp(pick, at, CH) != 0) {
            memcpy(at, pick, CH);
            return 1;
        }
    }
}

/* Replaces a character (surname too) by a fuzzy-pinyin twin; 0 if none. */
static int name_fuzzy(struct gen_rng *r, char *name)
{
    size_t len = strlen(name);
    const char *twins[16];
    char *where[16];
    int n = 0;
    for (size_t i = 0; i + CH <= len; i += CH)
        for (size_t k = 0; gen__fuzzy_pairs[k][0] && n < 16; k++)
            for (int side = 0; side < 2; side++)
                if (memcmp(gen__fuzzy_pairs[k][side], name + i, CH) == 0) {
                    twins[n] = gen__fuzzy_pairs[k][1 - side];
                    where[n++] = name + i;
                }
    if (!n)
        return 0;
    int k = gen__rng_range(r, 0, n - 1);
    memcpy(where[k], twins[k], CH);
    return 1;
}

/* Drops a character of a two-character given name, or replaces the only one. */
static const char *name_other(struct gen_rng *r, char *name)
{
    size_t len = strlen(name);
    if (len < 2 * CH)
        return NULL;
    if (len >= 3 * CH) {
        size_t at = CH * (size_t)gen__rng_range(r, 1, (int)(len / CH) - 1);
        memmove(name + at, name + at + CH, len - at - CH + 1);
        return "name:dropped";
    }
    int members = (int)(strlen(other_chars) / CH);
    for (;;) {
        const char *pick = other_chars + CH * gen__rng_range(r, 0, members - 1);
        if (memcmp(pick, name + CH, CH) != 0) {
            memcpy(name + CH, pick, CH);
            return "name:other_char";
        }
    }
}

static void noise_name(struct gen_rng *r, struct gen_ident *id)
{
    double u = gen__rng_unit(r), c = noise_rates.name_homophone;
    if (u < c) {
        if (name_homophone(r, id->name))
            add_tag(id, "name:homophone");
    } else if (u < (c += noise_rates.name_fuzzy)) {
        if (name_fuzzy(r, id->name))
            add_tag(id, "name:fuzzy");
    } else if (u < c + noise_rates.name_other) {
        const char *tag = name_other(r, id->name);
        if (tag)
            add_tag(id, tag);
    }
}

/* --- birth date, sex, phone, region -------------------------------------------------- */

/* One digit of YYYYMMDD (not the century) changed, still a real date before
 * as_of; 0 if twenty tries found none. */
static int birth_digit(struct gen_rng *r, int32_t birth, int32_t as_of, int32_t *out)
{
    int y, m, d;
    ms_date_to_ymd(birth, &y, &m, &d);
    for (int k = 0; k < 20; k++) {
        char t[16];
        snprintf(t, sizeof(t), "%04d%02d%02d", y, m, d);
        int pos = gen__rng_range(r, 2, 7);
        t[pos] = other_digit(r, t[pos]);
        int ny = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
        int nm = (t[4] - '0') * 10 + (t[5] - '0'), nd = (t[6] - '0') * 10 + (t[7] - '0');
        int32_t v;
        if (ms_date_from_ymd(ny, nm, nd, &v) == 0 && v < as_of && v != birth) {
            *out = v;
            return 1;
        }
    }
    return 0;
}

static void noise_birth(struct gen_rng *r, struct gen_ident *id, int32_t as_of)
{
    double u = gen__rng_unit(r), c = noise_rates.birth_swap;
    int y, m, d;
    ms_date_to_ymd(id->birth, &y, &m, &d);
    if (u < c) {
        int32_t v;
        if (m <= 12 && d <= 12 && m != d && ms_date_from_ymd(y, d, m, &v) == 0 && v < as_of) {
            id->birth = v;
            add_tag(id, "birth:swap");
        }
    } else if (u < (c += noise_rates.birth_digit)) {
        if (birth_digit(r, id->birth, as_of, &id->birth))
            add_tag(id, "birth:digit");
    } else if (u < c + noise_rates.birth_empty) {
        id->has_birth = 0;
        add_tag(id, "birth:empty");
    }
}

static void noise_sex(struct gen_rng *r, struct gen_ident *id)
{
    double u = gen__rng_unit(r);
    if (u < noise_rates.sex_empty) {
        id->sex = 0;
        add_tag(id, "sex:empty");
    } else if (u < noise_rates.sex_empty + noise_rates.sex_wrong) {
        id->sex = id->sex == 'M' ? 'F' : 'M';
        add_tag(id, "sex:wrong");
    }
}

static void noise_phone(struct gen_rng *r, const struct gen_subject *s, struct gen_ident *id)
{
    double u = gen__rng_unit(r);
    if (u < noise_rates.phone_empty) {
        if (id->phone[0])
            add_tag(id, "phone:empty");
        id->phone[0] = '\0';
    } else if (u < noise_rates.phone_empty + noise_rates.phone_other) {
        const char *other = "";
        for (size_t i = 0; s->hh && i < s->hh->n; i++)
            if (&s->hh->members[i] != s->p && s->hh->members[i].phone[0]) {
                other = s->hh->members[i].phone;
                break;
            }
        if (strcmp(other, id->phone) != 0)
            add_tag(id, other[0] ? "phone:other" : "phone:empty");
        snprintf(id->phone, sizeof(id->phone), "%s", other);
    }
}

static void noise_region(struct gen_rng *r, struct gen_ident *id)
{
    double u = gen__rng_unit(r);
    if (u < noise_rates.region_township) {
        memcpy(id->region + 9, "000", 4);
        add_tag(id, "region:township");
    } else if (u < noise_rates.region_township + noise_rates.region_empty) {
        id->region[0] = '\0';
        add_tag(id, "region:empty");
    }
}

void gen__ident_noisy(struct gen_rng *r, const struct gen_subject *s, unsigned mask, int32_t as_of,
                      struct gen_ident *out)
{
    gen__ident_exact(s, out);
    if (mask & GEN_F_ID)
        noise_id(r, s, (mask & GEN_F_ID_CERTIFIED) != 0, out);
    if (mask & GEN_F_NAME)
        noise_name(r, out);
    if (mask & GEN_F_BIRTH)
        noise_birth(r, out, as_of);
    if (mask & GEN_F_SEX)
        noise_sex(r, out);
    if (mask & GEN_F_PHONE)
        noise_phone(r, s, out);
    if (mask & GEN_F_REGION)
        noise_region(r, out);
}
