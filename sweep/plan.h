/* sweep/plan.h - the plan of an experiment: points of a full factorial times replications,
 * every run numbered (run = point x replications + replication) so that any subset of runs
 * can be done anywhere and merged by number.
 *
 * Points are in factorial order, the first varied key slowest (like nested loops written in
 * the file's order). Replication r of every point uses the same seed (swp_run_seed): common
 * random numbers, so points differ only by what they vary. Pure: no I/O, no allocation
 * beyond what the caller passes; a plan is a small value the caller fills.
 */
#ifndef SWEEP_PLAN_H
#define SWEEP_PLAN_H

#include <stddef.h>
#include <stdint.h>

#define SWP_MAX_KEYS 16 /* varied keys (cli/limits.h names the loader's limit, at most this) */

typedef struct {
    size_t nkeys;
    size_t nvalues[SWP_MAX_KEYS]; /* values of each varied key, in the file's order, >= 1 */
    uint64_t replications;        /* >= 1 */
    uint64_t seed;                /* the scenario's seed (or --seed) */
    uint64_t npoints, nruns;      /* set by swp_plan_init */
} swp_plan;

/* Computes npoints (the product of nvalues, 1 without keys) and nruns. 0, or -1 when a count
 * is 0, nkeys is past SWP_MAX_KEYS or the product overflows max_runs (the caller's limit). */
int swp_plan_init(swp_plan *p, uint64_t max_runs);

/* The index of each key's value at point (coords[k] < nvalues[k]); first key slowest. */
void swp_plan_coords(const swp_plan *p, uint64_t point, size_t *coords);

/* The point and replication of a run (run < nruns). */
uint64_t swp_run_point(const swp_plan *p, uint64_t run);
uint64_t swp_run_replication(const swp_plan *p, uint64_t run);

/* The seed of replication r, the same for every point: r = 0 gives seed itself (so `cspsim
 * run FILE` is replication 0), the others SplitMix64 of (seed, r) in 0 .. 2^63-1 (a valid
 * --seed: `cspsim run FILE --seed S` with the point's --set values repeats a run). */
uint64_t swp_run_seed(uint64_t seed, uint64_t replication);

/* FNV-1a 64 of n bytes continued from h (start with SWP_FNV_OFFSET): the plan fingerprint
 * that shards and resumed directories are checked by. */
#define SWP_FNV_OFFSET 0xcbf29ce484222325ULL
uint64_t swp_fnv(uint64_t h, const void *data, size_t n);

#endif
