/* cli/population.h - the `population:` section: groups of generated tenants (EXPERIMENTS.md
 * "population"), read with the typed readers and generated into the loader's world.
 * Descriptions live in the loader's arena; nothing is written on an error. */
#ifndef CLI_POPULATION_H
#define CLI_POPULATION_H

#include "readers.h"

/* Reads the list of groups, checks every value (located errors), then generates them from
 * the scenario's seed (model/population.h): all of them, or in a shard of the run
 * (L->s->nshards > 1) the slice of the global tenant numbering it holds (cli/override.h).
 * Sets L->s->pop_tenants, pop_first, pop_first_sub and pop_subscriptions. Call after
 * partners and tenants. 0 or -1. */
int cli_load_population(cli_loader *L, const cli_ynode *list);

/* A whole-number value in lo..hi read as a population's counts are: a number, or a uniform,
 * exponential, lognormal, poisson or choice distribution of numbers (behaviours' licenses and
 * delta read theirs with it). 0 or -1 with the located diag. */
int cli_read_number_dist(cli_loader *L, const cli_ynode *n, const char *what, int64_t lo, int64_t hi, sim_dist *out);

#endif
