/* tests/check_stats.c - the sweep layer: Student-t quantiles against published tables,
 * mean/sd/interval/percentiles against hand-computed values, n = 1, the paired difference,
 * run numbering and seeds, and the thread pool's ordered delivery. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "suites.h"
#include "sweep/plan.h"
#include "sweep/stats.h"
#include "sweep/transport.h"

#define NEAR(x, want, tol) ck_assert_msg(fabs((x) - (double)(want)) <= (tol), "%s = %.8f, want %.8f", #x, (double)(x), (double)(want))

/* Published two-sided 95% (p = 0.975) and other values of Student's t (e.g. NIST/SEMATECH
 * e-Handbook table 1.3.6.7.2), to the digits printed there. */
START_TEST(test_t_quantile_published)
{
    NEAR(swp_t_quantile(0.975, 1), 12.706, 0.0005);
    NEAR(swp_t_quantile(0.975, 2), 4.303, 0.0005);
    NEAR(swp_t_quantile(0.975, 5), 2.571, 0.0005);
    NEAR(swp_t_quantile(0.975, 11), 2.2010, 0.00005);
    NEAR(swp_t_quantile(0.975, 30), 2.0423, 0.00005);
    NEAR(swp_t_quantile(0.975, 100), 1.984, 0.0005);
    NEAR(swp_t_quantile(0.95, 10), 1.812, 0.0005);
    NEAR(swp_t_quantile(0.995, 20), 2.845, 0.0005);
    NEAR(swp_t_quantile(0.975, 1e7), 1.95996, 0.00001); /* the normal's 1.959964 */
    NEAR(swp_t_quantile(0.025, 11), -2.2010, 0.00005);  /* symmetric */
    NEAR(swp_t_quantile(0.5, 3), 0.0, 0.0);
    NEAR(swp_t_cdf(0.0, 4), 0.5, 1e-12);
    NEAR(swp_t_cdf(1.0, 1), 0.75, 1e-9); /* Cauchy: 1/2 + atan(1)/pi */
}
END_TEST

/* x = 2 4 4 4 5 5 7 9: mean 40/8 = 5; squared deviations 9+1+1+1+0+0+4+16 = 32, sd =
 * sqrt(32/7) = 2.1380899; half width t(0.975, 7) sd / sqrt 8 = 2.3646243 x 0.7559289 =
 * 1.7874880. Type 7: p5 h = 0.35 -> 2 + 0.35 x 2 = 2.7; p50 h = 3.5 -> 4.5; p95 h = 6.65 ->
 * 7 + 0.65 x 2 = 8.3. */
START_TEST(test_stats_hand_computed)
{
    const double x[] = {5, 9, 2, 4, 7, 4, 5, 4}; /* unsorted on purpose */
    swp_stats s;
    ck_assert_int_eq(swp_stats_of(x, 8, &s), 0);
    ck_assert_uint_eq(s.n, 8);
    ck_assert(s.has_ci);
    NEAR(s.mean, 5.0, 1e-12);
    NEAR(s.sd, 2.1380899, 1e-7);
    NEAR(s.ci_low, 5.0 - 1.7874880, 1e-6);
    NEAR(s.ci_high, 5.0 + 1.7874880, 1e-6);
    NEAR(s.min, 2, 0);
    NEAR(s.max, 9, 0);
    NEAR(s.p5, 2.7, 1e-12);
    NEAR(s.p50, 4.5, 1e-12);
    NEAR(s.p95, 8.3, 1e-12);
    ck_assert_int_eq(swp_stats_of(x, 0, &s), -1);
}
END_TEST

START_TEST(test_stats_one_value)
{
    const double x[] = {42};
    swp_stats s;
    ck_assert_int_eq(swp_stats_of(x, 1, &s), 0);
    ck_assert(!s.has_ci); /* printed empty, never NaN */
    NEAR(s.mean, 42, 0);
    NEAR(s.p5, 42, 0);
    NEAR(s.p95, 42, 0);
    ck_assert(!isnan(s.sd) && !isnan(s.ci_low));
}
END_TEST

/* Paired: x - base = 1 3 2 -> mean 2, sd 1, half t(0.975, 2) / sqrt 3 = 4.3026527 x
 * 0.5773503 = 2.4841377. Unpaired the noise of base (10 20 30) would hide it. */
START_TEST(test_stats_paired)
{
    const double base[] = {10, 20, 30}, x[] = {11, 23, 32};
    swp_stats d;
    ck_assert_int_eq(swp_stats_paired(x, base, 3, &d), 0);
    NEAR(d.mean, 2, 1e-12);
    NEAR(d.ci_low, 2 - 2.4841377, 1e-6);
    NEAR(d.ci_high, 2 + 2.4841377, 1e-6);
}
END_TEST

START_TEST(test_plan_numbering)
{
    swp_plan p = {.nkeys = 2, .nvalues = {2, 3}, .replications = 4, .seed = 7};
    ck_assert_int_eq(swp_plan_init(&p, 1000), 0);
    ck_assert_uint_eq(p.npoints, 6);
    ck_assert_uint_eq(p.nruns, 24);
    size_t c[2];
    swp_plan_coords(&p, 0, c);
    ck_assert(c[0] == 0 && c[1] == 0);
    swp_plan_coords(&p, 2, c); /* first key slowest: (0,2) */
    ck_assert(c[0] == 0 && c[1] == 2);
    swp_plan_coords(&p, 3, c);
    ck_assert(c[0] == 1 && c[1] == 0);
    ck_assert_uint_eq(swp_run_point(&p, 13), 3);
    ck_assert_uint_eq(swp_run_replication(&p, 13), 1);
    /* common random numbers: the seed depends on the replication only */
    ck_assert_uint_eq(swp_run_seed(7, 0), 7);
    ck_assert_uint_ne(swp_run_seed(7, 1), swp_run_seed(7, 2));
    ck_assert_uint_ne(swp_run_seed(7, 1), swp_run_seed(8, 1));
    ck_assert_uint_le(swp_run_seed(7, 1), INT64_MAX);
    ck_assert_int_eq(swp_plan_init(&p, 23), -1); /* 24 runs past a limit of 23 */
    swp_plan q = {.nkeys = 1, .nvalues = {0}, .replications = 1};
    ck_assert_int_eq(swp_plan_init(&q, 1000), -1);
    swp_plan big = {.nkeys = 3, .nvalues = {1u << 30, 1u << 30, 1u << 30}, .replications = 1};
    ck_assert_int_eq(swp_plan_init(&big, UINT64_MAX), -1); /* 2^90 overflows */
}
END_TEST

/* ---- the pool: results reach done in list order whatever the scheduling ---------------- */

typedef struct {
    uint64_t order[64];
    size_t n;
    uint64_t fail_at;
} pool_ctx;

static int run_one(void *ctx, uint64_t run, void *result)
{
    pool_ctx *c = ctx;
    volatile uint64_t x = run;
    for (uint64_t i = 0; i < (63 - run % 64) * 20000; i++) /* early runs take longest */
        x = x * 6364136223846793005ULL + 1;
    *(uint64_t *)result = run * 10;
    return run == c->fail_at ? -1 : 0;
}

static int take(void *ctx, size_t i, uint64_t run, const void *result)
{
    pool_ctx *c = ctx;
    ck_assert_uint_eq(*(const uint64_t *)result, run * 10);
    ck_assert_uint_eq(i, c->n);
    c->order[c->n++] = run;
    return 0;
}

START_TEST(test_threads_order)
{
    uint64_t runs[40];
    for (size_t i = 0; i < 40; i++)
        runs[i] = 3 + i; /* a shard: runs 3..42 */
    for (unsigned jobs = 1; jobs <= 4; jobs++) {
        pool_ctx c = {.fail_at = UINT64_MAX};
        swp_work w = {runs, 40, sizeof(uint64_t), run_one, take, &c};
        ck_assert_int_eq(swp_threads_execute(&w, jobs), 0);
        ck_assert_uint_eq(c.n, 40);
        for (size_t i = 0; i < 40; i++)
            ck_assert_uint_eq(c.order[i], runs[i]);
    }
    pool_ctx c = {.fail_at = 10};
    swp_work w = {runs, 40, sizeof(uint64_t), run_one, take, &c};
    ck_assert_int_eq(swp_threads_execute(&w, 2), -1);
    ck_assert_uint_le(c.n, 7); /* runs 3..9 at most: never one past the failure */
    for (size_t i = 0; i < c.n; i++)
        ck_assert_uint_eq(c.order[i], runs[i]);
}
END_TEST

Suite *stats_suite(void)
{
    Suite *s = suite_create("stats");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_t_quantile_published);
    tcase_add_test(tc, test_stats_hand_computed);
    tcase_add_test(tc, test_stats_one_value);
    tcase_add_test(tc, test_stats_paired);
    tcase_add_test(tc, test_plan_numbering);
    tcase_add_test(tc, test_threads_order);
    suite_add_tcase(s, tc);
    return s;
}
