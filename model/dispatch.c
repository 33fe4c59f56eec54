/* model/dispatch.c - the run: each timer and each scripted action is one step, handed to the
 * module that owns it (a behaviour's reaction to behaviour.c), then weighed (double billing) and checked (invariants). This is the
 * top of the model: it calls the lifecycle, the claims, transfers, relationships and
 * replacement, and none of them calls back into it. Its interface is model.h's
 * model_run_until, model_next_instant, model_apply and model_finish. */
#include "actions.h"
#include "behaviour.h"
#include "ea.h"
#include "invariants.h"
#include "lifecycle.h"
#include "overlap.h"
#include "replace.h"
#include "store.h"
#include "transfer.h"

/* One step of a subscription's due work at t; 1 when something was done. A subscription in
 * state none with SUBF_CREATING is an EA claim whose processing completes at `opened`
 * (EA-3): processing creates it, after which its lifecycle takes over. */
static int sub_due(model_world *w, uint32_t sub, sim_time t)
{
    const sub_t *s = &w->subs[sub];
    if (s->state == MODEL_STATE_NONE) {
        if ((s->flags & SUBF_CREATING) && s->opened <= t) {
            claim_process(w, sub, t);
            return 1;
        }
        return 0;
    }
    return sub_step(w, sub, t);
}

static void sub_on_timer(model_world *w, uint32_t sub, sim_time t)
{
    /* each step moves a deadline past t or changes the state, so this ends; the bound only
     * guards against a parameter set that would loop (all durations zero) */
    for (int i = 0; i < 64 && sub_due(w, sub, t); i++)
        ;
    sub_schedule(w, sub);
}

/* After each step (one timer, one action): weigh double billing, check the invariants. */
static void after_step(model_world *w, sim_time t)
{
    if (w->dbl_dirty != MODEL_NONE)
        dbl_flush(w, t);
    if (w->invariants)
        invariants_after_step(w, t);
}

/* The key of the step about to run (model_step_key). */
static void step_begin(model_world *w, sim_time t, uint32_t group)
{
    w->step_time = t;
    w->step_group = group;
}

static void on_event(void *ctx, const sim_event *e)
{
    model_world *w = ctx;
    unsigned kind = e->tag & ((1u << TIMER_KIND_BITS) - 1);
    uint32_t gen = e->tag >> TIMER_KIND_BITS;
    step_begin(w, e->time, sim_event_group(e));
    w->global_steps += sim_event_group(e) == 0; /* in every shard: a union counts them once */
    switch (kind) {
    case TIMER_SUB:
        if (w->subs[e->target].gen == gen) {
            w->touched = e->target;
            sub_on_timer(w, e->target, e->time);
        }
        break;
    case TIMER_DATA:
        replace_on_deleted(w, e->target, e->time);
        break;
    case TIMER_REL:
        rel_on_timer(w, e->target, gen, e->time);
        break;
    case TIMER_XFER:
        transfer_on_timer(w, e->target, gen, e->time);
        break;
    case TIMER_BEHAV: /* a reacted action: one step like a scripted one */
        behav_fire(w, e->target, e->time);
        break;
    }
    after_step(w, e->time);
}

/* Fetches the subscription an upcoming timer will touch (its first two cache lines). */
static void prefetch(void *ctx, const sim_event *e)
{
    const model_world *w = ctx;
    unsigned kind = e->tag & ((1u << TIMER_KIND_BITS) - 1);
    if (kind == TIMER_REL || kind == TIMER_XFER || kind == TIMER_BEHAV)
        return;
    const sub_t *s = &w->subs[e->target];
    __builtin_prefetch(s);
    __builtin_prefetch((const char *)s + 64);
}

/* The first run (or applied action) weighs double billing at the start, when the sink is set:
 * a step before every instant's, key (start - 1, tenant's group), tenant by tenant. */
static void begin_run(model_world *w)
{
    if (w->started == 1) {
        w->started = 2;
        step_begin(w, w->start - 1, 0);
        dbl_start(w); /* subscriptions billed twice from the start on (MIG-1) */
    }
}

static void on_script(void *ctx, const sim_script_item *it)
{
    model_world *w = ctx;
    step_begin(w, it->time, it->group);
    w->global_steps += it->group == 0;
    actions_apply(w, it->time, &w->actions[it->index]);
    after_step(w, it->time);
}

int model_run_until(model_world *w, sim_time until)
{
    static const sim_handler h = {on_event, on_script, prefetch};
    begin_run(w);
    sim_run_until(&w->run, until, &h, w);
    return w->failed ? -1 : w->broken ? -2 : 0;
}

sim_time model_next_instant(model_world *w)
{
    sim_time t = sim_run_next(&w->run);
    return t > w->end ? SIM_TIME_NEVER : t;
}

void model_apply(model_world *w, sim_time t, const model_action *a)
{
    begin_run(w);
    step_begin(w, t, actions_group(w, a));
    actions_apply(w, t, a);
    after_step(w, t);
}

int model_finish(model_world *w)
{
    for (uint32_t i = 0; i < w->nsubs; i++)
        sub_close_interruption(w, i, w->end); /* no record */
    begin_run(w);
    /* the only records: the weighing of a step's tenant left pending (one tenant, one group) */
    step_begin(w, w->end, store_group(w->dbl_dirty));
    dbl_finish(w);
    if (w->invariants)
        invariants_at_finish(w);
    return w->broken ? -2 : 0;
}

