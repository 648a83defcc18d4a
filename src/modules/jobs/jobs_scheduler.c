/*
 * jobs_scheduler.c - the thread `minsheng serve` runs to start jobs when
 * they are due: every tick it runs jobs_run_due() on a connection of its
 * own. Stopping waits for a job in progress to end, so a run is never cut
 * off by a clean shutdown (one cut off by a crash is logged interrupted and
 * simply run again).
 */
#include "modules/jobs/jobs.h"

#include <errno.h>
#include <pthread.h>
#include <time.h>

#include "core/clock.h"
#include "core/log.h"
#include "store/store.h"

#include "core/banned.h"

static struct {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    struct store *st;
    int tick_ms;
    int is_running, is_stopping;
} sched = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

static void *scheduler_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&sched.lock);
    while (!sched.is_stopping) {
        pthread_mutex_unlock(&sched.lock);
        struct ms_err err = MS_ERR_INIT;
        int n = jobs_run_due(sched.st, ms_clock_now_ms(), &err);
        if (n < 0)
            ms_log(MS_LOG_ERROR, "jobs.scheduler", "{s:s}", "error", err.message);
        else if (n > 0)
            ms_log(MS_LOG_INFO, "jobs.ran", "{s:i}", "runs", n);
        pthread_mutex_lock(&sched.lock);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += sched.tick_ms / 1000;
        until.tv_nsec += (long)(sched.tick_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        while (!sched.is_stopping &&
               pthread_cond_timedwait(&sched.wake, &sched.lock, &until) != ETIMEDOUT)
            ;
    }
    pthread_mutex_unlock(&sched.lock);
    return NULL;
}

int jobs_scheduler_start(const char *db_url, unsigned store_flags, int tick_ms,
                         struct ms_err *err)
{
    if (sched.is_running)
        return 0;
    if (store_open(db_url, store_flags, &sched.st, err) < 0)
        return err->code;
    sched.tick_ms = tick_ms > 0 ? tick_ms : 30000;
    sched.is_stopping = 0;
    if (pthread_create(&sched.thread, NULL, scheduler_main, NULL) != 0) {
        store_close(sched.st);
        sched.st = NULL;
        return ms_err_set(err, MS_EINTERNAL, "cannot start the job scheduler thread");
    }
    sched.is_running = 1;
    return 0;
}

void jobs_scheduler_stop(void)
{
    if (!sched.is_running)
        return;
    pthread_mutex_lock(&sched.lock);
    sched.is_stopping = 1;
    pthread_cond_signal(&sched.wake);
    pthread_mutex_unlock(&sched.lock);
    pthread_join(sched.thread, NULL);
    store_close(sched.st);
    sched.st = NULL;
    sched.is_running = 0;
}
