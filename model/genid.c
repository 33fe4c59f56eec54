/* model/genid.c - labels of generated tenants and subscriptions from (group, index). */
#include "genid.h"

#include <stdio.h>
#include <stdlib.h>

int genid_begin(model_world *w, const char *prefix)
{
    if (STORE_GROW(w, groups, ngroups, cap_groups))
        return -1;
    genid_group *g = &w->groups[w->ngroups++];
    g->prefix = prefix;
    g->first_tenant = (uint32_t)w->ntenants;
    g->first_sub = (uint32_t)w->nsubs;
    g->ntenants = 0;
    g->end_sub = g->first_sub;
    return 0;
}

void genid_end(model_world *w)
{
    genid_group *g = &w->groups[w->ngroups - 1];
    g->ntenants = (uint32_t)w->ntenants - g->first_tenant;
    g->end_sub = (uint32_t)w->nsubs;
}

uint32_t genid_group_of(const model_world *w, uint32_t tenant)
{
    size_t lo = 0, hi = w->ngroups; /* groups are in tenant order: the last with first <= tenant */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (w->groups[mid].first_tenant <= tenant)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return MODEL_NONE;
    const genid_group *g = &w->groups[lo - 1];
    return tenant - g->first_tenant < g->ntenants && w->tenants[tenant].id == NULL ? (uint32_t)(lo - 1) : MODEL_NONE;
}

const char *genid_tenant_label(const model_world *w, uint32_t tenant, char buf[MODEL_LABEL_BUF])
{
    uint32_t g = genid_group_of(w, tenant);
    if (g == MODEL_NONE)
        return NULL;
    snprintf(buf, MODEL_LABEL_BUF, "%s-%u", w->groups[g].prefix, (unsigned)(tenant - w->groups[g].first_tenant + 1));
    return buf;
}

const char *genid_sub_label(const model_world *w, uint32_t sub, char buf[MODEL_LABEL_BUF])
{
    const sub_t *s = &w->subs[sub];
    if (s->id)
        return NULL;
    uint32_t g = genid_group_of(w, s->tenant);
    if (g == MODEL_NONE)
        return NULL;
    const genid_group *gr = &w->groups[g];
    if (sub < gr->first_sub || sub >= gr->end_sub)
        return NULL; /* made later (not generated): the caller's "s<index>" */
    uint32_t lo = gr->first_sub, hi = sub; /* the tenant's first subscription in the range */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (w->subs[mid].tenant < s->tenant)
            lo = mid + 1;
        else
            hi = mid;
    }
    snprintf(buf, MODEL_LABEL_BUF, "%s-%u.s%u", gr->prefix, (unsigned)(s->tenant - gr->first_tenant + 1),
             (unsigned)(sub - lo + 1));
    return buf;
}

char *genid_ring(const model_world *w)
{
    model_world *m = (model_world *)w; /* the world is never defined const: it is malloc'ed */
    return m->labels[m->nlabel++ % 4];
}
