/*
 * monitor_util.c - small helpers the monitor module's files share.
 */
#include "modules/monitor/monitor_int.h"

#include "core/clock.h"

#include "core/banned.h"

int monitor__bad(struct ms_err *err, int code, const char *field, const char *zh,
                 const char *en)
{
    int ret = ms_err_field(err, code, field, "%s", en);
    ms_err_zh(err, "%s", zh);
    return ret;
}

void monitor__now(char buf[32])
{
    ms_clock_format(ms_clock_now_ms(), buf);
}
