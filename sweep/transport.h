/* sweep/transport.h - how the runs of a sweep are carried out: in-process threads
 * (sweep/threads.c) today, Open MPI ranks (sweep/mpi.c, `make MPI=1`) later. A transport is
 * one file behind this interface.
 *
 * The caller gives the run numbers to do, in increasing order, and two callbacks. `run`
 * computes one run into its result slot and may be called from any worker at the same time
 * as others (it must touch nothing shared but what it locks itself); `done` is called once per
 * run, never concurrently, in the order of the list, as soon as that run and every run before
 * it in the list have finished. So whatever the scheduling, the caller sees results in run
 * order and writes the same bytes (reductions in a fixed order). Runs are handed out by
 * index, one at a time: a worker that finishes early takes the next one.
 * Ownership: the transport borrows everything; results live in a slot array of n entries
 * of result_size bytes that the transport allocates and frees.
 */
#ifndef SWEEP_TRANSPORT_H
#define SWEEP_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const uint64_t *runs; /* the run numbers to do, increasing */
    size_t n;
    size_t result_size; /* bytes of one result */
    /* Computes run into result (zeroed, result_size bytes). 0, or -1: the run failed; the
     * sweep stops handing out runs and swp_execute returns -1 once the workers are done. */
    int (*run)(void *ctx, uint64_t run, void *result);
    /* Takes the finished result of runs[i], in list order, one call at a time. 0, or -1:
     * stop (a write failed). */
    int (*done)(void *ctx, size_t i, uint64_t run, const void *result);
    void *ctx;
} swp_work;

/* Does the work with `jobs` workers (1: in the calling thread, no thread started).
 * 0 when every run ran and was taken; -1 when a run or a done failed or a thread could not
 * be started (the runs done before are already taken, in order). */
int swp_threads_execute(const swp_work *w, unsigned jobs);

/* The most workers a sweep starts (--jobs). */
#define SWP_MAX_JOBS 256

#endif
