/* model/behaviour.h - behaviours: reactions of customers and partners to trace records
 * (EXPERIMENTS.md "behaviours"). When a record of kind `on` is emitted (for `on: action`, an
 * action record with the given action kind, outcome and reason), each behaviour whose filters
 * match fires with probability p; its action is scheduled at the record's time + `after` and
 * then runs as an ordinary action: the same checks, refusals and trace as a scripted one, with
 * `behaviour=NAME` first in its record's detail.
 *
 * Ownership: the behaviour table is plain data the caller fills (cli/behaviour.c) and keeps
 * alive with the world (names, distributions' arrays borrowed); model_set_behaviours copies
 * the table's entries and keeps the pending reactions, freed with the world.
 * Pure, like the rest of model/.
 *
 * Cost when there are none: records are built only when a sink or behaviours want them
 * (emit.h's rec_skip is one test of one flag), and rec_emit makes one test of a hook pointer.
 *
 * Random draws do not come from the world's shared stream, whose order would tie the results
 * to how tenants are interleaved (and split across threads later). Each decision (one behaviour
 * matching one record) has its own PCG32 stream, seeded by SplitMix64 of (run seed,
 * replication, tenant index, the tenant's decision counter): a counter-based draw. From that
 * stream come, in order, the uniform for p, the `after` delay and, when the action runs, the
 * drawn values of `do` (licenses, delta). A record about no tenant uses the counter of a
 * tenant index past the table (UINT32_MAX).
 *
 * Runaway loops: a reaction started by a record that a reaction caused is one link further in
 * its chain; a chain is cut after MODEL_BEHAV_CHAIN_MAX links and the records of one tenant
 * schedule at most MODEL_BEHAV_REACTIONS_MAX reactions in a run (per tenant, so that a tenant's
 * outcomes never depend on the other tenants a world holds); what is cut is counted
 * (model_behaviour_dropped), never simulated. Loaders also refuse a behaviour that would trigger itself at once and always
 * (p = 1, after = 0, an action that emits its own trigger: model_behaviour_self_triggers).
 * Timers their actions start (a purchased subscription's expiry) begin a new chain.
 */
#ifndef MODEL_BEHAVIOUR_H
#define MODEL_BEHAVIOUR_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* Links in one chain of reactions caused at once by one another (a reacted action's records
 * triggering the next reaction): past it the reaction is dropped. */
#define MODEL_BEHAV_CHAIN_MAX 16
/* Reactions scheduled in one run for the records of one tenant (records about no tenant
 * count as one more tenant), all behaviours together: past it they are dropped. */
#define MODEL_BEHAV_REACTIONS_MAX 1000000u
/* Behaviours in one world. */
#define MODEL_BEHAV_MAX 1000

/* Fields of the action a behaviour does. Each is given in the template (fixed), copied from
 * the subscription (tenant, partner) the record is about (`same`), or, for tenant, partner
 * and subscription when the action takes them and `do` leaves them out, the record's. */
enum {
    BEHAV_F_TENANT = 1u << 0,
    BEHAV_F_PARTNER = 1u << 1,
    BEHAV_F_SUBSCRIPTION = 1u << 2,
    BEHAV_F_OFFER = 1u << 3,
    BEHAV_F_LICENSES = 1u << 4,
    BEHAV_F_TERM = 1u << 5,
    BEHAV_F_BILLING = 1u << 6,
    BEHAV_F_AUTORENEW = 1u << 7,
};
/* The fields `same` can copy that exist only on a subscription. */
#define BEHAV_F_OF_SUB (BEHAV_F_SUBSCRIPTION | BEHAV_F_OFFER | BEHAV_F_LICENSES | BEHAV_F_TERM | BEHAV_F_BILLING | BEHAV_F_AUTORENEW)

typedef struct {
    const char *name;
    /* trigger */
    model_kind on;
    int action;            /* on: action: the action kind, or -1 for any */
    model_outcome outcome; /* on: action: MODEL_OUTCOME_NONE for any */
    model_reason reason;   /* on: action: MODEL_REASON_NONE for any */
    /* where: MODEL_NONE (channel -1) for no filter */
    uint32_t group, tenant, offer, partner;
    int channel;
    double p;       /* in [0, 1] */
    sim_dist after; /* seconds after the record */
    /* do */
    model_action act; /* the fixed values; detail: the fixed keys' text, after behaviour=NAME */
    unsigned takes;   /* BEHAV_F_TENANT/PARTNER/SUBSCRIPTION: the action takes them */
    unsigned same;    /* BEHAV_F_*: copied from the record's subscription, tenant or partner */
    int auto_id;      /* new_subscription: a fresh subscription, labelled TENANT.rN */
    int has_licenses_dist, has_delta_dist;
    sim_dist licenses_dist, delta_dist; /* drawn when the action runs */
} model_behaviour;

/* Sets the world's behaviours (copied; call before the run, at most once). -1 when memory
 * ran out or n is past MODEL_BEHAV_MAX. */
int model_set_behaviours(model_world *w, const model_behaviour *b, size_t n);

/* Reactions cut by the chain or run limit, and reactions that ran. */
uint64_t model_behaviour_dropped(const model_world *w);
uint64_t model_behaviour_reactions(const model_world *w);

/* 1 when the action kind `act` emits, in its own step, a record that trigger (on, action,
 * outcome) matches: with p = 1 and after = 0 such a behaviour would trigger itself without end. */
int model_behaviour_self_triggers(const model_behaviour *b);

/* 1 when records of kind k always name a subscription (for `on: action`, of action kind
 * `action`, -1: any), so `same` on a subscription field has something to copy. */
int model_kind_has_subscription(model_kind k, int action);

/* ---- inside the model (store.h's world) ---- */

/* Runs the reaction in pending slot `slot` at t (dispatch.c, for a TIMER_BEHAV event): builds
 * its action (same values, drawn values, an auto id) and applies it like a scripted one. */
void behav_fire(model_world *w, uint32_t slot, sim_time t);
/* Frees the behaviours' state (model_world_free). */
void behav_free(model_world *w);

#endif
