/* cli/limits.h - every named limit of the scenario loader, in one place.
 *
 * Each limit is the largest accepted value; one past it is refused with a message naming
 * the limit. tests/check_loader.c generates a file at each limit and one past it. The scenario format
 * promises never to refuse less than: a 16 MiB file, 100,000 subscriptions, 1,000,000
 * events, 10,000 items in one list, nesting 64 deep.
 */
#ifndef CLI_LIMITS_H
#define CLI_LIMITS_H

#define CLI_MAX_FILE_BYTES (64L * 1024 * 1024) /* 1,000,000 flow-style events fit */
#define CLI_MAX_DEPTH 64                       /* nested mappings and sequences */
#define CLI_MAX_SCALAR 65536                   /* bytes in one scalar */
#define CLI_MAX_LIST_ITEMS 1000000             /* items in one sequence or mapping */
#define CLI_MAX_ID 64                          /* characters in an id */
#define CLI_MAX_OFFERS 10000
#define CLI_MAX_PARTNERS 10000
#define CLI_MAX_TENANTS 100000
#define CLI_MAX_SUBSCRIPTIONS 100000           /* declared anywhere: tenants, agreements, events */
#define CLI_MAX_EVENTS 1000000
#define CLI_MAX_EXPECT 10000
#define CLI_MAX_LICENSES 1000000000            /* licenses in one order (= MODEL_MAX_LICENSES) */
#define CLI_MAX_PRICE 100000000LL              /* minor units, 1,000,000.00 per license-month (= MODEL_MAX_PRICE):
                                                * one billing period fits int64 (model/model.h) */
#define CLI_MAX_RATIO 1e6                      /* an add-on's min_ratio / max_ratio (x 1e9 licenses fits int64) */
#define CLI_MAX_HORIZON_YEARS 200              /* end - start */
/* Generated populations (cli/population.c): never fewer than 10,000,000 tenants in total. */
#define CLI_MAX_POP_GROUPS 1000
#define CLI_MAX_POP_TENANTS 100000000          /* tenants of all groups together */
#define CLI_MAX_POP_COUNT 10000                /* subscriptions, agreements, EA subscriptions drawn per owner */
#define CLI_MAX_POP_SUBSCRIPTIONS 1000000000   /* generated subscriptions in all (uint32 indices) */
#define CLI_MAX_POP_RELATIONSHIPS 64           /* a group's relationships */
#define CLI_MAX_PATH 256                       /* characters in a --set or vary key path */
#define CLI_MAX_OVERRIDES 1000                 /* --set options on one command line */
#define CLI_MAX_REPLICATIONS 1000000           /* experiment.replications, sweep --replications */
#define CLI_MAX_VARY_KEYS 8                    /* keys of experiment.vary */
#define CLI_MAX_RUNS 100000000                 /* points x replications of one sweep */

#endif
