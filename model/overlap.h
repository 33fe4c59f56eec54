/* model/overlap.h - double billing (MIG-1, EA-5): stretches in which a tenant pays two
 * sources for one service, weighed after each step for the tenant whose paid subscriptions
 * changed. */
#ifndef MODEL_OVERLAP_H
#define MODEL_OVERLAP_H

#include "store.h"

/* The tenant's paid subscriptions changed at t; weighed after the step (dbl_flush). */
void dbl_mark(model_world *w, uint32_t tenant, sim_time t);
void dbl_flush(model_world *w, sim_time t);
/* Weighs every tenant (at the start: the counters below are built then), and closes every
 * open stretch at the end. */
void dbl_start(model_world *w);
void dbl_finish(model_world *w);
/* Around every change of what double billing reads of a subscription after dbl_start (its
 * state, autorenew, offer, its agreement's renewal): dbl_leave before, dbl_enter after, so
 * that its group's counters stay exact. No-ops before dbl_start. */
void dbl_leave(model_world *w, uint32_t sub);
void dbl_enter(model_world *w, uint32_t sub);
/* Frees the counters (model_world_free). */
void dbl_free(model_world *w);
/* Whether the counters equal a recount from the subscriptions (the invariants, at the end). */
int dbl_counts_hold(model_world *w);

#endif
