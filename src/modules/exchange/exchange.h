/*
 * exchange.h - department data exchange: feeds, batches, quarantine and
 * linkage of feed rows to residents (issue #4; docs/exchange.md).
 */
#ifndef MS_EXCHANGE_H
#define MS_EXCHANGE_H

struct ms_module;
extern const struct ms_module exchange_module;

#endif
