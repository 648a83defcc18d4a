/*
 * audit_http.h - for other modules' HTTP adapters: reply to an audited read
 * only once its audit entry is committed, without holding a worker thread.
 */
#ifndef MS_AUDIT_HTTP_H
#define MS_AUDIT_HTTP_H

#include "http/http.h"
#include "modules/audit/audit.h"

/*
 * The handler has set its reply (the personal data); this queues the audit
 * entry for e with the request's actor and defers the reply until the entry
 * is committed. If it cannot be stored, the client gets the error instead of
 * the data. The handler returns what this returns (HTTP_DEFERRED).
 */
int audit_http_reply_when_recorded(struct http_request *req, const struct audit_entry *e);

#endif
