/* model/store.c - the entity tables: growth (huge pages for large ones), model_reserve,
 * relationship look-ups and the chunked side records. No rule lives here. */
#include "store.h"

#include "genid.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Tables of millions of entities are visited in time order, that is at random: with 4 KiB
 * pages nearly every visit also misses the TLB. Large tables therefore ask for huge pages
 * (where the system offers them on request); measured with bench/ at 10 million
 * subscriptions. Small tables use plain realloc. */
#define HUGE_TABLE ((size_t)32 << 20)
#define HUGE_PAGE ((size_t)2 << 20)

static void *grow_block(void *old, size_t old_bytes, size_t bytes)
{
#ifdef MADV_HUGEPAGE
    if (bytes >= HUGE_TABLE) {
        void *p = NULL;
        bytes = (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
        if (posix_memalign(&p, HUGE_PAGE, bytes))
            return NULL;
        madvise(p, bytes, MADV_HUGEPAGE); /* advice only: failure is harmless */
        if (old)
            memcpy(p, old, old_bytes);
        free(old);
        return p;
    }
#endif
    (void)old_bytes;
    return realloc(old, bytes);
}

int store_grow(void **v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 16;
    void *p = grow_block(*v, *cap * size, c * size);
    if (!p)
        return -1;
    *v = p;
    *cap = c;
    return 0;
}

/* Makes room for at least n entries in one step (no doubling, no copy later). */
static int reserve(void **v, size_t *cap, size_t count, size_t n, size_t size)
{
    if (n <= *cap)
        return 0;
    void *p = grow_block(*v, count * size, n * size);
    if (!p)
        return -1;
    *v = p;
    *cap = n;
    return 0;
}

int model_reserve(model_world *w, size_t tenants, size_t subscriptions)
{
    return reserve((void **)&w->tenants, &w->cap_tenants, w->ntenants, tenants, sizeof *w->tenants) ||
                   reserve((void **)&w->subs, &w->cap_subs, w->nsubs, subscriptions, sizeof *w->subs)
               ? -1
               : 0;
}

void store_free(model_world *w)
{
    free(w->offers);
    free(w->partners);
    free(w->tenants);
    free(w->rels);
    free(w->subs);
    free(w->agreements);
    genid_free(w);
    for (size_t i = 0; i < w->nexts; i++)
        free(w->ext_chunks[i >> EXT_CHUNK_BITS][i & (EXT_CHUNK - 1)].tr);
    for (size_t c = 0; c < (w->nexts + EXT_CHUNK - 1) / EXT_CHUNK; c++)
        free(w->ext_chunks[c]);
    free(w->ext_chunks);
    free(w->transfers);
    free(w->dbls);
    free(w->changes);
}

sim_duration store_duration_at(const model_world *w, size_t offset, sim_time since)
{
    sim_duration v;
    memcpy(&v, (const char *)&w->params + offset, sizeof v);
    for (size_t i = w->nchanges; i-- > 0;) /* the earliest change after since is applied last */
        if (w->changes[i].offset == offset && w->changes[i].at > since)
            v = w->changes[i].old;
    return v;
}

rel_t *rel_find(model_world *w, uint32_t tenant, uint32_t partner)
{
    for (uint32_t r = w->tenants[tenant].first_rel; r != MODEL_NONE; r = w->rels[r].next_in_tenant)
        if (w->rels[r].partner == partner)
            return &w->rels[r];
    return NULL;
}

rel_t *rel_get(model_world *w, uint32_t tenant, uint32_t partner)
{
    rel_t *r = rel_find(w, tenant, partner);
    if (r)
        return r;
    if (STORE_GROW(w, rels, nrels, cap_rels))
        return NULL;
    uint32_t i = (uint32_t)w->nrels++;
    r = &w->rels[i];
    memset(r, 0, sizeof *r);
    r->tenant = tenant;
    r->partner = partner;
    r->state = REL_NONE;
    r->next_in_tenant = w->tenants[tenant].first_rel;
    w->tenants[tenant].first_rel = i;
    return r;
}

ext_t *sub_ext(model_world *w, uint32_t sub)
{
    sub_t *s = &w->subs[sub];
    if (s->ext != MODEL_NONE)
        return sub_ext_if(w, sub);
    if (w->nexts >= MODEL_NONE) {
        w->failed = 1;
        return NULL;
    }
    size_t chunk = w->nexts >> EXT_CHUNK_BITS;
    if ((w->nexts & (EXT_CHUNK - 1)) == 0) { /* the last chunk is full (or there is none) */
        if (store_grow((void **)&w->ext_chunks, &w->cap_ext_chunks, chunk, sizeof *w->ext_chunks) ||
            !(w->ext_chunks[chunk] = malloc(EXT_CHUNK * sizeof(ext_t)))) {
            w->failed = 1;
            return NULL;
        }
    }
    s->ext = (uint32_t)w->nexts++;
    ext_t *e = sub_ext_if(w, sub);
    *e = (ext_t){0};
    e->base_left = -1;
    e->s_offer = e->s_align = e->claim = e->align = e->transfer = e->reseller = MODEL_NONE;
    return e;
}

int store_set_reseller(model_world *w, uint32_t sub, uint32_t r)
{
    if (r == MODEL_NONE)
        return 0;
    ext_t *e = sub_ext(w, sub);
    if (!e)
        return -1;
    e->reseller = r;
    w->partners[r].r.subscriptions++;
    return 0;
}
