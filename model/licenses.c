/* model/licenses.c - SUB-6 and SUB-7: license tranches and the update count.
 *
 * Every addition of licenses opens its own reduce window: the licenses a term opened with
 * (purchase, renewal, conversion) form one tranche, each mid-term increase another. A
 * decrease may take only licenses whose tranche is still inside its window; it takes the
 * newest first. Tranches live in the subscription's ext record, made on the first change of
 * a term; an untouched subscription carries none (base_left < 0 means "all its licenses"). */
#include "licenses.h"

#include <stdlib.h>

void licenses_new_term(model_world *w, uint32_t sub)
{
    ext_t *e = sub_ext_if(w, sub);
    if (e) {
        e->ntr = 0;
        e->base_left = -1;
    }
}

static sim_time base_until(const model_world *w, const sub_t *s)
{
    return sim_add_duration(s->opened, PARAM_AT(w, reduce_window, s->opened)); /* as when the term began */
}

int32_t licenses_reducible(model_world *w, uint32_t sub, sim_time t)
{
    const sub_t *s = &w->subs[sub];
    const ext_t *e = sub_ext_if(w, sub);
    int32_t n = 0;
    if (base_until(w, s) > t) /* untouched this term: every license is the opening tranche */
        n += e && e->base_left >= 0 ? e->base_left : s->licenses;
    for (uint32_t i = 0; e && i < e->ntr; i++)
        if (e->tr[i].until > t)
            n += e->tr[i].licenses;
    return n;
}

/* Makes the opening tranche explicit before the first change of a term. */
static ext_t *touch(model_world *w, uint32_t sub)
{
    ext_t *e = sub_ext(w, sub);
    if (e && e->base_left < 0)
        e->base_left = w->subs[sub].licenses;
    return e;
}

int licenses_add(model_world *w, uint32_t sub, int32_t n, sim_time t)
{
    ext_t *e = touch(w, sub);
    if (!e)
        return -1;
    uint32_t k = 0; /* drop the tranches whose window closed: they can never be reduced */
    for (uint32_t i = 0; i < e->ntr; i++)
        if (e->tr[i].until > t)
            e->tr[k++] = e->tr[i];
    e->ntr = k;
    if (e->ntr == e->cap) {
        uint32_t cap = e->cap ? e->cap * 2 : 4;
        tranche_t *tr = realloc(e->tr, cap * sizeof *tr);
        if (!tr) {
            w->failed = 1;
            return -1;
        }
        e->tr = tr;
        e->cap = cap;
    }
    e->tr[e->ntr++] = (tranche_t){sim_add_duration(t, w->params.reduce_window), n};
    w->subs[sub].licenses += n;
    return 0;
}

void licenses_remove(model_world *w, uint32_t sub, int32_t n, sim_time t, int open_only)
{
    ext_t *e = touch(w, sub);
    sub_t *s = &w->subs[sub];
    s->licenses -= n;
    if (!e)
        return;
    for (uint32_t i = e->ntr; i-- > 0 && n > 0;) {
        if (open_only && e->tr[i].until <= t)
            continue;
        int32_t take = e->tr[i].licenses < n ? e->tr[i].licenses : n;
        e->tr[i].licenses -= take;
        n -= take;
    }
    int32_t take = e->base_left < n ? e->base_left : n;
    if (open_only && base_until(w, s) <= t)
        take = 0;
    e->base_left -= take;
    n -= take;
    /* a move without window check (SUB-9) may take licenses of closed tranches: nothing to keep */
    if (e->base_left > s->licenses)
        e->base_left = s->licenses;
}
