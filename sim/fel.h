/* sim/fel.h - the future-event list: pending system events ordered by (time, group, phase,
 * insertion).
 *
 * The group is the caller's coarse key at one instant (the model's: 0 for a global step, a
 * tenant's index + 1 otherwise), so that what belongs to one group keeps its own order
 * whatever other groups hold (a world split by group pops, per group, the same sequence).
 *
 * A calendar queue with one bucket per UTC day of the horizon. Pushing appends to the
 * day's bucket (O(1), no allocation per event once warm); reaching a day sorts its bucket
 * once: small buckets with qsort on the unique (time, order) key, large ones (from
 * COUNTING_SORT_MIN events, 300,000 on a busy day of a big population) with stable LSD radix
 * passes of at most 16 bits over the key (second of day, group, phase) relative to the day's
 * smallest, so one to three linear passes and no comparison sort; stability keeps insertion
 * order among equals. Events pushed into the day being processed go to a small binary heap
 * merged on pop. Equal inputs therefore pop in equal order on every machine: system order
 * is decided by (time, group, phase, insertion), never by heap accident.
 *
 * Why not one binary heap: with 10 million pending timers a heap pop walks 23 levels of a
 * 240 MB array, a cache miss per level; the day buckets touch memory sequentially.
 *
 * The list owns its memory; sim_fel_free releases it. Events later than `end` are dropped
 * (nothing after the horizon runs). Cancelling is the caller's business: tag events with a
 * generation and ignore stale ones when they pop (at most one live timer per entity).
 */
#ifndef SIM_FEL_H
#define SIM_FEL_H

#include <stddef.h>
#include <stdint.h>

#include "time.h"

#define SIM_PHASES 4u /* phases 0..3 at one instant, lower first */
/* Events one day's bucket holds, and pushes into the open day: past it a push fails (-1).
 * Insertion numbers take 29 bits of `order` (a bucket that full holds 12 GB). */
#define SIM_FEL_DAY_MAX (1u << 29)

typedef struct {
    sim_time time;
    /* group << 32 | phase << 30 | insertion number (29 bits, the 30th set for an event pushed
     * into the open day, which thus comes after the day's bucket among equals) */
    uint64_t order;
    uint32_t target; /* caller's entity index */
    uint32_t tag;    /* caller's kind and generation */
} sim_event;

typedef struct sim_fel sim_fel;

/* A list for events in [start, end]; NULL when out of memory or end < start. */
sim_fel *sim_fel_new(sim_time start, sim_time end);
void sim_fel_free(sim_fel *f);

/* Schedules an event of `group` (any value; lower first at one instant). Returns 0 when
 * queued, 1 when dropped because t > end, -1 when t is before the last popped event (time
 * never goes back), memory ran out or a day is full (SIM_FEL_DAY_MAX). */
int sim_fel_push(sim_fel *f, sim_time t, uint32_t group, unsigned phase, uint32_t target, uint32_t tag);

/* The next event without removing it; 0 when there is one, -1 when the list is empty. */
int sim_fel_peek(sim_fel *f, sim_event *out);
/* Removes and returns the next event; 0 or -1 as peek. */
int sim_fel_pop(sim_fel *f, sim_event *out);

/* The k-th next event of the current day's sorted run, or NULL: a hint for prefetching
 * (events pushed since the day was sorted are not seen). */
const sim_event *sim_fel_ahead(const sim_fel *f, size_t k);

/* Events queued and not yet popped (stale ones included). */
size_t sim_fel_size(const sim_fel *f);
/* Bytes held by the list, for memory reports. */
size_t sim_fel_bytes(const sim_fel *f);

static inline uint32_t sim_event_group(const sim_event *e)
{
    return (uint32_t)(e->order >> 32);
}

static inline unsigned sim_event_phase(const sim_event *e)
{
    return (unsigned)(e->order >> 30) & (SIM_PHASES - 1);
}

static inline int sim_event_before(const sim_event *a, const sim_event *b)
{
    return a->time < b->time || (a->time == b->time && a->order < b->order);
}

#endif
