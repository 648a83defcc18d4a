/*
 * monitor_jobs.c - the monitor's scheduled job (定时任务): a full scan with
 * today's parameters, nightly by default.
 */
#include <stdio.h>

#include "modules/monitor/monitor.h"
#include "modules/monitor/monitor_int.h"

#include "core/banned.h"

static int run_scan(struct store *st, const struct ms_actor *actor, char *summary,
                    size_t summary_len, struct ms_err *err)
{
    static __thread struct monitor_scan_result r;
    int64_t rows = 0, alerts = 0;
    if (monitor_scan(st, NULL, NULL, actor, &r, err) < 0)
        return err->code;
    for (size_t i = 0; i < r.n; i++) {
        rows += r.rules[i].rows_found;
        alerts += r.rules[i].alerts_new;
    }
    snprintf(summary, summary_len, "扫描 %lld：%zu 条规则，命中 %lld 行，新预警 %lld 条",
             (long long)r.scan_id, r.n, (long long)rows, (long long)alerts);
    return 0;
}

const struct ms_job monitor_jobs[] = {
    {"monitor.scan", "全量监测扫描", "Full monitoring scan", "0 2 * * *", run_scan},
    {NULL, NULL, NULL, NULL, NULL},
};
