/* model/world.c - the simulation object: entity tables, start, the run, accessors, metrics. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Tables of millions of entities are visited in time order, that is at random: with 4 KiB
 * pages nearly every visit also misses the TLB. Large tables therefore ask for huge pages
 * (where the system offers them on request); measured with bench/ at 10 million
 * subscriptions. Small tables use plain realloc. */
#define HUGE_TABLE ((size_t)32 << 20)
#define HUGE_PAGE ((size_t)2 << 20)

static void *grow_block(void *old, size_t old_bytes, size_t bytes)
{
#ifdef MADV_HUGEPAGE
    if (bytes >= HUGE_TABLE) {
        void *p = NULL;
        bytes = (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
        if (posix_memalign(&p, HUGE_PAGE, bytes))
            return NULL;
        madvise(p, bytes, MADV_HUGEPAGE); /* advice only: failure is harmless */
        if (old)
            memcpy(p, old, old_bytes);
        free(old);
        return p;
    }
#endif
    (void)old_bytes;
    return realloc(old, bytes);
}

int model_grow(void **v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 16;
    void *p = grow_block(*v, *cap * size, c * size);
    if (!p)
        return -1;
    *v = p;
    *cap = c;
    return 0;
}

#define GROW(w, field, cnt, cap) model_grow((void **)&(w)->field, &(w)->cap, (w)->cnt, sizeof *(w)->field)

/* Makes room for at least n entries in one step (no doubling, no copy later). */
static int reserve(void **v, size_t *cap, size_t count, size_t n, size_t size)
{
    if (n <= *cap)
        return 0;
    void *p = grow_block(*v, count * size, n * size);
    if (!p)
        return -1;
    *v = p;
    *cap = n;
    return 0;
}

int model_reserve(model_world *w, size_t tenants, size_t subscriptions)
{
    return reserve((void **)&w->tenants, &w->cap_tenants, w->ntenants, tenants, sizeof *w->tenants) ||
                   reserve((void **)&w->subs, &w->cap_subs, w->nsubs, subscriptions, sizeof *w->subs)
               ? -1
               : 0;
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
    sim_pcg_for_run(&w->rng, seed, replication);
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
    sim_fel_free(w->fel);
    free(w->script);
    free(w->offers);
    free(w->partners);
    free(w->tenants);
    free(w->rels);
    free(w->subs);
    free(w->agreements);
    ext_free_all(w);
    free(w->transfers);
    free(w->dbls);
    free(w);
}

model_params *model_world_params(model_world *w)
{
    return &w->params;
}

void model_set_sink(model_world *w, model_sink sink)
{
    w->sink = sink;
}

uint32_t model_add_offer(model_world *w, const model_offer_spec *spec)
{
    if (GROW(w, offers, noffers, cap_offers))
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
    if (GROW(w, partners, npartners, cap_partners))
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
    if (GROW(w, tenants, ntenants, cap_tenants))
        return MODEL_NONE;
    uint32_t i = (uint32_t)w->ntenants++;
    tenant_t *t = &w->tenants[i];
    memset(t, 0, sizeof *t);
    t->id = id;
    t->region = region;
    t->first_sub = t->first_rel = MODEL_NONE;
    return i;
}

rel_t *model_find_rel(model_world *w, uint32_t tenant, uint32_t partner)
{
    for (uint32_t r = w->tenants[tenant].first_rel; r != MODEL_NONE; r = w->rels[r].next_in_tenant)
        if (w->rels[r].partner == partner)
            return &w->rels[r];
    return NULL;
}

/* The relationship of (tenant, partner), created in state none when missing. */
rel_t *model_rel_get(model_world *w, uint32_t tenant, uint32_t partner)
{
    rel_t *r = model_find_rel(w, tenant, partner);
    if (r)
        return r;
    if (GROW(w, rels, nrels, cap_rels))
        return NULL;
    uint32_t i = (uint32_t)w->nrels++;
    r = &w->rels[i];
    memset(r, 0, sizeof *r);
    r->tenant = tenant;
    r->partner = partner;
    r->state = REL_NONE;
    r->next_in_tenant = w->tenants[tenant].first_rel;
    w->tenants[tenant].first_rel = i;
    return r;
}

int model_add_relationship(model_world *w, uint32_t tenant, uint32_t partner)
{
    rel_t *r = model_rel_get(w, tenant, partner);
    if (!r)
        return -1;
    r->state = REL_ACCEPTED;
    r->requested_at = r->visible_at = w->start;
    return 0;
}

uint32_t model_declare_subscription(model_world *w, const char *id, uint32_t tenant)
{
    if (GROW(w, subs, nsubs, cap_subs))
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
    if (GROW(w, agreements, nagreements, cap_agreements))
        return MODEL_NONE;
    uint32_t i = (uint32_t)w->nagreements++;
    agreement_t *a = &w->agreements[i];
    a->id = id;
    a->tenant = tenant;
    a->end = end + SIM_DAY;
    a->extended_term = (uint8_t)extended_term;
    a->public_sector = (uint8_t)public_sector;
    return i;
}

int model_init_ea_subscription(model_world *w, uint32_t sub, uint32_t agreement, uint32_t offer,
                               int32_t licenses)
{
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
    for (uint32_t i = 0; i < w->nsubs; i++)
        if (w->subs[i].state != MODEL_STATE_NONE)
            sub_schedule(w, i);
    w->started = 1; /* double billing at the start is weighed by the first run (the sink is set by then) */
    return w->failed ? -1 : 0;
}

int model_set_script(model_world *w, const model_action *actions, const sim_time *at, size_t n)
{
    w->script = malloc((n ? n : 1) * sizeof *w->script);
    if (!w->script)
        return -1;
    for (size_t i = 0; i < n; i++) {
        w->script[i].time = at[i];
        w->script[i].index = (uint32_t)i;
    }
    sim_script_sort(w->script, n);
    w->actions = actions;
    w->run.script = w->script;
    w->run.nscript = n;
    return 0;
}

/* After each step (one timer, one action): weigh double billing, check the invariants. */
static void after_step(model_world *w, sim_time t)
{
    if (w->dbl_dirty != MODEL_NONE)
        dbl_flush(w, t);
    if (w->invariants)
        invariants_after_step(w, t);
}

static void on_event(void *ctx, const sim_event *e)
{
    model_world *w = ctx;
    unsigned kind = e->tag & ((1u << TIMER_KIND_BITS) - 1);
    uint32_t gen = e->tag >> TIMER_KIND_BITS;
    switch (kind) {
    case TIMER_SUB:
        if (w->subs[e->target].gen == gen) {
            w->touched = e->target;
            sub_on_timer(w, e->target, e->time);
        }
        break;
    case TIMER_DATA:
        replace_on_deleted(w, e->target, e->time);
        break;
    case TIMER_REL:
        rel_on_timer(w, e->target, gen, e->time);
        break;
    case TIMER_XFER:
        transfer_on_timer(w, e->target, gen, e->time);
        break;
    }
    after_step(w, e->time);
}

/* Fetches the subscription an upcoming timer will touch (its first two cache lines). */
static void prefetch(void *ctx, const sim_event *e)
{
    const model_world *w = ctx;
    unsigned kind = e->tag & ((1u << TIMER_KIND_BITS) - 1);
    if (kind == TIMER_REL || kind == TIMER_XFER)
        return;
    const sub_t *s = &w->subs[e->target];
    __builtin_prefetch(s);
    __builtin_prefetch((const char *)s + 64);
}

/* The first run (or applied action) weighs double billing at the start, when the sink is set. */
static void begin_run(model_world *w)
{
    if (w->started == 1) {
        w->started = 2;
        dbl_start(w); /* subscriptions billed twice from the start on (MIG-1) */
    }
}

static void on_script(void *ctx, sim_time t, uint32_t index)
{
    model_world *w = ctx;
    actions_apply(w, t, &w->actions[index]);
    after_step(w, t);
}

int model_run_until(model_world *w, sim_time until)
{
    static const sim_handler h = {on_event, on_script, prefetch};
    begin_run(w);
    sim_run_until(&w->run, until, &h, w);
    return w->failed ? -1 : w->broken ? -2 : 0;
}

sim_time model_next_instant(model_world *w)
{
    sim_time t = sim_run_next(&w->run);
    return t > w->end ? SIM_TIME_NEVER : t;
}

void model_action_init(model_action *a, model_action_kind kind)
{
    memset(a, 0, sizeof *a);
    a->kind = kind;
    a->partner = a->tenant = a->subscription = a->offer = a->new_subscription = MODEL_NONE;
    a->target = a->align = a->agreement = a->from_partner = a->to_partner = a->transfer = MODEL_NONE;
    a->autorenew = 1;
}

void model_apply(model_world *w, sim_time t, const model_action *a)
{
    begin_run(w);
    actions_apply(w, t, a);
    after_step(w, t);
}

int model_finish(model_world *w)
{
    for (uint32_t i = 0; i < w->nsubs; i++)
        sub_close_interruption(w, i, w->end);
    begin_run(w);
    dbl_finish(w);
    if (w->invariants)
        invariants_at_finish(w);
    return w->broken ? -2 : 0;
}

size_t model_count_offers(const model_world *w) { return w->noffers; }
size_t model_count_partners(const model_world *w) { return w->npartners; }
size_t model_count_tenants(const model_world *w) { return w->ntenants; }
size_t model_count_subscriptions(const model_world *w) { return w->nsubs; }
const char *model_offer_id(const model_world *w, uint32_t i) { return i < w->noffers ? w->offers[i].id : ""; }
const char *model_partner_id(const model_world *w, uint32_t i) { return i < w->npartners ? w->partners[i].id : ""; }
const char *model_partner_region(const model_world *w, uint32_t i) { return w->partners[i].region; }
const char *model_tenant_id(const model_world *w, uint32_t i) { return i < w->ntenants ? w->tenants[i].id : ""; }
const char *model_subscription_id(const model_world *w, uint32_t i) { return i < w->nsubs ? w->subs[i].id : NULL; }

uint32_t model_subscription_tenant(const model_world *w, uint32_t i)
{
    return w->subs[i].tenant;
}

void model_subscription_view(const model_world *w, uint32_t i, model_sub_view *out)
{
    const sub_t *s = &w->subs[i];
    out->state = (model_state)s->state;
    out->tenant = s->tenant;
    out->partner = s->partner;
    out->offer = s->offer;
    out->channel = (model_channel)s->channel;
    out->licenses = s->licenses;
    out->autorenew = s->autorenew;
    out->renewing = (s->flags & SUBF_RENEWING) != 0;
    out->term_start = s->state == MODEL_STATE_NONE ? 0 : sub_term_start(s);
    out->term_end = s->term_end;
}

uint32_t model_live_subscriptions(const model_world *w, uint32_t tenant)
{
    return w->tenants[tenant].live;
}

void model_metrics_tenant(const model_world *w, uint32_t tenant, model_metrics *out)
{
    *out = w->tenants[tenant].m;
    for (uint32_t i = w->tenants[tenant].first_sub; i != MODEL_NONE; i = w->subs[i].next_in_tenant)
        out->billed += w->subs[i].billed;
}

void model_metrics_total(const model_world *w, model_metrics *out)
{
    memset(out, 0, sizeof *out);
    for (uint32_t i = 0; i < w->ntenants; i++) {
        model_metrics t;
        model_metrics_tenant(w, i, &t);
        const model_metrics *m = &t;
        out->data_loss_licenses += m->data_loss_licenses;
        out->interruption_days += m->interruption_days;
        out->billed += m->billed;
        out->refunded += m->refunded;
        out->rejections += m->rejections;
        out->double_billing_days += m->double_billing_days;
    }
}

void model_metrics_partner(const model_world *w, uint32_t partner, int64_t *billed, int64_t *refunded)
{
    if (partner == MODEL_NONE) {
        *billed = w->web_billed;
        *refunded = w->web_refunded;
    } else {
        *billed = w->partners[partner].billed;
        *refunded = w->partners[partner].refunded;
    }
}

void model_partner_figures_get(const model_world *w, uint32_t partner, model_partner_figures *out)
{
    *out = w->partners[partner].f;
}

uint64_t model_events_processed(const model_world *w) { return w->run.events + w->run.actions; }
uint64_t model_records_emitted(const model_world *w) { return w->seq; }

size_t model_world_bytes(const model_world *w)
{
    return sizeof *w + sim_fel_bytes(w->fel) + w->cap_offers * sizeof *w->offers +
           w->cap_partners * sizeof *w->partners + w->cap_tenants * sizeof *w->tenants +
           w->cap_rels * sizeof *w->rels + w->cap_subs * sizeof *w->subs +
           w->cap_agreements * sizeof *w->agreements + w->run.nscript * sizeof *w->script;
}
