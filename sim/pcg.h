/* sim/pcg.h - PCG32 (XSH-RR, 64-bit state) random generator and its seeding.
 *
 * Our own implementation of O'Neill's pcg32, checked against the reference known-answer
 * vector (tests/check_pcg.c). A generator is a plain value owned by its simulation: no
 * globals, so replications can run side by side. The C library's rand() is never used.
 */
#ifndef SIM_PCG_H
#define SIM_PCG_H

#include <stdint.h>

typedef struct {
    uint64_t state;
    uint64_t inc; /* stream selector, always odd */
} sim_pcg;

/* The reference pcg32_srandom_r(initstate, initseq). */
void sim_pcg_seed(sim_pcg *g, uint64_t initstate, uint64_t initseq);

/* A generator for replication `rep` of a run with `seed`: state and stream both derived
 * from SplitMix64 of (seed, rep), so nearby seeds give unrelated streams. */
void sim_pcg_for_run(sim_pcg *g, uint64_t seed, uint64_t rep);

uint32_t sim_pcg_next(sim_pcg *g);
/* Uniform on [0, bound) without modulo bias; bound 0 returns 0. */
uint32_t sim_pcg_bounded(sim_pcg *g, uint32_t bound);
/* Uniform 64-bit value from two outputs (high word first). */
uint64_t sim_pcg_next64(sim_pcg *g);
/* Uniform double in [0, 1) with 53 random bits. */
double sim_pcg_unit(sim_pcg *g);

/* One SplitMix64 step: advances *x and returns the mixed value. */
uint64_t sim_splitmix64(uint64_t *x);

#endif
