/*
 * exchange_jobs.c - the exchange module's scheduled job (定时任务): the
 * search for duplicate residents in the registry, weekly by default. Pairs
 * already queued are never proposed again, so a rerun adds only new ones.
 */
#include <stdio.h>

#include "modules/exchange/exchange_dedup.h"
#include "modules/exchange/exchange_int.h"

#include "core/banned.h"

static int run_dedup(struct store *st, const struct ms_actor *actor, char *summary,
                     size_t summary_len, struct ms_err *err)
{
    struct exchange_dedup_stats s;
    if (exchange_dedup_registry(st, actor, NULL, &s, err) < 0)
        return err->code;
    snprintf(summary, summary_len, "比对 %lld 人、%lld 对，新增待核对 %lld 对",
             (long long)s.residents, (long long)s.pairs, (long long)s.queued);
    return 0;
}

const struct ms_job exchange_jobs[] = {
    {"exchange.dedup", "户籍人口疑似重复查找", "Search the registry for duplicate residents",
     "0 4 * * 0", run_dedup},
    {NULL, NULL, NULL, NULL, NULL},
};
