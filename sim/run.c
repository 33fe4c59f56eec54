/* sim/run.c - the run loop (see run.h for the ordering contract). */
#include "run.h"

#include <stdlib.h>

static int cmp_item(const void *a, const void *b)
{
    const sim_script_item *x = a, *y = b;
    if (x->time != y->time)
        return x->time < y->time ? -1 : 1;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

void sim_script_sort(sim_script_item *items, size_t n)
{
    qsort(items, n, sizeof *items, cmp_item);
}

sim_time sim_run_next(sim_run *r)
{
    sim_event e;
    sim_time t = SIM_TIME_NEVER;
    if (sim_fel_peek(r->fel, &e) == 0)
        t = e.time;
    if (r->next < r->nscript && r->script[r->next].time < t)
        t = r->script[r->next].time;
    return t;
}

int sim_run_until(sim_run *r, sim_time until, const sim_handler *h, void *ctx)
{
    if (until > r->end)
        until = r->end;
    for (;;) {
        if (r->stop)
            return -2;
        sim_event e;
        int have = sim_fel_peek(r->fel, &e) == 0;
        int script = r->next < r->nscript;
        if (!have && !script)
            return -1;
        const sim_script_item *next = script ? &r->script[r->next] : NULL;
        /* an event runs before the next item of a later group, or of its own group */
        if (have && e.time <= until &&
            (!next || e.time < next->time || (e.time == next->time && sim_event_group(&e) <= next->group))) {
            sim_fel_pop(r->fel, &e);
            if (h->prefetch) {
                const sim_event *ahead = sim_fel_ahead(r->fel, SIM_PREFETCH_AHEAD);
                if (ahead)
                    h->prefetch(ctx, ahead);
            }
            r->now = e.time;
            r->events++;
            h->on_event(ctx, &e);
        } else if (script && r->script[r->next].time <= until) {
            const sim_script_item *it = &r->script[r->next++];
            r->now = it->time;
            r->actions++;
            h->on_script(ctx, it);
        } else {
            return 0;
        }
    }
}
