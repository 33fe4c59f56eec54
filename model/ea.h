/* model/ea.h - EA renewals claimed into CSP (EA-1..EA-6): the claim's window, its
 * placement and processing, and agreement renewals. The claim's checks are rows of the
 * action table in actions.c; its processing timer arrives through dispatch.c. */
#ifndef MODEL_EA_H
#define MODEL_EA_H

#include "store.h"

/* E: 00:00 after the agreement's end date of an EA subscription. */
sim_time ea_end(const model_world *w, uint32_t ea_sub);
/* EA-1's window: E - ea_lookahead <= t < E + ea_lookback. */
int ea_in_window(const model_world *w, uint32_t ea_sub, sim_time t);
/* The claim's subscription holding ea_sub, or MODEL_NONE. */
uint32_t ea_holder(model_world *w, uint32_t ea_sub);
/* Places (or edits) a's claim on ea_sub, to create `sub` when processed (EA-3). */
void claim_place(model_world *w, uint32_t ea_sub, uint32_t sub, const model_action *a, sim_time t);
void claim_withdraw(model_world *w, uint32_t ea_sub);
/* The claim that creates sub is due at t: LIM-1, then the subscription (EA-3, EA-4). */
void claim_process(model_world *w, uint32_t sub, sim_time t);
/* The agreement now ends at `end` (00:00 after its new end date): its active EA
 * subscriptions stay active until then (EA-6). */
void ea_renew(model_world *w, uint32_t agreement, sim_time end, sim_time t);

#endif
