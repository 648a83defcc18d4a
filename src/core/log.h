/*
 * log.h - JSON-lines logging with levels.
 *
 * Each call writes one line, with one write(2), so lines from several threads
 * never interleave:
 *
 *     {"ts":"2026-11-29T03:38:17.123Z","level":"info","event":"http.listen","port":8080}
 *
 * `event` is a short, grep-able English name. Extra fields come from a
 * jansson json_pack() format and its arguments ("{s:i}", "port", 8080), or
 * NULL for none. Never log personal data (names, ID or phone numbers).
 */
#ifndef MS_LOG_H
#define MS_LOG_H

enum ms_log_level {
    MS_LOG_DEBUG,
    MS_LOG_INFO,
    MS_LOG_WARN,
    MS_LOG_ERROR,
    MS_LOG_OFF,
};

/* Lines below level are dropped. The default is MS_LOG_INFO, or the level
 * named by MS_LOG_LEVEL in the environment. */
void ms_log_set_level(enum ms_log_level level);
enum ms_log_level ms_log_get_level(void);

/* "debug", "info", "warn", "error", "off"; 0, or -1 for an unknown name. */
int ms_log_parse_level(const char *name, enum ms_log_level *out);

/* Where lines go; the default is standard error. */
void ms_log_set_fd(int fd);

void ms_log(enum ms_log_level level, const char *event, const char *fmt, ...);

#endif
