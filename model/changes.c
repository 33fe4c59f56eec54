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

/* SUB-11: a first term of term_months bought at t may end with `target`'s current term when
 * that end is after t, no later than a full term from t, and a P1Y/P3Y is not aligned with a
 * P1M subscription. */
int coterm_valid(model_world *w, uint32_t target, int term_months, sim_time t, uint32_t tenant)
{
    const sub_t *g = &w->subs[target];
    if (g->tenant != tenant || !sub_is_live(g->state) || (g->flags & SUBF_CREATING))
        return 0;
    if (term_months >= 12 && g->term_months == 1 && g->channel != MODEL_CHANNEL_EA)
        return 0;
    sim_time day = sim_day_start(t);
    return g->term_end > day + SIM_DAY - 1 && g->term_end <= sim_add_months(day, term_months);
}

void coterm_anchor(model_world *w, uint32_t sub, uint32_t target)
{
    sub_t *s = &w->subs[sub];
    const sub_t *g = &w->subs[target];
    if (g->channel != MODEL_CHANNEL_EA && g->state != MODEL_STATE_TRIAL && sub_term_end(g) == g->term_end) {
        /* the target's own calendar, so that later renewals stay aligned with it */
        s->anchor_day = g->anchor_day;
        s->anchor_tod = g->anchor_tod;
        s->anchor_month = g->anchor_month + g->term_index + g->term_months - s->term_months;
        s->term_index = 0;
    } else {
        sub_set_anchor(s, g->term_end);
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
        rec_detail(&r, "align_end_with=%s", sub_label(w, e->s_align, lb));
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
        s->offer = e->s_offer;
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
        coterm_anchor(w, sub, e->s_align);
        aligned = 1;
    }
    e->sched = 0;
    return aligned;
}
