/* model/actions.c - scripted actions: each is a row of the action table with the checks
 * that may refuse it, in RULES.md's precedence order (unknown entity; relationship and
 * region; renewal in progress; suspended, trial, not active; windows; eligibility; limits),
 * and the effect applied when none refuses. A check is a small pure function returning
 * the reason and the rule that decided it; the first refusal is recorded. */
#include "internal.h"

#include <math.h>
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

static verdict chk_relationship(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    const rel_t *r = model_find_rel(w, a->tenant, a->partner);
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
    const rel_t *r = model_find_rel(w, a->tenant, a->partner);
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
    return t < s->window_end ? OK : refuse(MODEL_REASON_CANCEL_WINDOW_CLOSED, MODEL_RULE_SUB_2);
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

/* ---- effects --------------------------------------------------------------------------- */

static void emit_action(model_world *w, sim_time t, const model_action *a, verdict v, model_rule rule,
                        int from, int to)
{
    if (v.reason != MODEL_REASON_NONE)
        w->tenants[a->tenant].m.rejections++;
    if (!emit_on(w)) {
        w->seq++;
        return;
    }
    rec_t r;
    rec_begin(w, &r, t, MODEL_KIND_ACTION, v.reason ? v.rule : rule);
    r.action = (int)a->kind;
    r.outcome = v.reason ? MODEL_OUTCOME_REJECTED : MODEL_OUTCOME_ACCEPTED;
    r.reason = v.reason;
    r.tenant = a->tenant;
    r.partner = a->partner;
    if (a->subscription != MODEL_NONE) {
        rec_sub(w, &r, a->subscription);
        if (a->partner != MODEL_NONE)
            r.partner = a->partner;
    } else if (a->new_subscription != MODEL_NONE) {
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

static void do_request_relationship(model_world *w, sim_time t, const model_action *a)
{
    rel_t *r = model_rel_get(w, a->tenant, a->partner);
    if (!r) {
        w->failed = 1;
        return;
    }
    if (r->state != REL_ACCEPTED) {
        r->state = REL_PENDING;
        r->requested_at = t;
        r->gen = (r->gen + 1) & 0x0FFFFFFFu;
        sim_time due = sim_add_duration(t, w->params.relationship_request_expiry);
        if (sim_fel_push(w->fel, due, 0, (uint32_t)(r - w->rels), TIMER_TAG(TIMER_REL, r->gen)) < 0)
            w->failed = 1;
    }
}

static void do_accept_relationship(model_world *w, sim_time t, const model_action *a)
{
    rel_t *r = model_find_rel(w, a->tenant, a->partner);
    if (r->state == REL_PENDING) {
        r->state = REL_ACCEPTED;
        r->gen = (r->gen + 1) & 0x0FFFFFFFu; /* the expiry timer is stale now */
        r->visible_at = t + sim_dist_draw(&w->params.ea_visibility_delay, &w->rng); /* REL-5 */
    }
}

static void do_purchase(model_world *w, sim_time t, const model_action *a)
{
    uint32_t i = a->new_subscription;
    sub_t *s = &w->subs[i];
    s->offer = a->offer;
    s->partner = a->partner;
    s->channel = MODEL_CHANNEL_CSP;
    sub_set_anchor(s, sim_day_start(t)); /* SUB-1: the term runs from 00:00 of the purchase day */
    if (a->trial) {
        const model_params *p = &w->params;
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
        sub_set_state(w, i, MODEL_STATE_ACTIVE, t);
    }
}

static void do_cancel(model_world *w, sim_time t, const model_action *a)
{
    sub_t *s = sub_of(w, a);
    if (s->channel == MODEL_CHANNEL_CSP)
        ledger_refund_unused(w, a->subscription, t, MODEL_RULE_SUB_2);
    s->flags &= (uint8_t)~SUBF_WINDOW_OPEN;
    s->next_charge = SIM_TIME_NEVER;
    sub_set_state(w, a->subscription, MODEL_STATE_CANCELED, t);
}

static void do_suspend(model_world *w, sim_time t, const model_action *a)
{
    sub_t *s = sub_of(w, a);
    s->autorenew = 0; /* SUB-5 */
    sub_set_state(w, a->subscription, MODEL_STATE_SUSPENDED, t);
}

static void do_resume(model_world *w, sim_time t, const model_action *a)
{
    sub_set_state(w, a->subscription, MODEL_STATE_ACTIVE, t);
}

static void do_set_autorenew(model_world *w, sim_time t, const model_action *a)
{
    (void)t;
    sub_of(w, a)->autorenew = (uint8_t)(a->value != 0);
}

/* ---- the table ------------------------------------------------------------------------- */

#define MAX_CHECKS 10

typedef struct {
    model_rule rule; /* the rule an accepted action applies */
    check_fn checks[MAX_CHECKS];
    void (*apply)(model_world *w, sim_time t, const model_action *a);
} action_def;

static const action_def defs[MODEL_ACT_COUNT] = {
    [MODEL_ACT_REQUEST_RELATIONSHIP] = {MODEL_RULE_REL_1, {chk_region}, do_request_relationship},
    [MODEL_ACT_ACCEPT_RELATIONSHIP] = {MODEL_RULE_REL_1, {chk_rel_pending}, do_accept_relationship},
    [MODEL_ACT_PURCHASE] = {MODEL_RULE_SUB_1,
                            {chk_relationship, chk_region, chk_catalog, chk_term, chk_trial, chk_tenant_limit,
                             chk_seat_cap, chk_one_per_tenant, chk_addon},
                            do_purchase},
    [MODEL_ACT_CANCEL] = {MODEL_RULE_SUB_2,
                          {chk_sub_exists, chk_not_renewing, chk_not_trial, chk_cancelable, chk_cancel_window},
                          do_cancel},
    [MODEL_ACT_SUSPEND] = {MODEL_RULE_SUB_5, {chk_sub_exists, chk_not_renewing, chk_not_trial, chk_active}, do_suspend},
    [MODEL_ACT_RESUME] = {MODEL_RULE_SUB_5, {chk_sub_exists, chk_not_renewing, chk_not_trial, chk_is_suspended}, do_resume},
    [MODEL_ACT_SET_AUTORENEW] = {MODEL_RULE_SUB_3, {chk_sub_exists, chk_not_renewing, chk_autorenew_state},
                                 do_set_autorenew},
};

/* Whether the tenant has an accepted relationship with a partner other than `partner`. */
static int other_partner(model_world *w, uint32_t tenant, uint32_t partner)
{
    for (uint32_t r = w->tenants[tenant].first_rel; r != MODEL_NONE; r = w->rels[r].next_in_tenant)
        if (w->rels[r].partner != partner && w->rels[r].state == REL_ACCEPTED)
            return 1;
    return 0;
}

void actions_apply(model_world *w, sim_time t, const model_action *a)
{
    const action_def *d = &defs[a->kind];
    model_action act = *a;
    if (act.subscription != MODEL_NONE) { /* actions on a subscription act for its owners */
        act.tenant = w->subs[act.subscription].tenant;
        if (act.partner == MODEL_NONE)
            act.partner = w->subs[act.subscription].partner;
    }
    if (!d->apply) { /* not simulated yet: the loader refuses such scenarios */
        emit_action(w, t, &act, refuse(MODEL_REASON_UNKNOWN_ENTITY, MODEL_RULE_NONE), MODEL_RULE_NONE, -1, -1);
        return;
    }
    verdict v = OK;
    for (int i = 0; i < MAX_CHECKS && d->checks[i] && v.reason == MODEL_REASON_NONE; i++)
        v = d->checks[i](w, t, &act);
    uint32_t target = act.subscription != MODEL_NONE ? act.subscription : act.new_subscription;
    int from = target != MODEL_NONE ? w->subs[target].state : -1;
    if (v.reason != MODEL_REASON_NONE) {
        emit_action(w, t, &act, v, d->rule, -1, -1);
        return;
    }
    /* the action's record comes before the records its effect causes (refund, charge) */
    int to = from;
    if (target != MODEL_NONE) {
        static const int after[MODEL_ACT_COUNT] = {
            [MODEL_ACT_CANCEL] = MODEL_STATE_CANCELED, [MODEL_ACT_SUSPEND] = MODEL_STATE_SUSPENDED,
            [MODEL_ACT_RESUME] = MODEL_STATE_ACTIVE, [MODEL_ACT_PURCHASE] = MODEL_STATE_ACTIVE,
        };
        if (after[a->kind])
            to = a->kind == MODEL_ACT_PURCHASE && a->trial ? MODEL_STATE_TRIAL : after[a->kind];
    }
    if (act.kind == MODEL_ACT_PURCHASE || act.kind == MODEL_ACT_CANCEL) {
        /* effects that book money: the action first, then its charge or refund */
        if (act.kind == MODEL_ACT_PURCHASE) {
            d->apply(w, t, &act);
            emit_action(w, t, &act, v, act.trial ? MODEL_RULE_SUB_8 : d->rule, from, to);
            emit_state(w, t, MODEL_KIND_SUBSCRIPTION_CREATED, act.trial ? MODEL_RULE_SUB_8 : d->rule, target, -1, -1);
            sub_t *s = &w->subs[target];
            sub_begin_term(w, target, t, s->state == MODEL_STATE_ACTIVE);
            if (s->state == MODEL_STATE_TRIAL) {
                s->flags &= (uint8_t)~SUBF_WINDOW_OPEN; /* a trial has nothing to cancel */
                /* trial_term may be given in days (P30D): the calendar does not apply */
                s->term_end = sim_add_duration(sub_term_start(s), w->params.trial_term);
            }
        } else {
            /* a web-direct cancel is MIG-2's (credit eligible), an EA one MIG-1's (no refund) */
            int ch = w->subs[target].channel;
            model_rule rule = ch == MODEL_CHANNEL_WEB_DIRECT ? MODEL_RULE_MIG_2 : ch == MODEL_CHANNEL_EA ? MODEL_RULE_MIG_1 : d->rule;
            emit_action(w, t, &act, v, rule, from, to);
            d->apply(w, t, &act);
        }
    } else {
        model_rule rule = d->rule;
        if (act.kind == MODEL_ACT_ACCEPT_RELATIONSHIP && other_partner(w, act.tenant, act.partner))
            rule = MODEL_RULE_REL_3; /* a second partner for the same tenant */
        d->apply(w, t, &act);
        emit_action(w, t, &act, v, rule, from, target != MODEL_NONE ? w->subs[target].state : -1);
    }
    if (target != MODEL_NONE) {
        w->touched = target;
        sub_schedule(w, target);
    }
}

void rel_on_timer(model_world *w, uint32_t rel, uint32_t gen, sim_time t)
{
    rel_t *r = &w->rels[rel];
    if (r->gen != gen || r->state != REL_PENDING)
        return;
    r->state = REL_EXPIRED;
    if (!emit_on(w)) {
        w->seq++;
        return;
    }
    rec_t rec;
    rec_begin(w, &rec, t, MODEL_KIND_RELATIONSHIP_EXPIRED, MODEL_RULE_REL_4);
    rec.tenant = r->tenant;
    rec.partner = r->partner;
    rec_emit(w, &rec);
}
