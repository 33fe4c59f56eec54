/* model/union.h - the union world over shards (run --jobs, issue 12): one read-only world that
 * answers model.h's accessors for N shard worlds as the whole scenario's world would, so the
 * reporters, probes and expectations read a split run through the pointer they always took.
 *
 * A shard is a full model_world holding the catalog and a contiguous part of the tenants
 * (docs: the split runner, notes on `run --jobs`). The union numbers entities globally:
 *   - tenants of shard j are [tb_j, tb_j + ntenants_j), tb_j the sum of the tenant counts of
 *     the shards before j, read when the union is made;
 *   - subscriptions existing in shard j when the union is made likewise, in two parts
 *     (model_union_new's tails); one a shard makes later (a behaviour's `auto` id, a declaration after
 *     model_union_new) gets the next global index at its FIRST mention in a translated record,
 *     so in the merged (canonical) order a single world and any split number it alike;
 *   - offers, partners, groups and the parameters are shard 0's (every shard has the same).
 * A subscription a shard made but no translated record has named yet is not in the union.
 *
 * What the union world answers (every read-only accessor of model.h): counts of tenants and
 * subscriptions are global, of offers, partners and groups shard 0's; ids, labels, views (the
 * tenant translated to global), live subscriptions, per-tenant metrics and the group of a
 * tenant come from the shard holding the entity; the total, per-partner, partner and reseller
 * figures are summed over the shards in shard order (money saturating like the world's own
 * sums); events processed and world bytes are the shards' sums; records emitted is the
 * union's own count (model_union_translate); model_world_params is shard 0's (read it, do
 * not write it); the breach is the first broken shard's, its subscription translated and its
 * after_record the union's number of that record once translated (else the shard's own).
 * The mechanism is one hook in the world (store.h: a union world resolves (space, index) to
 * the shard and local index that answer), so every accessor has one path for both kinds.
 *
 * Mutating calls (adders, model_start, model_run_until, model_apply, model_set_sink,
 * model_world_free ...) on the union world are a programmer error: its pointer is const,
 * and world.c asserts it on the calls it holds.
 *
 * Ownership: the union borrows the shard array's worlds (it copies the pointers) and never
 * frees them; they must outlive it. model_union_free releases the union and its tables.
 * Pure, like the rest of model/: no files, no printing, no clock. Not thread-safe: the
 * accessors write the union's label ring, and translate grows its tables; a shard's thread
 * must not be running while the union reads that shard.
 */
#ifndef MODEL_UNION_H
#define MODEL_UNION_H

#include <stddef.h>

#include "model.h"

typedef struct model_union model_union;

/* The union of shards[0..n) (n >= 1), made after the shards are loaded (before model_start
 * or right after: the static counts are read now). tails (may be NULL: none) splits each
 * shard's subscriptions in two: locals [0, tails[j]) are numbered shard after shard, then
 * the locals from tails[j] on of every shard, shard after shard -- as one world numbers
 * the hand-written and generated subscriptions before those the events declare (the loader's
 * pop_first_sub + pop_subscriptions, cli/scenario.h). NULL when memory ran out, n is 0 or the
 * total tenant or subscription count does not fit an index. */
model_union *model_union_new(model_world *const *shards, const size_t *tails, size_t n);

/* The world every read-only accessor of model.h accepts; valid until model_union_free. */
const model_world *model_union_world(const model_union *u);

/* Rewrites a record shard `shard` emitted, in merged order: r->tenant and r->subscription
 * to global indices (a subscription's first mention numbers it), r->seq to the union's
 * running record number (1 for the first, as the world numbers its own), which
 * model_records_emitted(model_union_world(u)) then counts. Partner and offer indices are the
 * same in every shard. -1 when memory ran out (r and the union unchanged), else 0. */
int model_union_translate(model_union *u, size_t shard, model_record *r);

/* Frees the union and its tables, not the shards. NULL is fine. */
void model_union_free(model_union *u);

#endif
