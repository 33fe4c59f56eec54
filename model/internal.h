/* model/internal.h - the model's entity layout, shared by the model/ sources only (not a public API).
 *
 * Entities live in flat arrays indexed by uint32 ids; lists (a tenant's subscriptions, its
 * relationships) are intrusive singly linked lists through `next_*` indices, so no entity
 * allocates on its own. A subscription has at most one live lifecycle timer in the
 * future-event list: `gen` is bumped when it is rescheduled and stale timers are skipped.
 */
#ifndef MODEL_INTERNAL_H
#define MODEL_INTERNAL_H

#include "model.h"
#include "sim/fel.h"
#include "sim/pcg.h"
#include "sim/run.h"

enum { TIMER_SUB = 0, TIMER_DATA = 1, TIMER_REL = 2 };
#define TIMER_KIND_BITS 4u
#define TIMER_TAG(kind, gen) (((uint32_t)(gen) << TIMER_KIND_BITS) | (uint32_t)(kind))

typedef struct {
    const char *id, *name, *provisioning_id;
    uint32_t provisioning; /* index of the first offer with the same provisioning id */
    int64_t price;
    unsigned terms;
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
} partner_t;

typedef struct {
    const char *id, *region;
    uint32_t first_sub, first_rel;
    uint32_t live; /* live subscriptions (LIM-1) */
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
};

/* Hot fields first: a timer touches the first cache line (times, tenant, state). 112 bytes. */
typedef struct {
    sim_time term_end;     /* 00:00 after the inclusive end date of the current term */
    sim_time next_charge;  /* start of the next billing period to charge, or NEVER */
    sim_time window_end;   /* cancel window (SUB-2), exclusive; open while SUBF_WINDOW_OPEN */
    sim_time renew_done;   /* SUB-3 completion while renewing */
    sim_time since;        /* when the current state began */
    int32_t anchor_month;  /* the calendar (sim_to_month_day of the first term's start): */
    int32_t anchor_tod;    /* the term starts term_index months after it */
    uint32_t tenant, partner, offer, gen;
    int32_t licenses;
    int32_t term_index;     /* months from anchor to the current term's start */
    int32_t charged_months; /* months into the term of the next billing period to charge */
    uint32_t next_in_tenant, agreement;
    uint8_t state, channel, billing, term_months, autorenew, flags, anchor_day;
    const char *id;
    int64_t billed; /* charges booked, kept here so a charge touches no tenant record */
} sub_t;

typedef struct {
    const char *id;
    uint32_t tenant;
    sim_time end; /* 00:00 of the day after the inclusive end date */
    uint8_t extended_term, public_sector;
} agreement_t;

struct model_world {
    model_params params;
    sim_pcg rng;
    sim_fel *fel;
    sim_run run;
    sim_script_item *script;
    const model_action *actions;
    sim_time start, end;
    model_sink sink;
    uint64_t seq;
    int failed; /* memory ran out while scheduling */
    int invariants; /* check after every step (model_check_invariants) */
    model_breach breach;
    int broken;
    sim_time last_time;
    uint32_t touched; /* the subscription the current step changed, or MODEL_NONE */
    int bad_transition; /* set by sub_set_state: from, to */
    int bad_from, bad_to;
    int64_t ledger_billed, ledger_refunded; /* every booking, kept apart from the figures */

    offer_t *offers;
    partner_t *partners;
    tenant_t *tenants;
    rel_t *rels;
    sub_t *subs;
    agreement_t *agreements;
    size_t noffers, npartners, ntenants, nrels, nsubs, nagreements;
    size_t cap_offers, cap_partners, cap_tenants, cap_rels, cap_subs, cap_agreements;
    int64_t web_billed, web_refunded;
};

/* A record being built: fill, then emit. */
typedef model_record rec_t;

/* world.c */
int model_grow(void **v, size_t *cap, size_t n, size_t size);
rel_t *model_find_rel(model_world *w, uint32_t tenant, uint32_t partner);
/* The relationship of (tenant, partner), made in state none when missing; NULL on OOM. */
rel_t *model_rel_get(model_world *w, uint32_t tenant, uint32_t partner);

/* emit.c: records. rec_begin gives a zeroed record for (t, kind, rule); rec_emit numbers
 * and sends it. When no sink is set records are not built (emit_on is false). */
static inline int emit_on(const model_world *w)
{
    return w->sink.emit != NULL;
}
void rec_begin(const model_world *w, rec_t *r, sim_time t, model_kind kind, model_rule rule);
void rec_sub(const model_world *w, rec_t *r, uint32_t sub);
void rec_emit(model_world *w, rec_t *r);
void rec_detail(rec_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A state change record of sub, from -> to. */
void emit_state(model_world *w, sim_time t, model_kind kind, model_rule rule, uint32_t sub, int from, int to);

/* lifecycle.c: state, timers, terms */
int sub_is_live(int state);
void sub_set_state(model_world *w, uint32_t sub, int state, sim_time t);
void sub_schedule(model_world *w, uint32_t sub);
void sub_on_timer(model_world *w, uint32_t sub, sim_time t);
/* Starts the term that begins term_index months after the anchor: end, window from opened_at,
 * billing from its first period (charged at once when charge is set). */
void sub_begin_term(model_world *w, uint32_t sub, sim_time opened_at, int charge);
sim_time sub_term_end(const sub_t *s);
sim_time sub_term_start(const sub_t *s);
/* The instant `months` calendar months after the anchor (end-of-month clamped). */
sim_time sub_months_after_anchor(const sub_t *s, int32_t months);
void sub_set_anchor(sub_t *s, sim_time t);
/* Adds the interruption of a suspended or disabled sub up to t to its tenant. */
void sub_close_interruption(model_world *w, uint32_t sub, sim_time t);
model_rule sub_expiry_rule(const sub_t *s);

/* invariants.c */
int sub_transition_legal(int from, int to);
void invariants_after_step(model_world *w, sim_time t);
void invariants_at_finish(model_world *w);

/* ledger.c: money */
void ledger_charge_period(model_world *w, uint32_t sub, sim_time t);
void ledger_refund_unused(model_world *w, uint32_t sub, sim_time t, model_rule rule);
/* Sets up a subscription existing at the start: its running period counts as paid. */
void ledger_prime(model_world *w, uint32_t sub);
/* Recomputes next_charge from charged_months. */
void ledger_next_charge(sub_t *s);

/* replace.c: SUB-12, at phase 1 of the deletion instant */
void replace_on_deleted(model_world *w, uint32_t sub, sim_time t);

/* actions.c: scripted actions */
void actions_apply(model_world *w, sim_time t, const model_action *a);
void rel_on_timer(model_world *w, uint32_t rel, uint32_t gen, sim_time t);

#endif
