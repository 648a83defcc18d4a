/*
 * assistance_chain.c - a household's assistance history as one timeline
 * (一户一条救助链, issue #6 item 3): its applications and every procedure
 * step, its enrolment periods, the changes that ended them, the payment
 * lines and the recoveries. The monitor puts its alerts and verification
 * tasks beside it (monitor_chain.c); one grouped read, oldest first.
 */
#include "modules/assistance/assistance.h"

#include "modules/assistance/assistance_sql.h"
#include "store/store.h"

#include "core/banned.h"


int assistance_household_chain(struct store *st, int64_t household_id, size_t max,
                               struct ms_arena *arena, struct assistance_chain_item **items,
                               size_t *n, struct ms_err *err)
{
    struct store_stmt *s;
    int rc;
    *n = 0;
    *items = ms_arena_calloc(arena, max ? max : 1, sizeof(**items));
    if (store_prepare(st, assistance_sql_household_chain, &s, err) < 0)
        return err->code;
    for (int i = 1; i <= 6; i++)
        store_bind_int64(s, i, household_id);
    store_bind_int64(s, 7, (int64_t)max);
    while ((rc = store_step(s, err)) == STORE_ROW) {
        struct assistance_chain_item *x = &(*items)[(*n)++];
        x->on = store_col_dup(s, 0, arena);
        x->kind = store_col_dup(s, 1, arena);
        x->scheme = store_col_dup(s, 2, arena);
        x->status = store_col_dup(s, 3, arena);
        x->text = store_col_dup(s, 4, arena);
        x->amount_fen = store_col_int64(s, 5);
        x->ref_id = store_col_int64(s, 6);
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}
