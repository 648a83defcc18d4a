/*
 * pinyin.c - names and place names to toneless pinyin, over ICU's Han-Latin
 * transliterators and a per-character cache (see pinyin.h for the contract,
 * docs/pinyin.md for the choices).
 *
 * Shape. A conversion decodes the input to code points, then emits syllables
 * into a small builder that fills `full`, `joined` and `initials` at once.
 * Each Han character's reading comes from the cache, keyed by code point and
 * by which reading is wanted (plain, surname position, inside a name); only
 * on a miss is ICU asked, under `state.lock`, because ICU transliterators
 * must not be used by two threads at once.
 *
 * The cache is an open-addressed table that only grows, so readers need no
 * lock: a writer (holding the lock) fills a slot's reading and then publishes
 * its key with a release store; a reader that sees the key with an acquire
 * load also sees the reading. Slots are never changed or removed while the
 * module is in use; ms_pinyin_release_all() frees the table when nobody is.
 * When the table is three-quarters full, further misses are answered by ICU
 * each time instead of being cached (far beyond the few thousand characters
 * real names use).
 *
 * Readings inside a name are taken from ICU's Han-Latin/Names with a Han
 * character (一) in front, so that the transliterator does not treat the
 * character as a surname; the first syllable, "yi", is then dropped.
 */
#include "pinyin.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <uchar.h>
#include <unicode/uclean.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "json.h"
#include "xalloc.h"

#include "banned.h"

/* Which reading of a character is wanted; part of the cache key. */
enum reading_tag {
    TAG_PLAIN = 1,      /* text: Han-Latin */
    TAG_NAME_FIRST = 2, /* first character of a name: Han-Latin/Names, as a surname */
    TAG_NAME_INNER = 3, /* any other character of a name: Han-Latin/Names */
};

#define READING_SIZE (MS_PINYIN_READING_MAX + 1)

/* ICU working buffer, in UTF-16 units: a character or two and their readings. */
#define ICU_BUF 64

/* get_reading()'s result for a Han character ICU has no reading for. */
#define NO_READING 1

/* The character put before one whose reading inside a name is wanted. */
#define INNER_PREFIX      0x4E00u /* 一 */
#define INNER_PREFIX_READ "yi "

#define CACHE_BITS  15
#define CACHE_SLOTS (1u << CACHE_BITS)
#define CACHE_LIMIT ((size_t)CACHE_SLOTS / 4 * 3)

#define MIDDLE_DOT 0x00B7u

/* Han characters with a reading fixed by us: syllables separated by spaces. */
struct fixed_reading {
    const char32_t *han;
    const char *reading;
};

/*
 * Compound surnames, recognised at the start of a name of three or more
 * characters (a two-character name such as 欧阳 may be surname 欧 and given
 * name 阳; the reading is usually the same either way). Most have ordinary
 * readings and are listed so that the surname is split off; the ones marked
 * [R] have readings ICU gets wrong. Sources in docs/pinyin.md: [1] the
 * surname list quoted in python-pinyin issue 297 (from overtrue/pinyin),
 * [2] the "容易读错的姓氏" lists (jjdzc.com, zhejianglong.com), [3] ICU's
 * Han_Latin_Names rules (CLDR), which agree on 万俟, 澹台, 令狐, 长孙.
 */
/* clang-format off */
static const struct fixed_reading compound_surnames[] = {
    {U"欧阳", "ou yang"},   {U"司马", "si ma"},     {U"诸葛", "zhu ge"},
    {U"上官", "shang guan"}, {U"东方", "dong fang"}, {U"皇甫", "huang fu"},
    {U"公孙", "gong sun"},  {U"慕容", "mu rong"},   {U"令狐", "ling hu"},
    {U"夏侯", "xia hou"},   {U"司徒", "si tu"},     {U"宇文", "yu wen"},
    {U"端木", "duan mu"},   {U"独孤", "du gu"},     {U"南宫", "nan gong"},
    {U"西门", "xi men"},    {U"百里", "bai li"},    {U"呼延", "hu yan"},
    {U"公冶", "gong ye"},   {U"太史", "tai shi"},   {U"申屠", "shen tu"},
    {U"轩辕", "xuan yuan"}, {U"钟离", "zhong li"},  {U"闻人", "wen ren"},
    {U"司空", "si kong"},   {U"濮阳", "pu yang"},   {U"淳于", "chun yu"},
    {U"赫连", "he lian"},   {U"宗政", "zong zheng"}, {U"公羊", "gong yang"},
    {U"左丘", "zuo qiu"},   {U"东郭", "dong guo"},  {U"鲜于", "xian yu"},
    {U"闾丘", "lv qiu"},    {U"亓官", "qi guan"},   {U"司寇", "si kou"},
    {U"漆雕", "qi diao"},   {U"颛孙", "zhuan sun"}, {U"第五", "di wu"},
    {U"乐正", "yue zheng"}, /* 乐 read as the surname 乐 */
    {U"澹台", "tan tai"},   /* [R] [2][3]; plain reading dan */
    {U"长孙", "zhang sun"}, /* [R] [3]; plain 长 is chang in names */
    {U"尉迟", "yu chi"},    /* [R] [1][2]; single 尉 is wei, see below */
    {U"万俟", "mo qi"},     /* [R] [1][2][3] */
    {U"单于", "chan yu"},   /* [R] [1][2]; ICU says shan yu */
    {U"拓跋", "tuo ba"},    /* [R] [2]; ICU says ta ba */
    {U"段干", "duan gan"},
};

/*
 * Single-character surnames whose reading as a surname differs from the
 * character's usual one. [=] marks entries where ICU's Han-Latin/Names
 * already agrees (kept so the table states the rule on its own); [?] marks
 * readings the sources disagree on, with the choice explained.
 */
static const struct fixed_reading special_surnames[] = {
    {U"单", "shan"},  /* [=] [1][2], not dan */
    {U"仇", "qiu"},   /* [=] [1][2], not chou */
    {U"解", "xie"},   /* [=] [1][2], not jie */
    {U"曾", "zeng"},  /* [=] [1], not ceng */
    {U"区", "ou"},    /* [=] [1][2], not qu */
    {U"朴", "piao"},  /* [1][2] (Korean-Chinese surname); ICU says pu */
    {U"查", "zha"},   /* [=] [1][2], not cha */
    {U"盖", "ge"},    /* [=] [?] [1][2]; some families say gai (盖叫天 is a stage name) */
    {U"缪", "miao"},  /* [1][2]; ICU says mou */
    {U"覃", "qin"},   /* [?] [1]; a second family reads tan [2]; ICU says tan */
    {U"尉", "wei"},   /* [?] the brief asked for yu. yu is the 尉 of 尉迟 [2] and of old
                       * names (尉缭); people with the single surname today write Wei
                       * (尉健行 Wei Jianxing). ICU says yu. */
    {U"乐", "yue"},   /* [=] [?] [1][2]; a southern branch says le */
    {U"召", "shao"},  /* [=] [2]; zhao among the Dai [2] */
    {U"种", "chong"}, /* [=] [1][2], not zhong */
    {U"华", "hua"},   /* [=] [1][2] hua4, toneless the same as hua2 */
    {U"任", "ren"},   /* [=] [2] ren2, toneless the same as ren4 */
    {U"燕", "yan"},   /* [=] [1][2] yan1, toneless the same as yan4 */
    {U"员", "yun"},   /* [=] [2] ([1] lists its variant 贠 yun), not yuan */
    {U"黑", "hei"},   /* [?] the brief asked for he. Popular lists [2] give he4, but
                       * dictionaries and ICU give hei1; we keep hei. */
    {U"牟", "mou"},   /* [?] [1] dictionary reading; many families in Chongqing and
                       * Sichuan say mu (ICU says mu). See docs/pinyin.md. */
    {U"阚", "kan"},   /* [1][2]; ICU says han */
    {U"乜", "nie"},   /* [1][2]; ICU says mie */
    {U"句", "gou"},   /* [2]; ICU says ju */
    {U"都", "du"},    /* [1][2]; ICU says dou */
    {U"能", "nai"},   /* [2]; ICU says neng */
    {U"祭", "zhai"},  /* [2]; ICU says ji */
    {U"薄", "bo"},    /* [1]; ICU says bao */
    {U"藏", "zang"},  /* [1]; ICU says cang */
    {U"洗", "xian"},  /* [2]; ICU says xi */
    {U"繁", "po"},    /* [=] [1][2] */
    {U"秘", "bi"},    /* [=] [1][2] */
    {U"翟", "zhai"},  /* [=] [1]; some families say di */
};

/*
 * Text: phrases read as a whole before falling back to one character at a
 * time, longest first. The first three are ICU's own context rules (lost when
 * reading character by character); the rest are place names ICU 72 reads
 * wrongly, and two characters whose ICU 72 default reading (zhang3, dou1) is
 * the rare one in place names (长寿 长江 长沙; 成都 丰都 都江堰).
 */
static const struct fixed_reading text_phrases[] = {
    {U"重庆", "chong qing"}, {U"藏文", "zang wen"}, {U"秘鲁", "bi lu"},
    {U"厦门", "xia men"},    {U"六安", "lu an"},    {U"蚌埠", "beng bu"},
    {U"番禺", "pan yu"},     {U"洪洞", "hong tong"}, {U"乐清", "yue qing"},
    {U"单县", "shan xian"},  {U"银行", "yin hang"},
    {U"长", "chang"},        {U"都", "du"},
};
/* clang-format on */

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct cache_slot {
    _Atomic uint32_t key;       /* 0: empty; else code point | tag << 21 */
    char reading[READING_SIZE]; /* written once, before key is published */
};

static struct {
    pthread_mutex_t lock;      /* guards ICU, cache writes and the counters */
    atomic_int is_ready;       /* set (release) once all below is set up */
    struct cache_slot *slots;  /* CACHE_SLOTS entries */
    size_t entries;            /* used slots */
    size_t icu_lookups;        /* characters asked of ICU */
    UTransliterator *names;    /* Han-Latin/Names */
    UTransliterator *plain;    /* Han-Latin */
    UTransliterator *to_ascii; /* Latin-ASCII */
} state = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* --- setup -------------------------------------------------------------- */

/* id is ASCII, so ICU's invariant-character copy converts it exactly. */
static UTransliterator *open_transliterator(const char *id, UErrorCode *status)
{
    UChar uid[48];
    size_t n = strlen(id) + 1;
    if (n > COUNT(uid))
        MS_BUG("transliterator id too long");
    u_charsToUChars(id, uid, (int32_t)n);
    return utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, NULL, status);
}

static void close_one(UTransliterator **t)
{
    if (*t)
        utrans_close(*t);
    *t = NULL;
}

static void close_all(void)
{
    close_one(&state.names);
    close_one(&state.plain);
    close_one(&state.to_ascii);
}

/* Called with the lock held. */
static int open_all(struct ms_err *err)
{
    UErrorCode status = U_ZERO_ERROR;
    u_init(&status); /* first use, or first again after u_cleanup(), on one thread */
    state.names = open_transliterator("Han-Latin/Names", &status);
    state.plain = open_transliterator("Han-Latin", &status);
    state.to_ascii = open_transliterator("Latin-ASCII", &status);
    if (U_FAILURE(status)) {
        close_all();
        return ms_err_set(err, MS_EINTERNAL, "cannot open ICU transliterators: %s",
                          u_errorName(status));
    }
    state.slots = ms_xcalloc(CACHE_SLOTS, sizeof(*state.slots));
    atomic_store_explicit(&state.is_ready, 1, memory_order_release);
    return 0;
}

static int ensure_ready(struct ms_err *err)
{
    if (atomic_load_explicit(&state.is_ready, memory_order_acquire))
        return 0;
    pthread_mutex_lock(&state.lock);
    int rc = 0;
    if (!atomic_load_explicit(&state.is_ready, memory_order_relaxed))
        rc = open_all(err);
    pthread_mutex_unlock(&state.lock);
    return rc;
}

void ms_pinyin_release_all(void)
{
    pthread_mutex_lock(&state.lock);
    atomic_store_explicit(&state.is_ready, 0, memory_order_relaxed);
    close_all();
    free(state.slots);
    state.slots = NULL;
    state.entries = 0;
    state.icu_lookups = 0;
    pthread_mutex_unlock(&state.lock);
    u_cleanup();
}

void ms_pinyin_stats(struct ms_pinyin_stats *out)
{
    pthread_mutex_lock(&state.lock);
    out->icu_lookups = state.icu_lookups;
    out->cache_entries = state.entries;
    pthread_mutex_unlock(&state.lock);
}

/* --- the per-character cache -------------------------------------------- */

static uint32_t cache_key(uint32_t cp, enum reading_tag tag)
{
    return cp | (uint32_t)tag << 21;
}

static size_t cache_home(uint32_t key)
{
    return (size_t)((key * 2654435761u) >> (32 - CACHE_BITS));
}

/* Copies the cached reading for key to out; 0 if there is none. Lock-free. */
static int cache_get(uint32_t key, char out[READING_SIZE])
{
    size_t i = cache_home(key);
    for (size_t probes = 0; probes < CACHE_SLOTS; probes++) {
        struct cache_slot *slot = &state.slots[i];
        uint32_t k = atomic_load_explicit(&slot->key, memory_order_acquire);
        if (k == key) {
            memcpy(out, slot->reading, READING_SIZE);
            return 1;
        }
        if (k == 0)
            return 0;
        i = (i + 1) & (CACHE_SLOTS - 1);
    }
    return 0;
}

/* Adds a reading known to be absent; called with the lock held. */
static void cache_put(uint32_t key, const char reading[READING_SIZE])
{
    if (state.entries >= CACHE_LIMIT)
        return;
    size_t i = cache_home(key);
    while (atomic_load_explicit(&state.slots[i].key, memory_order_relaxed) != 0)
        i = (i + 1) & (CACHE_SLOTS - 1);
    memcpy(state.slots[i].reading, reading, READING_SIZE);
    atomic_store_explicit(&state.slots[i].key, key, memory_order_release);
    state.entries++;
}

/* --- asking ICU ----------------------------------------------------------- */

static int32_t utf16_append(UChar *buf, int32_t len, uint32_t cp)
{
    if (cp < 0x10000u) {
        buf[len++] = (UChar)cp;
        return len;
    }
    cp -= 0x10000u;
    buf[len++] = (UChar)(0xD800u + (cp >> 10));
    buf[len++] = (UChar)(0xDC00u + (cp & 0x3FFu));
    return len;
}

static int is_umlaut_u(UChar c)
{
    static const UChar umlauts[] = {
        0x00FC, 0x01D6, 0x01D8, 0x01DA, 0x01DC, /* ü ǖ ǘ ǚ ǜ */
        0x00DC, 0x01D5, 0x01D7, 0x01D9, 0x01DB, /* Ü Ǖ Ǘ Ǚ Ǜ */
    };
    for (size_t i = 0; i < COUNT(umlauts); i++)
        if (c == umlauts[i])
            return 1;
    return 0;
}

/* ü -> v before Latin-ASCII would make it u; also u + combining diaeresis. */
static int32_t fold_umlauts(UChar *buf, int32_t len)
{
    int32_t j = 0;
    for (int32_t i = 0; i < len; i++) {
        UChar c = buf[i];
        if (is_umlaut_u(c)) {
            c = 'v';
        } else if ((c == 'u' || c == 'U') && i + 1 < len && buf[i + 1] == 0x0308) {
            c = 'v';
            i++;
        }
        buf[j++] = c;
    }
    return j;
}

/*
 * Turns ICU's output into a reading in out (size bytes, NUL-padded):
 * lower-case ASCII syllables separated by single spaces. NO_READING if
 * anything else is left (ICU leaves characters it cannot read as they are).
 */
static int to_reading(const UChar *buf, int32_t len, char *out, size_t size)
{
    size_t n = 0;
    for (int32_t i = 0; i < len; i++) {
        UChar c = buf[i];
        if (c == ' ' || c == '\'') {
            if (n > 0 && out[n - 1] != ' ' && n < size - 1)
                out[n++] = ' ';
            continue;
        }
        if (c >= 'A' && c <= 'Z')
            c = (UChar)(c - 'A' + 'a');
        if (c < 'a' || c > 'z' || n >= size - 1)
            return NO_READING;
        out[n++] = (char)c;
    }
    while (n > 0 && out[n - 1] == ' ')
        n--;
    if (n == 0)
        return NO_READING;
    memset(out + n, 0, size - n);
    return 0;
}

/* Called with the lock held. 0, NO_READING or MS_EINTERNAL. */
static int icu_reading(uint32_t cp, enum reading_tag tag, char out[READING_SIZE],
                       struct ms_err *err)
{
    UChar buf[ICU_BUF];
    int32_t len = 0;
    if (tag == TAG_NAME_INNER)
        buf[len++] = (UChar)INNER_PREFIX;
    len = utf16_append(buf, len, cp);

    UErrorCode status = U_ZERO_ERROR;
    int32_t limit = len;
    UTransliterator *han = tag == TAG_PLAIN ? state.plain : state.names;
    utrans_transUChars(han, buf, &len, ICU_BUF, 0, &limit, &status);
    if (U_SUCCESS(status) && len < ICU_BUF) {
        len = fold_umlauts(buf, len);
        limit = len;
        utrans_transUChars(state.to_ascii, buf, &len, ICU_BUF, 0, &limit, &status);
    }
    if (U_FAILURE(status) || len >= ICU_BUF)
        return NO_READING;
    if (tag != TAG_NAME_INNER)
        return to_reading(buf, len, out, READING_SIZE);

    /* Drop the prefix's syllable; if it is not there, ICU changed under us. */
    char both[sizeof(INNER_PREFIX_READ) + READING_SIZE];
    size_t skip = sizeof(INNER_PREFIX_READ) - 1;
    int rc = to_reading(buf, len, both, sizeof(both));
    if (rc)
        return rc;
    if (strncmp(both, INNER_PREFIX_READ, skip) != 0)
        return ms_err_set(err, MS_EINTERNAL, "ICU read U+%04X after its prefix as '%s'",
                          (unsigned)cp, both);
    size_t n = strlen(both + skip);
    if (n >= READING_SIZE)
        return NO_READING;
    memset(out, 0, READING_SIZE);
    memcpy(out, both + skip, n);
    return 0;
}

/* --- input ---------------------------------------------------------------- */

/* What the input is, for messages: field name and Chinese subject. */
struct subject {
    const char *field; /* "name" */
    const char *zh;    /* "姓名" */
};

static void encode_utf8(uint32_t cp, char out[5])
{
    size_t n = 0;
    if (cp < 0x80u) {
        out[n++] = (char)cp;
    } else if (cp < 0x800u) {
        out[n++] = (char)(0xC0u | (cp >> 6));
        out[n++] = (char)(0x80u | (cp & 0x3Fu));
    } else if (cp < 0x10000u) {
        out[n++] = (char)(0xE0u | (cp >> 12));
        out[n++] = (char)(0x80u | ((cp >> 6) & 0x3Fu));
        out[n++] = (char)(0x80u | (cp & 0x3Fu));
    } else {
        out[n++] = (char)(0xF0u | (cp >> 18));
        out[n++] = (char)(0x80u | ((cp >> 12) & 0x3Fu));
        out[n++] = (char)(0x80u | ((cp >> 6) & 0x3Fu));
        out[n++] = (char)(0x80u | (cp & 0x3Fu));
    }
    out[n] = '\0';
}

static int refuse_char(const struct subject *what, uint32_t cp, size_t pos, int is_han,
                       struct ms_err *err)
{
    char shown[5];
    encode_utf8(cp < 0x20u || cp == 0x7Fu ? '?' : cp, shown);
    if (is_han) {
        ms_err_field(err, MS_EFIELD, what->field,
                     "%s has '%s' (U+%04X) at position %zu, a Chinese character without a "
                     "known pinyin reading",
                     what->field, shown, (unsigned)cp, pos + 1);
        ms_err_zh(err, "%s第 %zu 个字“%s”无法转换为拼音", what->zh, pos + 1, shown);
    } else {
        ms_err_field(err, MS_EFIELD, what->field,
                     "%s has '%s' (U+%04X) at position %zu, which is not a Chinese character, "
                     "a letter or a digit",
                     what->field, shown, (unsigned)cp, pos + 1);
        ms_err_zh(err, "%s第 %zu 个字符“%s”不是汉字、字母或数字", what->zh, pos + 1, shown);
    }
    return MS_EFIELD;
}

/* Checks text and decodes it into cps (at most max_chars). */
static int decode(const struct subject *what, const char *text, size_t max_chars, uint32_t *cps,
                  size_t *n_out, struct ms_err *err)
{
    if (!text || !*text) {
        ms_err_field(err, MS_EMISSING, what->field, "%s is missing", what->field);
        ms_err_zh(err, "请填写%s", what->zh);
        return MS_EMISSING;
    }
    size_t len = strlen(text);
    if (!ms_utf8_is_valid(text, len)) {
        ms_err_field(err, MS_EUTF8, what->field, "%s is not valid UTF-8", what->field);
        ms_err_zh(err, "%s不是合法的 UTF-8 文本", what->zh);
        return MS_EUTF8;
    }
    size_t chars = ms_utf8_chars(text);
    if (chars > max_chars) {
        ms_err_field(err, MS_EFIELD, what->field, "%s has %zu characters, at most %zu allowed",
                     what->field, chars, max_chars);
        ms_err_zh(err, "%s过长：%zu 个字，最多 %zu 个", what->zh, chars, max_chars);
        return MS_EFIELD;
    }
    const unsigned char *p = (const unsigned char *)text;
    size_t n = 0;
    while (*p) {
        uint32_t c = *p++;
        int more = c >= 0xF0u ? 3 : c >= 0xE0u ? 2 : c >= 0xC0u ? 1 : 0;
        c &= more == 3 ? 0x07u : more == 2 ? 0x0Fu : more == 1 ? 0x1Fu : 0x7Fu;
        while (more-- > 0)
            c = c << 6 | (*p++ & 0x3Fu);
        cps[n++] = c;
    }
    *n_out = n;
    return 0;
}

static int is_ascii_alnum(uint32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_separator(uint32_t c, int is_text)
{
    return c == MIDDLE_DOT || (is_text && (c == ' ' || c == '-'));
}

/* In a name a middle dot must stand between two parts. */
static int check_dots(const struct subject *what, const uint32_t *cps, size_t n, struct ms_err *err)
{
    for (size_t i = 0; i < n; i++) {
        if (cps[i] != MIDDLE_DOT)
            continue;
        if (i == 0 || i + 1 == n || cps[i + 1] == MIDDLE_DOT) {
            ms_err_field(err, MS_EFIELD, what->field,
                         "%s has a middle dot at position %zu that does not separate two parts",
                         what->field, i + 1);
            ms_err_zh(err, "%s第 %zu 个字符“·”位置不对，只能用在两部分之间", what->zh, i + 1);
            return MS_EFIELD;
        }
    }
    return 0;
}

/* --- output ---------------------------------------------------------------- */

enum { OUT_FULL, OUT_JOINED, OUT_INITIALS, OUT_COUNT };

struct builder {
    char *dst[OUT_COUNT]; /* NULL: form not wanted */
    size_t size;          /* bytes in each dst */
    size_t len[OUT_COUNT];
    int syllables;
    int is_too_long; /* sticky: some form did not fit */
};

static void builder_init(struct builder *b, char *full, char *joined, char *initials, size_t size)
{
    memset(b, 0, sizeof(*b));
    b->dst[OUT_FULL] = full;
    b->dst[OUT_JOINED] = joined;
    b->dst[OUT_INITIALS] = initials;
    b->size = size;
    for (int i = 0; i < OUT_COUNT; i++)
        if (b->dst[i] && size > 0)
            b->dst[i][0] = '\0';
}

static void put(struct builder *b, int which, const char *s, size_t n)
{
    char *dst = b->dst[which];
    if (!dst || b->is_too_long)
        return;
    if (b->len[which] + n >= b->size) {
        b->is_too_long = 1;
        return;
    }
    memcpy(dst + b->len[which], s, n);
    b->len[which] += n;
    dst[b->len[which]] = '\0';
}

static void add_syllable(struct builder *b, const char *s, size_t n)
{
    if (b->syllables > 0)
        put(b, OUT_FULL, " ", 1);
    put(b, OUT_FULL, s, n);
    put(b, OUT_JOINED, s, n);
    put(b, OUT_INITIALS, s, 1);
    b->syllables++;
}

/* Adds each space-separated syllable of a reading. */
static void add_reading(struct builder *b, const char *reading)
{
    while (*reading) {
        size_t n = strcspn(reading, " ");
        add_syllable(b, reading, n);
        reading += n;
        reading += strspn(reading, " ");
    }
}

/* --- conversion -------------------------------------------------------------- */

static int get_reading(const struct subject *what, const uint32_t *cps, size_t pos,
                       enum reading_tag tag, char out[READING_SIZE], struct ms_err *err)
{
    uint32_t cp = cps[pos];
    uint32_t key = cache_key(cp, tag);
    if (cache_get(key, out))
        return 0;
    UErrorCode status = U_ZERO_ERROR;
    if (uscript_getScript((UChar32)cp, &status) != USCRIPT_HAN)
        return refuse_char(what, cp, pos, 0, err);

    int rc = 0;
    pthread_mutex_lock(&state.lock);
    if (!cache_get(key, out)) {
        state.icu_lookups++;
        rc = icu_reading(cp, tag, out, err);
        if (rc == 0)
            cache_put(key, out);
    }
    pthread_mutex_unlock(&state.lock);
    if (rc == NO_READING)
        return refuse_char(what, cp, pos, 1, err);
    return rc;
}

/* Length of a NUL-terminated char32_t string. */
static size_t han_len(const char32_t *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

/* The first entry of table whose characters start cps[0 .. n), or NULL. */
static const struct fixed_reading *match(const struct fixed_reading *table, size_t count,
                                         const uint32_t *cps, size_t n)
{
    for (size_t i = 0; i < count; i++) {
        size_t len = han_len(table[i].han);
        if (len > n)
            continue;
        size_t j = 0;
        while (j < len && (uint32_t)table[i].han[j] == cps[j])
            j++;
        if (j == len)
            return &table[i];
    }
    return NULL;
}

/* How to read the characters after any surname. */
struct run {
    const struct subject *what;
    enum reading_tag tag;
    int is_text; /* text: phrase table and more separators */
};

static int convert_run(const struct run *run, const uint32_t *cps, size_t n, size_t from,
                       struct builder *b, struct ms_err *err)
{
    char token[MS_PINYIN_TEXT_MAX + 1];
    size_t token_len = 0;
    for (size_t i = from; i <= n; i++) {
        uint32_t c = i < n ? cps[i] : 0;
        if (i < n && is_ascii_alnum(c)) {
            token[token_len++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
            continue;
        }
        if (token_len > 0)
            add_syllable(b, token, token_len);
        token_len = 0;
        if (i == n || is_separator(c, run->is_text))
            continue;
        const struct fixed_reading *phrase =
            run->is_text ? match(text_phrases, COUNT(text_phrases), cps + i, n - i) : NULL;
        if (phrase) {
            add_reading(b, phrase->reading);
            i += han_len(phrase->han) - 1;
            continue;
        }
        char reading[READING_SIZE];
        int rc = get_reading(run->what, cps, i, run->tag, reading, err);
        if (rc)
            return rc;
        add_reading(b, reading);
    }
    return 0;
}

/* Emits the surname at the start of a name; *used is its length in characters. */
static int convert_surname(const struct subject *what, const uint32_t *cps, size_t n,
                           struct builder *b, size_t *used, struct ms_err *err)
{
    const struct fixed_reading *s = NULL;
    if (n >= 3)
        s = match(compound_surnames, COUNT(compound_surnames), cps, n);
    if (!s)
        s = match(special_surnames, COUNT(special_surnames), cps, 1);
    if (s) {
        add_reading(b, s->reading);
        *used = han_len(s->han);
        return 0;
    }
    char reading[READING_SIZE];
    int rc = get_reading(what, cps, 0, TAG_NAME_FIRST, reading, err);
    if (rc)
        return rc;
    add_reading(b, reading);
    *used = 1;
    return 0;
}

int ms_pinyin_name(const char *name, struct ms_pinyin *out, struct ms_err *err)
{
    static const struct subject what = {"name", "姓名"};
    uint32_t cps[MS_PINYIN_NAME_MAX];
    size_t n = 0;
    int rc = decode(&what, name, MS_PINYIN_NAME_MAX, cps, &n, err);
    if (!rc)
        rc = check_dots(&what, cps, n, err);
    if (!rc)
        rc = ensure_ready(err);
    if (rc)
        return rc;

    struct ms_pinyin result;
    memset(&result, 0, sizeof(result)); /* callers may compare or hash whole structs */
    struct builder b;
    builder_init(&b, result.full, result.joined, result.initials, sizeof(result.full));
    int has_dot = 0;
    for (size_t i = 0; i < n; i++)
        has_dot |= cps[i] == MIDDLE_DOT;
    size_t used = 0;
    if (!has_dot && !is_ascii_alnum(cps[0])) {
        rc = convert_surname(&what, cps, n, &b, &used, err);
        if (rc)
            return rc;
    }
    result.surname_syllables = b.syllables;
    const struct run run = {&what, TAG_NAME_INNER, 0};
    rc = convert_run(&run, cps, n, used, &b, err);
    if (rc)
        return rc;
    if (b.is_too_long) /* cannot happen: the buffers fit MS_PINYIN_NAME_MAX characters */
        return ms_err_set(err, MS_EINTERNAL, "pinyin of a name overflowed its buffer");
    memcpy(out, &result, sizeof(result));
    return 0;
}

int ms_pinyin_text(const char *text, enum ms_pinyin_form form, char *out, size_t out_size,
                   struct ms_err *err)
{
    static const struct subject what = {"text", "文本"};
    uint32_t cps[MS_PINYIN_TEXT_MAX];
    size_t n = 0;
    if (out && out_size > 0)
        out[0] = '\0';
    if (form != MS_PINYIN_FULL && form != MS_PINYIN_JOINED && form != MS_PINYIN_INITIALS)
        return ms_err_set(err, MS_EINVAL, "unknown pinyin form %d", (int)form);
    int rc = decode(&what, text, MS_PINYIN_TEXT_MAX, cps, &n, err);
    if (!rc)
        rc = ensure_ready(err);
    if (rc)
        return rc;

    char result[MS_PINYIN_SIZE_FOR(MS_PINYIN_TEXT_MAX)];
    struct builder b;
    builder_init(&b, form == MS_PINYIN_FULL ? result : NULL,
                 form == MS_PINYIN_JOINED ? result : NULL,
                 form == MS_PINYIN_INITIALS ? result : NULL, sizeof(result));
    const struct run run = {&what, TAG_PLAIN, 1};
    rc = convert_run(&run, cps, n, 0, &b, err);
    if (rc)
        return rc;
    size_t len = b.len[form == MS_PINYIN_FULL     ? OUT_FULL
                       : form == MS_PINYIN_JOINED ? OUT_JOINED
                                                  : OUT_INITIALS];
    if (b.is_too_long || !out || len >= out_size) {
        ms_err_field(err, MS_EFIELD, what.field,
                     "pinyin of the text needs %zu bytes, the buffer has %zu", len + 1, out_size);
        ms_err_zh(err, "文本转换为拼音后过长");
        return MS_EFIELD;
    }
    memcpy(out, result, len + 1);
    return 0;
}
