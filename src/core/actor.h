/*
 * actor.h - who is doing something, for the audit log.
 *
 * Domain functions that change or read personal data take a `const struct
 * ms_actor *` and pass it to the audit log. The HTTP layer fills it from the
 * session (http_actor()), the CLI from the operating-system user. Strings are
 * borrowed: they must outlive the call.
 */
#ifndef MS_ACTOR_H
#define MS_ACTOR_H

#include <stdint.h>

struct ms_actor {
    int64_t user_id;        /* 0 when not a platform user (the CLI) */
    const char *username;   /* platform user, or "cli:<os user>" */
    const char *role;       /* "" for the CLI */
    const char *ip;         /* source address, "" for the CLI */
    const char *request_id; /* "" for the CLI */
};

#endif
