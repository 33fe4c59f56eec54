/* cli/expect.h - checking a scenario's `expect` block against a run.
 *
 * A checker watches the run's records (event counts) and is asked to probe the world at
 * each instant a state expectation names (cli_simulate does both); cli_checker_finish then
 * judges metrics and counts. The checker borrows the scenario, which must outlive it.
 */
#ifndef CLI_EXPECT_H
#define CLI_EXPECT_H

#include <stdio.h>

#include "scenario.h"

typedef struct cli_checker cli_checker;

cli_checker *cli_checker_new(const cli_scenario *s);
void cli_checker_free(cli_checker *c);
/* A sink that counts records for event expectations. */
void cli_checker_record(void *checker, const model_record *r);
/* Judges the state expectations at instant t (the world has run everything at t). */
void cli_checker_probe(cli_checker *c, sim_time t);
/* The trace's fingerprint, for fingerprint expectations (set before finishing). */
void cli_checker_set_fingerprint(cli_checker *c, uint64_t fingerprint);

/* Judges counts and metrics after the run; returns the number of failed expectations. */
size_t cli_checker_finish(cli_checker *c);
/* One line per failed expectation: "FILE:LINE: expected ..., saw ...". */
void cli_checker_report(const cli_checker *c, FILE *to);

/* The failure message of expectation i, or NULL when it held. */
const char *cli_checker_failure(const cli_checker *c, size_t i);

/* The sorted, distinct instants of the state expectations; *n receives the count.
 * Owned by the checker. */
const sim_time *cli_checker_probes(const cli_checker *c, size_t *n);

#endif
