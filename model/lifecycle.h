/* model/lifecycle.h - a subscription's life: its state changes (every one goes through
 * sub_set_state), its terms and its one lifecycle timer (SUB-1 terms, SUB-2 window close,
 * SUB-3 renewal, SUB-4 expiry, SUB-5 suspended at term end, SUB-8 trial end, EA-6). The
 * state machine itself is states.h's; what a timer of a subscription not yet created does
 * (an EA claim) is the dispatcher's (dispatch.c). */
#ifndef MODEL_LIFECYCLE_H
#define MODEL_LIFECYCLE_H

#include "store.h"

/* Moves sub to `state` at t: the tenant's live count (LIM-1), interruption time, double
 * billing's mark, and (invariants on) the first illegal transition of the step. */
void sub_set_state(model_world *w, uint32_t sub, int state, sim_time t);
/* (Re)files the subscription's one timer at the next deadline its state gives. */
void sub_schedule(model_world *w, uint32_t sub);
/* One step of the subscription's due lifecycle work at t: 1 when something was done, 0
 * when nothing is due. A subscription in state none has no lifecycle work (0). */
int sub_step(model_world *w, uint32_t sub, sim_time t);
/* How a term begins: charge its first billing period at once; prorate that period from the
 * day of opening (a term joined mid-period); open a cancel window (SUB-2, CSP only). */
enum { TERM_CHARGE = 1u, TERM_PRORATE = 2u, TERM_WINDOW = 4u };
/* Starts the term that begins term_index months after the anchor: its end, the window from
 * opened_at, the license tranches, billing from its first period. */
void sub_begin_term(model_world *w, uint32_t sub, sim_time opened_at, unsigned how);
/* The same, the term served from `from` on (not before its calendar start): a renewed or
 * converted term whose scheduled alignment made it start earlier is prorated from there. */
void sub_begin_term_from(model_world *w, uint32_t sub, sim_time opened_at, sim_time from, unsigned how);
/* Adds the interruption of a suspended or disabled sub up to t to its tenant. */
void sub_close_interruption(model_world *w, uint32_t sub, sim_time t);

#endif
