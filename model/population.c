/* model/population.c - making a population group's tenants, subscriptions and agreements
 * from its distributions, one independent stream per tenant. Uses only the model API and
 * the group table (genid); no strings are made per tenant. */
#include "population.h"

#include "genid.h"

#include <string.h>

void model_pop_stream(sim_pcg *rng, uint64_t seed, uint64_t replication, uint32_t g, uint32_t i)
{
    /* SplitMix64 over the key's words in turn: (seed, replication, group, tenant) -> state,
     * stream. The road not taken, one generator for the whole population, would make tenant
     * i depend on every tenant before it, so shards and threads could not generate alone. */
    uint64_t x = seed;
    uint64_t a = sim_splitmix64(&x);
    x = a ^ (replication * 0xd1b54a32d192ed03ULL);
    a = sim_splitmix64(&x);
    x = a ^ (((uint64_t)g << 32) | i);
    uint64_t state = sim_splitmix64(&x);
    uint64_t stream = sim_splitmix64(&x);
    sim_pcg_seed(rng, state, stream);
}

static int64_t clamp(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* One subscription of tenant t; its related partners are rel[0..nrel). */
static int gen_sub(model_world *w, const model_pop_subs *sp, uint32_t t, const uint32_t *rel, size_t nrel,
                   sim_pcg *r, const model_pop_limits *lim)
{
    model_sub_spec s;
    memset(&s, 0, sizeof s);
    s.channel = (model_channel)sim_dist_draw(&sp->channel, r);
    s.offer = (uint32_t)sim_dist_draw(&sp->offer, r);
    uint32_t partner = sp->has_partner ? (uint32_t)sim_dist_draw(&sp->partner, r)
                                       : nrel ? rel[sim_pcg_bounded(r, (uint32_t)nrel)] : MODEL_NONE;
    s.partner = s.channel == MODEL_CHANNEL_CSP ? partner : MODEL_NONE;
    s.licenses = (int32_t)clamp(sim_dist_draw(&sp->licenses, r), 1, lim->max_licenses);
    s.term_months = (int)sim_dist_draw(&sp->term, r);
    s.billing = (model_billing)sim_dist_draw(&sp->billing, r);
    if ((s.billing == MODEL_BILLING_ANNUAL && s.term_months < 12) ||
        (s.billing == MODEL_BILLING_TRIENNIAL && s.term_months != 36))
        s.billing = MODEL_BILLING_MONTHLY; /* SUB-1: the term does not offer it */
    s.start = sim_dist_draw(&sp->start, r);
    s.autorenew = sim_dist_draw(&sp->autorenew, r) != 0;
    s.state = (model_state)sim_dist_draw(&sp->state, r);
    if (model_count_subscriptions(w) >= lim->max_subscriptions)
        return -2;
    uint32_t sub = model_declare_subscription(w, NULL, t);
    if (sub == MODEL_NONE)
        return -1;
    /* a term that ended before the start without renewing leaves the id declared, never created */
    (void)model_init_subscription(w, sub, &s);
    return 0;
}

static int gen_agreement(model_world *w, const model_pop_agreements *ap, uint32_t t, sim_pcg *r,
                         const model_pop_limits *lim)
{
    sim_time end = sim_day_start(sim_dist_draw(&ap->end, r));
    int ext = sim_dist_draw(&ap->extended_term, r) != 0, pub = sim_dist_draw(&ap->public_sector, r) != 0;
    int64_t n = clamp(sim_dist_draw(&ap->sub_count, r), 0, lim->max_count);
    uint32_t ag = model_add_agreement(w, NULL, t, end, ext, pub);
    if (ag == MODEL_NONE)
        return -1;
    for (int64_t k = 0; k < n; k++) {
        uint32_t offer = (uint32_t)sim_dist_draw(&ap->sub_offer, r);
        int32_t lic = (int32_t)clamp(sim_dist_draw(&ap->sub_licenses, r), 1, lim->max_licenses);
        if (model_count_subscriptions(w) >= lim->max_subscriptions)
            return -2;
        uint32_t sub = model_declare_subscription(w, NULL, t);
        if (sub == MODEL_NONE || model_init_ea_subscription(w, sub, ag, offer, lic))
            return -1;
    }
    return 0;
}

/* The partners of grp->rels in region: at most 64 are kept per tenant (the loader's limit). */
#define POP_MAX_RELS 64

static int gen_tenant(model_world *w, const model_pop_group *grp, uint32_t g, uint32_t i, uint64_t seed,
                      uint64_t replication, const model_pop_limits *lim)
{
    sim_pcg r;
    model_pop_stream(&r, seed, replication, g, i);
    const char *region = grp->regions[sim_dist_draw(&grp->region, &r)];
    uint32_t t = model_add_tenant(w, NULL, region);
    if (t == MODEL_NONE)
        return -1;
    uint32_t rel[POP_MAX_RELS];
    size_t nrel = 0;
    for (size_t k = 0; k < grp->nrels && nrel < POP_MAX_RELS; k++)
        if (strcmp(model_partner_region(w, grp->rels[k]), region) == 0) {
            if (model_add_relationship(w, t, grp->rels[k]))
                return -1;
            rel[nrel++] = grp->rels[k];
        }
    if (grp->has_subs) {
        int64_t n = clamp(sim_dist_draw(&grp->subs.count, &r), 0, lim->max_count);
        for (int64_t k = 0; k < n; k++) {
            int rc = gen_sub(w, &grp->subs, t, rel, nrel, &r, lim);
            if (rc)
                return rc;
        }
    }
    if (grp->has_agreements) {
        int64_t n = clamp(sim_dist_draw(&grp->agreements.count, &r), 0, lim->max_count);
        for (int64_t k = 0; k < n; k++) {
            int rc = gen_agreement(w, &grp->agreements, t, &r, lim);
            if (rc)
                return rc;
        }
    }
    return 0;
}

int model_pop_generate_range(model_world *w, const model_pop_group *grp, uint32_t g, uint32_t first, uint32_t n,
                             uint64_t seed, uint64_t replication, const model_pop_limits *lim)
{
    /* one allocation for the slice's tenants instead of doubling (and two copies at peak) */
    if (model_reserve(w, model_count_tenants(w) + n, model_count_subscriptions(w)) || genid_begin(w, grp->name, first))
        return -1;
    int rc = 0;
    for (uint32_t i = first; i < first + n && rc == 0; i++)
        rc = gen_tenant(w, grp, g, i, seed, replication, lim);
    genid_end(w);
    return rc;
}

int model_pop_generate(model_world *w, const model_pop_group *grp, uint32_t g, uint64_t seed, uint64_t replication,
                       const model_pop_limits *lim)
{
    return model_pop_generate_range(w, grp, g, 0, grp->tenants, seed, replication, lim);
}
