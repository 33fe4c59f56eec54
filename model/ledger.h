/* model/ledger.h - money: billing periods charged at their start, prorated charges and
 * refunds, and the totals they keep (subscription, tenant, partner, ledger). Integer minor
 * units; EA subscriptions are billed by their agreement, outside the simulation. */
#ifndef MODEL_LEDGER_H
#define MODEL_LEDGER_H

#include "store.h"

/* Charges the billing period next_charge names (a whole period). */
void ledger_charge_period(model_world *w, uint32_t sub, sim_time t);
/* Refunds every license for the unused days of the running period (an allowed cancel). */
void ledger_refund_unused(model_world *w, uint32_t sub, sim_time t, model_rule rule);
/* Starts billing a term served from `from` on: the first period is the calendar period
 * containing `from`, charged at t when `charge` is set, prorated by day when it started
 * earlier (a coterminous or transferred term). */
void ledger_begin(model_world *w, uint32_t sub, sim_time t, sim_time from, int charge);
/* Charges (licenses > 0) or refunds (< 0) that many licenses at `price` per license-month
 * for the days of the running billing period left at t. */
void ledger_prorate(model_world *w, uint32_t sub, sim_time t, int32_t licenses, int64_t price, model_rule rule);
/* a + b for amounts a, b >= 0, saturating at INT64_MAX: a run's totals are not bounded by
 * the load limits (model.h: MODEL_MAX_PRICE), and a saturated total is the visible
 * alternative to wrapping. Every total of money is summed through it. */
int64_t ledger_sum(int64_t a, int64_t b);
/* Sets up a subscription existing at the start: its running period counts as paid. */
void ledger_prime(model_world *w, uint32_t sub);

#endif
