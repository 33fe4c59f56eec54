/* cli/experiment.h - the `experiment:` section (EXPERIMENTS.md "experiment"): replications,
 * the varied key paths with their values (a full factorial), and the outcomes kept of each
 * run; and the table of outcomes, the summary's totals.
 *
 * Ownership: a cli_experiment and everything it points to live in its scenario's arena
 * (the vary values are that file's YAML nodes, so an error at one names its FILE:LINE:COL);
 * it is freed with the scenario. A scenario without the section has s->experiment NULL and
 * loads and runs exactly as before. The key paths are checked with the override module's
 * table (cli_path_check); the values' types are checked by loading the scenario with each
 * value as an override (cli/sweepcmd.c), so every value is read by the reader that reads
 * it in the file. Nothing here prints.
 */
#ifndef CLI_EXPERIMENT_H
#define CLI_EXPERIMENT_H

#include <stddef.h>
#include <stdint.h>

#include "limits.h"
#include "readers.h"
#include "model/model.h"

/* The outcomes, in summary.json's order of "total". */
#define CLI_OUTCOMES(X)                                                                            \
    X(DATA_LOSS_LICENSES, "data_loss_licenses", data_loss_licenses, 0)                           \
    X(INTERRUPTION_DAYS, "interruption_days", interruption_days, 0)                              \
    X(BILLED, "billed", billed, 1)                                                               \
    X(REFUNDED, "refunded", refunded, 1)                                                         \
    X(DOUBLE_BILLING_DAYS, "double_billing_days", double_billing_days, 0)                        \
    X(REJECTIONS, "rejections", rejections, 0)

typedef enum {
#define X(e, name, field, money) CLI_OUTCOME_##e,
    CLI_OUTCOMES(X)
#undef X
    CLI_OUTCOME_COUNT
} cli_outcome;

/* The outcome's name ("billed"); money outcomes are minor units, printed with 2 decimals. */
const char *cli_outcome_name(int outcome);
int cli_outcome_is_money(int outcome);
/* The outcome's value in the run's totals. */
int64_t cli_outcome_value(const model_metrics *m, int outcome);
/* The outcome named name[0..len), or -1. */
int cli_outcome_find(const char *name, size_t len);

typedef struct {
    const char *key;               /* the path as written (runs.csv's column name) */
    const char *path;              /* canonical (a bare rule parameter is rules.NAME) */
    const cli_ynode *const *values; /* nodes of the file */
    const char **texts;            /* each value as text (scalars as written) */
    size_t nvalues;
} cli_vary;

typedef struct cli_experiment {
    int64_t replications;
    const cli_ynode *replications_node; /* NULL: the default, 1 */
    cli_vary vary[CLI_MAX_VARY_KEYS];
    size_t nvary;
    int outcomes[CLI_OUTCOME_COUNT]; /* in the order given (default: every one in table order) */
    size_t noutcomes;
} cli_experiment;

/* Reads the section at n into L->s->experiment. 0, or -1 with the error in L->d. */
int cli_experiment_load(cli_loader *L, const cli_ynode *n);

/* The default of a scenario without the section: 1 replication, no vary, every outcome. */
void cli_experiment_default(cli_experiment *e);

#endif
