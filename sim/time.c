/* sim/time.c - civil calendar and ISO 8601 parsing/formatting for integer UTC time.
 * Pure functions only: no libc time functions (they consult the locale and time zone). */
#include "time.h"

#include <stdio.h>
#include <string.h>

int64_t sim_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void sim_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

int sim_is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned sim_days_in_month(int64_t y, unsigned m)
{
    static const unsigned len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && sim_is_leap(y) ? 29 : len[m - 1];
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* seconds since midnight, also for negative t, without forming days * SIM_DAY */
static sim_time time_of_day(sim_time t)
{
    return ((t % SIM_DAY) + SIM_DAY) % SIM_DAY;
}

sim_time sim_day_start(sim_time t)
{
    return t - time_of_day(t);
}

sim_time sim_add_months(sim_time t, int32_t n)
{
    int64_t days = floor_div(t, SIM_DAY);
    sim_time tod = time_of_day(t);
    int64_t y;
    unsigned m, d;
    sim_civil_from_days(days, &y, &m, &d);
    int64_t mi = y * 12 + (int64_t)(m - 1) + n;
    y = floor_div(mi, 12);
    m = (unsigned)(mi - y * 12) + 1;
    unsigned dim = sim_days_in_month(y, m);
    if (d > dim)
        d = dim;
    return sim_days_from_civil(y, m, d) * SIM_DAY + tod;
}

void sim_to_month_day(sim_time t, int32_t *month_index, uint8_t *day, int32_t *tod)
{
    int64_t y;
    unsigned m, d;
    sim_civil_from_days(floor_div(t, SIM_DAY), &y, &m, &d);
    *month_index = (int32_t)(y * 12 + (int64_t)(m - 1));
    *day = (uint8_t)d;
    *tod = (int32_t)time_of_day(t);
}

sim_time sim_from_month_day(int64_t month_index, unsigned day, int32_t tod)
{
    int64_t y = floor_div(month_index, 12);
    unsigned m = (unsigned)(month_index - y * 12) + 1;
    unsigned dim = sim_days_in_month(y, m);
    return sim_days_from_civil(y, m, day < dim ? day : dim) * SIM_DAY + tod;
}

sim_time sim_add_seconds_sat(sim_time t, int64_t d)
{
    if (d > 0 && t > SIM_TIME_NEVER - d)
        return SIM_TIME_NEVER;
    if (d < 0 && t < INT64_MIN - d)
        return INT64_MIN;
    return t + d;
}

sim_time sim_add_duration(sim_time t, sim_duration d)
{
    if (d.months)
        t = sim_add_months(t, d.months);
    return t + d.seconds;
}

/* Reads exactly n decimal digits. */
static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int sim_parse_instant(const char *s, sim_time *out)
{
    int y, mo, d, h = 0, mi = 0, sec = 0;
    if (strlen(s) < 10 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
        s[7] != '-' || digits(s + 8, 2, &d))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || (unsigned)d > sim_days_in_month(y, (unsigned)mo))
        return -1;
    const char *p = s + 10;
    if (*p == 'T') {
        if (digits(p + 1, 2, &h) || p[3] != ':' || digits(p + 4, 2, &mi))
            return -1;
        p += 6;
        if (*p == ':') {
            if (digits(p + 1, 2, &sec))
                return -1;
            p += 3;
        }
        if (*p != 'Z' || p[1] != '\0' || h > 23 || mi > 59 || sec > 59)
            return -1;
    } else if (*p != '\0') {
        return -1;
    }
    *out = sim_days_from_civil(y, (unsigned)mo, (unsigned)d) * SIM_DAY + h * SIM_HOUR + mi * 60 + sec;
    return 0;
}

/* Reads a decimal count of at most 9 digits; returns the end or NULL. */
static const char *count(const char *s, int64_t *out)
{
    int64_t v = 0;
    int n = 0;
    while (*s >= '0' && *s <= '9') {
        if (++n > 9)
            return NULL;
        v = v * 10 + (*s++ - '0');
    }
    if (n == 0)
        return NULL;
    *out = v;
    return s;
}

static int parse_iso(const char *s, sim_duration *out)
{
    int64_t months = 0, seconds = 0;
    int in_time = 0, any = 0;
    /* designators in the order ISO 8601 requires them */
    const char *order_date = "YMWD", *order_time = "HMS";
    const char *pos = order_date;
    s++; /* 'P' */
    while (*s) {
        if (*s == 'T') {
            if (in_time)
                return -1;
            in_time = 1;
            pos = order_time;
            s++;
            if (!*s)
                return -1;
            continue;
        }
        int64_t v;
        s = count(s, &v);
        if (!s || !*s)
            return -1;
        const char *hit = strchr(pos, *s);
        if (!hit || *s == '\0')
            return -1;
        pos = hit + 1;
        switch (in_time ? *s + 256 : *s) {
        case 'Y': months += v * 12; break;
        case 'M': months += v; break;
        case 'W': seconds += v * 7 * SIM_DAY; break;
        case 'D': seconds += v * SIM_DAY; break;
        case 'H' + 256: seconds += v * SIM_HOUR; break;
        case 'M' + 256: seconds += v * 60; break;
        case 'S' + 256: seconds += v; break;
        default: return -1;
        }
        any = 1;
        s++;
    }
    if (!any || months > INT32_MAX) /* counts are at most 9 digits: seconds cannot overflow */
        return -1;
    out->months = (int32_t)months;
    out->seconds = seconds;
    return 0;
}

int sim_parse_duration(const char *s, sim_duration *out)
{
    if (s[0] == 'P')
        return parse_iso(s, out);
    static const struct {
        const char *unit;
        int64_t seconds;
    } units[] = {{"w", 7 * SIM_DAY}, {"d", SIM_DAY}, {"h", SIM_HOUR}, {"min", 60}, {"s", 1}};
    int64_t v;
    const char *u = count(s, &v);
    if (!u)
        return -1;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(u, units[i].unit) == 0) {
            out->months = 0;
            out->seconds = v * units[i].seconds;
            return 0;
        }
    }
    return -1;
}

char *sim_format_instant(sim_time t, char *buf)
{
    int64_t days = floor_div(t, SIM_DAY), y;
    sim_time tod = time_of_day(t);
    unsigned m, d;
    sim_civil_from_days(days, &y, &m, &d);
    snprintf(buf, SIM_TIME_BUF, "%04lld-%02u-%02uT%02d:%02d:%02dZ", (long long)y, m, d,
             (int)(tod / 3600), (int)(tod / 60 % 60), (int)(tod % 60));
    return buf;
}

char *sim_format_date(sim_time t, char *buf)
{
    int64_t y;
    unsigned m, d;
    sim_civil_from_days(floor_div(t, SIM_DAY), &y, &m, &d);
    snprintf(buf, SIM_TIME_BUF, "%04lld-%02u-%02u", (long long)y, m, d);
    return buf;
}

/* Appends to buf within size; output is cut, never overrun. */
static void append(char *buf, size_t size, size_t *n, const char *fmt, long long v, char unit)
{
    if (*n >= size)
        return;
    int w = fmt ? snprintf(buf + *n, size - *n, fmt, v, unit) : snprintf(buf + *n, size - *n, "%c", unit);
    *n += w > 0 ? (size_t)w : 0;
}

char *sim_format_duration(sim_duration d, char *buf, size_t size)
{
    size_t n = 0;
    if (size == 0)
        return buf;
    buf[0] = '\0';
    append(buf, size, &n, NULL, 0, 'P');
    if (d.months / 12)
        append(buf, size, &n, "%lld%c", d.months / 12, 'Y');
    if (d.months % 12)
        append(buf, size, &n, "%lld%c", d.months % 12, 'M');
    int64_t days = d.seconds / SIM_DAY, rest = d.seconds % SIM_DAY;
    if (days)
        append(buf, size, &n, "%lld%c", days, 'D');
    if (rest || (!d.months && !days)) {
        append(buf, size, &n, NULL, 0, 'T');
        if (rest / 3600)
            append(buf, size, &n, "%lld%c", rest / 3600, 'H');
        if (rest / 60 % 60)
            append(buf, size, &n, "%lld%c", rest / 60 % 60, 'M');
        if (rest % 60 || !rest)
            append(buf, size, &n, "%lld%c", rest % 60, 'S');
    }
    return buf;
}
