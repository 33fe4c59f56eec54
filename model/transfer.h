/* model/transfer.h - partner-to-partner transfers (XFER-1): request, acceptance (all or
 * some subscriptions), rejection and expiry. The checks are rows of actions.c's table. */
#ifndef MODEL_TRANSFER_H
#define MODEL_TRANSFER_H

#include "store.h"

void transfer_request(model_world *w, uint32_t transfer, sim_time t);
/* Creates the accepted subscriptions at the target, then ends the sources (subs NULL: all). */
void transfer_accept(model_world *w, uint32_t transfer, const uint32_t *subs, size_t n, sim_time t);
void transfer_close(model_world *w, uint32_t transfer, int state);
/* The expiry timer of the request numbered gen. */
void transfer_on_timer(model_world *w, uint32_t transfer, uint32_t gen, sim_time t);

#endif
