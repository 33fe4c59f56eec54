/* model/calendar.h - a subscription's term calendar: its anchor (the first term's start as
 * month, day and time of day) and the instants counted in calendar months from it, end of
 * month clamped. Pure date arithmetic over sub_t; no rule decides anything here. */
#ifndef MODEL_CALENDAR_H
#define MODEL_CALENDAR_H

#include "store.h"

/* The instant `months` calendar months after the anchor (end-of-month clamped). */
sim_time sub_months_after_anchor(const sub_t *s, int32_t months);
/* Anchors the calendar at t, the current term being the first (term_index 0). */
void sub_set_anchor(sub_t *s, sim_time t);
/* d takes s's calendar and term: the same term start and end (a transfer, a partial upgrade). */
void sub_copy_calendar(sub_t *d, const sub_t *s);
/* The current term's start and end (00:00 after its inclusive end date) by the calendar. */
sim_time sub_term_start(const sub_t *s);
sim_time sub_term_end(const sub_t *s);

#endif
