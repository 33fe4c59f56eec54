/* model/calendar.c - term instants from a subscription's anchor (see calendar.h). */
#include "calendar.h"

sim_time sub_months_after_anchor(const sub_t *s, int32_t months)
{
    return sim_from_month_day((int64_t)s->anchor_month + months, s->anchor_day, s->anchor_tod);
}

void sub_set_anchor(sub_t *s, sim_time t)
{
    sim_to_month_day(t, &s->anchor_month, &s->anchor_day, &s->anchor_tod);
    s->term_index = 0;
}

void sub_copy_calendar(sub_t *d, const sub_t *s)
{
    d->anchor_month = s->anchor_month;
    d->anchor_day = s->anchor_day;
    d->anchor_tod = s->anchor_tod;
    d->term_index = s->term_index;
    d->term_months = s->term_months;
}

sim_time sub_term_start(const sub_t *s)
{
    return sub_months_after_anchor(s, s->term_index);
}

sim_time sub_term_end(const sub_t *s)
{
    return sub_months_after_anchor(s, s->term_index + s->term_months);
}
