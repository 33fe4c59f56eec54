/* sim/pcg.c - PCG32 generator (M.E. O'Neill, pcg-random.org), written for cspsim. */
#include "pcg.h"

#define PCG_MULT 6364136223846793005ULL

uint32_t sim_pcg_next(sim_pcg *g)
{
    uint64_t old = g->state;
    g->state = old * PCG_MULT + g->inc;
    uint32_t xorshifted = (uint32_t)(((old >> 18u) ^ old) >> 27u);
    uint32_t rot = (uint32_t)(old >> 59u);
    return (xorshifted >> rot) | (xorshifted << ((-rot) & 31));
}

void sim_pcg_seed(sim_pcg *g, uint64_t initstate, uint64_t initseq)
{
    g->state = 0;
    g->inc = (initseq << 1u) | 1u;
    sim_pcg_next(g);
    g->state += initstate;
    sim_pcg_next(g);
}

uint64_t sim_splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void sim_pcg_for_run(sim_pcg *g, uint64_t seed, uint64_t rep)
{
    uint64_t x = seed ^ (rep * 0xd1b54a32d192ed03ULL);
    uint64_t state = sim_splitmix64(&x);
    uint64_t stream = sim_splitmix64(&x);
    sim_pcg_seed(g, state, stream);
}

uint32_t sim_pcg_bounded(sim_pcg *g, uint32_t bound)
{
    if (bound == 0)
        return 0;
    uint32_t threshold = -bound % bound;
    for (;;) {
        uint32_t r = sim_pcg_next(g);
        if (r >= threshold)
            return r % bound;
    }
}

uint64_t sim_pcg_next64(sim_pcg *g)
{
    uint64_t hi = sim_pcg_next(g);
    return (hi << 32) | sim_pcg_next(g);
}

double sim_pcg_unit(sim_pcg *g)
{
    return (double)(sim_pcg_next64(g) >> 11) * 0x1.0p-53;
}
