/* model/store.h - the model's storage, shared by the model/ sources only (not a public API):
 * the entity records, the world that holds their tables, table growth, the relationship
 * look-ups and the side records (ext_t) of the few subscriptions that need one.
 *
 * Ownership: the world owns every table; store_free releases them. Entities live in flat
 * arrays indexed by uint32 ids; lists (a tenant's subscriptions, its relationships) are
 * intrusive singly linked lists through `next_*` indices, so no entity allocates on its own.
 * A pointer into a flat table is valid only until that table grows: keep indices across
 * calls that may add an entity. Side records are the exception: they live in chunks that
 * never move, so an ext_t pointer stays valid for the world's life.
 * A subscription has at most one live lifecycle timer in the future-event list: `gen` is
 * bumped when it is rescheduled and stale timers are skipped.
 */
#ifndef MODEL_STORE_H
#define MODEL_STORE_H

#include <stddef.h>

#include "model.h"
#include "sim/fel.h"
#include "sim/pcg.h"
#include "sim/run.h"

/* Timers in the future-event list: the kind in the low bits of the tag, a generation above. */
enum { TIMER_SUB = 0, TIMER_DATA = 1, TIMER_REL = 2, TIMER_XFER = 3, TIMER_BEHAV = 4 };
/* Phase of a reacted action (behaviour.h): after the timers (0) and data checks (1) of its instant. */
#define PHASE_BEHAV 2u
#define TIMER_KIND_BITS 4u
#define TIMER_TAG(kind, gen) (((uint32_t)(gen) << TIMER_KIND_BITS) | (uint32_t)(kind))

/* The group of a step about tenant (sim/run.h's key at one instant): 0 for a step about no
 * tenant (set_rule), the tenant's index + 1 otherwise, so global steps come first and each
 * tenant's steps keep their own order whatever other tenants a world holds (EXPERIMENTS.md:
 * the same records for any split of the tenants). */
static inline uint32_t store_group(uint32_t tenant)
{
    return tenant == MODEL_NONE ? 0u : tenant + 1u;
}

typedef struct {
    const char *id, *name, *provisioning_id;
    uint32_t provisioning; /* index of the first offer with the same provisioning id */
    int64_t price;
    unsigned terms;
    const uint32_t *upgrades_to; /* SUB-9 */
    size_t nupgrades;
    model_segment segment;
    uint8_t one_per_tenant, csp_available, end_of_sale, is_addon;
    const uint32_t *equivalent_to;
    size_t nequivalent;
    const uint32_t *addon_base; /* LIM-4 */
    size_t naddon_base;
    double max_ratio, min_ratio; /* max_ratio < 0: none */
} offer_t;

typedef struct {
    const char *id, *region;
    int64_t billed, refunded;
    model_partner_figures f;
    model_reseller_figures r; /* as an indirect reseller: what providers did for it (REL-6) */
    uint8_t type;             /* model_partner_type */
} partner_t;

typedef struct {
    const char *id, *region;
    uint32_t first_sub, first_rel;
    uint32_t live; /* live subscriptions (LIM-1) */
    uint32_t dbl_open; /* open double-billing stretches (overlap.c) */
    model_metrics m; /* billed is kept per subscription (sub_t.billed) and summed on demand */
} tenant_t;

enum { REL_NONE, REL_PENDING, REL_ACCEPTED, REL_EXPIRED };

typedef struct {
    uint32_t tenant, partner, next_in_tenant, gen;
    uint8_t state;
    sim_time requested_at, visible_at;
} rel_t;

enum {
    SUBF_RENEWING = 1u << 0,     /* SUB-3 processing: changes refused */
    SUBF_WINDOW_OPEN = 1u << 1,  /* cancel window still to close (record pending) */
    SUBF_TRIED = 1u << 2,        /* this tenant+offer had a trial (SUB-8), kept on the trial sub */
    SUBF_CREATING = 1u << 3,     /* state none, a claim awaiting processing at `opened` (EA-3) */
    SUBF_FROM_CLAIM = 1u << 4,   /* created by an EA claim (EA-4, EA-5) */
    SUBF_EARLY_CLAIM = 1u << 5,  /* a claim made before E: its term starts on E (EA-4) */
};

/* Hot fields first: a timer's step reads and writes the first cache line (the times, the
 * tenant, the generation, state and flags, licenses and offer); the billing calendar and
 * the cold fields follow in the second. 112 bytes. */
typedef struct {
    sim_time term_end;     /* 00:00 after the inclusive end date of the current term */
    sim_time next_charge;  /* start of the next billing period to charge, or NEVER */
    sim_time window_end;   /* cancel window (SUB-2), exclusive; open while SUBF_WINDOW_OPEN */
    sim_time opened;       /* when the current term opened (purchase, renewal completion, ...);
                            * while SUBF_RENEWING or SUBF_CREATING: when that completes */
    sim_time since;        /* when the current state began */
    uint32_t tenant, gen;
    uint8_t state, flags, channel, billing, term_months, autorenew, anchor_day;
    int32_t licenses;
    uint32_t offer;
    /* second cache line */
    uint32_t partner;
    int32_t anchor_month;   /* the calendar (sim_to_month_day of the first term's start): */
    int32_t anchor_tod;     /* the term starts term_index months after it */
    int32_t term_index;     /* months from anchor to the current term's start */
    int32_t charged_months; /* months into the term of the next billing period to charge */
    uint32_t next_in_tenant, agreement;
    uint32_t ext; /* index of the subscription's side record, or MODEL_NONE */
    const char *id;
    int64_t billed; /* charges booked, kept here so a charge touches no tenant record */
} sub_t;

_Static_assert(sizeof(sub_t) == 112, "sub_t grew: the benchmark's memory budget counts on 112 bytes");
#define SUB_HOT(f) (offsetof(sub_t, f) + sizeof(((sub_t *)0)->f) <= 64)
_Static_assert(SUB_HOT(term_end) && SUB_HOT(next_charge) && SUB_HOT(window_end) && SUB_HOT(opened) &&
                   SUB_HOT(since) && SUB_HOT(tenant) && SUB_HOT(gen) && SUB_HOT(state) && SUB_HOT(flags) &&
                   SUB_HOT(licenses) && SUB_HOT(offer),
               "sub_t's hot fields must share its first cache line");
#undef SUB_HOT

/* A license addition still inside its reduce window (SUB-6). */
typedef struct {
    sim_time until;
    int32_t licenses;
} tranche_t;

enum { SCHED_OFFER = 1u, SCHED_LICENSES = 2u, SCHED_TERM = 4u, SCHED_BILLING = 8u, SCHED_ALIGN = 16u };

/* What few subscriptions need: license tranches, the update count, a scheduled change, an
 * EA claim, a pending transfer. Made on first need (sub_ext), so the common subscription
 * pays 4 bytes for it. */
typedef struct {
    int32_t updates;   /* SUB-7 */
    int32_t base_left; /* licenses of the term's opening tranche still reducible; < 0: untouched */
    tranche_t *tr;     /* mid-term additions of this term, oldest first */
    uint32_t ntr, cap;
    uint8_t sched; /* SCHED_* fields of a scheduled change (SUB-10), 0: none */
    uint8_t s_term, s_billing;
    uint32_t s_offer, s_align;
    int32_t s_licenses;
    uint32_t claim;    /* on an EA subscription: the claim's new subscription holding it (EA-2);
                        * on a claim's subscription: the EA subscription it claims */
    uint32_t align;    /* a claim's align_end_with */
    uint32_t transfer; /* the pending transfer it is part of (XFER-1) */
    uint32_t reseller; /* the indirect reseller it was bought for (REL-6), or MODEL_NONE */
} ext_t;

/* Side records live in chunks of EXT_CHUNK that are never moved or freed before the world:
 * growing the table adds a chunk (and grows the small array of chunk pointers), so an
 * ext_t pointer survives the making of another. The road not taken, one flat realloc'd
 * array, invalidated every pointer held across a sub_ext call (an EA claim makes two). */
#define EXT_CHUNK_BITS 8u
#define EXT_CHUNK (1u << EXT_CHUNK_BITS)

enum { XFER_NONE, XFER_PENDING, XFER_ACCEPTED, XFER_REJECTED, XFER_EXPIRED };

typedef struct {
    const char *id;
    uint32_t tenant, from, to;
    const uint32_t *subs, *news; /* source subscriptions, the ids they get at the target */
    size_t n;
    uint8_t state;
    sim_time requested_at;
    uint32_t gen;
    uint32_t reseller; /* the request's reseller (REL-6): the new subscriptions are for it */
} transfer_t;

/* An open double-billing stretch of one tenant and provisioning id (MIG-1, EA-5). */
typedef struct {
    uint32_t tenant, provisioning, sub;
    model_rule rule;
    sim_time since;
} dbl_t;

typedef struct {
    const char *id;
    uint32_t tenant;
    sim_time end; /* 00:00 of the day after the inclusive end date */
    uint8_t extended_term, public_sector;
    uint8_t renewed; /* renew_ea_agreement ran: its subscriptions are not on their way out (MIG-1) */
} agreement_t;

/* A duration parameter (at offset into model_params) was `old` until the set_rule at `at`. */
typedef struct {
    sim_time at;
    size_t offset;
    sim_duration old;
} param_change_t;

struct model_world {
    model_params params;
    sim_fel *fel;
    sim_run run;
    sim_script_item *script;
    const model_action *actions;
    sim_time start, end;
    model_sink sink;
    uint64_t seq;
    int failed; /* memory ran out while scheduling */
    int started; /* 1: model_start ran (state changes are part of the run); 2: the run began */
    int invariants; /* check after every step (model_check_invariants) */
    model_breach breach;
    int broken;
    sim_time last_time;
    sim_time step_time;  /* the instant and group of the step running now (model_step_key) */
    uint32_t step_group;
    uint32_t touched; /* the subscription the current step changed, or MODEL_NONE */
    int bad_transition; /* set by sub_set_state: from, to */
    int bad_from, bad_to;
    int64_t ledger_billed, ledger_refunded; /* every booking, kept apart from the figures */

    uint32_t dbl_dirty; /* the tenant whose paid subscriptions changed in this step, or MODEL_NONE */
    struct dbl_index *dbl_ix; /* double billing's counters (overlap.c), from dbl_start on */

    offer_t *offers;
    partner_t *partners;
    tenant_t *tenants;
    rel_t *rels;
    sub_t *subs;
    agreement_t *agreements;
    ext_t **ext_chunks; /* nexts side records in chunks of EXT_CHUNK (never moved) */
    transfer_t *transfers;
    dbl_t *dbls;
    size_t noffers, npartners, ntenants, nrels, nsubs, nagreements, nexts, ntransfers, ndbls;
    size_t cap_offers, cap_partners, cap_tenants, cap_rels, cap_subs, cap_agreements, cap_ext_chunks, cap_transfers,
        cap_dbls;
    int64_t web_billed, web_refunded;

    struct genid_group *groups; /* generated population groups (genid.h) */
    size_t ngroups, cap_groups;
    char labels[4][MODEL_LABEL_BUF]; /* genid_ring: model_tenant_id of generated tenants */
    unsigned nlabel;

    /* behaviours (behaviour.c): NULL and 0 without any */
    struct behav_rt *behav;
    void (*on_record)(model_world *w, const model_record *r); /* rec_emit's hook */
    uint8_t build_records; /* a sink or a hook wants records built (rec_skip) */
    uint64_t seed, replication; /* of model_world_new: behaviours key their draws on them */
    uint32_t tenant_base; /* the number of tenant 0 in the whole scenario (model_set_tenant_base) */
    uint64_t global_steps; /* steps of group 0 run (set_rule, steps about no tenant): in every shard */
    uint64_t draw_base;   /* tenant_draw's mix of (seed, replication) */
    /* per tenant, the timing draws made so far: apart from tenant_t, whose cache line a
     * renewal would otherwise miss (4 bytes a tenant stay cached); made on first draw */
    uint32_t *draws;
    size_t ndraws;
    /* subscriptions made by `id: auto` take [auto_first, auto_first + nauto); auto_n[i] is
     * the i-th one's number among its tenant's (labelled TENANT/rN, emit.h) */
    uint32_t auto_first, *auto_n;
    size_t nauto, cap_auto;
    /* set_rule: each duration parameter's value before each change, in run order, so that a
     * timer that started before a change keeps the value it started with (PARAM_AT) */
    param_change_t *changes;
    size_t nchanges, cap_changes;
    int64_t limit_high; /* the largest tenant_subscription_limit set_rule replaced (invariants) */
    /* A union world (union.h) holds no entity of its own, only the global counts (ntenants,
     * nsubs), its record count (seq) and label ring: uni maps an index to the shard world
     * that answers (store_at). NULL in a plain world. */
    const model_world *(*uni)(const model_world *w, int space, uint32_t *index);
};

/* The spaces store_at resolves in: the catalog (offers, partners, groups, parameters: the
 * index is untouched), a tenant or subscription index (made the shard's local one, or
 * MODEL_NONE in shard 0 when out of range), a shard number (NULL past the last) and the
 * breach (the world whose breach field answers). */
enum { UNION_CATALOG, UNION_TENANT, UNION_SUB, UNION_SHARD, UNION_BREACH };

/* The world that answers for *index of space in w: w itself in a plain world (its only
 * shard is 0), the shard holding it in a union world. Every accessor goes through it. */
static inline const model_world *store_at(const model_world *w, int space, uint32_t *index)
{
    if (!w->uni)
        return space == UNION_SHARD && *index ? NULL : w;
    return w->uni(w, space, index);
}

/* Room for entry n of a table *v of *cap entries of `size` bytes (doubling; large tables on
 * huge pages). Pointers into the table are stale after a growth. -1 when memory ran out
 * (the table is unchanged). */
int store_grow(void **v, size_t *cap, size_t n, size_t size);
#define STORE_GROW(w, field, cnt, cap) store_grow((void **)&(w)->field, &(w)->cap, (w)->cnt, sizeof *(w)->field)

/* The duration parameter at offset as it was at instant since: the value before the first
 * set_rule after since, else the current one. A change at since itself counts as before it. */
sim_duration store_duration_at(const model_world *w, size_t offset, sim_time since);
/* w->params.field for a timer that started at since; free when no set_rule ran. */
#define PARAM_AT(w, field, since)                                                                  \
    ((w)->nchanges ? store_duration_at((w), offsetof(model_params, field), (since)) : (w)->params.field)

/* A draw of d for tenant, from its own stream: PCG32 seeded by SplitMix64 of (seed,
 * replication, tenant, the tenant's draw counter) under a domain of its own (not
 * behaviour.c's decision streams), so no draw depends on other tenants nor on how they are
 * interleaved. The renewal, EA processing and EA visibility delays come from here. */
int64_t tenant_draw(model_world *w, uint32_t tenant, const sim_dist *d);
/* The number a tenant's streams key on: its index in the whole scenario (tenant_base + i);
 * MODEL_NONE stays MODEL_NONE. */
static inline uint32_t store_tenant_key(const model_world *w, uint32_t tenant)
{
    return tenant == MODEL_NONE ? MODEL_NONE : w->tenant_base + tenant;
}

/* Frees every entity table and side record (not the event list nor the script). */
void store_free(model_world *w);

/* The relationship of (tenant, partner), or NULL. */
rel_t *rel_find(model_world *w, uint32_t tenant, uint32_t partner);
/* The relationship of (tenant, partner), made in state none when missing; NULL on OOM. */
rel_t *rel_get(model_world *w, uint32_t tenant, uint32_t partner);

/* The subscription's side record, made on first need; NULL when memory ran out (w->failed
 * set). The pointer stays valid for the world's life. */
ext_t *sub_ext(model_world *w, uint32_t sub);
/* REL-6: sub was created for reseller r (nothing when r is MODEL_NONE), counted among r's
 * subscriptions; billing of sub is then also r's figure. -1 when memory ran out. */
int store_set_reseller(model_world *w, uint32_t sub, uint32_t r);
/* Its side record or NULL, never making one. */
static inline ext_t *sub_ext_if(model_world *w, uint32_t sub)
{
    uint32_t i = w->subs[sub].ext;
    return i == MODEL_NONE ? NULL : &w->ext_chunks[i >> EXT_CHUNK_BITS][i & (EXT_CHUNK - 1)];
}

#endif
