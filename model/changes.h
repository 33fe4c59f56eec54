/* model/changes.h - changes to a subscription's terms: SUB-9 upgrade paths, SUB-10
 * scheduled changes, SUB-11 coterminous end dates. The refusing checks are in actions.c;
 * these are the pieces the actions, the lifecycle and the claims share. */
#ifndef MODEL_CHANGES_H
#define MODEL_CHANGES_H

#include "store.h"

/* Whether `to` is reachable from `from` through upgrades_to (any number of steps). */
int offer_reaches(const model_world *w, uint32_t from, uint32_t to);
/* NONE when `to` is in from's upgrades_to, else the refusal (downgrade or unsupported path). */
model_reason upgrade_path(const model_world *w, uint32_t from, uint32_t to);
/* SUB-11: whether a first term of term_months starting on t's day for tenant can be aligned
 * with target (a subscription, or MODEL_ALIGN_CALENDAR_MONTH): the aligned end is the
 * latest end of target's calendar (or the latest month end) not after the unaligned end. */
int coterm_valid(model_world *w, uint32_t target, int term_months, sim_time t, uint32_t tenant);
/* Sets sub's calendar so that its first term (term_index 0), starting on t's day, ends on
 * that aligned end; later terms run full length from the day after. Call after coterm_valid. */
void coterm_anchor(model_world *w, uint32_t sub, uint32_t target, sim_time t);
/* Removes a scheduled change (record scheduled_change_removed, `why` in its detail). */
void sched_remove(model_world *w, uint32_t sub, sim_time t, const char *why);
int sched_pending(model_world *w, uint32_t sub);
/* Applies the scheduled change to the term that begins now (after term_index moved on).
 * 1 when it aligned the term (SUB-11), which then starts before it is served. */
int sched_apply(model_world *w, uint32_t sub, sim_time t);

#endif
