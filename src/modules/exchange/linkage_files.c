/*
 * linkage_files.c - `minsheng link` on CSV files (linkage_files.h): read,
 * then block, compare and estimate with the shared engine
 * (linkage_engine.h), then score, decide and write PAIRS.csv.
 *
 * Records are held in memory as prepared struct link_rec (about 1 KiB
 * each): files are read once and every record is compared many times, so
 * preparing (pinyin, dates) once is worth the memory here.
 */
#include "modules/exchange/linkage_files.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/date.h"
#include "core/json.h"
#include "core/xalloc.h"
#include "core/banned.h"

#define FIELD_MAX  (64 * 1024)
#define MAX_FIELDS 256
#define CHUNK      65536

struct side {
    const char *path;
    struct link_rec *recs;
    const char **ids;  /* in ids_arena */
    uint32_t *rows;    /* CSV record number of each, for messages */
    size_t n, cap;
    struct ms_arena ids_arena;
};

/* --- reading ------------------------------------------------------------ */

struct reader {
    const struct link_files_side *cfg;
    struct side *s;
    struct ms_err *err;
    struct ms_arena row_arena;
    size_t row;
    char *fields[MAX_FIELDS];
    size_t n_fields, n_header;
    int is_too_wide;
    int id_col, col_of[LINK_ROLE_COUNT];
    const char *header[MAX_FIELDS];
    int rc;
};

static void *capped_realloc(void *p, size_t n)
{
    return n > FIELD_MAX ? NULL : realloc(p, n);
}

static int row_error(struct reader *rd, int code, const char *column, const char *en,
                     const char *zh)
{
    if (rd->rc)
        return rd->rc;
    char field[MS_ERR_FIELD_MAX];
    snprintf(field, sizeof(field), "%.40s row %zu, column %.30s", rd->s->path, rd->row, column);
    rd->rc = ms_err_field(rd->err, code, field, "%s row %zu, column %.40s: %s", rd->s->path,
                          rd->row, column, en);
    ms_err_zh(rd->err, "%s 第 %zu 行“%.40s”列：%s", rd->s->path, rd->row, column, zh);
    return rd->rc;
}

static int find_column(struct reader *rd, const char *name, const char *key)
{
    for (size_t i = 0; i < rd->n_header; i++)
        if (strcmp(rd->header[i], name) == 0)
            return (int)i;
    char en[160];
    snprintf(en, sizeof(en), "the header has no column '%.40s' (config: %s)", name, key);
    return row_error(rd, MS_EMISSING, name, en, "表头中没有配置的列");
}

static int read_header(struct reader *rd)
{
    rd->n_header = rd->n_fields;
    for (size_t i = 0; i < rd->n_fields; i++)
        rd->header[i] = ms_arena_strdup(&rd->s->ids_arena, rd->fields[i]);
    if ((rd->id_col = find_column(rd, rd->cfg->id_column, "id")) < 0)
        return rd->rc;
    for (int r = 0; r < LINK_ROLE_COUNT; r++) {
        rd->col_of[r] = -1;
        if (rd->cfg->columns[r] &&
            (rd->col_of[r] = find_column(rd, rd->cfg->columns[r], link_role_name(r))) < 0)
            return rd->rc;
    }
    return 0;
}

static int read_record(struct reader *rd)
{
    struct side *s = rd->s;
    if (rd->n_fields != rd->n_header) {
        char en[96];
        snprintf(en, sizeof(en), "%zu fields, the header has %zu", rd->n_fields, rd->n_header);
        return row_error(rd, MS_EFIELD, "-", en, "字段个数与表头不一致");
    }
    const char *id = rd->fields[rd->id_col];
    if (!*id)
        return row_error(rd, MS_EMISSING, rd->header[rd->id_col], "the record id is empty",
                         "记录编号为空");
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 1024;
        s->recs = ms_xrealloc(s->recs, s->cap * sizeof(*s->recs));
        s->ids = ms_xrealloc(s->ids, s->cap * sizeof(*s->ids));
        s->rows = ms_xrealloc(s->rows, s->cap * sizeof(*s->rows));
    }
    struct link_rec *r = &s->recs[s->n];
    link_rec_init(r);
    /* Names first, so an explicit family or given name is not overwritten
     * by the split of the full name, whatever the column order. */
    for (int role = 0; role < LINK_ROLE_COUNT; role++) {
        struct ms_err sub = MS_ERR_INIT;
        if (rd->col_of[role] < 0)
            continue;
        if (link_rec_set(r, (enum link_role)role, rd->fields[rd->col_of[role]],
                         rd->cfg->date_format, &sub) < 0)
            return row_error(rd, sub.code, rd->header[rd->col_of[role]], sub.message,
                             ms_err_display(&sub, 0));
    }
    s->ids[s->n] = ms_arena_strdup(&s->ids_arena, id);
    s->rows[s->n] = (uint32_t)rd->row;
    s->n++;
    return 0;
}

static void on_field(void *data, size_t len, void *ctx)
{
    struct reader *rd = ctx;
    if (rd->rc)
        return;
    if (rd->n_fields == MAX_FIELDS) {
        rd->is_too_wide = 1;
        return;
    }
    const char *s = data ? data : "";
    if (rd->row == 0 && rd->n_fields == 0 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        s += 3, len -= 3; /* the byte-order mark Excel writes */
    if (!ms_utf8_is_valid(s, len))
        rd->fields[rd->n_fields++] = NULL; /* reported by on_record with the row */
    else
        rd->fields[rd->n_fields++] = ms_arena_strndup(&rd->row_arena, s, len);
}

static void on_record(int term, void *ctx)
{
    struct reader *rd = ctx;
    (void)term;
    if (rd->rc)
        return;
    rd->row++;
    int is_blank = 1;
    for (size_t i = 0; i < rd->n_fields; i++) {
        if (!rd->fields[i]) {
            row_error(rd, MS_EUTF8, rd->row > 1 && i < rd->n_header ? rd->header[i] : "-",
                      "not valid UTF-8 (save the file as UTF-8, not GBK)",
                      "不是合法的 UTF-8 文本（请将文件另存为 UTF-8 编码）");
            return;
        }
        is_blank &= rd->fields[i][0] == '\0';
    }
    if (rd->is_too_wide)
        row_error(rd, MS_EFIELD, "-", "more than 256 fields", "字段超过 256 个");
    else if (rd->row == 1)
        read_header(rd);
    else if (!is_blank)
        read_record(rd);
    rd->n_fields = 0;
    ms_arena_reset(&rd->row_arena);
}

static int feed(struct reader *rd, struct csv_parser *p, FILE *f)
{
    char *buf = ms_xmalloc(CHUNK);
    size_t n;
    while (!rd->rc && (n = fread(buf, 1, CHUNK, f)) > 0)
        if (csv_parse(p, buf, n, on_field, on_record, rd) != n && !rd->rc)
            rd->rc = ms_err_field(rd->err, MS_EFIELD, rd->s->path,
                                  "%s after row %zu: %s (at most %d KiB a field)", rd->s->path,
                                  rd->row, csv_strerror(csv_error(p)), FIELD_MAX / 1024);
    free(buf);
    if (!rd->rc && ferror(f))
        rd->rc = ms_err_field(rd->err, MS_EIO, rd->s->path, "reading '%s' failed", rd->s->path);
    if (!rd->rc && csv_fini(p, on_field, on_record, rd) != 0 && !rd->rc)
        rd->rc = ms_err_field(rd->err, MS_EFIELD, rd->s->path,
                              "%s row %zu: unterminated quoted field", rd->s->path, rd->row + 1);
    if (!rd->rc && rd->row == 0)
        rd->rc = ms_err_field(rd->err, MS_EMISSING, rd->s->path, "%s is empty (no header row)",
                              rd->s->path);
    return rd->rc;
}

static int cmp_id(const void *a, const void *b, void *ids)
{
    const char *const *v = ids;
    return strcmp(v[*(const uint32_t *)a], v[*(const uint32_t *)b]);
}

/* Each record id once: PAIRS.csv names records by it. */
static int check_unique_ids(struct side *s, struct ms_err *err)
{
    uint32_t *idx = ms_xmalloc((s->n + 1) * sizeof(*idx));
    int rc = 0;
    for (size_t i = 0; i < s->n; i++)
        idx[i] = (uint32_t)i;
    qsort_r(idx, s->n, sizeof(*idx), cmp_id, s->ids);
    for (size_t i = 1; i < s->n && !rc; i++)
        if (strcmp(s->ids[idx[i - 1]], s->ids[idx[i]]) == 0) {
            uint32_t a = s->rows[idx[i - 1]], b = s->rows[idx[i]];
            rc = ms_err_field(err, MS_EFIELD, s->path, "%s rows %u and %u have the same id",
                              s->path, a < b ? a : b, a < b ? b : a);
            ms_err_zh(err, "%s 第 %u 行与第 %u 行的记录编号重复", s->path, a < b ? a : b,
                      a < b ? b : a);
        }
    free(idx);
    return rc;
}

static int read_side(const struct link_files_side *cfg, struct side *s, struct ms_err *err)
{
    struct csv_parser p;
    struct reader rd = {.cfg = cfg, .s = s, .err = err};
    FILE *f = fopen(s->path, "rb");
    if (!f)
        return ms_err_field(err, MS_EIO, s->path, "cannot open '%s': %s", s->path,
                            strerror(errno));
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        fclose(f);
        return ms_err_set(err, MS_EINTERNAL, "csv_init failed");
    }
    csv_set_realloc_func(&p, capped_realloc);
    ms_arena_init(&rd.row_arena, 16384);
    int rc = feed(&rd, &p, f);
    csv_free(&p);
    fclose(f);
    ms_arena_release(&rd.row_arena);
    return rc < 0 ? rc : check_unique_ids(s, err);
}

static void side_release(struct side *s)
{
    free(s->recs);
    free(s->ids);
    free(s->rows);
    ms_arena_release(&s->ids_arena);
}

/* --- scoring ------------------------------------------------------------ */

struct scored {
    double weight;
    uint32_t pair; /* index into the pair arrays */
};

static int cmp_scored(const void *a, const void *b)
{
    const struct scored *x = a, *y = b;
    if (x->weight != y->weight)
        return x->weight > y->weight ? -1 : 1;
    return x->pair < y->pair ? -1 : x->pair > y->pair;
}

/* Greedy one-to-one: best weight first, a pair kept only if neither record
 * is taken yet. Returns how many remain (in the same order). */
static size_t keep_one_to_one(struct scored *s, size_t n, const uint64_t *pairs, size_t n_left,
                              size_t n_right)
{
    unsigned char *taken_l = ms_xcalloc(n_left + 1, 1), *taken_r = ms_xcalloc(n_right + 1, 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t l = (uint32_t)(pairs[s[i].pair] >> 32), r = (uint32_t)pairs[s[i].pair];
        if (taken_l[l] || taken_r[r])
            continue;
        taken_l[l] = taken_r[r] = 1;
        s[k++] = s[i];
    }
    free(taken_l);
    free(taken_r);
    return k;
}

/* --- writing ------------------------------------------------------------ */

static void write_header(FILE *f, uint32_t fields)
{
    fputs("left_id,right_id,weight,probability,decision", f);
    for (int fl = 0; fl < LINK_F_COUNT; fl++)
        if (fields >> fl & 1u)
            fprintf(f, ",%s", link_field_name((enum link_field)fl));
    fputc('\n', f);
}

/* RFC 4180: quoted only when it must be, so plain ids stay plain. */
static void write_field(FILE *f, const char *s)
{
    if (!s[strcspn(s, ",\"\r\n")]) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void write_row(FILE *f, const struct link_model *m, const char *lid, const char *rid,
                      double w, const int8_t levels[LINK_F_COUNT],
                      const struct link_files_config *cfg)
{
    write_field(f, lid);
    fputc(',', f);
    write_field(f, rid);
    fprintf(f, ",%.3f,%.6f,%s", w, link_probability(m, w),
            link_decision_name(link_decide(w, cfg->lower, cfg->upper)));
    for (int fl = 0; fl < LINK_F_COUNT; fl++) {
        if (!(m->fields >> fl & 1u))
            continue;
        if (levels[fl] == LINK_MISSING)
            fputc(',', f);
        else
            fprintf(f, ",%d", levels[fl]);
    }
    fputc('\n', f);
}

struct run {
    const struct link_files_config *cfg;
    const struct link_files_options *o;
    struct link_files_stats *st;
    struct side sides[2];
    int is_dedup;
    struct link_engine engine;
    struct scored *out;
    size_t n_out;
};

static int write_pairs(struct run *r, struct ms_err *err)
{
    const struct side *right = &r->sides[r->is_dedup ? 0 : 1];
    size_t len = strlen(r->o->out);
    char *tmp = ms_xmalloc(len + 8);
    snprintf(tmp, len + 8, "%s.XXXXXX", r->o->out);
    int fd = mkstemp(tmp);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    int rc = 0;
    if (!f) {
        rc = ms_err_field(err, MS_EIO, r->o->out, "cannot create a file next to '%s': %s",
                          r->o->out, strerror(errno));
        if (fd >= 0)
            close(fd), unlink(tmp);
        free(tmp);
        return rc;
    }
    write_header(f, r->st->model.fields);
    for (size_t i = 0; i < r->n_out; i++) {
        int8_t levels[LINK_F_COUNT];
        uint64_t p = r->engine.pairs[r->out[i].pair];
        link_engine_levels(&r->engine, r->out[i].pair, levels);
        write_row(f, &r->st->model, r->sides[0].ids[p >> 32], right->ids[(uint32_t)p],
                  r->out[i].weight, levels, r->cfg);
    }
    int is_bad = fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0;
    is_bad |= fclose(f) != 0;
    if (is_bad || rename(tmp, r->o->out) != 0) {
        rc = ms_err_field(err, MS_EIO, r->o->out, "cannot write '%s': %s", r->o->out,
                          strerror(errno));
        unlink(tmp);
    }
    free(tmp);
    r->st->written = rc ? 0 : r->n_out;
    return rc;
}

static void score_all(struct run *r)
{
    int8_t levels[LINK_F_COUNT];
    r->out = ms_xmalloc((r->engine.n_pairs + 1) * sizeof(*r->out));
    for (size_t i = 0; i < r->engine.n_pairs; i++) {
        link_engine_levels(&r->engine, i, levels);
        double w = link_weight(&r->st->model, levels, NULL);
        enum link_decision d = link_decide(w, r->cfg->lower, r->cfg->upper);
        r->st->decisions[d]++;
        if (d != LINK_NONMATCH || r->o->write_all)
            r->out[r->n_out++] = (struct scored){w, (uint32_t)i};
    }
    qsort(r->out, r->n_out, sizeof(*r->out), cmp_scored);
    if (r->o->one_to_one && !r->is_dedup) {
        size_t before = r->n_out;
        r->n_out = keep_one_to_one(r->out, r->n_out, r->engine.pairs, r->sides[0].n,
                                   r->sides[1].n);
        r->st->dropped_one_to_one = before - r->n_out;
    }
}

static const struct link_rec *side_get(void *ctx, size_t i, struct link_rec *scratch)
{
    (void)scratch; /* the records are stored prepared */
    return &((const struct side *)ctx)->recs[i];
}

/* Block, compare and estimate with the shared engine; the stats it fills. */
static int estimate(struct run *r, struct ms_err *err)
{
    const struct link_files_config *cfg = r->cfg;
    struct link_files_stats *st = r->st;
    struct link_source src[2] = {{r->sides[0].n, side_get, &r->sides[0]},
                                 {r->sides[1].n, side_get, &r->sides[1]}};
    struct link_engine_opts eo = {.rules = st->rules,
                                  .n_rules = st->n_rules,
                                  .max_block = cfg->max_block,
                                  .u_sample = cfg->u_sample,
                                  .em_fix_u = cfg->em_fix_u,
                                  .em_max_iter = cfg->em_max_iter,
                                  .em_tol = cfg->em_tol};
    struct link_model start;
    link_model_init(&start, link_files_fields(cfg, r->is_dedup), cfg->jw_min);
    int rc = link_engine_run(&r->engine, src, r->is_dedup, &eo, &start, err);
    st->pairs = r->engine.n_pairs;
    st->blocks_skipped = r->engine.blocks_skipped;
    for (size_t i = 0; i < LINK_SKIPPED_LISTED; i++) {
        st->skipped[i].rule = r->engine.skipped[i].rule;
        st->skipped[i].records = r->engine.skipped[i].records;
    }
    st->em = r->engine.em;
    st->model = r->engine.model;
    return rc;
}

int link_files_run(const struct link_files_config *cfg, const struct link_files_options *o,
                   struct link_files_stats *st, struct ms_err *err)
{
    struct run r = {.cfg = cfg, .o = o, .st = st, .is_dedup = o->right == NULL};
    int rc;
    memset(st, 0, sizeof(*st));
    r.sides[0].path = o->left;
    r.sides[1].path = o->right;
    ms_arena_init(&r.sides[0].ids_arena, 1 << 16);
    ms_arena_init(&r.sides[1].ids_arena, 1 << 16);
    if ((rc = read_side(&cfg->side[0], &r.sides[0], err)) < 0 ||
        (!r.is_dedup && (rc = read_side(&cfg->side[1], &r.sides[1], err)) < 0))
        goto out;
    st->records[0] = r.sides[0].n;
    st->records[1] = r.sides[1].n;
    if (r.sides[0].n > UINT32_MAX - 1 || r.sides[1].n > UINT32_MAX - 1) {
        rc = ms_err_set(err, MS_EFIELD, "more than 4294967294 records in a file");
        goto out;
    }
    st->n_rules = link_files_rules(cfg, r.is_dedup, st->rules);
    if ((rc = estimate(&r, err)) < 0)
        goto out;
    score_all(&r);
    rc = write_pairs(&r, err);
out:
    link_engine_release(&r.engine);
    free(r.out);
    side_release(&r.sides[0]);
    side_release(&r.sides[1]);
    return rc;
}
