/* cli/population.h - the `population:` section: groups of generated tenants (EXPERIMENTS.md
 * "population"), read with the typed readers and generated into the loader's world.
 * Descriptions live in the loader's arena; nothing is written on an error. */
#ifndef CLI_POPULATION_H
#define CLI_POPULATION_H

#include "readers.h"

/* Reads the list of groups, checks every value (located errors), then generates them from
 * the scenario's seed (model/population.h). Call after partners and tenants. 0 or -1. */
int cli_load_population(cli_loader *L, const cli_ynode *list);

#endif
