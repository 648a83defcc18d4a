/*
 * checkpoint.c - the background WAL checkpointer for SQLite servers.
 *
 * With SQLite's default, the commit that takes the log past 1000 pages also
 * copies it into the database, while its caller waits; under load that was
 * a quarter of the audited-read throughput (docs/benchmarks.md). Servers
 * open their connections with STORE_BACKGROUND_CHECKPOINT and this thread
 * checkpoints instead, PASSIVE so it never blocks anyone.
 */
#include <pthread.h>
#include <time.h>

#include "core/log.h"
#include "store/store.h"
#include "core/banned.h"

static struct {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
    struct store *st;
    int interval_ms;
    int is_running;
    int is_stopping;
} ckpt = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

/* A PASSIVE checkpoint copies what it can without waiting, but the log file
 * only starts over when no reader is inside it, which under steady load is
 * never. Past RESTART_FRAMES the checkpointer therefore waits (busy timeout)
 * for the readers of the moment to finish and restarts the log: writers
 * pause for that wait, a few milliseconds (p99 11-19 ms under wrk instead of
 * 41-45 ms with 64 MiB and TRUNCATE), and journal_size_limit keeps the file
 * at 64 MiB instead of growing without bound. */
#define RESTART_FRAMES 4096 /* 16 MiB of 4 KiB pages */

static void checkpoint_once(void)
{
    struct ms_err err = MS_ERR_INIT;
    struct store_stmt *s;
    int64_t log_frames = 0;
    if (store_prepare(ckpt.st, "PRAGMA wal_checkpoint(PASSIVE)", &s, &err) == 0) {
        if (store_step(s, &err) == STORE_ROW)
            log_frames = store_col_int64(s, 1);
        store_reset(s);
    }
    if (!err.code && log_frames > RESTART_FRAMES)
        store_exec(ckpt.st, "PRAGMA wal_checkpoint(RESTART)", &err);
    if (err.code)
        ms_log(MS_LOG_WARN, "store.checkpoint", "{s:s}", "detail", err.message);
}

static void *checkpoint_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&ckpt.lock);
    while (!ckpt.is_stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += ckpt.interval_ms / 1000;
        until.tv_nsec += (long)(ckpt.interval_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&ckpt.wake, &ckpt.lock, &until);
        pthread_mutex_unlock(&ckpt.lock);
        checkpoint_once();
        pthread_mutex_lock(&ckpt.lock);
    }
    pthread_mutex_unlock(&ckpt.lock);
    return NULL;
}

int store_checkpointer_start(const char *url, int interval_ms, struct ms_err *err)
{
    if (store_url_is_postgres(url) || ckpt.is_running)
        return 0;
    if (store_open(url, 0, &ckpt.st, err) < 0)
        return err->code;
    ckpt.interval_ms = interval_ms > 0 ? interval_ms : 1000;
    ckpt.is_stopping = 0;
    if (pthread_create(&ckpt.thread, NULL, checkpoint_main, NULL) != 0) {
        store_close(ckpt.st);
        ckpt.st = NULL;
        return ms_err_set(err, MS_EINTERNAL, "cannot start the checkpoint thread");
    }
    pthread_setname_np(ckpt.thread, "ms-checkpoint");
    ckpt.is_running = 1;
    return 0;
}

void store_checkpointer_stop(void)
{
    if (!ckpt.is_running)
        return;
    pthread_mutex_lock(&ckpt.lock);
    ckpt.is_stopping = 1;
    pthread_cond_signal(&ckpt.wake);
    pthread_mutex_unlock(&ckpt.lock);
    pthread_join(ckpt.thread, NULL);
    checkpoint_once();
    store_close(ckpt.st);
    ckpt.st = NULL;
    ckpt.is_running = 0;
}
