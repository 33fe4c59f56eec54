/* cli/behaviour.h - the `behaviours:` section (EXPERIMENTS.md "behaviours"), read with the
 * typed readers into model/behaviour.h's table and set on the loader's world. Everything is
 * read from the YAML tree where it is written, so a sweep's key path (behaviours.NAME.p)
 * changes it like an edit of the file. Descriptions live in the loader's arena. */
#ifndef CLI_BEHAVIOUR_H
#define CLI_BEHAVIOUR_H

#include "readers.h"

/* Reads the list of behaviours, checks every key and value (FILE:LINE:COL errors), and sets
 * them on L->w. Call after offers, partners, tenants and the population. 0 or -1. */
int cli_load_behaviours(cli_loader *L, const cli_ynode *list);

#endif
