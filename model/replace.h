/* model/replace.h - SUB-12: what a deletion costs (data kept, licenses reassigned, data lost). */
#ifndef MODEL_REPLACE_H
#define MODEL_REPLACE_H

#include "store.h"

/* Weighs sub's deletion at t, at phase 1 of that instant (after its state changes). */
void replace_on_deleted(model_world *w, uint32_t sub, sim_time t);

#endif
