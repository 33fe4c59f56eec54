/* sweep/split.h - one run split by tenant: `run --jobs N`.
 *
 * Tenants are independent, so a population can be simulated as N shard worlds (cli's loader
 * makes shard j of N: the catalog, and its own contiguous range of the tenants) side by
 * side. This module advances the shards in threads, one thread per shard, window by window,
 * and merges their records into the one canonical order a single world produces: by the
 * step key (instant, group; model_step_key), where each group is one tenant and so lives in
 * one shard, and group 0 (global steps, set_rule) is the same in every shard and taken from
 * shard 0 only. Each merged record is translated to the union's indices
 * (model_union_translate) and handed to the caller's sink, in the calling thread: the
 * writers see one world (model_union_world) and one stream, the same bytes for any N.
 *
 * Windows: a call to swp_split_run_until runs the shards to `until` in steps of at most
 * SWP_SPLIT_WINDOW simulated seconds (the shards in parallel), and the calling thread merges
 * each window while the shards wait (the writers read them). On return every record
 * of every instant <= until has been handed over and the shards stand at `until`, so the
 * caller may probe the union's state there (expectations).
 *
 * Memory: one window's records per shard: about a day of records, whatever the horizon.
 * Ownership: the split borrows the shards, the union and the sink; it owns its threads and
 * buffers (swp_split_free joins the threads).
 */
#ifndef SWEEP_SPLIT_H
#define SWEEP_SPLIT_H

#include <stddef.h>

#include "model/model.h"
#include "model/union.h"

#define SWP_SPLIT_WINDOW SIM_DAY

typedef struct swp_split swp_split;

/* n shards (1..SWP_MAX_JOBS), their union, the sink that takes the merged stream, the
 * scenario's start (the first window begins there). Sets
 * each shard's sink (the caller must not). Starts one thread per shard. NULL when memory
 * ran out or a thread could not be started. */
swp_split *swp_split_new(model_world *const *shards, size_t n, model_union *u, model_sink out, sim_time from);

/* Runs every shard to until and hands over the merged records. 0; -1 when memory ran out
 * (in a shard, or in the merge); -2 when an invariant broke in a shard (the union's
 * model_breach_found tells which). After an error nothing more runs. */
int swp_split_run_until(swp_split *s, sim_time until);

/* model_finish on every shard, their closing records merged. 0, -1 or -2 as above. */
int swp_split_finish(swp_split *s);

/* Stops and joins the threads; frees the buffers. NULL is fine. */
void swp_split_free(swp_split *s);

#endif
