/* sweep/stats.c - descriptive statistics and Student-t intervals of the points table. */
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The continued fraction of the incomplete beta function (modified Lentz), converging for
 * x < (a + 1) / (a + b + 2); 300 terms are far more than df up to millions need. */
static double betacf(double a, double b, double x)
{
    const double tiny = 1e-300, eps = 1e-15;
    double qab = a + b, qap = a + 1.0, qam = a - 1.0;
    double c = 1.0, d = 1.0 - qab * x / qap;
    if (fabs(d) < tiny)
        d = tiny;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= 300; m++) {
        int m2 = 2 * m;
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if (fabs(d) < tiny)
            d = tiny;
        c = 1.0 + aa / c;
        if (fabs(c) < tiny)
            c = tiny;
        d = 1.0 / d;
        h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if (fabs(d) < tiny)
            d = tiny;
        c = 1.0 + aa / c;
        if (fabs(c) < tiny)
            c = tiny;
        d = 1.0 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1.0) < eps)
            break;
    }
    return h;
}

/* The regularized incomplete beta I_x(a, b). */
static double betai(double a, double b, double x)
{
    if (x <= 0.0)
        return 0.0;
    if (x >= 1.0)
        return 1.0;
    double bt = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log(1.0 - x));
    if (x < (a + 1.0) / (a + b + 2.0))
        return bt * betacf(a, b, x) / a;
    return 1.0 - bt * betacf(b, a, 1.0 - x) / b;
}

double swp_t_cdf(double t, double df)
{
    double tail = 0.5 * betai(df / 2.0, 0.5, df / (df + t * t)); /* P(T > |t|) */
    return t >= 0 ? 1.0 - tail : tail;
}

double swp_t_quantile(double p, double df)
{
    if (p == 0.5)
        return 0.0;
    if (p < 0.5)
        return -swp_t_quantile(1.0 - p, df);
    double lo = 0.0, hi = 1.0;
    while (swp_t_cdf(hi, df) < p && hi < 1e300) /* bracket: t(0.975, 1) is 12.7 */
        hi *= 2.0;
    for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) { /* bisection: no step depends on rounding luck */
        double mid = 0.5 * (lo + hi);
        if (swp_t_cdf(mid, df) < p)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

double swp_percentile(const double *sorted, size_t n, double p)
{
    double h = (double)(n - 1) * p;
    size_t i = (size_t)floor(h);
    if (i + 1 >= n)
        return sorted[n - 1];
    return sorted[i] + (h - (double)i) * (sorted[i + 1] - sorted[i]);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int swp_stats_of(const double *x, size_t n, swp_stats *out)
{
    memset(out, 0, sizeof *out);
    if (n == 0)
        return -1;
    double *s = malloc(n * sizeof *s);
    if (!s)
        return -1;
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) /* in the given (replication) order */
        sum += x[i];
    out->n = n;
    out->mean = sum / (double)n;
    if (n >= 2) {
        double ss = 0.0;
        for (size_t i = 0; i < n; i++)
            ss += (x[i] - out->mean) * (x[i] - out->mean);
        out->sd = sqrt(ss / (double)(n - 1));
        double half = swp_t_quantile(0.975, (double)(n - 1)) * out->sd / sqrt((double)n);
        out->ci_low = out->mean - half;
        out->ci_high = out->mean + half;
        out->has_ci = 1;
    }
    memcpy(s, x, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_double);
    out->min = s[0];
    out->max = s[n - 1];
    out->p5 = swp_percentile(s, n, 0.05);
    out->p50 = swp_percentile(s, n, 0.50);
    out->p95 = swp_percentile(s, n, 0.95);
    free(s);
    return 0;
}

int swp_stats_paired(const double *x, const double *base, size_t n, swp_stats *out)
{
    if (n == 0)
        return -1;
    double *d = malloc(n * sizeof *d);
    if (!d)
        return -1;
    for (size_t i = 0; i < n; i++)
        d[i] = x[i] - base[i];
    int rc = swp_stats_of(d, n, out);
    free(d);
    return rc;
}
