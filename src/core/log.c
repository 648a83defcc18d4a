/*
 * log.c - one JSON object a line, built with jansson and written whole.
 */
#include "log.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "banned.h"

static int log_level = -1;
static int log_fd = 2;

static const char *level_names[] = {"debug", "info", "warn", "error", "off"};

int ms_log_parse_level(const char *name, enum ms_log_level *out)
{
    for (int i = 0; i <= MS_LOG_OFF; i++) {
        if (strcmp(name, level_names[i]) == 0) {
            *out = (enum ms_log_level)i;
            return 0;
        }
    }
    return -1;
}

void ms_log_set_level(enum ms_log_level level)
{
    log_level = (int)level;
}

enum ms_log_level ms_log_get_level(void)
{
    if (log_level < 0) {
        enum ms_log_level lv = MS_LOG_INFO;
        const char *env = getenv("MS_LOG_LEVEL");
        if (env)
            ms_log_parse_level(env, &lv);
        log_level = (int)lv;
    }
    return (enum ms_log_level)log_level;
}

void ms_log_set_fd(int fd)
{
    log_fd = fd;
}

void ms_log(enum ms_log_level level, const char *event, const char *fmt, ...)
{
    if (level < ms_log_get_level() || level >= MS_LOG_OFF)
        return;

    char ts[MS_TS_LEN + 1];
    ms_clock_format(ms_clock_now_ms(), ts);
    json_t *line = json_object();
    json_object_set_new(line, "ts", json_string(ts));
    json_object_set_new(line, "level", json_string(level_names[level]));
    json_object_set_new(line, "event", json_string(event));
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        json_error_t jerr;
        json_t *extra = json_vpack_ex(&jerr, 0, fmt, ap);
        va_end(ap);
        if (extra) {
            json_object_update(line, extra);
            json_decref(extra);
        } else {
            json_object_set_new(line, "log_format_error", json_string(jerr.text));
        }
    }
    char *text = json_dumps(line, JSON_COMPACT);
    json_decref(line);
    if (!text)
        return;
    size_t n = strlen(text);
    text[n] = '\n'; /* json_dumps leaves room for the NUL; reuse it */
    ssize_t w = write(log_fd, text, n + 1);
    (void)w;
    free(text);
}
