/* cli/simulate.h - running a loaded scenario to its end: the world's sink must be set by the
 * caller; the checker (may be NULL) is probed at every instant a state expectation names;
 * progress (may be NULL) is told the simulated fraction done, at most 200 times. */
#ifndef CLI_SIMULATE_H
#define CLI_SIMULATE_H

#include <stdio.h>

#include "expect.h"
#include "scenario.h"
#include "cli/exit.h"
#include "sweep/split.h"

typedef void (*cli_progress_fn)(void *ctx, double fraction);

/* 0, -1 when memory ran out during the run, -2 when an invariant broke (the world's
 * model_breach_found tells which). */
int cli_simulate(cli_scenario *s, cli_checker *chk, cli_progress_fn progress, void *ctx);
/* The same for a run split by tenant (`run --jobs N`): the split's shards advance together
 * and s (whose world is their union) is only read; split NULL is cli_simulate. */
int cli_simulate_split(cli_scenario *s, swp_split *split, cli_checker *chk, cli_progress_fn progress, void *ctx);

/* Prints "cspsim: invariant broken: WHAT (seed N, at TIME, after record K[, subscription
 * S]): DETAIL" for the world's breach; nothing when there is none. */
void cli_breach_print(FILE *to, const cli_scenario *s);


#endif
