/* cli/scenario.h - loading a scenario file (SCENARIO-FORMAT version 1) into a model world.
 *
 * The loader reads the file (within CLI_MAX_FILE_BYTES) or takes the text from memory, builds
 * the YAML tree, checks every key against the tables of allowed keys (the typed readers of
 * cli/readers.h), resolves every id, and builds the model world, the scripted actions and
 * (cli/expect.h) the expectations. Ownership: a cli_scenario owns its arena (all
 * strings and nodes), its world and its arrays; cli_scenario_free releases everything.
 * A failed load returns NULL with the first error in the diag and writes nothing.
 */
#ifndef CLI_SCENARIO_H
#define CLI_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "model/model.h"

/* One expectation of the `expect` block (cli/expect.h). */
typedef struct cli_expect cli_expect;

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
    struct cli_experiment *experiment; /* the `experiment:` section (cli/experiment.h); NULL without one */
    /* The shard of a run split by tenant (cli_load_opts, cli/override.h): 0 of 1 unsplit. */
    uint32_t shard, nshards;
    uint64_t pop_tenants;     /* generated tenants of the whole scenario (T) */
    uint64_t pop_first;       /* the global index of the first generated tenant held here: T*shard/nshards */
    size_t pop_subscriptions; /* generated subscriptions held here: the caller sums them against the limit */
    size_t pop_first_sub;     /* the first of them: [pop_first_sub, + pop_subscriptions) here */
    size_t hand_tenants;      /* hand-written tenants of the file (held by shard 0 only) */
    /* So the unsplit world's index of tenant i here is i in shard 0 (hand-written first, then
     * the generated from 0) and hand_tenants + pop_first + i in a shard j > 0. Subscriptions
     * are not a plain concatenation: in shard 0 and unsplit those the events declare
     * (purchase, claim, upgrade and transfer ids) follow the generated ones, so unsplit they
     * come after every shard's generated subscriptions. */
    struct cli_arena *arena;
} cli_scenario;

/* Loads the file at path (at most CLI_MAX_FILE_BYTES). seed_override is used when
 * has_seed_override is set (--seed). NULL on failure, with the first error in d (d->file is
 * path). path is borrowed and must outlive the scenario. */
cli_scenario *cli_scenario_load(const char *path, int has_seed_override, uint64_t seed_override, cli_diag *d);

/* The same from memory: buf[0..len) is a scenario's text (it need not be NUL-terminated),
 * named `name` in messages and in s->path. The text is copied (buf is not kept); name is borrowed and must outlive the
 * scenario. len above CLI_MAX_FILE_BYTES is refused as a file would be. cli_scenario_load
 * reads the file and loads its bytes the same way. */
cli_scenario *cli_scenario_load_mem(const char *name, const char *buf, size_t len, int has_seed_override,
                                    uint64_t seed_override, cli_diag *d);
void cli_scenario_free(cli_scenario *s);

#endif
