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

enum { TIMER_SUB = 0, TIMER_DATA = 1, TIMER_REL = 2, TIMER_XFER = 3 };
#define TIMER_KIND_BITS 4u
#define TIMER_TAG(kind, gen) (((uint32_t)(gen) << TIMER_KIND_BITS) | (uint32_t)(kind))

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
};

/* Hot fields first: a timer touches the first cache line (times, tenant, state). 112 bytes. */
typedef struct {
    sim_time term_end;     /* 00:00 after the inclusive end date of the current term */
    sim_time next_charge;  /* start of the next billing period to charge, or NEVER */
    sim_time window_end;   /* cancel window (SUB-2), exclusive; open while SUBF_WINDOW_OPEN */
    sim_time opened;       /* when the current term opened (purchase, renewal completion, ...);
                            * while SUBF_RENEWING or SUBF_CREATING: when that completes */
    sim_time since;        /* when the current state began */
    int32_t anchor_month;  /* the calendar (sim_to_month_day of the first term's start): */
    int32_t anchor_tod;    /* the term starts term_index months after it */
    uint32_t tenant, partner, offer, gen;
    int32_t licenses;
    int32_t term_index;     /* months from anchor to the current term's start */
    int32_t charged_months; /* months into the term of the next billing period to charge */
    uint32_t next_in_tenant, agreement;
    uint8_t state, channel, billing, term_months, autorenew, flags, anchor_day;
    uint32_t ext; /* index into the world's ext table, or MODEL_NONE */
    const char *id;
    int64_t billed; /* charges booked, kept here so a charge touches no tenant record */
} sub_t;

_Static_assert(sizeof(sub_t) == 112, "sub_t grew: the benchmark's memory budget counts on 112 bytes");

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
} ext_t;

enum { XFER_NONE, XFER_PENDING, XFER_ACCEPTED, XFER_REJECTED, XFER_EXPIRED };

typedef struct {
    const char *id;
    uint32_t tenant, from, to;
    const uint32_t *subs, *news; /* source subscriptions, the ids they get at the target */
    size_t n;
    uint8_t state;
    sim_time requested_at;
    uint32_t gen;
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
    int started; /* 1: model_start ran (state changes are part of the run); 2: the run began */
    int invariants; /* check after every step (model_check_invariants) */
    model_breach breach;
    int broken;
    sim_time last_time;
    uint32_t touched; /* the subscription the current step changed, or MODEL_NONE */
    int bad_transition; /* set by sub_set_state: from, to */
    int bad_from, bad_to;
    int64_t ledger_billed, ledger_refunded; /* every booking, kept apart from the figures */

    uint32_t dbl_dirty; /* the tenant whose paid subscriptions changed in this step, or MODEL_NONE */

    offer_t *offers;
    partner_t *partners;
    tenant_t *tenants;
    rel_t *rels;
    sub_t *subs;
    agreement_t *agreements;
    ext_t *exts;
    transfer_t *transfers;
    dbl_t *dbls;
    size_t noffers, npartners, ntenants, nrels, nsubs, nagreements, nexts, ntransfers, ndbls;
    size_t cap_offers, cap_partners, cap_tenants, cap_rels, cap_subs, cap_agreements, cap_exts, cap_transfers, cap_dbls;
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
/* The subscription's id for a detail text: its id, or "s<index>" like the trace writes. */
#define SUB_LABEL_BUF 16
const char *sub_label(const model_world *w, uint32_t sub, char buf[SUB_LABEL_BUF]);
/* A state change record of sub, from -> to. */
void emit_state(model_world *w, sim_time t, model_kind kind, model_rule rule, uint32_t sub, int from, int to);
/* The same with a detail text. */
void emit_state_detail(model_world *w, sim_time t, model_kind kind, model_rule rule, uint32_t sub, int from, int to,
                       const char *fmt, ...) __attribute__((format(printf, 8, 9)));

/* The subscription's ext record, made on first need; NULL when memory ran out (w->failed set). */
ext_t *sub_ext(model_world *w, uint32_t sub);
/* Its ext record or NULL, never making one. */
static inline ext_t *sub_ext_if(model_world *w, uint32_t sub)
{
    return w->subs[sub].ext == MODEL_NONE ? NULL : &w->exts[w->subs[sub].ext];
}

/* lifecycle.c: state, timers, terms */
int sub_is_live(int state);
/* Billed for: active or suspended (SUB-5), any channel. */
int sub_is_paid(int state);
void sub_set_state(model_world *w, uint32_t sub, int state, sim_time t);
void sub_schedule(model_world *w, uint32_t sub);
void sub_on_timer(model_world *w, uint32_t sub, sim_time t);
/* How a term begins: charge its first billing period at once; prorate that period from the
 * day of opening (a term joined mid-period); open a cancel window (SUB-2, CSP only). */
enum { TERM_CHARGE = 1u, TERM_PRORATE = 2u, TERM_WINDOW = 4u };
/* Starts the term that begins term_index months after the anchor: its end, the window from
 * opened_at, the license tranches, billing from its first period. */
void sub_begin_term(model_world *w, uint32_t sub, sim_time opened_at, unsigned how);
/* The same, the term served from `from` on (not before its calendar start): a renewed or
 * converted term whose scheduled alignment made it start earlier is prorated from there. */
void sub_begin_term_from(model_world *w, uint32_t sub, sim_time opened_at, sim_time from, unsigned how);
sim_time sub_term_end(const sub_t *s);
sim_time sub_term_start(const sub_t *s);
/* The instant `months` calendar months after the anchor (end-of-month clamped). */
sim_time sub_months_after_anchor(const sub_t *s, int32_t months);
void sub_set_anchor(sub_t *s, sim_time t);
/* d takes s's calendar and term: the same term start and end (a transfer, a partial upgrade). */
void sub_copy_calendar(sub_t *d, const sub_t *s);
/* Adds the interruption of a suspended or disabled sub up to t to its tenant. */
void sub_close_interruption(model_world *w, uint32_t sub, sim_time t);
model_rule sub_expiry_rule(const sub_t *s);

/* licenses.c: SUB-6 tranches */
void licenses_new_term(model_world *w, uint32_t sub);
/* Licenses still inside the reduce window of their addition at t. */
int32_t licenses_reducible(model_world *w, uint32_t sub, sim_time t);
/* Adds n licenses as a tranche opened at t. -1 when memory ran out. */
int licenses_add(model_world *w, uint32_t sub, int32_t n, sim_time t);
/* Removes n licenses, newest tranche first (only open tranches when open_only is set). */
void licenses_remove(model_world *w, uint32_t sub, int32_t n, sim_time t, int open_only);
void ext_free_all(model_world *w);

/* changes.c: SUB-9 paths, SUB-10 scheduled changes, SUB-11 coterminous dates */
int offer_reaches(const model_world *w, uint32_t from, uint32_t to);
/* NONE when `to` is in from's upgrades_to, else the refusal (downgrade or unsupported path). */
model_reason upgrade_path(const model_world *w, uint32_t from, uint32_t to);
int coterm_valid(model_world *w, uint32_t target, int term_months, sim_time t, uint32_t tenant);
/* Sets sub's calendar so that its first term (term_index 0) ends with target's term. */
void coterm_anchor(model_world *w, uint32_t sub, uint32_t target);
/* Removes a scheduled change (record scheduled_change_removed, `why` in its detail). */
void sched_remove(model_world *w, uint32_t sub, sim_time t, const char *why);
int sched_pending(model_world *w, uint32_t sub);
/* Applies the scheduled change to the term that begins now (after term_index moved on).
 * 1 when it aligned the term (SUB-11), which then starts before it is served. */
int sched_apply(model_world *w, uint32_t sub, sim_time t);

/* overlap.c: double billing (MIG-1, EA-5) */
/* The tenant's paid subscriptions changed at t; weighed after the step (dbl_flush). */
void dbl_mark(model_world *w, uint32_t tenant, sim_time t);
void dbl_flush(model_world *w, sim_time t);
/* Weighs every tenant (at the start), and closes every open stretch at the end. */
void dbl_start(model_world *w);
void dbl_finish(model_world *w);

/* ea.c: EA claims (EA-1..EA-5) */
/* E: 00:00 after the agreement's end date of an EA subscription. */
sim_time ea_end(const model_world *w, uint32_t ea_sub);
/* EA-1's window: E - ea_lookahead <= t < E + ea_lookback. */
int ea_in_window(const model_world *w, uint32_t ea_sub, sim_time t);
/* The claim's subscription holding ea_sub, or MODEL_NONE. */
uint32_t ea_holder(model_world *w, uint32_t ea_sub);
/* Places (or edits) a's claim on ea_sub, to create `sub` when processed (EA-3). */
void claim_place(model_world *w, uint32_t ea_sub, uint32_t sub, const model_action *a, sim_time t);
void claim_withdraw(model_world *w, uint32_t ea_sub);
void claim_process(model_world *w, uint32_t sub, sim_time t);
/* The agreement now ends at `end` (00:00 after its new end date): its active EA
 * subscriptions stay active until then (EA-6). */
void ea_renew(model_world *w, uint32_t agreement, sim_time end, sim_time t);

/* transfer.c: XFER-1 */
void transfer_request(model_world *w, uint32_t transfer, sim_time t);
/* Creates the accepted subscriptions at the target, then ends the sources. */
void transfer_accept(model_world *w, uint32_t transfer, const uint32_t *subs, size_t n, sim_time t);
void transfer_close(model_world *w, uint32_t transfer, int state);
void transfer_on_timer(model_world *w, uint32_t transfer, uint32_t gen, sim_time t);

/* invariants.c */
int sub_transition_legal(int from, int to);
void invariants_after_step(model_world *w, sim_time t);
void invariants_at_finish(model_world *w);

/* ledger.c: money */
void ledger_charge_period(model_world *w, uint32_t sub, sim_time t);
void ledger_refund_unused(model_world *w, uint32_t sub, sim_time t, model_rule rule);
/* Starts billing a term served from `from` on: the first period is the calendar period
 * containing `from`, charged at t when `charge` is set, prorated by day when it started
 * earlier (a coterminous or transferred term). */
void ledger_begin(model_world *w, uint32_t sub, sim_time t, sim_time from, int charge);
/* Charges (licenses > 0) or refunds (< 0) that many licenses at `price` per license-month
 * for the days of the running billing period left at t. */
void ledger_prorate(model_world *w, uint32_t sub, sim_time t, int32_t licenses, int64_t price, model_rule rule);
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
