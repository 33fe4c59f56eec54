/* tests/check_time.c - civil calendar, month arithmetic, ISO 8601 instants and durations. */
#include <stdint.h>
#include <string.h>

#include "sim/time.h"
#include "suites.h"

/* ck_assert marks a point through a pipe on every success: too slow inside long loops. */
#define REQUIRE(c)                                                                                 \
    do {                                                                                           \
        if (!(c))                                                                                  \
            ck_abort_msg("Assertion '%s' failed", #c);                                             \
    } while (0)

/* Parses an instant that must be valid. */
static sim_time T(const char *s)
{
    sim_time t = 0;
    ck_assert_msg(sim_parse_instant(s, &t) == 0, "sim_parse_instant refused \"%s\"", s);
    return t;
}

/* Parses a duration that must be valid. */
static sim_duration D(const char *s)
{
    sim_duration d = {-1, -1};
    ck_assert_msg(sim_parse_duration(s, &d) == 0, "sim_parse_duration refused \"%s\"", s);
    return d;
}

static void assert_instant(sim_time t, const char *want)
{
    char buf[SIM_TIME_BUF];
    ck_assert_str_eq(sim_format_instant(t, buf), want);
}

/* An independent leap rule and month table, for the exhaustive walk. */
static int ref_leap(int64_t y)
{
    if (y % 400 == 0)
        return 1;
    if (y % 100 == 0)
        return 0;
    return y % 4 == 0;
}

static unsigned ref_dim(int64_t y, unsigned m)
{
    static const unsigned len[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 ? 28u + (unsigned)ref_leap(y) : len[m];
}

/* ---- civil calendar ---------------------------------------------------------------- */

START_TEST(test_civil_known_values)
{
    static const struct {
        int64_t y;
        unsigned m, d;
        int64_t days;
    } cases[] = {
        {1970, 1, 1, 0},          {1970, 1, 2, 1},
        {1969, 12, 31, -1},       {1969, 1, 1, -365},
        {2000, 3, 1, 11017},      {2000, 2, 29, 11016},
        {1900, 1, 1, -25567},     {2400, 12, 31, 157419},
        {1, 1, 1, -719162},       {0, 3, 1, -719468},
        {2025, 3, 1, 20148},      {2024, 2, 29, 19782},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ck_assert_int_eq(sim_days_from_civil(cases[i].y, cases[i].m, cases[i].d), cases[i].days);
        int64_t y;
        unsigned m, d;
        sim_civil_from_days(cases[i].days, &y, &m, &d);
        ck_assert_int_eq(y, cases[i].y);
        ck_assert_uint_eq(m, cases[i].m);
        ck_assert_uint_eq(d, cases[i].d);
    }
}
END_TEST

/* Every day of 1900..2400: consecutive dates are consecutive day numbers and map back. */
START_TEST(test_civil_every_day_1900_2400)
{
    int64_t expect = sim_days_from_civil(1900, 1, 1);
    ck_assert_int_eq(expect, -25567);
    size_t count = 0;
    for (int64_t y = 1900; y <= 2400; y++) {
        for (unsigned m = 1; m <= 12; m++) {
            REQUIRE(sim_days_in_month(y, m) == ref_dim(y, m));
            for (unsigned d = 1; d <= ref_dim(y, m); d++) {
                int64_t days = sim_days_from_civil(y, m, d);
                if (days != expect)
                    ck_abort_msg("%lld-%02u-%02u: day %lld, want %lld", (long long)y, m, d,
                                 (long long)days, (long long)expect);
                int64_t yy;
                unsigned mm, dd;
                sim_civil_from_days(days, &yy, &mm, &dd);
                if (yy != y || mm != m || dd != d)
                    ck_abort_msg("day %lld: %lld-%02u-%02u, want %lld-%02u-%02u", (long long)days,
                                 (long long)yy, mm, dd, (long long)y, m, d);
                expect++;
                count++;
            }
        }
    }
    /* 501 years = 365 * 501 + leap days (1904..2400 by 4, minus 2100, 2200, 2300) */
    ck_assert_uint_eq(count, 365u * 501u + 125u - 3u);
}
END_TEST

/* Far from the epoch, both directions, negative years included. */
START_TEST(test_civil_wide_round_trip)
{
    int64_t prev_y = 0;
    unsigned prev_m = 0, prev_d = 0;
    for (int64_t days = -1000000; days <= 1000000; days++) {
        int64_t y;
        unsigned m, d;
        sim_civil_from_days(days, &y, &m, &d);
        REQUIRE(m >= 1 && m <= 12);
        REQUIRE(d >= 1 && d <= ref_dim(y, m));
        if (sim_days_from_civil(y, m, d) != days)
            ck_abort_msg("day %lld does not round-trip", (long long)days);
        if (days > -1000000) {
            /* the previous day is the calendar predecessor */
            if (d > 1) {
                REQUIRE(y == prev_y && m == prev_m && d == prev_d + 1);
            } else if (m > 1) {
                REQUIRE(y == prev_y && m == prev_m + 1 && prev_d == ref_dim(y, prev_m));
            } else {
                REQUIRE(y == prev_y + 1 && prev_m == 12 && prev_d == 31);
            }
        }
        prev_y = y;
        prev_m = m;
        prev_d = d;
    }
    /* huge spans: 400-year cycles are 146097 days */
    for (int64_t k = -5000000; k <= 5000000; k += 1234567) {
        ck_assert_int_eq(sim_days_from_civil(2000 + 400 * k, 3, 1), 11017 + 146097 * k);
        int64_t y;
        unsigned m, d;
        sim_civil_from_days(11017 + 146097 * k, &y, &m, &d);
        ck_assert_int_eq(y, 2000 + 400 * k);
        ck_assert_uint_eq(m, 3);
        ck_assert_uint_eq(d, 1);
    }
}
END_TEST

START_TEST(test_leap_years)
{
    ck_assert_int_eq(sim_is_leap(1900), 0);
    ck_assert_int_eq(sim_is_leap(2000), 1);
    ck_assert_int_eq(sim_is_leap(2024), 1);
    ck_assert_int_eq(sim_is_leap(2100), 0);
    ck_assert_int_eq(sim_is_leap(2023), 0);
    ck_assert_int_eq(sim_is_leap(1600), 1);
    ck_assert_int_eq(sim_is_leap(2400), 1);
    ck_assert_int_eq(sim_is_leap(0), 1);
    ck_assert_int_eq(sim_is_leap(-4), 1);
    ck_assert_int_eq(sim_is_leap(-1), 0);
    ck_assert_int_eq(sim_is_leap(-100), 0);
    ck_assert_int_eq(sim_is_leap(-400), 1);
    ck_assert_uint_eq(sim_days_in_month(1900, 2), 28);
    ck_assert_uint_eq(sim_days_in_month(2000, 2), 29);
    ck_assert_uint_eq(sim_days_in_month(2024, 2), 29);
    ck_assert_uint_eq(sim_days_in_month(2100, 2), 28);
    ck_assert_uint_eq(sim_days_in_month(2025, 2), 28);
    static const unsigned len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (unsigned m = 1; m <= 12; m++) {
        ck_assert_uint_eq(sim_days_in_month(2025, m), len[m - 1]);
        ck_assert_uint_eq(sim_days_in_month(2024, m), len[m - 1] + (m == 2));
    }
    /* the year lengths come out of the day numbers too */
    ck_assert_int_eq(sim_days_from_civil(2025, 1, 1) - sim_days_from_civil(2024, 1, 1), 366);
    ck_assert_int_eq(sim_days_from_civil(2101, 1, 1) - sim_days_from_civil(2100, 1, 1), 365);
    ck_assert_int_eq(sim_days_from_civil(1901, 1, 1) - sim_days_from_civil(1900, 1, 1), 365);
    ck_assert_int_eq(sim_days_from_civil(2001, 1, 1) - sim_days_from_civil(2000, 1, 1), 366);
}
END_TEST

/* t + d saturates at the ends of time instead of overflowing (a drawn delay near
 * INT64_MAX, issue 15): the sum is exact up to INT64_MAX itself, one past it is NEVER. */
START_TEST(test_add_seconds_sat)
{
    sim_time t = 1735689600; /* 2025-01-01 */
    ck_assert_int_eq(sim_add_seconds_sat(t, 86400), t + 86400);
    ck_assert_int_eq(sim_add_seconds_sat(t, -86400), t - 86400);
    ck_assert_int_eq(sim_add_seconds_sat(t, INT64_MAX - t), INT64_MAX);
    ck_assert_int_eq(sim_add_seconds_sat(t, INT64_MAX - t + 1), SIM_TIME_NEVER);
    ck_assert_int_eq(sim_add_seconds_sat(t, INT64_MAX), SIM_TIME_NEVER);
    ck_assert_int_eq(sim_add_seconds_sat(-t, INT64_MIN + t), INT64_MIN);
    ck_assert_int_eq(sim_add_seconds_sat(-t, INT64_MIN), INT64_MIN);
    ck_assert_int_eq(sim_add_seconds_sat(-1, INT64_MIN + 1), INT64_MIN);
}
END_TEST

START_TEST(test_day_start)
{
    ck_assert_int_eq(sim_day_start(0), 0);
    ck_assert_int_eq(sim_day_start(1), 0);
    ck_assert_int_eq(sim_day_start(86399), 0);
    ck_assert_int_eq(sim_day_start(86400), 86400);
    ck_assert_int_eq(sim_day_start(-1), -86400);
    ck_assert_int_eq(sim_day_start(-86399), -86400);
    ck_assert_int_eq(sim_day_start(-86400), -86400);
    ck_assert_int_eq(sim_day_start(-86401), -172800);
    ck_assert_int_eq(sim_day_start(T("2025-03-01T09:30:00Z")), T("2025-03-01"));
    ck_assert_int_eq(sim_day_start(T("1969-07-20T20:17:40Z")), T("1969-07-20"));
    ck_assert_int_eq(sim_day_start(T("1900-01-01T23:59:59Z")), T("1900-01-01"));
    ck_assert_int_eq(T("1900-01-01"), -25567 * SIM_DAY);
}
END_TEST

/* ---- month arithmetic ---------------------------------------------------------------- */

START_TEST(test_add_months_clamp)
{
    static const struct {
        const char *from;
        int32_t n;
        const char *to;
    } cases[] = {
        {"2024-01-31", 1, "2024-02-29"},   {"2025-01-31", 1, "2025-02-28"},
        {"2025-03-31", -1, "2025-02-28"},  {"2024-03-31", -1, "2024-02-29"},
        {"2024-02-29", 12, "2025-02-28"},  {"2024-02-29", 48, "2028-02-29"},
        {"2024-02-29", -12, "2023-02-28"}, {"2024-02-29", -48, "2020-02-29"},
        {"2025-01-15", -1, "2024-12-15"},  {"2025-01-31", -2, "2024-11-30"},
        {"2024-03-31", -13, "2023-02-28"}, {"2025-02-28", -25, "2023-01-28"},
        {"2025-12-31", 1, "2026-01-31"},   {"2024-10-31", 4, "2025-02-28"},
        {"2025-05-31", 1, "2025-06-30"},   {"2025-08-31", 1, "2025-09-30"},
        {"2025-03-15", 0, "2025-03-15"},   {"2025-01-01", 1200, "2125-01-01"},
        {"2000-02-29", 1200, "2100-02-28"}, {"1999-12-31", -24000, "-0001-12-31"},
        {"1970-01-31", -1, "1969-12-31"},  {"1970-03-31", -1, "1970-02-28"},
        {"1969-03-31", -1, "1969-02-28"},  {"1969-12-31", 2, "1970-02-28"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sim_time want;
        if (cases[i].to[0] == '-') /* before year 0: not parseable, build it directly */
            want = sim_days_from_civil(-1, 12, 31) * SIM_DAY;
        else
            want = T(cases[i].to);
        sim_time got = sim_add_months(T(cases[i].from), cases[i].n);
        char b1[SIM_TIME_BUF], b2[SIM_TIME_BUF];
        ck_assert_msg(got == want, "%s %+d months: got %s, want %s", cases[i].from, (int)cases[i].n,
                      sim_format_instant(got, b1), sim_format_instant(want, b2));
    }
}
END_TEST

START_TEST(test_add_months_keeps_time_of_day)
{
    ck_assert_int_eq(sim_add_months(T("2024-01-31T23:59:59Z"), 1), T("2024-02-29T23:59:59Z"));
    ck_assert_int_eq(sim_add_months(T("2025-03-31T00:00:01Z"), -1), T("2025-02-28T00:00:01Z"));
    ck_assert_int_eq(sim_add_months(T("2025-01-10T09:30Z"), 3), T("2025-04-10T09:30Z"));
    /* negative instants: the time of day is taken with floor, not truncation */
    ck_assert_int_eq(sim_add_months(T("1969-12-31T12:00Z"), 1), T("1970-01-31T12:00Z"));
    ck_assert_int_eq(sim_add_months(T("1969-03-31T06:00Z"), -1), T("1969-02-28T06:00Z"));
    ck_assert_int_eq(sim_add_months(-1, 1), T("1970-01-31T23:59:59Z"));
    ck_assert_int_eq(sim_add_months(-1, -1), T("1969-11-30T23:59:59Z"));
    ck_assert_int_eq(sim_add_months(T("1970-01-31T23:59:59Z"), -1), -1);
}
END_TEST

/* SUB-1: a term starting on day D with length T ends on the day before D+T; later terms are
 * computed from the original start (the anchor), never from a clamped end. */
START_TEST(test_sub1_term_examples)
{
    char buf[SIM_TIME_BUF];
    sim_time anchor = T("2025-01-31");
    sim_duration p1m = D("P1M");
    sim_time end1 = sim_add_duration(anchor, p1m);
    ck_assert_int_eq(end1, T("2025-02-28T00:00:00Z"));
    assert_instant(end1, "2025-02-28T00:00:00Z");
    ck_assert_str_eq(sim_format_date(end1 - 1, buf), "2025-02-27");
    /* renewals keep the calendar of the anchor */
    ck_assert_int_eq(sim_add_months(anchor, 2 * p1m.months), T("2025-03-31"));
    ck_assert_int_eq(sim_add_months(anchor, 3 * p1m.months), T("2025-04-30"));
    ck_assert_int_eq(sim_add_months(anchor, 4 * p1m.months), T("2025-05-31"));
    ck_assert_str_eq(sim_format_date(sim_add_months(anchor, 2) - 1, buf), "2025-03-30");
    /* chaining from the clamped end would drift: that is what the anchor avoids */
    ck_assert_int_eq(sim_add_duration(end1, p1m), T("2025-03-28"));
    ck_assert_int_ne(sim_add_duration(end1, p1m), sim_add_months(anchor, 2));

    /* P1Y bought on a leap day */
    sim_time leap = T("2024-02-29");
    sim_duration p1y = D("P1Y");
    ck_assert_int_eq(p1y.months, 12);
    sim_time end_y = sim_add_duration(leap, p1y);
    assert_instant(end_y, "2025-02-28T00:00:00Z");
    ck_assert_str_eq(sim_format_date(end_y - 1, buf), "2025-02-27");
    ck_assert_int_eq(sim_add_months(leap, 4 * p1y.months), T("2028-02-29"));

    /* P3Y */
    sim_duration p3y = D("P3Y");
    ck_assert_int_eq(p3y.months, 36);
    ck_assert_int_eq(p3y.seconds, 0);
    sim_time end_3y = sim_add_duration(leap, p3y);
    assert_instant(end_3y, "2027-02-28T00:00:00Z");
    ck_assert_str_eq(sim_format_date(end_3y - 1, buf), "2027-02-27");
    ck_assert_int_eq(sim_add_months(leap, 2 * p3y.months), T("2030-02-28"));
    ck_assert_int_eq(sim_add_duration(T("2025-06-15"), p3y), T("2028-06-15"));

    /* bought in the middle of the day: the instant keeps its time of day */
    ck_assert_int_eq(sim_add_duration(T("2025-01-31T10:15Z"), p1m), T("2025-02-28T10:15:00Z"));
}
END_TEST

START_TEST(test_add_duration)
{
    sim_duration zero = {0, 0};
    ck_assert_int_eq(sim_add_duration(T("2025-03-01T09:30Z"), zero), T("2025-03-01T09:30Z"));
    /* months first (clamped), then seconds: 01-30 +1M = 02-28, +1D = 03-01 */
    sim_duration m1d1 = D("P1M1D");
    ck_assert_int_eq(m1d1.months, 1);
    ck_assert_int_eq(m1d1.seconds, SIM_DAY);
    ck_assert_int_eq(sim_add_duration(T("2025-01-30"), m1d1), T("2025-03-01"));
    ck_assert_int_eq(sim_add_duration(T("2025-01-31T10:00Z"), D("P1MT1H")), T("2025-02-28T11:00Z"));
    ck_assert_int_eq(sim_add_duration(T("2025-03-01"), D("P30D")), T("2025-03-31"));
    ck_assert_int_eq(sim_add_duration(T("2025-03-01"), D("PT168H")), T("2025-03-08"));
    ck_assert_int_eq(sim_add_duration(T("2025-03-01"), D("P2W")), T("2025-03-15"));
    ck_assert_int_eq(sim_add_duration(T("2024-02-28T23:59Z"), D("PT2M")), T("2024-02-29T00:01Z"));
    ck_assert_int_eq(sim_add_duration(T("1969-12-31T23:00Z"), D("PT2H")), T("1970-01-01T01:00Z"));
    ck_assert_int_eq(sim_add_duration(T("1969-01-31T05:00Z"), D("P1M")), T("1969-02-28T05:00Z"));
    ck_assert_int_eq(sim_add_duration(T("2024-02-29"), D("P1Y2M3DT4H5M6S")),
                     T("2025-05-02T04:05:06Z"));
}
END_TEST

/* ---- parsing instants ---------------------------------------------------------------- */

START_TEST(test_parse_instant_valid)
{
    sim_time day = sim_days_from_civil(2025, 3, 1) * SIM_DAY, t = 12345;
    ck_assert_int_eq(sim_parse_instant("2025-03-01", &t), 0);
    ck_assert_int_eq(t, day);
    ck_assert_int_eq(sim_parse_instant("2025-03-01T09:30:00Z", &t), 0);
    ck_assert_int_eq(t, day + 9 * 3600 + 30 * 60);
    ck_assert_int_eq(sim_parse_instant("2025-03-01T09:30Z", &t), 0);
    ck_assert_int_eq(t, day + 9 * 3600 + 30 * 60);
    ck_assert_int_eq(sim_parse_instant("2025-03-01T09:30:59Z", &t), 0);
    ck_assert_int_eq(t, day + 9 * 3600 + 30 * 60 + 59);
    ck_assert_int_eq(sim_parse_instant("2025-03-01T23:59:59Z", &t), 0);
    ck_assert_int_eq(t, day + SIM_DAY - 1);
    ck_assert_int_eq(sim_parse_instant("2025-03-01T00:00Z", &t), 0);
    ck_assert_int_eq(t, day);
    ck_assert_int_eq(sim_parse_instant("1970-01-01T00:00:00Z", &t), 0);
    ck_assert_int_eq(t, 0);
    ck_assert_int_eq(sim_parse_instant("1969-12-31T23:59:59Z", &t), 0);
    ck_assert_int_eq(t, -1);
    ck_assert_int_eq(sim_parse_instant("2024-02-29", &t), 0);
    ck_assert_int_eq(t, 19782 * SIM_DAY);
    ck_assert_int_eq(sim_parse_instant("2000-02-29", &t), 0);
    ck_assert_int_eq(t, 11016 * SIM_DAY);
    ck_assert_int_eq(sim_parse_instant("0000-01-01", &t), 0);
    ck_assert_int_eq(t, sim_days_from_civil(0, 1, 1) * SIM_DAY);
    ck_assert_int_eq(sim_parse_instant("9999-12-31T23:59:59Z", &t), 0);
    ck_assert_int_eq(t, sim_days_from_civil(9999, 12, 31) * SIM_DAY + SIM_DAY - 1);
}
END_TEST

START_TEST(test_parse_instant_invalid)
{
    static const char *bad[] = {
        "2025-03-01T09:30:00+01:00", "2025-03-01T09:30+01:00", "2025-03-01T09:30:00-05:00",
        "2025-03-01+01:00",          "2025-03-01T09:30:00.5Z", "2025-02-29",
        "2100-02-29",                "1900-02-29",             "2024-13-01",
        "2024-00-10",                "2024-01-00",             "2024-04-31",
        "2024-01-32",                "2025-03-01x",            "2025-03-01 ",
        "2025-03-01T09:30:00Zx",     "2025-03-01T09:30ZZ",     "2025-03-01T09:30:00z",
        "2025-03-01T09:30z",         "2025-03-01T09:30:00",    "2025-03-01T09:30",
        "2025-03-01T09",             "2025-03-01T",            "2025-03-01TZ",
        "2025-03-01T09:30:",         "2025-03-01T09:30:Z",     "2025-03-01T09:3Z",
        "2025-03-01T9:30Z",          "2025-03-01T09:30:0Z",    "2025-03-01T24:00Z",
        "2025-03-01T23:60Z",         "2025-03-01T23:59:60Z",   "2025-03-01 09:30Z",
        "2025-03-01t09:30Z",         "2025-03",                "2025",
        "",                          "25-03-01",               "2025-3-01",
        "2025-03-1",                 "2025/03/01",             "20250301",
        " 2025-03-01",               "+2025-03-01",            "-2025-03-01",
        "2025-03-01T-9:30Z",         "2025-03-01T09:-3Z",      "abcd-ef-gh",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sim_time t = 777;
        ck_assert_msg(sim_parse_instant(bad[i], &t) == -1, "accepted \"%s\"", bad[i]);
        ck_assert_msg(t == 777, "\"%s\" changed the output", bad[i]);
    }
}
END_TEST

/* ---- parsing durations ---------------------------------------------------------------- */

static const struct {
    const char *s;
    int32_t months;
    int64_t seconds;
} good_durations[] = {
    {"P30D", 0, 30 * 86400},
    {"PT168H", 0, 168 * 3600},
    {"P1M", 1, 0},
    {"P1Y", 12, 0},
    {"P3Y", 36, 0},
    {"PT2M", 0, 120},
    {"P2W", 0, 14 * 86400},
    {"P1Y2M3DT4H5M6S", 14, 3 * 86400 + 4 * 3600 + 5 * 60 + 6},
    {"P1Y2M", 14, 0},
    {"P1MT1M", 1, 60},
    {"PT36H", 0, 36 * 3600},
    {"PT1H30M", 0, 5400},
    {"PT45S", 0, 45},
    {"P0D", 0, 0},
    {"PT0S", 0, 0},
    {"P1W2D", 0, 9 * 86400},
    {"P18M", 18, 0},
    {"P1DT12H", 0, 129600},
    {"P007D", 0, 7 * 86400},
    {"P999999999D", 0, 999999999LL * 86400},
    {"30d", 0, 30 * 86400},
    {"168h", 0, 168 * 3600},
    {"90min", 0, 5400},
    {"45s", 0, 45},
    {"2w", 0, 14 * 86400},
    {"0s", 0, 0},
    {"1d", 0, 86400},
    {"999999999s", 0, 999999999},
};

START_TEST(test_parse_duration_valid)
{
    for (size_t i = 0; i < sizeof good_durations / sizeof good_durations[0]; i++) {
        sim_duration d = {-7, -7};
        ck_assert_msg(sim_parse_duration(good_durations[i].s, &d) == 0, "refused \"%s\"",
                      good_durations[i].s);
        ck_assert_msg(d.months == good_durations[i].months && d.seconds == good_durations[i].seconds,
                      "\"%s\": got {%d, %lld}", good_durations[i].s, (int)d.months,
                      (long long)d.seconds);
    }
}
END_TEST

START_TEST(test_parse_duration_invalid)
{
    static const char *bad[] = {
        "m",      "5m",     "",       "P",      "PT",      "P1H",      "P1S",     "P1.5D",
        "P1,5D",  "1.5d",   "-5d",    "P-5D",   "+5d",     "P1D2Y",    "P1M1Y",   "P1D1W",
        "PT1M1H", "PT1S1M", "P1Y1Y",  "PT1H1H", "P1DT",    "P1DT1D",   "PT1Y",    "PT1W",
        "PT1D",   "P1",     "PT1",    "P1DT1",  "1",       "d",        "min",     "30",
        "30 d",   " 30d",   "30d ",   "30D",    "30dd",    "30mins",   "30m",     "1y",
        "1M",     "p1d",    "P1d",    "Pd",     "PD",      "PTH",      "P1DT2H3", "P1TD",
        "PT1HT1M", "P1DTT1H", "1P",   "P 1D",   "P1D ",    "PT1.5H",   "P1Y2M3DT4H5M6S7S",
        "P1234567890D", "P99999999999Y", "1234567890d", "PT1234567890S", "00000000001s",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sim_duration d = {-3, -3};
        ck_assert_msg(sim_parse_duration(bad[i], &d) == -1, "accepted \"%s\"", bad[i]);
        ck_assert_msg(d.months == -3 && d.seconds == -3, "\"%s\" changed the output", bad[i]);
    }
}
END_TEST

/* Both parts of a parsed duration are non-negative (time.h): month counts that do not fit
 * the 32-bit field must be refused, not wrapped. */
START_TEST(test_parse_duration_month_overflow)
{
    static const char *big[] = {"P999999999Y", "P200000000Y", "P100000000Y999999999M"};
    for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) {
        sim_duration d = {-3, -3};
        int rc = sim_parse_duration(big[i], &d);
        ck_assert_msg(rc == -1 || (d.months >= 0 && d.seconds >= 0),
                      "\"%s\" gave rc %d, months %d", big[i], rc, (int)d.months);
    }
    /* the largest counts that do fit are kept exactly */
    ck_assert_int_eq(D("P999999999M").months, 999999999);
    ck_assert_int_eq(D("P150000000Y").months, 1800000000);
}
END_TEST

/* ---- formatting ------------------------------------------------------------------------ */

START_TEST(test_format_instant)
{
    assert_instant(0, "1970-01-01T00:00:00Z");
    assert_instant(-1, "1969-12-31T23:59:59Z");
    assert_instant(-86400, "1969-12-31T00:00:00Z");
    assert_instant(-86401, "1969-12-30T23:59:59Z");
    assert_instant(-365 * SIM_DAY, "1969-01-01T00:00:00Z");
    assert_instant(-14182940, "1969-07-20T20:17:40Z");
    assert_instant(-25567 * SIM_DAY, "1900-01-01T00:00:00Z");
    assert_instant(T("2025-03-01T09:30Z"), "2025-03-01T09:30:00Z");
    assert_instant(1740821405, "2025-03-01T09:30:05Z");
    assert_instant(951782400, "2000-02-29T00:00:00Z");
    assert_instant(sim_days_from_civil(5, 1, 1) * SIM_DAY + 61, "0005-01-01T00:01:01Z");
    /* parse(format(t)) == t across the epoch, at odd offsets */
    for (sim_time t = -4000000000LL; t < 4000000000LL; t += 7654321) {
        char buf[SIM_TIME_BUF];
        sim_time back = 0;
        REQUIRE(sim_parse_instant(sim_format_instant(t, buf), &back) == 0);
        if (back != t)
            ck_abort_msg("%lld formatted as %s reads back as %lld", (long long)t, buf, (long long)back);
    }
}
END_TEST

/* The ends of sim_time fit SIM_TIME_BUF and format without overflow (UBSan checks the latter). */
START_TEST(test_format_instant_extremes)
{
    assert_instant(INT64_MAX, "292277026596-12-04T15:30:07Z");
    assert_instant(INT64_MIN, "-292277022657-01-27T08:29:52Z");
    char buf[SIM_TIME_BUF];
    ck_assert_str_eq(sim_format_date(INT64_MAX, buf), "292277026596-12-04");
    ck_assert_str_eq(sim_format_date(INT64_MIN, buf), "-292277022657-01-27");
}
END_TEST

START_TEST(test_format_date)
{
    char buf[SIM_TIME_BUF];
    ck_assert_str_eq(sim_format_date(0, buf), "1970-01-01");
    ck_assert_str_eq(sim_format_date(86399, buf), "1970-01-01");
    ck_assert_str_eq(sim_format_date(-1, buf), "1969-12-31");
    ck_assert_str_eq(sim_format_date(-86400, buf), "1969-12-31");
    ck_assert_str_eq(sim_format_date(-86401, buf), "1969-12-30");
    ck_assert_str_eq(sim_format_date(T("2024-02-29T23:59:59Z"), buf), "2024-02-29");
    ck_assert_str_eq(sim_format_date(T("2025-03-01T09:30Z"), buf), "2025-03-01");
    ck_assert_ptr_eq(sim_format_date(0, buf), buf);
    ck_assert_ptr_eq(sim_format_instant(0, buf), buf);
}
END_TEST

START_TEST(test_format_duration)
{
    static const struct {
        int32_t months;
        int64_t seconds;
        const char *want;
    } cases[] = {
        {0, 0, "PT0S"},
        {14, 3 * 86400 + 4 * 3600 + 5 * 60 + 6, "P1Y2M3DT4H5M6S"},
        {14, 0, "P1Y2M"},
        {1, 0, "P1M"},
        {12, 0, "P1Y"},
        {36, 0, "P3Y"},
        {0, 30 * 86400, "P30D"},
        {0, 60, "PT1M"},
        {0, 120, "PT2M"},
        {0, 45, "PT45S"},
        {0, 3600, "PT1H"},
        {0, 5400, "PT1H30M"},
        {0, 3601, "PT1H1S"},
        {1, 3600, "P1MT1H"},
        {12, 86400, "P1Y1D"},
    };
    char buf[64];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sim_duration d = {cases[i].months, cases[i].seconds};
        ck_assert_ptr_eq(sim_format_duration(d, buf, sizeof buf), buf);
        ck_assert_str_eq(buf, cases[i].want);
    }
    /* every accepted ISO or short form formats to something that parses back equal */
    for (size_t i = 0; i < sizeof good_durations / sizeof good_durations[0]; i++) {
        sim_duration d = D(good_durations[i].s), back = {-1, -1};
        sim_format_duration(d, buf, sizeof buf);
        ck_assert_msg(buf[0] == 'P', "\"%s\" formatted as \"%s\"", good_durations[i].s, buf);
        ck_assert_int_eq(sim_parse_duration(buf, &back), 0);
        ck_assert_int_eq(back.months, d.months);
        ck_assert_int_eq(back.seconds, d.seconds);
    }
}
END_TEST

/* With a small buffer the output is cut, NUL-terminated, and nothing past `size` is written. */
START_TEST(test_format_duration_small_buffer)
{
    sim_duration d = {14, 3 * 86400 + 4 * 3600 + 5 * 60 + 6};
    for (size_t size = 1; size <= 15; size++) {
        char buf[64];
        memset(buf, '#', sizeof buf);
        sim_format_duration(d, buf, size);
        ck_assert_msg(memchr(buf, '\0', size) != NULL, "size %zu: not terminated", size);
        ck_assert_msg(strncmp(buf, "P1Y2M3DT4H5M6S", strlen(buf)) == 0, "size %zu: \"%s\"", size,
                      buf);
        for (size_t i = size; i < sizeof buf; i++)
            ck_assert_msg(buf[i] == '#', "size %zu: byte %zu written", size, i);
    }
}
END_TEST

Suite *time_suite(void)
{
    Suite *s = suite_create("time");
    TCase *tc = tcase_create("calendar");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_civil_known_values);
    tcase_add_test(tc, test_civil_every_day_1900_2400);
    tcase_add_test(tc, test_civil_wide_round_trip);
    tcase_add_test(tc, test_leap_years);
    tcase_add_test(tc, test_day_start);
    suite_add_tcase(s, tc);

    tc = tcase_create("months");
    tcase_add_test(tc, test_add_months_clamp);
    tcase_add_test(tc, test_add_months_keeps_time_of_day);
    tcase_add_test(tc, test_sub1_term_examples);
    tcase_add_test(tc, test_add_duration);
    suite_add_tcase(s, tc);

    tc = tcase_create("parse");
    tcase_add_test(tc, test_parse_instant_valid);
    tcase_add_test(tc, test_parse_instant_invalid);
    tcase_add_test(tc, test_parse_duration_valid);
    tcase_add_test(tc, test_parse_duration_invalid);
    tcase_add_test(tc, test_parse_duration_month_overflow);
    suite_add_tcase(s, tc);

    tc = tcase_create("format");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_format_instant);
    tcase_add_test(tc, test_format_instant_extremes);
    tcase_add_test(tc, test_format_date);
    tcase_add_test(tc, test_format_duration);
    tcase_add_test(tc, test_format_duration_small_buffer);
    tcase_add_test(tc, test_add_seconds_sat);
    suite_add_tcase(s, tc);
    return s;
}
