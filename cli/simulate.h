/* cli/simulate.h - running a loaded scenario to its end: the world's sink must be set by the
 * caller; the checker (may be NULL) is probed at every instant a state expectation names;
 * progress (may be NULL) is told the simulated fraction done, at most 200 times. */
#ifndef CLI_SIMULATE_H
#define CLI_SIMULATE_H

#include "expect.h"
#include "scenario.h"

typedef void (*cli_progress_fn)(void *ctx, double fraction);

/* 0, -1 when memory ran out during the run, -2 when an invariant broke (the world's
 * model_breach_found tells which). */
int cli_simulate(cli_scenario *s, cli_checker *chk, cli_progress_fn progress, void *ctx);

#endif
