/* model/genid.h - generated ids: the table of population groups and the labels computed from
 * it, so a generated tenant or subscription stores no string (its id stays NULL).
 *
 * Ownership: the group table is the world's (store_free releases it); a group's prefix is
 * borrowed like every id. A group covers a contiguous range of tenants and, because the
 * generator makes one tenant's subscriptions before the next tenant, a contiguous range of
 * subscriptions sorted by tenant. genid_end indexes each tenant's first generated subscription
 * (4 bytes a generated tenant, owned by the group), so a label costs two array reads and no
 * search: a trace writes a label per record, and the binary search over the subscriptions it
 * replaced was the run's top cost at 100k subscriptions (issue 14). When memory for the index
 * ran out the labels are still found, by that binary search: the same text, slower.
 * Labels: tenant n (1-based) of group `smb` is `smb-n`, its k-th generated subscription
 * (CSP ones, then the EA ones of each agreement) is `smb-n.sk`. n counts from the group's
 * first_index: a shard of the run (cli_load_opts.nshards) holds a slice of a group, whose
 * first tenant here is tenant first_index + 1 of the whole group, so it labels as in the
 * unsplit world.
 */
#ifndef MODEL_GENID_H
#define MODEL_GENID_H

#include "store.h"

typedef struct genid_group {
    const char *prefix;
    uint32_t first_tenant, ntenants; /* [first_tenant, first_tenant + ntenants) */
    uint32_t first_index;            /* the index in the whole group of first_tenant (0 unsplit) */
    uint32_t first_sub, end_sub;     /* [first_sub, end_sub): the group's generated subscriptions */
    uint32_t *first; /* ntenants + 1: tenant first_tenant + k's generated subscriptions are
                      * [first[k], first[k + 1]); NULL until genid_end, or when memory ran out */
} genid_group;

/* Opens a group of tenants made from now on (the next tenant and subscription indices), the
 * first of them tenant first_index of the whole group; genid_end closes it at the current
 * table sizes and builds its index (without one when memory ran out: see above). -1 when
 * memory ran out. */
int genid_begin(model_world *w, const char *prefix, uint32_t first_index);
void genid_end(model_world *w);
/* Frees the group table and the groups' indices (store_free). */
void genid_free(model_world *w);

/* The group of a tenant, or MODEL_NONE when it is not generated. */
uint32_t genid_group_of(const model_world *w, uint32_t tenant);
/* The generated label of a tenant / subscription into buf, or NULL when it is not generated
 * (its stored id applies). */
const char *genid_tenant_label(const model_world *w, uint32_t tenant, char buf[MODEL_LABEL_BUF]);
const char *genid_sub_label(const model_world *w, uint32_t sub, char buf[MODEL_LABEL_BUF]);
/* A ring of four buffers in the world for accessors that return a pointer (model_tenant_id):
 * a label there stays valid until four more calls on the same world. */
char *genid_ring(const model_world *w);

#endif
