/* sweep/stats.h - what the points table says of one outcome: n, mean, sd (n - 1), Student-t
 * 95% interval of the mean, min, p5, p50, p95, max; and the paired difference of two points
 * over the same replications (common random numbers) with its t interval.
 *
 * Percentiles are Hyndman & Fan type 7 (R's and numpy's default): with the values sorted
 * x[0] <= ... <= x[n-1] and h = (n - 1) p, x[floor h] + (h - floor h)(x[floor h + 1] -
 * x[floor h]). Sums run in the order the values are given (replication order), so shards
 * and ranks that hand back the same values add up to the same bits. With n = 1 there is no
 * sd and no interval: has_ci is 0 and the writer prints empty fields, never NaN.
 * Pure: no I/O; swp_stats_of allocates one sorted copy and frees it.
 */
#ifndef SWEEP_STATS_H
#define SWEEP_STATS_H

#include <stddef.h>

typedef struct {
    size_t n;
    double mean, sd, ci_low, ci_high; /* sd and the interval only when has_ci */
    double min, p5, p50, p95, max;
    int has_ci; /* n >= 2 */
} swp_stats;

/* The statistics of x[0..n), n >= 1. 0, or -1 when n is 0 or memory ran out. */
int swp_stats_of(const double *x, size_t n, swp_stats *out);

/* The paired difference: d[i] = x[i] - base[i] for i < n, then its mean and t interval
 * (only mean, ci_low, ci_high and has_ci are meaningful for a caller who prints diffs).
 * 0, or -1 as swp_stats_of. */
int swp_stats_paired(const double *x, const double *base, size_t n, swp_stats *out);

/* The type-7 percentile p (0..1) of sorted[0..n), n >= 1. */
double swp_percentile(const double *sorted, size_t n, double p);

/* Student's t quantile: the t with P(T <= t) = p for df degrees of freedom (df >= 1,
 * 0 < p < 1), found by bisection on the distribution function computed from the
 * regularized incomplete beta function (continued fraction, Numerical Recipes' betacf):
 * t(0.975, 1) = 12.7062, t(0.975, 11) = 2.2010, t(0.975, 30) = 2.0423. */
double swp_t_quantile(double p, double df);

/* P(T <= t) for df degrees of freedom. */
double swp_t_cdf(double t, double df);

#endif
