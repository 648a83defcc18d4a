/*
 * err.c - error values and the code table.
 */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "banned.h"

struct err_info {
    int num;
    const char *code;
    int status;
    const char *zh;
    const char *en;
};

static const struct err_info err_table[] = {
#define MS_ERR_ROW_(name, num, code, status, zh, en) {num, code, status, zh, en},
    MS_ERRNO_MAP(MS_ERR_ROW_)
#undef MS_ERR_ROW_
};

static const struct err_info *find(int code)
{
    for (size_t i = 0; i < sizeof(err_table) / sizeof(err_table[0]); i++)
        if (err_table[i].num == -code)
            return &err_table[i];
    return NULL;
}

void ms_err_init(struct ms_err *err)
{
    err->code = 0;
    err->message[0] = '\0';
    err->message_zh[0] = '\0';
    err->field[0] = '\0';
}

__attribute__((format(printf, 4, 0))) static int vset(struct ms_err *err, int code,
                                                      const char *field, const char *fmt,
                                                      va_list ap)
{
    if (!err || err->code)
        return code;
    err->code = code;
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
    snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
    err->message_zh[0] = '\0';
    return code;
}

int ms_err_set(struct ms_err *err, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset(err, code, NULL, fmt, ap);
    va_end(ap);
    return code;
}

int ms_err_field(struct ms_err *err, int code, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset(err, code, field, fmt, ap);
    va_end(ap);
    return code;
}

void ms_err_zh(struct ms_err *err, const char *fmt, ...)
{
    if (!err || !err->code || err->message_zh[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message_zh, sizeof(err->message_zh), fmt, ap);
    va_end(ap);
}

const char *ms_err_code_name(int code)
{
    const struct err_info *e = find(code);
    return e ? e->code : "internal_error";
}

int ms_err_http_status(int code)
{
    const struct err_info *e = find(code);
    return e ? e->status : 500;
}

const char *ms_err_default_zh(int code)
{
    const struct err_info *e = find(code);
    return e ? e->zh : "系统内部错误";
}

const char *ms_err_default_en(int code)
{
    const struct err_info *e = find(code);
    return e ? e->en : "internal error";
}

const char *ms_err_display(const struct ms_err *err, int is_english)
{
    if (is_english)
        return err->message[0] ? err->message : ms_err_default_en(err->code);
    return err->message_zh[0] ? err->message_zh : ms_err_default_zh(err->code);
}
