/* model/overlap.c - double billing (MIG-1, EA-5): a stretch of time in which paid
 * subscriptions with the same provisioning id serve one tenant from two sources or more (a
 * source is a channel and a partner: the EA, Web Direct, each CSP partner). Several
 * subscriptions of one offer bought from the same partner are capacity, not paying twice.
 * Paid means active or suspended (a suspended subscription is still billed, SUB-5); a
 * trial, an expired or a canceled one is not.
 *
 * A state change marks its tenant; after the step (one scripted action, or one timer) the
 * tenant is weighed again, so a move that creates a subscription and cancels another in
 * one action never opens a stretch. Each stretch counts its days rounded up, like
 * interruption days, into the tenant's double_billing_days. */
#include "overlap.h"

#include "calendar.h"
#include "emit.h"
#include "states.h"

#include <stdio.h>
#include <string.h>

void dbl_mark(model_world *w, uint32_t tenant, sim_time t)
{
    if (w->dbl_dirty != MODEL_NONE && w->dbl_dirty != tenant)
        dbl_flush(w, t);
    w->dbl_dirty = tenant;
}

static void emit_stretch(model_world *w, sim_time t, model_kind kind, const dbl_t *d, int64_t days)
{
    if (rec_skip(w))
        return;
    rec_t r;
    rec_begin(w, &r, t, kind, d->rule);
    rec_sub(w, &r, d->sub);
    rec_detail(&r, "provisioning_id=%s", w->offers[d->provisioning].provisioning_id);
    if (kind == MODEL_KIND_DOUBLE_BILLING_STARTED) {
        size_t n = strlen(r.detail);
        n += (size_t)snprintf(r.detail + n, sizeof r.detail - n, " subscriptions=");
        int first = 1;
        for (uint32_t i = w->tenants[d->tenant].first_sub; i != MODEL_NONE; i = w->subs[i].next_in_tenant) {
            const sub_t *s = &w->subs[i];
            if (!sub_is_paid(s->state) || w->offers[s->offer].provisioning != d->provisioning || n >= sizeof r.detail)
                continue;
            char lb[SUB_LABEL_BUF];
            n += (size_t)snprintf(r.detail + n, sizeof r.detail - n, "%s%s", first ? "" : ",", sub_label(w, i, lb));
            first = 0;
        }
    } else {
        rec_detail(&r, "days=%lld", (long long)days);
    }
    rec_emit(w, &r);
}

static void close_stretch(model_world *w, size_t k, sim_time t, int emit)
{
    dbl_t d = w->dbls[k];
    int64_t days = t > d.since ? (t - d.since + SIM_DAY - 1) / SIM_DAY : 0;
    w->tenants[d.tenant].m.double_billing_days += days;
    w->tenants[d.tenant].dbl_open--;
    w->dbls[k] = w->dbls[--w->ndbls];
    if (emit)
        emit_stretch(w, t, MODEL_KIND_DOUBLE_BILLING_ENDED, &d, days);
}

/* Where a subscription is bought from: its channel and partner. */
static uint64_t source_of(const sub_t *s)
{
    return ((uint64_t)s->channel << 32) | s->partner;
}

/* Whether tenant's paid subscriptions with provisioning p come from two sources or more;
 * *rule is EA-5 when an EA subscription overlaps with one an EA claim created, else MIG-1.
 * *last: the one whose state changed latest. */
static int billed_twice(const model_world *w, uint32_t tenant, uint32_t p, model_rule *rule, uint32_t *last)
{
    int n = 0, twice = 0, ea = 0, claimed = 0, leaving = 0;
    uint64_t first = 0;
    sim_time latest = INT64_MIN;
    for (uint32_t i = w->tenants[tenant].first_sub; i != MODEL_NONE; i = w->subs[i].next_in_tenant) {
        const sub_t *s = &w->subs[i];
        if (!sub_is_paid(s->state) || w->offers[s->offer].provisioning != p)
            continue;
        if (n++ == 0)
            first = source_of(s);
        else if (source_of(s) != first)
            twice = 1;
        ea |= s->channel == MODEL_CHANNEL_EA;
        claimed |= (s->flags & SUBF_FROM_CLAIM) != 0;
        /* MIG-1: on its way out, a CSP or Web Direct one with autorenew off, an EA one whose
         * agreement was not renewed */
        leaving |= s->channel == MODEL_CHANNEL_EA ? !w->agreements[s->agreement].renewed : !s->autorenew;
        if (s->since >= latest) {
            latest = s->since;
            *last = i;
        }
    }
    *rule = ea && claimed ? MODEL_RULE_EA_5 : MODEL_RULE_MIG_1;
    /* two sources that both keep renewing are several partners, not a move (REL-3); a
     * renewed EA beside a claim's subscription still counts (EA-5) */
    return twice && (leaving || (ea && claimed));
}

/* Whether the tenant's paid subscriptions come from two sources at all (any service). */
static int several_sources(const model_world *w, uint32_t tenant)
{
    int n = 0;
    uint64_t first = 0;
    for (uint32_t i = w->tenants[tenant].first_sub; i != MODEL_NONE; i = w->subs[i].next_in_tenant) {
        const sub_t *s = &w->subs[i];
        if (!sub_is_paid(s->state))
            continue;
        if (n++ == 0)
            first = source_of(s);
        else if (source_of(s) != first)
            return 1;
    }
    return 0;
}

static void weigh(model_world *w, uint32_t tenant, sim_time t, int emit)
{
    /* close the stretches that no longer hold */
    for (size_t k = 0; w->tenants[tenant].dbl_open > 0 && k < w->ndbls;) {
        model_rule rule;
        uint32_t last;
        if (w->dbls[k].tenant == tenant && !billed_twice(w, tenant, w->dbls[k].provisioning, &rule, &last))
            close_stretch(w, k, t, emit);
        else
            k++;
    }
    /* open the new ones: one per provisioning id paid to two sources */
    if (!several_sources(w, tenant))
        return;
    for (uint32_t i = w->tenants[tenant].first_sub; i != MODEL_NONE; i = w->subs[i].next_in_tenant) {
        const sub_t *s = &w->subs[i];
        if (!sub_is_paid(s->state))
            continue;
        uint32_t p = w->offers[s->offer].provisioning, last = i;
        int open = 0;
        for (size_t k = 0; w->tenants[tenant].dbl_open > 0 && k < w->ndbls && !open; k++)
            open = w->dbls[k].tenant == tenant && w->dbls[k].provisioning == p;
        model_rule rule;
        if (open || !billed_twice(w, tenant, p, &rule, &last))
            continue;
        if (store_grow((void **)&w->dbls, &w->cap_dbls, w->ndbls, sizeof *w->dbls)) {
            w->failed = 1;
            return;
        }
        dbl_t *d = &w->dbls[w->ndbls++];
        sim_time since = t; /* a claim's subscription is billed from its term start, E (EA-4) */
        if ((w->subs[last].flags & SUBF_FROM_CLAIM) && sub_term_start(&w->subs[last]) < t)
            since = sub_term_start(&w->subs[last]);
        *d = (dbl_t){tenant, p, last, rule, since};
        w->tenants[tenant].dbl_open++;
        if (emit)
            emit_stretch(w, t, MODEL_KIND_DOUBLE_BILLING_STARTED, d, 0);
    }
}

void dbl_flush(model_world *w, sim_time t)
{
    uint32_t tenant = w->dbl_dirty;
    if (tenant == MODEL_NONE)
        return;
    w->dbl_dirty = MODEL_NONE;
    weigh(w, tenant, t, 1);
}

void dbl_start(model_world *w)
{
    w->dbl_dirty = MODEL_NONE;
    for (uint32_t i = 0; i < w->ntenants; i++)
        weigh(w, i, w->start, 1);
}

void dbl_finish(model_world *w)
{
    dbl_flush(w, w->end);
    while (w->ndbls > 0)
        close_stretch(w, w->ndbls - 1, w->end, 0);
}
