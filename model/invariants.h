/* model/invariants.h - what must hold after every step, checked when asked (model.h's
 * model_check_invariants): the first breach stops the run. */
#ifndef MODEL_INVARIANTS_H
#define MODEL_INVARIANTS_H

#include "store.h"

/* Time, the step's state transition, the touched subscription's licenses and tenant limit. */
void invariants_after_step(model_world *w, sim_time t);
/* Money conserved: tenants, partners and the ledger agree. */
void invariants_at_finish(model_world *w);

#endif
