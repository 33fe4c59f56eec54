/* model/licenses.h - SUB-6 license tranches and their reduce windows, kept in the
 * subscription's side record (store.h). The checks that refuse a change are in actions.c. */
#ifndef MODEL_LICENSES_H
#define MODEL_LICENSES_H

#include "store.h"

/* A new term: every license is one opening tranche again. */
void licenses_new_term(model_world *w, uint32_t sub);
/* Licenses still inside the reduce window of their addition at t. */
int32_t licenses_reducible(model_world *w, uint32_t sub, sim_time t);
/* Adds n licenses as a tranche opened at t. -1 when memory ran out (w->failed set). */
int licenses_add(model_world *w, uint32_t sub, int32_t n, sim_time t);
/* Removes n licenses, newest tranche first (only open tranches when open_only is set). */
void licenses_remove(model_world *w, uint32_t sub, int32_t n, sim_time t, int open_only);

#endif
