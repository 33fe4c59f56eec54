/* model/states.h - the subscription state machine as data: which states are live (LIM-1)
 * and paid (SUB-5), and which transitions are legal. lifecycle.c performs the transitions
 * (sub_set_state checks each against this table when invariants are on); the rule modules
 * below the lifecycle (double billing, coterminous dates, replacement) read the predicates.
 * Pure: no world, no state kept. */
#ifndef MODEL_STATES_H
#define MODEL_STATES_H

#include "record.h"

/* Pending, trial, active or suspended: counts towards the tenant limit (LIM-1). */
int sub_is_live(int state);
/* Billed for: active or suspended (SUB-5), any channel. */
int sub_is_paid(int state);
/* Suspended or disabled: the customer has no access (interruption time). */
int sub_no_access(int state);
/* Whether from -> to is an edge of the state machine (RULES.md SUB-2..SUB-5, SUB-8, EA-6). */
int sub_transition_legal(int from, int to);

#endif
