/* model/ea.c - EA renewals claimed into CSP (EA-1..EA-5): the claim's window, its
 * processing and the subscription it creates. A claim lives on the subscription id it will
 * create: state none, SUBF_CREATING, `opened` the instant processing completes, its ext
 * record pointing at the EA subscription (whose ext points back while the claim holds it).
 * The claim's checks are rows of the action table in actions.c. */
#include "ea.h"

#include "calendar.h"
#include "changes.h"
#include "emit.h"
#include "lifecycle.h"
#include "overlap.h"

sim_time ea_end(const model_world *w, uint32_t ea_sub)
{
    return w->agreements[w->subs[ea_sub].agreement].end;
}

int ea_in_window(const model_world *w, uint32_t ea_sub, sim_time t)
{
    sim_time e = ea_end(w, ea_sub);
    const model_params *p = &w->params;
    sim_time from = sim_add_months(e, -(int32_t)p->ea_lookahead.months);
    from -= p->ea_lookahead.seconds;
    return from <= t && t < sim_add_duration(e, p->ea_lookback);
}

uint32_t ea_holder(model_world *w, uint32_t ea_sub)
{
    const ext_t *e = sub_ext_if(w, ea_sub);
    return e ? e->claim : MODEL_NONE;
}

void claim_place(model_world *w, uint32_t ea_sub, uint32_t sub, const model_action *a, sim_time t)
{
    ext_t *ee = sub_ext(w, ea_sub), *ne = sub_ext(w, sub); /* side records never move */
    if (!ee || !ne)
        return;
    uint32_t old = ee->claim;
    if (old != MODEL_NONE && old != sub) { /* an edit under another id: the old one is gone */
        w->subs[old].flags &= (uint8_t)~SUBF_CREATING;
        sub_schedule(w, old);
    }
    ee->claim = sub;
    ne->claim = ea_sub;
    ne->align = a->align;
    ne->reseller = a->reseller; /* REL-6: counted when the claim creates the subscription */
    sub_t *s = &w->subs[sub];
    s->offer = w->subs[ea_sub].offer; /* same offer only (EA-1) */
    s->partner = a->partner;
    s->channel = MODEL_CHANNEL_CSP;
    s->licenses = a->licenses;
    s->term_months = (uint8_t)a->term_months;
    s->billing = (uint8_t)a->billing;
    s->autorenew = 1;
    s->flags |= SUBF_CREATING | SUBF_FROM_CLAIM;
    sim_time e = ea_end(w, ea_sub);
    s->flags &= (uint8_t)~SUBF_EARLY_CLAIM; /* an edit decides again */
    if (t < e) { /* EA-4: the term will start on this E, even if the agreement is renewed later */
        s->flags |= SUBF_EARLY_CLAIM;
        sub_set_anchor(s, sim_day_start(e));
    }
    if (t < e) /* EA-3: from 12:00 after the end date, or later after a late claim */
        s->opened = sim_add_seconds_sat(sim_add_duration(e, w->params.ea_processing_start),
                                        tenant_draw(w, s->tenant, &w->params.ea_processing));
    else
        s->opened = sim_add_seconds_sat(t, tenant_draw(w, s->tenant, &w->params.ea_late_processing));
}

void claim_withdraw(model_world *w, uint32_t ea_sub)
{
    ext_t *ee = sub_ext_if(w, ea_sub);
    if (!ee || ee->claim == MODEL_NONE)
        return;
    uint32_t sub = ee->claim;
    ee->claim = MODEL_NONE;
    w->subs[sub].flags &= (uint8_t)~SUBF_CREATING;
    sub_schedule(w, sub);
}

static void emit_processed(model_world *w, sim_time t, uint32_t sub, uint32_t ea_sub, model_reason reason)
{
    if (rec_skip(w))
        return;
    rec_t r;
    rec_begin(w, &r, t, MODEL_KIND_CLAIM_PROCESSED, reason ? MODEL_RULE_LIM_1 : MODEL_RULE_EA_3);
    rec_sub(w, &r, sub);
    r.outcome = reason ? MODEL_OUTCOME_REJECTED : MODEL_OUTCOME_ACCEPTED;
    r.reason = reason;
    r.has_licenses = 1;
    r.licenses = w->subs[sub].licenses;
    char lb[SUB_LABEL_BUF];
    rec_detail(&r, "ea_subscription=%s", sub_label(w, ea_sub, lb));
    rec_emit(w, &r);
}

void claim_process(model_world *w, uint32_t sub, sim_time t)
{
    sub_t *s = &w->subs[sub];
    ext_t *ne = sub_ext_if(w, sub);
    uint32_t ea_sub = ne->claim;
    s->flags &= (uint8_t)~SUBF_CREATING;
    partner_t *p = &w->partners[s->partner];
    tenant_t *tn = &w->tenants[s->tenant];
    if ((int64_t)tn->live + 1 > w->params.tenant_subscription_limit) { /* LIM-1 at creation (EA-4) */
        p->f.claims_refused++;
        tn->m.rejections++;
        sub_ext_if(w, ea_sub)->claim = MODEL_NONE; /* released: a new (late) claim may follow */
        emit_processed(w, t, sub, ea_sub, MODEL_REASON_TENANT_LIMIT);
        return;
    }
    p->f.claims_won++;
    if (ne->reseller != MODEL_NONE)
        w->partners[ne->reseller].r.subscriptions++;
    /* EA-4: a claim made before E starts its term on E whenever it completes, so no day lies
     * between the EA and the CSP subscription; a late claim starts when it is processed.
     * The alignment (SUB-11) counts from that day. */
    int early = (s->flags & SUBF_EARLY_CLAIM) != 0;
    sim_time start = early ? sub_term_start(s) : sim_day_start(t); /* E was kept in the anchor */
    if (ne->align != MODEL_NONE && coterm_valid(w, ne->align, s->term_months, start, s->tenant))
        coterm_anchor(w, sub, ne->align, start);
    else
        sub_set_anchor(s, start);
    sub_set_state(w, sub, MODEL_STATE_ACTIVE, t);
    emit_processed(w, t, sub, ea_sub, MODEL_REASON_NONE);
    emit_state(w, t, MODEL_KIND_SUBSCRIPTION_CREATED, MODEL_RULE_EA_4, sub, MODEL_STATE_NONE, MODEL_STATE_ACTIVE);
    /* the first billing period starts on the term's start (E for an early claim); the cancel
     * window opens when the subscription is created (SUB-2) */
    sub_begin_term_from(w, sub, t, INT64_MIN, TERM_CHARGE | TERM_WINDOW);
}

void ea_renew(model_world *w, uint32_t agreement, sim_time end, sim_time t)
{
    agreement_t *a = &w->agreements[agreement];
    a->end = end;
    /* its EA subscriptions' part in double billing's counters depends on `renewed` */
    for (uint32_t i = w->tenants[a->tenant].first_sub; i != MODEL_NONE; i = w->subs[i].next_in_tenant)
        if (w->subs[i].agreement == agreement && w->subs[i].channel == MODEL_CHANNEL_EA)
            dbl_leave(w, i);
    a->renewed = 1;
    for (uint32_t i = w->tenants[a->tenant].first_sub; i != MODEL_NONE; i = w->subs[i].next_in_tenant)
        if (w->subs[i].agreement == agreement && w->subs[i].channel == MODEL_CHANNEL_EA)
            dbl_enter(w, i);
    dbl_mark(w, a->tenant, t); /* MIG-1: its subscriptions are no longer on their way out */
    for (uint32_t i = w->tenants[a->tenant].first_sub; i != MODEL_NONE; i = w->subs[i].next_in_tenant) {
        sub_t *s = &w->subs[i];
        if (s->agreement == agreement && s->channel == MODEL_CHANNEL_EA &&
            (s->state == MODEL_STATE_ACTIVE || s->state == MODEL_STATE_SUSPENDED)) {
            s->term_end = end;
            w->touched = i;
            sub_schedule(w, i);
        }
    }
}
