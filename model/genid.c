/* model/genid.c - labels of generated tenants and subscriptions from (group, index). */
#include "genid.h"

#include <stdlib.h>

int genid_begin(model_world *w, const char *prefix, uint32_t first_index)
{
    if (STORE_GROW(w, groups, ngroups, cap_groups))
        return -1;
    genid_group *g = &w->groups[w->ngroups++];
    g->prefix = prefix;
    g->first_tenant = (uint32_t)w->ntenants;
    g->first_sub = (uint32_t)w->nsubs;
    g->ntenants = 0;
    g->first_index = first_index;
    g->end_sub = g->first_sub;
    g->first = NULL;
    return 0;
}

void genid_end(model_world *w)
{
    genid_group *g = &w->groups[w->ngroups - 1];
    g->ntenants = (uint32_t)w->ntenants - g->first_tenant;
    g->end_sub = (uint32_t)w->nsubs;
    free(g->first);
    g->first = malloc(((size_t)g->ntenants + 1) * sizeof *g->first);
    if (!g->first)
        return; /* the labels fall back to the binary search */
    /* one merge of the tenants with their subscriptions, which are in tenant order */
    uint32_t s = g->first_sub;
    for (uint32_t k = 0; k < g->ntenants; k++) {
        while (s < g->end_sub && w->subs[s].tenant < g->first_tenant + k)
            s++;
        g->first[k] = s;
    }
    g->first[g->ntenants] = g->end_sub;
}

void genid_free(model_world *w)
{
    for (size_t i = 0; i < w->ngroups; i++)
        free(w->groups[i].first);
    free(w->groups);
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

/* Appends s / the decimal v to buf[0..n), cut at MODEL_LABEL_BUF - 1 bytes as snprintf
 * would cut "%s-%u.s%u"; returns the new length. */
static size_t put_str(char *buf, size_t n, const char *s)
{
    while (*s && n < MODEL_LABEL_BUF - 1)
        buf[n++] = *s++;
    return n;
}

static size_t put_uint(char *buf, size_t n, uint32_t v)
{
    char d[11];
    size_t i = sizeof d;
    d[--i] = '\0';
    do
        d[--i] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    return put_str(buf, n, d + i);
}

const char *genid_tenant_label(const model_world *w, uint32_t tenant, char buf[MODEL_LABEL_BUF])
{
    uint32_t g = genid_group_of(w, tenant);
    if (g == MODEL_NONE)
        return NULL;
    size_t n = put_str(buf, 0, w->groups[g].prefix);
    n = put_str(buf, n, "-");
    n = put_uint(buf, n, w->groups[g].first_index + (tenant - w->groups[g].first_tenant) + 1);
    buf[n] = '\0';
    return buf;
}

/* The first generated subscription of s's tenant, by binary search over [first_sub, sub]
 * (sorted by tenant): without an index. */
static uint32_t first_by_search(const model_world *w, const genid_group *gr, uint32_t sub)
{
    uint32_t tenant = w->subs[sub].tenant, lo = gr->first_sub, hi = sub;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (w->subs[mid].tenant < tenant)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
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
    uint32_t k = s->tenant - gr->first_tenant;
    uint32_t first = gr->first ? gr->first[k] : first_by_search(w, gr, sub);
    size_t n = put_str(buf, 0, gr->prefix);
    n = put_str(buf, n, "-");
    n = put_uint(buf, n, gr->first_index + k + 1);
    n = put_str(buf, n, ".s");
    n = put_uint(buf, n, sub - first + 1);
    buf[n] = '\0';
    return buf;
}

char *genid_ring(const model_world *w)
{
    model_world *m = (model_world *)w; /* the world is never defined const: it is malloc'ed */
    return m->labels[m->nlabel++ % 4];
}
