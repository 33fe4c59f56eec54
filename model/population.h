/* model/population.h - generated populations: groups of tenants whose every value is fixed or
 * drawn from a distribution, made straight into the model's tables.
 *
 * Pure: the description is plain data the caller fills (the loader, cli/population.c) and
 * keeps alive with the world (arrays and strings are borrowed). Each value is a sim_dist;
 * word-valued ones (region, offer, partner, channel, billing, state) draw an index into the
 * arrays given here or the model's enums, booleans draw 0/1 (`{p: X}` is SIM_DIST_BERNOULLI),
 * terms draw months, instants draw seconds.
 * Streams: tenant i (0-based) of group g draws only from its own PCG32 seeded by SplitMix64
 * of (seed, replication, g, i), in a fixed order (region; then per subscription: channel,
 * offer, partner, licenses, term, billing, start, autorenew, state; then agreements), so any
 * subset of tenants generates identically wherever it runs. Generated ids are not stored:
 * model/genid.h labels them `<group>-<i+1>` and `<group>-<i+1>.s<k>`.
 */
#ifndef MODEL_POPULATION_H
#define MODEL_POPULATION_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

typedef struct {
    sim_dist count;   /* subscriptions per tenant, clamped to [0, max_count] */
    sim_dist channel; /* model_channel */
    sim_dist offer;   /* offer index */
    int has_partner;  /* 0: one of the tenant's relationships, drawn uniformly */
    sim_dist partner; /* partner index; must be among the group's relationships */
    sim_dist licenses; /* clamped to [1, max_licenses] */
    sim_dist term;    /* months: 1, 12 or 36 */
    sim_dist billing; /* model_billing; one the term does not offer becomes monthly (SUB-1) */
    sim_dist start;   /* instant, at most the scenario start */
    sim_dist autorenew;
    sim_dist state;   /* model_state: ACTIVE, SUSPENDED or TRIAL */
} model_pop_subs;

typedef struct {
    sim_dist count;          /* agreements per tenant, clamped to [0, max_count] */
    sim_dist end;            /* instant of the last day (floored to 00:00), after the start */
    sim_dist extended_term, public_sector;
    sim_dist sub_count;      /* EA subscriptions per agreement, clamped to [0, max_count] */
    sim_dist sub_offer;
    sim_dist sub_licenses;   /* clamped to [1, max_licenses] */
} model_pop_agreements;

typedef struct {
    const char *name;        /* the id prefix */
    uint32_t tenants;
    sim_dist region;         /* an index into regions */
    const char *const *regions;
    size_t nregions;
    const uint32_t *rels;    /* partner indices; a tenant relates to those in its region */
    size_t nrels;
    int has_subs, has_agreements;
    model_pop_subs subs;
    model_pop_agreements agreements;
} model_pop_group;

typedef struct {
    uint32_t max_count;      /* per tenant or agreement: clamp of every count */
    int32_t max_licenses;
    size_t max_subscriptions; /* in the whole world: past it generation stops (-2) */
} model_pop_limits;

/* Adds group g (its index among the run's groups: the stream key) to the world: tenants,
 * relationships, subscriptions in the state they have at the start, agreements and their EA
 * subscriptions. Call before model_start, groups in order. 0; -1 when memory ran out; -2 when
 * the world would hold more than lim->max_subscriptions subscriptions (the world then holds
 * part of the group: free it). */
int model_pop_generate(model_world *w, const model_pop_group *grp, uint32_t g, uint64_t seed, uint64_t replication,
                       const model_pop_limits *lim);

/* The same for the slice [first, first + n) of the group's tenants (first + n <= tenants):
 * a shard of the run. Each tenant draws from its own stream (g, i) and labels as tenant i of
 * the whole group, so it is identical to the one the whole group makes; n = 0 still opens
 * the group (its index g names the same group in every shard). model_pop_generate is the
 * slice [0, tenants). */
int model_pop_generate_range(model_world *w, const model_pop_group *grp, uint32_t g, uint32_t first, uint32_t n,
                             uint64_t seed, uint64_t replication, const model_pop_limits *lim);

/* The stream of tenant i of group g (exposed for tests). */
void model_pop_stream(sim_pcg *rng, uint64_t seed, uint64_t replication, uint32_t g, uint32_t i);

#endif
