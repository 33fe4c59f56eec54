/* model/union.c - the union world over shards (see union.h): the global numbering of tenants
 * and subscriptions, the hook through which world.c's accessors reach the shards, and the
 * translation of the shards' records into the union's numbering. */
#include "union.h"
#include "store.h"

#include <stdlib.h>
#include <string.h>

/* A subscription made by a shard after the union: where its global number points back to. */
typedef struct {
    uint32_t shard, local;
} later_t;

/* A shard's subscriptions made after the union: later[k] is the global index of local
 * nsubs_j + k, MODEL_NONE until its first mention. */
typedef struct {
    uint32_t *later;
    size_t nlater, cap;
    uint64_t last_local, last_union; /* the seq of its last translated record, and the union's */
} shard_map;

struct model_union {
    model_world world; /* first: the union world (ntenants, nsubs, seq, labels, uni) */
    model_world **shards;
    size_t n;
    uint32_t *tb;      /* n + 1: tenant bases, the total last */
    /* Subscriptions existing at the union's making: shard j's locals [0, tail_j) are global
     * [ha[j], ...) (the hand-written and generated ones, shard after shard), its locals
     * [tail_j, nsub_j) global [hb[j], ...) (those events declare: after every shard's first
     * part, as one world numbers them); ha[n] = hb[0], hb[n] = the static total. */
    uint32_t *ha, *hb, *tail, *nsub;
    shard_map *map;    /* n */
    later_t *back;     /* global sb[n] + k -> (shard, local) */
    size_t nback, cap_back;
};

static model_union *of(const model_world *w)
{
    return (model_union *)w; /* the world is the union's first member, never defined const */
}

/* The shard j holding global index g of bases b[0..n] (b[j] <= g < b[j + 1]). */
static size_t shard_of(const uint32_t *b, size_t n, uint32_t g)
{
    size_t lo = 0, hi = n; /* the last j with b[j] <= g */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (b[mid] <= g)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* The global index of shard j's subscription `local` existing at the union's making, or
 * MODEL_NONE for a later one. */
static uint32_t static_sub(const model_union *u, size_t j, uint32_t local)
{
    if (local < u->tail[j])
        return u->ha[j] + local;
    return local < u->nsub[j] ? u->hb[j] + (local - u->tail[j]) : MODEL_NONE;
}

/* The hook (store.h): the shard answering *index of space, *index made local. An index past
 * the union answers MODEL_NONE in shard 0, which every bounds check refuses. */
static const model_world *resolve(const model_world *w, int space, uint32_t *index)
{
    model_union *u = of(w);
    uint32_t g = *index;
    size_t j;
    switch (space) {
    case UNION_SHARD:
        return g < u->n ? u->shards[g] : NULL;
    case UNION_TENANT:
        if (g >= u->tb[u->n])
            break;
        j = shard_of(u->tb, u->n, g);
        *index = g - u->tb[j];
        return u->shards[j];
    case UNION_SUB:
        if (g < u->ha[u->n]) {
            j = shard_of(u->ha, u->n, g);
            *index = g - u->ha[j];
            return u->shards[j];
        }
        if (g < u->hb[u->n]) {
            j = shard_of(u->hb, u->n, g);
            *index = u->tail[j] + (g - u->hb[j]);
            return u->shards[j];
        }
        if (g - u->hb[u->n] >= u->nback)
            break;
        *index = u->back[g - u->hb[u->n]].local;
        return u->shards[u->back[g - u->hb[u->n]].shard];
    case UNION_BREACH:
        for (j = 0; j < u->n; j++) {
            const model_world *s = u->shards[j];
            if (!s->broken)
                continue;
            model_breach *b = &u->world.breach;
            *b = s->breach;
            uint32_t sub = b->subscription;
            b->subscription = MODEL_NONE;
            if (sub != MODEL_NONE)
                b->subscription = static_sub(u, j, sub);
            if (sub != MODEL_NONE && sub >= u->nsub[j] && sub - u->nsub[j] < u->map[j].nlater)
                b->subscription = u->map[j].later[sub - u->nsub[j]];
            if (b->after_record == u->map[j].last_local && u->map[j].last_local)
                b->after_record = u->map[j].last_union;
            u->world.broken = 1;
            return w;
        }
        return w; /* not broken: the union's broken stays 0 */
    default:
        return u->shards[0]; /* UNION_CATALOG */
    }
    *index = MODEL_NONE;
    return u->shards[0];
}

model_union *model_union_new(model_world *const *shards, const size_t *tails, size_t n)
{
    if (n == 0 || n >= MODEL_NONE)
        return NULL;
    model_union *u = calloc(1, sizeof *u);
    if (!u)
        return NULL;
    u->shards = malloc(n * sizeof *u->shards);
    u->tb = malloc((n + 1) * sizeof *u->tb);
    u->ha = malloc((n + 1) * sizeof *u->ha);
    u->hb = malloc((n + 1) * sizeof *u->hb);
    u->tail = malloc(n * sizeof *u->tail);
    u->nsub = malloc(n * sizeof *u->nsub);
    u->map = calloc(n, sizeof *u->map);
    if (!u->shards || !u->tb || !u->ha || !u->hb || !u->tail || !u->nsub || !u->map)
        goto fail;
    uint64_t nt = 0, ns = 0, na = 0;
    for (size_t j = 0; j < n; j++) {
        u->shards[j] = shards[j];
        u->tb[j] = (uint32_t)nt;
        nt += shards[j]->ntenants;
        ns += shards[j]->nsubs;
        if (nt >= MODEL_NONE || ns >= MODEL_NONE)
            goto fail; /* a global index must fit, MODEL_NONE apart */
        u->nsub[j] = (uint32_t)shards[j]->nsubs;
        u->tail[j] = tails && tails[j] < shards[j]->nsubs ? (uint32_t)tails[j] : u->nsub[j];
        u->ha[j] = (uint32_t)na;
        na += u->tail[j];
    }
    u->ha[n] = (uint32_t)na;
    for (size_t j = 0; j < n; j++) {
        u->hb[j] = (uint32_t)na;
        na += u->nsub[j] - u->tail[j];
    }
    u->hb[n] = (uint32_t)na;
    u->tb[n] = (uint32_t)nt;
    u->n = n;
    u->world.ntenants = (size_t)nt;
    u->world.nsubs = (size_t)ns;
    u->world.uni = resolve;
    return u;
fail:
    model_union_free(u);
    return NULL;
}

const model_world *model_union_world(const model_union *u)
{
    return &u->world;
}

/* The global index of shard j's subscription `local`, numbering it at its first mention.
 * MODEL_NONE when memory ran out (nothing changed). */
static uint32_t global_sub(model_union *u, size_t j, uint32_t local)
{
    uint32_t first = u->nsub[j];
    if (local < first)
        return static_sub(u, j, local);
    shard_map *m = &u->map[j];
    size_t k = local - first;
    if (k < m->nlater && m->later[k] != MODEL_NONE)
        return m->later[k];
    if (u->world.nsubs >= MODEL_NONE)
        return MODEL_NONE; /* a global index must not be MODEL_NONE */
    if (k >= m->cap) { /* room for k in the shard's map, and for one more global entry */
        size_t cap = m->cap ? m->cap : 16;
        while (cap <= k)
            cap *= 2;
        uint32_t *v = realloc(m->later, cap * sizeof *v);
        if (!v)
            return MODEL_NONE;
        m->later = v;
        m->cap = cap;
    }
    if (u->nback == u->cap_back) {
        size_t cap = u->cap_back ? u->cap_back * 2 : 16;
        later_t *v = realloc(u->back, cap * sizeof *v);
        if (!v)
            return MODEL_NONE;
        u->back = v;
        u->cap_back = cap;
    }
    while (m->nlater <= k)
        m->later[m->nlater++] = MODEL_NONE;
    uint32_t g = (uint32_t)u->world.nsubs++;
    m->later[k] = g;
    u->back[u->nback++] = (later_t){(uint32_t)j, local};
    return g;
}

int model_union_translate(model_union *u, size_t shard, model_record *r)
{
    uint32_t sub = r->subscription;
    if (sub != MODEL_NONE && (sub = global_sub(u, shard, sub)) == MODEL_NONE)
        return -1;
    r->subscription = sub;
    if (r->tenant != MODEL_NONE)
        r->tenant += u->tb[shard];
    u->map[shard].last_local = r->seq;
    r->seq = ++u->world.seq; /* as rec_emit numbers a world's records (emit.c) */
    u->map[shard].last_union = r->seq;
    return 0;
}

void model_union_free(model_union *u)
{
    if (!u)
        return;
    if (u->map)
        for (size_t j = 0; j < u->n; j++)
            free(u->map[j].later);
    free(u->map);
    free(u->back);
    free(u->ha);
    free(u->hb);
    free(u->tail);
    free(u->nsub);
    free(u->tb);
    free(u->shards);
    free(u);
}
