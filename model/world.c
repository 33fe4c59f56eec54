/* model/world.c - the simulation object: its making and freeing, the catalog and the state
 * at start (the public adders), accessors and metrics. The run itself is dispatch.c's. */
#include "actions.h"
#include "behaviour.h"
#include "calendar.h"
#include "emit.h"
#include "ledger.h"
#include "genid.h"
#include "lifecycle.h"
#include "overlap.h"
#include "store.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* "timing" in ASCII: the domain of tenant_draw's streams, apart from behaviour.c's. */
#define TIMING_DOMAIN 0x74696d696e67ull
/* Accessors: each resolves its index to the world that answers (store_at): the world itself,
 * or in a union world (union.h) the shard holding the entity; sums run over the shards. */
static const model_world *catalog(const model_world *w)
{
    uint32_t none = 0;
    return store_at(w, UNION_CATALOG, &none);
}
static const model_world *shard(const model_world *w, uint32_t j)
{
    return store_at(w, UNION_SHARD, &j);
}

model_world *model_world_new(sim_time start, sim_time end, uint64_t seed, uint64_t replication)
{
    if (end < start)
        return NULL;
    model_world *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->fel = sim_fel_new(start, end);
    if (!w->fel) {
        free(w);
        return NULL;
    }
    model_params_default(&w->params);
    w->touched = w->dbl_dirty = MODEL_NONE;
    w->last_time = start;
#ifdef CSPSIM_INVARIANTS
    w->invariants = 1;
#endif
    w->seed = seed;
    w->replication = replication;
    uint64_t x = seed ^ TIMING_DOMAIN; /* tenant_draw's mix of (seed, replication), made once */
    x = sim_splitmix64(&x) ^ replication;
    w->draw_base = sim_splitmix64(&x);
    w->start = start;
    w->end = end;
    w->run.fel = w->fel;
    w->run.end = end;
    w->run.now = start;
    return w;
}

void model_world_free(model_world *w)
{
    if (!w)
        return;
    assert(!w->uni); /* a union world is read-only (union.h) */
    sim_fel_free(w->fel);
    dbl_free(w);
    free(w->script);
    behav_free(w);
    free(w->draws);
    store_free(w);
    free(w);
}

model_params *model_world_params(model_world *w)
{
    return (model_params *)&catalog(w)->params; /* a union's: shard 0's, to read only */
}

void model_set_sink(model_world *w, model_sink sink)
{
    assert(!w->uni); /* a union world is read-only (union.h) */
    w->sink = sink;
    w->build_records = sink.emit != NULL || w->on_record != NULL;
}

uint32_t model_add_offer(model_world *w, const model_offer_spec *spec)
{
    assert(!w->uni); /* a union world is read-only (union.h) */
    if (STORE_GROW(w, offers, noffers, cap_offers))
        return MODEL_NONE;
    uint32_t i = (uint32_t)w->noffers++;
    offer_t *o = &w->offers[i];
    memset(o, 0, sizeof *o);
    o->id = spec->id;
    o->name = spec->name ? spec->name : spec->id;
    o->price = spec->price;
    o->terms = spec->terms;
    o->segment = spec->segment;
    o->one_per_tenant = (uint8_t)spec->one_per_tenant;
    o->csp_available = (uint8_t)spec->csp_available;
    o->end_of_sale = (uint8_t)spec->end_of_sale;
    o->is_addon = (uint8_t)spec->is_addon;
    o->upgrades_to = spec->upgrades_to;
    o->nupgrades = spec->nupgrades;
    o->equivalent_to = spec->equivalent_to;
    o->nequivalent = spec->nequivalent;
    o->addon_base = spec->addon_base;
    o->naddon_base = spec->naddon_base;
    o->max_ratio = spec->max_ratio;
    o->min_ratio = spec->min_ratio;
    /* offers sharing a provisioning id share one index: the first such offer's */
    o->provisioning_id = spec->provisioning_id ? spec->provisioning_id : spec->id;
    o->provisioning = i;
    for (uint32_t j = 0; j < i; j++) {
        const offer_t *p = &w->offers[j];
        if (p->provisioning == j && strcmp(p->provisioning_id, o->provisioning_id) == 0) {
            o->provisioning = j;
            break;
        }
    }
    return i;
}

uint32_t model_add_partner(model_world *w, const char *id, const char *region)
{
    assert(!w->uni); /* a union world is read-only (union.h) */
    if (STORE_GROW(w, partners, npartners, cap_partners))
        return MODEL_NONE;
    uint32_t i = (uint32_t)w->npartners++;
    partner_t *p = &w->partners[i];
    memset(p, 0, sizeof *p);
    p->id = id;
    p->region = region;
    return i;
}

uint32_t model_add_tenant(model_world *w, const char *id, const char *region)
{
    assert(!w->uni); /* a union world is read-only (union.h) */
    if (STORE_GROW(w, tenants, ntenants, cap_tenants))
        return MODEL_NONE;
    uint32_t i = (uint32_t)w->ntenants++;
    tenant_t *t = &w->tenants[i];
    memset(t, 0, sizeof *t);
    t->id = id;
    t->region = region;
    t->first_sub = t->first_rel = MODEL_NONE;
    return i;
}

int model_add_relationship(model_world *w, uint32_t tenant, uint32_t partner)
{
    assert(!w->uni); /* a union world is read-only (union.h) */
    rel_t *r = rel_get(w, tenant, partner);
    if (!r)
        return -1;
    r->state = REL_ACCEPTED;
    r->requested_at = r->visible_at = w->start;
    return 0;
}

uint32_t model_declare_subscription(model_world *w, const char *id, uint32_t tenant)
{
    assert(!w->uni); /* a union world is read-only (union.h) */
    if (STORE_GROW(w, subs, nsubs, cap_subs))
        return MODEL_NONE;
    uint32_t i = (uint32_t)w->nsubs++;
    sub_t *s = &w->subs[i];
    memset(s, 0, sizeof *s);
    s->id = id;
    s->tenant = tenant;
    s->partner = s->agreement = MODEL_NONE;
    s->state = MODEL_STATE_NONE;
    s->next_charge = s->opened = s->window_end = SIM_TIME_NEVER;
    s->ext = MODEL_NONE;
    s->next_in_tenant = w->tenants[tenant].first_sub;
    w->tenants[tenant].first_sub = i;
    return i;
}

int model_init_subscription(model_world *w, uint32_t sub, const model_sub_spec *spec)
{
    assert(!w->uni); /* a union world is read-only (union.h) */
    sub_t *s = &w->subs[sub];
    s->offer = spec->offer;
    s->partner = spec->partner;
    s->channel = (uint8_t)spec->channel;
    s->licenses = spec->licenses;
    s->term_months = (uint8_t)spec->term_months;
    s->billing = (uint8_t)spec->billing;
    s->autorenew = (uint8_t)(spec->autorenew != 0);
    sub_set_anchor(s, sim_day_start(spec->start));
    s->term_end = sub_term_end(s);
    if (s->term_end < w->start && s->autorenew && spec->state == MODEL_STATE_ACTIVE) {
        /* skip in one step all but the last terms that ended before the start: a start
         * centuries back costs a few calendar steps, not one per term (fuzz finding 1) */
        int32_t month, tod;
        uint8_t day;
        sim_to_month_day(w->start, &month, &day, &tod);
        int64_t k = ((int64_t)month - s->anchor_month) / s->term_months - 1;
        if (k > 0 && k * s->term_months < INT32_MAX) {
            s->term_index = (int32_t)(k * s->term_months);
            s->term_end = sub_term_end(s); /* still before the start: the loop ends it */
        }
    }
    /* terms that ended before the start were renewed silently (autorenew) */
    while (s->term_end < w->start) { /* a term ending at the start instant ends in the run */
        if (!s->autorenew || spec->state != MODEL_STATE_ACTIVE)
            return -1;
        s->term_index += s->term_months;
        s->term_end = sub_term_end(s);
    }
    s->opened = sub_term_start(s);
    s->window_end = sim_add_duration(s->opened, w->params.cancel_window);
    if (s->window_end > w->start && s->channel == MODEL_CHANNEL_CSP && spec->state != MODEL_STATE_TRIAL)
        s->flags |= SUBF_WINDOW_OPEN; /* SUB-2 windows are CSP's; a trial has none (SUB-8) */
    if (spec->state == MODEL_STATE_TRIAL)
        s->flags |= SUBF_TRIED;
    /* the billing period running at the start was paid before it (ledger_prime) */
    ledger_prime(w, sub);
    s->since = w->start;
    s->state = MODEL_STATE_NONE;
    sub_set_state(w, sub, spec->state, w->start);
    return 0;
}

uint32_t model_add_agreement(model_world *w, const char *id, uint32_t tenant, sim_time end,
                             int extended_term, int public_sector)
{
    assert(!w->uni); /* a union world is read-only (union.h) */
    if (STORE_GROW(w, agreements, nagreements, cap_agreements))
        return MODEL_NONE;
    uint32_t i = (uint32_t)w->nagreements++;
    agreement_t *a = &w->agreements[i];
    a->id = id;
    a->tenant = tenant;
    a->end = end + SIM_DAY;
    a->extended_term = (uint8_t)extended_term;
    a->public_sector = (uint8_t)public_sector;
    a->renewed = 0;
    return i;
}

int model_init_ea_subscription(model_world *w, uint32_t sub, uint32_t agreement, uint32_t offer,
                               int32_t licenses)
{
    assert(!w->uni); /* a union world is read-only (union.h) */
    sub_t *s = &w->subs[sub];
    const agreement_t *a = &w->agreements[agreement];
    s->offer = offer;
    s->agreement = agreement;
    s->channel = MODEL_CHANNEL_EA;
    s->licenses = licenses;
    s->billing = MODEL_BILLING_ANNUAL;
    s->term_months = 12;
    s->autorenew = 0;
    sub_set_anchor(s, w->start);
    s->term_end = a->end;
    s->next_charge = SIM_TIME_NEVER; /* billed by the agreement, outside the simulation */
    s->since = w->start;
    if (s->term_end <= w->start)
        return -1;
    sub_set_state(w, sub, MODEL_STATE_ACTIVE, w->start);
    return 0;
}

int model_start(model_world *w)
{
    assert(!w->uni); /* a union world is read-only (union.h) */
    for (uint32_t i = 0; i < w->nsubs; i++)
        if (w->subs[i].state != MODEL_STATE_NONE)
            sub_schedule(w, i);
    w->started = 1; /* double billing at the start is weighed by the first run (the sink is set by then) */
    return w->failed ? -1 : 0;
}

int model_set_script(model_world *w, const model_action *actions, const sim_time *at, size_t n)
{
    assert(!w->uni); /* a union world is read-only (union.h) */
    w->script = malloc((n ? n : 1) * sizeof *w->script);
    if (!w->script)
        return -1;
    for (size_t i = 0; i < n; i++) {
        w->script[i].time = at[i];
        w->script[i].group = actions_group(w, &actions[i]);
        w->script[i].index = (uint32_t)i;
    }
    sim_script_sort(w->script, n);
    w->actions = actions;
    w->run.script = w->script;
    w->run.nscript = n;
    return 0;
}

int64_t tenant_draw(model_world *w, uint32_t tenant, const sim_dist *d)
{
    uint32_t counter = 0;
    if (tenant >= w->ndraws && tenant < w->ntenants) {
        uint32_t *v = realloc(w->draws, w->ntenants * sizeof *v);
        if (!v) {
            w->failed = 1;
            return 0;
        }
        memset(v + w->ndraws, 0, (w->ntenants - w->ndraws) * sizeof *v);
        w->draws = v;
        w->ndraws = w->ntenants;
    }
    if (tenant < w->ndraws)
        counter = w->draws[tenant]++;
    uint64_t x = w->draw_base ^ (((uint64_t)store_tenant_key(w, tenant) << 32) | counter);
    uint64_t state = sim_splitmix64(&x);
    uint64_t seq = sim_splitmix64(&x);
    sim_pcg g;
    sim_pcg_seed(&g, state, seq);
    return sim_dist_draw(d, &g);
}

void model_set_tenant_base(model_world *w, uint32_t base)
{
    w->tenant_base = base;
}

void model_step_key(const model_world *w, sim_time *t, uint32_t *group)
{
    *t = w->step_time;
    *group = w->step_group ? w->step_group + w->tenant_base : 0; /* the scenario's tenant number + 1 */
}

void model_action_init(model_action *a, model_action_kind kind)
{
    memset(a, 0, sizeof *a);
    a->kind = kind;
    a->partner = a->tenant = a->subscription = a->offer = a->new_subscription = MODEL_NONE;
    a->target = a->align = a->agreement = a->from_partner = a->to_partner = a->transfer = a->reseller = MODEL_NONE;
    a->autorenew = 1;
}

size_t model_count_offers(const model_world *w) { return catalog(w)->noffers; }
size_t model_count_partners(const model_world *w) { return catalog(w)->npartners; }
size_t model_count_tenants(const model_world *w) { return w->ntenants; }   /* a union's: global */
size_t model_count_subscriptions(const model_world *w) { return w->nsubs; }
const char *model_offer_id(const model_world *w, uint32_t i)
{
    w = catalog(w);
    return i < w->noffers ? w->offers[i].id : "";
}
const char *model_partner_id(const model_world *w, uint32_t i)
{
    w = catalog(w);
    return i < w->npartners ? w->partners[i].id : "";
}
const char *model_partner_region(const model_world *w, uint32_t i) { return catalog(w)->partners[i].region; }
/* The ring is the asked world's (a union's own: a shard's belongs to the shard's thread). */
const char *model_tenant_id(const model_world *w, uint32_t i)
{
    const model_world *s = store_at(w, UNION_TENANT, &i);
    return i < s->ntenants ? model_tenant_label(s, i, genid_ring(w)) : "";
}
const char *model_subscription_id(const model_world *w, uint32_t i)
{
    const model_world *s = store_at(w, UNION_SUB, &i);
    return i < s->nsubs ? model_subscription_label(s, i, genid_ring(w)) : NULL;
}
const char *model_tenant_label(const model_world *w, uint32_t i, char buf[MODEL_LABEL_BUF])
{
    w = store_at(w, UNION_TENANT, &i);
    const char *id = w->tenants[i].id;
    return id || !w->ngroups ? id : genid_tenant_label(w, i, buf);
}
const char *model_subscription_label(const model_world *w, uint32_t i, char buf[MODEL_LABEL_BUF])
{
    w = store_at(w, UNION_SUB, &i);
    const char *id = w->subs[i].id;
    if (!id && w->ngroups)
        id = genid_sub_label(w, i, buf);
    return id ? id : auto_sub_label(w, i, buf); /* NULL for none: the caller's "s<index>" */
}
size_t model_count_groups(const model_world *w) { return catalog(w)->ngroups; }
const char *model_group_name(const model_world *w, uint32_t g)
{
    w = catalog(w);
    return g < w->ngroups ? w->groups[g].prefix : "";
}
uint32_t model_tenant_group(const model_world *w, uint32_t tenant)
{
    w = store_at(w, UNION_TENANT, &tenant);
    return genid_group_of(w, tenant);
}

/* A shard's tenant index as the asked world numbers it: the union's tenant base added. */
static uint32_t global_tenant(const model_world *w, const model_world *s, uint32_t tenant)
{
    uint32_t base = 0;
    if (s != w)
        for (uint32_t j = 0; shard(w, j) != s; j++)
            base += (uint32_t)shard(w, j)->ntenants;
    return tenant == MODEL_NONE ? tenant : base + tenant;
}

uint32_t model_subscription_tenant(const model_world *w, uint32_t i)
{
    const model_world *s = store_at(w, UNION_SUB, &i);
    return global_tenant(w, s, s->subs[i].tenant);
}

void model_subscription_view(const model_world *w, uint32_t i, model_sub_view *out)
{
    const model_world *sw = store_at(w, UNION_SUB, &i);
    const sub_t *s = &sw->subs[i];
    out->state = (model_state)s->state;
    out->tenant = global_tenant(w, sw, s->tenant);
    out->partner = s->partner;
    out->offer = s->offer;
    out->channel = (model_channel)s->channel;
    out->licenses = s->licenses;
    out->autorenew = s->autorenew;
    out->renewing = (s->flags & SUBF_RENEWING) != 0;
    out->term_start = s->state == MODEL_STATE_NONE ? 0 : sub_term_start(s);
    out->term_end = s->term_end;
    out->term_months = s->term_months;
    out->billing = (model_billing)s->billing;
}

uint32_t model_live_subscriptions(const model_world *w, uint32_t tenant)
{
    w = store_at(w, UNION_TENANT, &tenant);
    return w->tenants[tenant].live;
}

void model_metrics_tenant(const model_world *w, uint32_t tenant, model_metrics *out)
{
    w = store_at(w, UNION_TENANT, &tenant);
    *out = w->tenants[tenant].m;
    for (uint32_t i = w->tenants[tenant].first_sub; i != MODEL_NONE; i = w->subs[i].next_in_tenant)
        out->billed = ledger_sum(out->billed, w->subs[i].billed);
}

void model_metrics_total(const model_world *w, model_metrics *out)
{
    memset(out, 0, sizeof *out);
    const model_world *s;
    for (uint32_t j = 0; (s = shard(w, j)) != NULL; j++)
        for (uint32_t i = 0; i < s->ntenants; i++) {
            model_metrics t;
            model_metrics_tenant(s, i, &t);
            const model_metrics *m = &t;
            out->data_loss_licenses += m->data_loss_licenses;
            out->interruption_days += m->interruption_days;
            out->billed = ledger_sum(out->billed, m->billed);
            out->refunded = ledger_sum(out->refunded, m->refunded);
            out->rejections += m->rejections;
            out->double_billing_days += m->double_billing_days;
        }
}

void model_set_partner_type(model_world *w, uint32_t partner, model_partner_type type)
{
    assert(!w->uni); /* a union world is read-only (union.h) */
    w->partners[partner].type = (uint8_t)type;
}

model_partner_type model_partner_type_get(const model_world *w, uint32_t partner)
{
    return (model_partner_type)catalog(w)->partners[partner].type;
}

uint32_t model_subscription_reseller(const model_world *w, uint32_t sub)
{
    w = store_at(w, UNION_SUB, &sub);
    const ext_t *e = sub_ext_if((model_world *)w, sub);
    return e ? e->reseller : MODEL_NONE;
}

/* Per-partner figures are summed over the shards: each holds the part its tenants made. */
void model_reseller_figures_get(const model_world *w, uint32_t partner, model_reseller_figures *out)
{
    *out = shard(w, 0)->partners[partner].r;
    const model_world *s;
    for (uint32_t j = 1; (s = shard(w, j)) != NULL; j++) {
        const model_reseller_figures *r = &s->partners[partner].r;
        out->billed = ledger_sum(out->billed, r->billed);
        out->refunded = ledger_sum(out->refunded, r->refunded);
        out->subscriptions = ledger_sum(out->subscriptions, r->subscriptions);
    }
}

void model_metrics_partner(const model_world *w, uint32_t partner, int64_t *billed, int64_t *refunded)
{
    int none = partner == MODEL_NONE;
    const model_world *s = shard(w, 0);
    *billed = none ? s->web_billed : s->partners[partner].billed;
    *refunded = none ? s->web_refunded : s->partners[partner].refunded;
    for (uint32_t j = 1; (s = shard(w, j)) != NULL; j++) {
        *billed = ledger_sum(*billed, none ? s->web_billed : s->partners[partner].billed);
        *refunded = ledger_sum(*refunded, none ? s->web_refunded : s->partners[partner].refunded);
    }
}

void model_partner_figures_get(const model_world *w, uint32_t partner, model_partner_figures *out)
{
    *out = shard(w, 0)->partners[partner].f;
    const model_world *s;
    for (uint32_t j = 1; (s = shard(w, j)) != NULL; j++) {
        const model_partner_figures *f = &s->partners[partner].f;
        out->claims_won = ledger_sum(out->claims_won, f->claims_won);
        out->claims_refused = ledger_sum(out->claims_refused, f->claims_refused);
        out->transfers_accepted = ledger_sum(out->transfers_accepted, f->transfers_accepted);
        out->transfers_refused = ledger_sum(out->transfers_refused, f->transfers_refused);
    }
}

uint64_t model_events_processed(const model_world *w)
{
    uint64_t n = 0;
    const model_world *s;
    for (uint32_t j = 0; (s = shard(w, j)) != NULL; j++) /* global steps ran in every shard: count them once */
        n += s->run.events + s->run.actions - (j > 0 ? s->global_steps : 0);
    return n;
}
uint64_t model_records_emitted(const model_world *w) { return w->seq; } /* a union's: its own count */

static size_t world_bytes(const model_world *w)
{
    return sizeof *w + sim_fel_bytes(w->fel) + w->cap_offers * sizeof *w->offers +
           w->cap_partners * sizeof *w->partners + w->cap_tenants * sizeof *w->tenants +
           w->cap_rels * sizeof *w->rels + w->cap_subs * sizeof *w->subs +
           w->cap_agreements * sizeof *w->agreements + w->run.nscript * sizeof *w->script + w->ndraws * sizeof *w->draws;
}

size_t model_world_bytes(const model_world *w)
{
    size_t n = 0;
    const model_world *s;
    for (uint32_t j = 0; (s = shard(w, j)) != NULL; j++)
        n += world_bytes(s);
    return n;
}
