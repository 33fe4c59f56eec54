/* cli/scenario.h - loading a scenario file (SCENARIO-FORMAT version 1) into a model world.
 *
 * The loader reads the file (within CLI_MAX_FILE_BYTES), builds the YAML tree, checks every
 * key against the tables of allowed keys, resolves every id, and builds the model world,
 * the scripted actions and the expectations. Ownership: a cli_scenario owns its arena (all
 * strings and nodes), its world and its arrays; cli_scenario_free releases everything.
 * A failed load returns NULL with the first error in the diag and writes nothing.
 */
#ifndef CLI_SCENARIO_H
#define CLI_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "model/model.h"

/* One expectation of the `expect` block. */
typedef enum { CLI_EXPECT_STATE, CLI_EXPECT_EVENT, CLI_EXPECT_METRIC, CLI_EXPECT_FINGERPRINT } cli_expect_kind;

enum { /* which fields of a state expectation are given */
    CLI_HAS_STATE = 1, CLI_HAS_LICENSES = 2, CLI_HAS_OFFER = 4, CLI_HAS_PARTNER = 8,
    CLI_HAS_AUTORENEW = 16, CLI_HAS_TERM_END = 32
};

typedef struct {
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
    /* METRIC */
    int metric; /* cli_metric */
    /* FINGERPRINT: FNV-1a 64 of trace.jsonl */
    uint64_t fingerprint;
    /* bounds for EVENT and METRIC */
    int has_exact, has_min, has_max;
    int64_t exact, min, max;
    const char *text; /* the expectation as written, for messages */
} cli_expect;

typedef struct {
    const char *path;
    char *text; /* the whole file, NUL-terminated */
    size_t len;
    const char *name, *description;
    sim_time start, end;
    uint64_t seed;
    model_world *world;
    model_action *actions;
    sim_time *at;
    int *action_line;
    size_t nactions;
    cli_expect *expects;
    size_t nexpects;
    struct cli_arena *arena;
} cli_scenario;

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

/* Loads path. seed_override is used when has_seed_override is set (--seed). */
cli_scenario *cli_scenario_load(const char *path, int has_seed_override, uint64_t seed_override, cli_diag *d);
void cli_scenario_free(cli_scenario *s);

/* Nonzero when an expectation pins the trace's fingerprint (the run must hash its trace). */
int cli_scenario_wants_fingerprint(const cli_scenario *s);

#endif
