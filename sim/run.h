/* sim/run.h - the run loop: merges the future-event list with the scripted actions.
 *
 * At one instant, steps run by group (the caller's key: events and script items carry one),
 * lower first; within a group, its system events (from the future-event list, in (phase,
 * insertion) order) run before its scripted ones; scripted ones run in their given order;
 * system events that a scripted action schedules at the same instant and group run before
 * the next scripted one. So the steps of one group come in the same order whatever other
 * groups there are: a run split by group, merged by (time, group), is the same sequence.
 * The loop owns nothing: the caller owns the list, the script and the handler's context.
 */
#ifndef SIM_RUN_H
#define SIM_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "fel.h"

typedef struct {
    sim_time time;
    uint32_t group; /* as an event's (fel.h) */
    uint32_t index; /* the caller's action index */
} sim_script_item;

typedef struct {
    void (*on_event)(void *ctx, const sim_event *e);
    void (*on_script)(void *ctx, const sim_script_item *it);
    /* optional: told of the event SIM_PREFETCH_AHEAD places ahead, to prefetch what it will
     * touch; with millions of entities visited in time order, most of a step is otherwise a
     * cache miss (measured with bench/: 290 -> 170 ns/event at 3 million subscriptions) */
    void (*prefetch)(void *ctx, const sim_event *ahead);
} sim_handler;

#define SIM_PREFETCH_AHEAD 16

typedef struct {
    sim_fel *fel;
    const sim_script_item *script; /* sorted by (time, group, index): sim_script_sort */
    size_t nscript, next;
    sim_time end;     /* the horizon: nothing after it runs */
    sim_time now;     /* the last instant processed */
    uint64_t events;  /* system events popped (stale ones included) */
    uint64_t actions; /* scripted actions run */
    int stop;         /* set by a handler to end the run after the current step */
} sim_run;

/* Sorts script items by (time, group, index): file order within a group at one instant. */
void sim_script_sort(sim_script_item *items, size_t n);

/* Runs every event and action at instants <= min(until, end). Returns 0, or -1 when
 * nothing is left to run (the list is empty and the script is done), or -2 when a handler
 * set `stop` (the run cannot go on). */
int sim_run_until(sim_run *r, sim_time until, const sim_handler *h, void *ctx);

/* The next instant that has something to run, or SIM_TIME_NEVER. */
sim_time sim_run_next(sim_run *r);

#endif
