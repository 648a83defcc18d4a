/*
 * exchange_write.c - what the exchange module's write functions share: one
 * way to run a change that answers with JSON in its own transaction, and
 * one way to report a bad request.
 */
#include "modules/exchange/exchange_int.h"
#include "store/store.h"
#include "core/banned.h"

int exchange__fail(struct ms_err *err, int code, const char *field, const char *en,
                   const char *zh)
{
    ms_err_field(err, code, field, "%s", en);
    ms_err_zh(err, "%s", zh);
    return code;
}

struct attempt {
    const struct exchange__write *w;
    json_t **out;
};

static int attempt(struct store *st, void *ctx, struct ms_err *err)
{
    struct attempt *a = ctx;
    json_decref(*a->out); /* the reply of an attempt that store_tx() is retrying */
    *a->out = NULL;
    return a->w->fn(st, a->w, a->out, err);
}

int exchange__write_tx(struct store *st, const struct exchange__write *w, json_t **out,
                       struct ms_err *err)
{
    struct attempt a = {w, out};
    int rc;
    *out = NULL;
    if ((rc = store_tx(st, attempt, &a, err)) < 0) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}
