/*
 * gen_names.c - the name tables of the synthetic district, and the random
 * number generator they draw with.
 *
 * Surnames: the order and rough weights follow the national ranking of the
 * Ministry of Public Security's 2020 name report (王 李 张 刘 陈 杨 黄 赵 吴
 * 周 ...), shifted towards Chongqing, where 陈 and 刘 lead and 罗 何 唐 谭 冉
 * 向 牟 are far more common than nationally (Tujia and Miao surnames of the
 * south-east). Weights are per ten thousand people, rounded, and are an
 * assumption, not a statistic (docs/gen.md).
 *
 * Given names: per birth cohort and sex, whole names that were common in
 * that cohort (建国 and 秀英 for people born before 1960, 子涵 and 浩然 after
 * 2010), and pools of first and second characters that are combined. Every
 * person is a synthetic combination; a few famous full names are refused and
 * drawn again (gen__is_famous()).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"
#include "modules/gen/gen_int.h"

/* --- random numbers ----------------------------------------------------------- */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void gen__rng_seed(struct gen_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t gen__rng_next(struct gen_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double gen__rng_unit(struct gen_rng *r)
{
    return (double)(gen__rng_next(r) >> 11) * 0x1.0p-53;
}

int gen__rng_range(struct gen_rng *r, int lo, int hi)
{
    uint64_t span = (uint64_t)((int64_t)hi - lo + 1);
    return lo + (int)(gen__rng_next(r) % span);
}

double gen__rng_normal(struct gen_rng *r)
{
    double u = 1.0 - gen__rng_unit(r); /* (0, 1]: log() stays finite */
    double v = gen__rng_unit(r);
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

static const char *pick_weighted(struct gen_rng *r, const struct gen_weighted *t, size_t n)
{
    unsigned total = 0;
    for (size_t i = 0; i < n; i++)
        total += t[i].weight;
    unsigned x = (unsigned)(gen__rng_next(r) % total);
    for (size_t i = 0; i < n; i++) {
        if (x < t[i].weight)
            return t[i].text;
        x -= t[i].weight;
    }
    return t[n - 1].text;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* --- surnames ---------------------------------------------------------------------- */

/* clang-format off */
static const struct gen_weighted surnames[] = {
    {"陈", 700}, {"李", 700}, {"刘", 650}, {"王", 620}, {"张", 620}, {"杨", 450},
    {"黄", 300}, {"周", 300}, {"罗", 300}, {"唐", 250}, {"何", 230}, {"赵", 220},
    {"吴", 200}, {"胡", 200}, {"谭", 180}, {"邓", 180}, {"曾", 170}, {"彭", 160},
    {"徐", 150}, {"谢", 130}, {"肖", 130}, {"余", 130}, {"袁", 120}, {"蒋", 120},
    {"向", 120}, {"朱", 110}, {"田", 110}, {"冉", 100}, {"马", 90},  {"冯", 90},
    {"廖", 90},  {"熊", 90},  {"孙", 80},  {"郭", 80},  {"高", 80},  {"梁", 80},
    {"杜", 80},  {"林", 70},  {"郑", 70},  {"宋", 70},  {"任", 70},  {"许", 60},
    {"曹", 60},  {"潘", 60},  {"蔡", 60},  {"程", 60},  {"苏", 60},  {"钟", 60},
    {"石", 60},  {"付", 60},  {"邹", 60},  {"雷", 60},  {"龙", 60},  {"龚", 60},
    {"易", 60},  {"韩", 50},  {"董", 50},  {"叶", 50},  {"魏", 50},  {"卢", 50},
    {"范", 50},  {"夏", 50},  {"秦", 50},  {"陶", 50},  {"毛", 50},  {"万", 50},
    {"文", 50},  {"牟", 50},  {"吕", 40},  {"丁", 40},  {"姚", 40},  {"汪", 40},
    {"方", 40},  {"邱", 40},  {"江", 40},  {"段", 40},  {"黎", 40},  {"贺", 40},
    {"汤", 40},  {"沈", 30},  {"姜", 30},  {"陆", 30},  {"白", 30},  {"侯", 30},
    {"尹", 30},  {"戴", 30},  {"严", 30},  {"赖", 30},  {"于", 30},  {"崔", 20},
    {"金", 20},  {"韦", 20},  {"贾", 20},  {"孟", 20},  {"薛", 20},  {"史", 20},
    {"邵", 20},  {"钱", 20},  {"莫", 20},  {"孔", 20},  {"康", 20},  {"敖", 20},
    {"母", 20},  {"郝", 10},  {"顾", 10},  {"武", 10},  {"常", 10},  {"乔", 10},
    {"穆", 10},
};

/* --- given names, per cohort ------------------------------------------------------ */

struct cohort_names {
    const char *const *whole_m, *const *whole_f;
    size_t n_whole_m, n_whole_f;
    const char *const *first_m, *const *second_m, *const *first_f, *const *second_f;
    size_t n_first_m, n_second_m, n_first_f, n_second_f;
    unsigned single_char_pct; /* given names of one character */
    unsigned whole_pct;       /* whole names rather than combined characters */
};

static const char *const old_wm[] = {"建国", "建华", "国强", "德明", "志强", "国华", "德华",
    "文华", "永福", "福生", "树林", "世明", "长贵", "德才", "正华", "明亮", "永安", "光明",
    "国庆", "援朝", "振华", "富贵", "海清", "世荣", "绍华", "炳文", "光辉", "开明"};
static const char *const old_wf[] = {"秀英", "淑芬", "桂英", "秀兰", "玉兰", "凤英", "桂兰",
    "玉珍", "素芬", "淑珍", "桂芳", "秀珍", "翠华", "玉梅", "春梅", "秀芳", "素珍", "淑华",
    "桂珍", "玉英", "德芳", "素华", "翠兰", "菊英", "光秀", "泽芬"};
static const char *const old_fm[] = {"建", "国", "德", "志", "永", "世", "长", "树", "光",
    "明", "正", "福", "绍", "开", "炳", "文", "泽", "天"};
static const char *const old_sm[] = {"国", "华", "明", "强", "福", "林", "贵", "才", "安",
    "荣", "生", "清", "章", "发", "全", "成", "民", "山"};
static const char *const old_ff[] = {"秀", "淑", "桂", "玉", "凤", "素", "翠", "春", "菊",
    "德", "光", "泽", "碧", "慧"};
static const char *const old_sf[] = {"英", "芬", "兰", "珍", "芳", "华", "梅", "秀", "琼",
    "容", "清", "贞", "莲", "群"};

static const char *const mid_wm[] = {"建军", "国平", "卫东", "志刚", "建平", "红军", "建新",
    "小平", "永红", "志勇", "建明", "国栋", "晓东", "卫国", "建伟", "志军", "海波", "红兵",
    "明华", "学军", "永刚", "德勇"};
static const char *const mid_wf[] = {"丽华", "红梅", "小红", "晓燕", "春燕", "丽萍", "玉华",
    "红英", "建英", "小琴", "秀琼", "晓梅", "丽君", "素琼", "红霞", "春花", "小芳", "玉琴",
    "德琼", "朝英"};
static const char *const mid_1m[] = {"伟", "军", "勇", "强", "斌", "海", "明", "刚", "平",
    "兵", "林", "波", "华", "东", "涛"};
static const char *const mid_1f[] = {"丽", "红", "敏", "燕", "艳", "芳", "霞", "萍", "琴",
    "英", "梅", "玲", "琼", "莉"};
static const char *const mid_fm[] = {"建", "国", "卫", "志", "永", "晓", "小", "学", "红",
    "海", "明", "德", "勇", "光"};
static const char *const mid_sm[] = {"军", "平", "东", "刚", "勇", "明", "伟", "强", "兵",
    "林", "华", "波", "春", "峰"};
static const char *const mid_ff[] = {"丽", "红", "晓", "春", "小", "玉", "秀", "素", "建",
    "德", "海", "明"};
static const char *const mid_sf[] = {"华", "梅", "燕", "萍", "英", "琴", "琼", "芳", "霞",
    "君", "花", "莉", "蓉"};

static const char *const young_wm[] = {"明杰", "志伟", "文杰", "俊杰", "晓东", "建华", "海涛",
    "志强", "小龙", "浩", "鹏飞", "俊", "家伟", "文涛", "永强", "宇", "亮", "超"};
static const char *const young_wf[] = {"婷婷", "丽娟", "晓丽", "雪梅", "丹丹", "静怡", "小燕",
    "倩", "琳", "娟", "婷", "静", "丹", "雪", "佳", "欣", "晓琳", "美玲"};
static const char *const young_1m[] = {"伟", "磊", "涛", "杰", "鹏", "浩", "强", "俊", "勇",
    "超", "波", "亮", "宇", "峰", "飞", "林", "川", "渝"};
static const char *const young_1f[] = {"婷", "静", "丹", "倩", "雪", "琳", "娟", "莉", "佳",
    "欣", "媛", "洁", "瑶", "露"};
static const char *const young_fm[] = {"俊", "志", "文", "明", "家", "鹏", "海", "晓", "永",
    "建", "小", "宇", "浩", "思"};
static const char *const young_sm[] = {"杰", "伟", "涛", "强", "龙", "飞", "东", "鹏", "峰",
    "宇", "林", "波", "川", "超"};
static const char *const young_ff[] = {"晓", "雪", "丽", "静", "婷", "佳", "美", "小", "思",
    "雨", "丹", "春"};
static const char *const young_sf[] = {"婷", "丽", "娟", "梅", "燕", "玲", "琳", "静", "霞",
    "敏", "月", "丹"};

static const char *const y2k_wm[] = {"浩然", "宇航", "子豪", "俊杰", "浩宇", "博文", "家豪",
    "天宇", "子轩", "志豪", "文博", "鑫", "宇", "俊宇", "思远", "嘉伟", "明轩", "浩"};
static const char *const y2k_wf[] = {"欣怡", "雨欣", "佳怡", "梦琪", "思雨", "雨涵", "诗琪",
    "可欣", "佳琪", "子琪", "心怡", "婧", "雨婷", "欣雨", "梦瑶", "思琪"};
static const char *const y2k_fm[] = {"浩", "宇", "子", "俊", "博", "家", "天", "志", "文",
    "嘉", "思", "明", "鑫", "泽"};
static const char *const y2k_sm[] = {"然", "航", "豪", "杰", "宇", "文", "轩", "远", "博",
    "伟", "阳", "翔", "涛", "辉"};
static const char *const y2k_ff[] = {"欣", "雨", "佳", "梦", "思", "诗", "可", "子", "心",
    "若", "雅", "紫"};
static const char *const y2k_sf[] = {"怡", "欣", "琪", "涵", "雨", "瑶", "婷", "妍", "萱",
    "琳", "然", "悦"};

static const char *const now_wm[] = {"子涵", "浩然", "梓轩", "宇轩", "沐宸", "一诺", "子墨",
    "梓睿", "俊熙", "奕辰", "皓轩", "宇泽", "铭泽", "睿", "宸", "梓豪", "锦程", "承泽"};
static const char *const now_wf[] = {"子涵", "欣怡", "梓涵", "诗涵", "一诺", "语桐", "可馨",
    "雨桐", "梓萱", "若汐", "思彤", "沐恩", "芷若", "依诺", "梓琪", "语汐", "安然", "悦"};
static const char *const now_fm[] = {"梓", "子", "宇", "浩", "俊", "奕", "皓", "铭", "沐",
    "睿", "锦", "承", "一", "辰"};
static const char *const now_sm[] = {"轩", "睿", "辰", "泽", "宸", "熙", "豪", "墨", "阳",
    "诺", "程", "航", "川", "恒"};
static const char *const now_ff[] = {"梓", "子", "语", "诗", "若", "思", "雨", "可", "欣",
    "芷", "沐", "依"};
static const char *const now_sf[] = {"涵", "桐", "萱", "汐", "彤", "馨", "琪", "若", "怡",
    "诺", "然", "妍"};
/* clang-format on */

#define NAMES(wm, wf, fm, sm, ff, sf, single, whole)                                              \
    {                                                                                             \
        wm, wf, COUNT(wm), COUNT(wf), fm, sm, ff, sf, COUNT(fm), COUNT(sm), COUNT(ff), COUNT(sf), \
            single, whole                                                                         \
    }

static const struct cohort_names cohorts[GEN_COHORT_COUNT] = {
    NAMES(old_wm, old_wf, old_fm, old_sm, old_ff, old_sf, 0, 60),
    NAMES(mid_wm, mid_wf, mid_fm, mid_sm, mid_ff, mid_sf, 35, 45),
    NAMES(young_wm, young_wf, young_fm, young_sm, young_ff, young_sf, 35, 45),
    NAMES(y2k_wm, y2k_wf, y2k_fm, y2k_sm, y2k_ff, y2k_sf, 10, 60),
    NAMES(now_wm, now_wf, now_fm, now_sm, now_ff, now_sf, 8, 60),
};

/* One-character names of the 1960s-90s cohorts come from their own lists. */
static const char *const *const single_m[GEN_COHORT_COUNT] = {NULL, mid_1m, young_1m, NULL, NULL};
static const char *const *const single_f[GEN_COHORT_COUNT] = {NULL, mid_1f, young_1f, NULL, NULL};
static const size_t single_n_m[GEN_COHORT_COUNT] = {0, COUNT(mid_1m), COUNT(young_1m), 0, 0};
static const size_t single_n_f[GEN_COHORT_COUNT] = {0, COUNT(mid_1f), COUNT(young_1f), 0, 0};

/* Famous people's names (leaders, athletes, artists, scientists, writers)
 * that a common surname and given name could spell by chance. */
static const char *const famous[] = {
    "李娜",   "刘翔",     "姚明",   "王菲",   "杨利伟", "刘洋",   "李宁",   "王军霞", "邓亚萍",
    "张艺谋", "刘德华",   "张学友", "黎明",   "郭晶晶", "孙杨",   "林丹",   "王力宏", "章子怡",
    "赵薇",   "周迅",     "杨澜",   "马云",   "马化腾", "李彦宏", "雷军",   "王石",   "刘强东",
    "张朝阳", "杨振宁",   "钱学森", "袁隆平", "屠呦呦", "莫言",   "鲁迅",   "毛泽东", "周恩来",
    "邓小平", "江泽民",   "胡锦涛", "习近平", "李克强", "朱镕基", "温家宝", "李鹏",   "刘少奇",
    "朱德",   "陈毅",     "贺龙",   "彭德怀", "刘伯承", "聂荣臻", "杨尚昆", "王岐山", "李强",
    "赵乐际", "王沪宁",   "韩正",   "蔡奇",   "王毅",   "薄熙来", "杨洋",   "刘涛",   "孙俪",
    "邓超",   "黄渤",     "王宝强", "杨幂",   "刘亦菲", "范冰冰", "李冰冰", "周杰伦", "陈奕迅",
    "王俊凯", "易烊千玺", "杨紫",   "张杰",   "谢娜",   "何炅",   "汪涵",   "刘国梁", "马龙",
    "张继科", "丁宁",     "朱婷",   "郎平",   "苏炳添", "谷爱凌", "全红婵", "陈梦",   "李小龙",
    "成龙",   "李连杰",   "吴京",   "周星驰", "杨超越",
};

enum gen_cohort gen__cohort(int birth_year)
{
    if (birth_year < 1960)
        return GEN_COHORT_1920S_50S;
    if (birth_year < 1980)
        return GEN_COHORT_60S_70S;
    if (birth_year < 2000)
        return GEN_COHORT_80S_90S;
    if (birth_year < 2013)
        return GEN_COHORT_2000S;
    return GEN_COHORT_2013_ON;
}

const char *gen__surname(struct gen_rng *r)
{
    return pick_weighted(r, surnames, COUNT(surnames));
}

static const char *pick(struct gen_rng *r, const char *const *list, size_t n)
{
    return list[gen__rng_next(r) % n];
}

void gen__given_name(struct gen_rng *r, int is_male, int birth_year, char *out, size_t size)
{
    enum gen_cohort c = gen__cohort(birth_year);
    const struct cohort_names *t = &cohorts[c];
    unsigned x = (unsigned)gen__rng_range(r, 0, 99);
    if (x < t->single_char_pct && single_m[c]) {
        snprintf(out, size, "%s",
                 is_male ? pick(r, single_m[c], single_n_m[c])
                         : pick(r, single_f[c], single_n_f[c]));
    } else if (x < t->single_char_pct + t->whole_pct) {
        snprintf(out, size, "%s",
                 is_male ? pick(r, t->whole_m, t->n_whole_m) : pick(r, t->whole_f, t->n_whole_f));
    } else if (is_male) {
        snprintf(out, size, "%s%s", pick(r, t->first_m, t->n_first_m),
                 pick(r, t->second_m, t->n_second_m));
    } else {
        snprintf(out, size, "%s%s", pick(r, t->first_f, t->n_first_f),
                 pick(r, t->second_f, t->n_second_f));
    }
}

int gen__is_famous(const char *full_name)
{
    for (size_t i = 0; i < COUNT(famous); i++)
        if (strcmp(full_name, famous[i]) == 0)
            return 1;
    return 0;
}

void gen__name(struct gen_rng *r, int is_male, int birth_year, char *out, size_t size)
{
    const char *surname = gen__surname(r);
    for (int i = 0; i < 8; i++) {
        char given[16];
        gen__given_name(r, is_male, birth_year, given, sizeof(given));
        snprintf(out, size, "%s%s", surname, given);
        if (!gen__is_famous(out))
            return;
    }
}

/* --- addresses --------------------------------------------------------------------- */

/* Generic road names of Chinese towns; none is claimed to exist in Wansheng. */
static const char *const roads[] = {"人民路", "新华路", "建设路", "和平路", "滨河路", "文化路",
                                    "友谊路", "迎宾路", "团结路", "胜利路", "解放路", "兴盛路",
                                    "朝阳路", "青山路", "向阳路", "工农路", "幸福路", "民生路"};

const char *gen__road(struct gen_rng *r)
{
    return pick(r, roads, COUNT(roads));
}
