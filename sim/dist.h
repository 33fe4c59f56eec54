/* sim/dist.h - probability distributions of durations and numbers, drawn from a PCG stream.
 *
 * A distribution is a small value; a `choice` points at value/weight arrays that the
 * caller owns (the scenario arena) and that must outlive it. Draws are integers (seconds
 * for durations), rounded to nearest, never negative except a choice's or uniform's own
 * values (instants before 1970 in a choice stay as given). The draw consumes a fixed number of
 * generator outputs per kind (a poisson: one unit draw up to SIM_POISSON_INVERSION_MAX, two
 * above), so runs stay byte-identical across builds.
 */
#ifndef SIM_DIST_H
#define SIM_DIST_H

#include <stddef.h>
#include <stdint.h>

#include "pcg.h"

typedef enum {
    SIM_DIST_FIXED,       /* a */
    SIM_DIST_UNIFORM,     /* integer uniform on [a, b] inclusive */
    SIM_DIST_EXPONENTIAL, /* mean a */
    SIM_DIST_LOGNORMAL,   /* median a, sigma */
    SIM_DIST_CHOICE,      /* values[i] with weights[i] */
    SIM_DIST_POISSON,     /* counts with mean x */
    SIM_DIST_BERNOULLI    /* 1 with probability x, else 0 (a `{p: X}` boolean) */
} sim_dist_kind;

typedef struct {
    sim_dist_kind kind;
    int64_t a, b;
    double sigma;
    size_t n;
    const int64_t *values;
    const double *weights;
    double x; /* poisson: the mean; bernoulli: p in [0, 1] */
} sim_dist;

static inline sim_dist sim_dist_fixed(int64_t v)
{
    sim_dist d = {SIM_DIST_FIXED, v, v, 0.0, 0, NULL, NULL, 0.0};
    return d;
}

static inline sim_dist sim_dist_uniform(int64_t lo, int64_t hi)
{
    sim_dist d = {SIM_DIST_UNIFORM, lo, hi, 0.0, 0, NULL, NULL, 0.0};
    return d;
}

static inline sim_dist sim_dist_poisson(double mean)
{
    sim_dist d = {SIM_DIST_POISSON, 0, 0, 0.0, 0, NULL, NULL, mean};
    return d;
}

static inline sim_dist sim_dist_bernoulli(double p)
{
    sim_dist d = {SIM_DIST_BERNOULLI, 0, 1, 0.0, 0, NULL, NULL, p};
    return d;
}

/* Poisson means up to this are drawn exactly by inversion of one uniform (exp(-mean) stays a
 * normal double); above it by the normal approximation N(mean, mean), rounded and clamped at
 * 0, whose error in the probability of any one count is below 1% of its sd there. */
#define SIM_POISSON_INVERSION_MAX 500.0
/* The largest poisson mean accepted by loaders (draws stay far below INT64_MAX). */
#define SIM_POISSON_MEAN_MAX 1e12

int64_t sim_dist_draw(const sim_dist *d, sim_pcg *g);

/* Smallest and largest value a draw can give (exponential, lognormal and poisson: INT64_MAX). */
int64_t sim_dist_min(const sim_dist *d);
int64_t sim_dist_max(const sim_dist *d);

#endif
