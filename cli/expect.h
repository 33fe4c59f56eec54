/* cli/expect.h - a scenario's `expect` block: reading it (cli_expect_load, called by the
 * loader) and judging it against a run.
 *
 * A checker watches the run's records (event counts) and is asked to probe the world at
 * each instant a state expectation names (cli_simulate does both); cli_checker_finish then
 * judges metrics and counts. The checker borrows the scenario, which must outlive it.
 */
#ifndef CLI_EXPECT_H
#define CLI_EXPECT_H

#include <stdio.h>

#include "readers.h"
#include "scenario.h"

/* One expectation of the `expect` block. */
typedef enum { CLI_EXPECT_STATE, CLI_EXPECT_EVENT, CLI_EXPECT_METRIC, CLI_EXPECT_FINGERPRINT } cli_expect_kind;

enum { /* which fields of a state expectation are given */
    CLI_HAS_STATE = 1, CLI_HAS_LICENSES = 2, CLI_HAS_OFFER = 4, CLI_HAS_PARTNER = 8,
    CLI_HAS_AUTORENEW = 16, CLI_HAS_TERM_END = 32
};

struct cli_expect {
    cli_expect_kind kind;
    int line;
    sim_time at;      /* STATE */
    uint32_t subscription, tenant, partner, offer;
    unsigned has;     /* STATE: CLI_HAS_* */
    int state, autorenew;
    int64_t licenses;
    sim_time term_end; /* the inclusive end date's 00:00 */
    /* EVENT: kind (or -1 with outcome for accepted/rejected), filters */
    int event_kind, outcome, action, reason, rule;
    sim_time from, to;
    int has_from, has_to;
    int has_amount;     /* the record's amount equals `amount` (minor units) */
    int64_t amount;
    const char *detail; /* NULL, or text the record's detail must contain */
    /* METRIC */
    int metric; /* cli_metric */
    /* FINGERPRINT: FNV-1a 64 of trace.jsonl; with has_seed, judged only under that seed */
    uint64_t fingerprint;
    int has_seed;
    uint64_t seed;
    /* bounds for EVENT and METRIC */
    int has_exact, has_min, has_max;
    int64_t exact, min, max;
    const char *text; /* the expectation as written, for messages */
};

/* Metrics an expectation may name (summary figures): X(name, text, money, scope), scope
 * saying whether the figure is kept per tenant, per partner, or both (always in total). */
#define CLI_PER_TENANT 1
#define CLI_PER_PARTNER 2
#define CLI_METRICS(X)                                                                          \
    X(DATA_LOSS_LICENSES, "data_loss_licenses", 0, CLI_PER_TENANT)                              \
    X(INTERRUPTION_DAYS, "interruption_days", 0, CLI_PER_TENANT)                                \
    X(BILLED, "billed", 1, CLI_PER_TENANT | CLI_PER_PARTNER)                                    \
    X(REFUNDED, "refunded", 1, CLI_PER_TENANT | CLI_PER_PARTNER)                                \
    X(REJECTIONS, "rejections", 0, CLI_PER_TENANT)                                              \
    X(DOUBLE_BILLING_DAYS, "double_billing_days", 0, CLI_PER_TENANT)                            \
    X(CLAIMS_WON, "claims_won", 0, CLI_PER_PARTNER)                                             \
    X(CLAIMS_REFUSED, "claims_refused", 0, CLI_PER_PARTNER)                                     \
    X(TRANSFERS_ACCEPTED, "transfers_accepted", 0, CLI_PER_PARTNER)                             \
    X(TRANSFERS_REFUSED, "transfers_refused", 0, CLI_PER_PARTNER)

typedef enum {
#define X(name, text, money, scope) CLI_METRIC_##name,
    CLI_METRICS(X)
#undef X
    CLI_METRIC_COUNT
} cli_metric;

const char *cli_metric_name(int m);
int cli_metric_is_money(int m);
/* CLI_PER_* bits: where the metric is kept. */
int cli_metric_scope(int m);
/* The figure after a run: of a tenant, of a partner, or the total (both MODEL_NONE). */
int64_t cli_metric_value(const model_world *w, int metric, uint32_t tenant, uint32_t partner);

/* Reads the `expect` list into L->s->expects and L->s->nexpects (ids must be defined: the
 * loader calls it after the sections and events). 0, or -1 with the diag set. */
int cli_expect_load(cli_loader *L, const cli_ynode *list);

/* Nonzero when an expectation pins the trace's fingerprint (the run must hash its trace). */
int cli_scenario_wants_fingerprint(const cli_scenario *s);


typedef struct cli_checker cli_checker;

cli_checker *cli_checker_new(const cli_scenario *s);
void cli_checker_free(cli_checker *c);
/* A sink that counts records for event expectations. */
void cli_checker_record(void *checker, const model_record *r);
/* Judges the state expectations at instant t (the world has run everything at t). */
void cli_checker_probe(cli_checker *c, sim_time t);
/* Judges counts, metrics and the fingerprint after the run; returns the number of failed
 * expectations. fingerprint is the FNV-1a 64 of the finished trace.jsonl, or NULL when the
 * trace was not hashed (a fingerprint expectation then fails, unless it is pinned to
 * another seed than the scenario's: then it is skipped). Call it once, after the trace is
 * complete. An expectation that fails counts as failed even when memory runs out for its
 * message (the message then says so). */
size_t cli_checker_finish(cli_checker *c, const uint64_t *fingerprint);
/* One line per failed expectation: "FILE:LINE: expected ..., saw ...". */
void cli_checker_report(const cli_checker *c, FILE *to);

/* The failure message of expectation i, or NULL when it held or was skipped. */
const char *cli_checker_failure(const cli_checker *c, size_t i);
/* Why expectation i was not judged ("pinned to seed 7"), or NULL when it was. */
const char *cli_checker_skipped(const cli_checker *c, size_t i);

/* The sorted, distinct instants of the state expectations; *n receives the count.
 * Owned by the checker. */
const sim_time *cli_checker_probes(const cli_checker *c, size_t *n);

#endif
