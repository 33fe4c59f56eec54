/* sim/dist.h - probability distributions of durations and numbers, drawn from a PCG stream.
 *
 * A distribution is a small value; a `choice` points at value/weight arrays that the
 * caller owns (the scenario arena) and that must outlive it. Draws are integers (seconds
 * for durations), rounded to nearest, never negative. The draw consumes a fixed number of
 * generator outputs per kind, so runs stay byte-identical across builds.
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
    SIM_DIST_CHOICE       /* values[i] with weights[i] */
} sim_dist_kind;

typedef struct {
    sim_dist_kind kind;
    int64_t a, b;
    double sigma;
    size_t n;
    const int64_t *values;
    const double *weights;
} sim_dist;

static inline sim_dist sim_dist_fixed(int64_t v)
{
    sim_dist d = {SIM_DIST_FIXED, v, v, 0.0, 0, NULL, NULL};
    return d;
}

static inline sim_dist sim_dist_uniform(int64_t lo, int64_t hi)
{
    sim_dist d = {SIM_DIST_UNIFORM, lo, hi, 0.0, 0, NULL, NULL};
    return d;
}

int64_t sim_dist_draw(const sim_dist *d, sim_pcg *g);

/* Smallest and largest value a draw can give (exponential and lognormal: INT64_MAX). */
int64_t sim_dist_min(const sim_dist *d);
int64_t sim_dist_max(const sim_dist *d);

#endif
