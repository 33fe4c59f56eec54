/* model/lifecycle.c - subscription state changes and the one lifecycle timer of each
 * subscription (SUB-1 terms, SUB-2 window close, SUB-3 renewal, SUB-4 expiry, SUB-5
 * suspended at term end, SUB-8 trial end, EA-6). Every state change goes through
 * sub_set_state, which keeps the tenant's live count (LIM-1) and interruption time right;
 * the timer is derived from the state by next_deadline, so there is nothing else to keep in
 * step. The legal transitions are states.c's table. */
#include "lifecycle.h"

#include "calendar.h"
#include "changes.h"
#include "emit.h"
#include "ledger.h"
#include "licenses.h"
#include "overlap.h"
#include "states.h"

static model_rule sub_expiry_rule(const sub_t *s)
{
    return s->channel == MODEL_CHANNEL_EA ? MODEL_RULE_EA_6 : MODEL_RULE_SUB_4;
}

void sub_close_interruption(model_world *w, uint32_t sub, sim_time t)
{
    sub_t *s = &w->subs[sub];
    if (sub_no_access(s->state) && t > s->since)
        w->tenants[s->tenant].m.interruption_days += (t - s->since + SIM_DAY - 1) / SIM_DAY;
}

void sub_set_state(model_world *w, uint32_t sub, int state, sim_time t)
{
    sub_t *s = &w->subs[sub];
    tenant_t *tn = &w->tenants[s->tenant];
    if (w->invariants && !sub_transition_legal(s->state, state) && !w->bad_transition) {
        w->bad_transition = 1;
        w->bad_from = s->state;
        w->bad_to = state;
    }
    w->touched = sub;
    sub_close_interruption(w, sub, t);
    if (sub_is_live(s->state))
        tn->live--;
    if (sub_is_live(state))
        tn->live++;
    /* double billing can start only when a subscription becomes paid, and end only in a
     * tenant with an open stretch: the common expiry touches no other subscription */
    if (w->started && sub_is_paid(s->state) != sub_is_paid(state) && (sub_is_paid(state) || tn->dbl_open > 0))
        dbl_mark(w, s->tenant, t);
    dbl_leave(w, sub); /* double billing's counters (overlap.c) */
    s->state = (uint8_t)state;
    dbl_enter(w, sub);
    s->since = t;
}

static sim_time min_time(sim_time a, sim_time b)
{
    return a < b ? a : b;
}

/* The next instant at which the subscription's timer must run. */
static sim_time next_deadline(const model_world *w, const sub_t *s)
{
    sim_time t;
    switch (s->state) {
    case MODEL_STATE_PENDING:
    case MODEL_STATE_TRIAL:
    case MODEL_STATE_ACTIVE:
    case MODEL_STATE_SUSPENDED:
        if (s->flags & SUBF_RENEWING) {
            t = s->opened;
        } else {
            t = min_time(s->term_end, s->next_charge);
        }
        if (s->flags & SUBF_WINDOW_OPEN)
            t = min_time(t, s->window_end);
        return t;
    case MODEL_STATE_EXPIRED: /* set_rule: the grace in force when it began (docs/rules.md) */
        return sim_add_duration(s->since, PARAM_AT(w, expired_grace, s->since));
    case MODEL_STATE_DISABLED:
        return sim_add_duration(s->since, PARAM_AT(w, disabled_retention, s->since));
    case MODEL_STATE_CANCELED:
        return sim_add_duration(s->since, PARAM_AT(w, cancel_backup, s->since));
    case MODEL_STATE_NONE:
        return s->flags & SUBF_CREATING ? s->opened : SIM_TIME_NEVER;
    default:
        return SIM_TIME_NEVER;
    }
}

void sub_schedule(model_world *w, uint32_t sub)
{
    sub_t *s = &w->subs[sub];
    s->gen = (s->gen + 1) & 0x0FFFFFFFu;
    sim_time t = next_deadline(w, s);
    if (t != SIM_TIME_NEVER && sim_fel_push(w->fel, t, store_group(s->tenant), 0, sub, TIMER_TAG(TIMER_SUB, s->gen)) < 0)
        w->failed = 1;
}

/* Data is gone at t: record the deletion, then weigh replacements once every state change
 * of this instant is done (phase 1, SUB-12). */
static void delete_sub(model_world *w, uint32_t sub, sim_time t, model_rule rule)
{
    int from = w->subs[sub].state;
    sub_set_state(w, sub, MODEL_STATE_DELETED, t);
    emit_state(w, t, MODEL_KIND_DELETED, rule, sub, from, MODEL_STATE_DELETED);
    if (sim_fel_push(w->fel, t, store_group(w->subs[sub].tenant), 1, sub, TIMER_TAG(TIMER_DATA, 0)) < 0)
        w->failed = 1;
}

void sub_begin_term(model_world *w, uint32_t sub, sim_time opened_at, unsigned how)
{
    sub_begin_term_from(w, sub, opened_at, how & TERM_PRORATE ? sim_day_start(opened_at) : INT64_MIN, how);
}

void sub_begin_term_from(model_world *w, uint32_t sub, sim_time opened_at, sim_time from, unsigned how)
{
    sub_t *s = &w->subs[sub];
    s->term_end = sub_term_end(s);
    s->opened = opened_at;
    licenses_new_term(w, sub); /* SUB-6: every license is one tranche again */
    s->window_end = sim_add_duration(opened_at, w->params.cancel_window);
    if ((how & TERM_WINDOW) && s->channel == MODEL_CHANNEL_CSP) /* SUB-2: CSP only */
        s->flags |= SUBF_WINDOW_OPEN;
    else
        s->flags &= (uint8_t)~SUBF_WINDOW_OPEN;
    if (from != INT64_MIN && from <= sub_term_start(s))
        from = INT64_MIN; /* from the term's start: the common case, no search for the period */
    ledger_begin(w, sub, opened_at, from, (how & TERM_CHARGE) != 0);
}

/* SUB-3: the term is over and autorenew is on. */
static void start_renewal(model_world *w, uint32_t sub, sim_time t)
{
    sub_t *s = &w->subs[sub];
    s->flags |= SUBF_RENEWING;
    s->opened = sim_add_seconds_sat(t, tenant_draw(w, s->tenant, &w->params.renewal_processing)); /* past the end: never */
    if (!rec_skip(w)) {
        rec_t r;
        rec_begin(w, &r, t, MODEL_KIND_RENEWAL_STARTED, MODEL_RULE_SUB_3);
        rec_sub(w, &r, sub);
        rec_emit(w, &r);
    }
}

static void complete_renewal(model_world *w, uint32_t sub, sim_time t)
{
    sub_t *s = &w->subs[sub];
    s->flags &= (uint8_t)~SUBF_RENEWING;
    sim_time served = s->term_end; /* the new term serves from the old one's end */
    s->term_index += s->term_months;
    if (!sched_apply(w, sub, t)) /* SUB-10: the new term takes the scheduled change */
        served = INT64_MIN;     /* not aligned: it starts where the calendar says */
    s->term_end = sub_term_end(s);
    if (!rec_skip(w)) {
        rec_t r;
        char buf[SIM_TIME_BUF];
        rec_begin(w, &r, t, MODEL_KIND_RENEWAL_COMPLETED, MODEL_RULE_SUB_3);
        rec_sub(w, &r, sub);
        r.has_licenses = 1;
        r.licenses = s->licenses;
        rec_detail(&r, "term_end=%s", sim_format_date(s->term_end - SIM_DAY, buf));
        rec_emit(w, &r);
    }
    /* an aligned new term (SUB-11) started before it: its first period is prorated */
    sub_begin_term_from(w, sub, t, served, TERM_CHARGE | TERM_WINDOW);
}

/* SUB-8: a trial converts to the paid offer at its end (P1Y, monthly) unless autorenew is off. */
static void end_trial(model_world *w, uint32_t sub, sim_time t)
{
    sub_t *s = &w->subs[sub];
    if (!s->autorenew) {
        sub_set_state(w, sub, MODEL_STATE_EXPIRED, t);
        emit_state(w, t, MODEL_KIND_EXPIRED, MODEL_RULE_SUB_8, sub, MODEL_STATE_TRIAL, MODEL_STATE_EXPIRED);
        return;
    }
    sim_time served = s->term_end;
    sub_set_anchor(s, served);
    s->term_months = 12;
    s->billing = MODEL_BILLING_MONTHLY;
    if (!sched_apply(w, sub, t)) /* a scheduled conversion sets licenses, term, billing (SUB-8, SUB-10) */
        served = INT64_MIN;
    sub_set_state(w, sub, MODEL_STATE_ACTIVE, t);
    emit_state(w, t, MODEL_KIND_TRIAL_CONVERTED, MODEL_RULE_SUB_8, sub, MODEL_STATE_TRIAL, MODEL_STATE_ACTIVE);
    sub_begin_term_from(w, sub, t, served, TERM_CHARGE | TERM_WINDOW);
}

static void end_term(model_world *w, uint32_t sub, sim_time t)
{
    sub_t *s = &w->subs[sub];
    switch (s->state) {
    case MODEL_STATE_TRIAL:
        end_trial(w, sub, t);
        break;
    case MODEL_STATE_SUSPENDED:
        /* SUB-5: still suspended at term end */
        s->flags &= (uint8_t)~SUBF_WINDOW_OPEN;
        if (w->params.suspended_at_term_end == MODEL_SUSPENDED_END_DISABLED) {
            sub_set_state(w, sub, MODEL_STATE_DISABLED, t);
            emit_state(w, t, MODEL_KIND_DISABLED, MODEL_RULE_SUB_5, sub, MODEL_STATE_SUSPENDED, MODEL_STATE_DISABLED);
        } else {
            delete_sub(w, sub, t, MODEL_RULE_SUB_5);
        }
        break;
    default:
        if (s->autorenew && s->channel != MODEL_CHANNEL_EA) {
            start_renewal(w, sub, t);
        } else {
            s->flags &= (uint8_t)~SUBF_WINDOW_OPEN;
            sub_set_state(w, sub, MODEL_STATE_EXPIRED, t);
            emit_state(w, t, MODEL_KIND_EXPIRED, sub_expiry_rule(s), sub, MODEL_STATE_ACTIVE, MODEL_STATE_EXPIRED);
        }
        break;
    }
}

int sub_step(model_world *w, uint32_t sub, sim_time t)
{
    sub_t *s = &w->subs[sub];
    if ((s->flags & SUBF_WINDOW_OPEN) && s->window_end <= t) {
        s->flags &= (uint8_t)~SUBF_WINDOW_OPEN;
        emit_state(w, t, MODEL_KIND_CANCEL_WINDOW_CLOSED, MODEL_RULE_SUB_2, sub, -1, -1);
        return 1;
    }
    switch (s->state) {
    case MODEL_STATE_PENDING:
    case MODEL_STATE_TRIAL:
    case MODEL_STATE_ACTIVE:
    case MODEL_STATE_SUSPENDED:
        if (s->flags & SUBF_RENEWING) {
            if (s->opened <= t) {
                complete_renewal(w, sub, t);
                return 1;
            }
            return 0;
        }
        if (s->next_charge <= t) {
            ledger_charge_period(w, sub, t);
            return 1;
        }
        if (s->term_end <= t) {
            end_term(w, sub, t);
            return 1;
        }
        return 0;
    case MODEL_STATE_EXPIRED:
        if (sim_add_duration(s->since, PARAM_AT(w, expired_grace, s->since)) <= t) {
            emit_state(w, t, MODEL_KIND_GRACE_ENDED, sub_expiry_rule(s), sub, -1, -1);
            sub_set_state(w, sub, MODEL_STATE_DISABLED, t);
            emit_state(w, t, MODEL_KIND_DISABLED, sub_expiry_rule(s), sub, MODEL_STATE_EXPIRED, MODEL_STATE_DISABLED);
            return 1;
        }
        return 0;
    case MODEL_STATE_DISABLED:
        if (sim_add_duration(s->since, PARAM_AT(w, disabled_retention, s->since)) <= t) {
            delete_sub(w, sub, t, sub_expiry_rule(s));
            return 1;
        }
        return 0;
    case MODEL_STATE_CANCELED:
        if (sim_add_duration(s->since, PARAM_AT(w, cancel_backup, s->since)) <= t) {
            delete_sub(w, sub, t, MODEL_RULE_SUB_2);
            return 1;
        }
        return 0;
    default: /* none: not created yet (an EA claim's processing is the dispatcher's) */
        return 0;
    }
}
