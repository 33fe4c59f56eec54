/* model/overlap.h - double billing (MIG-1, EA-5): stretches in which a tenant pays two
 * sources for one service, weighed after each step for the tenant whose paid subscriptions
 * changed. */
#ifndef MODEL_OVERLAP_H
#define MODEL_OVERLAP_H

#include "store.h"

/* The tenant's paid subscriptions changed at t; weighed after the step (dbl_flush). */
void dbl_mark(model_world *w, uint32_t tenant, sim_time t);
void dbl_flush(model_world *w, sim_time t);
/* Weighs every tenant (at the start), and closes every open stretch at the end. */
void dbl_start(model_world *w);
void dbl_finish(model_world *w);

#endif
