/* cli/idmap.h - ids of one kind (offers, tenants, ...) to their model index, with the node
 * that defined each, for "defined here" messages. Open addressing; keys are borrowed from
 * the scenario arena. */
#ifndef CLI_IDMAP_H
#define CLI_IDMAP_H

#include <stddef.h>
#include <stdint.h>

#include "ytree.h"

typedef struct {
    const char *key;
    uint32_t value;
    const cli_ynode *where;
} cli_identry;

typedef struct {
    cli_identry *slots;
    size_t cap, n;
} cli_idmap;

/* NULL when absent. */
const cli_identry *cli_idmap_get(const cli_idmap *m, const char *key);
/* 0 added, 1 already present (*old set), -1 out of memory. */
int cli_idmap_put(cli_idmap *m, const char *key, uint32_t value, const cli_ynode *where, const cli_identry **old);
void cli_idmap_free(cli_idmap *m);

#endif
