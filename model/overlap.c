/* model/overlap.c - double billing (MIG-1, EA-5): a stretch of time in which paid
 * subscriptions with the same provisioning id serve one tenant from two sources or more (a
 * source is a channel and a partner: the EA, Web Direct, each CSP partner) while one of
 * them is on its way out. Several subscriptions of one offer bought from the same partner
 * are capacity, not paying twice. Paid means active or suspended (a suspended subscription
 * is still billed, SUB-5); a trial, an expired or a canceled one is not.
 *
 * A state change marks its tenant; after the step (one scripted action, or one timer) the
 * tenant is weighed again, so a move that creates a subscription and cancels another in
 * one action never opens a stretch. Each stretch counts its days rounded up, like
 * interruption days, into the tenant's double_billing_days.
 *
 * Cost: each (tenant, provisioning id) group keeps counters of its paid subscriptions (per
 * source, on their way out, EA ones, claimed ones), kept current by dbl_leave/dbl_enter
 * around every change of what they read, and so knows at once whether it is billed twice;
 * each tenant counts its groups billed twice without an open stretch and its open
 * stretches no longer billed twice. Weighing a tenant costs nothing when both are 0. The
 * road not taken, scanning the tenant at every step (and the group for each of its
 * subscriptions), took 89 s for 100,000 purchases in one tenant. What still scans the
 * tenant, once: opening a stretch (its record lists the subscriptions and names the one
 * that changed latest). */
#include "overlap.h"

#include "calendar.h"
#include "emit.h"
#include "states.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the counters ------------------------------------------------------------------------ */

typedef struct {
    uint32_t tenant, provisioning;
    uint32_t leaving, ea, claimed, sources; /* paid ones; sources: with a paid one */
    uint8_t twice, open;                    /* billed twice now; a stretch is open */
    uint32_t scan, last;                    /* weigh's scan number and the latest changed */
    sim_time last_since;
} group_t;

/* An open-addressing table from a 64-bit key to an index + 1 (0: an empty slot). */
typedef struct {
    uint64_t key;
    uint32_t val;
} slot_t;

typedef struct {
    slot_t *v;
    size_t n, cap; /* cap a power of two, at most half full */
} table_t;

/* Per tenant. Most tenants buy from one source only: they keep no counters (mode
 * ONE_SOURCE, the source in partner/channel) until a paid subscription from another one
 * comes, when their groups are counted from a scan of the tenant (mode GROUPS). */
enum { NO_SOURCE, ONE_SOURCE, GROUPS };
typedef struct {
    uint32_t want, gone; /* groups billed twice without a stretch; stretches no longer billed twice */
    uint32_t partner;
    uint8_t channel, mode;
} tally_t;

struct dbl_index {
    table_t groups, sources; /* (tenant, provisioning) -> g; (group, source) -> paid count */
    group_t *g;
    uint32_t *paid; /* per source slot: its paid subscriptions */
    size_t ng, cap_g, np, cap_p;
    tally_t *tally; /* per tenant */
    uint32_t scan;
};

static uint64_t mix(uint64_t x)
{
    x ^= x >> 31;
    x *= 0xBF58476D1CE4E5B9u;
    x ^= x >> 29;
    x *= 0x94D049BB133111EBu;
    return x ^ (x >> 32);
}

static int table_grow(table_t *t)
{
    size_t cap = t->cap ? t->cap * 2 : 64;
    slot_t *v = calloc(cap, sizeof *v);
    if (!v)
        return -1;
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->v[i].val)
            continue;
        size_t j = mix(t->v[i].key) & (cap - 1);
        while (v[j].val)
            j = (j + 1) & (cap - 1);
        v[j] = t->v[i];
    }
    free(t->v);
    t->v = v;
    t->cap = cap;
    return 0;
}

/* The index of key, made as `next` (its val next + 1) when absent; -1 when memory ran out. */
static int64_t table_get(table_t *t, uint64_t key, size_t next, int *made)
{
    *made = 0;
    if ((t->n + 1) * 2 > t->cap && table_grow(t))
        return -1;
    size_t j = mix(key) & (t->cap - 1);
    for (; t->v[j].val; j = (j + 1) & (t->cap - 1))
        if (t->v[j].key == key)
            return t->v[j].val - 1;
    *made = 1;
    t->n++;
    t->v[j].key = key;
    t->v[j].val = (uint32_t)next + 1;
    return (int64_t)next;
}

/* Where a subscription is bought from: its channel and partner. */
static uint64_t source_of(const sub_t *s)
{
    return ((uint64_t)s->channel << 32) | s->partner;
}

/* The index of key, or -1. */
static int64_t table_find(const table_t *t, uint64_t key)
{
    if (!t->cap)
        return -1;
    for (size_t j = mix(key) & (t->cap - 1); t->v[j].val; j = (j + 1) & (t->cap - 1))
        if (t->v[j].key == key)
            return t->v[j].val - 1;
    return -1;
}

/* The group, made when absent (growing x->g only then: a group pointer survives a look-up
 * of a group that exists); NULL when memory ran out. */
static group_t *group_of(model_world *w, uint32_t tenant, uint32_t provisioning)
{
    struct dbl_index *x = w->dbl_ix;
    int made;
    int64_t known = table_find(&x->groups, (uint64_t)tenant << 32 | provisioning);
    if (known >= 0)
        return &x->g[known];
    if (store_grow((void **)&x->g, &x->cap_g, x->ng, sizeof *x->g))
        return NULL;
    int64_t i = table_get(&x->groups, (uint64_t)tenant << 32 | provisioning, x->ng, &made);
    if (i < 0)
        return NULL;
    if (made) {
        group_t *g = &x->g[x->ng++];
        memset(g, 0, sizeof *g);
        g->tenant = tenant;
        g->provisioning = provisioning;
    }
    return &x->g[i];
}

static uint32_t *source_count(model_world *w, size_t group, uint64_t source)
{
    struct dbl_index *x = w->dbl_ix;
    int made;
    if (store_grow((void **)&x->paid, &x->cap_p, x->np, sizeof *x->paid))
        return NULL;
    if (group >= (1u << 30)) /* the key below has 30 bits for it, 34 for the source */
        return NULL;
    int64_t i = table_get(&x->sources, (uint64_t)group << 34 | source, x->np, &made);
    if (i < 0)
        return NULL;
    if (made)
        x->paid[x->np++] = 0;
    return &x->paid[i];
}

/* MIG-1: on its way out, a CSP or Web Direct one with autorenew off, an EA one whose
 * agreement was not renewed */
static int leaving(const model_world *w, const sub_t *s)
{
    return s->channel == MODEL_CHANNEL_EA ? !w->agreements[s->agreement].renewed : !s->autorenew;
}

/* Two sources that both keep renewing are several partners, not a move (REL-3); a renewed
 * EA beside a claim's subscription still counts (EA-5). */
static int billed_twice(const group_t *g)
{
    return g->sources >= 2 && (g->leaving > 0 || (g->ea > 0 && g->claimed > 0));
}

/* Keeps the tenant's tally right after g's twice or open changed from (twice, open). */
static void retally(model_world *w, group_t *g, int twice, int open)
{
    tally_t *t = &w->dbl_ix->tally[g->tenant];
    t->want -= (uint32_t)(twice && !open);
    t->gone -= (uint32_t)(open && !twice);
    t->want += (uint32_t)(g->twice && !g->open);
    t->gone += (uint32_t)(g->open && !g->twice);
}

/* Adds (+1) or takes (-1) a paid subscription's part in its group's counters. */
static void add(model_world *w, uint32_t sub, int d)
{
    const sub_t *s = &w->subs[sub];
    group_t *g = group_of(w, s->tenant, w->offers[s->offer].provisioning);
    uint32_t *n = g ? source_count(w, (size_t)(g - w->dbl_ix->g), source_of(s)) : NULL;
    if (!n) {
        w->failed = 1;
        return;
    }
    int twice = g->twice;
    if (d > 0 ? (*n)++ == 0 : --(*n) == 0)
        g->sources += (uint32_t)d;
    g->leaving += (uint32_t)(d * leaving(w, s));
    g->ea += (uint32_t)(d * (s->channel == MODEL_CHANNEL_EA));
    g->claimed += (uint32_t)(d * ((s->flags & SUBF_FROM_CLAIM) != 0));
    g->twice = (uint8_t)billed_twice(g);
    if (g->twice != twice)
        retally(w, g, twice, g->open);
}

/* Counts every paid subscription of the tenant but `except` into its groups, from now on. */
static void count_tenant(model_world *w, uint32_t tenant, uint32_t except)
{
    w->dbl_ix->tally[tenant].mode = GROUPS;
    for (uint32_t i = w->tenants[tenant].first_sub; i != MODEL_NONE; i = w->subs[i].next_in_tenant)
        if (i != except && sub_is_paid(w->subs[i].state))
            add(w, i, +1);
}

static void count(model_world *w, uint32_t sub, int d)
{
    const sub_t *s = &w->subs[sub];
    if (!w->dbl_ix || !sub_is_paid(s->state))
        return;
    tally_t *ty = &w->dbl_ix->tally[s->tenant];
    if (ty->mode == GROUPS) {
        add(w, sub, d);
    } else if (d > 0 && ty->mode == NO_SOURCE) {
        ty->mode = ONE_SOURCE;
        ty->partner = s->partner;
        ty->channel = s->channel;
    } else if (d > 0 && (ty->partner != s->partner || ty->channel != s->channel)) {
        count_tenant(w, s->tenant, sub); /* a second source: count the tenant's groups */
        add(w, sub, +1);
    }
}

void dbl_leave(model_world *w, uint32_t sub)
{
    count(w, sub, -1);
}

void dbl_enter(model_world *w, uint32_t sub)
{
    count(w, sub, +1);
}

/* ---- the stretches ----------------------------------------------------------------------- */

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
        for (uint32_t i = w->tenants[d->tenant].first_sub; i != MODEL_NONE && n < sizeof r.detail;
             i = w->subs[i].next_in_tenant) {
            const sub_t *s = &w->subs[i];
            if (!sub_is_paid(s->state) || w->offers[s->offer].provisioning != d->provisioning)
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

static group_t *group_known(model_world *w, uint32_t tenant, uint32_t provisioning)
{
    group_t *g = group_of(w, tenant, provisioning); /* always known when a stretch is open */
    if (!g)
        w->failed = 1;
    return g;
}

static void close_stretch(model_world *w, size_t k, sim_time t, int emit)
{
    dbl_t d = w->dbls[k];
    int64_t days = t > d.since ? (t - d.since + SIM_DAY - 1) / SIM_DAY : 0;
    w->tenants[d.tenant].m.double_billing_days += days;
    w->tenants[d.tenant].dbl_open--;
    w->dbls[k] = w->dbls[--w->ndbls];
    group_t *g = w->dbl_ix ? group_known(w, d.tenant, d.provisioning) : NULL;
    if (g) {
        g->open = 0;
        retally(w, g, g->twice, 1);
    }
    if (emit)
        emit_stretch(w, t, MODEL_KIND_DOUBLE_BILLING_ENDED, &d, days);
}

static void weigh(model_world *w, uint32_t tenant, sim_time t, int emit)
{
    struct dbl_index *x = w->dbl_ix;
    tally_t *ty = &x->tally[tenant];
    /* close the stretches that no longer hold, by provisioning id: not in the order of the
     * table, which other tenants' removals shuffle (the records must not depend on them) */
    while (ty->gone > 0) {
        size_t best = w->ndbls;
        for (size_t k = 0; k < w->ndbls; k++) {
            const dbl_t *d = &w->dbls[k];
            group_t *g = d->tenant == tenant ? group_known(w, tenant, d->provisioning) : NULL;
            if (w->failed)
                return;
            if (g && !g->twice && (best == w->ndbls || d->provisioning < w->dbls[best].provisioning))
                best = k;
        }
        if (best == w->ndbls)
            break;
        close_stretch(w, best, t, emit);
    }
    if (ty->want == 0)
        return;
    /* open the new ones, in the order of the tenant's first paid subscription of each; each
     * names its group's paid subscription whose state changed latest (the later one on a tie) */
    uint32_t scan = ++x->scan;
    for (int pass = 0; pass < 2 && ty->want > 0; pass++) {
        for (uint32_t i = w->tenants[tenant].first_sub; i != MODEL_NONE && ty->want > 0; i = w->subs[i].next_in_tenant) {
            const sub_t *s = &w->subs[i];
            if (!sub_is_paid(s->state))
                continue;
            uint32_t p = w->offers[s->offer].provisioning;
            group_t *g = group_known(w, tenant, p);
            if (!g)
                return;
            if (!g->twice || g->open)
                continue;
            if (pass == 0) {
                if (g->scan != scan || s->since >= g->last_since) {
                    g->scan = scan;
                    g->last = i;
                    g->last_since = s->since;
                }
                continue;
            }
            if (store_grow((void **)&w->dbls, &w->cap_dbls, w->ndbls, sizeof *w->dbls)) {
                w->failed = 1;
                return;
            }
            uint32_t last = g->last;
            dbl_t *d = &w->dbls[w->ndbls++];
            sim_time since = t; /* a claim's subscription is billed from its term start, E (EA-4) */
            if ((w->subs[last].flags & SUBF_FROM_CLAIM) && sub_term_start(&w->subs[last]) < t)
                since = sub_term_start(&w->subs[last]);
            model_rule rule = g->ea && g->claimed ? MODEL_RULE_EA_5 : MODEL_RULE_MIG_1;
            *d = (dbl_t){tenant, p, last, rule, since};
            w->tenants[tenant].dbl_open++;
            g->open = 1;
            retally(w, g, 1, 0);
            if (emit)
                emit_stretch(w, t, MODEL_KIND_DOUBLE_BILLING_STARTED, d, 0);
        }
    }
}

void dbl_flush(model_world *w, sim_time t)
{
    uint32_t tenant = w->dbl_dirty;
    if (tenant == MODEL_NONE)
        return;
    w->dbl_dirty = MODEL_NONE;
    if (w->dbl_ix)
        weigh(w, tenant, t, 1);
#ifdef DBL_VERIFY /* make CFLAGS=-DDBL_VERIFY: the recount after every step (quadratic) */
    if (!dbl_counts_hold(w))
        abort();
#endif
}

void dbl_start(model_world *w)
{
    w->dbl_dirty = MODEL_NONE;
    dbl_free(w);
    w->dbl_ix = calloc(1, sizeof *w->dbl_ix);
    if (w->dbl_ix)
        w->dbl_ix->tally = calloc(w->ntenants ? w->ntenants : 1, sizeof *w->dbl_ix->tally);
    if (!w->dbl_ix || !w->dbl_ix->tally) {
        dbl_free(w);
        w->failed = 1;
        return;
    }
    for (uint32_t i = 0; i < w->ntenants; i++) {
        const sub_t *one = NULL; /* the first paid one: do all come from its source? */
        int several = 0;
        for (uint32_t j = w->tenants[i].first_sub; j != MODEL_NONE && !several; j = w->subs[j].next_in_tenant) {
            const sub_t *s = &w->subs[j];
            if (!sub_is_paid(s->state))
                continue;
            if (!one)
                one = s;
            several = source_of(s) != source_of(one);
        }
        if (several)
            count_tenant(w, i, MODEL_NONE);
        else if (one)
            w->dbl_ix->tally[i] = (tally_t){0, 0, one->partner, one->channel, ONE_SOURCE};
    }
    for (uint32_t i = 0; i < w->ntenants && !w->failed; i++) {
        w->step_group = store_group(i); /* model_step_key: each tenant's records its own group */
        weigh(w, i, w->start, 1);
    }
}

void dbl_finish(model_world *w)
{
    dbl_flush(w, w->end);
    while (w->ndbls > 0)
        close_stretch(w, w->ndbls - 1, w->end, 0);
}

void dbl_free(model_world *w)
{
    struct dbl_index *x = w->dbl_ix;
    if (!x)
        return;
    free(x->groups.v);
    free(x->sources.v);
    free(x->g);
    free(x->paid);
    free(x->tally);
    free(x);
    w->dbl_ix = NULL;
}

/* memcpy, memset and memcmp of n bytes that take NULL when n is 0 (an empty table) */
static void copy(void *d, const void *v, size_t n)
{
    if (n)
        memcpy(d, v, n);
}

static int same(const void *a, const void *b, size_t n)
{
    return n == 0 || memcmp(a, b, n) == 0;
}

int dbl_counts_hold(model_world *w)
{
    struct dbl_index *x = w->dbl_ix;
    if (!x)
        return 1;
    /* recount every group from scratch into a copy, and compare */
    size_t ng = x->ng;
    group_t *saved = malloc(ng ? ng * sizeof *saved : 1);
    if (!saved)
        return 1; /* cannot check: not a breach */
    copy(saved, x->g, ng * sizeof *saved);
    uint32_t *paid = malloc(x->np ? x->np * sizeof *paid : 1);
    if (!paid) {
        free(saved);
        return 1;
    }
    copy(paid, x->paid, x->np * sizeof *paid);
    tally_t *tally = malloc((w->ntenants ? w->ntenants : 1) * sizeof *tally);
    if (!tally) {
        free(saved);
        free(paid);
        return 1;
    }
    copy(tally, x->tally, w->ntenants * sizeof *tally);
    for (size_t i = 0; i < ng; i++) {
        x->g[i].leaving = x->g[i].ea = x->g[i].claimed = x->g[i].sources = 0;
        x->g[i].twice = 0;
    }
    for (size_t i = 0; i < x->np; i++)
        x->paid[i] = 0;
    for (size_t i = 0; i < w->ntenants; i++)
        x->tally[i].want = x->tally[i].gone = 0;
    for (size_t i = 0; i < ng; i++) /* open stretches with nothing paid: gone */
        x->tally[x->g[i].tenant].gone += x->g[i].open;
    int ok = 1;
    for (uint32_t i = 0; i < w->nsubs; i++) {
        const sub_t *s = &w->subs[i];
        const tally_t *ty = &x->tally[s->tenant];
        if (!sub_is_paid(s->state) || ty->mode == NO_SOURCE)
            ok &= !sub_is_paid(s->state); /* no source yet: nothing paid */
        else if (ty->mode == ONE_SOURCE)
            ok &= ty->partner == s->partner && ty->channel == s->channel;
        else
            add(w, i, +1);
    }
    ok = ok && x->ng == ng && same(paid, x->paid, x->np * sizeof *paid) &&
             same(tally, x->tally, w->ntenants * sizeof *tally);
    for (size_t i = 0; ok && i < ng; i++)
        ok = saved[i].leaving == x->g[i].leaving && saved[i].ea == x->g[i].ea && saved[i].claimed == x->g[i].claimed &&
             saved[i].sources == x->g[i].sources && saved[i].twice == x->g[i].twice && saved[i].open == x->g[i].open;
    free(saved);
    free(paid);
    free(tally);
    return ok;
}
