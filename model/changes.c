/* model/changes.c - changes to a subscription's terms: SUB-9's upgrade paths, SUB-10's
 * scheduled changes and SUB-11's coterminous end dates. The checks that refuse actions are
 * in actions.c; these are the pieces they and the lifecycle share. */
#include "changes.h"

#include "calendar.h"
#include "emit.h"
#include "overlap.h"
#include "states.h"

/* Whether `to` is reachable from `from` through upgrades_to (any number of steps). */
int offer_reaches(const model_world *w, uint32_t from, uint32_t to)
{
    /* the catalog is small; a bounded walk over (offer, depth) keeps cycles harmless */
    uint32_t stack[64];
    size_t n = 0, steps = 0;
    stack[n++] = from;
    while (n > 0 && steps++ < 4096) {
        const offer_t *o = &w->offers[stack[--n]];
        for (size_t i = 0; i < o->nupgrades; i++) {
            if (o->upgrades_to[i] == to)
                return 1;
            if (n < 64)
                stack[n++] = o->upgrades_to[i];
        }
    }
    return 0;
}

model_reason upgrade_path(const model_world *w, uint32_t from, uint32_t to)
{
    const offer_t *o = &w->offers[from];
    for (size_t i = 0; i < o->nupgrades; i++)
        if (o->upgrades_to[i] == to)
            return MODEL_REASON_NONE;
    return offer_reaches(w, to, from) || to == from ? MODEL_REASON_DOWNGRADE_NOT_ALLOWED
                                                    : MODEL_REASON_UPGRADE_PATH_UNSUPPORTED;
}

/* SUB-11, as Microsoft computes it: the aligned end is the latest end of the target's
 * calendar (its current term end, then each later one while it keeps renewing) that is not
 * after the unaligned end, start + term_months. *steps receives how many terms after the
 * current one that end is (0: the current one; -1 for an EA target, which has no calendar
 * of ours). SIM_TIME_NEVER when there is none, or a rule forbids it. Instants are exclusive
 * ends (00:00 after the inclusive end date). Cost: one step per target term inside one of
 * ours (at most 36 for a P1M target under a P3Y). */
static sim_time target_end(model_world *w, uint32_t target, int term_months, sim_time start, uint32_t tenant,
                           int32_t *steps)
{
    const sub_t *g = &w->subs[target];
    if (g->tenant != tenant || !sub_is_live(g->state) || (g->flags & SUBF_CREATING) || g->state == MODEL_STATE_TRIAL)
        return SIM_TIME_NEVER; /* trials are neither aligned nor targets */
    if (term_months >= 12 && g->term_months == 1 && g->channel != MODEL_CHANNEL_EA)
        return SIM_TIME_NEVER;
    sim_time unaligned = sim_add_months(start, term_months), best = SIM_TIME_NEVER;
    *steps = -1;
    if (g->channel == MODEL_CHANNEL_EA || sub_term_end(g) != g->term_end) {
        /* an EA subscription (its agreement's end) or a term set apart from the calendar */
        best = g->term_end <= unaligned ? g->term_end : SIM_TIME_NEVER;
    } else {
        int32_t last = g->autorenew ? 36 : 0; /* a renewing target's later ends count too */
        for (int32_t k = 0; k <= last; k++) {
            sim_time end = sub_months_after_anchor(g, g->term_index + (k + 1) * g->term_months);
            if (end > unaligned)
                break;
            best = end;
            *steps = k;
        }
    }
    if (best == SIM_TIME_NEVER || best <= start)
        return SIM_TIME_NEVER; /* no end inside the first term: at least one day */
    if (term_months == 1) { /* a P1M ending on the 28th, 29th or 30th that is not a month end */
        int32_t mi, tod;
        uint8_t day;
        sim_to_month_day(best - SIM_DAY, &mi, &day, &tod);
        if (day >= 28 && sim_from_month_day(mi, 31, 0) != sim_day_start(best - SIM_DAY))
            return SIM_TIME_NEVER;
    }
    return best;
}

/* calendar_month: the latest month end not after the unaligned end (the 1st at 00:00 of the
 * month the unaligned end falls in, as an exclusive end). */
static sim_time month_end(int term_months, sim_time start)
{
    int32_t mi, tod;
    uint8_t day;
    sim_to_month_day(sim_add_months(start, term_months), &mi, &day, &tod);
    return sim_from_month_day(mi, 1, 0);
}

int coterm_valid(model_world *w, uint32_t target, int term_months, sim_time t, uint32_t tenant)
{
    if (target == MODEL_ALIGN_CALENDAR_MONTH)
        return 1; /* a month end always lies inside the first term */
    int32_t steps;
    return target_end(w, target, term_months, sim_day_start(t), tenant, &steps) != SIM_TIME_NEVER;
}

void coterm_anchor(model_world *w, uint32_t sub, uint32_t target, sim_time t)
{
    sub_t *s = &w->subs[sub];
    sim_time start = sim_day_start(t), end;
    int32_t steps = -1;
    if (target == MODEL_ALIGN_CALENDAR_MONTH)
        end = month_end(s->term_months, start);
    else
        end = target_end(w, target, s->term_months, start, s->tenant, &steps);
    const sub_t *g = target == MODEL_ALIGN_CALENDAR_MONTH ? NULL : &w->subs[target];
    if (g && steps >= 0) {
        /* the target's own calendar, so that later renewals stay aligned with it */
        s->anchor_day = g->anchor_day;
        s->anchor_tod = g->anchor_tod;
        s->anchor_month = g->anchor_month + g->term_index + (steps + 1) * g->term_months - s->term_months;
        s->term_index = 0;
    } else {
        sub_set_anchor(s, end);
        s->anchor_month -= s->term_months;
    }
}

static void emit_sched(model_world *w, sim_time t, model_kind kind, uint32_t sub, const char *why)
{
    if (rec_skip(w))
        return;
    const ext_t *e = sub_ext_if(w, sub);
    rec_t r;
    rec_begin(w, &r, t, kind, MODEL_RULE_SUB_10);
    rec_sub(w, &r, sub);
    if (e->sched & SCHED_OFFER)
        rec_detail(&r, "offer=%s", w->offers[e->s_offer].id);
    if (e->sched & SCHED_LICENSES)
        rec_detail(&r, "licenses=%d", e->s_licenses);
    if (e->sched & SCHED_TERM)
        rec_detail(&r, "term=%s", e->s_term == 1 ? "P1M" : e->s_term == 12 ? "P1Y" : "P3Y");
    if (e->sched & SCHED_BILLING)
        rec_detail(&r, "billing=%s", e->s_billing == MODEL_BILLING_MONTHLY  ? "monthly"
                                     : e->s_billing == MODEL_BILLING_ANNUAL ? "annual"
                                                                            : "triennial");
    char lb[SUB_LABEL_BUF];
    if (e->sched & SCHED_ALIGN)
        rec_detail(&r, "align_end_with=%s",
                   e->s_align == MODEL_ALIGN_CALENDAR_MONTH ? "calendar_month" : sub_label(w, e->s_align, lb));
    if (why)
        rec_detail(&r, "by=%s", why);
    rec_emit(w, &r);
}

void sched_remove(model_world *w, uint32_t sub, sim_time t, const char *why)
{
    ext_t *e = sub_ext_if(w, sub);
    if (!e || !e->sched)
        return;
    emit_sched(w, t, MODEL_KIND_SCHEDULED_CHANGE_REMOVED, sub, why);
    e->sched = 0;
}

int sched_pending(model_world *w, uint32_t sub)
{
    const ext_t *e = sub_ext_if(w, sub);
    return e && e->sched;
}

int sched_apply(model_world *w, uint32_t sub, sim_time t)
{
    ext_t *e = sub_ext_if(w, sub);
    if (!e || !e->sched)
        return 0;
    int aligned = 0;
    sub_t *s = &w->subs[sub];
    emit_sched(w, t, MODEL_KIND_SCHEDULED_CHANGE_APPLIED, sub, NULL);
    if (e->sched & SCHED_OFFER && e->s_offer != s->offer) {
        dbl_leave(w, sub);
        s->offer = e->s_offer;
        dbl_enter(w, sub);
        dbl_mark(w, s->tenant, t);
    }
    if (e->sched & SCHED_LICENSES)
        s->licenses = e->s_licenses;
    if (e->sched & SCHED_BILLING)
        s->billing = e->s_billing;
    if (e->sched & SCHED_TERM && e->s_term != s->term_months) {
        /* the new term starts where the old one ended, with the new length */
        sub_set_anchor(s, sub_months_after_anchor(s, s->term_index));
        s->term_months = e->s_term;
    }
    if (e->sched & SCHED_ALIGN && coterm_valid(w, e->s_align, s->term_months, sub_term_start(s), s->tenant)) {
        coterm_anchor(w, sub, e->s_align, sub_term_start(s));
        aligned = 1;
    }
    e->sched = 0;
    return aligned;
}
