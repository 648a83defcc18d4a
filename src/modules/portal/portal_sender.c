/*
 * portal_sender.c - how a one-time code reaches the resident.
 *
 * A sender is a small table (struct portal_sender, portal.h) so that an SMS
 * gateway can be added beside the one built in: the log sender, which is
 * how the demo works. It writes the code into the server log, at level
 * warn so that it shows with the default log level, in a line of its own
 * whose event says what it is. It is the only place in the program that
 * logs a code; whoever can read the log can log in as the resident, so a
 * deployment that serves real residents must configure a real sender.
 */
#include "modules/portal/portal.h"

#include "core/clock.h"
#include "core/log.h"
#include "modules/portal/portal_int.h"
#include "core/banned.h"

static int log_send(void *ctx, struct store *st, const struct portal_otp_message *m,
                    struct ms_err *err)
{
    char expires[MS_TS_LEN + 1];
    (void)ctx;
    (void)st;
    (void)err;
    ms_clock_format(m->expires_ms, expires);
    /* Deliberately the code itself: the demo's way of "sending" it. */
    ms_log(MS_LOG_WARN, "portal.otp.demo_code", "{s:s,s:s,s:s,s:s,s:s}", "resident",
           m->resident_code, "otp", m->otp, "expires_at", expires, "request_id", m->request_id,
           "note", "demo sender: codes go to this log, not to a phone");
    return 0;
}

const struct portal_sender portal_log_sender = {
    .name = "log",
    .send = log_send,
    .ctx = NULL,
};

static const struct portal_sender *current = &portal_log_sender;

void portal_set_sender(const struct portal_sender *sender)
{
    current = sender ? sender : &portal_log_sender;
}

const struct portal_sender *portal__sender(void)
{
    return current;
}
