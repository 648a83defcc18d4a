/*
 * assistance_jobs.c - the assistance module's scheduled jobs (定时任务):
 * the month's payment runs and the search for payments made after a
 * payee's death. Both are safe to run again: payment lines are unique per
 * household, scheme and period, and a month is claimed back only for what
 * the recovery ledger does not claim already.
 */
#include <stdio.h>

#include "core/date.h"
#include "modules/assistance/assistance.h"
#include "modules/assistance/assistance_int.h"

#include "core/banned.h"

/* The schemes the month's run pays: dibao and tekun monthly, and the 临时救助
 * decided this month, whose one-off line the same run writes. */
static const char *const monthly_schemes[] = {"dibao", "tekun", "linshi", NULL};

static int run_payments(struct store *st, const struct ms_actor *actor, char *summary,
                        size_t summary_len, struct ms_err *err)
{
    char period[MS_PERIOD_BUF];
    size_t used = 0;
    ms_date_format_period(ms_date_today_cst(), period);
    for (size_t i = 0; monthly_schemes[i]; i++) {
        struct assistance_run r;
        if (assistance_pay_run(st, monthly_schemes[i], period, 0, actor, NULL, NULL, &r, err) < 0)
            return err->code;
        int k = snprintf(summary + used, summary_len - used, "%s%s %s：新增 %lld 笔，共 %lld 笔 %lld.%02lld 元%s",
                         i ? "；" : "", monthly_schemes[i], period, (long long)r.lines_new,
                         (long long)r.lines, (long long)(r.total_fen / 100),
                         (long long)(r.total_fen % 100), r.is_reconciled ? "" : "（未对平）");
        if (k > 0 && (size_t)k < summary_len - used)
            used += (size_t)k;
    }
    return 0;
}

static int run_recoveries(struct store *st, const struct ms_actor *actor, char *summary,
                          size_t summary_len, struct ms_err *err)
{
    int64_t found = 0, fen = 0;
    if (assistance_detect_recoveries(st, actor, &found, &fen, err) < 0)
        return err->code;
    snprintf(summary, summary_len, "新发现死亡后发放 %lld 笔，%lld.%02lld 元", (long long)found,
             (long long)(fen / 100), (long long)(fen % 100));
    return 0;
}

const struct ms_job assistance_jobs[] = {
    {"assistance.pay", "按月发放（低保、特困、临时救助）",
     "Monthly payment runs (dibao, tekun, linshi)",
     "0 3 5 * *", run_payments},
    {"assistance.recoveries", "死亡后发放追回核查", "Find payments made after a death",
     "30 3 * * *", run_recoveries},
    {NULL, NULL, NULL, NULL, NULL},
};
