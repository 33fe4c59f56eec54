/* tests/check_pcg.c - PCG32 against the reference vector, bounded and unit draws, seeding. */
#include <stdint.h>
#include <string.h>

#include "sim/pcg.h"
#include "suites.h"

/* ck_assert marks a point through a pipe on every success: too slow inside long loops. */
#define REQUIRE(c)                                                                                 \
    do {                                                                                           \
        if (!(c))                                                                                  \
            ck_abort_msg("Assertion '%s' failed", #c);                                             \
    } while (0)

/* pcg32-demo of the reference C implementation: pcg32_srandom_r(&rng, 42, 54). */
START_TEST(test_pcg_reference_vector)
{
    static const uint32_t want[6] = {0xa15c02b7u, 0x7b47f409u, 0xba1d3330u,
                                     0x83d2f293u, 0xbfa4784bu, 0xcbed606eu};
    sim_pcg g;
    sim_pcg_seed(&g, 42u, 54u);
    ck_assert_uint_eq(g.inc, (54u << 1) | 1u);
    for (int i = 0; i < 6; i++)
        ck_assert_msg(sim_pcg_next(&g) == want[i], "output %d differs", i);
}
END_TEST

START_TEST(test_pcg_seed_deterministic)
{
    sim_pcg a, b, c;
    sim_pcg_seed(&a, 12345u, 678u);
    sim_pcg_seed(&b, 12345u, 678u);
    sim_pcg_seed(&c, 12345u, 679u); /* same state, another stream */
    ck_assert(c.inc & 1u);
    int differ = 0;
    for (int i = 0; i < 1000; i++) {
        uint32_t x = sim_pcg_next(&a);
        REQUIRE(x == sim_pcg_next(&b));
        differ += x != sim_pcg_next(&c);
    }
    ck_assert_int_gt(differ, 990);
}
END_TEST

START_TEST(test_pcg_next64)
{
    sim_pcg a, b;
    sim_pcg_seed(&a, 42u, 54u);
    b = a;
    for (int i = 0; i < 100; i++) {
        uint64_t hi = sim_pcg_next(&a);
        uint64_t lo = sim_pcg_next(&a);
        ck_assert_uint_eq(sim_pcg_next64(&b), (hi << 32) | lo);
    }
    ck_assert_uint_eq(a.state, b.state);
    sim_pcg_seed(&a, 42u, 54u);
    ck_assert_uint_eq(sim_pcg_next64(&a), 0xa15c02b77b47f409ULL);
}
END_TEST

START_TEST(test_pcg_bounded_range)
{
    static const uint32_t bounds[] = {1u, 2u, 3u, 7u, 10u, 1000u, 0x80000001u, 0xC0000000u,
                                      0xFFFFFFFFu};
    sim_pcg g;
    sim_pcg_seed(&g, 7u, 11u);
    for (size_t b = 0; b < sizeof bounds / sizeof bounds[0]; b++) {
        uint32_t max = 0;
        for (int i = 0; i < 20000; i++) {
            uint32_t r = sim_pcg_bounded(&g, bounds[b]);
            if (r >= bounds[b])
                ck_abort_msg("bound %u gave %u", bounds[b], r);
            if (r > max)
                max = r;
        }
        /* the top of the range is reached (small bounds) or nearly so (large ones) */
        if (bounds[b] <= 1000u)
            ck_assert_uint_eq(max, bounds[b] - 1u);
        else
            ck_assert_uint_gt(max, bounds[b] - bounds[b] / 100u);
    }
    ck_assert_uint_eq(sim_pcg_bounded(&g, 0u), 0u);
    ck_assert_uint_eq(sim_pcg_bounded(&g, 1u), 0u);
}
END_TEST

/* Chi-square over 10 cells with a fixed seed: deterministic, and far below what a biased or
 * broken reduction gives. */
START_TEST(test_pcg_bounded_uniform)
{
    enum { CELLS = 10, DRAWS = 100000 };
    sim_pcg g;
    sim_pcg_seed(&g, 2024u, 3u);
    uint32_t count[CELLS] = {0};
    for (int i = 0; i < DRAWS; i++)
        count[sim_pcg_bounded(&g, CELLS)]++;
    double expect = (double)DRAWS / CELLS, chi2 = 0.0;
    for (int k = 0; k < CELLS; k++)
        chi2 += ((double)count[k] - expect) * ((double)count[k] - expect) / expect;
    /* 9 degrees of freedom: P(chi2 > 27.88) = 0.001 */
    ck_assert_msg(chi2 < 27.88, "chi-square %.2f", chi2);

    /* bound 3 * 2^30: plain modulo would put half of all draws below 2^30; uniform is 1/3 */
    int low = 0;
    for (int i = 0; i < 60000; i++)
        low += sim_pcg_bounded(&g, 0xC0000000u) < 0x40000000u;
    double frac = low / 60000.0;
    ck_assert_msg(frac > 0.32 && frac < 0.347, "fraction below 2^30: %.4f", frac);
}
END_TEST

START_TEST(test_pcg_unit)
{
    sim_pcg g, h;
    sim_pcg_seed(&g, 99u, 1u);
    h = g;
    double sum = 0.0, lo = 1.0, hi = 0.0;
    int below_tenth = 0;
    for (int i = 0; i < 1000000; i++) {
        double u = sim_pcg_unit(&g);
        REQUIRE(u >= 0.0 && u < 1.0);
        /* exactly the top 53 bits of next64 */
        REQUIRE(u == (double)(sim_pcg_next64(&h) >> 11) * 0x1.0p-53);
        sum += u;
        lo = u < lo ? u : lo;
        hi = u > hi ? u : hi;
        below_tenth += u < 0.1;
    }
    ck_assert_double_eq_tol(sum / 1e6, 0.5, 0.002);
    ck_assert_double_lt(lo, 1e-4);
    ck_assert_double_gt(hi, 1.0 - 1e-4);
    ck_assert_int_gt(below_tenth, 98500);
    ck_assert_int_lt(below_tenth, 101500);
}
END_TEST

START_TEST(test_pcg_for_run)
{
    sim_pcg a, b;
    sim_pcg_for_run(&a, 1u, 0u);
    sim_pcg_for_run(&b, 1u, 0u);
    ck_assert(a.inc & 1u);
    ck_assert_uint_eq(a.state, b.state);
    ck_assert_uint_eq(a.inc, b.inc);
    for (int i = 0; i < 1000; i++)
        REQUIRE(sim_pcg_next(&a) == sim_pcg_next(&b));

    /* nearby seeds and replications: pairwise different first outputs */
    enum { N = 16 };
    uint32_t first[N * N];
    for (uint64_t seed = 0; seed < N; seed++) {
        for (uint64_t rep = 0; rep < N; rep++) {
            sim_pcg_for_run(&a, seed, rep);
            ck_assert(a.inc & 1u);
            first[seed * N + rep] = sim_pcg_next(&a);
        }
    }
    for (int i = 0; i < N * N; i++)
        for (int j = i + 1; j < N * N; j++)
            if (first[i] == first[j])
                ck_abort_msg("runs %d and %d start alike", i, j);

    /* also for large seeds */
    sim_pcg_for_run(&a, UINT64_MAX, 0u);
    sim_pcg_for_run(&b, UINT64_MAX, 1u);
    ck_assert_uint_ne(sim_pcg_next(&a), sim_pcg_next(&b));
    sim_pcg_for_run(&a, 42u, 7u);
    sim_pcg_for_run(&b, 43u, 7u);
    ck_assert_uint_ne(sim_pcg_next(&a), sim_pcg_next(&b));
}
END_TEST

START_TEST(test_splitmix64)
{
    uint64_t x = 0;
    ck_assert_uint_eq(sim_splitmix64(&x), 0xe220a8397b1dcdafULL);
    ck_assert_uint_eq(x, 0x9e3779b97f4a7c15ULL);
    ck_assert_uint_eq(sim_splitmix64(&x), 0x6e789e6aa1b965f4ULL);
    ck_assert_uint_eq(sim_splitmix64(&x), 0x06c45d188009454fULL);
    ck_assert_uint_eq(x, 3u * 0x9e3779b97f4a7c15ULL);
}
END_TEST

Suite *pcg_suite(void)
{
    Suite *s = suite_create("pcg");
    TCase *tc = tcase_create("pcg32");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_pcg_reference_vector);
    tcase_add_test(tc, test_pcg_seed_deterministic);
    tcase_add_test(tc, test_pcg_next64);
    tcase_add_test(tc, test_pcg_bounded_range);
    tcase_add_test(tc, test_pcg_bounded_uniform);
    tcase_add_test(tc, test_pcg_unit);
    suite_add_tcase(s, tc);

    tc = tcase_create("seeding");
    tcase_add_test(tc, test_pcg_for_run);
    tcase_add_test(tc, test_splitmix64);
    suite_add_tcase(s, tc);
    return s;
}
