/* model/behaviour.c - behaviours (see behaviour.h): matching records, deciding by a
 * counter-based draw, scheduling the reaction in the future-event list, and running it as an
 * ordinary action. Sits between actions (which it calls) and dispatch (which calls it). */
#include "behaviour.h"

#include "actions.h"
#include "emit.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A reaction decided and waiting for its instant: what the record was about, as it was then
 * (`same` copies the record's time, not the action's), and the rest of its decision's stream. */
typedef struct {
    uint32_t behaviour, tenant, partner, sub, offer;
    int32_t licenses;
    uint8_t has_sub, term_months, billing, autorenew;
    uint32_t depth;     /* links in its chain, 1 for a reaction to a record no reaction caused */
    uint32_t next_free; /* free list, MODEL_NONE at its end */
    sim_pcg g;
} pending;

/* Per tenant: the decision counter, the auto ids made for it and the reactions scheduled for
 * its records (MODEL_BEHAV_REACTIONS_MAX). */
typedef struct {
    uint32_t draws, autos, scheduled;
} tenant_count;

struct behav_rt {
    model_behaviour *b;
    size_t n;
    uint32_t kinds; /* bit per model_kind some behaviour is on */
    tenant_count *tc;
    size_t ntc;
    uint32_t none_draws, none_scheduled; /* the counters of records about no tenant */
    pending *p;
    size_t np, cap;
    uint32_t free_head;
    uint32_t depth; /* of the reaction running now, 0 outside one */
    uint64_t scheduled, dropped, ran;
    char detail[MODEL_DETAIL_MAX];
};

_Static_assert(MODEL_KIND_COUNT <= 32, "behav_rt.kinds holds a bit per record kind");

/* ---- the trigger ---------------------------------------------------------------------- */

/* The records each action emits in its own step besides its action record (a superset:
 * only used to refuse behaviours that would trigger themselves at once). */
static uint32_t emitted_by(int act)
{
#define B(k) (1u << MODEL_KIND_##k)
    uint32_t m = B(ACTION);
    switch (act) {
    case MODEL_ACT_PURCHASE:
    case MODEL_ACT_UPGRADE:
    case MODEL_ACT_CONVERT_TRIAL:
        m |= B(SUBSCRIPTION_CREATED) | B(CHARGE) | B(REFUND) | B(TRIAL_CONVERTED) | B(LICENSE_REASSIGNMENT);
        break;
    case MODEL_ACT_CANCEL:
    case MODEL_ACT_CHANGE_LICENSES:
    case MODEL_ACT_RESUME:
        m |= B(CHARGE) | B(REFUND);
        break;
    default:
        break;
    }
    return m | B(DOUBLE_BILLING_STARTED) | B(DOUBLE_BILLING_ENDED);
#undef B
}

int model_behaviour_self_triggers(const model_behaviour *b)
{
    if (!(emitted_by((int)b->act.kind) & (1u << b->on)))
        return 0;
    return b->on != MODEL_KIND_ACTION || b->action < 0 || b->action == (int)b->act.kind;
}

int model_kind_has_subscription(model_kind k, int action)
{
    if (k == MODEL_KIND_RELATIONSHIP_EXPIRED || k == MODEL_KIND_TRANSFER_EXPIRED)
        return 0;
    if (k != MODEL_KIND_ACTION)
        return 1;
    switch (action) {
    case MODEL_ACT_REQUEST_RELATIONSHIP:
    case MODEL_ACT_ACCEPT_RELATIONSHIP:
    case MODEL_ACT_RENEW_EA_AGREEMENT:
    case MODEL_ACT_REQUEST_TRANSFER:
    case MODEL_ACT_ACCEPT_TRANSFER:
    case MODEL_ACT_REJECT_TRANSFER:
        return 0;
    default:
        return 1; /* -1 (any action) may name one: decided per record */
    }
}

/* The record's subscription when it exists (a refused purchase names one still in state none). */
static const sub_t *record_sub(const model_world *w, const model_record *r)
{
    if (r->subscription == MODEL_NONE || r->subscription >= w->nsubs)
        return NULL;
    const sub_t *s = &w->subs[r->subscription];
    return s->state == MODEL_STATE_NONE ? NULL : s;
}

/* Whether b's trigger and filters match r, and the record has what b's action copies. */
static int matches(const model_world *w, const model_behaviour *b, const model_record *r, const sub_t *s)
{
    if (b->on == MODEL_KIND_ACTION) {
        if ((b->action >= 0 && r->action != b->action) || (b->outcome != MODEL_OUTCOME_NONE && r->outcome != b->outcome) ||
            (b->reason != MODEL_REASON_NONE && r->reason != b->reason))
            return 0;
    }
    if ((b->tenant != MODEL_NONE && r->tenant != b->tenant) || (b->partner != MODEL_NONE && r->partner != b->partner))
        return 0;
    if (b->group != MODEL_NONE && (r->tenant == MODEL_NONE || model_tenant_group(w, r->tenant) != b->group))
        return 0;
    if ((b->offer != MODEL_NONE || b->channel >= 0) &&
        (!s || (b->offer != MODEL_NONE && s->offer != b->offer) || (b->channel >= 0 && s->channel != b->channel)))
        return 0;
    /* what the action needs from the record: nothing to copy means no reaction */
    unsigned need = b->same;
    if ((b->takes & BEHAV_F_TENANT) && b->act.tenant == MODEL_NONE)
        need |= BEHAV_F_TENANT;
    if ((b->takes & BEHAV_F_PARTNER) && b->act.partner == MODEL_NONE)
        need |= BEHAV_F_PARTNER;
    if ((b->takes & BEHAV_F_SUBSCRIPTION) && b->act.subscription == MODEL_NONE)
        need |= BEHAV_F_SUBSCRIPTION;
    if ((need & BEHAV_F_OF_SUB) && !s)
        return 0;
    if ((need & BEHAV_F_TENANT) && r->tenant == MODEL_NONE)
        return 0;
    if ((need & BEHAV_F_PARTNER) && r->partner == MODEL_NONE)
        return 0;
    return 1;
}

/* The decision stream of (seed, replication, tenant, counter): see behaviour.h. */
static void decision_stream(const model_world *w, uint32_t tenant, uint32_t counter, sim_pcg *g)
{
    uint64_t x = w->seed;
    uint64_t h = sim_splitmix64(&x);
    x = h ^ w->replication;
    h = sim_splitmix64(&x);
    x = h ^ (((uint64_t)store_tenant_key(w, tenant) << 32) | counter);
    uint64_t state = sim_splitmix64(&x);
    uint64_t seq = sim_splitmix64(&x);
    sim_pcg_seed(g, state, seq);
}

/* The next decision counter of the record's tenant (grown on first need; 0 on OOM, with
 * w->failed set). */
static int next_counter(model_world *w, struct behav_rt *rt, uint32_t tenant, uint32_t *out)
{
    if (tenant == MODEL_NONE) {
        *out = rt->none_draws++;
        return 0;
    }
    if (tenant >= rt->ntc) {
        size_t n = w->ntenants > tenant ? w->ntenants : (size_t)tenant + 1;
        tenant_count *tc = realloc(rt->tc, n * sizeof *tc);
        if (!tc) {
            w->failed = 1;
            return -1;
        }
        memset(tc + rt->ntc, 0, (n - rt->ntc) * sizeof *tc);
        rt->tc = tc;
        rt->ntc = n;
    }
    *out = rt->tc[tenant].draws++;
    return 0;
}

static uint32_t slot_new(model_world *w, struct behav_rt *rt)
{
    if (rt->free_head != MODEL_NONE) {
        uint32_t i = rt->free_head;
        rt->free_head = rt->p[i].next_free;
        return i;
    }
    if (STORE_GROW(rt, p, np, cap)) {
        w->failed = 1;
        return MODEL_NONE;
    }
    return (uint32_t)rt->np++;
}

static void slot_free(struct behav_rt *rt, uint32_t i)
{
    rt->p[i].next_free = rt->free_head;
    rt->free_head = i;
}

/* One behaviour matched: decide with p, draw the delay and schedule the reaction. */
static void decide(model_world *w, struct behav_rt *rt, uint32_t bi, const model_record *r, const sub_t *s)
{
    const model_behaviour *b = &rt->b[bi];
    uint32_t counter;
    if (next_counter(w, rt, r->tenant, &counter))
        return;
    sim_pcg g;
    decision_stream(w, r->tenant, counter, &g);
    if (!(sim_pcg_unit(&g) < b->p)) /* p = 0: never; p = 1: always (the unit is below 1) */
        return;
    int64_t after = sim_dist_draw(&b->after, &g);
    if (after < 0 || after > w->end - r->time)
        return; /* after the horizon: it never happens */
    /* the cap counts the record's tenant only: what one tenant does never cuts another's */
    uint32_t *per_tenant = r->tenant == MODEL_NONE ? &rt->none_scheduled : &rt->tc[r->tenant].scheduled;
    if (rt->depth + 1 > MODEL_BEHAV_CHAIN_MAX || *per_tenant >= MODEL_BEHAV_REACTIONS_MAX) {
        rt->dropped++;
        return;
    }
    uint32_t i = slot_new(w, rt);
    if (i == MODEL_NONE)
        return;
    pending *pd = &rt->p[i];
    memset(pd, 0, sizeof *pd);
    pd->behaviour = bi;
    pd->tenant = r->tenant;
    pd->partner = r->partner;
    pd->sub = r->subscription;
    pd->depth = rt->depth + 1;
    pd->g = g;
    if (s) {
        pd->has_sub = 1;
        pd->offer = s->offer;
        pd->licenses = s->licenses;
        pd->term_months = s->term_months;
        pd->billing = s->billing;
        pd->autorenew = s->autorenew;
    }
    int rc = sim_fel_push(w->fel, r->time + after, store_group(r->tenant), PHASE_BEHAV, i, TIMER_TAG(TIMER_BEHAV, 0));
    if (rc != 0) {
        slot_free(rt, i);
        if (rc < 0)
            w->failed = 1;
        return;
    }
    rt->scheduled++;
    (*per_tenant)++;
}

/* rec_emit's hook: every record, built even without a sink while behaviours are set. */
static void on_record(model_world *w, const model_record *r)
{
    struct behav_rt *rt = w->behav;
    if (!(rt->kinds & (1u << r->kind)))
        return;
    const sub_t *s = record_sub(w, r);
    for (uint32_t i = 0; i < rt->n; i++)
        if (rt->b[i].on == r->kind && matches(w, &rt->b[i], r, s))
            decide(w, rt, i, r, s);
}

int model_set_behaviours(model_world *w, const model_behaviour *b, size_t n)
{
    if (w->behav || n > MODEL_BEHAV_MAX)
        return -1;
    if (n == 0)
        return 0;
    struct behav_rt *rt = calloc(1, sizeof *rt);
    if (!rt)
        return -1;
    rt->b = malloc(n * sizeof *rt->b);
    if (!rt->b) {
        free(rt);
        return -1;
    }
    memcpy(rt->b, b, n * sizeof *b);
    rt->n = n;
    rt->free_head = MODEL_NONE;
    for (size_t i = 0; i < n; i++)
        rt->kinds |= 1u << b[i].on;
    w->behav = rt;
    w->on_record = on_record;
    w->build_records = 1;
    return 0;
}

/* ---- the reaction --------------------------------------------------------------------- */

static int32_t clamp_licenses(int64_t v, int64_t lo)
{
    return (int32_t)(v < lo ? lo : v > INT32_MAX ? INT32_MAX : v);
}

/* A fresh subscription of tenant for `id: auto`; MODEL_NONE on OOM. */
static uint32_t auto_sub(model_world *w, struct behav_rt *rt, uint32_t tenant)
{
    if (tenant == MODEL_NONE || tenant >= w->ntenants)
        return MODEL_NONE;
    uint32_t c;
    if (tenant >= rt->ntc && next_counter(w, rt, tenant, &c) == 0)
        rt->tc[tenant].draws--; /* grown only: give the counter back */
    if (tenant >= rt->ntc)
        return MODEL_NONE;
    uint32_t idx = model_declare_subscription(w, NULL, tenant);
    if (idx == MODEL_NONE) {
        w->failed = 1;
        return MODEL_NONE;
    }
    if (w->nauto == 0)
        w->auto_first = idx;
    if (idx != w->auto_first + w->nauto) /* declared by someone else in between: no label */
        return idx;
    if (STORE_GROW(w, auto_n, nauto, cap_auto)) {
        w->failed = 1;
        return idx;
    }
    w->auto_n[w->nauto++] = ++rt->tc[tenant].autos;
    return idx;
}

static const char *const billing_words[] = {"monthly", "annual", "triennial"};

static const char *term_word(int months)
{
    return months == 1 ? "P1M" : months == 12 ? "P1Y" : months == 36 ? "P3Y" : "?";
}

void behav_fire(model_world *w, uint32_t slot, sim_time t)
{
    struct behav_rt *rt = w->behav;
    pending pd = rt->p[slot];
    slot_free(rt, slot);
    const model_behaviour *b = &rt->b[pd.behaviour];
    model_action a = b->act;
    if ((b->same & BEHAV_F_TENANT) || ((b->takes & BEHAV_F_TENANT) && a.tenant == MODEL_NONE))
        a.tenant = pd.tenant;
    if ((b->same & BEHAV_F_PARTNER) || ((b->takes & BEHAV_F_PARTNER) && a.partner == MODEL_NONE))
        a.partner = pd.partner;
    if ((b->same & BEHAV_F_SUBSCRIPTION) || ((b->takes & BEHAV_F_SUBSCRIPTION) && a.subscription == MODEL_NONE))
        a.subscription = pd.sub;
    char *d = rt->detail;
    size_t n = (size_t)snprintf(d, sizeof rt->detail, "behaviour=%s", b->name);
#define ADD(...)                                                                                   \
    do {                                                                                           \
        if (n < sizeof rt->detail)                                                                 \
            n += (size_t)snprintf(d + n, sizeof rt->detail - n, __VA_ARGS__);                      \
    } while (0)
    if (b->act.detail && b->act.detail[0])
        ADD(" %s", b->act.detail);
    if (b->same & BEHAV_F_OFFER) {
        a.offer = pd.offer;
        ADD(" %s=%s", a.kind == MODEL_ACT_UPGRADE ? "to" : "offer", w->offers[pd.offer].id);
    }
    if (b->same & BEHAV_F_LICENSES) {
        a.licenses = pd.licenses;
        a.has_licenses = 1;
        ADD(" licenses=%ld", (long)a.licenses);
    } else if (b->has_licenses_dist) {
        a.licenses = clamp_licenses(sim_dist_draw(&b->licenses_dist, &pd.g), 1);
        a.has_licenses = 1;
        ADD(" licenses=%ld", (long)a.licenses);
    }
    if (b->has_delta_dist) {
        a.delta = clamp_licenses(sim_dist_draw(&b->delta_dist, &pd.g), -(int64_t)INT32_MAX);
        if (a.delta == 0)
            return; /* a drawn 0 changes nothing: no action (an event's delta 0 is a load error) */
        a.has_delta = 1;
        ADD(" delta=%ld", (long)a.delta);
    }
    if (b->same & BEHAV_F_TERM) {
        a.term_months = pd.term_months;
        a.has_term = 1;
        ADD(" term=%s", term_word(a.term_months));
    }
    if (b->same & BEHAV_F_BILLING) {
        a.billing = (model_billing)pd.billing;
        a.has_billing = 1;
        ADD(" billing=%s", billing_words[pd.billing % 3]);
    }
    if (b->same & BEHAV_F_AUTORENEW) {
        a.autorenew = pd.autorenew;
        ADD(" autorenew=%s", a.autorenew ? "true" : "false");
    }
#undef ADD
    a.detail = d;
    if (b->auto_id) {
        uint32_t owner = a.kind == MODEL_ACT_PURCHASE ? a.tenant
                         : a.subscription != MODEL_NONE && a.subscription < w->nsubs ? w->subs[a.subscription].tenant
                                                                                   : MODEL_NONE;
        a.new_subscription = auto_sub(w, rt, owner);
        if (w->failed)
            return;
    }
    rt->ran++;
    rt->depth = pd.depth;
    actions_apply(w, t, &a);
    rt->depth = 0;
}

void behav_free(model_world *w)
{
    struct behav_rt *rt = w->behav;
    if (rt) {
        free(rt->b);
        free(rt->tc);
        free(rt->p);
        free(rt);
        w->behav = NULL;
    }
    free(w->auto_n);
    w->auto_n = NULL;
}

uint64_t model_behaviour_dropped(const model_world *w)
{
    return w->behav ? w->behav->dropped : 0;
}

uint64_t model_behaviour_reactions(const model_world *w)
{
    return w->behav ? w->behav->ran : 0;
}
