/* sim/time.h - integer UTC time, ISO 8601 instants and durations, calendar arithmetic.
 *
 * Time is int64 seconds since 1970-01-01T00:00:00Z, UTC only: no time zones, no leap
 * seconds, no locale. Everything here is pure and allocation-free; the caller owns every
 * buffer. Parse functions return 0 on success and -1 on a malformed input, leaving the
 * output untouched.
 */
#ifndef SIM_TIME_H
#define SIM_TIME_H

#include <stdint.h>
#include <stddef.h>

typedef int64_t sim_time;

#define SIM_DAY ((sim_time)86400)
#define SIM_HOUR ((sim_time)3600)
#define SIM_TIME_NEVER INT64_MAX
#define SIM_TIME_BUF 32 /* enough for "-292277026596-12-04T15:30:07Z" */
#define SIM_DURATION_BUF 48

/* A duration: whole calendar months (added with end-of-month clamping) plus seconds.
 * P1Y2M3DT4H is {14, 3*86400 + 4*3600}. Both parts are non-negative. */
typedef struct {
    int32_t months;
    int64_t seconds;
} sim_duration;

/* Days since the epoch of a proleptic Gregorian date, and back (Hinnant's algorithms). */
int64_t sim_days_from_civil(int64_t y, unsigned m, unsigned d);
void sim_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);
int sim_is_leap(int64_t y);
unsigned sim_days_in_month(int64_t y, unsigned m);

/* Midnight of the day holding t (floor, also for negative t). */
sim_time sim_day_start(sim_time t);

/* t plus n calendar months, the day clamped to the target month's length, time of day kept:
 * 2024-01-31 + 1 month = 2024-02-29. n may be negative. */
sim_time sim_add_months(sim_time t, int32_t n);

/* An instant split for repeated month arithmetic: months since year 0, day of month,
 * seconds into the day. sim_from_month_day clamps the day to the month's length, so
 * sim_from_month_day(mi + n, day, tod) equals sim_add_months(t, n) at half the cost. */
void sim_to_month_day(sim_time t, int32_t *month_index, uint8_t *day, int32_t *tod);
sim_time sim_from_month_day(int64_t month_index, unsigned day, int32_t tod);

/* t + d, or SIM_TIME_NEVER (INT64_MIN) when the sum would pass the end (start) of time: a
 * drawn delay near INT64_MAX added to the current time is an instant that never comes,
 * instead of an overflow. */
sim_time sim_add_seconds_sat(sim_time t, int64_t d);

/* Adds the months of d (clamped), then its seconds. */
sim_time sim_add_duration(sim_time t, sim_duration d);

/* "2025-03-01", "2025-03-01T09:30:00Z" or "2025-03-01T09:30Z". Only Z is accepted as zone. */
int sim_parse_instant(const char *s, sim_time *out);

/* ISO 8601 ("P30D", "PT168H", "P1Y2M", "P2W") or short ("30d", "168h", "90min", "45s", "2w").
 * A lone "m" is refused as ambiguous; fractions are refused. */
int sim_parse_duration(const char *s, sim_duration *out);

/* "2025-03-01T09:30:00Z" into buf (SIM_TIME_BUF bytes). Returns buf. */
char *sim_format_instant(sim_time t, char *buf);
/* "2025-03-01" into buf (SIM_TIME_BUF bytes). Returns buf. */
char *sim_format_date(sim_time t, char *buf);
/* Canonical ISO 8601 of d ("P1Y2M", "P1DT12H", "P30D", "PT0S"), cut to size. Returns buf.
 * SIM_DURATION_BUF holds any duration. */
char *sim_format_duration(sim_duration d, char *buf, size_t size);

#endif
