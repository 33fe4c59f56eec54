/* sim/dist.c - drawing from distributions. Uses only +, *, log, exp, sqrt, cos of IEEE
 * doubles (no -ffast-math in any build), then rounds to an integer. */
#include "dist.h"

#include <math.h>

static int64_t round_nonneg(double x)
{
    if (!(x > 0.0))
        return 0;
    if (x >= 9.2e18)
        return INT64_MAX;
    return (int64_t)llround(x);
}

int64_t sim_dist_draw(const sim_dist *d, sim_pcg *g)
{
    switch (d->kind) {
    case SIM_DIST_FIXED:
        return d->a;
    case SIM_DIST_UNIFORM: {
        uint64_t span = (uint64_t)d->b - (uint64_t)d->a + 1u; /* unsigned: no overflow */
        uint64_t r = sim_pcg_next64(g);
        if (span == 0) /* the whole 64-bit range */
            return (int64_t)r;
        /* multiply-shift reduction of a 64-bit draw; bias below 2^-32 for spans < 2^32 */
        unsigned __int128 m = (unsigned __int128)r * span;
        return (int64_t)((uint64_t)d->a + (uint64_t)(m >> 64));
    }
    case SIM_DIST_EXPONENTIAL:
        return round_nonneg(-(double)d->a * log1p(-sim_pcg_unit(g)));
    case SIM_DIST_LOGNORMAL: {
        /* Box-Muller, one normal per draw (two uniforms) */
        double u1 = 1.0 - sim_pcg_unit(g), u2 = sim_pcg_unit(g);
        double z = sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
        return round_nonneg((double)d->a * exp(d->sigma * z));
    }
    case SIM_DIST_CHOICE: {
        double total = 0.0;
        for (size_t i = 0; i < d->n; i++)
            total += d->weights ? d->weights[i] : 1.0;
        double x = sim_pcg_unit(g) * total;
        for (size_t i = 0; i < d->n; i++) {
            x -= d->weights ? d->weights[i] : 1.0;
            if (x < 0.0)
                return d->values[i];
        }
        return d->n ? d->values[d->n - 1] : 0;
    }
    case SIM_DIST_POISSON: {
        if (!(d->x > 0.0))
            return 0;
        if (d->x > SIM_POISSON_INVERSION_MAX) { /* normal approximation: two uniforms */
            double u1 = 1.0 - sim_pcg_unit(g), u2 = sim_pcg_unit(g);
            double z = sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
            return round_nonneg(d->x + sqrt(d->x) * z);
        }
        /* inversion: walk the CDF from 0; about mean + 1 steps on average */
        double u = sim_pcg_unit(g), p = exp(-d->x), cdf = p;
        int64_t k = 0;
        while (u >= cdf && k < 100000) {
            k++;
            p *= d->x / (double)k;
            if (p < 1e-300 && (double)k > d->x) /* the tail below double precision */
                break;
            cdf += p;
        }
        return k;
    }
    case SIM_DIST_BERNOULLI:
        return sim_pcg_unit(g) < d->x ? 1 : 0;
    }
    return 0;
}

int64_t sim_dist_min(const sim_dist *d)
{
    int64_t lo = INT64_MAX;
    switch (d->kind) {
    case SIM_DIST_FIXED:
    case SIM_DIST_UNIFORM:
        return d->a;
    case SIM_DIST_EXPONENTIAL:
    case SIM_DIST_LOGNORMAL:
    case SIM_DIST_POISSON:
        return 0;
    case SIM_DIST_CHOICE:
        for (size_t i = 0; i < d->n; i++)
            lo = d->values[i] < lo ? d->values[i] : lo;
        return d->n ? lo : 0;
    case SIM_DIST_BERNOULLI:
        return d->x >= 1.0 ? 1 : 0;
    }
    return 0;
}

int64_t sim_dist_max(const sim_dist *d)
{
    int64_t hi = 0;
    switch (d->kind) {
    case SIM_DIST_FIXED:
        return d->a;
    case SIM_DIST_UNIFORM:
        return d->b;
    case SIM_DIST_EXPONENTIAL:
    case SIM_DIST_LOGNORMAL:
    case SIM_DIST_POISSON:
        return INT64_MAX;
    case SIM_DIST_CHOICE:
        hi = INT64_MIN;
        for (size_t i = 0; i < d->n; i++)
            hi = d->values[i] > hi ? d->values[i] : hi;
        return d->n ? hi : 0;
    case SIM_DIST_BERNOULLI:
        return d->x > 0.0 ? 1 : 0;
    }
    return 0;
}
