/* model/actions.c - scripted actions: each is a row of the action table with the checks
 * that may refuse it, in RULES.md's precedence order (unknown entity; relationship and
 * region; renewal in progress; suspended, trial, not active; windows; eligibility; limits),
 * and the effect applied when none refuses. A check is a small pure function returning
 * the reason and the rule that decided it; the first refusal is recorded. An effect writes
 * the action's record itself, before the records it causes (charges, refunds, removals).
 * Domain pieces shared with the lifecycle live beside: licenses.c (SUB-6), changes.c
 * (SUB-9..11), ea.c (EA claims), transfer.c (XFER-1), overlap.c (double billing). */
#include "actions.h"

#include "calendar.h"
#include "changes.h"
#include "ea.h"
#include "emit.h"
#include "ledger.h"
#include "licenses.h"
#include "lifecycle.h"
#include "overlap.h"
#include "states.h"
#include "transfer.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    model_reason reason;
    model_rule rule;
} verdict;

static const verdict OK = {MODEL_REASON_NONE, MODEL_RULE_NONE};

typedef verdict (*check_fn)(model_world *w, sim_time t, const model_action *a);

static verdict refuse(model_reason reason, model_rule rule)
{
    verdict v = {reason, rule};
    return v;
}

static sub_t *sub_of(model_world *w, const model_action *a)
{
    return &w->subs[a->subscription];
}

/* ---- checks ---------------------------------------------------------------------------- */

static verdict chk_sub_exists(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    return sub_of(w, a)->state == MODEL_STATE_NONE ? refuse(MODEL_REASON_UNKNOWN_ENTITY, MODEL_RULE_SUB_1) : OK;
}

/* REL-6: an indirect reseller does not transact; its indirect provider acts for it */
static verdict chk_partner_type(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    return a->partner != MODEL_NONE && w->partners[a->partner].type == MODEL_PARTNER_INDIRECT_RESELLER
               ? refuse(MODEL_REASON_PARTNER_TYPE_NOT_ALLOWED, MODEL_RULE_REL_6)
               : OK;
}

static verdict chk_relationship(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    const rel_t *r = rel_find(w, a->tenant, a->partner);
    if (r && r->state == REL_ACCEPTED)
        return OK;
    return refuse(r && r->state == REL_PENDING ? MODEL_REASON_RELATIONSHIP_PENDING : MODEL_REASON_NO_RELATIONSHIP,
                  MODEL_RULE_REL_1);
}

static verdict chk_region(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    return strcmp(w->partners[a->partner].region, w->tenants[a->tenant].region) != 0
               ? refuse(MODEL_REASON_REGION_MISMATCH, MODEL_RULE_REL_2)
               : OK;
}

static verdict chk_rel_pending(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    const rel_t *r = rel_find(w, a->tenant, a->partner);
    return r && (r->state == REL_PENDING || r->state == REL_ACCEPTED) ? OK
                                                                      : refuse(MODEL_REASON_NO_RELATIONSHIP, MODEL_RULE_REL_1);
}

static verdict chk_not_renewing(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    return sub_of(w, a)->flags & SUBF_RENEWING ? refuse(MODEL_REASON_RENEWAL_IN_PROGRESS, MODEL_RULE_SUB_3) : OK;
}

static verdict chk_not_trial(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    return sub_of(w, a)->state == MODEL_STATE_TRIAL ? refuse(MODEL_REASON_TRIAL_RESTRICTED, MODEL_RULE_SUB_8) : OK;
}

/* cancel: active or suspended (SUB-5: a suspended one can be canceled in its window) */
static verdict chk_cancelable(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    int s = sub_of(w, a)->state;
    return s == MODEL_STATE_ACTIVE || s == MODEL_STATE_SUSPENDED ? OK : refuse(MODEL_REASON_NOT_ACTIVE, MODEL_RULE_SUB_2);
}

static verdict chk_active(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    return sub_of(w, a)->state == MODEL_STATE_ACTIVE ? OK : refuse(MODEL_REASON_NOT_ACTIVE, MODEL_RULE_SUB_5);
}

static verdict chk_is_suspended(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    return sub_of(w, a)->state == MODEL_STATE_SUSPENDED ? OK : refuse(MODEL_REASON_NOT_ACTIVE, MODEL_RULE_SUB_5);
}

/* set_autorenew: on while suspended is refused (SUB-5: resume does not turn it back on) */
static verdict chk_autorenew_state(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    int s = sub_of(w, a)->state;
    if (s == MODEL_STATE_SUSPENDED)
        return a->value ? refuse(MODEL_REASON_SUSPENDED, MODEL_RULE_SUB_5) : OK;
    if (s == MODEL_STATE_ACTIVE || s == MODEL_STATE_TRIAL)
        return sub_of(w, a)->channel == MODEL_CHANNEL_EA ? refuse(MODEL_REASON_NOT_ACTIVE, MODEL_RULE_EA_6) : OK;
    return refuse(MODEL_REASON_NOT_ACTIVE, MODEL_RULE_SUB_3);
}

/* SUB-2 applies to CSP subscriptions; web-direct and EA ones end without refund (MIG-1) */
static verdict chk_cancel_window(model_world *w, sim_time t, const model_action *a)
{
    const sub_t *s = sub_of(w, a);
    if (s->channel != MODEL_CHANNEL_CSP)
        return OK;
    /* closed at its end, or earlier by an upgrade or a transfer (no window after those) */
    return (s->flags & SUBF_WINDOW_OPEN) && t < s->window_end ? OK
                                                              : refuse(MODEL_REASON_CANCEL_WINDOW_CLOSED, MODEL_RULE_SUB_2);
}

static verdict chk_catalog(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    const offer_t *o = &w->offers[a->offer];
    return o->csp_available && !o->end_of_sale ? OK : refuse(MODEL_REASON_NOT_IN_CATALOG, MODEL_RULE_MIG_1);
}

static unsigned term_bit(int months)
{
    return months == 1 ? MODEL_TERM_P1M : months == 12 ? MODEL_TERM_P1Y : months == 36 ? MODEL_TERM_P3Y : 0;
}

/* SUB-1: the offer has the term; annual billing only for P1Y/P3Y, triennial only for P3Y */
static verdict chk_term(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    if (a->trial)
        return OK; /* the trial term is the rule's (SUB-8) */
    int ok = (w->offers[a->offer].terms & term_bit(a->term_months)) != 0;
    if (a->billing == MODEL_BILLING_ANNUAL)
        ok = ok && a->term_months >= 12;
    if (a->billing == MODEL_BILLING_TRIENNIAL)
        ok = ok && a->term_months == 36;
    return ok ? OK : refuse(MODEL_REASON_TERM_NOT_OFFERED, MODEL_RULE_SUB_1);
}

/* SUB-8: one trial per offer per tenant, none for add-ons */
static verdict chk_trial(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    if (!a->trial)
        return OK;
    if (w->offers[a->offer].is_addon)
        return refuse(MODEL_REASON_TRIAL_NOT_ALLOWED, MODEL_RULE_SUB_8);
    for (uint32_t i = w->tenants[a->tenant].first_sub; i != MODEL_NONE; i = w->subs[i].next_in_tenant)
        if ((w->subs[i].flags & SUBF_TRIED) && w->subs[i].offer == a->offer)
            return refuse(MODEL_REASON_TRIAL_NOT_ALLOWED, MODEL_RULE_SUB_8);
    return OK;
}

static verdict chk_tenant_limit(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    return (int64_t)w->tenants[a->tenant].live + 1 > w->params.tenant_subscription_limit
               ? refuse(MODEL_REASON_TENANT_LIMIT, MODEL_RULE_LIM_1)
               : OK;
}

/* Licenses of the tenant's live subscriptions whose offer is `offer`, or is in `set`. */
static int64_t live_licenses_of(const model_world *w, uint32_t tenant, uint32_t offer, const uint32_t *set, size_t n)
{
    int64_t total = 0;
    for (uint32_t i = w->tenants[tenant].first_sub; i != MODEL_NONE; i = w->subs[i].next_in_tenant) {
        const sub_t *s = &w->subs[i];
        if (!sub_is_live(s->state))
            continue;
        int hit = s->offer == offer;
        for (size_t k = 0; k < n && !hit; k++)
            hit = s->offer == set[k];
        if (hit)
            total += s->licenses;
    }
    return total;
}

static int64_t order_licenses(const model_world *w, const model_action *a)
{
    return a->trial ? w->params.trial_licenses : a->licenses;
}

/* LIM-2: SMB offers hold at most smb_seat_cap licenses per tenant, all partners together */
static verdict chk_seat_cap(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    if (w->offers[a->offer].segment != MODEL_SEGMENT_SMB)
        return OK;
    int64_t held = live_licenses_of(w, a->tenant, a->offer, NULL, 0);
    return held + order_licenses(w, a) > w->params.smb_seat_cap ? refuse(MODEL_REASON_SEAT_CAP, MODEL_RULE_LIM_2) : OK;
}

/* LIM-3: one live subscription of a one_per_tenant offer */
static verdict chk_one_per_tenant(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    if (!w->offers[a->offer].one_per_tenant)
        return OK;
    for (uint32_t i = w->tenants[a->tenant].first_sub; i != MODEL_NONE; i = w->subs[i].next_in_tenant)
        if (w->subs[i].offer == a->offer && sub_is_live(w->subs[i].state))
            return refuse(MODEL_REASON_ONE_PER_TENANT, MODEL_RULE_LIM_3);
    return OK;
}

/* LIM-4: an add-on needs live base licenses and stays within min_ratio..max_ratio of them */
static verdict chk_addon(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    const offer_t *o = &w->offers[a->offer];
    if (!o->is_addon)
        return OK;
    int64_t base = live_licenses_of(w, a->tenant, MODEL_NONE, o->addon_base, o->naddon_base);
    if (base == 0)
        return refuse(MODEL_REASON_ADDON_WITHOUT_BASE, MODEL_RULE_LIM_4);
    int64_t total = live_licenses_of(w, a->tenant, a->offer, NULL, 0) + order_licenses(w, a);
    if (o->max_ratio >= 0.0 && (double)total > o->max_ratio * (double)base + 1e-9)
        return refuse(MODEL_REASON_ADDON_OVER_BASE, MODEL_RULE_LIM_4);
    int64_t need = (int64_t)ceil(o->min_ratio * (double)base - 1e-9); /* min_ratio x base, rounded up */
    if (total < need)
        return refuse(MODEL_REASON_ADDON_UNDER_MINIMUM, MODEL_RULE_LIM_4);
    return OK;
}

/* SUB-11: align_end_with needs a date to end on (changes.c: coterm_valid) */
static verdict align_check(model_world *w, uint32_t align, int term_months, sim_time t, uint32_t tenant)
{
    if (align == MODEL_NONE)
        return OK;
    return coterm_valid(w, align, term_months, t, tenant) ? OK : refuse(MODEL_REASON_COTERM_INVALID, MODEL_RULE_SUB_11);
}

static verdict chk_purchase_align(model_world *w, sim_time t, const model_action *a)
{
    if (a->align != MODEL_NONE && a->trial)
        return refuse(MODEL_REASON_COTERM_INVALID, MODEL_RULE_SUB_11); /* a trial's term is the rule's */
    return align_check(w, a->align, a->term_months, t, a->tenant);
}

/* SUB-7: a subscription refuses updates past update_limit */
static verdict chk_updates(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    const ext_t *e = sub_ext_if(w, a->subscription);
    return e && e->updates >= w->params.update_limit ? refuse(MODEL_REASON_UPDATE_LIMIT, MODEL_RULE_SUB_7) : OK;
}

static verdict chk_not_suspended(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    return sub_of(w, a)->state == MODEL_STATE_SUSPENDED ? refuse(MODEL_REASON_SUSPENDED, MODEL_RULE_SUB_5) : OK;
}

/* change_licenses: an active CSP or web-direct subscription (EA ones follow their agreement) */
static verdict chk_licensable(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    const sub_t *s = sub_of(w, a);
    if (s->state != MODEL_STATE_ACTIVE)
        return refuse(MODEL_REASON_NOT_ACTIVE, MODEL_RULE_SUB_6);
    return s->channel == MODEL_CHANNEL_EA ? refuse(MODEL_REASON_NOT_ACTIVE, MODEL_RULE_EA_6) : OK;
}

/* In 64 bits: 1e9 + 1e9 does not fit int32; chk_increase refuses a total past
 * MODEL_MAX_LICENSES before anything stores it. */
static int64_t new_total(model_world *w, const model_action *a)
{
    return a->has_delta ? (int64_t)sub_of(w, a)->licenses + a->delta : a->licenses;
}

/* The model's own seat cap for every offer (reading 28): no subscription holds more than
 * MODEL_MAX_LICENSES, so that money fits int64 (model.h). */
static verdict license_total(int64_t total)
{
    return total > MODEL_MAX_LICENSES ? refuse(MODEL_REASON_SEAT_CAP, MODEL_RULE_LIM_2) : OK;
}

/* SUB-6: a decrease takes only licenses still inside their reduce window, never the last one */
static verdict chk_reduce(model_world *w, sim_time t, const model_action *a)
{
    int64_t total = new_total(w, a), cur = sub_of(w, a)->licenses;
    if (total >= cur)
        return OK;
    if (total < 1 || cur - total > licenses_reducible(w, a->subscription, t))
        return refuse(MODEL_REASON_REDUCE_WINDOW_CLOSED, MODEL_RULE_SUB_6);
    return OK;
}

/* The limits a license increase of `offer` by `more` meets (LIM-2, LIM-4). */
static verdict increase_limits(model_world *w, uint32_t tenant, uint32_t offer, int64_t more)
{
    if (more <= 0)
        return OK;
    model_action probe;
    model_action_init(&probe, MODEL_ACT_PURCHASE);
    probe.tenant = tenant;
    probe.offer = offer;
    probe.licenses = (int32_t)more;
    verdict v = chk_seat_cap(w, 0, &probe);
    return v.reason ? v : chk_addon(w, 0, &probe);
}

static verdict chk_increase(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    const sub_t *s = sub_of(w, a);
    verdict v = license_total(new_total(w, a));
    return v.reason ? v : increase_limits(w, s->tenant, s->offer, new_total(w, a) - s->licenses);
}

/* ---- upgrades (SUB-9) ---- */

static int is_partial(model_world *w, const model_action *a)
{
    return a->licenses < sub_of(w, a)->licenses;
}

static int upgrade_term(model_world *w, const model_action *a)
{
    return a->has_term ? a->term_months : sub_of(w, a)->term_months;
}

/* a partial upgrade without a target names its new subscription */
static verdict chk_upgrade_id(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    if (a->target != MODEL_NONE || !is_partial(w, a))
        return OK;
    if (a->new_subscription == MODEL_NONE || w->subs[a->new_subscription].state != MODEL_STATE_NONE ||
        (w->subs[a->new_subscription].flags & SUBF_CREATING))
        return refuse(MODEL_REASON_UNKNOWN_ENTITY, MODEL_RULE_SUB_9);
    return OK;
}

static verdict chk_upgradable(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    const sub_t *s = sub_of(w, a);
    return s->state == MODEL_STATE_ACTIVE && s->channel != MODEL_CHANNEL_EA ? OK
                                                                            : refuse(MODEL_REASON_NOT_ACTIVE, MODEL_RULE_SUB_9);
}

static verdict chk_upgrade_path(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    model_reason r = upgrade_path(w, sub_of(w, a)->offer, a->offer);
    if (r == MODEL_REASON_NONE && a->licenses > sub_of(w, a)->licenses)
        r = MODEL_REASON_UPGRADE_PATH_UNSUPPORTED; /* more licenses than the source holds */
    return r ? refuse(r, MODEL_RULE_SUB_9) : OK;
}

/* the target offer has the term; a term shorter than the source's is not an upgrade */
static verdict chk_upgrade_term(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    const sub_t *s = sub_of(w, a);
    int term = upgrade_term(w, a);
    int ok = (w->offers[a->offer].terms & term_bit(term)) && term >= s->term_months;
    if (s->billing == MODEL_BILLING_TRIENNIAL)
        ok = ok && term == 36;
    return ok ? OK : refuse(MODEL_REASON_TERM_NOT_OFFERED, MODEL_RULE_SUB_9);
}

/* an existing target: active, of the new offer, out of its cancel window, same term, its end
 * date not before the source's */
static verdict chk_upgrade_target(model_world *w, sim_time t, const model_action *a)
{
    if (a->target == MODEL_NONE)
        return OK;
    const sub_t *s = sub_of(w, a), *g = &w->subs[a->target];
    int ok = a->target != a->subscription && g->tenant == s->tenant && g->state == MODEL_STATE_ACTIVE &&
             g->channel == s->channel && g->partner == s->partner && /* the same seller's subscription */
             g->offer == a->offer && g->term_months == upgrade_term(w, a) && g->term_end >= s->term_end &&
             !(g->flags & SUBF_RENEWING) && !((g->flags & SUBF_WINDOW_OPEN) && t < g->window_end);
    return ok ? OK : refuse(MODEL_REASON_COTERM_INVALID, MODEL_RULE_SUB_9);
}

static verdict chk_upgrade_limits(model_world *w, sim_time t, const model_action *a)
{
    const sub_t *s = sub_of(w, a);
    if (a->target == MODEL_NONE && is_partial(w, a) &&
        (int64_t)w->tenants[s->tenant].live + 1 > w->params.tenant_subscription_limit)
        return refuse(MODEL_REASON_TENANT_LIMIT, MODEL_RULE_LIM_1);
    model_action probe = *a;
    probe.tenant = s->tenant;
    probe.trial = 0;
    verdict v = chk_seat_cap(w, t, &probe);
    if (!v.reason && a->target != MODEL_NONE)
        v = license_total((int64_t)w->subs[a->target].licenses + a->licenses);
    if (v.reason)
        return v;
    if (a->target == MODEL_NONE) /* a new subscription of the offer, or the source becoming one */
        return chk_one_per_tenant(w, t, &probe);
    return OK;
}

/* ---- trials (SUB-8) ---- */

static verdict chk_is_trial(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    return sub_of(w, a)->state == MODEL_STATE_TRIAL ? OK : refuse(MODEL_REASON_NOT_ACTIVE, MODEL_RULE_SUB_8);
}

/* a mid-term conversion buys at least trial_licenses (a scheduled one may set fewer) */
static verdict chk_convert_licenses(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    return a->licenses < w->params.trial_licenses ? refuse(MODEL_REASON_TRIAL_RESTRICTED, MODEL_RULE_SUB_8) : OK;
}

/* SUB-1 for the action's term and billing on the subscription's own offer (a trial's
 * conversion, an EA claim: both keep the offer) */
static verdict chk_own_offer_term(model_world *w, sim_time t, const model_action *a)
{
    model_action probe = *a;
    probe.offer = sub_of(w, a)->offer;
    probe.trial = 0;
    return chk_term(w, t, &probe);
}

/* into an existing subscription: active, same offer, its end date not before the trial's */
static verdict chk_convert_target(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    if (a->target == MODEL_NONE)
        return OK;
    const sub_t *s = sub_of(w, a), *g = &w->subs[a->target];
    if (g->state != MODEL_STATE_ACTIVE || g->tenant != s->tenant || (g->flags & SUBF_RENEWING))
        return refuse(MODEL_REASON_NOT_ACTIVE, MODEL_RULE_SUB_8);
    int ok = g->offer == s->offer && g->term_end >= s->term_end && g->channel == s->channel && g->partner == s->partner;
    return ok ? OK : refuse(MODEL_REASON_COTERM_INVALID, MODEL_RULE_SUB_8);
}

static verdict chk_convert_limits(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    const sub_t *s = sub_of(w, a);
    verdict v = a->target == MODEL_NONE ? OK : license_total((int64_t)w->subs[a->target].licenses + a->licenses);
    return v.reason ? v : increase_limits(w, s->tenant, s->offer, (int64_t)a->licenses - s->licenses);
}

/* ---- scheduled changes (SUB-10) ---- */

static verdict chk_schedulable(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    const sub_t *s = sub_of(w, a);
    int ok = (s->state == MODEL_STATE_ACTIVE || s->state == MODEL_STATE_TRIAL) && s->autorenew &&
             s->channel != MODEL_CHANNEL_EA;
    return ok ? OK : refuse(MODEL_REASON_NOT_ACTIVE, MODEL_RULE_SUB_10);
}

static verdict chk_sched_offer(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    const sub_t *s = sub_of(w, a);
    if (a->offer == MODEL_NONE || a->offer == s->offer)
        return OK;
    model_reason r = upgrade_path(w, s->offer, a->offer);
    return r ? refuse(r, MODEL_RULE_SUB_9) : OK;
}

static verdict chk_sched_term(model_world *w, sim_time t, const model_action *a)
{
    const sub_t *s = sub_of(w, a);
    model_action probe = *a;
    probe.offer = a->offer != MODEL_NONE ? a->offer : s->offer;
    probe.term_months = a->has_term ? a->term_months : s->state == MODEL_STATE_TRIAL ? 12 : s->term_months;
    probe.billing = a->has_billing ? a->billing : s->state == MODEL_STATE_TRIAL ? MODEL_BILLING_MONTHLY
                                                                               : (model_billing)s->billing;
    probe.trial = 0;
    return chk_term(w, t, &probe);
}

static verdict chk_sched_align(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    const sub_t *s = sub_of(w, a);
    if (a->align == MODEL_NONE)
        return OK;
    int term = a->has_term ? a->term_months : s->state == MODEL_STATE_TRIAL ? 12 : s->term_months;
    /* the new term starts at the current term's end */
    return align_check(w, a->align, term, s->term_end, s->tenant);
}

/* ---- EA claims (EA-1..EA-5) ---- */

/* the new subscription id is fresh, or this partner's own earlier claim on the same EA one */
static verdict chk_claim_id(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    const sub_t *n = &w->subs[a->new_subscription];
    if (n->state != MODEL_STATE_NONE)
        return refuse(MODEL_REASON_UNKNOWN_ENTITY, MODEL_RULE_EA_2);
    if (n->flags & SUBF_CREATING) {
        const ext_t *e = sub_ext_if(w, a->new_subscription);
        if (e->claim != a->subscription || n->partner != a->partner)
            return refuse(MODEL_REASON_UNKNOWN_ENTITY, MODEL_RULE_EA_2);
    }
    return OK;
}

static int holds_claim(model_world *w, const model_action *a)
{
    uint32_t h = ea_holder(w, a->subscription);
    return h != MODEL_NONE && w->subs[h].partner == a->partner;
}

/* the holder may edit or cancel its claim until E (EA-2) */
static verdict chk_claim_lock(model_world *w, sim_time t, const model_action *a)
{
    if (!holds_claim(w, a))
        return OK;
    const sub_t *s = sub_of(w, a);
    return s->channel == MODEL_CHANNEL_EA && t >= ea_end(w, a->subscription)
               ? refuse(MODEL_REASON_CLAIM_LOCKED, MODEL_RULE_EA_2)
               : OK;
}

static verdict chk_ea_visible(model_world *w, sim_time t, const model_action *a)
{
    const rel_t *r = rel_find(w, a->tenant, a->partner);
    return r && r->visible_at > t ? refuse(MODEL_REASON_EA_NOT_VISIBLE_YET, MODEL_RULE_REL_5) : OK;
}

static verdict chk_ea_window(model_world *w, sim_time t, const model_action *a)
{
    const sub_t *s = sub_of(w, a);
    if (s->channel != MODEL_CHANNEL_EA || w->agreements[s->agreement].public_sector || !ea_in_window(w, a->subscription, t))
        return refuse(MODEL_REASON_EA_NOT_ELIGIBLE, MODEL_RULE_EA_1);
    return OK;
}

static verdict chk_ea_sku(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    const offer_t *o = &w->offers[sub_of(w, a)->offer];
    return o->csp_available || o->end_of_sale ? OK : refuse(MODEL_REASON_EA_SKU_NOT_AVAILABLE, MODEL_RULE_EA_1);
}

static verdict chk_claimed_other(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    uint32_t h = ea_holder(w, a->subscription);
    return h != MODEL_NONE && w->subs[h].partner != a->partner ? refuse(MODEL_REASON_CLAIMED_BY_OTHER_PARTNER, MODEL_RULE_EA_2)
                                                                : OK;
}

static verdict chk_claim_align(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    /* the subscription starts when processed, not before E: weigh the alignment from E */
    sim_time e = ea_end(w, a->subscription);
    return align_check(w, a->align, a->term_months, t > e ? t : e, a->tenant);
}

static verdict chk_has_claim(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    return holds_claim(w, a) ? OK : refuse(MODEL_REASON_UNKNOWN_ENTITY, MODEL_RULE_EA_2);
}

static verdict chk_agreement_open(model_world *w, sim_time t, const model_action *a)
{
    const agreement_t *g = &w->agreements[a->agreement];
    return t < g->end && a->end + SIM_DAY > g->end ? OK : refuse(MODEL_REASON_NOT_ACTIVE, MODEL_RULE_EA_6);
}

/* ---- transfers (XFER-1) ---- */

static const transfer_t *xfer_of(model_world *w, const model_action *a)
{
    return &w->transfers[a->transfer];
}

/* the subscriptions an action moves: the accepted subset, or all of the transfer's */
static const uint32_t *xfer_subs(model_world *w, const model_action *a, size_t *n)
{
    if (a->kind == MODEL_ACT_ACCEPT_TRANSFER && a->subs) {
        *n = a->nsubs;
        return a->subs;
    }
    *n = xfer_of(w, a)->n;
    return xfer_of(w, a)->subs;
}

static verdict chk_xfer_renewing(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    size_t n;
    const uint32_t *subs = xfer_subs(w, a, &n);
    for (size_t i = 0; i < n; i++)
        if (w->subs[subs[i]].flags & SUBF_RENEWING)
            return refuse(MODEL_REASON_RENEWAL_IN_PROGRESS, MODEL_RULE_SUB_3);
    return OK;
}

/* active CSP subscriptions of the source partner in the tenant (not suspended, not ended) */
static verdict chk_xfer_eligible(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    const transfer_t *x = xfer_of(w, a);
    size_t n;
    const uint32_t *subs = xfer_subs(w, a, &n);
    for (size_t i = 0; i < n; i++) {
        const sub_t *s = &w->subs[subs[i]];
        if (s->tenant != x->tenant || s->channel != MODEL_CHANNEL_CSP || s->partner != x->from ||
            s->state != MODEL_STATE_ACTIVE)
            return refuse(MODEL_REASON_TRANSFER_NOT_ELIGIBLE, MODEL_RULE_XFER_1);
    }
    return OK;
}

static verdict chk_xfer_free(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    const transfer_t *x = xfer_of(w, a);
    for (size_t i = 0; i < x->n; i++) {
        const ext_t *e = sub_ext_if(w, x->subs[i]);
        if (e && e->transfer != MODEL_NONE)
            return refuse(MODEL_REASON_ALREADY_IN_TRANSFER, MODEL_RULE_XFER_1);
    }
    return OK;
}

static verdict chk_xfer_requested(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    return xfer_of(w, a)->state == XFER_NONE ? refuse(MODEL_REASON_UNKNOWN_ENTITY, MODEL_RULE_XFER_1) : OK;
}

static verdict chk_xfer_not_requested(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    return xfer_of(w, a)->state != XFER_NONE ? refuse(MODEL_REASON_NOT_ACTIVE, MODEL_RULE_XFER_1) : OK;
}

static verdict chk_xfer_answered(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    int st = xfer_of(w, a)->state;
    return st == XFER_ACCEPTED || st == XFER_REJECTED ? refuse(MODEL_REASON_NOT_ACTIVE, MODEL_RULE_XFER_1) : OK;
}

static verdict chk_xfer_open(model_world *w, sim_time t, const model_action *a)
{
    const transfer_t *x = xfer_of(w, a);
    return x->state == XFER_EXPIRED || t >= sim_add_duration(x->requested_at, PARAM_AT(w, transfer_expiry, x->requested_at))
               ? refuse(MODEL_REASON_TRANSFER_EXPIRED, MODEL_RULE_XFER_1)
               : OK;
}

/* LIM-1 once for the whole batch: the new subscriptions exist before the sources end */
static verdict chk_xfer_limit(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    size_t n;
    xfer_subs(w, a, &n);
    return (int64_t)w->tenants[xfer_of(w, a)->tenant].live + (int64_t)n > w->params.tenant_subscription_limit
               ? refuse(MODEL_REASON_TENANT_LIMIT, MODEL_RULE_LIM_1)
               : OK;
}

/* ---- effects --------------------------------------------------------------------------- */

static void emit_action(model_world *w, sim_time t, const model_action *a, verdict v, model_rule rule,
                        int from, int to)
{
    if (v.reason != MODEL_REASON_NONE && a->tenant != MODEL_NONE)
        w->tenants[a->tenant].m.rejections++;
    if (rec_skip(w))
        return;
    rec_t r;
    rec_begin(w, &r, t, MODEL_KIND_ACTION, v.reason ? v.rule : rule);
    r.action = (int)a->kind;
    r.outcome = v.reason ? MODEL_OUTCOME_REJECTED : MODEL_OUTCOME_ACCEPTED;
    r.reason = v.reason;
    r.tenant = a->tenant;
    r.partner = a->partner;
    if (a->subscription != MODEL_NONE) {
        rec_sub(w, &r, a->subscription);
        r.tenant = a->tenant;
        r.partner = a->partner;
    } else if (a->kind == MODEL_ACT_PURCHASE) {
        r.subscription = a->new_subscription;
    }
    if (from != to) { /* only a change of state is worth two columns */
        r.from_state = from;
        r.to_state = to;
    }
    if (r.subscription != MODEL_NONE && !v.reason && w->subs[r.subscription].state != MODEL_STATE_NONE) {
        r.has_licenses = 1;
        r.licenses = w->subs[r.subscription].licenses;
    }
    if (a->detail)
        rec_detail(&r, "%s", a->detail);
    if (a->kind == MODEL_ACT_CANCEL && !v.reason && w->subs[a->subscription].channel == MODEL_CHANNEL_WEB_DIRECT)
        rec_detail(&r, "credit_eligible=true"); /* MIG-2 */
    rec_emit(w, &r);
}

static void accepted(model_world *w, sim_time t, const model_action *a, model_rule rule, int from, int to)
{
    emit_action(w, t, a, OK, rule, from, to);
}

static void count_update(model_world *w, uint32_t sub)
{
    ext_t *e = sub_ext(w, sub);
    if (e)
        e->updates++;
}

static void do_request_relationship(model_world *w, sim_time t, const model_action *a)
{
    rel_t *r = rel_get(w, a->tenant, a->partner);
    if (!r) {
        w->failed = 1;
        return;
    }
    if (r->state != REL_ACCEPTED) {
        r->state = REL_PENDING;
        r->requested_at = t;
        r->gen = (r->gen + 1) & 0x0FFFFFFFu;
        sim_time due = sim_add_duration(t, w->params.relationship_request_expiry);
        if (sim_fel_push(w->fel, due, store_group(r->tenant), 0, (uint32_t)(r - w->rels), TIMER_TAG(TIMER_REL, r->gen)) < 0)
            w->failed = 1;
    }
    accepted(w, t, a, MODEL_RULE_REL_1, -1, -1);
}

/* Whether the tenant has an accepted relationship with a partner other than `partner`. */
static int other_partner(model_world *w, uint32_t tenant, uint32_t partner)
{
    for (uint32_t r = w->tenants[tenant].first_rel; r != MODEL_NONE; r = w->rels[r].next_in_tenant)
        if (w->rels[r].partner != partner && w->rels[r].state == REL_ACCEPTED)
            return 1;
    return 0;
}

static void do_accept_relationship(model_world *w, sim_time t, const model_action *a)
{
    /* a second partner for the same tenant is REL-3's */
    model_rule rule = other_partner(w, a->tenant, a->partner) ? MODEL_RULE_REL_3 : MODEL_RULE_REL_1;
    rel_t *r = rel_find(w, a->tenant, a->partner);
    if (r->state == REL_PENDING) {
        r->state = REL_ACCEPTED;
        r->gen = (r->gen + 1) & 0x0FFFFFFFu; /* the expiry timer is stale now */
        r->visible_at = sim_add_seconds_sat(t, tenant_draw(w, r->tenant, &w->params.ea_visibility_delay)); /* REL-5 */
    }
    accepted(w, t, a, rule, -1, -1);
}

static void do_purchase(model_world *w, sim_time t, const model_action *a)
{
    uint32_t i = a->new_subscription;
    sub_t *s = &w->subs[i];
    s->offer = a->offer;
    s->partner = a->partner;
    s->channel = MODEL_CHANNEL_CSP;
    if (store_set_reseller(w, i, a->reseller))
        w->failed = 1;
    model_rule rule = a->trial ? MODEL_RULE_SUB_8 : a->align != MODEL_NONE ? MODEL_RULE_SUB_11 : MODEL_RULE_SUB_1;
    if (a->trial) {
        const model_params *p = &w->params;
        sub_set_anchor(s, sim_day_start(t));
        s->licenses = (int32_t)p->trial_licenses;
        s->term_months = (uint8_t)p->trial_term.months;
        s->billing = MODEL_BILLING_MONTHLY;
        s->autorenew = 1;
        s->flags |= SUBF_TRIED;
        sub_set_state(w, i, MODEL_STATE_TRIAL, t);
    } else {
        s->licenses = a->licenses;
        s->term_months = (uint8_t)a->term_months;
        s->billing = (uint8_t)a->billing;
        s->autorenew = (uint8_t)(a->autorenew != 0);
        if (a->align != MODEL_NONE) /* SUB-11: a shorter first term ending with the target's */
            coterm_anchor(w, i, a->align, t);
        else
            sub_set_anchor(s, sim_day_start(t)); /* SUB-1: the term runs from 00:00 of the purchase day */
        sub_set_state(w, i, MODEL_STATE_ACTIVE, t);
    }
    accepted(w, t, a, rule, MODEL_STATE_NONE, s->state);
    emit_state(w, t, MODEL_KIND_SUBSCRIPTION_CREATED, rule, i, -1, -1);
    if (s->state == MODEL_STATE_TRIAL) {
        sub_begin_term(w, i, t, 0); /* a trial has nothing to cancel and nothing to pay */
        /* trial_term may be given in days (P30D): the calendar does not apply */
        s->term_end = sim_add_duration(sub_term_start(s), w->params.trial_term);
    } else {
        sub_begin_term(w, i, t, TERM_CHARGE | TERM_PRORATE | TERM_WINDOW);
    }
}

static void do_cancel(model_world *w, sim_time t, const model_action *a)
{
    sub_t *s = sub_of(w, a);
    /* a web-direct cancel is MIG-2's (credit eligible), an EA one MIG-1's (no refund) */
    model_rule rule = s->channel == MODEL_CHANNEL_WEB_DIRECT ? MODEL_RULE_MIG_2
                      : s->channel == MODEL_CHANNEL_EA       ? MODEL_RULE_MIG_1
                                                             : MODEL_RULE_SUB_2;
    accepted(w, t, a, rule, s->state, MODEL_STATE_CANCELED);
    sched_remove(w, a->subscription, t, "cancel");
    if (s->channel == MODEL_CHANNEL_CSP)
        ledger_refund_unused(w, a->subscription, t, MODEL_RULE_SUB_2);
    s->flags &= (uint8_t)~SUBF_WINDOW_OPEN;
    s->next_charge = SIM_TIME_NEVER;
    sub_set_state(w, a->subscription, MODEL_STATE_CANCELED, t);
}

static void do_suspend(model_world *w, sim_time t, const model_action *a)
{
    sub_t *s = sub_of(w, a);
    dbl_leave(w, a->subscription);
    s->autorenew = 0; /* SUB-5 */
    dbl_enter(w, a->subscription);
    count_update(w, a->subscription);
    sub_set_state(w, a->subscription, MODEL_STATE_SUSPENDED, t);
    accepted(w, t, a, MODEL_RULE_SUB_5, MODEL_STATE_ACTIVE, MODEL_STATE_SUSPENDED);
    sched_remove(w, a->subscription, t, "suspend");
}

static void do_resume(model_world *w, sim_time t, const model_action *a)
{
    count_update(w, a->subscription);
    sub_set_state(w, a->subscription, MODEL_STATE_ACTIVE, t);
    accepted(w, t, a, MODEL_RULE_SUB_5, MODEL_STATE_SUSPENDED, MODEL_STATE_ACTIVE);
}

static void do_set_autorenew(model_world *w, sim_time t, const model_action *a)
{
    dbl_leave(w, a->subscription);
    sub_of(w, a)->autorenew = (uint8_t)(a->value != 0);
    dbl_enter(w, a->subscription);
    count_update(w, a->subscription);
    accepted(w, t, a, MODEL_RULE_SUB_3, -1, -1);
    dbl_mark(w, a->tenant, t); /* MIG-1: autorenew off puts it on its way out */
    if (!a->value)
        sched_remove(w, a->subscription, t, "autorenew_off");
}

static void do_change_licenses(model_world *w, sim_time t, const model_action *a)
{
    sub_t *s = sub_of(w, a);
    int32_t delta = (int32_t)(new_total(w, a) - s->licenses); /* |delta| <= MODEL_MAX_LICENSES by chk_increase */
    count_update(w, a->subscription);
    if (delta > 0 && licenses_add(w, a->subscription, delta, t))
        return;
    if (delta < 0)
        licenses_remove(w, a->subscription, -delta, t, 1);
    accepted(w, t, a, MODEL_RULE_SUB_6, -1, -1);
    sched_remove(w, a->subscription, t, "license_change");
    ledger_prorate(w, a->subscription, t, delta, w->offers[s->offer].price, MODEL_RULE_SUB_6);
}

/* SUB-9. Full: the subscription changes offer (a full new term for a longer one). Partial:
 * a new subscription, coterminous with the source unless its term is longer. With a
 * target: the licenses move into it. No cancel window after any upgrade. */
static void do_upgrade(model_world *w, sim_time t, const model_action *a)
{
    uint32_t src = a->subscription;
    sub_t *s = &w->subs[src];
    int term = upgrade_term(w, a);
    int32_t n = a->licenses;
    int full = n == s->licenses;
    int64_t old_price = w->offers[s->offer].price, new_price = w->offers[a->offer].price;
    count_update(w, src);
    s->flags &= (uint8_t)~SUBF_WINDOW_OPEN; /* no cancel window after an upgrade, of any kind */
    if (a->target != MODEL_NONE) {
        licenses_remove(w, src, n, t, 0);
        if (licenses_add(w, a->target, n, t))
            return;
        accepted(w, t, a, MODEL_RULE_SUB_9, s->state, full ? MODEL_STATE_CANCELED : s->state);
        sched_remove(w, src, t, "upgrade");
        ledger_prorate(w, src, t, -n, old_price, MODEL_RULE_SUB_9);
        ledger_prorate(w, a->target, t, n, new_price, MODEL_RULE_SUB_9);
        if (full) { /* every license left: nothing of it to lose at deletion (SUB-12) */
            s->flags &= (uint8_t)~SUBF_WINDOW_OPEN;
            s->next_charge = SIM_TIME_NEVER;
            sub_set_state(w, src, MODEL_STATE_CANCELED, t);
        }
        sub_schedule(w, a->target);
        return;
    }
    if (full) {
        accepted(w, t, a, MODEL_RULE_SUB_9, -1, -1);
        sched_remove(w, src, t, "upgrade");
        ledger_prorate(w, src, t, -n, old_price, MODEL_RULE_SUB_9);
        dbl_leave(w, src);
        s->offer = a->offer;
        dbl_enter(w, src);
        dbl_mark(w, s->tenant, t);
        if (term > s->term_months) { /* a full new term from today */
            s->term_months = (uint8_t)term;
            sub_set_anchor(s, sim_day_start(t));
            sub_begin_term(w, src, t, TERM_CHARGE);
        } else {
            ledger_prorate(w, src, t, n, new_price, MODEL_RULE_SUB_9);
            s->flags &= (uint8_t)~SUBF_WINDOW_OPEN;
        }
        return;
    }
    uint32_t ni = a->new_subscription;
    sub_t *d = &w->subs[ni];
    licenses_remove(w, src, n, t, 0); /* no SUB-6 window check for an upgrade */
    d->offer = a->offer;
    d->partner = s->partner;
    d->channel = s->channel;
    d->licenses = n;
    d->billing = s->billing;
    d->autorenew = s->autorenew;
    if (store_set_reseller(w, ni, model_subscription_reseller(w, src))) /* for the source's reseller too */
        w->failed = 1;
    if (term == s->term_months) { /* coterminous: the source's calendar */
        sub_copy_calendar(d, s);
    } else {
        d->term_months = (uint8_t)term;
        sub_set_anchor(d, sim_day_start(t));
    }
    sub_set_state(w, ni, MODEL_STATE_ACTIVE, t);
    accepted(w, t, a, MODEL_RULE_SUB_9, -1, -1);
    sched_remove(w, src, t, "upgrade");
    char lb[SUB_LABEL_BUF];
    emit_state_detail(w, t, MODEL_KIND_SUBSCRIPTION_CREATED, MODEL_RULE_SUB_9, ni, MODEL_STATE_NONE, MODEL_STATE_ACTIVE,
                      "upgraded_from=%s", sub_label(w, src, lb));
    ledger_prorate(w, src, t, -n, old_price, MODEL_RULE_SUB_9);
    sub_begin_term(w, ni, t, TERM_CHARGE | TERM_PRORATE);
}

static void do_convert_trial(model_world *w, sim_time t, const model_action *a)
{
    uint32_t i = a->subscription;
    sub_t *s = &w->subs[i];
    count_update(w, i);
    if (a->target != MODEL_NONE) { /* the licenses join an existing subscription; the trial ends */
        if (licenses_add(w, a->target, a->licenses, t))
            return;
        accepted(w, t, a, MODEL_RULE_SUB_8, MODEL_STATE_TRIAL, MODEL_STATE_CANCELED);
        sched_remove(w, i, t, "trial_conversion");
        sub_set_state(w, i, MODEL_STATE_CANCELED, t);
        emit_state(w, t, MODEL_KIND_TRIAL_CONVERTED, MODEL_RULE_SUB_8, i, MODEL_STATE_TRIAL, MODEL_STATE_CANCELED);
        ledger_prorate(w, a->target, t, a->licenses, w->offers[w->subs[a->target].offer].price, MODEL_RULE_SUB_8);
        sub_schedule(w, a->target);
        return;
    }
    s->licenses = a->licenses;
    s->term_months = (uint8_t)a->term_months;
    s->billing = (uint8_t)a->billing;
    sub_set_anchor(s, sim_day_start(t));
    sub_set_state(w, i, MODEL_STATE_ACTIVE, t);
    accepted(w, t, a, MODEL_RULE_SUB_8, MODEL_STATE_TRIAL, MODEL_STATE_ACTIVE);
    sched_remove(w, i, t, "trial_conversion");
    emit_state(w, t, MODEL_KIND_TRIAL_CONVERTED, MODEL_RULE_SUB_8, i, MODEL_STATE_TRIAL, MODEL_STATE_ACTIVE);
    sub_begin_term(w, i, t, TERM_CHARGE | TERM_WINDOW);
}

static void do_schedule_change(model_world *w, sim_time t, const model_action *a)
{
    ext_t *e = sub_ext(w, a->subscription);
    if (!e)
        return;
    e->updates++;
    e->sched = 0;
    if (a->offer != MODEL_NONE) {
        e->sched |= SCHED_OFFER;
        e->s_offer = a->offer;
    }
    if (a->has_licenses) {
        e->sched |= SCHED_LICENSES;
        e->s_licenses = a->licenses;
    }
    if (a->has_term) {
        e->sched |= SCHED_TERM;
        e->s_term = (uint8_t)a->term_months;
    }
    if (a->has_billing) {
        e->sched |= SCHED_BILLING;
        e->s_billing = (uint8_t)a->billing;
    }
    if (a->align != MODEL_NONE) {
        e->sched |= SCHED_ALIGN;
        e->s_align = a->align;
    }
    accepted(w, t, a, MODEL_RULE_SUB_10, -1, -1);
}

static void do_claim(model_world *w, sim_time t, const model_action *a)
{
    int edit = holds_claim(w, a);
    claim_place(w, a->subscription, a->new_subscription, a, t);
    accepted(w, t, a, edit ? MODEL_RULE_EA_2 : MODEL_RULE_EA_1, -1, -1);
}

static void do_cancel_claim(model_world *w, sim_time t, const model_action *a)
{
    claim_withdraw(w, a->subscription);
    accepted(w, t, a, MODEL_RULE_EA_2, -1, -1);
}

static void do_renew_agreement(model_world *w, sim_time t, const model_action *a)
{
    ea_renew(w, a->agreement, a->end + SIM_DAY, t);
    accepted(w, t, a, MODEL_RULE_EA_6, -1, -1);
}

static void do_request_transfer(model_world *w, sim_time t, const model_action *a)
{
    w->transfers[a->transfer].reseller = a->reseller;
    transfer_request(w, a->transfer, t);
    accepted(w, t, a, MODEL_RULE_XFER_1, -1, -1);
}

static void do_accept_transfer(model_world *w, sim_time t, const model_action *a)
{
    accepted(w, t, a, MODEL_RULE_XFER_1, -1, -1);
    transfer_accept(w, a->transfer, a->subs, a->nsubs, t);
}

static void do_reject_transfer(model_world *w, sim_time t, const model_action *a)
{
    transfer_close(w, a->transfer, XFER_REJECTED);
    accepted(w, t, a, MODEL_RULE_XFER_1, -1, -1);
}

/* set_rule: the parameter takes its new value from t on. A duration's old value is kept
 * for the timers that started before t (PARAM_AT); draws already made and instants already
 * computed keep theirs (docs/rules.md, "Policy changes"). Traced with the parameter's rule. */
static void do_set_rule(model_world *w, sim_time t, const model_action *a)
{
    size_t np;
    const model_param_info *pi = &model_param_table(&np)[a->param];
    model_param_value old;
    model_param_get(&w->params, pi, &old);
    if (pi->kind == MODEL_PARAM_DURATION) {
        if (w->nchanges == w->cap_changes && STORE_GROW(w, changes, nchanges, cap_changes)) {
            w->failed = 1;
            return;
        }
        w->changes[w->nchanges++] = (param_change_t){t, pi->offset, old.duration};
    }
    if (pi->offset == offsetof(model_params, tenant_subscription_limit) && old.count > w->limit_high)
        w->limit_high = old.count;
    model_param_put(&w->params, pi, &a->param_value);
    char o[96], n[96], detail[MODEL_DETAIL_MAX];
    snprintf(detail, sizeof detail, "parameter=%s old=%s new=%s", pi->name, model_param_format(pi, &old, o, sizeof o),
             model_param_format(pi, &a->param_value, n, sizeof n));
    model_action act = *a;
    act.detail = detail;
    accepted(w, t, &act, pi->rule, -1, -1);
}

/* ---- the table ------------------------------------------------------------------------- */

#define MAX_CHECKS 12

typedef struct {
    check_fn checks[MAX_CHECKS];
    void (*apply)(model_world *w, sim_time t, const model_action *a); /* emits the action's record */
} action_def;

static const action_def defs[MODEL_ACT_COUNT] = {
    [MODEL_ACT_REQUEST_RELATIONSHIP] = {{chk_region}, do_request_relationship},
    [MODEL_ACT_ACCEPT_RELATIONSHIP] = {{chk_rel_pending}, do_accept_relationship},
    [MODEL_ACT_PURCHASE] = {{chk_partner_type, chk_relationship, chk_region, chk_catalog, chk_term, chk_trial, chk_purchase_align,
                             chk_tenant_limit, chk_seat_cap, chk_one_per_tenant, chk_addon},
                            do_purchase},
    [MODEL_ACT_CANCEL] = {{chk_sub_exists, chk_partner_type, chk_not_renewing, chk_not_trial, chk_cancelable, chk_cancel_window}, do_cancel},
    [MODEL_ACT_SUSPEND] = {{chk_sub_exists, chk_partner_type, chk_not_renewing, chk_not_trial, chk_active, chk_updates}, do_suspend},
    [MODEL_ACT_RESUME] = {{chk_sub_exists, chk_partner_type, chk_not_renewing, chk_not_trial, chk_is_suspended, chk_updates}, do_resume},
    [MODEL_ACT_SET_AUTORENEW] = {{chk_sub_exists, chk_partner_type, chk_not_renewing, chk_autorenew_state, chk_updates}, do_set_autorenew},
    [MODEL_ACT_CHANGE_LICENSES] = {{chk_sub_exists, chk_partner_type, chk_not_renewing, chk_not_suspended, chk_not_trial, chk_licensable,
                                    chk_reduce, chk_updates, chk_increase},
                                   do_change_licenses},
    [MODEL_ACT_UPGRADE] = {{chk_sub_exists, chk_upgrade_id, chk_partner_type, chk_not_renewing, chk_not_trial, chk_upgradable,
                            chk_updates, chk_upgrade_path, chk_upgrade_term, chk_upgrade_target, chk_upgrade_limits},
                           do_upgrade},
    [MODEL_ACT_SCHEDULE_CHANGE] = {{chk_sub_exists, chk_partner_type, chk_not_renewing, chk_schedulable, chk_updates, chk_sched_offer,
                                    chk_sched_term, chk_sched_align},
                                   do_schedule_change},
    [MODEL_ACT_CONVERT_TRIAL] = {{chk_sub_exists, chk_partner_type, chk_not_renewing, chk_is_trial, chk_convert_licenses,
                                  chk_updates, chk_own_offer_term, chk_convert_target, chk_convert_limits},
                                 do_convert_trial},
    [MODEL_ACT_CLAIM_EA_RENEWAL] = {{chk_claim_id, chk_partner_type, chk_relationship, chk_region, chk_claim_lock, chk_ea_visible,
                                     chk_ea_window, chk_ea_sku, chk_claimed_other, chk_own_offer_term, chk_claim_align},
                                    do_claim},
    [MODEL_ACT_CANCEL_EA_CLAIM] = {{chk_has_claim, chk_partner_type, chk_claim_lock}, do_cancel_claim},
    [MODEL_ACT_RENEW_EA_AGREEMENT] = {{chk_agreement_open}, do_renew_agreement},
    [MODEL_ACT_REQUEST_TRANSFER] = {{chk_partner_type, chk_relationship, chk_region, chk_xfer_not_requested, chk_xfer_renewing,
                                     chk_xfer_eligible, chk_xfer_free},
                                    do_request_transfer},
    [MODEL_ACT_ACCEPT_TRANSFER] = {{chk_xfer_requested, chk_partner_type, chk_xfer_renewing, chk_xfer_answered, chk_xfer_open,
                                    chk_xfer_eligible, chk_xfer_limit},
                                   do_accept_transfer},
    [MODEL_ACT_REJECT_TRANSFER] = {{chk_xfer_requested, chk_xfer_answered, chk_xfer_open}, do_reject_transfer},
    [MODEL_ACT_SET_RULE] = {{NULL}, do_set_rule}, /* a policy change: nothing refuses it */
};

/* Fills in who acts for whom: an action on a subscription acts for its tenant (and partner
 * unless one is named); a transfer's for its tenant and the partner acting (the target asks,
 * the source answers); an agreement's for its tenant. */
static void actors(model_world *w, model_action *act)
{
    if (act->subscription != MODEL_NONE) {
        act->tenant = w->subs[act->subscription].tenant;
        if (act->partner == MODEL_NONE)
            act->partner = w->subs[act->subscription].partner;
    }
    int xfer = act->kind == MODEL_ACT_REQUEST_TRANSFER || act->kind == MODEL_ACT_ACCEPT_TRANSFER ||
               act->kind == MODEL_ACT_REJECT_TRANSFER;
    if (xfer) {
        const transfer_t *x = &w->transfers[act->transfer];
        act->tenant = x->tenant;
        act->partner = act->kind == MODEL_ACT_REQUEST_TRANSFER ? x->to : x->from;
    }
    if (act->kind == MODEL_ACT_RENEW_EA_AGREEMENT)
        act->tenant = w->agreements[act->agreement].tenant;
}

/* Partners' figures of moves: refused claims and transfers. */
static void count_refusal(model_world *w, const model_action *a)
{
    if (a->kind == MODEL_ACT_CLAIM_EA_RENEWAL && a->partner != MODEL_NONE)
        w->partners[a->partner].f.claims_refused++;
    if (a->kind == MODEL_ACT_REQUEST_TRANSFER || a->kind == MODEL_ACT_ACCEPT_TRANSFER ||
        a->kind == MODEL_ACT_REJECT_TRANSFER)
        w->partners[w->transfers[a->transfer].to].f.transfers_refused++;
}

void actions_apply(model_world *w, sim_time t, const model_action *a)
{
    const action_def *d = &defs[a->kind];
    model_action act = *a;
    actors(w, &act);
    verdict v = OK;
    for (int i = 0; i < MAX_CHECKS && d->checks[i] && v.reason == MODEL_REASON_NONE; i++)
        v = d->checks[i](w, t, &act);
    if (v.reason != MODEL_REASON_NONE) {
        count_refusal(w, &act);
        emit_action(w, t, &act, v, MODEL_RULE_NONE, -1, -1);
        return;
    }
    d->apply(w, t, &act);
    /* the subscriptions the action touched get their timers from their new state */
    uint32_t touched[] = {act.subscription, act.new_subscription, act.target};
    if (act.kind != MODEL_ACT_PURCHASE && act.kind != MODEL_ACT_UPGRADE && act.kind != MODEL_ACT_CLAIM_EA_RENEWAL)
        touched[1] = MODEL_NONE; /* only these take a new id */
    if (act.kind != MODEL_ACT_UPGRADE && act.kind != MODEL_ACT_CONVERT_TRIAL)
        touched[2] = MODEL_NONE;
    for (size_t i = 0; i < sizeof touched / sizeof touched[0]; i++)
        if (touched[i] != MODEL_NONE) {
            w->touched = touched[i];
            sub_schedule(w, touched[i]);
        }
}

void rel_on_timer(model_world *w, uint32_t rel, uint32_t gen, sim_time t)
{
    rel_t *r = &w->rels[rel];
    if (r->gen != gen || r->state != REL_PENDING)
        return;
    r->state = REL_EXPIRED;
    if (rec_skip(w))
        return;
    rec_t rec;
    rec_begin(w, &rec, t, MODEL_KIND_RELATIONSHIP_EXPIRED, MODEL_RULE_REL_4);
    rec.tenant = r->tenant;
    rec.partner = r->partner;
    rec_emit(w, &rec);
}

uint32_t actions_group(const model_world *w, const model_action *a)
{
    uint32_t tenant = a->tenant;
    if (tenant == MODEL_NONE && a->subscription < w->nsubs)
        tenant = w->subs[a->subscription].tenant;
    if (tenant == MODEL_NONE && a->target < w->nsubs)
        tenant = w->subs[a->target].tenant;
    if (tenant == MODEL_NONE && a->new_subscription < w->nsubs)
        tenant = w->subs[a->new_subscription].tenant;
    if (tenant == MODEL_NONE && a->agreement < w->nagreements)
        tenant = w->agreements[a->agreement].tenant;
    if (tenant == MODEL_NONE && a->transfer < w->ntransfers)
        tenant = w->transfers[a->transfer].tenant;
    if (tenant == MODEL_NONE && a->nsubs > 0 && a->subs[0] < w->nsubs)
        tenant = w->subs[a->subs[0]].tenant;
    return store_group(tenant);
}
