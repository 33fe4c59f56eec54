/* tests/check_dist.c - distributions: ranges, moments, weights, determinism, min/max. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "sim/dist.h"
#include "sim/pcg.h"
#include "suites.h"

/* ck_assert marks a point through a pipe on every success: too slow inside long loops. */
#define REQUIRE(c)                                                                                 \
    do {                                                                                           \
        if (!(c))                                                                                  \
            ck_abort_msg("Assertion '%s' failed", #c);                                             \
    } while (0)

static sim_dist make_exponential(int64_t mean)
{
    sim_dist d = {SIM_DIST_EXPONENTIAL, mean, 0, 0.0, 0, NULL, NULL, 0.0};
    return d;
}

static sim_dist make_lognormal(int64_t median, double sigma)
{
    sim_dist d = {SIM_DIST_LOGNORMAL, median, 0, sigma, 0, NULL, NULL, 0.0};
    return d;
}

static sim_dist make_choice(size_t n, const int64_t *values, const double *weights)
{
    sim_dist d = {SIM_DIST_CHOICE, 0, 0, 0.0, n, values, weights, 0.0};
    return d;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

START_TEST(test_dist_fixed)
{
    sim_pcg g;
    sim_pcg_seed(&g, 1u, 2u);
    sim_dist d = sim_dist_fixed(42);
    ck_assert_int_eq(d.kind, SIM_DIST_FIXED);
    for (int i = 0; i < 1000; i++)
        REQUIRE(sim_dist_draw(&d, &g) == 42);
    sim_dist z = sim_dist_fixed(0);
    ck_assert_int_eq(sim_dist_draw(&z, &g), 0);
    sim_dist big = sim_dist_fixed(INT64_C(31536000000));
    ck_assert_int_eq(sim_dist_draw(&big, &g), INT64_C(31536000000));
}
END_TEST

START_TEST(test_dist_uniform_small_span)
{
    sim_pcg g;
    sim_pcg_seed(&g, 5u, 8u);
    sim_dist d = sim_dist_uniform(5, 8);
    int hits[4] = {0};
    double sum = 0.0;
    enum { N = 100000 };
    for (int i = 0; i < N; i++) {
        int64_t v = sim_dist_draw(&d, &g);
        if (v < 5 || v > 8)
            ck_abort_msg("uniform(5, 8) gave %lld", (long long)v);
        hits[v - 5]++;
        sum += (double)v;
    }
    for (int k = 0; k < 4; k++) /* both ends and everything between, about equally */
        ck_assert_msg(hits[k] > 24000 && hits[k] < 26000, "value %d drawn %d times", k + 5, hits[k]);
    ck_assert_double_eq_tol(sum / N, 6.5, 0.02);

    /* a span of two, and one */
    sim_dist two = sim_dist_uniform(0, 1);
    int ones = 0;
    for (int i = 0; i < 10000; i++) {
        int64_t v = sim_dist_draw(&two, &g);
        REQUIRE(v == 0 || v == 1);
        ones += (int)v;
    }
    ck_assert_int_gt(ones, 4700);
    ck_assert_int_lt(ones, 5300);
    sim_dist one = sim_dist_uniform(7, 7);
    for (int i = 0; i < 100; i++)
        ck_assert_int_eq(sim_dist_draw(&one, &g), 7);
}
END_TEST

START_TEST(test_dist_uniform_ranges)
{
    sim_pcg g;
    sim_pcg_seed(&g, 77u, 1u);
    /* negative bounds */
    sim_dist sym = sim_dist_uniform(-3, 3);
    double sum = 0.0;
    int lo = 0, hi = 0;
    for (int i = 0; i < 70000; i++) {
        int64_t v = sim_dist_draw(&sym, &g);
        REQUIRE(v >= -3 && v <= 3);
        lo += v == -3;
        hi += v == 3;
        sum += (double)v;
    }
    ck_assert_int_gt(lo, 9000);
    ck_assert_int_gt(hi, 9000);
    ck_assert_double_eq_tol(sum / 70000, 0.0, 0.03);

    /* a wide span (a year in seconds, offset) */
    sim_dist wide = sim_dist_uniform(1000, 1000 + 31536000);
    sum = 0.0;
    for (int i = 0; i < 100000; i++) {
        int64_t v = sim_dist_draw(&wide, &g);
        REQUIRE(v >= 1000 && v <= 1000 + 31536000);
        sum += (double)v;
    }
    ck_assert_double_eq_tol(sum / 100000 / (1000 + 31536000 / 2.0), 1.0, 0.01);
}
END_TEST

/* Bounds at the ends of int64: still inside [a, b] (and no signed overflow under UBSan). */
START_TEST(test_dist_uniform_int64_extremes)
{
    sim_pcg g;
    sim_pcg_seed(&g, 3u, 4u);
    sim_dist all = sim_dist_uniform(INT64_MIN, INT64_MAX);
    sim_dist neg = sim_dist_uniform(INT64_MIN, 0);
    sim_dist pos = sim_dist_uniform(0, INT64_MAX);
    int negatives = 0;
    for (int i = 0; i < 1000; i++) {
        negatives += sim_dist_draw(&all, &g) < 0;
        REQUIRE(sim_dist_draw(&neg, &g) <= 0);
        REQUIRE(sim_dist_draw(&pos, &g) >= 0);
    }
    ck_assert_int_gt(negatives, 400);
    ck_assert_int_lt(negatives, 600);
}
END_TEST

START_TEST(test_dist_exponential_mean)
{
    sim_pcg g;
    sim_pcg_seed(&g, 11u, 13u);
    sim_dist d = make_exponential(3600);
    enum { N = 100000 };
    double sum = 0.0;
    int above_mean = 0;
    for (int i = 0; i < N; i++) {
        int64_t v = sim_dist_draw(&d, &g);
        REQUIRE(v >= 0);
        sum += (double)v;
        above_mean += v > 3600;
    }
    ck_assert_double_eq_tol(sum / N / 3600.0, 1.0, 0.02);
    /* P(X > mean) = 1/e */
    ck_assert_double_eq_tol(above_mean / (double)N, exp(-1.0), 0.01);

    sim_dist z = make_exponential(0);
    for (int i = 0; i < 100; i++)
        ck_assert_int_eq(sim_dist_draw(&z, &g), 0);
}
END_TEST

START_TEST(test_dist_lognormal_median)
{
    sim_pcg g;
    sim_pcg_seed(&g, 17u, 19u);
    enum { N = 100001 };
    int64_t *v = malloc(N * sizeof *v);
    ck_assert_ptr_nonnull(v);
    sim_dist d = make_lognormal(86400, 0.8);
    int within_sigma = 0;
    for (int i = 0; i < N; i++) {
        v[i] = sim_dist_draw(&d, &g);
        REQUIRE(v[i] >= 0);
        within_sigma += v[i] >= 86400 * exp(-0.8) && v[i] <= 86400 * exp(0.8);
    }
    qsort(v, N, sizeof *v, cmp_i64);
    ck_assert_double_eq_tol((double)v[N / 2] / 86400.0, 1.0, 0.02);
    /* log of the draw is normal with the given sigma: 68.3% within one sigma */
    ck_assert_double_eq_tol(within_sigma / (double)N, 0.6827, 0.01);
    free(v);

    /* sigma 0 is the median itself */
    sim_dist flat = make_lognormal(500, 0.0);
    for (int i = 0; i < 100; i++)
        ck_assert_int_eq(sim_dist_draw(&flat, &g), 500);
}
END_TEST

START_TEST(test_dist_choice_weights)
{
    static const int64_t values[4] = {10, 20, 30, 40};
    static const double weights[4] = {1.0, 2.0, 0.0, 7.0};
    sim_pcg g;
    sim_pcg_seed(&g, 23u, 29u);
    sim_dist d = make_choice(4, values, weights);
    enum { N = 100000 };
    int count[4] = {0};
    for (int i = 0; i < N; i++) {
        int64_t v = sim_dist_draw(&d, &g);
        if (v != 10 && v != 20 && v != 30 && v != 40)
            ck_abort_msg("choice gave %lld", (long long)v);
        count[v / 10 - 1]++;
    }
    ck_assert_double_eq_tol(count[0] / (double)N, 0.1, 0.006);
    ck_assert_double_eq_tol(count[1] / (double)N, 0.2, 0.008);
    ck_assert_int_eq(count[2], 0); /* weight 0: never */
    ck_assert_double_eq_tol(count[3] / (double)N, 0.7, 0.01);

    /* no weights: equally likely */
    static const int64_t three[3] = {5, 500, 50000};
    sim_dist u = make_choice(3, three, NULL);
    int c5 = 0, c500 = 0, c50000 = 0;
    for (int i = 0; i < 30000; i++) {
        int64_t v = sim_dist_draw(&u, &g);
        REQUIRE(v == 5 || v == 500 || v == 50000);
        c5 += v == 5;
        c500 += v == 500;
        c50000 += v == 50000;
    }
    ck_assert(c5 > 9500 && c5 < 10500);
    ck_assert(c500 > 9500 && c500 < 10500);
    ck_assert(c50000 > 9500 && c50000 < 10500);

    /* a single value, non-integral weights */
    static const int64_t one[1] = {77};
    static const double w1[1] = {0.25};
    sim_dist s = make_choice(1, one, w1);
    for (int i = 0; i < 100; i++)
        ck_assert_int_eq(sim_dist_draw(&s, &g), 77);
}
END_TEST

/* Equal seeds, equal draws, kind by kind; another seed gives another sequence. */
START_TEST(test_dist_deterministic)
{
    static const int64_t values[3] = {1, 2, 3};
    static const double weights[3] = {0.2, 0.3, 0.5};
    sim_dist kinds[5] = {sim_dist_fixed(9), sim_dist_uniform(0, 1000000), make_exponential(600),
                         make_lognormal(3600, 1.0), make_choice(3, values, weights)};
    for (int k = 0; k < 5; k++) {
        sim_pcg a, b, c;
        sim_pcg_for_run(&a, 1234u, 5u);
        sim_pcg_for_run(&b, 1234u, 5u);
        sim_pcg_for_run(&c, 1235u, 5u);
        int differ = 0;
        for (int i = 0; i < 1000; i++) {
            int64_t x = sim_dist_draw(&kinds[k], &a);
            REQUIRE(x == sim_dist_draw(&kinds[k], &b));
            differ += x != sim_dist_draw(&kinds[k], &c);
        }
        if (k == 0)
            ck_assert_int_eq(differ, 0);
        else
            ck_assert_msg(differ > 300, "kind %d: other seed differs only %d times", k, differ);
    }
}
END_TEST

/* Outputs consumed by one draw: n such that advancing a copy n times gives the same state. */
static int consumed(const sim_pcg *before, const sim_pcg *after)
{
    sim_pcg x = *before;
    for (int n = 0; n <= 16; n++) {
        if (x.state == after->state && x.inc == after->inc)
            return n;
        sim_pcg_next(&x);
    }
    return -1;
}

/* Each kind uses the same number of generator outputs on every draw (dist.h), so one stream
 * stays aligned whatever the drawn values are. */
START_TEST(test_dist_fixed_consumption)
{
    static const int64_t values[3] = {1, 2, 3};
    static const double weights[3] = {0.2, 0.3, 0.5};
    sim_dist kinds[6] = {sim_dist_fixed(9),         sim_dist_uniform(0, 5),
                         sim_dist_uniform(0, 1000000000000LL), make_exponential(600),
                         make_lognormal(3600, 1.0), make_choice(3, values, weights)};
    for (int k = 0; k < 6; k++) {
        sim_pcg g;
        sim_pcg_seed(&g, 31u, (uint64_t)k);
        int first = -1;
        for (int i = 0; i < 2000; i++) {
            sim_pcg before = g;
            sim_dist_draw(&kinds[k], &g);
            int n = consumed(&before, &g);
            REQUIRE(n >= 0);
            if (i == 0)
                first = n;
            if (n != first)
                ck_abort_msg( "kind %d: draw %d used %d outputs, first used %d", k, i, n,
                          first);
        }
        if (k == 0)
            ck_assert_int_eq(first, 0);
        else
            ck_assert_int_gt(first, 0);
    }
}
END_TEST

START_TEST(test_dist_min_max)
{
    sim_dist f = sim_dist_fixed(5);
    ck_assert_int_eq(sim_dist_min(&f), 5);
    ck_assert_int_eq(sim_dist_max(&f), 5);
    sim_dist u = sim_dist_uniform(3, 9);
    ck_assert_int_eq(sim_dist_min(&u), 3);
    ck_assert_int_eq(sim_dist_max(&u), 9);
    sim_dist e = make_exponential(100);
    ck_assert_int_eq(sim_dist_min(&e), 0);
    ck_assert_int_eq(sim_dist_max(&e), INT64_MAX);
    sim_dist l = make_lognormal(100, 0.5);
    ck_assert_int_eq(sim_dist_min(&l), 0);
    ck_assert_int_eq(sim_dist_max(&l), INT64_MAX);
    static const int64_t values[4] = {30, 10, 40, 20};
    static const double weights[4] = {1, 1, 1, 1};
    sim_dist c = make_choice(4, values, weights);
    ck_assert_int_eq(sim_dist_min(&c), 10);
    ck_assert_int_eq(sim_dist_max(&c), 40);

    /* every draw lies in [min, max] */
    sim_dist all[5] = {f, u, e, l, c};
    sim_pcg g;
    sim_pcg_seed(&g, 37u, 41u);
    for (int k = 0; k < 5; k++) {
        int64_t lo = INT64_MAX, hi = INT64_MIN;
        for (int i = 0; i < 5000; i++) {
            int64_t v = sim_dist_draw(&all[k], &g);
            REQUIRE(v >= sim_dist_min(&all[k]));
            REQUIRE(v <= sim_dist_max(&all[k]));
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
        if (k == 1 || k == 4) { /* bounded kinds reach their bounds */
            ck_assert_int_eq(lo, sim_dist_min(&all[k]));
            ck_assert_int_eq(hi, sim_dist_max(&all[k]));
        }
    }
}
END_TEST

/* Poisson, mean 4, 100,000 draws: the sample mean has sd sqrt(4 / 1e5) = 0.0063, bound 0.0285
 * (4.5 sd); the sample variance has sd sqrt((mu + 2 mu^2) / N) = sqrt(36 / 1e5) = 0.019, bound
 * 0.1 (5 sd). P(X = 0) = e^-4 = 0.0183: sd sqrt(0.0183 * 0.9817 / 1e5) = 0.00042, bound 0.0019. */
START_TEST(test_dist_poisson_mean)
{
    sim_pcg g;
    sim_pcg_for_run(&g, 12, 0);
    sim_dist d = sim_dist_poisson(4.0);
    const int n = 100000;
    double sum = 0.0, sq = 0.0;
    int zeros = 0;
    for (int i = 0; i < n; i++) {
        int64_t v = sim_dist_draw(&d, &g);
        REQUIRE(v >= 0 && v < 40);
        sum += (double)v;
        sq += (double)v * (double)v;
        zeros += v == 0;
    }
    double mean = sum / n, var = sq / n - mean * mean;
    ck_assert_double_eq_tol(mean, 4.0, 0.0285);
    ck_assert_double_eq_tol(var, 4.0, 0.1);
    ck_assert_double_eq_tol((double)zeros / n, 0.0183156, 0.0019);
    ck_assert_int_eq(sim_dist_min(&d), 0);
    ck_assert(sim_dist_max(&d) == INT64_MAX);
}
END_TEST

/* Above the inversion limit: mean 1000, 20,000 draws by the normal approximation; the sample
 * mean has sd sqrt(1000 / 2e4) = 0.224, bound 1.0 (4.5 sd); the sd itself sqrt(1000) = 31.6,
 * its estimate has sd about 31.6 / sqrt(2 N) = 0.16, bound 0.8 (5 sd). Mean 0 always gives 0. */
START_TEST(test_dist_poisson_large_and_zero)
{
    sim_pcg g;
    sim_pcg_for_run(&g, 13, 0);
    sim_dist d = sim_dist_poisson(1000.0);
    const int n = 20000;
    double sum = 0.0, sq = 0.0;
    for (int i = 0; i < n; i++) {
        double v = (double)sim_dist_draw(&d, &g);
        sum += v;
        sq += v * v;
    }
    double mean = sum / n;
    ck_assert_double_eq_tol(mean, 1000.0, 1.0);
    ck_assert_double_eq_tol(sqrt(sq / n - mean * mean), sqrt(1000.0), 0.8);
    sim_dist z = sim_dist_poisson(0.0);
    for (int i = 0; i < 100; i++)
        REQUIRE(sim_dist_draw(&z, &g) == 0);
}
END_TEST

/* {p: 0.3}, 100,000 draws: trues ~ Binomial(1e5, 0.3), mean 30,000, sd sqrt(1e5 * 0.3 * 0.7) =
 * 145, bound 652 (4.5 sd). p = 0 and p = 1 are certain. */
START_TEST(test_dist_bernoulli)
{
    sim_pcg g;
    sim_pcg_for_run(&g, 14, 0);
    sim_dist d = sim_dist_bernoulli(0.3), never = sim_dist_bernoulli(0.0), always = sim_dist_bernoulli(1.0);
    int64_t trues = 0;
    for (int i = 0; i < 100000; i++) {
        int64_t v = sim_dist_draw(&d, &g);
        REQUIRE(v == 0 || v == 1);
        trues += v;
    }
    ck_assert_int_le(llabs(trues - 30000), 652);
    for (int i = 0; i < 1000; i++) {
        REQUIRE(sim_dist_draw(&never, &g) == 0);
        REQUIRE(sim_dist_draw(&always, &g) == 1);
    }
    ck_assert_int_eq(sim_dist_min(&always), 1);
    ck_assert_int_eq(sim_dist_max(&never), 0);
    ck_assert_int_eq(sim_dist_max(&d), 1);
}
END_TEST

/* Uniform over instants 2024-01-01 .. 2024-12-31 (1704067200 .. 1735603200, span 31,536,000 s),
 * 100,000 draws: every draw inside; the mean's sd is span / sqrt(12) / sqrt(N) = 28,789 s,
 * bound 129,551 s (4.5 sd); the share before the midpoint has sd sqrt(0.25 / 1e5) = 0.00158,
 * bound 0.0071 (4.5 sd). Both ends are reachable within a day (each day has p = 1/366). */
START_TEST(test_dist_uniform_instants)
{
    sim_pcg g;
    sim_pcg_for_run(&g, 15, 0);
    const int64_t lo = 1704067200, hi = 1735603200, mid = (lo + hi) / 2;
    sim_dist d = sim_dist_uniform(lo, hi);
    double sum = 0.0;
    int before = 0, first_day = 0, last_day = 0;
    for (int i = 0; i < 100000; i++) {
        int64_t v = sim_dist_draw(&d, &g);
        REQUIRE(v >= lo && v <= hi);
        sum += (double)(v - lo);
        before += v < mid;
        first_day += v < lo + 86400;
        last_day += v > hi - 86400;
    }
    ck_assert_double_eq_tol(sum / 100000.0, (double)(hi - lo) / 2.0, 129551.0);
    ck_assert_double_eq_tol(before / 100000.0, 0.5, 0.0071);
    ck_assert_int_gt(first_day, 0);
    ck_assert_int_gt(last_day, 0);
}
END_TEST

/* A choice of words (offer indices 0 and 1, weights 7 and 3), 100,000 draws: index 0 ~
 * Binomial(1e5, 0.7), mean 70,000, sd 145, bound 652 (4.5 sd). */
START_TEST(test_dist_choice_words)
{
    sim_pcg g;
    sim_pcg_for_run(&g, 16, 0);
    static const int64_t values[] = {0, 1};
    static const double weights[] = {7.0, 3.0};
    sim_dist d = make_choice(2, values, weights);
    int64_t zeros = 0;
    for (int i = 0; i < 100000; i++) {
        int64_t v = sim_dist_draw(&d, &g);
        REQUIRE(v == 0 || v == 1);
        zeros += v == 0;
    }
    ck_assert_int_le(llabs(zeros - 70000), 652);
}
END_TEST

Suite *dist_suite(void)
{
    Suite *s = suite_create("dist");
    TCase *tc = tcase_create("draws");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_dist_fixed);
    tcase_add_test(tc, test_dist_uniform_small_span);
    tcase_add_test(tc, test_dist_uniform_ranges);
    tcase_add_test(tc, test_dist_uniform_int64_extremes);
    tcase_add_test(tc, test_dist_exponential_mean);
    tcase_add_test(tc, test_dist_lognormal_median);
    tcase_add_test(tc, test_dist_choice_weights);
    suite_add_tcase(s, tc);

    tc = tcase_create("contract");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_dist_deterministic);
    tcase_add_test(tc, test_dist_fixed_consumption);
    tcase_add_test(tc, test_dist_min_max);
    tcase_add_test(tc, test_dist_poisson_mean);
    tcase_add_test(tc, test_dist_poisson_large_and_zero);
    tcase_add_test(tc, test_dist_bernoulli);
    tcase_add_test(tc, test_dist_uniform_instants);
    tcase_add_test(tc, test_dist_choice_words);
    suite_add_tcase(s, tc);
    return s;
}
