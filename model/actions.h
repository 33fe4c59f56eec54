/* model/actions.h - scripted actions as rows of checks and an effect (actions.c), and the
 * relationship request's expiry timer. */
#ifndef MODEL_ACTIONS_H
#define MODEL_ACTIONS_H

#include "store.h"

/* Applies a at t: the first refusing check is recorded, else the effect; then the touched
 * subscriptions get their timers. */
void actions_apply(model_world *w, sim_time t, const model_action *a);
/* The group of a's step at one instant (store_group): the tenant it names, else the tenant
 * of the subscription, target, agreement or transfer it names; 0 (global) for none (set_rule). */
uint32_t actions_group(const model_world *w, const model_action *a);
/* A relationship request's expiry (REL-4), numbered gen. */
void rel_on_timer(model_world *w, uint32_t rel, uint32_t gen, sim_time t);

#endif
