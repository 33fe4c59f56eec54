/* sweep/plan.c - run numbering, factorial coordinates and replication seeds. */
#include "plan.h"

#include "sim/pcg.h"

int swp_plan_init(swp_plan *p, uint64_t max_runs)
{
    if (p->nkeys > SWP_MAX_KEYS || p->replications == 0)
        return -1;
    uint64_t points = 1;
    for (size_t k = 0; k < p->nkeys; k++) {
        if (p->nvalues[k] == 0 || points > max_runs / p->nvalues[k])
            return -1;
        points *= p->nvalues[k];
    }
    if (p->replications > max_runs / points)
        return -1;
    p->npoints = points;
    p->nruns = points * p->replications;
    return 0;
}

void swp_plan_coords(const swp_plan *p, uint64_t point, size_t *coords)
{
    for (size_t k = p->nkeys; k-- > 0;) { /* the last key fastest */
        coords[k] = (size_t)(point % p->nvalues[k]);
        point /= p->nvalues[k];
    }
}

uint64_t swp_run_point(const swp_plan *p, uint64_t run)
{
    return run / p->replications;
}

uint64_t swp_run_replication(const swp_plan *p, uint64_t run)
{
    return run % p->replications;
}

uint64_t swp_run_seed(uint64_t seed, uint64_t replication)
{
    if (replication == 0)
        return seed;
    uint64_t x = seed ^ (replication * 0x9e3779b97f4a7c15ULL);
    (void)sim_splitmix64(&x);
    return sim_splitmix64(&x) >> 1;
}

uint64_t swp_fnv(uint64_t h, const void *data, size_t n)
{
    const unsigned char *b = data;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}
